// Technical schools (技工院校): a cohort's graduates after the route's length against the
// hand-computed N (1 - d)^L, nobody graduating before the length, enrolment within the plan and
// the capacity, the initial students, conservation of every stock with students included, the
// students' skipping of every other rule, thread independence, snapshots, the pathway route and
// every validation message.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/pathways.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/sweep.hpp"

using namespace skillsim;
using test::at;
using test::dump;
using test::everything_off;
using test::has_issue;
using test::operator+;

namespace {

constexpr auto kStudent = static_cast<std::uint8_t>(Status::Student);
// Enrolment spread over the year: 8% a month, 12% in December.
const std::string kSpread = "[0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.12]";

// One route, every column given; `changes` replace some.
std::vector<std::string> one_route(std::map<std::string, std::string> changes = {}) {
  std::map<std::string, std::string> settings = {{"schools.routes", R"(["intermediate"])"},
                                                 {"schools.labels", R"(["中级工班"])"},
                                                 {"schools.diploma_level", "[3]"},
                                                 {"schools.length_months", "[12]"},
                                                 {"schools.entry_age_min", "[15]"},
                                                 {"schools.entry_age_max", "[16]"},
                                                 {"schools.dropout_rate", "[0.02]"},
                                                 {"schools.enrolment_plan_per_year", "[[1200]]"},
                                                 {"schools.initial_students", "[[0]]"},
                                                 {"schools.capacity", "[[1000000]]"},
                                                 {"schools.graduate_group", R"("urban_employee")"},
                                                 {"entry.technical_school_graduates_per_year", "0"}};
  for (auto& [k, v] : changes) settings[k] = v;
  std::vector<std::string> out;
  for (auto& [k, v] : settings) out.push_back(k + "=" + v);
  return out;
}

// Everything off but the schools: every level change is a graduation.
Scenario quiet(std::map<std::string, std::string> changes = {}, int months = 24, int scale = 1) {
  return test::small_scenario(everything_off() + one_route(std::move(changes)), 20000, scale, months);
}

std::int64_t total(const Results& r, const std::string& name, std::size_t rep = 0) {
  const Variable& v = r.variable(name);
  const std::size_t per_replicate = v.data.size() / r.dimension("replicate").size();
  std::int64_t sum = 0;
  for (std::size_t k = 0; k < per_replicate; ++k) sum += v.data[rep * per_replicate + k];
  return sum;
}

} // namespace

TEST(Schools, WithoutRoutesNothingIsDeclaredAndNobodyIsAStudent) {
  const Scenario s = test::small_scenario(everything_off(), 20000, 1, 2);
  const Results r = run_scenario(s, RunOptions{});
  EXPECT_FALSE(r.has_variable("school_students"));
  for (const auto& d : r.dimensions) EXPECT_NE(d.name, "school_route");
  ReplicateState state(s, 1, 0);
  for (std::uint8_t st : state.population().status) EXPECT_NE(st, kStudent);
}

// A cohort of N = 1200 enrolled in September 2020 (all of the year's plan, enrolment_month_shares
// by default), dropout d = 0.02 a month, length L = 12, nobody dies: the graduates of September
// 2021 are binomial(N, (1 - d)^L), within 4 standard errors, the dropouts the rest; nobody
// graduates in another month, and every graduate reaches 中级工.
TEST(Schools, ACohortGraduatesAfterTheLengthAsComputedByHand) {
  const Results r = run_scenario(quiet({}, 21), RunOptions{});
  const double n = 1200, p = std::pow(1 - 0.02, 12), se = std::sqrt(n * p * (1 - p));
  for (std::size_t t = 1; t <= 21; ++t) {
    // Septembers end at t = 9 (2020) and t = 21 (2021); the second cohort has not served a month yet.
    EXPECT_EQ(at(r, "school_enrolments", 0, t, 0), t == 9 || t == 21 ? 1200 : 0) << t;
    if (t != 21) {
      EXPECT_EQ(at(r, "school_graduates", 0, t, 0), 0) << t;
    }
    EXPECT_EQ(at(r, "promotions", 0, t, 3), at(r, "school_graduates", 0, t, 0));
  }
  const auto graduates = static_cast<double>(at(r, "school_graduates", 0, 21, 0));
  EXPECT_NEAR(graduates, n * p, 4 * se);
  EXPECT_EQ(total(r, "school_graduates") + total(r, "school_dropouts"), 1200);
  EXPECT_EQ(at(r, "school_students", 0, 21, 0), 1200);
}

