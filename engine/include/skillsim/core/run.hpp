// The run driver: every replicate of a scenario, month by month, into Results. Replicates are
// independent (their own random streams), so a sweep or an MPI rank can drive them one by one.
// A run can hand out checkpoints as it goes (RunOptions::checkpoint) and continue from one
// (RunStart): a resumed run, or a branch that continues a finished run under other parameters.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "skillsim/core/replicate.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/scenario.hpp"

namespace skillsim {

/// Where a run stands when it hands out a checkpoint (RunOptions::checkpoint): after month
/// `month` of replicate `replicate`, its results stored.
struct RunCheckpoint {
  std::int64_t replicate = 0;  ///< 0-based: the replicate being simulated
  std::size_t month = 0;       ///< months of it simulated (its results hold months 0..month)
  std::size_t months = 0;      ///< months of every replicate (the scenario's)
  const Results& results;      ///< so far: earlier replicates complete, this one to `month` (no targets yet)
  const ReplicateState& state; ///< its state: state.snapshot() continues it
};

/// A run continued from saved state (a checkpoint): the results so far and where each
/// replicate stands.
struct RunStart {
  /// The results so far. Every (replicate, time) point that both these and the run's layout
  /// have is copied; the time points past a replicate's months_done are simulated again.
  Results results;
  /// Per replicate: the months its saved state is at (its results at months 0..that are in
  /// `results`), or -1 if it has not started (it is synthesised when its turn comes).
  std::vector<std::int64_t> months_done;
  /// The saved state of replicate r at months_done[r], asked for when the replicate's turn
  /// comes (so one population at a time is in memory). In a run split over ranks
  /// (RunOptions::ranks), this rank's share of its agents (ReplicateState's constructor).
  std::function<ReplicateSnapshot(std::int64_t replicate)> snapshot;
  /// For a branch, the variables of its layout that the saved run did not declare
  /// (branch_new_variables): 0 in the months taken from the saved run. Any other variable the
  /// saved results lack is an error.
  std::vector<std::string> new_variables;
};

/// The OpenMP threads a run or projection given 0 threads uses (every core, or OMP_NUM_THREADS).
int default_threads();

/// How to run (everything that does not change what is simulated lives here, not in Scenario).
struct RunOptions {
  std::int64_t replicates = 1;
  std::int64_t seed = 1;
  int threads = 0; ///< OpenMP threads; 0 = the OpenMP default
  /// Called after every simulated month with (months done, months in total) over all
  /// replicates; a continued run counts the months saved as done (replicate r at month t has
  /// r * months + t done).
  std::function<void(std::int64_t, std::int64_t)> progress;
  /// Checked every month; when it becomes true the run throws Cancelled.
  const std::atomic<bool>* cancel = nullptr;
  /// Called with the run's position after every `checkpoint_every`-th month of a replicate
  /// (months counted from the scenario's start) and after its last month. It may throw (e.g.
  /// Cancelled) to stop the run.
  std::function<void(const RunCheckpoint&)> checkpoint;
  std::int64_t checkpoint_every = 0; ///< months; 0: only at the end of each replicate
  /// Continues saved state instead of starting every replicate afresh; not owned.
  const RunStart* start = nullptr;
  /// Splits each replicate's agents over these ranks (ranks.hpp; not owned): every rank calls
  /// run_scenario with the same options and gets the same results, not with what
  /// rank_split_refusals names. Every rank's `checkpoint` is called with its own share of the
  /// agents (gather_population makes one process's population of them); `start` gives each rank
  /// its share.
  const RankGroup* ranks = nullptr;
};

/// The provenance of a run of `scenario` (its name, source and text, the seeds of its replicates,
/// the engine's version and commit); `created` and `command_line` are the caller's.
RunMetadata run_metadata(const Scenario& scenario, std::int64_t seed, std::int64_t replicates, int threads);

/// The results layout of a scenario: dimensions, and every variable the processes declare
/// (zeros), for `replicates` replicates. Targets are added after the run (add_target_results).
Results make_results_layout(const Scenario& scenario, std::int64_t replicates);

/// Which parameter set each of `replicates` replicates ran under (replicate r: set r modulo the
/// sets) and its values, over `replicate`, and the sets file's text as a global attribute; nothing
/// without parameter sets. After the statistics: these are inputs, not outcomes. The runs' and
/// the twin's (project_scenario) results both carry them.
void add_parameter_set_results(Results& results, const Scenario& scenario, std::int64_t replicates);

/// Runs every replicate of a scenario and returns the results (in persons).
/// @throws Cancelled if options.cancel becomes true
/// @throws Error if options.start does not fit the scenario (the message says what differs)
Results run_scenario(const Scenario& scenario, const RunOptions& options);

/// Why `branch` cannot continue a run of `origin` whose replicates all stopped after month `at`
/// (a branch takes months 0..at from that run and simulates the rest under its own
/// parameters): a different start, fewer months, another scale, or other regions, programmes,
/// funds or evaluators (the saved state is laid out by them). Empty when it can.
std::vector<std::string> branch_problems(const Scenario& origin, const Scenario& branch, std::int64_t at);

/// The variables a run of `branch` declares that a run of `origin` does not (RunStart::new_variables).
/// A variable is declared whenever its mechanism may act in the run (at the start, by schedule),
/// so these describe mechanisms not in force in any month of origin's run, e.g. matching by level
/// switched on by a schedule entry that origin, shortened by `--set scenario.months`, left out: in
/// the months a branch takes over they are 0, as in the run of `branch` that never stopped.
std::vector<std::string> branch_new_variables(const Scenario& origin, const Scenario& branch);

} // namespace skillsim
