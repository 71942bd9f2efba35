// Matching by level (employers.matching = "cobb_douglas_by_level", issue 15): one market per
// region x level, U the unemployed of the level and V the vacancies at the level. The markets by
// hand; the month's job finds of each market within 4 standard errors of its matches; hires going
// to the size classes with vacancies at their level in proportion (4 standard errors); every
// employed worker in one cell every month; the results; validation and the twin's refusal; 1 vs 2
// threads and snapshots. "hazard" and "cobb_douglas" are unchanged (test_employers.cpp, golden).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/employers.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/synthesis.hpp"
#include "skillsim/core/twin.hpp"

using namespace skillsim;
using test::dump;
using test::everything_off;
using test::has_issue;
using test::operator+;

namespace {

constexpr auto kEmployed = static_cast<std::uint8_t>(Status::Employed);
constexpr auto kUnemployed = static_cast<std::uint8_t>(Status::Unemployed);

// Posts per 1000 by size class, each row summing to 1000: large firms with more posts from 初级工
// up, small ones with more posts without a certificate and for 学徒工. Against the default level
// structure (about 80% without a certificate) some levels have vacancies in both classes, some
// in one only.
const char* kLevelledPosts = "[[700, 0, 150, 80, 50, 15, 5, 0, 0], [850, 30, 60, 40, 20, 0, 0, 0, 0]]";
const double kRows[2][kLevelCount] = {{700, 0, 150, 80, 50, 15, 5, 0, 0}, {850, 30, 60, 40, 20, 0, 0, 0, 0}};

// Two size classes, two regions, matching by level; `changes` replace or add employer keys.
std::vector<std::string> by_level(std::map<std::string, std::string> changes = {}) {
  std::map<std::string, std::string> settings = {{"size_classes", R"(["large", "small"])"},
                                                 {"labels", R"(["大型企业", "中小企业"])"},
                                                 {"size_shares", "[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]"},
                                                 {"matching", R"("cobb_douglas_by_level")"},
                                                 {"posts_per_1000", kLevelledPosts}};
  for (auto& [k, v] : changes) settings[k] = v;
  std::vector<std::string> out = {R"(population.regions=["north", "south"])", "population.region_shares=[0.4, 0.6]"};
  for (auto& [k, v] : settings) out.push_back("employers." + k + "=" + v);
  return out;
}

// A scenario from `schedule` (TOML text) over the processes switched off, 20,000 persons, starting
// with one market per region ("cobb_douglas") and the levelled posts unless `changes` say otherwise.
Scenario with_schedule(const std::string& schedule, int months, std::map<std::string, std::string> changes = {}) {
  changes.emplace("matching", R"("cobb_douglas")");
  return io::parse_scenario(schedule, "plan.toml",
                            everything_off() + by_level(changes) +
                                std::vector<std::string>{"population.size=20000", "population.scale=1",
                                                         "scenario.months=" + std::to_string(months)});
}

Agent agent(std::uint64_t id, int level, std::uint8_t status, int group) {
  Agent a;
  a.id = id;
  a.birth_month = Month::of(1980, 1).index;
  a.level = static_cast<Level>(level);
  a.status = static_cast<Status>(status);
  a.group = static_cast<Group>(group);
  a.sector = 1;
  a.region = 0;
  a.employer = status == kEmployed ? 1 : kNoEmployer; // sector 1, the one size class
  return a;
}

} // namespace

