// Migration between regions (migration.*) and the regional factors (labour.*_region_factor,
// skills.*_factor_by_region), docs/model.md "Migration between regions": the stocks by region
// balanced exactly with entries, deaths and moves, the moves against their closed form, the
// factors by level and status, the regional factors' effect, 1 vs 2 threads, and the validation
// messages.
//
// Tolerance: a count k out of n with probability p must lie within 4 binomial standard errors,
// |k - n p| <= 4 sqrt(n p (1 - p)) (the seeds are fixed, so the outcome is reproducible).
#include <gtest/gtest.h>

#include <array>

#include <cmath>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/sweep.hpp"
#include "skillsim/core/twin.hpp"

using namespace skillsim;
using test::everything_off;
using test::operator+;

namespace {

constexpr double kSigmas = 4;
constexpr auto kEmployed = static_cast<std::uint8_t>(Status::Employed);
constexpr auto kUnemployed = static_cast<std::uint8_t>(Status::Unemployed);
constexpr auto kRemoved = static_cast<std::uint8_t>(Status::Removed);

void expect_count(double observed, double n, double p, const std::string& what) {
  const double se = std::sqrt(n * p * (1 - p));
  EXPECT_LE(std::abs(observed - n * p), kSigmas * se + 1e-9)
      << what << ": observed " << observed << ", expected " << n * p << " +- " << se;
}

// The problems of a scenario built from the defaults and `overrides`, one per line.
std::string problems(const std::vector<std::string>& overrides) {
  try {
    io::parse_scenario("", "<test>", overrides);
  } catch (const ScenarioError& e) {
    std::string out;
    for (const auto& d : e.diagnostics()) out += d.key + ": " + d.message + "\n";
    return out;
  }
  return "";
}

const std::vector<std::string> kThreeRegions = {R"(population.regions=["north", "centre", "south"])",
                                                "population.region_shares=[0.5, 0.3, 0.2]"};

// Three regions with every process on (the defaults: deaths, retirements, entrants, the labour
// market, assessments, appointments), regional factors, and migration between every pair, with
// employed migrants keeping their job or not.
Scenario busy_scenario(const std::string& arrival, int months, const std::vector<std::string>& extra = {}) {
  return test::small_scenario(
      kThreeRegions + extra +
          std::vector<std::string>{
              "migration.rate=[[0, 0.02, 0.01], [0.005, 0, 0.03], [0.01, 0.002, 0]]",
              "migration.level_factor=[1, 1, 1.2, 1, 0.8, 0.5, 0.5, 0, 0]",
              "migration.status_factor=[0, 1, 1.5, 0.5, 1, 0.2]", "migration.employed_on_arrival=\"" + arrival + "\"",
              "labour.job_find_region_factor=[1, 1.3, 0.7]", "labour.job_loss_region_factor=[0.9, 1, 1.4]",
              "skills.assessment_factor_by_region=[1.2, 1, 0.6]", "skills.pass_factor_by_region=[1, 0.9, 1]"},
      60000, 1, months);
}

std::int64_t stock(const Results& r, std::size_t rep, std::size_t t, std::size_t region) {
  std::int64_t sum = 0;
  for (std::size_t l = 0; l < kLevelCount; ++l)
    sum += test::at(r, "workers_by_region", rep, t, region * kLevelCount + l);
  return sum;
}

// stock(t) = stock(t-1) + entries - exits + moves in - moves out, for every region and month of
// every replicate, exactly; the moves add up (in = out overall, nobody moves to its own region),
// and the regional flows add up to the national ones. Returns the moves, entries and exits.
std::array<std::int64_t, 3> expect_regions_balance(const Results& r, std::size_t replicates, std::size_t months,
                                                   std::size_t n, const std::string& label) {
  std::int64_t moved = 0, entered = 0, left = 0;
  for (std::size_t rep = 0; rep < replicates; ++rep)
    for (std::size_t t = 1; t <= months; ++t) {
      std::int64_t in_total = 0, out_total = 0, entries_total = 0, exits_total = 0;
      for (std::size_t g = 0; g < n; ++g) {
        std::int64_t in = 0, out = 0;
        for (std::size_t h = 0; h < n; ++h) {
          in += test::at(r, "migrations", rep, t, h * n + g);
          out += test::at(r, "migrations", rep, t, g * n + h);
        }
        EXPECT_EQ(test::at(r, "migrations", rep, t, g * n + g), 0) << "nobody moves to the region it is in";
        EXPECT_EQ(in, test::at(r, "migration_in", rep, t, g));
        EXPECT_EQ(out, test::at(r, "migration_out", rep, t, g));
        EXPECT_EQ(stock(r, rep, t, g), stock(r, rep, t - 1, g) + test::at(r, "entries_by_region", rep, t, g) -
                                           test::at(r, "exits_by_region", rep, t, g) +
                                           test::at(r, "migration_in", rep, t, g) -
                                           test::at(r, "migration_out", rep, t, g))
            << label << ", replicate " << rep << ", month " << t << ", region " << g;
        in_total += in;
        out_total += out;
        entries_total += test::at(r, "entries_by_region", rep, t, g);
        exits_total += test::at(r, "exits_by_region", rep, t, g);
      }
      EXPECT_EQ(in_total, out_total);
      EXPECT_EQ(entries_total, test::at(r, "entries", rep, t));
      EXPECT_EQ(exits_total, test::at(r, "exits", rep, t));
      moved += in_total;
      entered += entries_total;
      left += exits_total;
    }
  return {moved, entered, left};
}

} // namespace

