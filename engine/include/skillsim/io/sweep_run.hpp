// Running a sweep into ONE results file: every run of the design, each replicate of each run
// with the same random numbers (common random numbers), streamed to disk run by run. See
// docs/sweeps.md.
//
// The file is the layout of one run with a leading `scenario` dimension on every variable, the
// varied parameters as coordinates on `scenario` (named by their keys, e.g.
// "funds.annual_envelope[upgrading_account]"), `run_failed` (1 for a run that failed; its
// message is in the attribute `failed_runs`), and the base scenario's and the sweep file's text
// as attributes.
//
// Finished runs go to a journal beside the target (NAME.journal, one checksummed record a run,
// synced) as they finish, so memory does not grow with the number of runs and a sweep killed at
// any moment can be resumed: the journal's complete records are kept, a torn last record is
// dropped. When every run is done the journal is assembled into the results file (written
// atomically, as every results file is) and removed.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "skillsim/core/results.hpp"
#include "skillsim/core/scenario.hpp"
#include "skillsim/io/sweep_toml.hpp"

namespace skillsim::io {

/// A sweep ready to run: the parsed file, its base scenario (with any --set overrides) and the
/// parameters of every run.
struct SweepJob {
  SweepFile file;
  std::filesystem::path base_path;
  std::vector<std::string> overrides;
  Scenario base;
  std::vector<std::vector<double>> points; ///< one row per run, one value per axis
};

/// Reads a sweep file and everything it names: the base is looked up beside the sweep file,
/// then as a bundled scenario in `scenario_dirs` (NAME or NAME.toml). Applies `overrides` to the
/// base and checks the varied keys against it.
/// @throws ScenarioError with every problem located (file:line:column, key)
/// @throws Error if the base scenario cannot be found (naming the sweep file and its base)
SweepJob load_sweep(const std::filesystem::path& path, const std::vector<std::string>& overrides,
                    const std::vector<std::filesystem::path>& scenario_dirs);

/// The scenario of run `k` of the job: the base with the run's values set.
/// @throws Error if a value is refused by the parameter's checks (e.g. a negative count)
Scenario sweep_run_scenario(const SweepJob& job, std::size_t k);

/// Where a sweep is, for progress bars.
struct SweepProgress {
  std::int64_t runs_done = 0; ///< including runs found done in the journal when resuming
  std::int64_t runs_total = 0;
  std::int64_t runs_failed = 0;
  std::int64_t runs_resumed = 0; ///< runs found done in the journal
  double run_fraction = 0;       ///< of the run in progress here (months done / months)
};

struct SweepOptions {
  std::filesystem::path output;
  bool overwrite = false;
  /// Continue an interrupted sweep into `output` from its journal (without it, a journal left
  /// by an interrupted sweep is refused, with a message saying to add --resume).
  bool resume = false;
  std::int64_t replicates = 0; ///< 0: the base scenario's run.replicates
  std::int64_t seed = -1;      ///< -1: the base scenario's run.seed
  int threads = 0;             ///< OpenMP threads per run; 0 = the OpenMP default
  std::string command_line;
  /// Called after every simulated month and every finished run.
  std::function<void(const SweepProgress&)> progress;
  const std::atomic<bool>* cancel = nullptr;
};

/// What a sweep did.
struct SweepOutcome {
  std::int64_t runs = 0;
  std::int64_t failed = 0;
  std::int64_t resumed = 0; ///< runs taken from the journal of an interrupted sweep
  std::filesystem::path output;
  /// Resuming found the file complete (no journal beside it): nothing was run or written.
  bool complete_already = false;
};

/// Runs every run of the job (on this process) and writes the results file.
/// @throws ResultsFileError if the output cannot be written, or a journal is there and
///         options.resume is false, or the journal belongs to another sweep
/// @throws Cancelled if options.cancel becomes true (the journal keeps the finished runs)
SweepOutcome run_sweep(const SweepJob& job, const SweepOptions& options);

} // namespace skillsim::io