// Every graduate has served exactly the route's length since its enrolment, and every student
// stays at level 0 without sitting an assessment, moving in the labour market or entering a
// competition, though all of them are on (students skip every rule but death).
TEST(Schools, NobodyGraduatesBeforeTheLengthAndStudentsSkipEveryOtherRule) {
  const std::vector<std::string> busy = {"entry.technical_school_graduates_per_year=0",
                                         "schools.routes=[\"a\", \"b\"]",
                                         "schools.labels=[\"中级工班\", \"高级工班\"]",
                                         "schools.diploma_level=[3, 4]",
                                         "schools.length_months=[7, 11]",
                                         "schools.entry_age_min=[15, 18]",
                                         "schools.entry_age_max=[16, 19]",
                                         "schools.dropout_rate=[0.01, 0.0]",
                                         "schools.enrolment_plan_per_year=[[600], [300]]",
                                         "schools.initial_students=[[200], [100]]",
                                         "schools.enrolment_month_shares=" + kSpread,
                                         "skills.assessment_status_factor=[1, 1, 1, 1, 1, 0]",
                                         "competitions.tiers=[\"city\"]",
                                         "competitions.labels=[\"市级\"]",
                                         "competitions.month_held=[0]",
                                         "competitions.entrants_per_year=[100000]",
                                         "competitions.winners_per_year=[100000]",
                                         "competitions.eligible_statuses=[[1, 1, 1, 1, 1, 0]]",
                                         "competitions.award=[\"promote\"]",
                                         "competitions.waiting=[\"none\"]"};
  const Scenario s = test::small_scenario(busy, 20000, 1, 24);
  const std::int64_t lengths[] = {7, 11};
  ReplicateState state(s, 5, 0);
  std::unordered_map<std::uint64_t, int> enrolled; // id -> month of enrolment (-1: in school at the start)
  std::unordered_map<std::uint64_t, std::int64_t> months_at_start;
  const auto& first = state.population();
  for (std::size_t i = 0; i < first.size(); ++i)
    if (first.status[i] == kStudent) {
      enrolled[first.id[i]] = -1;
      months_at_start[first.id[i]] = first.months_at_level[i];
      EXPECT_LT(first.months_at_level[i], lengths[school_route_of(first, i)]);
    }
  std::int64_t graduates = 0;
  for (int m = 0; m < 24; ++m) {
    std::unordered_map<std::uint64_t, std::uint8_t> route_before;
    for (std::size_t i = 0; i < state.population().size(); ++i)
      if (state.population().status[i] == kStudent)
        route_before[state.population().id[i]] = school_route_of(state.population(), i);
    state.step();
    const Population& pop = state.population();
    for (std::size_t i = 0; i < pop.size(); ++i) {
      const std::uint64_t id = pop.id[i];
      if (pop.status[i] == kStudent) {
        EXPECT_EQ(pop.level[i], 0) << id;
        if (!enrolled.contains(id)) enrolled[id] = m;
        continue;
      }
      const auto was = route_before.find(id);
      if (was == route_before.end() || pop.status[i] == static_cast<std::uint8_t>(Status::Removed)) continue;
      if (pop.level[i] == 0) continue; // dropped out
      ++graduates;
      const std::int64_t served = enrolled[id] < 0 ? months_at_start[id] + m + 1 : m - enrolled[id];
      EXPECT_EQ(served, lengths[was->second]) << "agent " << id << " graduated in month " << m;
      EXPECT_EQ(pop.level[i], was->second == 0 ? 3 : 4);
    }
  }
  EXPECT_GT(graduates, 300);
}

// A capacity below the plan: students never exceed it, enrolment never exceeds the plan (its
// carried fraction included), and the places refused are recorded.
TEST(Schools, EnrolmentNeverExceedsThePlanOrTheCapacity) {
  const Scenario s = quiet({{"schools.enrolment_plan_per_year", "[[2000]]"},
                            {"schools.capacity", "[[500]]"},
                            {"schools.length_months", "[36]"},
                            {"schools.initial_students", "[[300]]"},
                            {"schools.enrolment_month_shares", kSpread}},
                           36, 2);
  const Results r = run_scenario(s, RunOptions{});
  double plan = 0;
  std::int64_t enrolled = 0;
  for (std::size_t t = 1; t <= 36; ++t) {
    plan += 2000.0 * (t % 12 == 0 ? 0.12 : 0.08);
    enrolled += at(r, "school_enrolments", 0, t, 0);
    EXPECT_LE(static_cast<double>(enrolled), plan + 1e-6) << t;
    EXPECT_LE(at(r, "school_students", 0, t, 0), 500) << t;
  }
  EXPECT_EQ(at(r, "school_students", 0, 0, 0), 300);
  EXPECT_EQ(at(r, "school_students", 0, 36, 0), 500);
  EXPECT_GT(total(r, "school_no_place"), 0);
  EXPECT_EQ(total(r, "school_no_place") + total(r, "school_enrolments"), 2000 * 3);
}

