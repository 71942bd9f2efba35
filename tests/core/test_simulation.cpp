// The monthly step: conservation laws, determinism across thread counts, closed-form checks of
// single hazards, and the waiting-time, retirement and quota rules.
#include <gtest/gtest.h>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/promotion.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/core/simulation.hpp"

using namespace skillsim;
using test::everything_off;
using test::repeat;
using test::operator+;

namespace {

std::int64_t at(const Results& r, const std::string& name, std::size_t rep, std::size_t t, std::size_t k = 0) {
  const Variable& v = r.variable(name);
  const std::size_t per_time = v.data.size() / (r.dimension("replicate").size() * r.dimension("time").size());
  return v.data[(rep * r.dimension("time").size() + t) * per_time + k];
}

std::int64_t workers_at_level(const Results& r, std::size_t rep, std::size_t t, int level) {
  std::int64_t sum = 0;
  for (int s = 0; s < kStatusCount; ++s)
    sum += at(r, "workers", rep, t, static_cast<std::size_t>(level * kStatusCount + s));
  return sum;
}

// |observed - expected| within 4 standard errors of a binomial count.
void expect_binomial(double observed, double n, double p, const std::string& what) {
  const double se = std::sqrt(n * p * (1 - p));
  EXPECT_LE(std::abs(observed - n * p), 4 * se + 1e-9)
      << what << ": observed " << observed << ", expected " << n * p << " +- " << se;
}

} // namespace

TEST(Simulation, EveryPersonIsCountedOnceAndStocksBalanceFlows) {
  // The default dynamics, all processes on, over two years with a scale factor.
  const Scenario s = test::small_scenario({}, 300000, 10, 24);
  RunOptions o;
  o.replicates = 2;
  o.seed = 11;
  const Results r = run_scenario(s, o);
  for (std::size_t rep = 0; rep < 2; ++rep) {
    for (std::size_t t = 1; t <= 24; ++t) {
      std::int64_t before = 0, after = 0;
      for (int l = 0; l < kLevelCount; ++l) {
        const std::int64_t in_flow = at(r, "entries_by_level", rep, t, l) + at(r, "promotions", rep, t, l);
        const std::int64_t out_flow = at(r, "exits_by_level", rep, t, l) + at(r, "promotions_out", rep, t, l);
        // Without programmes every move is one level up: out of l is into l+1.
        if (l + 1 < kLevelCount) {
          EXPECT_EQ(at(r, "promotions_out", rep, t, l), at(r, "promotions", rep, t, l + 1));
        }
        EXPECT_EQ(workers_at_level(r, rep, t, l), workers_at_level(r, rep, t - 1, l) + in_flow - out_flow)
            << "level " << l << " month " << t;
        before += workers_at_level(r, rep, t - 1, l);
        after += workers_at_level(r, rep, t, l);
      }
      EXPECT_EQ(after, before + at(r, "entries", rep, t) - at(r, "exits", rep, t)) << "month " << t;
      // The by-group and by-region tables count the same people.
      std::int64_t by_group = 0, by_region = 0;
      for (std::size_t k = 0; k < kGroupCount * kLevelCount; ++k) by_group += at(r, "workers_by_group", rep, t, k);
      for (std::size_t k = 0; k < kLevelCount; ++k) by_region += at(r, "workers_by_region", rep, t, k);
      EXPECT_EQ(by_group, after);
      EXPECT_EQ(by_region, after);
    }
    // Every flow happened: this is not a frozen population.
    std::int64_t promotions = 0, entries = 0, exits = 0, retirements = 0, finds = 0, losses = 0;
    for (std::size_t t = 1; t <= 24; ++t) {
      for (int l = 0; l < kLevelCount; ++l) promotions += at(r, "promotions", rep, t, l);
      entries += at(r, "entries", rep, t);
      exits += at(r, "exits", rep, t);
      retirements += at(r, "retirements", rep, t);
      finds += at(r, "job_finds", rep, t);
      losses += at(r, "job_losses", rep, t);
    }
    EXPECT_GT(promotions, 0);
    EXPECT_GT(entries, 0);
    EXPECT_GT(exits, 0);
    EXPECT_GT(retirements, 0);
    EXPECT_GT(finds, 0);
    EXPECT_GT(losses, 0);
  }
}

