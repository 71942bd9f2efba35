// The quiet screen of the monthly rules pass (docs/model.md, "The quiet screen") only decides
// which agents the pass may spare the rules, so the pass must give the same results with it and
// without it, bit for bit: the population's every column, the month's flows, the stocks and the
// lists of candidates. Checked month by month on the bundled scenarios whose mechanisms it
// screens (programmes and their follow-up windows, insurance months, evaluators' queues, group
// time limits, appointments, schools), with a population the rules have moved for a while, and
// with a check that the screen did let most agents through (an equality of two passes where the
// screen never ran would prove nothing).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "skillsim/core/monthly_rules.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/io/scenario_toml.hpp"

using namespace skillsim;

namespace {

void expect_same_populations(const Population& screened, const Population& unscreened, const std::string& where) {
  ASSERT_EQ(screened.size(), unscreened.size()) << where;
#define SKILLSIM_EXPECT_SAME_COLUMN(column_type, agent_type, name, default_value, use)                                 \
  EXPECT_TRUE(screened.name == unscreened.name) << where << ": column " #name;
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_EXPECT_SAME_COLUMN)
#undef SKILLSIM_EXPECT_SAME_COLUMN
}

void expect_same_stocks(const StockTally& a, const StockTally& b, const std::string& where) {
  for (int l = 0; l < kLevelCount; ++l)
    for (int s = 0; s < kStatusCount; ++s) EXPECT_EQ(a.workers[l][s], b.workers[l][s]) << where;
  for (int g = 0; g < kGroupCount; ++g)
    for (int l = 0; l < kLevelCount; ++l) EXPECT_EQ(a.by_group[g][l], b.by_group[g][l]) << where;
  for (int s = 0; s < kSectorCount; ++s) EXPECT_EQ(a.employed_by_sector[s], b.employed_by_sector[s]) << where;
  EXPECT_EQ(a.by_region, b.by_region) << where;
  EXPECT_EQ(a.trainees, b.trainees) << where;
}

void expect_same_candidates(const MonthlyCandidates& a, const MonthlyCandidates& b, const std::string& where) {
  ASSERT_EQ(a.applicants.size(), b.applicants.size()) << where;
  for (std::size_t k = 0; k < a.applicants.size(); ++k) {
    EXPECT_EQ(a.applicants[k].index, b.applicants[k].index) << where;
    EXPECT_EQ(a.applicants[k].draw, b.applicants[k].draw) << where;
  }
  EXPECT_EQ(a.trainees, b.trainees) << where;
  EXPECT_EQ(a.queued, b.queued) << where;
  EXPECT_EQ(a.competitors, b.competitors) << where;
  EXPECT_EQ(a.students, b.students) << where;
  EXPECT_EQ(a.appointable, b.appointable) << where;
}

struct Case {
  std::string scenario;
  std::vector<std::string> overrides;
  int months;
};

// Steps the scenario `months` months; before each step, applies the month's rules to two copies
// of the population, screened and not, and compares all they give. Returns the share of agents
// the screen let through, over the months it ran.
double expect_screen_changes_nothing(const Case& c) {
  const Scenario scenario = io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/" + c.scenario, c.overrides);
  constexpr std::uint64_t kSeed = 20261206;
  ReplicateState state(scenario, kSeed, 0);
  const RandomStreams rng(kSeed, 0);
  std::int64_t quiet = 0, screened_agents = 0;
  for (int m = 0; m < c.months; ++m) {
    const Month month = state.current_month();
    const std::string where = c.scenario + ", month " + std::to_string(m);
    const Parameters p = scenario.parameters_at(month);
    const TransitionRates rates(p, month);
    const ApplicationRules applications(p);
    const CompetitionRules competitions(p, rates, month);
    for (const bool appointing : {false, true}) {
      Population screened = state.population(), unscreened = state.population();
      MonthlyCandidates screened_candidates, unscreened_candidates;
      StockTally screened_stocks = empty_stocks(p.population.regions.size(), p.programmes.names.size());
      StockTally unscreened_stocks = screened_stocks;
      const MonthTally with = apply_monthly_rules(rates, applications, competitions, appointing, month, screened, rng,
                                                  screened_candidates, screened_stocks, nullptr, QuietScreening::on);
      const MonthTally without =
          apply_monthly_rules(rates, applications, competitions, appointing, month, unscreened, rng,
                              unscreened_candidates, unscreened_stocks, nullptr, QuietScreening::off);
      EXPECT_TRUE(with == without) << where << (appointing ? ", appointing" : "") << ": the month's flows";
      expect_same_populations(screened, unscreened, where);
      expect_same_stocks(screened_stocks, unscreened_stocks, where);
      expect_same_candidates(screened_candidates, unscreened_candidates, where);
    }
    Population counted = state.population();
    const std::int64_t q = count_quiet_agents(rates, applications, competitions, false, month, counted, rng);
    if (q >= 0) {
      quiet += q;
      screened_agents += static_cast<std::int64_t>(counted.size());
    }
    state.step();
  }
  return screened_agents > 0 ? static_cast<double>(quiet) / static_cast<double>(screened_agents) : 0;
}

} // namespace

TEST(QuietScreen, SameResultsWithAndWithoutIt) {
  const std::vector<Case> cases = {
      // No programmes; technical schools (students), retirement, the labour market.
      {"scenarios/national_2016.toml", {"population.scale=20000"}, 14},
      // Programmes with follow-up windows, insurance months, evaluators' queues, group time limits.
      {"scenarios/national_2019_2021.toml", {"population.scale=20000"}, 14},
      // Appointments to 特级技师 and 首席技师 (and studios, whose mentees the screen leaves to the rules).
      {"scenarios/appointments_2020_2030.toml", {"population.scale=100"}, 14},
      // Programmes with money and seats binding, the insurance rule.
      {"scenarios/jincheng_2020_2021.toml", {"population.scale=40"}, 14},
      {"tests/data/one_programme.toml", {}, 14},
  };
  const bool vectorised = RandomStreams(1, 0).monthly4x32(streams::kMonthly, 0).vectorised();
  for (const Case& c : cases) {
    const double share = expect_screen_changes_nothing(c);
    std::printf("[ screened ] %s: %.1f%% of the agents quiet\n", c.scenario.c_str(), 100 * share);
    // Most agents, most months, only grow older: the screen must have let most through (it needs
    // AVX2; without it the two passes are the same code).
    if (vectorised) {
      EXPECT_GT(share, 0.5) << c.scenario << ": the screen let " << share << " of the agents through";
    }
  }
}

TEST(QuietScreen, DoesNotRunWhereItDoesNotCoverTheRules) {
  // Migration between regions is left to the rules: the screen says so rather than running.
  const Scenario scenario =
      io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/national_2016.toml", {"population.scale=20000"});
  Parameters p = scenario.parameters();
  const ReplicateState state(scenario, 1, 0);
  const Month month = state.current_month();
  TransitionRates rates(p, month);
  const ApplicationRules applications(p);
  const CompetitionRules competitions(p, rates, month);
  const RandomStreams rng(1, 0);
  if (!rng.monthly4x32(streams::kMonthly, 0).vectorised()) GTEST_SKIP() << "the screen needs AVX2";
  Population population = state.population();
  EXPECT_GT(count_quiet_agents(rates, applications, competitions, false, month, population, rng), 0);
  rates.migrating = true;
  EXPECT_EQ(count_quiet_agents(rates, applications, competitions, false, month, population, rng), -1);
}
