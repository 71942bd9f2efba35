// 以工代训 paid to employers (docs/levers.md, "Employers, posts and pay"): the retention effect
// against a run without the subsidy on common random numbers (the same seed), the money paid
// counted by hand from the agents, the envelope running out (pro rata, then suspended until the
// next grant), the schedule opening and closing it, off = bit for bit, 1 vs 2 threads, snapshots,
// and every validation message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/employers.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/io/scenario_toml.hpp"

using namespace skillsim;
using test::dump;
using test::has_issue;
using test::operator+;

namespace {

constexpr auto kEmployed = static_cast<std::uint8_t>(Status::Employed);
constexpr auto kUnemployed = static_cast<std::uint8_t>(Status::Unemployed);

// Two size classes (large, small) in two regions, one fund, job loss and finding on and every
// other process off; `changes` replace or add keys (full dotted keys).
Scenario subsidy_scenario(std::map<std::string, std::string> changes, int months = 6, double persons = 100000,
                          int scale = 1) {
  std::map<std::string, std::string> settings = {
      {"population.regions", R"(["north", "south"])"},
      {"population.region_shares", "[0.4, 0.6]"},
      {"employers.size_classes", R"(["large", "small"])"},
      {"employers.labels", R"(["大型企业", "中小企业"])"},
      {"employers.size_shares", "[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]"},
      {"funds.names", R"(["upgrading_account"])"},
      {"funds.labels", R"(["职业技能提升行动专账"])"},
      {"funds.annual_envelope", "[1e12]"},
      {"funds.carry_over", "[1]"},
      {"labour.job_loss_rate", "0.04"},
      {"labour.job_find_rate", "0.2"},
      {"work_based_training.fund", R"("upgrading_account")"},
      {"work_based_training.retention_subsidy_per_month", "500"},
      {"work_based_training.hire_subsidy", "1000"},
      {"work_based_training.eligible", "[[0, 0, 0], [1, 1, 1]]"}, // small enterprises only
      {"work_based_training.job_loss_factor", "0.5"}};
  for (auto& [k, v] : changes) settings[k] = v;
  std::vector<std::string> overrides = test::everything_off();
  for (auto& [k, v] : settings) overrides.push_back(k + "=" + v);
  return test::small_scenario(overrides, persons, scale, months);
}

bool small_cell(std::uint8_t cell) { return cell != kNoEmployer && cell % 2 == 1; } // cell = sector x 2 + size

// The month's claims in the tally are the workers counted by hand, kept and hired, in every
// region x cell summed, and the money is 500 a worker kept and 1000 a hire, x the scale.
void expect_claims(const Employers::Tally& t, std::int64_t kept, std::int64_t hired, std::int64_t scale, int month) {
  std::int64_t kept_tally = 0, hired_tally = 0;
  for (std::int64_t v : t.subsidy_retained) kept_tally += v;
  for (std::int64_t v : t.subsidy_hired) hired_tally += v;
  EXPECT_EQ(kept_tally, kept) << "month " << month;
  EXPECT_EQ(hired_tally, hired) << "month " << month;
  EXPECT_EQ(t.subsidy_paid, (500 * kept + 1000 * hired) * scale) << "month " << month;
}

} // namespace