TEST(MatchingByLevel, TwoMarketsByHand) {
  // One region, one size class, posts only at 中级工 (3) and 高级工 (4), 500 per 1000 each. A cell of
  // 1000 posts with 400 中级工 and 484 高级工 employed has 100 and 16 vacancies; 400 and 81
  // unemployed seek work at those levels. A = 0.2, alpha = 0.5:
  //   中级工: M = 0.2 x sqrt(400 x 100) = 40, 0.1 per seeker;
  //   高级工: M = 0.2 x sqrt(81 x 16) = 7.2, 7.2 / 81 per seeker.
  const Scenario s = test::small_scenario(
      everything_off() +
          std::vector<std::string>{R"(employers.size_classes=["all"])", R"(employers.labels=["全部"])",
                                   "employers.size_shares=[[1, 1, 1]]", R"(employers.matching="cobb_douglas_by_level")",
                                   "employers.posts_per_1000=[[0, 0, 0, 500, 500, 0, 0, 0, 0]]",
                                   "employers.matching_efficiency=0.2", "employers.matching_elasticity=0.5",
                                   "labour.job_find_multiplier=1.5", "labour.job_find_region_factor=[1.2]",
                                   "labour.job_find_group_factor=[1, 2, 1, 1, 1, 1, 1, 1]",
                                   // Not applied by level: the market of the level sets the rate.
                                   "labour.job_find_level_factor=[1, 1, 1, 3, 0.5, 1, 1, 1, 1]"},
      1000, 1, 1);
  const Parameters& p = s.parameters();
  Population pop(agent_columns(p));
  std::uint64_t id = 0;
  const auto add = [&](int n, int level, std::uint8_t status) {
    for (int k = 0; k < n; ++k, ++id) pop.push_back(agent(id, level, status, static_cast<int>(id % 2)));
  };
  add(400, 3, kEmployed);
  add(484, 4, kEmployed);
  add(400, 3, kUnemployed);
  add(81, 4, kUnemployed);
  Employers e(p);
  ASSERT_EQ(e.cells(), 3u);
  e.restore(Employers::State{{0, 1000, 0}});
  e.count(p, p.scenario.start, pop);
  TransitionRates rates(p);
  e.begin_month(p, p.scenario.start, rates);
  ASSERT_EQ(rates.job_find_by_region.size(), static_cast<std::size_t>(kLevelCount * kGroupCount));
  const auto& t = e.tally();
  ASSERT_EQ(t.market_seekers.size(), static_cast<std::size_t>(kLevelCount));
  EXPECT_EQ(t.market_seekers[3], 400);
  EXPECT_EQ(t.market_seekers[4], 81);
  EXPECT_NEAR(t.market_matches[3], 40, 1e-12);
  EXPECT_NEAR(t.market_matches[4], 7.2, 1e-12);
  for (int l = 0; l < kLevelCount; ++l)
    for (int g = 0; g < kGroupCount; ++g) {
      // x 1.5 (multiplier) x 1.2 (region) x 2 for group 1; capped at 1.
      const double per_seeker = l == 3 ? 0.1 : l == 4 ? 7.2 / 81 : 0;
      const double expected = std::min(1.0, per_seeker * 1.5 * 1.2 * (g == 1 ? 2 : 1));
      EXPECT_NEAR(rates.job_find_by_region[TransitionRates::labour_index(0, l, g)], expected, 1e-12)
          << "level " << l << ", group " << g;
    }
  EXPECT_NEAR(rates.job_find_by_region[TransitionRates::labour_index(0, 3, 1)], 0.36, 1e-12);
  EXPECT_NEAR(rates.job_find_by_region[TransitionRates::labour_index(0, 4, 0)], 0.16, 1e-12);
  // One market per region instead: U = 481, V = 1000 - 884 = 116, and the level factors apply.
  Parameters regional = p;
  regional.employers.matching = "cobb_douglas";
  TransitionRates one_market(regional);
  e.begin_month(regional, p.scenario.start, one_market);
  const double m = 0.2 * std::sqrt(481.0 * 116.0);
  EXPECT_NEAR(one_market.job_find_by_region[TransitionRates::labour_index(0, 3, 0)],
              std::min(1.0, m / 481 * 1.5 * 3 * 1.2), 1e-12);
  EXPECT_TRUE(e.tally().market_matches.empty()); // only matching by level has markets by level
}

