#include "skillsim/core/run.hpp"

#include <omp.h>

#include <cmath>
#include <cstdio>
#include <new>
#include <string>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/numbers.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/core/results_layout.hpp"
#include "skillsim/core/statistics.hpp"
#include "skillsim/core/synthesis.hpp"
#include "skillsim/core/targets.hpp"
#include "skillsim/core/version.hpp"

namespace skillsim {

namespace {

/// Where a run is, to say where memory ran out: setting up the results, synthesising a
/// replicate's population (month 0), or simulating a month.
struct RunPosition {
  enum Phase { kResults, kSynthesis, kMonth, kTargets } phase = kResults;
  std::int64_t replicate = 0; // 0-based
  std::size_t month = 0;
};

std::string out_of_memory_message(const Parameters& p, const RunOptions& options, const RunPosition& at) {
  const std::size_t agents = initial_agent_count(p.population);
  const double gb = static_cast<double>(agents) * static_cast<double>(Population::bytes_per_agent()) / 1e9;
  char size[32];
  std::snprintf(size, sizeof size, gb >= 10 ? "%.0f" : "%.1f", gb);
  const std::string replicate =
      "replicate " + std::to_string(at.replicate + 1) + " of " + std::to_string(options.replicates);
  const std::string population = thousands(static_cast<std::int64_t>(agents)) + " agents (population.size " +
                                 thousands(std::llround(p.population.size)) + " / population.scale " +
                                 thousands(p.population.scale) + "), about " + size + " GB of columns at " +
                                 std::to_string(Population::bytes_per_agent()) + " bytes each";
  const std::string advice = "; raise population.scale or run on a machine with more memory";
  switch (at.phase) {
  case RunPosition::kResults:
    return "out of memory while setting up the results of " + std::to_string(options.replicates) + " replicates of " +
           std::to_string(p.scenario.months) + " months; run fewer replicates or fewer months";
  case RunPosition::kSynthesis:
    return "out of memory while synthesising " + replicate + ": " + population + advice;
  case RunPosition::kMonth:
    return "out of memory in month " + std::to_string(at.month) + " of " + std::to_string(p.scenario.months) + " of " +
           replicate + ", with " + population + advice;
  case RunPosition::kTargets:
    break;
  }
  return "out of memory while evaluating the targets and the statistics over replicates; run fewer replicates";
}

} // namespace

Results make_results_layout(const Scenario& scenario, std::int64_t replicates) {
  Results r = base_results_layout(scenario, replicates);
  ReplicateState::declare_results(r, scenario.parameters());
  return r;
}

namespace {

// The run itself; `at` follows it so that run_scenario can say where memory ran out.
Results simulate(const Scenario& scenario, const RunOptions& options, int threads, RunPosition& at) {
  const Parameters& p = scenario.parameters();
  const auto months = static_cast<std::size_t>(p.scenario.months);
  Results results = make_results_layout(scenario, options.replicates);
  ResultsWriter out(results, months + 1, p.population.scale);

  const std::int64_t total_months = options.replicates * static_cast<std::int64_t>(months);
  std::int64_t done = 0;
  for (std::int64_t rep = 0; rep < options.replicates; ++rep) {
    if (options.cancel && options.cancel->load()) throw Cancelled();
    at = {RunPosition::kSynthesis, rep, 0};
    ReplicateState state(scenario, static_cast<std::uint64_t>(options.seed), static_cast<std::uint32_t>(rep),
                         options.cancel);
    const auto r = static_cast<std::size_t>(rep);
    state.store_results(out, r, 0);
    for (std::size_t t = 1; t <= months; ++t) {
      if (options.cancel && options.cancel->load()) throw Cancelled();
      at = {RunPosition::kMonth, rep, t};
      state.step();
      state.store_results(out, r, t);
      ++done;
      if (options.progress) options.progress(done, total_months);
    }
  }

  at.phase = RunPosition::kTargets;
  RunMetadata& m = results.metadata;
  m.scenario_name = p.scenario.name;
  m.scenario_source = scenario.source_name();
  m.scenario_text = scenario.source_text();
  m.seed = options.seed;
  for (std::int64_t rep = 0; rep < options.replicates; ++rep) m.replicate_seeds.push_back(rep);
  m.threads = threads;
  m.scale = p.population.scale;
  m.engine_version = kEngineVersion;
  m.git_commit = kGitCommit;
  add_target_results(results, scenario);
  add_replicate_statistics(results);
  return results;
}

} // namespace

Results run_scenario(const Scenario& scenario, const RunOptions& options) {
  if (options.replicates < 1) throw Error("replicates must be at least 1, got " + std::to_string(options.replicates));
  if (options.seed < 0) throw Error("seed must be non-negative, got " + std::to_string(options.seed));
  const int previous_threads = omp_get_max_threads();
  if (options.threads > 0) omp_set_num_threads(options.threads);
  struct RestoreThreads {
    int n;
    ~RestoreThreads() { omp_set_num_threads(n); }
  } restore{previous_threads};

  RunPosition at;
  try {
    return simulate(scenario, options, options.threads > 0 ? options.threads : previous_threads, at);
  } catch (const std::bad_alloc&) {
    // A bare "std::bad_alloc" says nothing; this names the phase and the population's size.
    // (Inside an OpenMP parallel region an exception cannot get here: see the CLI's terminate handler.)
    throw OutOfMemory(out_of_memory_message(scenario.parameters(), options, at));
  }
}

} // namespace skillsim
