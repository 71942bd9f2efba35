// Results files: HDF5 following the netCDF-4 data model (dimension scales, coordinate
// variables, CF-style time), so xarray.open_dataset(path, engine="h5netcdf") reads them.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "skillsim/core/results.hpp"

namespace skillsim::io {

/// Version of the results-file layout; bumped when the layout changes incompatibly.
inline constexpr int kResultsSchemaVersion = 1;

/// Writes `results` atomically: to a temporary file beside `path`, flushed, then renamed.
/// A run killed mid-write leaves no file under `path`.
/// @throws ResultsFileError if `path` exists and `overwrite` is false, or on any HDF5/OS error
void write_results(const Results& results, const std::filesystem::path& path, bool overwrite);

/// Checks before a run that write_results(…, path, overwrite) can write `path`: the file does not
/// exist (unless `overwrite`) and is not a directory, its directory exists, and a file can be
/// created there (tried with a temporary file, removed at once: root ignores permission bits,
/// and a read-only file system or a full quota refuses root too). So a long run is not spent to
/// fail at the end.
/// @throws ResultsFileError naming the path, what is wrong and what to do
void check_results_path(const std::filesystem::path& path, bool overwrite);

/// A temporary file of write_results ("NAME.tmp-PID-HEX" beside NAME): a run killed while
/// writing (kill -9, a crash, a power cut) leaves it behind.
struct TemporaryResultsFile {
  std::filesystem::path path;
  long pid = 0;         ///< the process that was writing it
  bool running = false; ///< whether a process with that id is running now
};

/// If `path` is named as write_results names its temporary files: who wrote it and whether that
/// process is still running. std::nullopt for any other name.
std::optional<TemporaryResultsFile> temporary_results_file(const std::filesystem::path& path);

/// Removes the temporary files beside `path` whose process is no longer running, and returns
/// them; those of running processes (perhaps writing now) are left alone. A process id reused
/// by another process since keeps its orphan until that process ends: harmless.
std::vector<TemporaryResultsFile> remove_orphaned_temporaries(const std::filesystem::path& path);

/// One varied parameter of a sweep: a coordinate on the `scenario` dimension, named by its key.
struct SweepCoordinate {
  std::string key;            ///< e.g. "funds.annual_envelope[upgrading_account]"
  std::vector<double> values; ///< one a run
};

/// A sweep's results file, written run by run so that memory does not grow with the runs: the
/// layout of one run with a leading `scenario` dimension on every variable, the varied parameters
/// as coordinates on `scenario`, and `run_failed` (1 for a failed run, whose values are missing:
/// NaN, or -9223372036854775806 for integers, declared as `_FillValue` when a run failed; the
/// messages are in the attribute `failed_runs`). Like write_results, it writes a temporary file
/// beside the target and renames it there in commit(); destroyed before, it leaves nothing.
/// Runs are best written in run order (chunks then fill one after another).
class SweepResultsWriter {
public:
  /// @param run_layout a run's dimensions and variables (their data is not kept); its metadata
  ///        is the file's. A sweep whose every run failed passes empty dimensions and variables.
  /// @throws ResultsFileError if `path` exists and `overwrite` is false, or cannot be written
  SweepResultsWriter(const Results& run_layout, std::vector<SweepCoordinate> coordinates, std::size_t runs,
                     const std::filesystem::path& path, bool overwrite);
  SweepResultsWriter(const SweepResultsWriter&) = delete;
  SweepResultsWriter& operator=(const SweepResultsWriter&) = delete;
  ~SweepResultsWriter();

  /// Writes run `k` (0-based); its variables must match the layout's.
  /// @throws ResultsFileError naming the run and the variable that does not match
  void write_run(std::size_t k, const Results& run);
  /// Records run `k` as failed with its message.
  void write_failure(std::size_t k, const std::string& message);
  /// Completes the file and renames it onto the target.
  void commit();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Reads a results file written by write_results.
/// @throws ResultsFileError if the file is missing, not HDF5, not a skillsim file, or of a
///         schema version this engine does not read (the message names the versions); for a
///         temporary file, says that it is an unfinished file and whether its writer still runs
Results read_results(const std::filesystem::path& path);

/// A human-readable description (for `skillsim info`): scenario, seeds, version, dimensions,
/// variables with their shapes and units.
std::string describe_results(const Results& results);

} // namespace skillsim::io
