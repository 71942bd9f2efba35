// The initial population: IPF matches every margin, integerisation is exact, attributes are
// consistent with the age bands and rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/synthesis.hpp"

using namespace skillsim;

TEST(Synthesis, FittedTableMatchesEveryMargin) {
  const Parameters p = io::default_parameters();
  JointTable joint;
  ASSERT_TRUE(fit_joint_table(p, joint).empty());
  std::vector<double> level(kLevelCount), group(kGroupCount), status(kStatusCount);
  for (int a = 0; a < kAgeBandCount; ++a)
    for (int s = 0; s < kSexCount; ++s)
      for (int g = 0; g < kGroupCount; ++g)
        for (int l = 0; l < kLevelCount; ++l)
          for (int t = 0; t < kStatusCount; ++t) {
            const double x = joint.share[JointTable::index(a, s, g, l, t)];
            level[l] += x;
            group[g] += x;
            status[t] += x;
            if (p.population.level_by_age_prior(a, l) == 0) {
              EXPECT_EQ(x, 0.0) << "prior zero kept";
            }
          }
  for (int l = 0; l < kLevelCount; ++l) EXPECT_NEAR(level[l], p.population.level_shares[l], 1e-9);
  for (int g = 0; g < kGroupCount; ++g) EXPECT_NEAR(group[g], p.population.group_shares[g], 1e-9);
  for (int t = 0; t < kStatusCount; ++t) EXPECT_NEAR(status[t], p.population.status_shares[t], 1e-9);
}

TEST(Synthesis, UnreachableLevelIsReportedAgainstThePrior) {
  Parameters p = io::default_parameters();
  for (int a = 0; a < kAgeBandCount; ++a) p.population.level_by_age_prior.values[a * kLevelCount + 5] = 0;
  JointTable joint;
  const auto issues = fit_joint_table(p, joint);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].key, "population.level_by_age_prior");
  EXPECT_NE(issues[0].message.find("level technician has share"), std::string::npos) << issues[0].message;
  // Scenario::make runs the same check, so `validate` catches it before a run.
  EXPECT_THROW(Scenario::make(p, {}, {}), ScenarioError);
}

TEST(Synthesis, PopulationHasExactSizeAndConsistentAttributes) {
  const Scenario s = test::small_scenario({}, 123457, 1);
  const Parameters& p = s.parameters();
  const Population pop = synthesize_population(p, RandomStreams(7, 0));
  ASSERT_EQ(pop.size(), 123457u);
  std::set<std::uint64_t> ids(pop.id.begin(), pop.id.end());
  EXPECT_EQ(ids.size(), pop.size()) << "ids are unique";
  for (std::size_t i = 0; i < pop.size(); ++i) {
    const int age = p.scenario.start.index - pop.birth_month[i];
    ASSERT_GE(age, kMinAge * 12);
    ASSERT_LT(age, (kMaxInitialAge + 1) * 12);
    // The pool ends at the retirement age: nobody starts above it.
    ASSERT_LT(age, (pop.sex[i] == 0 ? p.demography.retirement_age_male : p.demography.retirement_age_female) * 12);
    ASSERT_LE(pop.months_at_level[i],
              std::min<int>(static_cast<int>(p.population.max_months_at_level), age - kMinAge * 12));
    ASSERT_LT(pop.level[i], kLevelCount);
    ASSERT_NE(pop.status[i], static_cast<std::uint8_t>(Status::Retired));
    // The prior's zeros hold for every agent: nobody is a 技师 at 18.
    const auto band = static_cast<int>(std::upper_bound(kAgeBandEdges.begin(), kAgeBandEdges.end(), age / 12) -
                                       kAgeBandEdges.begin() - 1);
    ASSERT_GT(p.population.level_by_age_prior(band, pop.level[i]), 0.0) << "age " << age / 12;
  }
}

