// Benchmark of the monthly step: agent-months per second and peak memory per agent for the
// national scenario at a given agent count and thread count.
//
//   bench_step [--agents N] [--threads T] [--months M] [--scenario FILE]
//
// Defaults: 10,000,000 agents (national_2016 at scale 90), 2 threads, 12 months. The population
// is synthesised once (timed apart), then each month is stepped and counted exactly as
// run_scenario does: the rules pass counts the stocks the month starts from, and the state after
// the last month is counted by a pass of its own (timed with the months).
#include <omp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "skillsim/core/simulation.hpp"
#include "skillsim/io/scenario_toml.hpp"
#include "skillsim/io/system_memory.hpp"

using namespace skillsim;
using Clock = std::chrono::steady_clock;

namespace {
int run_benchmark(const std::string& scenario_path, long long agents, int threads, int months);

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// In KiB. VmHWM, not getrusage's ru_maxrss, which a process started by the suite (Python) would
// begin with Python's own peak (io::peak_resident_memory).
long peak_rss_kib() { return static_cast<long>(io::peak_resident_memory() / 1024); }
} // namespace

int main(int argc, char** argv) {
  long long agents = 10'000'000;
  int threads = 2, months = 12;
  std::string scenario_path = SKILLSIM_SOURCE_DIR "/scenarios/national_2016.toml";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "bench_step: %s needs a value\n", a.c_str());
      return 2;
    }
    const char* v = argv[++i];
    if (a == "--agents")
      agents = std::atoll(v);
    else if (a == "--threads")
      threads = std::atoi(v);
    else if (a == "--months")
      months = std::atoi(v);
    else if (a == "--scenario")
      scenario_path = v;
    else {
      std::fprintf(stderr, "bench_step: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  try {
    return run_benchmark(scenario_path, agents, threads, months);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_step: %s\n", e.what());
    return 1;
  }
}

namespace {
int run_benchmark(const std::string& scenario_path, long long agents, int threads, int months) {
  // Keep the national population and flows; choose the scale that gives the agent count.
  const Scenario base = io::load_scenario(scenario_path);
  const double persons = base.parameters().population.size;
  const auto scale = std::max<long long>(1, std::llround(persons / static_cast<double>(agents)));
  const Scenario scenario = io::load_scenario(
      scenario_path, {"population.scale=" + std::to_string(scale), "scenario.months=" + std::to_string(months)});
  omp_set_num_threads(threads);

  const long rss_before = peak_rss_kib();
  auto t0 = Clock::now();
  ReplicateState state(scenario, 1, 0);
  const double synthesis_s = seconds_since(t0);
  const std::size_t initial = state.population().size();
  const std::size_t regions = scenario.parameters().population.regions.size();

  double agent_months = 0;
  t0 = Clock::now();
  for (int m = 0; m < months; ++m) {
    agent_months += static_cast<double>(state.population().size());
    state.step();
    if (state.stocks_at_start().total() <= 0) return 1; // the state the month started from
  }
  const StockTally last = count_stocks(state.population(), regions, scenario.parameters().programmes.names.size());
  if (last.total() <= 0) return 1; // keeps the count from being optimised away
  const double step_s = seconds_since(t0);
  const long rss_after = peak_rss_kib();

  std::printf("scenario            %s (scale %lld)\n", scenario_path.c_str(), scale);
  std::printf("agents              %zu at start, %zu at end\n", initial, state.population().size());
  std::printf("threads             %d\n", threads);
  std::printf("synthesis           %.2f s\n", synthesis_s);
  std::printf("months              %d in %.2f s\n", months, step_s);
  std::printf("agent-months/s      %.1f million\n", agent_months / step_s / 1e6);
  const StepTimes times = state.step_times();
  const auto share = [&](double part) { return 100 * part / step_s; };
  std::printf("step time           rules %.1f%%, training %.1f%%, evaluation %.1f%%, other %.1f%% "
              "(counting stocks after the last month %.1f%%)\n",
              share(times.rules), share(times.training), share(times.evaluation), share(times.other),
              share(step_s - times.rules - times.training - times.evaluation - times.other));
  std::printf("allocating          %.2f%% of step time (flow networks of training and evaluation)\n",
              share(times.allocation));
  std::printf("peak memory         %.0f MiB (%.1f bytes/agent; columns alone %zu bytes/agent)\n",
              static_cast<double>(rss_after) / 1024,
              static_cast<double>(rss_after - rss_before) * 1024 / static_cast<double>(initial),
              state.population().column_bytes_per_agent());
  std::printf(
      "{\"agents\": %zu, \"threads\": %d, \"months\": %d, \"agent_months_per_s\": %.0f, "
      "\"peak_rss_mib\": %.0f, \"rss_bytes_per_agent\": %.1f, \"column_bytes_per_agent\": %zu, "
      "\"synthesis_s\": %.3f, \"step_s\": %.3f, \"rules_share\": %.4f, \"training_share\": %.4f, "
      "\"evaluation_share\": %.4f, \"other_share\": %.4f, \"counting_share\": %.4f, \"allocation_share\": %.4f}\n",
      initial, threads, months, agent_months / step_s, static_cast<double>(rss_after) / 1024,
      static_cast<double>(rss_after - rss_before) * 1024 / static_cast<double>(initial),
      state.population().column_bytes_per_agent(), synthesis_s, step_s, times.rules / step_s, times.training / step_s,
      times.evaluation / step_s, times.other / step_s,
      (step_s - times.rules - times.training - times.evaluation - times.other) / step_s, times.allocation / step_s);
  return 0;
}
} // namespace