// Common random numbers: the same seed with and without the subsidy. In the first month both
// runs start from the same agents and draw the same uniforms, so a worker of an eligible cell
// loses the job with the subsidy only if it loses it without (u < p f implies u < p), and given
// the X losses without, the losses with are Binomial(X, f): their ratio is f within 4 standard
// errors. Outside the eligible cells nothing changes. Over the run, fewer job losses in all.
TEST(WorkBasedTraining, RetentionEffectAgainstNoSubsidyWithCommonRandomNumbers) {
  const double f = 0.5;
  const Scenario with = subsidy_scenario({});
  const Scenario without = subsidy_scenario(
      {{"work_based_training.retention_subsidy_per_month", "0"}, {"work_based_training.hire_subsidy", "0"}});
  ReplicateState a(with, 11, 0), b(without, 11, 0);
  ASSERT_EQ(a.population().employer, b.population().employer);
  const ColumnVector<std::uint8_t> cells = a.population().employer, status = a.population().status;
  a.step();
  b.step();
  std::int64_t lost_with = 0, lost_without = 0, only_with = 0, other_with = 0, other_without = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (status[i] != kEmployed) continue;
    const bool la = a.population().status[i] == kUnemployed, lb = b.population().status[i] == kUnemployed;
    if (small_cell(cells[i])) {
      lost_with += la;
      lost_without += lb;
      only_with += la && !lb;
    } else {
      other_with += la;
      other_without += lb;
    }
  }
  ASSERT_GT(lost_without, 500);
  EXPECT_EQ(only_with, 0);
  EXPECT_EQ(other_with, other_without);
  const double x = static_cast<double>(lost_without);
  EXPECT_LT(std::abs(static_cast<double>(lost_with) - f * x), 4 * std::sqrt(x * f * (1 - f)))
      << lost_with << " of " << lost_without << ", expected about " << f * x;
  // Over six months (the paths part after the first): fewer job losses with the subsidy.
  std::int64_t total_with = a.last_flows().job_losses, total_without = b.last_flows().job_losses;
  for (int m = 1; m < 6; ++m) {
    a.step();
    b.step();
    total_with += a.last_flows().job_losses;
    total_without += b.last_flows().job_losses;
  }
  EXPECT_LT(total_with, total_without);
}

// The money, by hand from the agents: each month the fund pays 500 yuan for every person in an
// eligible (small) cell at the start and the end of the month, and 1,000 for every person hired
// into one; the results and the ledger agree, to the yuan, at a population scale above 1.
TEST(WorkBasedTraining, MoneyPaidIsTheSubsidyTimesTheSubsidisedWorkerMonths) {
  const int scale = 5;
  const Scenario s = subsidy_scenario({}, 6, 100000, scale);
  ReplicateState state(s, 3, 0);
  std::int64_t total = 0;
  for (int m = 0; m < 6; ++m) {
    const ColumnVector<std::uint8_t> before = state.population().employer;
    state.step();
    const Population& pop = state.population();
    std::int64_t kept = 0, hired = 0;
    for (std::size_t i = 0; i < pop.size(); ++i) {
      if (pop.status[i] != kEmployed || !small_cell(pop.employer[i])) continue;
      if (i < before.size() && before[i] == pop.employer[i])
        ++kept;
      else
        ++hired; // a cell it did not have at the start: hired this month (or an entrant)
    }
    const auto& t = state.employers().tally();
    expect_claims(t, kept, hired, scale, m);
    EXPECT_GT(hired, 0) << m;
    EXPECT_EQ(t.subsidy_unpaid, 0);
    total += t.subsidy_paid;
  }
  EXPECT_EQ(state.training().ledger().fund(0).paid, total);
  EXPECT_TRUE(state.training().ledger().balanced());

  // The results: paid = 500 x retained + 1,000 x hired (persons), summed over the cells.
  const Results r = run_scenario(s, RunOptions{});
  std::int64_t persons_kept = 0, persons_hired = 0, paid = 0;
  const std::size_t cells = 2 * kSectorCount * 2;
  for (std::size_t t = 1; t <= 6; ++t) {
    for (std::size_t k = 0; k < cells; ++k) {
      persons_kept += test::at(r, "work_based_training_retained", 0, t, k);
      persons_hired += test::at(r, "work_based_training_hired", 0, t, k);
      if (k % 2 == 0) {
        EXPECT_EQ(test::at(r, "work_based_training_retained", 0, t, k), 0) << "large cell " << k;
      }
    }
    paid += test::at(r, "work_based_training_paid", 0, t, 0);
    EXPECT_EQ(test::at(r, "work_based_training_unpaid", 0, t, 0), 0);
    EXPECT_EQ(test::at(r, "work_based_training_suspended", 0, t), 0);
  }
  EXPECT_GT(persons_kept, 0);
  EXPECT_EQ(paid, 500 * persons_kept + 1000 * persons_hired);
}