TEST(Migration, StocksByRegionBalanceWithEntriesExitsAndMoves) {
  // Every process on, employed migrants keeping their job or not; the same for 1 and 2 threads.
  for (const std::string arrival : {"employed", "unemployed"}) {
    const Results r = test::expect_same_for_one_and_two_threads(busy_scenario(arrival, 24), 2);
    const auto [moved, entered, left] = expect_regions_balance(r, 2, 24, 3, arrival);
    EXPECT_GT(moved, 0);
    EXPECT_GT(entered, 0);
    EXPECT_GT(left, 0);
  }
}

TEST(Migration, StocksByRegionBalanceWithStudentsEnrollingAndGraduating) {
  // The same with technical schools: enrolees enter their region as students (who never move:
  // the students' status factor is 0) and graduate there into the workforce, so every region
  // still balances, students included, and students were there to count.
  const Scenario s = busy_scenario(
      "employed", 24,
      std::vector<std::string>{
          R"(schools.routes=["intermediate"])", R"(schools.labels=["中级工班"])", "schools.diploma_level=[3]",
          "schools.length_months=[12]", "schools.entry_age_min=[15]", "schools.entry_age_max=[16]",
          "schools.dropout_rate=[0.02]", "schools.enrolment_plan_per_year=[[1200, 600, 300]]",
          "schools.initial_students=[[300, 100, 50]]", R"(schools.graduate_group="urban_employee")",
          "entry.technical_school_graduates_per_year=0"});
  const Results r = test::expect_same_for_one_and_two_threads(s, 1);
  expect_regions_balance(r, 1, 24, 3, "with schools");
  for (std::size_t g = 0; g < 3; ++g) { // one route: (route, region) is the region
    std::int64_t graduates = 0;
    for (std::size_t t = 1; t <= 24; ++t) graduates += test::at(r, "school_graduates", 0, t, g);
    EXPECT_GT(test::at(r, "school_students", 0, 24, g), 0) << "region " << g;
    EXPECT_GT(graduates, 0) << "region " << g;
  }
}