// Months at a level are stored in one byte, saturating at 255 (population.hpp): an initial draw
// above it is held at 255, never wrapped. With population.max_months_at_level = 600 a worker
// whose bound m is 255 or more draws 255..m with probability (m - 254) / (m + 1); the count held
// at 255 is the sum of those, within 4 standard errors (a wrapped draw would put them low).
TEST(Synthesis, MonthsAtLevelAboveTheByteAreHeldAt255) {
  const Scenario s = test::small_scenario({"population.max_months_at_level=600"}, 100000, 1);
  const Parameters& p = s.parameters();
  const Population pop = synthesize_population(p, RandomStreams(11, 0));
  double expected = 0, variance = 0;
  std::int64_t at_top = 0;
  for (std::size_t i = 0; i < pop.size(); ++i) {
    const int bound = initial_max_months_at_level(p.population, p.scenario.start.index - pop.birth_month[i]);
    ASSERT_LE(pop.months_at_level[i], std::min(bound, kMaxMonthsAtLevel));
    const double q = bound >= kMaxMonthsAtLevel ? static_cast<double>(bound - kMaxMonthsAtLevel + 1) / (bound + 1) : 0;
    expected += q;
    variance += q * (1 - q);
    at_top += pop.months_at_level[i] == kMaxMonthsAtLevel;
  }
  ASSERT_GT(expected, 10000) << "most of the pool has worked 255 months or more";
  EXPECT_NEAR(static_cast<double>(at_top), expected, 4 * std::sqrt(variance));
}

TEST(Synthesis, JinchengStartsAtThePlansStocks) {
  const Scenario s = io::load_scenario(SKILLSIM_SOURCE_DIR "/scenarios/jincheng_2020_2021.toml");
  const Population pop = synthesize_population(s.parameters(), RandomStreams(1, 0));
  const StockTally stocks = count_stocks(pop, 1, 0);
  std::int64_t skilled = 0, high = 0;
  for (int l = kFirstSkilledLevel; l < kLevelCount; ++l)
    for (int t = 0; t < kStatusCount; ++t) {
      skilled += stocks.workers[l][t];
      if (l >= kFirstHighSkilledLevel) high += stocks.workers[l][t];
    }
  const auto scale = s.parameters().population.scale;
  // Integerisation makes each level total exact to one agent.
  const auto persons_per_agent = static_cast<double>(scale);
  EXPECT_NEAR(static_cast<double>(skilled * scale), 284000, 5.0 * persons_per_agent);
  EXPECT_NEAR(static_cast<double>(high * scale), 67000, 3.0 * persons_per_agent);
}

TEST(Synthesis, CellCountsNeedNoRandomness) {
  // Only within-cell attributes are drawn: two replicates have the same level and status counts.
  const Scenario s = test::small_scenario({}, 20000, 1);
  const auto a = count_stocks(synthesize_population(s.parameters(), RandomStreams(1, 0)), 1, 0);
  const auto b = count_stocks(synthesize_population(s.parameters(), RandomStreams(1, 1)), 1, 0);
  for (int l = 0; l < kLevelCount; ++l)
    for (int t = 0; t < kStatusCount; ++t) EXPECT_EQ(a.workers[l][t], b.workers[l][t]);
}