// The envelope runs out: the month it does, the claims are paid pro rata (the fund pays what it
// has left, the rest is recorded unpaid); then the subsidy is suspended (nothing claimed, no
// retention effect) until January's grant pays again.
TEST(WorkBasedTraining, AnEnvelopeThatRunsOutPaysProRataThenSuspendsUntilTheNextGrant) {
  // An envelope of 2.5 times the first month's claims lasts two months and part of a third.
  std::int64_t first = 0;
  {
    const Scenario one_month = subsidy_scenario({}, 1);
    ReplicateState ample(one_month, 5, 0);
    ample.step();
    first = ample.employers().tally().subsidy_paid;
  }
  ASSERT_GT(first, 0);
  const std::int64_t envelope = first * 5 / 2;
  const Scenario s = subsidy_scenario(
      {{"funds.annual_envelope", "[" + std::to_string(envelope) + "]"}, {"funds.carry_over", "[0]"}}, 14);
  ReplicateState state(s, 5, 0);
  std::int64_t paid = 0;
  int pro_rata = -1, suspended = 0;
  for (int m = 0; m < 14; ++m) {
    state.step();
    const auto& t = state.employers().tally();
    const auto& fund = state.training().ledger().fund(0);
    EXPECT_TRUE(state.training().ledger().balanced());
    if (m < 12) paid += t.subsidy_paid;
    if (t.subsidy_unpaid > 0) {
      EXPECT_EQ(pro_rata, -1) << "short twice";
      pro_rata = m;
      EXPECT_EQ(fund.remaining, 0);
    }
    if (t.subsidy_suspended) {
      ++suspended;
      EXPECT_EQ(t.subsidy_paid, 0);
      std::int64_t kept = 0;
      for (std::int64_t v : t.subsidy_retained) kept += v;
      EXPECT_EQ(kept, 0);
      EXPECT_GT(pro_rata, -1) << "suspended before running out, month " << m;
    }
    if (m == 12) { // January 2017: a new envelope
      EXPECT_FALSE(t.subsidy_suspended);
      EXPECT_GT(t.subsidy_paid, 0);
    }
  }
  EXPECT_EQ(pro_rata, 2);
  EXPECT_EQ(suspended, 9); // April to December
  EXPECT_EQ(paid, envelope);
}

// A schedule opens the subsidy in March and closes it in June: money and the retention effect in
// those months only, and the results before March are those of no subsidy, bit for bit.
TEST(WorkBasedTraining, TheScheduleOpensAndClosesIt) {
  const Scenario base = subsidy_scenario(
      {{"work_based_training.retention_subsidy_per_month", "0"}, {"work_based_training.hire_subsidy", "0"}});
  const Parameters p = base.parameters();
  const Scenario s = Scenario::make(p,
                                    {{Month::of(2016, 3), "work_based_training.retention_subsidy_per_month", 500.0},
                                     {Month::of(2016, 6), "work_based_training.retention_subsidy_per_month", 0.0}},
                                    {});
  const Results r = run_scenario(s, RunOptions{});
  const Results off = run_scenario(base, RunOptions{});
  for (std::size_t t = 1; t <= 6; ++t) {
    const bool open = t >= 3 && t <= 5; // months March, April, May end at t = 3, 4, 5
    EXPECT_EQ(test::at(r, "work_based_training_paid", 0, t, 0) > 0, open) << t;
    EXPECT_EQ(test::at(r, "work_based_training_hired", 0, t, 1), 0) << t; // no hire subsidy
    if (t <= 2) {
      EXPECT_EQ(test::at(r, "job_losses", 0, t), test::at(off, "job_losses", 0, t)) << t;
    }
  }
  EXPECT_LT(test::at(r, "job_losses", 0, 3), test::at(off, "job_losses", 0, 3));
}