// The initial students: their number per route and region (rounded to agents), months in school
// below the length, uniform when nobody drops out (mean (L - 1) / 2 within 4 standard errors),
// ages from the route's entry ages plus the months served.
TEST(Schools, InitialStudentsAreInTheirRoutesSteadyState) {
  const Scenario s = quiet({{"schools.initial_students", "[[3000]]"},
                            {"schools.dropout_rate", "[0]"},
                            {"schools.length_months", "[48]"},
                            {"schools.capacity", "[[3000]]"}});
  const ReplicateState state(s, 2, 0);
  const Population& pop = state.population();
  double sum = 0;
  std::int64_t n = 0;
  for (std::size_t i = 0; i < pop.size(); ++i) {
    if (pop.status[i] != kStudent) continue;
    ++n;
    sum += pop.months_at_level[i];
    EXPECT_LT(pop.months_at_level[i], 48);
    EXPECT_EQ(pop.group[i], static_cast<std::uint8_t>(Group::TechnicalStudent));
    const double age = (s.start().index - pop.birth_month[i] - pop.months_at_level[i]) / 12.0;
    EXPECT_GE(age, 15 - 1e-9);
    EXPECT_LT(age, 16 + 1e-9);
  }
  EXPECT_EQ(n, 3000);
  const double mean = sum / static_cast<double>(n), se = std::sqrt((48.0 * 48.0 - 1) / 12 / static_cast<double>(n));
  EXPECT_NEAR(mean, 23.5, 4 * se);
  const Results r = run_scenario(s, RunOptions{});
  EXPECT_EQ(at(r, "school_students", 0, 0, 0), 3000);
  EXPECT_EQ(at(r, "workers", 0, 0, static_cast<std::size_t>(kStudent)), 3000); // level 0 x student
}