TEST(Simulation, AgentsAreEachInExactlyOneValidState) {
  const Scenario s = test::small_scenario({}, 40000, 1, 36);
  ReplicateState state(s, 5, 0);
  for (int m = 0; m < 36; ++m) {
    state.step();
    const Population& pop = state.population();
    std::int64_t live = 0;
    for (std::size_t i = 0; i < pop.size(); ++i) {
      if (pop.status[i] == static_cast<std::uint8_t>(Status::Removed)) continue;
      ASSERT_LT(pop.status[i], kStatusCount);
      ASSERT_LT(pop.level[i], kLevelCount);
      ASSERT_LT(pop.group[i], kGroupCount);
      ++live;
      if (i > 0) {
        ASSERT_LT(pop.id[i - 1], pop.id[i]) << "ids stay unique and ordered";
      }
    }
    EXPECT_EQ(count_stocks(pop, 1, 0).total(), live);
  }
}

TEST(Simulation, ResultsAreBitIdenticalForOneAndTwoThreads) {
  test::expect_same_for_one_and_two_threads(test::small_scenario({}, 200000, 1, 12), 2, 99);
}

TEST(Simulation, SeedContract) {
  // Same seed, same results; another seed, other results; back to the first, the first again.
  const Scenario s = test::small_scenario({}, 30000, 1, 6);
  RunOptions o;
  o.seed = 1;
  const Results first = run_scenario(s, o);
  o.seed = 2;
  const Results other = run_scenario(s, o);
  o.seed = 1;
  const Results again = run_scenario(s, o);
  EXPECT_EQ(first.variable("workers").data, again.variable("workers").data);
  EXPECT_NE(first.variable("workers").data, other.variable("workers").data);
  // Replicates of one run differ from each other.
  o.replicates = 2;
  const Results two = run_scenario(s, o);
  const auto& w = two.variable("promotions").data;
  const std::size_t half = w.size() / 2;
  EXPECT_FALSE(std::equal(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(half),
                          w.begin() + static_cast<std::ptrdiff_t>(half)));
}

TEST(Simulation, ConstantJobLossHazardIsGeometric) {
  // Everybody employed, one constant hazard: employed(m) ~ Binomial(N, (1-p)^m), and each
  // month's losses ~ Binomial(employed(m-1), p).
  constexpr double p = 0.03;
  const Scenario s =
      test::small_scenario(everything_off() + std::vector<std::string>{"population.status_shares=[0, 1, 0, 0, 0, 0]",
                                                                       "labour.job_loss_rate=" + std::to_string(p)},
                           100000, 1, 24);
  RunOptions o;
  o.seed = 3;
  const Results r = run_scenario(s, o);
  const double n = 100000;
  const auto employed = [&](std::size_t t) {
    std::int64_t e = 0;
    for (int l = 0; l < kLevelCount; ++l) e += at(r, "workers", 0, t, static_cast<std::size_t>(l * kStatusCount + 1));
    return static_cast<double>(e);
  };
  for (std::size_t t : {1u, 6u, 12u, 24u})
    expect_binomial(employed(t), n, std::pow(1 - p, static_cast<double>(t)), "employed at month " + std::to_string(t));
  for (std::size_t t = 1; t <= 24; ++t) {
    expect_binomial(static_cast<double>(at(r, "job_losses", 0, t)), employed(t - 1), p,
                    "losses month " + std::to_string(t));
    EXPECT_EQ(employed(t), employed(t - 1) - static_cast<double>(at(r, "job_losses", 0, t)));
  }
}

TEST(Simulation, ConstantMortalityMatchesTheAnnualProbability) {
  constexpr double q = 0.05;
  const Scenario s = test::small_scenario(
      everything_off() + std::vector<std::string>{"demography.mortality_annual=" + repeat(q, kMortalityBandCount)},
      200000, 1, 12);
  const Results r = run_scenario(s, RunOptions{});
  std::int64_t deaths = 0;
  for (std::size_t t = 1; t <= 12; ++t) deaths += at(r, "exits", 0, t);
  expect_binomial(static_cast<double>(deaths), 200000, q, "deaths in a year");
}

