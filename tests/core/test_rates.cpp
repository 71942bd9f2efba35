// The table of monthly transition probabilities (rates.hpp): what each entry means, checked in
// closed form against the parameters, and the follow-up job-finding rates checked in the
// simulation itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/simulation.hpp"

namespace skillsim {
namespace {

TEST(TransitionRates, MonthlyDeathCompoundsToTheAnnualProbability) {
  const Scenario s = test::small_scenario();
  const TransitionRates rates(s.parameters());
  for (int b = 0; b < kMortalityBandCount; ++b) {
    const double annual = s.parameters().demography.mortality_annual[b];
    EXPECT_NEAR(1 - std::pow(1 - rates.death[b], 12), annual, 1e-12) << "band " << b;
  }
}

TEST(TransitionRates, ProductsOfRatesAndFactorsCappedAtOne) {
  const Scenario s = test::small_scenario({"labour.job_loss_multiplier=3", "labour.job_find_multiplier=40",
                                           "skills.assessment_status_factor=[1, 1, 30, 1, 1, 1]"});
  const Parameters& p = s.parameters();
  const TransitionRates r(p);
  const auto& lab = p.labour;
  for (int l = 0; l < kLevelCount; ++l)
    for (int g = 0; g < kGroupCount; ++g) {
      for (int sec = 0; sec < kSectorCount; ++sec)
        EXPECT_DOUBLE_EQ(r.job_loss[l][g][sec],
                         std::min(1.0, lab.job_loss_rate * 3 * lab.job_loss_level_factor[l] *
                                           lab.job_loss_group_factor[g] * lab.job_loss_sector_factor[sec]));
      EXPECT_DOUBLE_EQ(r.job_find[l][g], std::min(1.0, lab.job_find_rate * 40 * lab.job_find_level_factor[l] *
                                                           lab.job_find_group_factor[g]));
      EXPECT_LE(r.job_find[l][g], 1.0);
    }
  const int unemployed = static_cast<int>(Status::Unemployed), employed = static_cast<int>(Status::Employed);
  for (int l = 2; l < kLevelCount; ++l) {
    EXPECT_DOUBLE_EQ(r.sit[l][unemployed], std::min(1.0, p.skills.assessment_rate[l] * 30)) << l;
    EXPECT_DOUBLE_EQ(r.sit[l][employed], p.skills.assessment_rate[l] * p.skills.assessment_status_factor[employed]);
  }
  EXPECT_DOUBLE_EQ(r.inactivity, lab.inactivity_rate);
}

TEST(TransitionRates, OnlyTheEmployedStartAnApprenticeship) {
  const Scenario s = test::small_scenario({"skills.assessment_status_factor=[1, 1, 1, 1, 1, 1]"});
  const TransitionRates r(s.parameters());
  const int apprentice = static_cast<int>(Level::Apprentice);
  for (int st = 0; st < kStatusCount; ++st)
    if (st == static_cast<int>(Status::Employed))
      EXPECT_DOUBLE_EQ(r.sit[apprentice][st], s.parameters().skills.assessment_rate[apprentice]);
    else
      EXPECT_EQ(r.sit[apprentice][st], 0.0) << kStatusIds[static_cast<std::size_t>(st)];
}

// Two full-time programmes with different job-finding effects; levels and groups with very
// different job finding, so a rate read from the wrong cell shows. The year's money (20,000
// trainees at 1,000 yuan, paid at enrolment) runs out in the first month, so completers who stay
// unemployed or find a job are not enrolled again (which would hide their status).
Scenario two_programmes_with_follow_up() {
  std::vector<std::string> o = test::everything_off();
  for (auto& [k, v] : test::one_programme()) {
    if (!k.starts_with("programmes.") || k == "programmes.names" || k == "programmes.labels") {
      o.push_back(k + "=" + v); // the fund
      continue;
    }
    // Every programme column of one_programme() holds one entry: write it twice.
    o.push_back(k + "=[" + v.substr(1, v.size() - 2) + ", " + v.substr(1, v.size() - 2) + "]");
  }
  o.insert(o.end(),
           {R"(programmes.names=["first", "second"])", R"(programmes.labels=["甲", "乙"])",
            "programmes.full_time=[1, 1]", "programmes.duration_months=[1, 1]", "programmes.pass_probability=[0, 0]",
            "programmes.application_rate=[0.5, 1]", "programmes.seats_per_month=[[100000], [100000]]",
            "programmes.eligible_statuses=[[0, 1, 1, 0, 0, 0], [0, 1, 1, 0, 0, 0]]", "funds.annual_envelope=[20000000]",
            "programmes.job_find_factor=[1.5, 6]", "programmes.follow_up_months=3", "labour.job_find_rate=0.08",
            "labour.job_find_group_factor=[0.2, 2, 0.5, 4, 1, 3, 0.3, 1.5]",
            "labour.job_find_level_factor=[0.5, 1, 1.5, 2, 2.5, 3, 3, 3, 3]"});
  return test::small_scenario(o, 60000, 1, 6);
}

// The follow-up table is laid out when the month's rates are built; employers' matching fills
// job_find_by_region after that (Employers::begin_month). The index must keep the table's layout:
// with two regions and no regional factor, every completer's index stays in the table and reads
// the rate it was built with.
TEST(TransitionRates, FollowUpIndexKeepsItsLayoutWhenMatchingFillsTheRegionalTable) {
  Parameters p = two_programmes_with_follow_up().parameters();
  p.population.regions = {"north", "south"};
  p.labour.job_loss_region_factor.clear(); // 1 in every region
  p.labour.job_find_region_factor.clear();
  p.skills.assessment_factor_by_region.clear();
  p.skills.pass_factor_by_region.clear();
  TransitionRates rates(p);
  ASSERT_TRUE(rates.job_find_by_region.empty());
  const std::vector<double> built = rates.follow_up_job_find;
  rates.job_find_by_region.assign(2 * kLevelCount * kGroupCount, 0.5); // as Employers::begin_month
  for (std::size_t k = 0; k < 2; ++k)
    for (int r = 0; r < 2; ++r)
      for (int l = 0; l < kLevelCount; ++l)
        for (int g = 0; g < kGroupCount; ++g) {
          const std::size_t at = rates.follow_up_index(k, l, g, r);
          ASSERT_LT(at, built.size()) << "programme " << k << " region " << r;
          EXPECT_DOUBLE_EQ(built[at], std::min(1.0, rates.job_find[l][g] * (k == 0 ? 1.5 : 6)));
        }
}

TEST(TransitionRates, CompletersFindJobsAtTheirProgrammesBoostedRate) {
  const Scenario s = two_programmes_with_follow_up();
  const TransitionRates rates(s.parameters());
  ReplicateState state(s, 17, 0);
  state.step(); // month 1: everybody eligible enrols (full time)
  state.step(); // month 2: the one-month programmes end; completers search again
  const Population& before = state.population();
  std::vector<std::size_t> searching;
  double expected[2] = {0, 0}, variance[2] = {0, 0};
  for (std::size_t i = 0; i < before.size(); ++i)
    if (before.status[i] == static_cast<std::uint8_t>(Status::Unemployed) &&
        before.follow_up_programme[i] != kNoProgramme) {
      searching.push_back(i);
      const std::size_t k = before.follow_up_programme[i];
      const double p = rates.follow_up_job_find[rates.follow_up_index(k, before.level[i], before.group[i])];
      EXPECT_DOUBLE_EQ(p, std::min(1.0, rates.job_find[before.level[i]][before.group[i]] * (k == 0 ? 1.5 : 6)));
      expected[k] += p;
      variance[k] += p * (1 - p);
    }
  ASSERT_EQ(searching.size(), 20000u); // all the money buys
  const std::vector<std::uint8_t> programme_of = [&] {
    std::vector<std::uint8_t> v;
    for (std::size_t i : searching) v.push_back(before.follow_up_programme[i]);
    return v;
  }();
  state.step(); // month 3: the follow-up month's job finding (nobody dies or enters: indices hold)
  std::int64_t enrolled = 0;
  for (std::int64_t e : state.training().tally().enrolments) enrolled += e;
  ASSERT_EQ(enrolled, 0);
  const Population& after = state.population();
  double found[2] = {0, 0};
  for (std::size_t c = 0; c < searching.size(); ++c)
    found[programme_of[c]] += after.status[searching[c]] == static_cast<std::uint8_t>(Status::Employed);
  for (int k = 0; k < 2; ++k) {
    ASSERT_GT(expected[k], 500) << "programme " << k;
    // Sum of independent Bernoulli draws: within 5 standard deviations of the sum of their p.
    EXPECT_NEAR(found[k], expected[k], 5 * std::sqrt(variance[k])) << "programme " << k;
  }
}

// The trend of the assessment rate (skills.assessment_rate_trend): (1 + g)^y with y the years
// from the reference date, frozen at the end date, capped at 1, and exactly the parameter with
// no trend.
TEST(TransitionRates, AssessmentTrendCompoundsFromTheReferenceAndFreezesAtTheEnd) {
  const Scenario s =
      test::small_scenario({"skills.assessment_rate_trend=[0, 0, 0, 0.2, 0, 0, -0.5, 0, 0]",
                            "skills.trend_reference_date=2016-01-01", "skills.trend_end_date=2019-07-01"});
  const Parameters& p = s.parameters();
  const int employed = static_cast<int>(Status::Employed);
  const double rate3 = p.skills.assessment_rate[3], rate6 = p.skills.assessment_rate[6];
  const auto sit = [&](Month m, int level) { return TransitionRates(p, m).sit[level][employed]; };
  EXPECT_EQ(sit(Month::of(2016, 1), 3), rate3); // the reference: as given
  EXPECT_DOUBLE_EQ(sit(Month::of(2017, 1), 3), rate3 * 1.2);
  EXPECT_DOUBLE_EQ(sit(Month::of(2017, 7), 3), rate3 * std::pow(1.2, 1.5));
  EXPECT_DOUBLE_EQ(sit(Month::of(2014, 1), 3), rate3 / 1.44); // before the reference: lower
  EXPECT_DOUBLE_EQ(sit(Month::of(2019, 7), 3), rate3 * std::pow(1.2, 3.5));
  EXPECT_DOUBLE_EQ(sit(Month::of(2030, 1), 3), sit(Month::of(2019, 7), 3)); // frozen after the end
  EXPECT_DOUBLE_EQ(sit(Month::of(2018, 1), 6), rate6 * 0.25);
  for (int l : {1, 2, 4, 5}) EXPECT_EQ(sit(Month::of(2030, 1), l), sit(Month::of(2016, 1), l)) << l; // no trend
  EXPECT_EQ(TransitionRates(p).sit[3][employed], rate3); // the default month is the start (here the reference)
  EXPECT_EQ(assessment_trend_factor(p.skills, 3, Month::of(2016, 1)), 1.0);
  EXPECT_EQ(assessment_trend_factor(p.skills, 2, Month::of(2099, 1)), 1.0);

  // The rate is capped at 1 before the status factor applies.
  const Scenario steep =
      test::small_scenario({"skills.assessment_rate=[0, 0.0015, 0.5, 0.008, 0.011, 0.003, 0.003, 0, 0]",
                            "skills.assessment_rate_trend=[0, 0, 2, 0, 0, 0, 0, 0, 0]",
                            "skills.assessment_status_factor=[0, 1, 0.5, 0.05, 1, 0]"});
  const TransitionRates later(steep.parameters(), Month::of(2018, 1));
  EXPECT_EQ(later.sit[2][employed], 1.0);
  EXPECT_EQ(later.sit[2][static_cast<int>(Status::Unemployed)], 0.5);
}

// In the simulation: one level open (apprenticeships of employed workers without a certificate,
// who never pass, so the same workers stay eligible), a trend of 50% a year from a reference a
// year after the start, frozen two years after the start. The assessments of each year match
// the closed form N x rate x sum over its months of 1.5^y within a few standard errors, so
// year 1 has 1.5 times those of year 0, and years 2 and 3 the same.
TEST(TransitionRates, AssessmentsFollowTheTrendInTheSimulation) {
  const double rate = 0.01, growth = 0.5;
  std::vector<std::string> overrides = test::everything_off();
  for (const char* o :
       {"skills.assessment_rate=[0, 0.01, 0, 0, 0, 0, 0, 0, 0]", "skills.pass_probability=[1, 0, 1, 1, 1, 1, 1, 1, 1]",
        "skills.assessment_rate_trend=[0, 0.5, 0, 0, 0, 0, 0, 0, 0]", "skills.trend_reference_date=2017-01-01",
        "skills.trend_end_date=2018-01-01", "scenario.start=2016-01-01"})
    overrides.emplace_back(o);
  const Scenario s = test::small_scenario(overrides, 50000, 1, 48);
  RunOptions o;
  o.threads = 1;
  const Results r = run_scenario(s, o);
  const auto level0_employed = static_cast<std::size_t>(0 * kStatusCount + static_cast<int>(Status::Employed));
  const double n = static_cast<double>(test::at(r, "workers", 0, 0, level0_employed));
  ASSERT_GT(n, 5000);
  double observed[4] = {}, expected[4] = {}, variance[4] = {};
  for (int m = 0; m < 48; ++m) { // month m of the run is stored at time m + 1
    const int year = m / 12;
    observed[year] += static_cast<double>(test::at(r, "assessments", 0, static_cast<std::size_t>(m + 1), 1));
    const double q = rate * std::pow(1 + growth, std::min(m - 12, 12) / 12.0);
    expected[year] += n * q;
    variance[year] += n * q * (1 - q);
    EXPECT_EQ(test::at(r, "workers", 0, static_cast<std::size_t>(m + 1), level0_employed), n) << "month " << m;
  }
  for (int year = 0; year < 4; ++year)
    EXPECT_NEAR(observed[year], expected[year], 5 * std::sqrt(variance[year])) << "year " << year;
  EXPECT_NEAR(expected[1] / expected[0], 1 + growth, 1e-12);
  const double ratio = observed[1] / observed[0];
  EXPECT_NEAR(ratio, 1 + growth, 5 * ratio * std::sqrt(1 / observed[0] + 1 / observed[1]));
  EXPECT_NEAR(observed[3] - observed[2], 0, 5 * std::sqrt(variance[2] + variance[3])); // frozen
}

} // namespace
} // namespace skillsim
