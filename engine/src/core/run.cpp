#include "skillsim/core/run.hpp"

#include <omp.h>

#include <string>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/core/results_layout.hpp"
#include "skillsim/core/targets.hpp"
#include "skillsim/core/version.hpp"

namespace skillsim {

Results make_results_layout(const Scenario& scenario, std::int64_t replicates) {
  Results r = base_results_layout(scenario, replicates);
  ReplicateState::declare_results(r, scenario.parameters());
  return r;
}

Results run_scenario(const Scenario& scenario, const RunOptions& options) {
  if (options.replicates < 1) throw Error("replicates must be at least 1, got " + std::to_string(options.replicates));
  if (options.seed < 0) throw Error("seed must be non-negative, got " + std::to_string(options.seed));
  const int previous_threads = omp_get_max_threads();
  if (options.threads > 0) omp_set_num_threads(options.threads);
  struct RestoreThreads {
    int n;
    ~RestoreThreads() { omp_set_num_threads(n); }
  } restore{previous_threads};

  const Parameters& p = scenario.parameters();
  const auto months = static_cast<std::size_t>(p.scenario.months);
  Results results = make_results_layout(scenario, options.replicates);
  ResultsWriter out(results, months + 1, p.population.scale);

  const std::int64_t total_months = options.replicates * static_cast<std::int64_t>(months);
  std::int64_t done = 0;
  for (std::int64_t rep = 0; rep < options.replicates; ++rep) {
    if (options.cancel && options.cancel->load()) throw Cancelled();
    ReplicateState state(scenario, static_cast<std::uint64_t>(options.seed), static_cast<std::uint32_t>(rep),
                         options.cancel);
    const auto r = static_cast<std::size_t>(rep);
    state.store_results(out, r, 0);
    for (std::size_t t = 1; t <= months; ++t) {
      if (options.cancel && options.cancel->load()) throw Cancelled();
      state.step();
      state.store_results(out, r, t);
      ++done;
      if (options.progress) options.progress(done, total_months);
    }
  }

  RunMetadata& m = results.metadata;
  m.scenario_name = p.scenario.name;
  m.scenario_source = scenario.source_name();
  m.scenario_text = scenario.source_text();
  m.seed = options.seed;
  for (std::int64_t rep = 0; rep < options.replicates; ++rep) m.replicate_seeds.push_back(rep);
  m.threads = options.threads > 0 ? options.threads : previous_threads;
  m.scale = p.population.scale;
  m.engine_version = kEngineVersion;
  m.git_commit = kGitCommit;
  add_target_results(results, scenario);
  return results;
}

} // namespace skillsim