TEST(Migration, StocksFollowTheTwoRegionClosedForm) {
  // Everybody starts in region A; each month a worker in A moves to B with probability a and one
  // in B back with b, nothing else happens. After n months a worker is in B with probability
  // pi(n) = a / (a + b) (1 - (1 - a - b)^n), independently of the others: the stock of B is
  // binomial(N, pi(n)), and the first month's moves binomial(N, a).
  constexpr double a = 0.03, b = 0.01;
  constexpr int months = 24;
  const Scenario s = test::small_scenario(
      everything_off() +
          std::vector<std::string>{R"(population.regions=["A", "B"])", "population.region_shares=[1, 0]",
                                   "migration.rate=[[0, " + std::to_string(a) + "], [" + std::to_string(b) + ", 0]]",
                                   "migration.status_factor=[0, 1, 1, 1, 1, 1]"},
      100000, 1, months);
  RunOptions o;
  o.seed = 7;
  const Results r = run_scenario(s, o);
  const auto total = static_cast<double>(stock(r, 0, 0, 0));
  ASSERT_EQ(stock(r, 0, 0, 1), 0);
  expect_count(static_cast<double>(test::at(r, "migrations", 0, 1, 0 * 2 + 1)), total, a, "A -> B in month 1");
  EXPECT_EQ(test::at(r, "migrations", 0, 1, 1 * 2 + 0), 0) << "nobody in B to move back in month 1";
  for (int n : {1, 6, 12, 24}) {
    const double pi = a / (a + b) * (1 - std::pow(1 - a - b, n));
    expect_count(static_cast<double>(stock(r, 0, static_cast<std::size_t>(n), 1)), total, pi,
                 "stock of B after " + std::to_string(n) + " months");
    EXPECT_EQ(stock(r, 0, static_cast<std::size_t>(n), 0) + stock(r, 0, static_cast<std::size_t>(n), 1),
              static_cast<std::int64_t>(total));
  }
}

TEST(Migration, ZeroFactorsKeepALevelAndAStatusInPlace) {
  // Level 3 (中级工) and the unemployed have factor 0: none of them moves; the others move with
  // rate x factor, and each employed migrant keeps its job (employed_on_arrival = "employed").
  constexpr double a = 0.2;
  for (const std::string arrival : {"employed", "unemployed"}) {
    const Scenario s = test::small_scenario(
        everything_off() + std::vector<std::string>{R"(population.regions=["A", "B"])",
                                                    "population.region_shares=[1, 0]",
                                                    "migration.rate=[[0, " + std::to_string(a) + "], [0, 0]]",
                                                    "migration.level_factor=[1, 1, 1, 0, 0.5, 1, 1, 1, 1]",
                                                    "migration.status_factor=[0, 1, 0, 1, 1, 1]",
                                                    "migration.employed_on_arrival=\"" + arrival + "\""},
        100000, 1, 1);
    ReplicateState state(s, 3, 0);
    const Population before = state.population();
    state.step();
    const Population& after = state.population();
    std::int64_t n_half = 0, moved_half = 0, n_full = 0, moved_full = 0;
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (before.status[i] == kRemoved) continue;
      const bool moved = after.region[i] != before.region[i];
      if (before.level[i] == 3 || before.status[i] == kUnemployed) {
        EXPECT_FALSE(moved) << "agent " << i << " at level " << int(before.level[i]) << ", status "
                            << int(before.status[i]);
        continue;
      }
      if (before.status[i] == kEmployed && moved) {
        EXPECT_EQ(after.status[i], arrival == "employed" ? kEmployed : kUnemployed) << "agent " << i;
      } else {
        EXPECT_EQ(after.status[i], before.status[i]) << "agent " << i;
      }
      EXPECT_EQ(after.level[i], before.level[i]);
      EXPECT_EQ(after.group[i], before.group[i]);
      if (before.status[i] == static_cast<std::uint8_t>(Status::Student) ||
          before.status[i] == static_cast<std::uint8_t>(Status::Retired))
        continue;
      if (before.level[i] == 4) {
        ++n_half;
        moved_half += moved;
      } else {
        ++n_full;
        moved_full += moved;
      }
    }
    ASSERT_GT(n_half, 1000);
    expect_count(static_cast<double>(moved_half), static_cast<double>(n_half), a * 0.5, "高级工 (factor 0.5)");
    expect_count(static_cast<double>(moved_full), static_cast<double>(n_full), a, "other levels (factor 1)");
    EXPECT_EQ(moved_half + moved_full, state.last_flows().migrations[0 * 2 + 1]);
  }
}