// The dead are compacted away once they pass 1/32 of the agents, on every thread (Population::
// compact, OrderedCompaction): with a fifth dying a year that is every two months or so, and the
// agents left are the same, in the same order, on 1, 2 and 3 threads, month by month.
TEST(Simulation, TheDeadAreCompactedInOrderForAnyThreadCount) {
  const Scenario s =
      test::small_scenario({"demography.mortality_annual=" + repeat(0.2, kMortalityBandCount)}, 60000, 1, 12);
  const int threads_before = omp_get_max_threads();
  std::vector<std::unique_ptr<ReplicateState>> states;
  for (const int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
    states.push_back(std::make_unique<ReplicateState>(s, 11, 0));
  }
  int compactions = 0;
  for (int m = 0; m < 12; ++m) {
    const std::size_t before = states[0]->population().size();
    for (std::size_t k = 0; k < states.size(); ++k) {
      omp_set_num_threads(static_cast<int>(k) + 1);
      states[k]->step();
    }
    const Population& pop = states[0]->population();
    if (pop.size() < before) {
      ++compactions;
      EXPECT_EQ(std::count(pop.status.begin(), pop.status.end(), static_cast<std::uint8_t>(Status::Removed)), 0)
          << "month " << m << ": compaction leaves nobody dead";
    }
    for (std::size_t i = 1; i < pop.size(); ++i) ASSERT_LT(pop.id[i - 1], pop.id[i]) << "the order is kept";
    for (std::size_t k = 1; k < states.size(); ++k)
      ASSERT_TRUE(states[k]->population() == pop) << "month " << m << ", " << k + 1 << " threads";
  }
  omp_set_num_threads(threads_before);
  EXPECT_GE(compactions, 3) << "the dead were compacted during the run";
}

TEST(Simulation, AssessmentPassesAreBinomialAndRespectTheWait) {
  // Only intermediate -> senior assessments: rate r, pass p. Each eligible worker is promoted in
  // a month with probability r*p; nobody with fewer than min_months at the level is promoted.
  constexpr double rate = 0.2, pass = 0.6;
  auto rates = std::vector<double>(kLevelCount, 0.0);
  rates[static_cast<int>(Level::Senior)] = rate;
  std::string rate_text = "[";
  for (int l = 0; l < kLevelCount; ++l) rate_text += (l ? ", " : "") + std::to_string(rates[l]);
  rate_text += "]";
  const Scenario s = test::small_scenario(
      everything_off() +
          std::vector<std::string>{"population.status_shares=[0, 1, 0, 0, 0, 0]", "skills.assessment_rate=" + rate_text,
                                   "skills.pass_probability=[1, 1, 1, 1, " + std::to_string(pass) + ", 1, 1, 1, 1]"},
      200000, 1, 6);
  const auto min_months = static_cast<std::uint16_t>(s.parameters().skills.min_months[static_cast<int>(Level::Senior)]);
  ReplicateState state(s, 21, 0);
  for (int m = 0; m < 6; ++m) {
    const Population before = state.population();
    std::int64_t eligible = 0;
    for (std::size_t i = 0; i < before.size(); ++i)
      eligible +=
          before.level[i] == static_cast<std::uint8_t>(Level::Intermediate) && before.months_at_level[i] >= min_months;
    state.step();
    const Population& after = state.population();
    ASSERT_EQ(after.size(), before.size()); // nothing enters or leaves here
    std::int64_t promoted = 0;
    for (std::size_t i = 0; i < after.size(); ++i) {
      if (after.level[i] == before.level[i]) {
        ASSERT_EQ(after.months_at_level[i], std::min<int>(before.months_at_level[i] + 1, kMaxMonthsAtLevel));
        continue;
      }
      ++promoted;
      ASSERT_EQ(before.level[i], static_cast<std::uint8_t>(Level::Intermediate));
      ASSERT_EQ(after.level[i], static_cast<std::uint8_t>(Level::Senior));
      ASSERT_GE(before.months_at_level[i], min_months) << "promoted before the minimum wait";
      ASSERT_EQ(after.months_at_level[i], 0);
    }
    EXPECT_EQ(promoted, state.last_flows().promotions[static_cast<int>(Level::Senior)]);
    expect_binomial(static_cast<double>(promoted), static_cast<double>(eligible), rate * pass,
                    "month " + std::to_string(m));
  }
}