// Without a fund named (the default) nothing is declared, and a named fund with the subsidies at
// 0 (never in force) gives the results of no section at all, bit for bit, with the new variables
// added.
TEST(WorkBasedTraining, OffGivesTheResultsOfBeforeBitForBit) {
  const Scenario none = subsidy_scenario({{"work_based_training.fund", R"("")"},
                                          {"work_based_training.retention_subsidy_per_month", "0"},
                                          {"work_based_training.hire_subsidy", "0"}});
  const Scenario zero = subsidy_scenario(
      {{"work_based_training.retention_subsidy_per_month", "0"}, {"work_based_training.hire_subsidy", "0"}});
  const Results a = run_scenario(none, RunOptions{});
  const Results b = run_scenario(zero, RunOptions{});
  EXPECT_FALSE(a.has_variable("work_based_training_paid"));
  EXPECT_TRUE(b.has_variable("work_based_training_paid"));
  test::expect_same_results(b, a, false);
  // A factor of 1 (no retention effect) changes nothing but the money either.
  const Results c = run_scenario(subsidy_scenario({{"work_based_training.job_loss_factor", "1"}}), RunOptions{});
  for (const char* name : {"workers", "job_losses", "job_finds", "employer_employed"})
    EXPECT_EQ(c.variable(name).data, a.variable(name).data) << name;
}

TEST(WorkBasedTraining, IdenticalForOneAndTwoThreads) {
  const Results r = test::expect_same_for_one_and_two_threads(
      subsidy_scenario({{"funds.annual_envelope", "[60000000]"}, {"labour.job_loss_region_factor", "[1.5, 1]"}}, 8,
                       60000),
      2);
  std::int64_t paid = 0;
  for (std::size_t t = 1; t <= 8; ++t) paid += test::at(r, "work_based_training_paid", 0, t, 0);
  EXPECT_EQ(paid, 60000000); // it ran out
}

TEST(WorkBasedTraining, ASnapshotContinuesTheRunBitForBit) {
  const Scenario s = subsidy_scenario({{"funds.annual_envelope", "[60000000]"}}, 8, 40000);
  test::expect_continues_from_snapshot(s, 3, 5);
}

// A cap of months per worker (work_based_training.max_months_per_worker), in closed form: nobody
// moves (no job loss or finding, no deaths or entrants), so the K agents employed in the small
// cells are kept every month and claimed for in exactly the first 3 of 6 months: 500 yuan x 5
// persons x K in each of them, nothing after, and each of their counters ends at 3.
TEST(WorkBasedTraining, ACapOfMonthsClaimsEachWorkerExactlyThatManyMonths) {
  const int scale = 5;
  const Scenario s = subsidy_scenario({{"labour.job_loss_rate", "0"},
                                       {"labour.job_find_rate", "0"},
                                       {"work_based_training.hire_subsidy", "0"},
                                       {"work_based_training.max_months_per_worker", "3"}},
                                      6, 100000, scale);
  ReplicateState state(s, 3, 0);
  ASSERT_TRUE(state.population().has(Column::subsidised_months));
  std::int64_t k = 0;
  for (std::size_t i = 0; i < state.population().size(); ++i)
    k += state.population().status[i] == kEmployed && small_cell(state.population().employer[i]);
  ASSERT_GT(k, 5000);
  std::int64_t total = 0;
  for (int m = 0; m < 6; ++m) {
    state.step();
    const auto& t = state.employers().tally();
    EXPECT_EQ(t.subsidy_paid, m < 3 ? 500 * scale * k : 0) << m;
    EXPECT_FALSE(t.subsidy_suspended) << m; // paid, but nobody left to claim for
    total += t.subsidy_paid;
  }
  EXPECT_EQ(total, 3 * 500 * scale * k);
  EXPECT_EQ(state.training().ledger().fund(0).paid, total);
  const Population& pop = state.population();
  for (std::size_t i = 0; i < pop.size(); ++i) {
    const bool claimed = pop.status[i] == kEmployed && small_cell(pop.employer[i]);
    ASSERT_EQ(pop.subsidised_months[i], claimed ? 3 : 0) << i;
  }
  // The results say the same: persons retained in the first three months only.
  RunOptions same_seed;
  same_seed.seed = 3;
  const Results r = run_scenario(s, same_seed);
  std::int64_t retained[7] = {};
  for (std::size_t t = 1; t <= 6; ++t)
    for (std::size_t c = 0; c < 2 * kSectorCount * 2; ++c)
      retained[t] += test::at(r, "work_based_training_retained", 0, t, c);
  EXPECT_EQ(retained[1], k * scale);
  EXPECT_EQ(retained[3], k * scale);
  EXPECT_EQ(retained[4], 0);
  EXPECT_EQ(test::at(r, "work_based_training_paid", 0, 4, 0), 0);
}