TEST(Migration, RegionalFactorsScaleJobFindingAndJobLoss) {
  // Everybody unemployed: job finding p in region A, p x 2.5 in B. Then everybody employed: job
  // loss q in A, q x 0.4 in B. Counted per region over one month.
  constexpr double p = 0.2, q = 0.05;
  for (const bool finding : {true, false}) {
    const Scenario s = test::small_scenario(
        everything_off() +
            std::vector<std::string>{
                R"(population.regions=["A", "B"])", "population.region_shares=[0.5, 0.5]",
                finding ? "population.status_shares=[0, 0, 1, 0, 0, 0]" : "population.status_shares=[0, 1, 0, 0, 0, 0]",
                "labour.job_find_rate=" + std::to_string(p), "labour.job_loss_rate=" + std::to_string(q),
                "labour.job_find_region_factor=[1, 2.5]", "labour.job_loss_region_factor=[1, 0.4]"},
        100000, 1, 1);
    ReplicateState state(s, 5, 0);
    const Population before = state.population();
    state.step();
    const Population& after = state.population();
    std::int64_t n[2] = {}, changed[2] = {};
    for (std::size_t i = 0; i < before.size(); ++i) {
      ++n[before.region[i]];
      changed[before.region[i]] += after.status[i] != before.status[i];
    }
    const double pa = finding ? p : q, pb = finding ? p * 2.5 : q * 0.4;
    const std::string what = finding ? "job finding" : "job loss";
    expect_count(static_cast<double>(changed[0]), static_cast<double>(n[0]), pa, what + " in A");
    expect_count(static_cast<double>(changed[1]), static_cast<double>(n[1]), pb, what + " in B");
  }
}

TEST(Migration, RegionalAssessmentFactorsEnterTheRatesTable) {
  // sit and pass by region: the base rate x the region's factor, capped at 1; the other regions'
  // and the factor-1 tables are the rates themselves.
  Parameters p =
      test::small_scenario(kThreeRegions + std::vector<std::string>{"skills.assessment_factor_by_region=[1, 2, 0]",
                                                                    "skills.pass_factor_by_region=[1, 1, 1.1]"})
          .parameters();
  const TransitionRates rates(p);
  ASSERT_EQ(rates.class_regions, 3U);
  const int employed = static_cast<int>(Status::Employed);
  for (int level = 2; level < 7; ++level)
    for (int cls : {0, 17, kPersonClassCount - 1}) {
      EXPECT_EQ(rates.sit_probability(level, employed, cls, 0), rates.sit[level][employed]);
      EXPECT_EQ(rates.sit_probability(level, employed, cls, 1), std::min(1.0, rates.sit[level][employed] * 2));
      EXPECT_EQ(rates.sit_probability(level, employed, cls, 2), 0.0);
      EXPECT_EQ(rates.pass_probability(level, cls, 0), rates.pass[static_cast<std::size_t>(level)]);
      EXPECT_EQ(rates.pass_probability(level, cls, 2),
                std::min(1.0, rates.pass[static_cast<std::size_t>(level)] * 1.1));
    }
  // Factors of 1 build no regional tables: the per-agent loop keeps its small tables.
  const TransitionRates plain(test::small_scenario(kThreeRegions).parameters());
  EXPECT_EQ(plain.class_regions, 1U);
  EXPECT_TRUE(plain.sit_by_class.empty());
  EXPECT_TRUE(plain.job_find_by_region.empty());
  EXPECT_FALSE(plain.migrating);
}

TEST(Migration, FactorsOfOneAndAZeroMatrixChangeNothing) {
  // Explicit factors of 1 and an explicit zero matrix give the results of a scenario that sets
  // neither, bit for bit.
  const Scenario plain = test::small_scenario(kThreeRegions, 30000, 1, 12);
  const Scenario explicit_ones =
      test::small_scenario(kThreeRegions + std::vector<std::string>{"labour.job_find_region_factor=[1, 1, 1]",
                                                                    "labour.job_loss_region_factor=[1, 1, 1]",
                                                                    "skills.assessment_factor_by_region=[1, 1, 1]",
                                                                    "skills.pass_factor_by_region=[1, 1, 1]",
                                                                    "migration.rate=[[0, 0, 0], [0, 0, 0], [0, 0, 0]]"},
                           30000, 1, 12);
  RunOptions o;
  o.replicates = 2;
  test::expect_same_results(run_scenario(explicit_ones, o), run_scenario(plain, o));
}

