// The pieces of a sweep's run that the single-process driver (run_sweep) and the MPI driver
// share: the settings every run uses, one run into a journal record, the checks before and the
// assembly of the results file after. Internal to skillsim (not installed).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "skillsim/core/results.hpp"
#include "skillsim/io/sweep_run.hpp"
#include "sweep_journal.hpp"

namespace skillsim::io {

/// What every run of a sweep shares.
struct SweepSettings {
  std::int64_t runs = 0;
  std::int64_t replicates = 1;
  std::int64_t seed = 1;
  std::filesystem::path journal;
  std::uint64_t fingerprint = 0; ///< of everything that decides the runs' numbers
};

SweepSettings sweep_settings(const SweepJob& job, const SweepOptions& options);

/// Refuses, before any run, an output that cannot be written, or a journal left by an
/// interrupted sweep when not resuming (saying to add --resume). Returns true if there is
/// nothing to do: resuming a sweep whose file is complete (no journal beside it).
bool check_sweep_output(const SweepSettings& settings, const SweepOptions& options);

/// Runs run `k` and returns its journal record: its results, or its failure (a parameter
/// value refused, out of memory). `progress` gets the fraction of the run done.
/// @throws Cancelled if `cancel` becomes true
std::string run_sweep_point(const SweepJob& job, const SweepSettings& settings, std::int64_t k, int threads,
                            const std::function<void(double)>& progress, const std::atomic<bool>* cancel);

/// The file's provenance: the base scenario, the seeds, the sweep file's text, the overrides.
RunMetadata sweep_metadata(const SweepJob& job, const SweepSettings& settings, const SweepOptions& options, int threads,
                           int ranks);

/// Writes the results file from a journal that holds every run, in run order.
void assemble_sweep_results(const SweepJob& job, const SweepSettings& settings, const SweepOptions& options,
                            const SweepJournal& journal, RunMetadata metadata);

} // namespace skillsim::io