TEST(Synthesis, AgeSexMarginMatchesTheScenarioWithinTheRoundingBound) {
  // The age x sex margin the synthesis fits (fit_joint_table): population.age_shares_male and
  // age_shares_female, each band weighted by the part of it below that sex's retirement age,
  // clamp((retirement age - band start) / band width, 0, 1), then normalised over both sexes.
  // A retirement age of 52.5 cuts the women's 50-54 band in half and empties 55-59 and 60-64.
  const Scenario s = test::small_scenario({"demography.retirement_age_female=52.5"}, 1'000'000, 1);
  const Parameters& p = s.parameters();
  const Population pop = synthesize_population(p, RandomStreams(3, 0));
  const std::size_t n = pop.size();
  ASSERT_EQ(n, 1'000'000u);

  const double retirement[kSexCount] = {p.demography.retirement_age_male, p.demography.retirement_age_female};
  double target[kAgeBandCount][kSexCount];
  double sum = 0;
  for (int a = 0; a < kAgeBandCount; ++a)
    for (int x = 0; x < kSexCount; ++x) {
      const double low = kAgeBandEdges[a], high = kAgeBandEdges[a + 1];
      const double part = std::clamp((retirement[x] - low) / (high - low), 0.0, 1.0);
      target[a][x] = (x == 0 ? p.population.age_shares_male[a] : p.population.age_shares_female[a]) * part;
      sum += target[a][x];
    }
  for (auto& row : target)
    for (double& t : row) t /= sum;

  std::int64_t count[kAgeBandCount][kSexCount] = {};
  for (std::size_t i = 0; i < n; ++i) {
    const int age_months = p.scenario.start.index - pop.birth_month[i];
    const auto band = static_cast<int>(std::upper_bound(kAgeBandEdges.begin(), kAgeBandEdges.end(), age_months / 12) -
                                       kAgeBandEdges.begin() - 1);
    ASSERT_GE(band, 0);
    ASSERT_LT(band, kAgeBandCount);
    ++count[band][pop.sex[i]];
  }

  // The integerisation is exact for level totals only (largest remainders over levels, then over
  // each level's cells), not for this margin. Per level, the agents of an age x sex class are
  // off from n x share by (a) less than one agent from rounding the level's total (times the
  // class's part of the level, at most 1) plus (b) less than one agent per (group, status) cell
  // of the class with a positive share (cells with a zero share get exactly 0). Levels with a
  // zero prior in the band contribute nothing. So |count - n x target| < sum over levels with a
  // prior in the band of (1 + positive groups x positive statuses): at most 7 x (1 + 8 x 3) = 175
  // agents here (7 levels have a positive share, 3 statuses), where counting the whole women's
  // 50-54 band would double its 37,600 agents.
  int positive_cells = 0;
  for (int g = 0; g < kGroupCount; ++g)
    for (int t = 0; t < kStatusCount; ++t)
      positive_cells += p.population.group_shares[g] > 0 && p.population.status_shares[t] > 0;
  for (int a = 0; a < kAgeBandCount; ++a) {
    int levels = 0;
    for (int l = 0; l < kLevelCount; ++l)
      levels += p.population.level_by_age_prior(a, l) > 0 && p.population.level_shares[l] > 0;
    const double bound = levels * (1.0 + positive_cells);
    for (int x = 0; x < kSexCount; ++x) {
      const double expected = static_cast<double>(n) * target[a][x];
      if (target[a][x] == 0) {
        EXPECT_EQ(count[a][x], 0) << "band " << kAgeBandIds[a] << " sex " << kSexIds[x] << " is past retirement";
      } else {
        EXPECT_LT(std::abs(static_cast<double>(count[a][x]) - expected), bound)
            << "band " << kAgeBandIds[a] << " sex " << kSexIds[x] << ": " << count[a][x] << " agents, expected "
            << expected;
      }
    }
  }
  // Within the cut band, ages stop at the retirement age (52.5 years = 630 months).
  for (std::size_t i = 0; i < n; ++i) {
    if (pop.sex[i] == 1) {
      ASSERT_LT(p.scenario.start.index - pop.birth_month[i], 630);
    }
  }
}

namespace {

// Two regions of 60% and 40%; the second with three times the first's propensity for 高级工
// (level 4) and above, relative to the uncertified.
Scenario two_regions(const std::string& prior) {
  std::vector<std::string> overrides = {R"(population.regions=["A", "B"])", "population.region_shares=[0.6, 0.4]"};
  if (!prior.empty()) overrides.push_back("population.level_by_region_prior=" + prior);
  return test::small_scenario(overrides, 400000, 1);
}

const std::string kHighSkilledInB = "[[1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 3, 3, 3, 3, 3]]";

// P(region | level) from the fitted cumulative shares.
double region_given_level(const JointTable& joint, int region, int level) {
  const auto& cdf = joint.region_cdf_by_level[static_cast<std::size_t>(level)];
  return cdf[static_cast<std::size_t>(region)] - (region > 0 ? cdf[static_cast<std::size_t>(region - 1)] : 0.0);
}

} // namespace