TEST(Migration, OneRegionHasNoRegionalFlowVariables) {
  const Results r = run_scenario(test::small_scenario({}, 5000, 1, 2), RunOptions{});
  EXPECT_FALSE(r.has_variable("migrations"));
  EXPECT_FALSE(r.has_variable("entries_by_region"));
}

TEST(Migration, ValidationNamesTheKey) {
  EXPECT_EQ(problems(kThreeRegions + std::vector<std::string>{"labour.job_find_region_factor=[1, 2]"}),
            "labour.job_find_region_factor: expected 3 values, one per region (as listed in population.regions), "
            "got 2\n");
  EXPECT_EQ(problems(kThreeRegions + std::vector<std::string>{"skills.assessment_factor_by_region=[1, -1, 1]"}),
            "skills.assessment_factor_by_region[1]: must be >= 0, got -1\n");
  EXPECT_EQ(problems(kThreeRegions + std::vector<std::string>{"migration.rate=[[0, 0.1], [0.1, 0]]"}),
            "migration.rate: expected 3 rows (one per region (as listed in population.regions)) of 3 values (one per "
            "region (as listed in population.regions))\n");
  EXPECT_EQ(problems(kThreeRegions + std::vector<std::string>{"migration.rate=[[0.1, 0, 0], [0, 0, 0], [0, 0, 0]]"}),
            "migration.rate[0][0]: the diagonal must be 0 (a move from region 'north' to itself), got 0.1\n");
  EXPECT_EQ(problems(kThreeRegions + std::vector<std::string>{"migration.rate=[[0, 0.6, 0.5], [0, 0, 0], [0, 0, 0]]"}),
            "migration.rate[0]: the probabilities of leaving region 'north' sum to more than 1 in a month: 1.1\n");
  EXPECT_EQ(problems({"migration.status_factor=[1, 1, 1, 1, 0, 0]"}),
            "migration.status_factor[0]: students stay with their school (its places and stock are by region); must "
            "be 0, got 1\n");
  EXPECT_EQ(problems({"migration.employed_on_arrival=\"keep\""}),
            "migration.employed_on_arrival: unknown status on arrival 'keep'; expected \"employed\" or "
            "\"unemployed\"\n");
  // A schedule is checked too, at the schedule.
  try {
    io::parse_scenario("[population]\nregions = [\"a\", \"b\"]\nregion_shares = [0.5, 0.5]\n[[schedule]]\ndate = "
                       "2016-06-01\nset = { \"migration.rate\" = [[0.2, 0], [0, 0]] }\n",
                       "plan.toml");
    ADD_FAILURE() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    std::string listing;
    for (const auto& d : e.diagnostics()) listing += d.to_string() + "\n";
    EXPECT_NE(listing.find("migration.rate[0][0]: the diagonal must be 0"), std::string::npos) << listing;
  }
}

TEST(Migration, FactorsAreAddressableByRegionName) {
  Parameters p = test::small_scenario(kThreeRegions).parameters();
  for (const auto* key : {"labour.job_find_region_factor[south]", "skills.assessment_factor_by_region[centre]",
                          "migration.level_factor[technician]"}) {
    const auto target = resolve_sweep_key(p, key);
    ASSERT_TRUE(std::holds_alternative<SweepTarget>(target)) << key << ": " << std::get<std::string>(target);
    apply_sweep_value(p, std::get<SweepTarget>(target), 2);
  }
  EXPECT_EQ(p.labour.job_find_region_factor[2], 2);
  EXPECT_EQ(p.skills.assessment_factor_by_region[1], 2);
  EXPECT_EQ(p.migration.level_factor[5], 2);
}