// Every stock balances its flows with students counted, everything on: by level (students are
// at level 0; a graduation is a promotion), by group (a graduate who changes group is a move),
// and the students themselves (no deaths: in = enrolments, out = graduates and dropouts).
TEST(Schools, StocksBalanceFlowsWithStudentsIncluded) {
  const std::vector<std::string> schools = {"entry.technical_school_graduates_per_year=0",
                                            "schools.routes=[\"a\", \"b\", \"c\"]",
                                            "schools.labels=[\"中级工班\", \"高级工班\", \"预备技师班\"]",
                                            "schools.diploma_level=[3, 4, 5]",
                                            "schools.length_months=[6, 9, 12]",
                                            "schools.entry_age_min=[15, 15, 18]",
                                            "schools.entry_age_max=[16, 16, 20]",
                                            "schools.dropout_rate=[0.01, 0.02, 0.0]",
                                            "schools.enrolment_plan_per_year=[[3000], [1500], [600]]",
                                            "schools.initial_students=[[1000], [800], [300]]",
                                            "schools.capacity=[[2000], [1500], [1000]]",
                                            "schools.enrolment_month_shares=" + kSpread,
                                            "schools.graduate_group=\"urban_employee\""};
  const Scenario s = test::small_scenario(schools, 100000, 10, 24);
  RunOptions o;
  o.replicates = 2;
  o.seed = 7;
  const Results r = run_scenario(s, o);
  const auto workers = [&](std::size_t rep, std::size_t t, std::size_t level) {
    std::int64_t sum = 0;
    for (std::size_t st = 0; st < kStatusCount; ++st) sum += at(r, "workers", rep, t, level * kStatusCount + st);
    return sum;
  };
  const auto students = [&](std::size_t rep, std::size_t t) {
    std::int64_t sum = 0;
    for (std::size_t k = 0; k < 3; ++k) sum += at(r, "school_students", rep, t, k);
    return sum;
  };
  for (std::size_t rep = 0; rep < 2; ++rep)
    for (std::size_t t = 1; t <= 24; ++t) {
      std::int64_t total_before = 0, total_now = 0, entries = 0, exits = 0;
      for (std::size_t l = 0; l < kLevelCount; ++l) {
        const std::int64_t in = at(r, "entries_by_level", rep, t, l) + at(r, "promotions", rep, t, l);
        const std::int64_t out = at(r, "exits_by_level", rep, t, l) + at(r, "promotions_out", rep, t, l);
        EXPECT_EQ(workers(rep, t, l), workers(rep, t - 1, l) + in - out) << "level " << l << " month " << t;
        total_before += workers(rep, t - 1, l);
        total_now += workers(rep, t, l);
        entries += at(r, "entries_by_level", rep, t, l);
        exits += at(r, "exits_by_level", rep, t, l);
      }
      EXPECT_EQ(total_now, total_before + entries - exits) << t;
      for (std::size_t g = 0; g < kGroupCount; ++g) {
        std::int64_t before = 0, now = 0, moves = 0;
        for (std::size_t l = 0; l < kLevelCount; ++l) {
          before += at(r, "workers_by_group", rep, t - 1, g * kLevelCount + l);
          now += at(r, "workers_by_group", rep, t, g * kLevelCount + l);
        }
        for (std::size_t h = 0; h < kGroupCount; ++h)
          moves +=
              at(r, "group_changes", rep, t, h * kGroupCount + g) - at(r, "group_changes", rep, t, g * kGroupCount + h);
        EXPECT_EQ(now, before + at(r, "entries_by_group", rep, t, g) - at(r, "exits_by_group", rep, t, g) + moves)
            << "group " << g << " month " << t;
      }
      EXPECT_EQ(students(rep, t), at(r, "workers", rep, t, static_cast<std::size_t>(kStudent))) << t;
      std::int64_t in = 0, out = 0;
      for (std::size_t k = 0; k < 3; ++k) {
        in += at(r, "school_enrolments", rep, t, k);
        out += at(r, "school_graduates", rep, t, k) + at(r, "school_dropouts", rep, t, k);
      }
      // Students who died are the only other way out (mortality is on).
      EXPECT_LE(students(rep, t), students(rep, t - 1) + in - out) << t;
      EXPECT_GE(students(rep, t), students(rep, t - 1) + in - out - at(r, "exits_by_level", rep, t, 0)) << t;
    }
  EXPECT_GT(total(r, "school_graduates"), 0);
  EXPECT_GT(total(r, "school_dropouts"), 0);
}

TEST(Schools, IdenticalForOneAndTwoThreads) {
  const Scenario s = test::small_scenario(
      one_route({{"schools.initial_students", "[[2000]]"}, {"schools.enrolment_month_shares", kSpread}}), 60000, 1, 18);
  const Results r = test::expect_same_for_one_and_two_threads(s, 2);
  EXPECT_GT(total(r, "school_graduates"), 0);
}

// The same run continued from a snapshot taken mid-way gives the same results (the carries are state).
TEST(Schools, ASnapshotContinuesTheRunBitForBit) {
  const Scenario s = quiet({{"schools.enrolment_plan_per_year", "[[1001]]"},
                            {"schools.initial_students", "[[500]]"},
                            {"schools.enrolment_month_shares", kSpread}});
  ReplicateState straight(s, 3, 0);
  for (int m = 0; m < 5; ++m) straight.step();
  const ReplicateSnapshot saved = straight.snapshot();
  EXPECT_NE(saved.schools.enrolment_due[0].fraction, 0);
  ReplicateState resumed(s, saved);
  EXPECT_EQ(straight.schools().tally().students, resumed.schools().tally().students);
  for (int m = 0; m < 5; ++m) {
    straight.step();
    resumed.step();
    EXPECT_EQ(straight.schools().tally(), resumed.schools().tally());
  }
  EXPECT_EQ(straight.snapshot(), resumed.snapshot());
}

