// Micro-benchmarks of the hot kernels (Google Benchmark), for choices inside the monthly step:
// the random-number block (Philox4x64-10 as the engine draws it, against Philox4x32-10, the
// layout issue 14 weighs), the month's transition tables, the per-agent rules pass, the stock
// count, the compaction of the dead and the categorical draw. bench_step measures the whole
// step; these say where its time goes and what a change of one kernel buys. See bench/README.md.
//
//   bench_kernels [--benchmark_filter=REGEX] [--benchmark_format=json] ...
//
// The population benchmarks use national_2016 at 1,000,000 agents (the scale that gives them),
// synthesised once per process.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <Random123/philox.h>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "skillsim/core/competitions.hpp"
#include "skillsim/core/monthly_rules.hpp"
#include "skillsim/core/random.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/core/tallies.hpp"
#include "skillsim/core/training.hpp"
#include "skillsim/io/scenario_toml.hpp"

using namespace skillsim;

namespace {

constexpr long long kAgents = 1'000'000;

// The national scenario at the scale that gives kAgents agents, and its initial population.
struct National {
  Scenario scenario;
  std::unique_ptr<ReplicateState> state;

  static const National& get() {
    static const National n = [] {
      const std::string path = SKILLSIM_SOURCE_DIR "/scenarios/national_2016.toml";
      const double persons = io::load_scenario(path).parameters().population.size;
      const auto scale = std::max<long long>(1, std::llround(persons / static_cast<double>(kAgents)));
      National out{io::load_scenario(path, {"population.scale=" + std::to_string(scale)}), nullptr};
      return out;
    }();
    return n;
  }
  static const Population& population() {
    static const ReplicateState state(get().scenario, 1, 0);
    return state.population();
  }
};

// One Philox4x64-10 block (8 words of 32 bits), as the other streams draw it (and the monthly
// pass did until 2026-12).
void BM_Philox4x64Block(benchmark::State& state) {
  const RandomStreams rng(12345, 0);
  std::uint64_t agent = 0;
  for (auto _ : state) {
    const DrawBlock b = rng.block(streams::kEntry, 17, agent++);
    benchmark::DoNotOptimize(b.words);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Philox4x64Block);

// One Philox4x32-10 block (4 words of 32 bits) per agent, as the monthly pass draws it.
void BM_Philox4x32Block(benchmark::State& state) {
  const RandomStreams rng(12345, 0);
  const auto monthly = rng.monthly4x32(streams::kMonthly, 17);
  std::uint32_t agent = 0;
  for (auto _ : state) {
    const DrawBlock4 b = monthly.block(agent++);
    benchmark::DoNotOptimize(b.words);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Philox4x32Block);

// The month's transition tables (built once a month, before the pass).
void BM_TransitionRates(benchmark::State& state) {
  const Parameters& p = National::get().scenario.parameters();
  for (auto _ : state) {
    const TransitionRates rates(p, p.scenario.start);
    benchmark::DoNotOptimize(&rates);
  }
}
BENCHMARK(BM_TransitionRates)->Unit(benchmark::kMicrosecond);

// The per-agent rules pass over 1M agents (death, retirement, assessment, labour, insurance, the
// lists of candidates) on 1 and 2 threads. Each iteration starts from the same population.
void BM_MonthlyRules(benchmark::State& state) {
  const Scenario& scenario = National::get().scenario;
  const Parameters& p = scenario.parameters();
  const Month month = p.scenario.start;
  const TransitionRates rates(p, month);
  const ApplicationRules applications(p);
  const CompetitionRules competitions(p, rates, month);
  const RandomStreams rng(1, 0);
  const Population& initial = National::population();
  omp_set_num_threads(static_cast<int>(state.range(0)));
  MonthlyCandidates candidates;
  StockTally stocks = empty_stocks(p.population.regions.size(), p.programmes.names.size());
  for (auto _ : state) {
    state.PauseTiming();
    Population population = initial;
    state.ResumeTiming();
    // (The pass counts the stocks it starts from too, as in the run.)
    // (As in a month with an appointment quota: the pass lists those appointments choose from.)
    const MonthTally tally = apply_monthly_rules(rates, applications, competitions, /*appointing=*/true, month,
                                                 population, rng, candidates, stocks);
    benchmark::DoNotOptimize(&tally);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(initial.size()));
  state.counters["ns_per_agent"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(initial.size()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_MonthlyRules)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The stock count by cell (level x status x group x region x ...) over 1M agents: the run's
// counting pass after the last month and before checkpoints (each month's is in the rules pass).
void BM_CountStocks(benchmark::State& state) {
  const Parameters& p = National::get().scenario.parameters();
  const Population& population = National::population();
  omp_set_num_threads(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const StockTally stocks = count_stocks(population, p.population.regions.size(), p.programmes.names.size());
    benchmark::DoNotOptimize(stocks.total());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(population.size()));
}
BENCHMARK(BM_CountStocks)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Compaction of 1M agents, 1 in 32 of them dead at random (when ReplicateState::step compacts):
// every column, in place, on 1 and 2 threads (OrderedCompaction). The copy of the population to
// compact is not timed.
void BM_Compact(benchmark::State& state) {
  const Population& population = National::population();
  std::mt19937_64 gen(32);
  std::vector<std::size_t> dead;
  for (std::size_t i = 0; i < population.size(); ++i)
    if (gen() % 32 == 0) dead.push_back(i);
  omp_set_num_threads(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    state.PauseTiming();
    Population copy = population;
    for (const std::size_t i : dead) copy.status[i] = static_cast<std::uint8_t>(Status::Removed);
    state.ResumeTiming();
    copy.compact();
    benchmark::DoNotOptimize(copy.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(population.size()));
}
BENCHMARK(BM_Compact)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The categorical draw of entrants and schools (a linear scan of up to a few dozen shares).
void BM_PickByShare(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<double> shares(n, 1.0 / static_cast<double>(n));
  const RandomStreams rng(7, 0);
  std::uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(pick_by_share(shares, rng.block(streams::kEntry, 0, i++).uniform(0)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PickByShare)->Arg(3)->Arg(8)->Arg(31);

} // namespace

BENCHMARK_MAIN();
