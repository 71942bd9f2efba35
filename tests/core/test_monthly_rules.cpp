// The monthly rules of docs/model.md, checked as distributions: each test switches off every
// process but the ones it looks at (test::everything_off), follows every agent through a month,
// and compares the moves with their closed form, a binomial count, or with an exact count.
//
// Tolerances: an observed count k out of n with probability p must lie within 5 binomial standard
// errors, |k - n p| <= 5 sqrt(n p (1 - p)). Under the rule, a single check fails with probability
// 5.7e-7 (the seeds are fixed, so the outcome is reproducible anyway). Sizes put a rate wrong by a
// tenth of itself at least 8 standard errors away in the main checks (all agents of a status, all
// the employed, a year's graduates; checks of small groups alone are weaker).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/simulation.hpp"

using namespace skillsim;
using test::everything_off;
using test::operator+;

namespace {

constexpr double kSigmas = 5;

// A count with the given mean and variance (a binomial, or a sum of independent binomials).
void expect_count(std::int64_t observed, double mean, double variance, const std::string& what) {
  const double se = std::sqrt(variance);
  EXPECT_LE(std::abs(static_cast<double>(observed) - mean), kSigmas * se + 1e-9)
      << what << ": observed " << observed << ", expected " << mean << " +- " << se;
}

void expect_binomial(std::int64_t observed, std::int64_t n, double p, const std::string& what) {
  const auto trials = static_cast<double>(n);
  expect_count(observed, trials * p, trials * p * (1 - p), what + " (of " + std::to_string(n) + ")");
}

constexpr auto kEmployed = static_cast<std::uint8_t>(Status::Employed);
constexpr auto kUnemployed = static_cast<std::uint8_t>(Status::Unemployed);
constexpr auto kInactive = static_cast<std::uint8_t>(Status::Inactive);

// Moves between the statuses at the start and at the end of one month, agent by agent.
struct Transitions {
  std::int64_t from[kStatusCount] = {};
  std::int64_t moves[kStatusCount][kStatusCount] = {};
};

Transitions step_and_count(ReplicateState& state) {
  const Population before = state.population();
  state.step();
  const Population& after = state.population();
  Transitions t;
  // With everything else off nobody enters, dies or is compacted: the same agents, in order.
  EXPECT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < before.size() && i < after.size(); ++i) {
    EXPECT_EQ(after.id[i], before.id[i]);
    ++t.from[before.status[i]];
    ++t.moves[before.status[i]][after.status[i]];
  }
  return t;
}

} // namespace

TEST(MonthlyRules, InactivityAndReactivationFollowTheirRates) {
  // No job finding: an unemployed agent becomes inactive with probability inactivity_rate, an
  // inactive one returns to unemployment with reactivation_rate, each month, independently.
  constexpr double inactivity = 0.1, reactivation = 0.25;
  const Scenario s = test::small_scenario(
      everything_off() + std::vector<std::string>{"population.status_shares=[0, 0, 0.5, 0.5, 0, 0]",
                                                  "labour.inactivity_rate=" + std::to_string(inactivity),
                                                  "labour.reactivation_rate=" + std::to_string(reactivation)},
      200000, 1, 3);
  ReplicateState state(s, 31, 0);
  for (int m = 0; m < 3; ++m) {
    const Transitions t = step_and_count(state);
    const std::string month = "month " + std::to_string(m);
    ASSERT_GT(t.from[kUnemployed], 50000);
    ASSERT_GT(t.from[kInactive], 50000);
    expect_binomial(t.moves[kUnemployed][kInactive], t.from[kUnemployed], inactivity,
                    "unemployed -> inactive, " + month);
    expect_binomial(t.moves[kInactive][kUnemployed], t.from[kInactive], reactivation,
                    "inactive -> unemployed, " + month);
    EXPECT_EQ(t.moves[kUnemployed][kEmployed], 0) << month;
    EXPECT_EQ(t.moves[kInactive][kEmployed], 0) << "the inactive return through unemployment, " << month;
    EXPECT_EQ(state.last_flows().job_finds, 0) << month;
  }
}