TEST(Simulation, NobodyWorksPastTheRetirementAge) {
  const Scenario s =
      test::small_scenario({"demography.retirement_age_male=58", "demography.retirement_age_female=52"}, 50000, 1, 24);
  ReplicateState state(s, 4, 0);
  std::int64_t retirements = 0;
  for (int m = 0; m < 24; ++m) {
    state.step();
    retirements += state.last_flows().retirements;
    const Population& pop = state.population();
    const Month now = state.current_month();
    for (std::size_t i = 0; i < pop.size(); ++i) {
      const auto st = static_cast<Status>(pop.status[i]);
      if (st == Status::Removed || st == Status::Retired) continue;
      // Ages are checked at the start of each month: at the next month's start nobody is older
      // than the retirement age plus the month just passed.
      const int age = now.index - 1 - pop.birth_month[i];
      ASSERT_LT(age, (pop.sex[i] == 0 ? 58 : 52) * 12) << "agent " << pop.id[i];
    }
  }
  EXPECT_GT(retirements, 0);
}

TEST(Simulation, AppointmentsFillTheQuotaAndNeverExceedIt) {
  // 1,200 特级技师 a year = 100 a month; with many eligible 高级技师, exactly 100 each month.
  const Scenario s = test::small_scenario(
      everything_off() + std::vector<std::string>{"population.status_shares=[0, 1, 0, 0, 0, 0]",
                                                  "population.level_shares=[0.5, 0, 0.2, 0.1, 0.1, 0.05, 0.05, 0, 0]",
                                                  "skills.principal_technician_quota_per_year=1200",
                                                  "skills.chief_technician_quota_per_year=60"},
      100000, 1, 12);
  const Results r = run_scenario(s, RunOptions{});
  const auto principal = static_cast<std::size_t>(Level::PrincipalTechnician);
  const auto chief = static_cast<std::size_t>(Level::ChiefTechnician);
  for (std::size_t t = 1; t <= 12; ++t) {
    EXPECT_EQ(at(r, "promotions", 0, t, principal), 100) << "month " << t;
    // 首席技师 need 36 months as 特级技师 first: none can be appointed within a year.
    EXPECT_EQ(at(r, "promotions", 0, t, chief), 0) << "month " << t;
  }
  EXPECT_EQ(workers_at_level(r, 0, 12, static_cast<int>(principal)), 1200);
  // The appointments' own results: the same 100 a month, and the 5 places a month of the
  // 首席技师 quota left unfilled (nobody has served 36 months as 特级技师).
  for (std::size_t t = 1; t <= 12; ++t) {
    EXPECT_EQ(at(r, "appointments", 0, t, principal), 100) << "month " << t;
    EXPECT_EQ(at(r, "appointments_unfilled", 0, t, principal), 0) << "month " << t;
    EXPECT_EQ(at(r, "appointments", 0, t, chief), 0) << "month " << t;
    EXPECT_EQ(at(r, "appointments_unfilled", 0, t, chief), 5) << "month " << t;
    for (std::size_t level = 0; level < principal; ++level) {
      EXPECT_EQ(at(r, "appointments", 0, t, level), 0) << "month " << t << ", level " << level;
      EXPECT_EQ(at(r, "appointments_unfilled", 0, t, level), 0) << "month " << t << ", level " << level;
    }
  }
}