// The counter by hand from the agents, with people moving: each month a worker employed at the end
// in an eligible (small) cell is claimed for (hired into the cell this month: 1,000 yuan; kept:
// 500) while its months claimed are below the cap (2), and the month counts, whichever cell it
// is in (the count follows the worker). The money is the claims x scale, to the yuan.
TEST(WorkBasedTraining, TheCounterFollowsTheWorkerAndCountsHiresAndKeptMonths) {
  const int scale = 5, cap = 2;
  const Scenario s = subsidy_scenario({{"work_based_training.max_months_per_worker", std::to_string(cap)},
                                       {"labour.job_loss_rate", "0.1"},
                                       {"labour.job_find_rate", "0.3"}},
                                      8, 60000, scale);
  ReplicateState state(s, 7, 0);
  std::int64_t hired_at_cap = 0, kept_at_cap = 0, hired_claims = 0, moved = 0;
  for (int m = 0; m < 8; ++m) {
    const ColumnVector<std::uint8_t> cells = state.population().employer, months = state.population().subsidised_months;
    state.step();
    const Population& pop = state.population();
    ASSERT_EQ(pop.subsidised_months.size(), pop.size());
    std::int64_t kept = 0, hired = 0;
    for (std::size_t i = 0; i < pop.size(); ++i) {
      const std::uint8_t before = i < months.size() ? months[i] : 0;
      const bool is_new = i >= cells.size() || cells[i] != pop.employer[i];
      const bool eligible = pop.status[i] == kEmployed && small_cell(pop.employer[i]);
      const bool claimed = eligible && before < cap;
      ASSERT_EQ(pop.subsidised_months[i], before + (claimed ? 1 : 0)) << "month " << m << ", agent " << i;
      if (claimed) ++(is_new ? hired : kept);
      if (eligible && !claimed) ++(is_new ? hired_at_cap : kept_at_cap);
      if (claimed && is_new && before > 0) ++moved; // claimed before, in a cell it has left since
    }
    hired_claims += hired;
    expect_claims(state.employers().tally(), kept, hired, scale, m);
  }
  EXPECT_GT(hired_claims, 0);
  EXPECT_GT(kept_at_cap, 0) << "some reached the cap and were kept unclaimed";
  EXPECT_GT(hired_at_cap, 0) << "some at the cap were hired again, unclaimed";
  EXPECT_GT(moved, 0) << "a count carried from one job to the next";
}