TEST(MonthlyRules, InactivityRateIsUnconditionalNotGivenNoJob) {
  // labour.inactivity_rate is the probability of becoming inactive in the month, not the
  // probability given that no job was found: one uniform draw u decides, a job if u < find,
  // inactive if find <= u < find + inactivity (monthly_rules.cpp, find_or_inactive). So an
  // unemployed agent ends the month employed with probability find, inactive with probability
  // inactivity and unemployed with 1 - find - inactivity. With find = 0.4 and inactivity = 0.2, a
  // conditional reading would give 0.6 x 0.2 = 0.12 inactive: 90 standard errors away here.
  constexpr double find = 0.4, inactivity = 0.2;
  const Scenario s = test::small_scenario(
      everything_off() + std::vector<std::string>{"population.status_shares=[0, 0, 1, 0, 0, 0]",
                                                  "labour.job_find_rate=" + std::to_string(find),
                                                  "labour.job_find_multiplier=1",
                                                  "labour.inactivity_rate=" + std::to_string(inactivity)},
      200000, 1, 1);
  ReplicateState state(s, 32, 0);
  const Transitions t = step_and_count(state);
  const std::int64_t n = t.from[kUnemployed];
  ASSERT_EQ(n, 200000);
  expect_binomial(t.moves[kUnemployed][kEmployed], n, find, "unemployed -> employed");
  expect_binomial(t.moves[kUnemployed][kInactive], n, inactivity, "unemployed -> inactive");
  expect_binomial(t.moves[kUnemployed][kUnemployed], n, 1 - find - inactivity, "stay unemployed");
  EXPECT_EQ(state.last_flows().job_finds, t.moves[kUnemployed][kEmployed]);
}

TEST(MonthlyRules, InsuranceMonthsAccrueToEmployedWhoKeepTheirJob) {
  // Insurance contributions (monthly_rules.cpp, the labour-market step): an agent employed at the
  // start of the month who does not lose the job gains one ui_months with probability
  // population.insured_share[group] (the job-loss word, in the insured_share of the interval
  // that job loss leaves: random.hpp, nested_threshold; so given the job is kept). Whoever
  // was not employed at the start gains none, even on finding a job in the month; whoever loses
  // the job gains none. The months are kept only where a programme may read them (agent_columns):
  // here one nobody applies to.
  const std::vector<double> insured = {0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.6, 0.4};
  std::string insured_text = "[";
  for (std::size_t g = 0; g < insured.size(); ++g) insured_text += (g ? ", " : "") + std::to_string(insured[g]);
  insured_text += "]";
  const Scenario s =
      test::small_scenario(everything_off() + test::funded_upgrading({.application_rate = "0"}) +
                               std::vector<std::string>{"population.status_shares=[0, 0.6, 0.4, 0, 0, 0]",
                                                        "population.insured_share=" + insured_text,
                                                        "labour.job_loss_rate=0.05", "labour.job_find_rate=0.3"},
                           200000, 1, 2);
  ReplicateState state(s, 33, 0);
  for (int m = 0; m < 2; ++m) {
    const Population before = state.population();
    state.step();
    const Population& after = state.population();
    ASSERT_EQ(after.size(), before.size());
    std::int64_t kept[kGroupCount] = {}, gained[kGroupCount] = {};
    std::int64_t lost = 0, found = 0;
    for (std::size_t i = 0; i < before.size(); ++i) {
      const int gain = after.ui_months[i] - before.ui_months[i];
      if (before.status[i] == kEmployed && after.status[i] == kEmployed) {
        ASSERT_TRUE(gain == 0 || gain == 1) << "agent " << before.id[i] << " gained " << gain;
        ++kept[before.group[i]];
        gained[before.group[i]] += gain;
      } else {
        ASSERT_EQ(gain, 0) << "agent " << before.id[i] << " from status " << int{before.status[i]} << " to "
                           << int{after.status[i]};
        lost += before.status[i] == kEmployed;
        found += before.status[i] == kUnemployed && after.status[i] == kEmployed;
      }
    }
    ASSERT_GT(lost, 0);
    ASSERT_GT(found, 0);
    // Per group, and over all groups: a sum of independent binomials, mean and variance summed.
    std::int64_t all_gained = 0;
    double mean = 0, variance = 0;
    for (int g = 0; g < kGroupCount; ++g) {
      ASSERT_GT(kept[g], 1000) << "group " << g;
      expect_binomial(gained[g], kept[g], insured[g], "month " + std::to_string(m) + " group " + std::to_string(g));
      all_gained += gained[g];
      mean += static_cast<double>(kept[g]) * insured[g];
      variance += static_cast<double>(kept[g]) * insured[g] * (1 - insured[g]);
    }
    expect_count(all_gained, mean, variance, "month " + std::to_string(m) + " all groups");
  }
}

