// The initial population, synthesised from marginal tables by iterative proportional fitting
// (IPF). See docs/model.md, "Initial population".
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "skillsim/core/parameters.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/random.hpp"

namespace skillsim {

/// The fitted joint distribution over age band x sex x group x level x status (shares sum to 1).
struct JointTable {
  static constexpr int kCells = kAgeBandCount * kSexCount * kGroupCount * kLevelCount * kStatusCount;
  std::vector<double> share; // kCells entries, row-major in the order above
  int iterations = 0;
  double max_margin_error = 0; // largest absolute difference from a target margin
  /// Per level, the cumulative probabilities of the regions for an agent of that level (region
  /// x level fitted to population.region_shares and level_shares from level_by_region_prior).
  /// Empty when the prior is 1 everywhere: the region is then drawn from region_shares alone.
  std::vector<std::vector<double>> region_cdf_by_level;

  static constexpr int index(int age_band, int sex, int group, int level, int status) {
    return (((age_band * kSexCount + sex) * kGroupCount + group) * kLevelCount + level) * kStatusCount + status;
  }
};

/// Fits the joint table to the population margins (age x sex, group, level, status), starting
/// from the level-by-age prior, and the region given the level (JointTable::region_cdf_by_level)
/// to the region and level margins from the level-by-region prior. The pool runs from age 16 to each sex's retirement
/// age (the part of an age band above it is left out). Returns the issues that make the margins unreachable (e.g. a
/// level with a positive share but a prior of zero in every age band that has people); empty on success.
std::vector<Issue> fit_joint_table(const Parameters& p, JointTable& out);

/// Number of agents a scenario starts with: population.size / population.scale, rounded.
std::size_t initial_agent_count(const PopulationSection& population);

/// The agents of each cell of the joint table (JointTable::index): `agents` split over levels by
/// largest remainders, then each level's agents over its cells the same way (ties to the lower
/// index). The synthesis makes this many agents per cell; the expected-value twin starts from it.
std::vector<std::size_t> initial_cell_counts(const JointTable& joint, std::size_t agents);

/// Months of age an initial age band spans for a sex (its part below the retirement age): the
/// synthesis draws an agent's age uniformly over these whole months from the band's first age.
int initial_band_months(const Parameters& p, int band, int sex);

/// The most months at its level an initial agent of this age (months) may have served: at most
/// population.max_months_at_level and the months since age 16. The synthesis draws the months
/// uniformly over 0 .. this.
int initial_max_months_at_level(const PopulationSection& population, int age_months);

/// Agents the population's columns are reserved for at synthesis: the initial agents, the
/// technical schools' students at the start (initial_student_agents) and every entrant and
/// school enrolee of the run at the rates in force at the start (the enrolment at its plan,
/// planned_enrolment, and enrolment_carry_allowance; schools.hpp), or an eighth more than the
/// initial agents if that is more. The columns then do not grow by copying during the run (a
/// schedule with more entrants may still make them), and capacity never written is not resident.
std::size_t initial_capacity(const Parameters& p);

/// The optional agent columns (population.hpp, ColumnUse::optional) a scenario's population
/// stores: `employer` with employers declared (employers.size_classes), `subsidised_months` with a
/// cap on 以工代训 months (work_based_training.max_months_per_worker above 0), `programme` and
/// `evaluation_wait` with programmes or evaluators (programmes.names, evaluation.evaluators), and
/// `follow_up_programme`, `follow_up_months_left` and `ui_months` with programmes. None of these
/// keys is schedulable, so the set holds for the whole run.
ColumnSet agent_columns(const Parameters& p);
/// The key that asks for optional column `c` ("employers.size_classes"), for messages.
std::string_view column_key(Column c);
/// Why a population with the optional columns `saved` cannot run under a scenario that needs
/// `needed` (each column that differs, with its key); empty when they are the same.
std::string column_mismatch(ColumnSet saved, ColumnSet needed);

/// Builds the initial population for `start`, with the columns of agent_columns(p). Cell counts are the fitted shares
/// integerised by largest remainders (no randomness); ages within band, months at level, sector, region and insurance
/// months are drawn from the synthesis stream keyed on agent id.
/// @param cancel checked as agents are made (a national population takes seconds); when it
///        becomes true, throws Cancelled
/// @param first, last only the agents with ids in [first, last) (a rank's range of a run split
///        over ranks, ranks.hpp): the same agents the whole synthesis makes there, since every
///        draw is keyed on the id; the initial students (ids after the others) only with the
///        whole range
/// @throws ScenarioError if the margins cannot be fitted
Population synthesize_population(const Parameters& p, const RandomStreams& rng,
                                 const std::atomic<bool>* cancel = nullptr, std::size_t first = 0,
                                 std::size_t last = static_cast<std::size_t>(-1));

} // namespace skillsim