TEST(Simulation, WithoutAWaitAtTheTopANewPrincipalTechnicianMayBeAppointedChiefTheSameMonth) {
  // No 特级技师 at the start and no months required as 特级技师: each month's 首席技师 are chosen
  // from those appointed 特级技师 just before them, as if the two levels were appointed one after
  // the other over the whole population (the eligible of both are otherwise found in one pass).
  const Scenario s = test::small_scenario(
      everything_off() + std::vector<std::string>{"population.status_shares=[0, 1, 0, 0, 0, 0]",
                                                  "population.level_shares=[0.5, 0, 0.2, 0.1, 0.1, 0.05, 0.05, 0, 0]",
                                                  "skills.min_months=[0, 0, 12, 48, 60, 48, 48, 36, 0]",
                                                  "skills.principal_technician_quota_per_year=1200",
                                                  "skills.chief_technician_quota_per_year=60"},
      100000, 1, 3);
  const Results r = run_scenario(s, RunOptions{});
  const auto principal = static_cast<std::size_t>(Level::PrincipalTechnician);
  const auto chief = static_cast<std::size_t>(Level::ChiefTechnician);
  for (std::size_t t = 1; t <= 3; ++t) {
    EXPECT_EQ(at(r, "appointments", 0, t, principal), 100) << "month " << t;
    EXPECT_EQ(at(r, "appointments", 0, t, chief), 5) << "month " << t;
    EXPECT_EQ(at(r, "appointments_unfilled", 0, t, chief), 0) << "month " << t;
  }
  EXPECT_EQ(workers_at_level(r, 0, 3, static_cast<int>(chief)), 15);
  EXPECT_EQ(workers_at_level(r, 0, 3, static_cast<int>(principal)), 300 - 15);
}

// The appointments choose from the workers the rules pass left at 高级技师 and 特级技师, checked
// again after training and evaluation. With more places than candidates every eligible worker is
// appointed, so at the end of each month none is left, at either level. Here every assessment for
// 高级技师 is queued for the evaluators, so all promotions to it happen in the evaluation step,
// after the pass: with a wait for 特级技师 they wait a month (at 0 months, not yet eligible); without
// one they are eligible at once, though not in the pass's list, and are appointed the same month.
TEST(Simulation, WithMorePlacesThanCandidatesEveryEligibleWorkerIsAppointed) {
  constexpr int kSenior = static_cast<int>(Level::SeniorTechnician);
  constexpr int kPrincipal = static_cast<int>(Level::PrincipalTechnician);
  for (const int wait : {0, 1}) {
    SCOPED_TRACE("months at 高级技师 before 特级技师: " + std::to_string(wait));
    const Scenario s = test::small_scenario(
        everything_off() +
            std::vector<std::string>{
                "population.status_shares=[0, 1, 0, 0, 0, 0]",
                "population.level_shares=[0.5, 0, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0]",
                "skills.assessment_rate=[0, 0, 0, 0, 0, 0, 0.2, 0, 0]",
                "skills.min_months=[0, 0, 0, 0, 0, 0, 0, " + std::to_string(wait) + ", 36]",
                "skills.principal_technician_quota_per_year=1000000", "skills.chief_technician_quota_per_year=1000000",
                "evaluation.evaluators=[\"agency\"]", "evaluation.labels=[\"社会培训评价组织\"]",
                "evaluation.capacity_per_month=[[300]]", "evaluation.eligible_statuses=[[1, 1, 1, 1, 1, 0]]",
                "evaluation.max_level=[6]", "evaluation.max_wait_months=12"},
        20000, 1, 6);
    const TransitionRates rates(s.parameters(), s.start());
    ReplicateState run(s, 1, 0);
    std::int64_t promoted_in_evaluation = 0, waiting = 0, appointed = 0;
    for (int month = 1; month <= 6; ++month) {
      run.step();
      promoted_in_evaluation += run.last_flows().promotions[kSenior];
      appointed += run.last_flows().promotions[kPrincipal] + run.last_flows().promotions[kPrincipal + 1];
      const Population& pop = run.population();
      for (std::size_t i = 0; i < pop.size(); ++i) {
        const int level = pop.level[i];
        if (level != kSenior && level != kPrincipal) continue;
        ASSERT_FALSE(appointment_eligible(rates, level + 1, level, pop.status[i], pop.months_at_level[i]))
            << "month " << month << ": agent " << pop.id[i] << " eligible at level " << level << " but not appointed";
        waiting += level == kSenior && pop.status[i] == static_cast<std::uint8_t>(Status::Employed);
      }
    }
    EXPECT_GT(promoted_in_evaluation, 100); // the case happened
    EXPECT_GT(appointed, promoted_in_evaluation);
    if (wait == 1) {
      EXPECT_GT(waiting, 100); // promoted in the evaluation step, appointed the next month
    }
  }
}