TEST(MatchingByLevel, JobFindsAndHiresOfEachMarketWithinFourStandardErrors) {
  // Nothing moves but job finding (no level changes, no entrants): the month's finds per region x
  // level and the size classes the hires go to are counted by hand against the markets.
  const Scenario s = test::small_scenario(
      everything_off() + by_level({{"matching_efficiency", "0.2"}, {"vacancy_rate", "0.3"}}), 150000, 1, 1);
  ReplicateState state(s, 9, 0);
  const Population& pop = state.population();
  const std::size_t regions = 2, sizes = 2, cells = kSectorCount * sizes, levels = kLevelCount;
  // By hand from the agents: employed by region x cell x level, unemployed by region x level.
  std::vector<std::int64_t> employed(regions * cells * levels, 0), seekers(regions * levels, 0);
  std::vector<std::uint8_t> was_unemployed(pop.size(), 0);
  for (std::size_t i = 0; i < pop.size(); ++i) {
    if (pop.status[i] == kEmployed) ++employed[(pop.region_of(i) * cells + pop.employer[i]) * levels + pop.level[i]];
    if (pop.status[i] == kUnemployed) {
      ++seekers[pop.region_of(i) * levels + pop.level[i]];
      was_unemployed[i] = 1;
    }
  }
  // Posts of a cell: round(1.3 x its employed); at a level: floor(posts x row / 1000).
  std::vector<double> vacant(regions * cells * levels, 0), cell_vacant(regions * cells, 0);
  for (std::size_t rc = 0; rc < regions * cells; ++rc) {
    std::int64_t total = 0;
    for (std::size_t l = 0; l < levels; ++l) total += employed[rc * levels + l];
    const auto posts = static_cast<double>(std::llround(1.3 * static_cast<double>(total)));
    cell_vacant[rc] = std::max(0.0, posts - static_cast<double>(total));
    for (std::size_t l = 0; l < levels; ++l) {
      const double at_level = std::floor(posts * kRows[(rc % cells) % sizes][l] / 1000 + 1e-9);
      vacant[rc * levels + l] = std::max(0.0, at_level - static_cast<double>(employed[rc * levels + l]));
    }
  }
  std::vector<double> matches(regions * levels, 0);
  for (std::size_t r = 0; r < regions; ++r)
    for (std::size_t l = 0; l < levels; ++l) {
      double v = 0;
      for (std::size_t c = 0; c < cells; ++c) v += vacant[(r * cells + c) * levels + l];
      matches[r * levels + l] = cobb_douglas_matches(0.2, 0.5, static_cast<double>(seekers[r * levels + l]), v);
    }
  state.step();
  // The month's markets are the ones counted by hand.
  const auto& t = state.employers().tally();
  ASSERT_EQ(t.market_seekers, seekers);
  for (std::size_t k = 0; k < regions * levels; ++k) EXPECT_NEAR(t.market_matches[k], matches[k], 1e-9) << k;
  // Finds per market, and hires by region x sector x level x size class.
  std::vector<std::int64_t> finds(regions * levels, 0), hires(regions * kSectorCount * levels * sizes, 0);
  for (std::size_t i = 0; i < pop.size(); ++i) {
    if (!was_unemployed[i] || pop.status[i] != kEmployed) continue;
    ++finds[pop.region_of(i) * levels + pop.level[i]];
    ASSERT_NE(pop.employer[i], kNoEmployer);
    ++hires[((pop.region_of(i) * kSectorCount + pop.sector[i]) * levels + pop.level[i]) * sizes +
            pop.employer[i] % sizes];
  }
  int markets = 0;
  for (std::size_t k = 0; k < regions * levels; ++k) {
    const auto u = static_cast<double>(seekers[k]);
    if (u == 0) {
      EXPECT_EQ(finds[k], 0);
      continue;
    }
    const double q = matches[k] / u; // the rate of every seeker of the market (factors 1)
    EXPECT_NEAR(static_cast<double>(finds[k]), matches[k], 4 * std::sqrt(u * q * (1 - q)) + 1e-9)
        << "region " << k / levels << ", level " << k % levels << ": U " << u << ", M " << matches[k];
    markets += matches[k] >= 20;
  }
  EXPECT_GE(markets, 6); // the test has power: markets with many matches in both regions
  int both = 0, one = 0;
  for (std::size_t r = 0; r < regions; ++r)
    for (std::size_t sec = 0; sec < static_cast<std::size_t>(kSectorCount); ++sec)
      for (std::size_t l = 0; l < levels; ++l) {
        const std::size_t at = ((r * kSectorCount + sec) * levels + l) * sizes;
        const std::int64_t n = hires[at] + hires[at + 1];
        if (n == 0) continue;
        // Vacancies at the hire's level in its sector's cells; where there are none, all vacancies.
        double v[2], total = 0;
        for (std::size_t k = 0; k < sizes; ++k) {
          v[k] = vacant[(r * cells + sec * sizes + k) * levels + l];
          total += v[k];
        }
        if (total == 0)
          for (std::size_t k = 0; k < sizes; ++k) {
            v[k] = cell_vacant[r * cells + sec * sizes + k];
            total += v[k];
          }
        ASSERT_GT(total, 0);
        for (std::size_t k = 0; k < sizes; ++k) {
          const double share = v[k] / total;
          if (share == 0) {
            EXPECT_EQ(hires[at + k], 0) << "no vacancy at level " << l << " in size class " << k;
          }
          const double sd = std::sqrt(static_cast<double>(n) * share * (1 - share));
          EXPECT_NEAR(static_cast<double>(hires[at + k]), static_cast<double>(n) * share, 4 * sd + 1e-9)
              << "region " << r << ", sector " << sec << ", level " << l << ", size class " << k;
        }
        if (n >= 20) (v[0] > 0 && v[1] > 0 ? both : one) += 1;
      }
  // Both kinds are exercised: levels with vacancies in both size classes, and in one only.
  EXPECT_GE(both, 3);
  EXPECT_GE(one, 3);
}

