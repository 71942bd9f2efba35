#include "skillsim/core/replicate.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "skillsim/core/dates.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/monthly_rules.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/synthesis.hpp"

namespace skillsim {

namespace {

// Adds the seconds since the last lap to a phase's total.
class PhaseTimer {
public:
  void lap(double& total) {
    const auto now = Clock::now();
    total += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }

private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point last_ = Clock::now();
};

} // namespace

ReplicateState::ReplicateState(const Scenario& scenario, std::uint64_t seed, std::uint32_t replicate,
                               const std::atomic<bool>* cancel, const RankGroup* ranks)
    : scenario_(&scenario), ranks_(split(ranks) ? ranks : nullptr), rng_(seed, replicate), month_(scenario.start()),
      training_(scenario.parameters()), evaluation_(scenario.parameters()), competitions_(scenario.parameters()),
      schools_(scenario.parameters()), studios_(scenario.parameters()), employers_(scenario.parameters()) {
  if (ranks_ == nullptr) {
    population_ = synthesize_population(scenario.parameters(), rng_, cancel);
    next_id_ = population_.size();
  } else {
    if (auto issues = rank_split_refusals(scenario); !issues.empty()) throw RankSplitUnsupported(std::move(issues));
    // This rank's contiguous range of the initial agents; entrants join the last rank's (step()).
    const std::size_t n = initial_agent_count(scenario.parameters().population);
    const AgentRange range = agent_range(n, ranks_->rank(), ranks_->size());
    population_ = synthesize_population(scenario.parameters(), rng_, cancel, range.first, range.last);
    add_initial_students(scenario.parameters(), rng_, population_, n, ranks_); // this rank's share
    // The next id follows every agent of every rank (the initial students too).
    std::int64_t agents = static_cast<std::int64_t>(population_.size());
    ranks_->sum(std::span<std::int64_t>(&agents, 1));
    next_id_ = static_cast<std::uint64_t>(agents);
  }
  schools_.count_students(population_, ranks_);
  employers_.assign_initial(scenario.parameters(), population_, rng_, ranks_);
}

ReplicateState::ReplicateState(const Scenario& scenario, const ReplicateSnapshot& snapshot, const RankGroup* ranks)
    : scenario_(&scenario), ranks_(split(ranks) ? ranks : nullptr), rng_(snapshot.seed, snapshot.replicate),
      month_(scenario.start()), training_(scenario.parameters()), evaluation_(scenario.parameters()),
      competitions_(scenario.parameters()), schools_(scenario.parameters()), studios_(scenario.parameters()),
      employers_(scenario.parameters()) {
  restore(snapshot);
}

ReplicateState::ReplicateState(const Scenario& scenario, ReplicateSnapshot&& snapshot, const RankGroup* ranks)
    : scenario_(&scenario), ranks_(split(ranks) ? ranks : nullptr), rng_(snapshot.seed, snapshot.replicate),
      month_(scenario.start()), training_(scenario.parameters()), evaluation_(scenario.parameters()),
      competitions_(scenario.parameters()), schools_(scenario.parameters()), studios_(scenario.parameters()),
      employers_(scenario.parameters()) {
  restore(std::move(snapshot));
}

void ReplicateState::step() {
  const Parameters p = scenario_->parameters_at(month_);
  TransitionRates month_rates(p, month_);
  training_.open_year(p, month_);                                      // the year's envelopes, if January
  employers_.begin_month(p, month_, month_rates, &training_.ledger()); // matching, free posts, 以工代训
  const TransitionRates& rates = month_rates;
  const ApplicationRules applications(p);
  const CompetitionRules competitions(p, rates, month_);
  PhaseTimer timer;

  // The order of the monthly step (docs/architecture.md). A new process is one line here.
  const Mentoring& mentoring = studios_.select(p, rates, month_, population_, rng_, ranks_);
  // The rules pass counts the stocks of the state it starts from (the last month's end) too.
  stocks_at_start_ = empty_stocks(p.population.regions.size(), p.programmes.names.size());
  const bool appointing = appointments_.open_month(p); // the pass lists whom they may choose from
  flows_ = apply_monthly_rules(rates, applications, competitions, appointing, month_, population_, rng_, candidates_,
                               stocks_at_start_, &mentoring);
  stocks_counted_ = true;
  for (std::int64_t e : flows_.exits) removed_ += e;
  timer.lap(times_.rules);
  training_.step(p, month_, population_, rng_, flows_, evaluation_.limited(), applications, candidates_, &employers_,
                 ranks_);
  timer.lap(times_.training);
  candidates_.add_queued(training_.newly_queued()); // completers join those already waiting
  evaluation_.step(p, month_, population_, rng_, flows_, training_, candidates_.queued, &mentoring, &employers_,
                   ranks_);
  timer.lap(times_.evaluation);
  appointments_.step(p, rates, month_, population_, rng_, flows_, candidates_.appointable, &employers_, ranks_);
  competitions_.step(p, competitions, month_, population_, rng_, flows_, candidates_.competitors, ranks_);
  // Entrants and school enrolees are spread over the ranks by id (holds_new); agent order is id
  // order on every rank, and the joins of the steps above order by id.
  entrants_.step(p, month_, population_, rng_, next_id_, flows_, ranks_);
  schools_.step(p, month_, population_, rng_, next_id_, flows_, candidates_.students, ranks_);
  employers_.step(p, month_, population_, rng_, ranks_);     // cells of the month's hires and leavers
  employers_.pay_work_based_training(p, training_.ledger()); // 以工代训, from the month's cells
  training_.close_month(); // the funds' money at the end of the month, every payment made
  // Dead agents are skipped until they are a sizeable share; compaction keeps the order, so
  // results do not depend on when it happens.
  // Split over ranks, the decision is taken from the counts of every rank, so that all compact
  // together (the ranks' blocks joined stay the one process's population, position for position).
  std::int64_t counts[2] = {removed_, static_cast<std::int64_t>(population_.size())};
  if (ranks_ != nullptr) ranks_->sum(counts);
  if (counts[0] * 32 > counts[1]) {
    population_.compact();
    removed_ = 0;
  }
  timer.lap(times_.other);
  month_ = month_ + 1;
}

void ReplicateState::declare_results(Results& r, const Parameters& p) {
  declare_stock_results(r);
  declare_flow_results(r);
  declare_region_flow_results(r, p);
  Appointments::declare_results(r, p);
  TrainingSystem::declare_results(r, p);
  EvaluationSystem::declare_results(r, p);
  Competitions::declare_results(r, p);
  Schools::declare_results(r, p);
  Employers::declare_results(r, p);
}

void ReplicateState::store_results(ResultsWriter& out, std::size_t rep, std::size_t t) const {
  const Parameters& p = scenario_->parameters();
  if (t > 0) {
    if (ranks_ == nullptr) {
      store_flows(out, rep, t, flows_);
    } else {
      MonthTally all = flows_;
      sum_over_ranks(*ranks_, all, p.population.regions.size());
      store_flows(out, rep, t, all);
    }
  }
  // The stocks at t - 1, counted by the month's rules pass as it read the state of t - 1: no
  // counting pass over the agents each month. Those at t come with the next month, or from
  // count_and_store_stocks.
  if (t > 0 && stocks_counted_) store_stock_tally(out, rep, t - 1, stocks_at_start_);
  // A process with results has store_results(out, replicate, t): one with another signature
  // fails to compile here rather than being skipped. Results that are stocks (counts of the
  // agents' state) are stored with the stocks (store_stocks), not by the processes.
  for_each_process(*this, [&](const auto& process, auto) {
    using Process = std::remove_cvref_t<decltype(process)>;
    if constexpr (requires { &Process::store_results; }) process.store_results(out, rep, t);
  });
  studios_.store_results(out, rep, t);
}

void ReplicateState::count_and_store_stocks(ResultsWriter& out, std::size_t rep, std::size_t t) const {
  const Parameters& p = scenario_->parameters();
  store_stock_tally(out, rep, t, count_stocks(population_, p.population.regions.size(), p.programmes.names.size()));
}

void ReplicateState::store_stock_tally(ResultsWriter& out, std::size_t rep, std::size_t t, StockTally stocks) const {
  if (ranks_ != nullptr) sum_over_ranks(*ranks_, stocks);
  store_stocks(out, rep, t, stocks);
}

ReplicateSnapshot ReplicateState::snapshot() const {
  ReplicateSnapshot s = snapshot_without_population();
  s.population = population_;
  return s;
}

ReplicateSnapshot ReplicateState::snapshot_without_population() const {
  ReplicateSnapshot s;
  s.seed = rng_.seed();
  s.replicate = rng_.replicate();
  s.month = month_;
  s.next_id = next_id_;
  for_each_process(*this, [&s](const auto& process, auto slot) { s.*slot = process.state(); });
  return s;
}

void ReplicateState::restore(const ReplicateSnapshot& s) {
  restore_all_but_population(s);
  population_ = s.population;
  schools_.count_students(population_, ranks_);
  count_employers();
}

void ReplicateState::restore(ReplicateSnapshot&& s) {
  restore_all_but_population(s);
  population_ = std::move(s.population);
  schools_.count_students(population_, ranks_);
  count_employers();
}

void ReplicateState::count_employers() {
  // The counts of the month last stepped (derived from the population), under its parameters.
  const Month last = month_ > scenario_->start() ? month_ + (-1) : month_;
  employers_.count(scenario_->parameters_at(last), month_, population_, ranks_);
}

void ReplicateState::restore_all_but_population(const ReplicateSnapshot& s) {
  const Month start = scenario_->start(), end = start + static_cast<int>(scenario_->parameters().scenario.months);
  if (s.month < start || s.month > end)
    throw Error("snapshot of " + iso_date(s.month) + " is outside the scenario's run (" + iso_date(start) + " to " +
                iso_date(end) + ")");
  // Every part is checked before anything changes, so a snapshot that does not fit loses nothing.
  // The optional columns are the scenario's (the code that reads them assumes so).
  if (const std::string why = column_mismatch(s.population.optional_columns(), agent_columns(scenario_->parameters()));
      !why.empty())
    throw Error(why);
  for_each_process(*this, [&s](auto& process, auto slot) {
    if constexpr (requires { process.check_fits(s.*slot); }) process.check_fits(s.*slot);
  });
  for_each_process(*this, [&s](auto& process, auto slot) { process.restore(s.*slot); });
  rng_ = RandomStreams(s.seed, s.replicate);
  month_ = s.month;
  next_id_ = s.next_id;
  removed_ =
      std::count(s.population.status.begin(), s.population.status.end(), static_cast<std::uint8_t>(Status::Removed));
  flows_ = MonthTally{};
  stocks_counted_ = false;
  studios_.clear();
}

StepTimes ReplicateState::step_times() const {
  StepTimes t = times_;
  t.allocation = training_.allocation_seconds() + evaluation_.allocation_seconds();
  return t;
}

} // namespace skillsim
