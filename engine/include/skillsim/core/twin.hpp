// The expected-value twin: the expected trajectory of every stock and flow of a scenario, computed
// without sampling agents, by a cohort (Markov) projection from the same Parameters,
// TransitionRates and rule functions the agent model reads. See docs/twin.md for the state space
// and exactly where twin and agent model can differ.
//
// project_expected() is the entry point for callers that run the twin many times (an optimiser):
// a validated scenario in, trajectories out, no I/O and no random numbers. project_scenario()
// puts the same numbers into the results layout of run_scenario (one replicate, counts as reals).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/scenario.hpp"
#include "skillsim/core/types.hpp"

namespace skillsim {

/// The scenario uses a mechanism the twin does not model yet. The message names every such key
/// ("the twin does not model X yet"); issues() lists them.
class TwinUnsupported : public Error {
public:
  explicit TwinUnsupported(std::vector<Issue> issues);
  const std::vector<Issue>& issues() const { return issues_; }

private:
  std::vector<Issue> issues_;
};

/// The mechanisms of `scenario` (at its start or by schedule) the twin does not model yet, one
/// issue each (key and message); empty if the twin can project it.
std::vector<Issue> twin_refusals(const Scenario& scenario);

/// Expected stocks at one instant, in persons (as count_stocks and store_stocks count them).
struct TwinStocks {
  std::array<std::array<double, kStatusCount>, kLevelCount> workers{}; ///< level x status
  std::array<std::array<double, kLevelCount>, kGroupCount> by_group{}; ///< group x level
  std::array<double, kSectorCount> employed_by_sector{};               ///< employed, by sector
  std::vector<double> by_region;                                       ///< region x level
  std::vector<double> trainees;                                        ///< per programme
  std::vector<double> school_students; ///< technical schools' students, route x region (empty without routes)
  double skilled() const;              ///< 初级工 or above, not retired
  double high_skilled() const;         ///< 高级工 or above, not retired
};

/// Expected flows of one month, in persons (as MonthTally and the appointments count them).
struct TwinFlows {
  std::array<double, kLevelCount> entries{}, exits{}, promotions{}, promotions_out{}, assessments{};
  double retirements = 0, job_finds = 0, job_losses = 0, newly_skilled = 0;
  std::array<double, kGroupCount> entries_by_group{}, exits_by_group{};
  std::vector<double> entries_by_region, exits_by_region; ///< per region
  std::vector<double> migrations;                         ///< region left x region joined (migration.*)
  std::array<std::array<double, kGroupCount>, kGroupCount> group_changes{}; ///< from x to
  std::array<double, 2> appointed{}, appointments_unfilled{};               ///< 特级技师, 首席技师
  /// Programmes (as TrainingTally), in persons: per programme, and programme x level sought.
  std::vector<double> applications, enrolments, no_seat, no_money, completions, dropouts, certificates;
  std::vector<double> substitute_enrolments; ///< of the enrolments, applicants to another programme
  std::vector<double> programme_assessments, followed_up, employed_after;
  /// Money, in yuan: fund x programme paid (incl. leakage and audits), leaked, audits; per fund
  /// remaining and committed at the end of the month.
  std::vector<double> paid, leaked, audit, remaining, committed;
  /// Yuan paid by the trainees' employers per programme (programmes.employer_share).
  std::vector<double> employer_paid;
  /// Binding constraints (1: turned expected applicants away): programme x region, programme, fund.
  std::vector<double> seats_binding, money_binding, fund_binding;
  /// Evaluators (as EvaluationTally; empty without them): assessments held and binding (evaluator
  /// x region); candidates waiting at the end of the month and who gave up (per region).
  std::vector<double> evaluations, evaluation_binding, evaluation_queue, evaluation_abandoned;
  /// Skills competitions (as the competitions' tally; empty without tiers): tier x level held
  /// (entrants, winners) or reached (promotions); per tier the places with nobody to take them.
  std::vector<double> competition_entrants, competition_winners, competition_promotions;
  std::vector<double> competition_no_entrant, competition_no_winner;
  /// Master studios (as Studios::Tally; empty without them), per region: studios open, masters,
  /// mentoring places and the mentored (persons; studios as opened).
  std::vector<double> studios, studio_masters, mentoring_places, mentored;
  /// Technical schools (as Schools::Tally; empty without routes): route x region.
  std::vector<double> school_enrolments, school_graduates, school_dropouts, school_no_place;
};

/// The twin's trajectory: stocks at every time point 0..months, flows of the month ending at each
/// (flows[0] is zero: no month before the start).
struct TwinProjection {
  std::vector<TwinStocks> stocks;
  std::vector<TwinFlows> flows;
  /// The rows of one vector of the state (every track's cells; an age class holds only the
  /// segments its workers can reach): what the projection's buffers scale with.
  std::size_t rows = 0;
  /// Whether the completers followed apart were moved across the maximum age in proportion
  /// (TwinOptions::followed_crossing): the one approximation beyond the twin's own.
  bool followed_in_proportion = false;
};

/// How the twin holds its state; the defaults are the fast way, the results the same to rounding
/// (but where followed_crossing's default cannot hold the exact way: see there).
struct TwinOptions {
  /// If set, checked at the start of every month: once true, the projection stops (Cancelled).
  const std::atomic<bool>* cancel = nullptr;
  /// If set, called at the end of every month projected.
  std::function<void()> month_done = {};
  /// Every programme's follow-up window a track of the state (as before the windows that change
  /// nothing but followed_up and employed_after were counted apart): for tests of that count.
  bool windows_as_tracks = false;
  /// Every age class a whole copy of the tracks it copies (as before a class held only the
  /// segments its workers can reach): for the test that the reachable ones are enough.
  bool whole_age_classes = false;
  /// Every (month waited, follow-up window) of each certificate's queue held (as before a queue
  /// held only the windows of its own programme its workers can be in): for the test that those
  /// are enough.
  bool every_queue_window = false;
  /// Every row of a segment that holds somebody pushed (as before the pushes took only its
  /// insurance months that hold somebody: 1 of 13 for the trainees of a course asking for 12):
  /// for the test that those are enough, and to time the two in one binary (bench_twin).
  bool whole_segments = false;
  /// The active dying in each month pushed from time 0 as a vector of its own (as before they
  /// were taken as the month before's active population less the surviving and the retiring):
  /// for the test that the two agree, and to time the two in one binary (bench_twin).
  bool pushed_deaths = false;
  /// At the end of every month, every buffer the vectors are pushed in checked to be all zero
  /// again, but the one that keeps the month's active for the next month's dying (the projection
  /// zeroes only the rows it wrote, lazily, so a row left behind would join a later push): throws
  /// std::logic_error otherwise. Costs a pass over the buffers a month: for the tests.
  bool check_buffers_cleared = false;
  /// How the completers followed apart (docs/twin.md, "Follow-up windows counted apart") of the
  /// cohorts reaching the programmes' maximum age are moved to the band over it. `exact`: kept
  /// per programme and later month a window ends in, one more vector pushed side by side each
  /// (46 for national_2019_2021). `in_proportion`: a row's followed moved by the share of the row
  /// the crossing cohorts hold, no vector more: the same where they are as likely to be followed
  /// as the rest of the row, and only followed_up and employed_after_training can differ (by up
  /// to 1.9e-5 relative in the tests). `automatic`: exactly where the state fits the twin's bound on
  /// the vectors side by side that way (twin_refusals), else in proportion.
  enum class FollowedCrossing { automatic, exact, in_proportion };
  FollowedCrossing followed_crossing = FollowedCrossing::automatic;
};

/// Projects the expected trajectory of `scenario` (see docs/twin.md): one set of parameters, so
/// a scenario with parameter sets is given as scenario.for_replicate(r).
/// @throws TwinUnsupported if the scenario uses a mechanism the twin does not model yet
/// @throws ScenarioError if the population margins cannot be fitted (as the synthesis)
/// @throws Error if the scenario has parameter sets
TwinProjection project_expected(const Scenario& scenario, const TwinOptions& options = {});

/// The number of replicates project_scenario writes: 1 without parameter sets (one
/// expectation); with them `replicates`, or the scenario's run.replicates if `replicates` is 0.
std::int64_t twin_replicates(const Scenario& scenario, std::int64_t replicates = 0);

/// The projection as results with the variables and dimensions of run_scenario's (every count a
/// float64 expectation in persons), targets and statistics added, and the global attribute
/// skillsim_twin = "1". The replicates are the parameter sets' (twin_replicates): replicate r is
/// the projection under set r modulo the sets, as the agent model's replicate r runs under it
/// (each set used projected once), with the sets' variables of a run (parameter_set, ...);
/// without sets, one replicate. `created` and `command_line` are the caller's. The sets are
/// projected side by side on up to `threads` OpenMP threads (0: the OpenMP default), one set a
/// thread; the results do not depend on it (each projection is single-threaded and its own).
/// `cancel`, if set, is checked every month of every set (TwinOptions::cancel); `progress`, if
/// set, is called with (months projected, months in all: the sets projected x months) after
/// every month of every set, by one thread at a time.
/// @throws as project_expected; Error if `replicates` > 1 without parameter sets; Cancelled
Results project_scenario(const Scenario& scenario, std::int64_t replicates = 0, int threads = 0,
                         const std::atomic<bool>* cancel = nullptr,
                         const std::function<void(std::int64_t done, std::int64_t total)>& progress = {});

/// The global attribute that marks a twin's results.
inline constexpr const char* kTwinAttribute = "skillsim_twin";

/// The global attribute that names the approximations a twin's projection made beyond the
/// twin's own (TwinProjection::followed_in_proportion); absent where it made none.
inline constexpr const char* kTwinApproximationsAttribute = "skillsim_twin_approximations";

/// Whether `results` are a twin's projection (kTwinAttribute is "1").
inline bool is_twin(const Results& results) {
  const auto found = results.metadata.attributes.find(kTwinAttribute);
  return found != results.metadata.attributes.end() && found->second == "1";
}

} // namespace skillsim