TEST(MonthlyRules, EntrantsArriveByMonthSharesWithFractionsCarried) {
  // Entrants::step (entrants.cpp): for each kind (school leavers, then technical-school
  // graduates) a running balance gains per_year x month_share / scale each month; the whole
  // agents in it enter and the fraction stays for the next month. Over a year that is
  // per_year / scale agents, to within the fraction left at the end. The expected count of each
  // month is computed here from the parameters with the same arithmetic, so it must match
  // exactly. School leavers enter at level 0 in a group drawn by school_leaver_group_shares;
  // graduates in the group 技工院校学生 at a level drawn by technical_school_diploma_shares.
  const std::vector<double> month_shares = {0.02, 0.03, 0.05, 0.1, 0.05, 0.1, 0.3, 0.1, 0.05, 0.1, 0.05, 0.05};
  const std::vector<double> leaver_groups = {0.1, 0.2, 0.3, 0.4, 0, 0, 0, 0};
  const std::vector<double> diploma = {0, 0, 0.2, 0.5, 0.25, 0.05, 0, 0, 0};
  const auto list = [](const std::vector<double>& v) {
    std::string text = "[";
    for (std::size_t k = 0; k < v.size(); ++k) text += (k ? ", " : "") + std::to_string(v[k]);
    return text + "]";
  };
  constexpr int kScale = 3;
  const Scenario s = test::small_scenario(
      everything_off() + std::vector<std::string>{"entry.school_leavers_per_year=200000",
                                                  "entry.technical_school_graduates_per_year=300000",
                                                  "entry.month_shares=" + list(month_shares),
                                                  "entry.school_leaver_group_shares=" + list(leaver_groups),
                                                  "entry.technical_school_diploma_shares=" + list(diploma)},
      30000, kScale, 12);
  const EntrySection& e = s.parameters().entry;
  ReplicateState state(s, 34, 0);
  const std::uint8_t graduate_group = static_cast<std::uint8_t>(Group::TechnicalStudent);

  double due[2] = {0, 0}; // school leavers, graduates: the balance carried from month to month
  std::int64_t total[2] = {0, 0};
  std::int64_t graduates_by_level[kLevelCount] = {}, leavers_by_group[kGroupCount] = {};
  for (int m = 0; m < 12; ++m) {
    const int calendar_month = state.current_month().month();
    const std::string month = "calendar month " + std::to_string(calendar_month);
    const double share = e.month_shares[static_cast<std::size_t>(calendar_month - 1)];
    std::int64_t expected[2];
    const double per_year[2] = {e.school_leavers_per_year, e.technical_school_graduates_per_year};
    for (int kind = 0; kind < 2; ++kind) {
      due[kind] += per_year[kind] * share / static_cast<double>(kScale);
      expected[kind] = static_cast<std::int64_t>(std::floor(due[kind]));
      due[kind] -= static_cast<double>(expected[kind]);
    }

    std::uint64_t last_id = 0;
    for (std::uint64_t id : state.population().id) last_id = std::max(last_id, id);
    state.step();
    const Population& pop = state.population();
    std::int64_t leavers = 0, graduates = 0;
    std::int64_t by_level[kLevelCount] = {};
    for (std::size_t i = 0; i < pop.size(); ++i) {
      if (pop.id[i] <= last_id) continue; // not new this month
      ++by_level[pop.level[i]];
      if (pop.group[i] == graduate_group) {
        ++graduates;
        ++graduates_by_level[pop.level[i]];
      } else {
        ASSERT_EQ(pop.level[i], 0) << "school leavers have no certificate";
        ++leavers;
        ++leavers_by_group[pop.group[i]];
      }
    }
    EXPECT_EQ(leavers, expected[0]) << month;
    EXPECT_EQ(graduates, expected[1]) << month;
    for (int l = 0; l < kLevelCount; ++l) EXPECT_EQ(state.last_flows().entries[l], by_level[l]) << month;
    total[0] += leavers;
    total[1] += graduates;
  }
  // A year of entries: per_year / scale agents, less the fraction still carried.
  EXPECT_LT(std::abs(static_cast<double>(total[0]) - e.school_leavers_per_year / kScale), 1.0);
  EXPECT_LT(std::abs(static_cast<double>(total[1]) - e.technical_school_graduates_per_year / kScale), 1.0);

  // Levels and groups drawn by their shares: binomial counts out of the year's entrants (levels
  // with share 0 must get nobody, which the same check enforces with a standard error of 0).
  for (int l = 0; l < kLevelCount; ++l)
    expect_binomial(graduates_by_level[l], total[1], diploma[l], "graduates at level " + std::to_string(l));
  for (int g = 0; g < kGroupCount; ++g)
    expect_binomial(leavers_by_group[g], total[0], leaver_groups[g], "school leavers in group " + std::to_string(g));
}
