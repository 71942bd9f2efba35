// bench_twin: seconds per projection of the expected-value twin (skillsim project) on a bundled
// scenario, the projection alone (no results layout, no file): the figure an optimiser that runs
// the twin many times sees. See bench/README.md and docs/twin.md.
//
//   build/bin/bench_twin                                   national_2016 (its schools included), 36 months, 5 repeats
//   build/bin/bench_twin national_2016 --set scenario.months=60 --repeat 3
//   build/bin/bench_twin national_2010 --set scenario.months=60 --whole-age-classes   every age class whole (as before)
//   build/bin/bench_twin jincheng_2020_2021 --whole-segments   every insurance month of a live segment pushed (as
//   before)
//   build/bin/bench_twin --pushed-deaths                    the month's dying pushed as a vector of their own (as
//   before)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/twin.hpp"
#include "skillsim/io/scenario_toml.hpp"

int main(int argc, char** argv) {
  std::string name = "national_2016";
  std::vector<std::string> overrides;
  int repeat = 5;
  bool named = false;
  skillsim::TwinOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--set" && i + 1 < argc) {
      overrides.emplace_back(argv[++i]);
    } else if (arg == "--whole-age-classes") {
      options.whole_age_classes = true;
    } else if (arg == "--whole-segments") {
      options.whole_segments = true;
    } else if (arg == "--pushed-deaths") {
      options.pushed_deaths = true;
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (!arg.empty() && arg[0] != '-' && !named) {
      name = arg;
      named = true;
    } else {
      std::fprintf(stderr, "usage: bench_twin [SCENARIO] [--set KEY=VALUE ...] [--repeat N] [--whole-age-classes] "
                           "[--whole-segments] [--pushed-deaths]\n");
      return 2;
    }
  }
  // national_2016 lasts 60 months; the default bench is the 36 of national_2019_2021.
  if (!named) overrides.insert(overrides.begin(), "scenario.months=36");
  const std::string path =
      name.find('/') != std::string::npos ? name : std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/" + name + ".toml";
  try {
    // With parameter sets (jincheng_2020_2021), one projection is one set's: the first.
    const skillsim::Scenario loaded = skillsim::io::load_scenario(path, overrides);
    const skillsim::Scenario scenario = loaded.for_replicate(0);
    std::vector<double> seconds, cpu;
    double skilled = 0;
    std::size_t rows = 0;
    for (int r = 0; r < repeat; ++r) {
      const auto start = std::chrono::steady_clock::now();
      const std::clock_t cpu_start = std::clock();
      const skillsim::TwinProjection projection = skillsim::project_expected(scenario, options);
      seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      cpu.push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
      skilled = projection.stocks.back().skilled();
      rows = projection.rows;
    }
    std::sort(seconds.begin(), seconds.end());
    std::sort(cpu.begin(), cpu.end());
    // Wall time counts the waits of a busy machine; CPU time (one thread) does not.
    std::printf("twin of %s, %lld months: wall median %.3f s, fastest %.3f s; CPU median %.3f s, fastest %.3f s; "
                "over %d projections (skilled at the end %.0f; %zu rows a vector)\n",
                scenario.parameters().scenario.name.c_str(),
                static_cast<long long>(scenario.parameters().scenario.months), seconds[seconds.size() / 2],
                seconds.front(), cpu[cpu.size() / 2], cpu.front(), repeat, skilled, rows);
    std::printf("{\"scenario\": \"%s\", \"months\": %lld, \"median_seconds\": %.4f, \"fastest_seconds\": %.4f, "
                "\"median_cpu_seconds\": %.4f}\n",
                scenario.parameters().scenario.name.c_str(),
                static_cast<long long>(scenario.parameters().scenario.months), seconds[seconds.size() / 2],
                seconds.front(), cpu[cpu.size() / 2]);
  } catch (const skillsim::Error& e) {
    std::fprintf(stderr, "bench_twin: %s\n", e.what());
    return 1;
  }
  return 0;
}
