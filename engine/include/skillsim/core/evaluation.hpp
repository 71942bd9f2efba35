// Evaluation capacity: assessments need an evaluator (enterprises that self-evaluate, social
// evaluation organisations, schools; scenario-declared types), each with a monthly capacity per
// region. Workers seeking the next level's assessment and trainees who completed a programme
// queue for one; each month the queue is matched to the evaluators as a minimum-cost maximum
// flow (the longest-waiting first), the assessed pass or fail, and the rest wait on until
// evaluation.max_wait_months, when they give up. See docs/levers.md, "Evaluation capacity".
//
// With no evaluator types declared the queue is never used: assessments are held in the month
// they are sought (monthly_rules.cpp) and certificates awarded at the end of the programme.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "skillsim/core/carry.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/random.hpp"
#include "skillsim/core/ranks.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/studios.hpp"
#include "skillsim/core/tallies.hpp"

namespace skillsim {

class Employers;
class ResultsWriter;
class TrainingSystem;

/// What the evaluators did in one month (agents).
struct EvaluationTally {
  std::vector<std::int64_t> held;      ///< evaluator x region: assessments held
  std::vector<std::int64_t> binding;   ///< evaluator x region: 1 if its capacity was used up while
                                       ///< candidates it could have assessed were left waiting
  std::vector<std::int64_t> queue;     ///< per region: candidates waiting at the end of the month
  std::vector<std::int64_t> abandoned; ///< per region: candidates who gave up waiting
  std::vector<std::int64_t> self_held; ///< region x employer cell: held by the cell's own capacity
  std::vector<std::int64_t>
      self_capacity; ///< region x employer cell: that capacity (employers.self_evaluation_per_1000)

  void reset(std::size_t evaluators, std::size_t regions);
  bool operator==(const EvaluationTally&) const = default;
};

/// One month's matching of queued candidates to evaluators.
struct EvaluationCell {
  int region = 0;
  int level_sought = 0;
  int status = 0;
  int months_waited = 0;
  std::int64_t candidates = 0;
  /// Employees of a cell with self-evaluation capacity: its index in employer_capacity (region x
  /// employer cell); -1 for everybody else.
  int employer = -1;
};

struct EvaluationProblem {
  int evaluators = 0;
  int regions = 0;
  std::int64_t max_wait_months = 12;
  std::vector<EvaluationCell> cells;
  std::vector<std::int64_t> capacity; ///< evaluator x region, row-major
  std::vector<bool> eligible_status;  ///< evaluator x status
  std::vector<int> max_level;         ///< per evaluator
  /// Self-evaluation capacity (企业自主评价) of employer cells for their own employees, region x
  /// employer cell, held as assessments of `employer_evaluator` (whose max_level applies); empty:
  /// none. Only cells whose `employer` is the index may use it.
  std::vector<std::int64_t> employer_capacity;
  int employer_evaluator = -1;
  /// Where a wait's candidates are rationed, the units left over by its shares rounded down go
  /// to cells drawn in proportion to their fractions, by systematic sampling at this point (a
  /// uniform word: draw / 2^32 in [0, 1)). The agents draw it each month; the twin, whose units
  /// are millionths of a person, keeps the middle.
  std::uint32_t rationing_draw = std::uint32_t{1} << 31;
};

struct EvaluationAllocation {
  std::vector<std::int64_t> assessed;      ///< per cell
  std::vector<std::int64_t> held;          ///< evaluator x region
  std::vector<bool> binding;               ///< evaluator x region
  std::vector<std::int64_t> employer_held; ///< region x employer cell: of `held`, by own capacity
};

/// Matches candidates to evaluators: as many assessments as the capacities allow, the longest
/// waiting first, and among candidates who waited as long each as likely to be assessed as any
/// other who may use the same evaluators (proportional rationing: docs/levers.md, "Evaluation
/// capacity"); a candidate several types may assess goes to an employer's own capacity
/// first, then to the types in the order declared (evaluation.evaluators), each as far as its
/// capacity goes. Deterministic given `rationing_draw`.
/// @throws Error if sizes are inconsistent
EvaluationAllocation allocate_evaluations(const EvaluationProblem& problem);

class EvaluationSystem {
public:
  /// What must be saved to continue a run.
  struct State {
    std::vector<Carry> capacity_due; ///< evaluator x region: fractional assessments
    bool operator==(const State&) const = default;
  };

  explicit EvaluationSystem(const Parameters& p);

  /// Declares the evaluation results (evaluator dimension, assessments held, binding, queue),
  /// for scenarios with evaluators.
  static void declare_results(Results& results, const Parameters& p);
  /// Stores one time point of them (nothing at t = 0: no month stepped yet).
  void store_results(ResultsWriter& out, std::size_t replicate, std::size_t t) const;

  const State& state() const { return state_; }
  /// @throws Error if the state has other evaluator or region counts (and changes nothing)
  void check_fits(const State& state) const;
  /// @throws Error as check_fits
  void restore(const State& state);

  /// True if the scenario declares evaluators (assessments then queue for them).
  bool limited() const { return limited_; }

  /// Runs one month: candidates leave (death, retirement, waiting too long), the rest are
  /// matched to evaluators, the assessed pass or fail (level changes go to `flows`, programme
  /// certificates and their money to `training`).
  /// `queued` lists the agents waiting (or leaving the queue), in agent order.
  /// A master studio's mentee (`mentoring`, if any) passes an ordinary assessment more often.
  /// With `employers` and employers.self_evaluation_per_1000, employer cells add capacity for
  /// their own employees (from their employed at the start of the month).
  /// Split over `ranks` (ranks.hpp), the leavers and candidates of every rank
  /// are joined in agent order (by id) and every rank matches
  /// them alike; each changes its own agents. Not with self-evaluation or mentoring.
  void step(const Parameters& p, Month month, Population& population, const RandomStreams& rng, MonthTally& flows,
            TrainingSystem& training, std::span<const AgentIndex> queued, const Mentoring* mentoring = nullptr,
            const Employers* employers = nullptr, const RankGroup* ranks = nullptr);

  const EvaluationTally& tally() const { return tally_; }
  /// Seconds spent building and solving the matching flow networks so far.
  double allocation_seconds() const { return allocation_seconds_; }

private:
  bool limited_;
  std::int64_t scale_;
  State state_;
  EvaluationTally tally_;
  double allocation_seconds_ = 0;
};

} // namespace skillsim