TEST(MatchingByLevel, EveryEmployedWorkerBelongsToOneCellEveryMonth) {
  // The defaults' dynamics (deaths, retirements, entrants, job loss, assessments) with matching by
  // level and growing posts.
  const Scenario s = test::small_scenario(by_level({{"post_growth_per_year", "0.05"}}), 30000, 1, 14);
  ReplicateState state(s, 7, 0);
  test::expect_employers_consistent(state, 2, 2, 0);
  std::int64_t finds = 0;
  for (int m = 1; m <= 14; ++m) {
    state.step();
    test::expect_employers_consistent(state, 2, 2, m);
    finds += state.last_flows().job_finds;
  }
  EXPECT_GT(finds, 0);
}

TEST(MatchingByLevel, ResultsReportEachMarketAndOnlyInThatMode) {
  const Scenario s = test::small_scenario(by_level(), 20000, 5, 3);
  const Results r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.has_variable("employer_seekers"));
  ASSERT_TRUE(r.has_variable("employer_matches"));
  // Month by month against the tallies of the same replicate (scale 5: persons = 5 x agents).
  ReplicateState state(s, static_cast<std::uint64_t>(RunOptions{}.seed), 0);
  std::int64_t seekers = 0;
  for (std::size_t t = 1; t <= 3; ++t) {
    state.step();
    const auto& tally = state.employers().tally();
    for (std::size_t k = 0; k < 2 * kLevelCount; ++k) {
      EXPECT_EQ(test::at(r, "employer_seekers", 0, t, k), 5 * tally.market_seekers[k]) << t << " " << k;
      EXPECT_EQ(test::at(r, "employer_matches", 0, t, k), std::llround(5 * tally.market_matches[k])) << t << " " << k;
      seekers += tally.market_seekers[k];
    }
  }
  EXPECT_GT(seekers, 0);
  // Not declared under the other matching rules.
  for (const char* other : {"hazard", "cobb_douglas"}) {
    const Results o = run_scenario(
        test::small_scenario(by_level({{"matching", std::string("\"") + other + "\""}}), 20000, 5, 1), RunOptions{});
    EXPECT_FALSE(o.has_variable("employer_seekers")) << other;
    EXPECT_FALSE(o.has_variable("employer_matches")) << other;
  }
  // Declared when a schedule switches to it, 0 in the months before.
  const Scenario switched = with_schedule(
      "[[schedule]]\ndate = 2016-03-01\nset = { \"employers.matching\" = \"cobb_douglas_by_level\" }\n", 3);
  const Results later = run_scenario(switched, RunOptions{});
  ASSERT_TRUE(later.has_variable("employer_matches"));
  std::int64_t before = 0, after = 0;
  for (std::size_t k = 0; k < 2 * kLevelCount; ++k) {
    before += test::at(later, "employer_seekers", 0, 1, k) + test::at(later, "employer_seekers", 0, 2, k);
    after += test::at(later, "employer_seekers", 0, 3, k);
  }
  EXPECT_EQ(before, 0);
  EXPECT_GT(after, 0);
}