TEST(Simulation, AppointmentResultsCountPlacesFilledAndLeftInPersons) {
  // Scale 10: 2,400 特级技师 a year = 20 agents (200 persons) a month, for about 50 agents who
  // are 高级技师 long enough (3 years at the level drawn at the start). The quota opens in the
  // fourth month by schedule: before it, nothing is appointed and nothing left unfilled.
  const Scenario base = test::small_scenario(
      everything_off() +
          std::vector<std::string>{"population.status_shares=[0, 1, 0, 0, 0, 0]",
                                   "population.level_shares=[0.9, 0, 0.05, 0.03, 0.01, 0.005, 0.005, 0, 0]"},
      100000, 10, 12);
  Parameters p = base.parameters();
  const Scenario s =
      Scenario::make(p, {{p.scenario.start + 3, "skills.principal_technician_quota_per_year", Value{2400.0}}}, {});
  const Results r = run_scenario(s, RunOptions{});
  const auto principal = static_cast<std::size_t>(Level::PrincipalTechnician);
  std::int64_t appointed = 0;
  for (std::size_t t = 1; t <= 12; ++t) {
    const std::int64_t filled = at(r, "appointments", 0, t, principal);
    const std::int64_t unfilled = at(r, "appointments_unfilled", 0, t, principal);
    EXPECT_EQ(filled, at(r, "promotions", 0, t, principal)) << "month " << t; // the only way to 特级技师
    EXPECT_EQ(filled % 10, 0) << "month " << t;                               // whole agents, in persons
    EXPECT_EQ(filled + unfilled, t <= 3 ? 0 : 200) << "month " << t;
    appointed += filled;
  }
  EXPECT_GT(appointed, 0);
  EXPECT_LT(appointed, 9 * 200); // too few candidates: places were left
  EXPECT_EQ(workers_at_level(r, 0, 12, static_cast<int>(principal)), appointed);
}

TEST(Simulation, ScheduledChangesTakeEffectInTheirMonth) {
  // Job losses switched off from the 7th month on by a schedule.
  const Scenario base = test::small_scenario({}, 50000, 1, 12);
  Parameters p = base.parameters();
  const Scenario s = Scenario::make(p, {{p.scenario.start + 6, "labour.job_loss_multiplier", Value{0.0}}}, {});
  const Results r = run_scenario(s, RunOptions{});
  for (std::size_t t = 1; t <= 6; ++t) EXPECT_GT(at(r, "job_losses", 0, t), 0) << "month " << t;
  for (std::size_t t = 7; t <= 12; ++t) EXPECT_EQ(at(r, "job_losses", 0, t), 0) << "month " << t;
}

TEST(Simulation, CancellationStopsTheRun) {
  const Scenario s = test::small_scenario({}, 10000, 1, 12);
  std::atomic<bool> cancel{false};
  RunOptions o;
  o.cancel = &cancel;
  std::int64_t months_seen = 0;
  o.progress = [&](std::int64_t done, std::int64_t) {
    months_seen = done;
    if (done == 3) cancel = true;
  };
  EXPECT_THROW(run_scenario(s, o), Cancelled);
  EXPECT_EQ(months_seen, 3);
}

TEST(Simulation, CancellationStopsThePopulationSynthesis) {
  // A national population takes seconds to synthesise: a cancel request is seen inside it, not
  // only between months. (Set before the start here, so the test does not depend on timing.)
  const Scenario s = test::small_scenario({}, 2'000'000, 1, 12);
  std::atomic<bool> cancel{true};
  EXPECT_THROW(ReplicateState(s, 1, 0, &cancel), Cancelled);
  cancel = false;
  EXPECT_EQ(ReplicateState(s, 1, 0, &cancel).population().size(), 2'000'000u);
}