// At the cap the retention effect ends too: with a factor of 0 nobody kept in a small cell loses
// the job while claimed for (the first 2 months of a cap of 2), and from the third month they
// lose it at the hazard of the other cells.
TEST(WorkBasedTraining, AtTheCapTheRetentionEffectEnds) {
  const Scenario s = subsidy_scenario({{"work_based_training.max_months_per_worker", "2"},
                                       {"work_based_training.job_loss_factor", "0"},
                                       {"labour.job_find_rate", "0"}},
                                      4);
  ReplicateState state(s, 9, 0);
  for (int m = 0; m < 4; ++m) {
    const Population before = state.population();
    const TransitionRates rates(s.parameters_at(state.current_month()), state.current_month());
    state.step();
    std::int64_t lost_small_claimed = 0, lost_small_at_cap = 0, small_at_cap = 0;
    double expected = 0, variance = 0; // at the cap: each worker's own hazard, without the subsidy
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (before.status[i] != kEmployed || !small_cell(before.employer[i])) continue;
      const bool lost = state.population().status[i] == kUnemployed;
      if (before.subsidised_months[i] < 2) {
        lost_small_claimed += lost;
      } else {
        ++small_at_cap;
        lost_small_at_cap += lost;
        const double p = rates.job_loss[before.level[i]][before.group[i]][before.sector[i]];
        expected += p;
        variance += p * (1 - p);
      }
    }
    EXPECT_EQ(lost_small_claimed, 0) << m;
    if (m >= 2) {
      ASSERT_GT(small_at_cap, 10000) << m;
      ASSERT_GT(expected, 100) << m;
      EXPECT_LT(std::abs(static_cast<double>(lost_small_at_cap) - expected), 4 * std::sqrt(variance))
          << m << ": " << lost_small_at_cap << " lost, expected about " << expected;
    } else {
      EXPECT_EQ(small_at_cap, 0) << m;
    }
  }
}

// No cap (0, the default) and a cap the run never reaches give the results of before, bit for bit:
// the claims counted worker by worker are those counted by cell.
TEST(WorkBasedTraining, ACapNeverReachedGivesTheResultsOfNoCap) {
  const Results none = run_scenario(subsidy_scenario({}, 6, 40000), RunOptions{});
  const Results zero =
      run_scenario(subsidy_scenario({{"work_based_training.max_months_per_worker", "0"}}, 6, 40000), RunOptions{});
  const Results high =
      run_scenario(subsidy_scenario({{"work_based_training.max_months_per_worker", "6"}}, 6, 40000), RunOptions{});
  test::expect_same_results(zero, none);
  test::expect_same_results(high, none);
  const Results low =
      run_scenario(subsidy_scenario({{"work_based_training.max_months_per_worker", "5"}}, 6, 40000), RunOptions{});
  EXPECT_LT(test::at(low, "work_based_training_paid", 0, 6, 0), test::at(none, "work_based_training_paid", 0, 6, 0));
}

TEST(WorkBasedTraining, WithACapIdenticalForOneAndTwoThreads) {
  const Results r =
      test::expect_same_for_one_and_two_threads(subsidy_scenario({{"work_based_training.max_months_per_worker", "2"},
                                                                  {"labour.job_loss_region_factor", "[1.5, 1]"}},
                                                                 8, 60000),
                                                2);
  EXPECT_GT(test::at(r, "work_based_training_paid", 0, 1, 0), 0);
}

TEST(WorkBasedTraining, WithACapASnapshotContinuesTheRunBitForBit) {
  // Saved after month 2 with counters at 2 (the cap of 3 not yet reached), continued 4 months.
  const Scenario s = subsidy_scenario({{"work_based_training.max_months_per_worker", "3"}}, 8, 40000);
  const ReplicateSnapshot saved = test::expect_continues_from_snapshot(s, 2, 4);
  ASSERT_EQ(saved.population.subsidised_months.size(), saved.population.size());
  EXPECT_NE(std::count(saved.population.subsidised_months.begin(), saved.population.subsidised_months.end(), 2), 0);
}