TEST(MatchingByLevel, EveryValidationMessage) {
  Parameters p = test::small_scenario(by_level()).parameters();
  EXPECT_TRUE(check(p).empty()) << dump(check(p));
  // A row that does not sum to 1000: named by key, size class and sum, at the posts and at the
  // matching (so that a schedule changing either is told).
  Parameters short_row = p;
  short_row.employers.posts_per_1000.values[kLevelCount + 8] = 2.5; // small: 1002.5
  auto issues = check(short_row);
  EXPECT_TRUE(has_issue(issues, "employers.posts_per_1000[1]",
                        "the posts of size class 'small' sum to 1002.5 per 1000, not 1000: with employers.matching = "
                        "\"cobb_douglas_by_level\" every post has a level"))
      << dump(issues);
  EXPECT_TRUE(has_issue(issues, "employers.matching",
                        "\"cobb_douglas_by_level\" needs every row of employers.posts_per_1000 to sum to 1000 (every "
                        "post has a level); size class 'small' sums to 1002.5"))
      << dump(issues);
  EXPECT_FALSE(has_issue(issues, "employers.posts_per_1000[0]", "")) << dump(issues);
  // The same rows are fine under the other rules (posts need not all have a level there).
  short_row.employers.matching = "cobb_douglas";
  EXPECT_TRUE(check(short_row).empty()) << dump(check(short_row));
  // Posts left at their default (0 everywhere) do not sum to 1000 either.
  const auto defaults = [] {
    try {
      test::small_scenario(by_level({{"posts_per_1000", "[]"}}));
    } catch (const ScenarioError& e) {
      std::string listing;
      for (const auto& d : e.diagnostics()) listing += d.key + ": " + d.message + "\n";
      return listing;
    }
    return std::string("no error");
  }();
  EXPECT_NE(defaults.find("employers.posts_per_1000[0]: the posts of size class 'large' sum to 0 per 1000"),
            std::string::npos)
      << defaults;
  // An unknown rule lists the allowed ones.
  Parameters unknown = p;
  unknown.employers.matching = "cobb_douglas_bylevel";
  issues = check(unknown);
  EXPECT_TRUE(has_issue(issues, "employers.matching",
                        "unknown matching 'cobb_douglas_bylevel'; did you mean 'cobb_douglas_by_level'? (expected "
                        "\"hazard\", \"cobb_douglas\" or \"cobb_douglas_by_level\")"))
      << dump(issues);
  // A schedule that switches to matching by level with posts that do not all have a level is told.
  try {
    with_schedule("[[schedule]]\ndate = 2016-03-01\nset = { \"employers.matching\" = \"cobb_douglas_by_level\" }\n", 3,
                  {{"posts_per_1000", "[[0, 0, 0, 0, 0, 0, 0, 5, 1], [0, 0, 0, 0, 0, 0, 0, 1, 0]]"}});
    ADD_FAILURE() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    std::string listing;
    for (const auto& d : e.diagnostics()) listing += d.key + ": " + d.message + "\n";
    EXPECT_NE(listing.find("schedule[0].set.employers.matching: \"cobb_douglas_by_level\" needs every row of "
                           "employers.posts_per_1000 to sum to 1000 (every post has a level); size class 'large' sums "
                           "to 6"),
              std::string::npos)
        << listing;
  }
  // Validation checks each scheduled change against the start; a schedule that switches on one date
  // and sets unlevelled posts on another passes it, and the run stops in the month it would start.
  const Scenario combined = with_schedule(
      "[[schedule]]\ndate = 2016-02-01\nset = { \"employers.matching\" = \"cobb_douglas_by_level\" }\n"
      "[[schedule]]\ndate = 2016-03-01\nset = { \"employers.posts_per_1000\" = [[0, 0, 0, 0, 0, 0, 0, 5, 1], [0, 0, "
      "0, 0, 0, 0, 0, 1, 0]] }\n",
      4);
  try {
    run_scenario(combined, RunOptions{});
    ADD_FAILURE() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "in the month from 2016-03-01 employers.matching = \"cobb_douglas_by_level\" but the posts of size class "
              "'large' (employers.posts_per_1000[0]) sum to 6 per 1000, not 1000: with matching by level every post "
              "has a level (check the schedule)");
  }
}