TEST(Schools, PlannedRoutesAreDiplomaRoutesOfThePathwayGraphWithTheirLength) {
  const Parameters p = quiet({{"schools.length_months", "[30]"}}).parameters();
  int diplomas = 0;
  for (const Route& route : pathway_routes(p))
    if (route.kind == RouteKind::Diploma) {
      ++diplomas;
      EXPECT_EQ(route.from, 0);
      EXPECT_EQ(route.to, 3);
      EXPECT_EQ(route.fixed_months, 30);
      EXPECT_NE(route.label.find("中级工班"), std::string::npos);
    }
  EXPECT_EQ(diplomas, 1);
  const Parameters unplanned = quiet({{"schools.enrolment_plan_per_year", "[[0]]"}}).parameters();
  for (const Route& route : pathway_routes(unplanned)) EXPECT_NE(route.kind, RouteKind::Diploma);
}

TEST(Schools, EveryValidationMessage) {
  const auto issues_with = [](const std::function<void(Parameters&)>& change) {
    Parameters p = quiet().parameters();
    change(p);
    return check(p);
  };
  auto issues = issues_with([](Parameters& p) { p.schools.entry_age_max = {15}; });
  EXPECT_TRUE(has_issue(issues, "schools.entry_age_max[0]", "must be greater than schools.entry_age_min[0] (15)"))
      << dump(issues);
  issues = issues_with([](Parameters& p) {
    p.schools.entry_age_max = {39};
    p.demography.retirement_age_female = 40;
  });
  EXPECT_TRUE(has_issue(issues, "schools.entry_age_max[0]", "at or past the retirement age")) << dump(issues);
  issues = issues_with([](Parameters& p) { p.schools.graduate_group = "urban_employe"; });
  EXPECT_TRUE(
      has_issue(issues, "schools.graduate_group", "unknown group 'urban_employe'; did you mean 'urban_employee'?"))
      << dump(issues);
  issues = issues_with([](Parameters& p) { p.schools.initial_students.values = {2000000}; });
  EXPECT_TRUE(has_issue(issues, "schools.initial_students[0][0]", "more students (2e+06) than its capacity"))
      << dump(issues);
  issues = issues_with([](Parameters& p) { p.population.status_shares = {0.1, 0.7, 0.04, 0.16, 0, 0}; });
  EXPECT_TRUE(has_issue(issues, "population.status_shares[0]", "the initial pool's student share must be 0"))
      << dump(issues);
  issues = issues_with([](Parameters& p) { p.entry.technical_school_graduates_per_year = 1000; });
  EXPECT_TRUE(has_issue(issues, "entry.technical_school_graduates_per_year", "would count them twice")) << dump(issues);
  issues = issues_with([](Parameters& p) { p.schools.length_months = {12, 12}; });
  EXPECT_TRUE(has_issue(issues, "schools.length_months", "expected 1 values, one per school route")) << dump(issues);
  issues = issues_with([](Parameters& p) { p.schools.diploma_level = {9}; });
  EXPECT_TRUE(has_issue(issues, "schools.diploma_level[0]", "must be in [2, 6]")) << dump(issues);
  issues = issues_with([](Parameters& p) { p.schools.routes = {"a", "a"}; });
  EXPECT_FALSE(issues.empty());
  // The reader names an unknown key of the section with the nearest one.
  try {
    (void)test::small_scenario({"schools.lenght_months=[12]"});
    FAIL() << "accepted an unknown key";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("schools.length_months"), std::string::npos) << e.what();
  }
}

TEST(Schools, SweepKeysAddressARouteByNameAndAPlanCellByRouteAndRegion) {
  const Parameters p = quiet().parameters();
  const auto r = resolve_sweep_key(p, "schools.dropout_rate[intermediate]");
  ASSERT_TRUE(std::holds_alternative<SweepTarget>(r)) << std::get<std::string>(r);
  Parameters q = p;
  apply_sweep_value(q, std::get<SweepTarget>(r), 0.01);
  EXPECT_EQ(q.schools.dropout_rate, std::vector<double>{0.01});
  const auto cell = resolve_sweep_key(p, "schools.enrolment_plan_per_year[intermediate][national]");
  ASSERT_TRUE(std::holds_alternative<SweepTarget>(cell)) << std::get<std::string>(cell);
  apply_sweep_value(q, std::get<SweepTarget>(cell), 5000);
  EXPECT_EQ(q.schools.enrolment_plan_per_year.values, std::vector<double>{5000});
  const auto unknown = resolve_sweep_key(p, "schools.dropout_rate[technician]");
  ASSERT_TRUE(std::holds_alternative<std::string>(unknown));
  EXPECT_NE(std::get<std::string>(unknown).find("intermediate"), std::string::npos) << std::get<std::string>(unknown);
}