TEST(WorkBasedTraining, EveryValidationMessage) {
  const auto issues_of = [](std::map<std::string, std::string> changes) {
    Parameters p = subsidy_scenario({}).parameters();
    auto& w = p.work_based_training;
    for (auto& [key, value] : changes) {
      if (key == "fund") w.fund = value;
      if (key == "no_employers") {
        p.employers.size_classes.clear();
        p.employers.labels.clear();
        p.employers.size_shares = {};
        w.eligible = {};
      }
      if (key == "retention") w.retention_subsidy_per_month = std::stod(value);
      if (key == "hire") w.hire_subsidy = std::stod(value);
      if (key == "factor") w.job_loss_factor = std::stod(value);
      if (key == "eligible") w.eligible.values.pop_back();
      if (key == "cap") w.max_months_per_worker = std::stoll(value);
    }
    return check(p);
  };
  EXPECT_TRUE(issues_of({}).empty()) << dump(issues_of({}));
  auto issues = issues_of({{"fund", "upgrading"}});
  EXPECT_TRUE(
      has_issue(issues, "work_based_training.fund", "no fund named 'upgrading' in funds.names (upgrading_account)"))
      << dump(issues);
  issues = issues_of({{"fund", ""}});
  EXPECT_TRUE(has_issue(issues, "work_based_training.retention_subsidy_per_month",
                        "a subsidy needs work_based_training.fund, the fund that pays it"))
      << dump(issues);
  EXPECT_TRUE(has_issue(issues, "work_based_training.hire_subsidy",
                        "a subsidy needs work_based_training.fund, the fund that pays it"))
      << dump(issues);
  issues = issues_of({{"no_employers", ""}});
  EXPECT_TRUE(has_issue(issues, "work_based_training.retention_subsidy_per_month",
                        "a subsidy is paid to employer cells: needs employers.size_classes"))
      << dump(issues);
  EXPECT_TRUE(has_issue(issues, "work_based_training.job_loss_factor",
                        "acts on workers in eligible employer cells: needs employers.size_classes"))
      << dump(issues);
  issues = issues_of({{"retention", "-1"}});
  EXPECT_TRUE(has_issue(issues, "work_based_training.retention_subsidy_per_month", "must be in [0,")) << dump(issues);
  issues = issues_of({{"hire", "-5"}});
  EXPECT_TRUE(has_issue(issues, "work_based_training.hire_subsidy", "must be in [0,")) << dump(issues);
  issues = issues_of({{"factor", "1.5"}});
  EXPECT_TRUE(has_issue(issues, "work_based_training.job_loss_factor", "must be in [0, 1], got 1.5")) << dump(issues);
  issues = issues_of({{"eligible", ""}});
  EXPECT_TRUE(has_issue(issues, "work_based_training.eligible", "expected 2 rows")) << dump(issues);
  EXPECT_TRUE(issues_of({{"cap", "6"}}).empty());
  issues = issues_of({{"cap", "256"}});
  EXPECT_TRUE(has_issue(issues, "work_based_training.max_months_per_worker", "must be in [0, 255], got 256"))
      << dump(issues);
  issues = issues_of({{"cap", "-1"}});
  EXPECT_TRUE(has_issue(issues, "work_based_training.max_months_per_worker", "must be in [0, 255]")) << dump(issues);
  issues = issues_of({{"cap", "6"}, {"fund", ""}});
  EXPECT_TRUE(has_issue(issues, "work_based_training.max_months_per_worker",
                        "caps the months 以工代训 is claimed for a worker: needs work_based_training.fund"))
      << dump(issues);
  issues = issues_of({{"cap", "6"}, {"no_employers", ""}});
  EXPECT_TRUE(has_issue(issues, "work_based_training.max_months_per_worker",
                        "counts the months employer cells claim for a worker: needs employers.size_classes"))
      << dump(issues);
  // Fixed for the run (its column is allocated at the start): a schedule may not set it.
  try {
    (void)Scenario::make(subsidy_scenario({}).parameters(),
                         {{Month::of(2016, 3), "work_based_training.max_months_per_worker", 6.0}}, {});
    ADD_FAILURE() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("work_based_training.max_months_per_worker"), std::string::npos) << e.what();
  }
  // A schedule that opens a subsidy without a fund is refused under the scheduled key.
  Parameters p = subsidy_scenario({{"work_based_training.fund", R"("")"},
                                   {"work_based_training.retention_subsidy_per_month", "0"},
                                   {"work_based_training.hire_subsidy", "0"}})
                     .parameters();
  try {
    (void)Scenario::make(p, {{Month::of(2016, 3), "work_based_training.hire_subsidy", 800.0}}, {});
    ADD_FAILURE() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("schedule[0].set.work_based_training.hire_subsidy"), std::string::npos)
        << e.what();
  }
}
