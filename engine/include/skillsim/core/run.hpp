// The run driver: every replicate of a scenario, month by month, into Results. Replicates are
// independent (their own random streams), so a sweep or an MPI rank can drive them one by one.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "skillsim/core/results.hpp"
#include "skillsim/core/scenario.hpp"

namespace skillsim {

/// How to run (everything that does not change what is simulated lives here, not in Scenario).
struct RunOptions {
  std::int64_t replicates = 1;
  std::int64_t seed = 1;
  int threads = 0; ///< OpenMP threads; 0 = the OpenMP default
  /// Called after every simulated month with (months done, months in total) over all replicates.
  std::function<void(std::int64_t, std::int64_t)> progress;
  /// Checked every month; when it becomes true the run throws Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

/// The results layout of a scenario: dimensions, and every variable the processes declare
/// (zeros), for `replicates` replicates. Targets are added after the run (add_target_results).
Results make_results_layout(const Scenario& scenario, std::int64_t replicates);

/// Runs every replicate of a scenario and returns the results (in persons).
/// @throws Cancelled if options.cancel becomes true
Results run_scenario(const Scenario& scenario, const RunOptions& options);

} // namespace skillsim
