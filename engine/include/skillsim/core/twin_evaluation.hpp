// The evaluation queue of the expected-value twin (docs/twin.md, "Evaluation capacity"): one
// month's expected candidates, by level sought, status and months waited, matched to the
// evaluators by the agent model's own allocate_evaluations (evaluation.hpp), in fixed point. The
// twin's state holds the queue (twin.cpp: a track per months waited); this file holds the
// month's matching and what it records.
#pragma once

#include <cstddef>
#include <vector>

#include "skillsim/core/carry.hpp"
#include "skillsim/core/parameters.hpp"

namespace skillsim {

/// One month's matching of the expected candidates (agents, not persons).
struct TwinEvaluationMonth {
  /// Per region class and cell (class x twin_evaluation_cells + twin_evaluation_cell): the share
  /// of its candidates assessed this month, over the class's regions (agent-keyed priorities pick
  /// uniformly within an agents' cell).
  std::vector<double> assessed_share;
  std::vector<double> held;    ///< evaluator x region: assessments held
  std::vector<double> binding; ///< evaluator x region: 1 if full while candidates it could assess wait
  std::vector<double> queue;   ///< per region: candidates left waiting
};

/// The number of candidate cells (level sought x status x months waited 0..max_wait; 0 unused).
std::size_t twin_evaluation_cells(std::int64_t max_wait);
/// The cell of candidates seeking `sought` with `status` who have waited `waited` months (1..max_wait).
std::size_t twin_evaluation_cell(int sought, int status, int waited, std::int64_t max_wait);

/// Matches `candidates` (per region class and cell, as assessed_share; region r holds
/// `region_part[class][r]` of a class's) to the month's capacities: `capacity_due` (evaluator x region) carries the
/// fractions as the agents' (EvaluationSystem), whole agents taken each month. The same minimum-cost
/// maximum flow (the longest-waiting first, evaluators by status and level) on the expected
/// counts times 2^20. Self-evaluation by employer cells is not modelled (twin_refusals).
TwinEvaluationMonth twin_evaluate(const Parameters& p, const std::vector<double>& candidates,
                                  const std::vector<std::vector<double>>& region_part,
                                  std::vector<Carry>& capacity_due);

} // namespace skillsim