TEST(Migration, TheProvincesScenarioBalancesAndMovesTowardTheCoast) {
  // The bundled illustrative scenario (scenarios/provinces_2020_2025.toml): valid, every region
  // balanced in every month, and the net flows as its matrix says (广东 and 浙江 gain, 河南 and
  // 四川 lose). Its six years, one replicate (its schedules run to 2024).
  const Scenario s = io::load_scenario(SKILLSIM_SOURCE_DIR "/scenarios/provinces_2020_2025.toml", {"run.replicates=1"});
  RunOptions o;
  o.replicates = 1;
  const Results r = run_scenario(s, o);
  const std::size_t n = s.parameters().population.regions.size();
  ASSERT_EQ(n, 5U);
  std::vector<std::int64_t> net(n, 0);
  for (std::size_t t = 1; t <= static_cast<std::size_t>(s.parameters().scenario.months); ++t)
    for (std::size_t g = 0; g < n; ++g) {
      EXPECT_EQ(stock(r, 0, t, g), stock(r, 0, t - 1, g) + test::at(r, "entries_by_region", 0, t, g) -
                                       test::at(r, "exits_by_region", 0, t, g) + test::at(r, "migration_in", 0, t, g) -
                                       test::at(r, "migration_out", 0, t, g))
          << "month " << t << ", region " << g;
      net[g] += test::at(r, "migration_in", 0, t, g) - test::at(r, "migration_out", 0, t, g);
    }
  EXPECT_GT(net[0], 0) << "广东";
  EXPECT_GT(net[1], 0) << "浙江";
  EXPECT_LT(net[2], 0) << "河南";
  EXPECT_LT(net[3], 0) << "四川";
}

TEST(Migration, EachDestinationGetsItsOwnRate) {
  // Everybody in the first of three regions, rates 0.1 to the second and 0.05 to the third: one
  // month's moves to each are binomial with those probabilities (one uniform picks the
  // destination by the cumulative thresholds).
  const Scenario s = test::small_scenario(
      everything_off() + std::vector<std::string>{R"(population.regions=["A", "B", "C"])",
                                                  "population.region_shares=[1, 0, 0]",
                                                  "migration.rate=[[0, 0.1, 0.05], [0, 0, 0], [0, 0, 0]]",
                                                  "migration.status_factor=[0, 1, 1, 1, 1, 1]"},
      100000, 1, 1);
  ReplicateState state(s, 11, 0);
  const auto n = static_cast<double>(state.population().size());
  state.step();
  const auto& moves = state.last_flows().migrations;
  ASSERT_EQ(moves.size(), 9U);
  expect_count(static_cast<double>(moves[1]), n, 0.1, "A -> B");
  expect_count(static_cast<double>(moves[2]), n, 0.05, "A -> C");
  EXPECT_EQ(moves[0] + moves[3] + moves[4] + moves[5] + moves[6] + moves[7] + moves[8], 0);
}

TEST(Migration, TheTwinProjectsMigrationAndRegionalFactors) {
  // The twin holds each region apart where migration or a regional factor is in force (docs/twin.md,
  // "The state space", region; against the agents: Twin.MigrationMovesWorkersBetweenRegionsAsTheAgents).
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"migration.rate=[[0, 0.1, 0], [0, 0, 0], [0, 0, 0]]"},
        std::vector<std::string>{"skills.pass_factor_by_region=[1, 1, 0.5]"}})
    EXPECT_TRUE(twin_refusals(test::small_scenario(kThreeRegions + extra)).empty())
        << test::dump(twin_refusals(test::small_scenario(kThreeRegions + extra)));
}

TEST(Migration, ARestoredReplicateContinuesBitForBit) {
  // Migration adds no state: a replicate restored from a snapshot after 6 months moves the same
  // agents to the same regions as the uninterrupted one.
  const Scenario s = busy_scenario("unemployed", 12);
  ReplicateState uninterrupted(s, 13, 1);
  for (int m = 0; m < 6; ++m) uninterrupted.step();
  ReplicateState restored(s, uninterrupted.snapshot());
  for (int m = 6; m < 12; ++m) {
    uninterrupted.step();
    restored.step();
    EXPECT_TRUE(uninterrupted.last_flows() == restored.last_flows()) << "month " << m;
    EXPECT_GT(restored.last_flows().migrations.size(), 0U);
  }
  EXPECT_TRUE(uninterrupted.population() == restored.population());
}