TEST(Synthesis, LevelByRegionPriorKeepsItsOddsRatiosAndBothMargins) {
  const Scenario s = two_regions(kHighSkilledInB);
  const Parameters& p = s.parameters();
  JointTable joint;
  ASSERT_TRUE(fit_joint_table(p, joint).empty());
  ASSERT_EQ(joint.region_cdf_by_level.size(), static_cast<std::size_t>(kLevelCount));
  const auto& level = p.population.level_shares;
  // The region margin: sum over levels of level share x P(region | level).
  for (int r = 0; r < 2; ++r) {
    double share = 0;
    for (int l = 0; l < kLevelCount; ++l) share += level[l] * region_given_level(joint, r, l);
    EXPECT_NEAR(share, p.population.region_shares[r], 1e-9) << "region " << r;
  }
  // The odds of B over A are three times higher at 高级工 than uncertified, as the prior says,
  // and the same (ratio 1) at 初级工.
  const auto odds = [&](int l) { return region_given_level(joint, 1, l) / region_given_level(joint, 0, l); };
  EXPECT_NEAR(odds(4) / odds(0), 3.0, 1e-9);
  EXPECT_NEAR(odds(2) / odds(0), 1.0, 1e-9);
}

TEST(Synthesis, AgentsFollowTheFittedRegionGivenTheirLevel) {
  // Each agent's region is drawn from P(region | level): per level, the share in region B lies
  // within 4 standard errors of the fitted probability; the level totals are exact as always.
  const Scenario with = two_regions(kHighSkilledInB);
  JointTable joint;
  ASSERT_TRUE(fit_joint_table(with.parameters(), joint).empty());
  const Population pop = synthesize_population(with.parameters(), RandomStreams(11, 0));
  const Population independent = synthesize_population(two_regions("").parameters(), RandomStreams(11, 0));
  std::array<double, kLevelCount> n{}, in_b{}, n_independent{};
  for (std::size_t i = 0; i < pop.size(); ++i) {
    n[pop.level[i]] += 1;
    in_b[pop.level[i]] += pop.region_of(i) == 1;
  }
  for (std::size_t i = 0; i < independent.size(); ++i) n_independent[independent.level[i]] += 1;
  for (int l = 0; l < kLevelCount; ++l) {
    EXPECT_EQ(n[l], n_independent[l]) << "level " << l << ": the level totals do not depend on the regions";
    if (n[l] < 100) continue;
    const double q = region_given_level(joint, 1, l);
    EXPECT_NEAR(in_b[l] / n[l], q, 4 * std::sqrt(q * (1 - q) / n[l])) << "level " << l;
  }
  EXPECT_GT(region_given_level(joint, 1, 4), 0.55) << "the prior moves 高级工 to B well above its 40%";
}

TEST(Synthesis, LevelByRegionPriorOfOneIsTheIndependentDraw) {
  // 1 everywhere is the default: the same agents, bit for bit, as leaving the key out.
  const Population ones = synthesize_population(
      two_regions("[[1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1]]").parameters(), RandomStreams(3, 0));
  const Population left_out = synthesize_population(two_regions("").parameters(), RandomStreams(3, 0));
  EXPECT_EQ(ones.region, left_out.region);
  EXPECT_EQ(ones.level, left_out.level);
}

TEST(Synthesis, LevelByRegionPriorErrorsNameTheKey) {
  Parameters p = two_regions("").parameters();
  // A level with people (高级工) but a prior of 0 in every region.
  p.population.level_by_region_prior.values = {1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1};
  JointTable joint;
  auto issues = fit_joint_table(p, joint);
  EXPECT_TRUE(
      test::has_issue(issues, "population.level_by_region_prior", "but a prior of 0 in every region with people"))
      << test::dump(issues);
  // A region with people but a prior of 0 at every level.
  p.population.level_by_region_prior.values = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  issues = fit_joint_table(p, joint);
  EXPECT_TRUE(test::has_issue(issues, "population.level_by_region_prior",
                              "region 1 (B) has people but a prior of 0 at every level with a share"))
      << test::dump(issues);
  // One row per region, one column per level.
  p.population.level_by_region_prior = RealMatrix{1, kLevelCount, std::vector<double>(kLevelCount, 1.0)};
  EXPECT_TRUE(test::has_issue(check(p), "population.level_by_region_prior",
                              "expected 2 rows (one per region (as listed in population.regions)) of 9 values"))
      << test::dump(check(p));
}
