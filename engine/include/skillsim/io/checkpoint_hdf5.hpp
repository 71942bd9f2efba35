// Checkpoint files: the whole state of a run in HDF5, so that `skillsim run --resume FILE`
// continues it bit for bit and `skillsim run SCENARIO --from-checkpoint FILE` branches a new
// policy from a finished run (docs/checkpoints.md). A checkpoint holds the run's description
// (the scenario's text and --set overrides, replicates, seed, output), where it stands, the
// results so far, and each replicate's latest state (ReplicateSnapshot: every population column,
// the month, the next agent id, the random streams' keys, and each process's State).
//
// Layout (format version kCheckpointFormatVersion):
//
//   /                       attributes: title, format_version, engine_version, git_commit,
//                           created, scenario_source, scenario, parameter_sets (the sets
//                           file's text, only when the scenario names one), replicates, seed, months,
//                           checkpoint_every, first_month, origin, output, force, and the
//                           position: replicate, month
//   /overrides              the --set overrides (strings)
//   /results/<variable>     the results so far, in the variable's shape; attribute
//                           `dimensions`: its dimension names, comma-separated
//   /replicates/<r>/        replicate r's latest state (r from 0); attributes months_done,
//                           seed, replicate, month (the calendar month index), date, next_id,
//                           agents
//     population/<column>   one dataset per agent column the population stores
//                           (SKILLSIM_AGENT_COLUMNS; an optional column not in use has none),
//                           compressed
//     entrants/due, appointments/due, training/{seats_due, overhead_due} (attribute
//     budget_year), training/ledger/<field> (one dataset per fund field),
//     evaluation/capacity_due
//
// Writing is atomic, as for results files: a temporary file beside the target, synced and
// renamed onto it. The states of the replicates other than the one being written are copied
// from the previous checkpoint (H5Ocopy), so memory holds one population at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/core/results.hpp"

namespace skillsim::io {

/// Version of the checkpoint layout; bumped when it changes. A checkpoint is continued only by
/// the engine version that wrote it (another version may simulate differently). 2: the id,
/// birth_month, region and ui_months columns narrowed to 32, 16, 8 and 8 bits (a format-1
/// checkpoint is refused with a message naming both formats). 3: the `employer` column (the
/// employer cell, employers.hpp) and the employers' state (each cell's posts at the start); a
/// format-2 checkpoint is refused likewise. 4: optional columns (`employer` only with employers,
/// `subsidised_months` only with a cap of 以工代训 months), saved only when the population stores
/// them; a format-3 checkpoint is refused likewise. 5: the columns of programmes and evaluation
/// (`programme`, `evaluation_wait`, `follow_up_programme`, `follow_up_months_left`, `ui_months`)
/// optional too, saved only with programmes or evaluators (agent_columns); a format-4 checkpoint
/// is refused likewise. 6: the `region` column optional, saved only with more than one region; a
/// format-5 checkpoint is refused likewise.
inline constexpr int kCheckpointFormatVersion = 7;

/// A checkpoint file could not be written or read (path and reason in the message).
class CheckpointError : public Error {
public:
  using Error::Error;
};

/// What a checkpoint says about its run: enough to continue it without the scenario file.
struct CheckpointRun {
  std::string scenario_source;        ///< the scenario file as it was named
  std::string scenario_text;          ///< its text, verbatim
  std::vector<std::string> overrides; ///< the --set overrides, in order
  std::string parameter_sets;         ///< the text of its parameter sets file (run.parameter_sets); "" without
  std::int64_t replicates = 1;
  std::int64_t seed = 1;
  std::int64_t months = 0;           ///< of each replicate (the scenario's scenario.months)
  std::int64_t checkpoint_every = 0; ///< months; 0: at the end of each replicate
  /// The month every replicate started from: 0, or for a branch the month its origin ended.
  std::int64_t first_month = 0;
  std::string origin; ///< for a branch, the checkpoint it started from
  std::string output; ///< the results file
  bool force = false; ///< overwrite the results file if it exists
  bool operator==(const CheckpointRun&) const = default;
};

/// A checkpoint file's description: the run, where it stands, where each replicate stands.
struct CheckpointInfo {
  CheckpointRun run;
  std::string engine_version, git_commit, created;
  std::int64_t replicate = 0; ///< the position: the replicate written last (0-based) ...
  std::int64_t month = 0;     ///< ... and its months simulated
  /// Per replicate: the months its saved state is at, or -1 if none is saved (not started).
  std::vector<std::int64_t> months_done;

  /// Every replicate saved at the run's last month.
  bool finished() const;
};

/// Writes the checkpoints of one run to one file, each replacing the last.
class CheckpointWriter {
public:
  /// `previous`: a checkpoint whose replicate states the first write copies for the replicates
  /// it does not write (the checkpoint resumed, which may be `path`, or branched from); empty
  /// for none. Later writes copy them from `path`.
  CheckpointWriter(std::filesystem::path path, CheckpointRun run, std::filesystem::path previous = {});

  /// Writes atomically the run, the position (replicate, month: months simulated), the results
  /// so far and `snapshot`, replicate `replicate`'s state; every other replicate's state is
  /// copied from the previous checkpoint if it has one.
  /// @throws CheckpointError naming the file and the reason
  void write(std::int64_t replicate, std::int64_t month, const Results& results, const ReplicateSnapshot& snapshot);
  /// The same with the replicate's state as it is (no copy of its population in memory).
  void write(std::int64_t replicate, std::int64_t month, const Results& results, const ReplicateState& state);

  const std::filesystem::path& path() const { return path_; }
  /// Checkpoints written, and the seconds the writes took.
  std::int64_t written() const { return written_; }
  double seconds() const { return seconds_; }

private:
  void write(std::int64_t replicate, std::int64_t month, const Results& results, const ReplicateSnapshot& snapshot,
             const Population& population);

  std::filesystem::path path_;
  CheckpointRun run_;
  std::filesystem::path previous_;
  std::int64_t written_ = 0;
  double seconds_ = 0;
};

/// True if `path` is an HDF5 file titled as a skillsim checkpoint (of any version).
bool is_checkpoint_file(const std::filesystem::path& path);

/// Reads a checkpoint's description.
/// @throws CheckpointError if the file is missing, not a checkpoint, of another format or
///         engine version (the message names both), or lacks a part (named)
CheckpointInfo read_checkpoint_info(const std::filesystem::path& path);

/// Reads a checkpoint's results so far (the variables, over dimensions that have sizes but no
/// coordinates).
/// @throws CheckpointError as read_checkpoint_info
Results read_checkpoint_results(const std::filesystem::path& path);

/// Reads the saved state of replicate `replicate` (0-based). For rank `rank` of a run split over
/// `ranks` ranks (ranks.hpp), its share of the agents only: their agent_range of the saved
/// population (in id order, whatever the ranks that wrote it), and the rest of the state.
/// @throws CheckpointError as read_checkpoint_info, and if the replicate has none
ReplicateSnapshot read_checkpoint_snapshot(const std::filesystem::path& path, std::int64_t replicate, int rank = 0,
                                           int ranks = 1);

/// Checks before a run that a checkpoint can be written to `path`: it does not exist (unless
/// `overwrite`) and is no directory, its directory exists and a file can be created there.
/// @throws CheckpointError naming the path, what is wrong and what to do
void check_checkpoint_path(const std::filesystem::path& path, bool overwrite);

/// A human-readable description (for `skillsim info`).
std::string describe_checkpoint(const CheckpointInfo& info);

} // namespace skillsim::io