TEST(MatchingByLevel, TheTwinRefusesItByName) {
  const std::vector<Issue> issues = twin_refusals(test::small_scenario(by_level(), 20000));
  ASSERT_FALSE(issues.empty());
  EXPECT_TRUE(has_issue(issues, "employers.matching",
                        "the twin does not model job finding by matching (employers.matching = "
                        "\"cobb_douglas_by_level\", only \"hazard\") yet"))
      << dump(issues);
}

TEST(MatchingByLevel, IdenticalForOneAndTwoThreads) {
  const Results r = test::expect_same_for_one_and_two_threads(
      test::small_scenario(by_level({{"appointment_needs_post", "[0, 0, 0, 0, 0, 0, 0, 1, 1]"},
                                     {"posts_per_1000", "[[700, 0, 150, 80, 45, 15, 5, 4, 1], [850, 30, 60, 40, "
                                                        "19, 0, 0, 1, 0]]"}}) +
                               std::vector<std::string>{"skills.principal_technician_quota_per_year=50000"},
                           60000, 1, 12),
      2);
  std::int64_t matches = 0;
  for (std::size_t t = 1; t <= 12; ++t)
    for (std::size_t k = 0; k < 2 * kLevelCount; ++k) matches += test::at(r, "employer_matches", 0, t, k);
  EXPECT_GT(matches, 0);
}

TEST(MatchingByLevel, ASnapshotContinuesTheRunBitForBit) {
  // Matching by level adds no state: the markets are counted again from the restored population.
  const Scenario s = test::small_scenario(by_level({{"post_growth_per_year", "0.05"}}), 30000, 1, 10);
  const ReplicateSnapshot saved = test::expect_continues_from_snapshot(s, 5, 5);
  EXPECT_FALSE(saved.employers.initial_posts.empty());
}

TEST(Employers, APopulationWithoutTheEmployerColumnIsAnErrorNotACrash) {
  // The employer column is optional: a population made without it (Population{}) cannot be
  // counted by employer cell, and says so instead of reading a column that is not there.
  const Scenario s = test::small_scenario(
      everything_off() + std::vector<std::string>{R"(employers.size_classes=["all"])", R"(employers.labels=["全部"])",
                                                  "employers.size_shares=[[1, 1, 1]]"},
      1000, 1, 1);
  Population pop;
  pop.push_back(agent(0, 3, kEmployed, 0));
  Employers e(s.parameters());
  e.restore(Employers::State{{0, 10, 0}});
  try {
    e.count(s.parameters(), s.parameters().scenario.start, pop);
    FAIL() << "counted a population without the employer column";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("no 'employer' column"), std::string::npos) << error.what();
  }
}
