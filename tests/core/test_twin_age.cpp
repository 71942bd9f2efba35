// Programmes' minimum age in the expected-value twin (docs/twin.md, "The state space", age):
// entrants and school leavers younger than it are held by age class until they reach it. In
// closed form where nothing else moves, the agents' mean within 4 standard errors of the twin,
// a twin that ignores the limit told apart from the agents, the same bits where the limit
// excludes nobody, and the refusals that remain.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/run.hpp"
#include "skillsim/core/twin.hpp"
#include "skillsim/io/scenario_toml.hpp"
#include "twin_checks.hpp"

namespace skillsim {
namespace {

using test::expect_mean_around;
using test::expect_same_projection;
using test::value;
using test::yearly_total;
using test::operator+;

// One fund and a part-time course for job seekers (unemployed or inactive, 无证 or 学徒工) to
// 初级工, from `min_age` years, seats and money never binding.
std::vector<std::string> job_seekers_course(const std::string& min_age, const std::string& rate) {
  return {"funds.names=[\"subsidy\"]",
          "funds.labels=[\"就业补助资金\"]",
          "funds.annual_envelope=[1e12]",
          "funds.carry_over=[1]",
          "programmes.names=[\"employment\"]",
          "programmes.labels=[\"就业技能培训\"]",
          "programmes.eligible_groups=[[1, 1, 1, 1, 1, 1, 1, 1]]",
          "programmes.eligible_statuses=[[0, 0, 1, 1, 0, 0]]",
          "programmes.min_level=[0]",
          "programmes.max_level=[1]",
          "programmes.min_age=[" + min_age + "]",
          "programmes.max_age=[60]",
          "programmes.min_contribution_months=[0]",
          "programmes.application_rate=[" + rate + "]",
          "programmes.duration_months=[2]",
          "programmes.full_time=[0]",
          "programmes.target_level=[2]",
          "programmes.completion_probability=[0.9]",
          "programmes.appraisal_share=[1]",
          "programmes.pass_probability=[0.8]",
          "programmes.cost_per_trainee=[1000]",
          "programmes.payment=[\"enrolment\"]",
          "programmes.fund_shares=[[1]]",
          "programmes.seats_per_month=[[1000000]]",
          "programmes.follow_up_months=1"};
}

// Nothing moves but entrants aged exactly 15 (180 months; all unemployed) and the course, which
// every eligible worker applies to (rate 1) and completes and passes: an entrant of month u is
// 192 months old in month u + 12, the first month a course from 16 admits it (the agents compare
// whole months of age).
Scenario fifteen_year_olds(const std::string& min_age) {
  return test::small_scenario(
      test::everything_off() + job_seekers_course(min_age, "1") +
          std::vector<std::string>{"entry.school_leavers_per_year=2400", "entry.entry_age_min=15",
                                   "entry.entry_age_max=15.08", "entry.employed_share=0",
                                   "programmes.completion_probability=[1]", "programmes.pass_probability=[1]",
                                   "programmes.max_age=[100]"}, // retirement at 80 here
      20000, 1, 30);
}

TEST(TwinAge, EntrantsEnrolInTheMonthTheyReachTheMinimumAge) {
  const Results at16 = project_scenario(fifteen_year_olds("16")), at0 = project_scenario(fifteen_year_olds("0"));
  double entered = 0;
  for (std::size_t t = 2; t <= 30; ++t) {
    // From 16: nobody in months 2-12 (the initial job seekers all enrolled in month 1), then the
    // entrants of 12 months before, all of them.
    const double expected = t <= 12 ? 0.0 : value(at16, "entries", 0, t - 12);
    EXPECT_NEAR(value(at16, "enrolments", 0, t), expected, 1e-9 * (1 + expected)) << "month " << t;
    // Without a minimum, each month's entrants enrol the month after.
    const double next = value(at0, "entries", 0, t - 1);
    EXPECT_NEAR(value(at0, "enrolments", 0, t), next, 1e-9 * (1 + next)) << "month " << t;
    entered += value(at16, "entries", 0, t);
  }
  EXPECT_GT(entered, 1000);
  EXPECT_NEAR(value(at16, "enrolments", 0, 1), value(at0, "enrolments", 0, 1), 1e-9 * value(at0, "enrolments", 0, 1));
  // Nothing is drawn that changes a level or status (every rate 0 or 1): every level x status of
  // the agents' run, whose entrants enrol 12 months after joining too, is the twin's.
  RunOptions options;
  options.replicates = 1;
  options.seed = 7;
  const Results agents = run_scenario(fifteen_year_olds("16"), options);
  for (std::size_t t = 1; t <= 30; ++t)
    for (std::size_t k = 0; k < kLevelCount * kStatusCount; ++k)
      EXPECT_NEAR(value(agents, "workers", 0, t, k), value(at16, "workers", 0, t, k), 1e-6)
          << "month " << t << " " << k;
}

// The national defaults (deaths, labour market, assessments, quotas) at 20,000 persons, with many
// school leavers aged 14 to 17 and one technical-school route from 15 with frequent dropouts
// (leaving at 15 and up), and the course from `min_age`.
Scenario young_entrants(const std::string& min_age, const std::vector<std::string>& more = {}) {
  return test::small_scenario(
      job_seekers_course(min_age, "0.05") + more +
          std::vector<std::string>{"entry.school_leavers_per_year=3000", "entry.technical_school_graduates_per_year=0",
                                   "entry.entry_age_min=14", "entry.entry_age_max=17",
                                   "schools.routes=[\"intermediate\"]", "schools.labels=[\"中级工班\"]",
                                   "schools.diploma_level=[3]", "schools.length_months=[36]",
                                   "schools.entry_age_min=[15]", "schools.entry_age_max=[16]",
                                   "schools.dropout_rate=[0.03]", "schools.enrolment_plan_per_year=[[600]]",
                                   "schools.capacity=[[1000000]]", "schools.initial_students=[[1000]]"},
      20000, 1, 24);
}

// The agents' run of `s`: 30 replicates from `seed`.
Results agents_of(const Scenario& s, std::uint64_t seed) {
  RunOptions options;
  options.replicates = 30;
  options.seed = seed;
  return run_scenario(s, options);
}

// The agents' mean (30 replicates) within 4 standard errors of the twin for each year's (of 2)
// flows `by_level` (by level) and `totals`; the cells compared.
int expect_yearly_around(const Results& agents, const Results& twin, std::initializer_list<const char*> by_level,
                         std::initializer_list<const char*> totals, test::MeanTolerance by_level_tolerance = {}) {
  int compared = 0;
  for (std::size_t t = 12; t <= 24; t += 12) {
    const std::string year = " in the year to month " + std::to_string(t);
    for (const char* name : by_level)
      compared +=
          expect_mean_around(agents, twin, 30, kLevelCount, yearly_total(name, t), name + year, by_level_tolerance);
    for (const char* name : totals)
      compared += expect_mean_around(agents, twin, 30, 1, yearly_total(name, t), name + year);
  }
  return compared;
}

// The agents' mean (30 replicates) within 4 standard errors of the twin for every level x status
// every 6 months and the course's trainees and enrolments every month of 24; the cells compared.
int expect_course_months_around(const Results& agents, const Results& twin) {
  int compared = 0;
  for (std::size_t t = 1; t <= 24; ++t) {
    const std::string at = " at month " + std::to_string(t);
    if (t % 6 == 0)
      compared += expect_mean_around(
          agents, twin, 30, kLevelCount * kStatusCount,
          [&](const Results& r, std::size_t rep, std::size_t k) { return value(r, "workers", rep, t, k); },
          "workers (level x status)" + at);
    for (const char* name : {"trainees", "enrolments"})
      compared += expect_mean_around(
          agents, twin, 30, 1,
          [&, name](const Results& r, std::size_t rep, std::size_t) { return value(r, name, rep, t); }, name + at);
  }
  return compared;
}

// The twin's enrolments over 24 months at least `at_least`, and `ignoring`'s (the twin without the
// age limit) more than `factor` times them: the limit binds.
void expect_fewer_enrolments(const Results& twin, const Results& ignoring, double at_least, double factor) {
  double with = 0, without = 0;
  for (std::size_t t = 1; t <= 24; ++t) {
    with += value(twin, "enrolments", 0, t);
    without += value(ignoring, "enrolments", 0, t);
  }
  std::printf("enrolments over 24 months: the twin %.1f, without the limit %.1f\n", with, without);
  EXPECT_GT(with, at_least);
  EXPECT_GT(without, factor * with);
}

// Each year's enrolments of the agents (30 replicates, 24 months) outside 4 standard errors of
// `other`'s (the twin without the age limit the agents keep): they tell the two apart.
void expect_enrolments_apart(const Results& agents, const Results& other) {
  for (std::size_t t = 12; t <= 24; t += 12) {
    double sum = 0, squares = 0;
    for (std::size_t rep = 0; rep < 30; ++rep) {
      double x = 0;
      for (std::size_t u = t - 11; u <= t; ++u) x += value(agents, "enrolments", rep, u);
      sum += x;
      squares += x * x;
    }
    const double mean = sum / 30, se = std::sqrt(std::max(0.0, (squares - 30 * mean * mean) / 29) / 30);
    double expected = 0;
    for (std::size_t u = t - 11; u <= t; ++u) expected += value(other, "enrolments", 0, u);
    std::printf("year to month %zu: agents' enrolments %.1f (se %.1f), the twin without the limit %.1f\n", t, mean, se,
                expected);
    EXPECT_GT(std::abs(mean - expected), 4 * se)
        << "year to month " << t << ": agents " << mean << " twin " << expected;
  }
}

// The agents' mean over 30 replicates within 4 standard errors of the twin: every level x status
// every 6 months, the course's trainees and enrolments every month; the year's promotions, assessments, deaths and
// entries by level, job moves and retirements; the course's yearly applications, completions, dropouts and
// certificates. And the twin of the same course with no minimum age differs: it enrols more, outside 4 standard errors
// of the same agents.
TEST(TwinAge, AgentMeanWithinFourStandardErrorsWithYoungEntrants) {
  const Scenario s = young_entrants("16");
  ASSERT_TRUE(twin_refusals(s).empty()) << test::dump(twin_refusals(s));
  const Results twin = project_scenario(s);
  const Results agents = agents_of(s, 7);
  int compared = expect_course_months_around(agents, twin);
  compared += expect_yearly_around(agents, twin, {"promotions", "assessments", "exits_by_level", "entries_by_level"},
                                   {"retirements", "job_finds", "job_losses", "new_skilled_workers", "applications",
                                    "completions", "dropouts", "certificates"});
  EXPECT_GT(compared, 300);
  // The limit binds: a twin without it enrols more (the young job seekers at once) ...
  const Results ignoring = project_scenario(young_entrants("0"));
  expect_fewer_enrolments(twin, ignoring, 1000, 1.1);
  // ... and the agents tell them apart: each year's enrolments lie outside 4 standard errors of it.
  expect_enrolments_apart(agents, ignoring);
}

// The national defaults at 20,000 persons and the course (every status it admits, 无证 and 学徒工),
// from 16 and under `max_age` years: with 30 the limit binds for most of its applicants (the
// job seekers of 30 and over), so the twin holds a band of the state over it (docs/twin.md,
// "What the twin refuses", programmes.max_age), the cohorts crossing into it month by month.
Scenario course_under(const std::string& max_age, const std::vector<std::string>& more = {}) {
  return test::small_scenario(job_seekers_course("16", "0.05") + more +
                                  std::vector<std::string>{"programmes.max_age=[" + max_age + "]"},
                              20000, 1, 24);
}

// The agents' mean over 30 replicates within 4 standard errors of the twin with a maximum age of
// 30: every level x status every 6 months, the course's trainees every month and its enrolments
// every month and year; the year's promotions, assessments, deaths and entries by level, job
// moves and retirements; the course's yearly applications, completions, dropouts and
// certificates. And the twin of the same course with no maximum (60, the retirement age)
// differs: it enrols more, outside 4 standard errors of the same agents.
TEST(TwinAge, AgentMeanWithinFourStandardErrorsWithMaximumAge) {
  const Scenario s = course_under("30");
  ASSERT_TRUE(twin_refusals(s).empty()) << test::dump(twin_refusals(s));
  const Results twin = project_scenario(s);
  const Results agents = agents_of(s, 11);
  int compared = expect_course_months_around(agents, twin);
  compared += expect_yearly_around(agents, twin, {"promotions", "assessments", "exits_by_level", "entries_by_level"},
                                   {"retirements", "job_finds", "job_losses", "new_skilled_workers", "applications",
                                    "enrolments", "completions", "dropouts", "certificates"});
  EXPECT_GT(compared, 300);
  // The limit binds: a twin without it enrols more ...
  const Results ignoring = project_scenario(course_under("60"));
  expect_fewer_enrolments(twin, ignoring, 500, 1.2);
  // ... and the agents tell them apart: each year's enrolments lie outside 4 standard errors of it.
  expect_enrolments_apart(agents, ignoring);
}

// With a follow-up window of 3 months (a job-finding factor of 1) the completers are followed in
// columns apart, in both bands, those who cross the maximum age while followed moved across it
// (Projector::move_followed; windows held as tracks give the same: test_twin.cpp,
// FollowUpCountedApartAsFromWindowsHeldAsTracks): the agents' mean over 30 replicates within 4 standard errors of the
// twin under 30 for every level x status every 6 months, the course's enrolments and trainees every month, and the
// yearly followed up, employed after training, applications, enrolments and certificates.
TEST(TwinAge, AgentMeanWithinFourStandardErrorsWithMaximumAgeAndWindows) {
  const Scenario s = course_under("30", {"programmes.follow_up_months=3"});
  ASSERT_TRUE(twin_refusals(s).empty()) << test::dump(twin_refusals(s));
  const Results twin = project_scenario(s);
  const Results agents = agents_of(s, 17);
  int compared = expect_course_months_around(agents, twin);
  compared += expect_yearly_around(
      agents, twin, {},
      {"followed_up", "employed_after_training", "applications", "enrolments", "certificates", "job_finds"});
  EXPECT_GT(compared, 150);
}

// The band over the maximum age with the month's dying derived (docs/twin.md, "Speed"): the same
// to 1e-9 as the dying pushed, with and without evaluators (the queue's tracks in the band too).
TEST(TwinAge, DerivedDeathsAsPushedWithMaximumAge) {
  const std::vector<std::string> evaluators = {"evaluation.evaluators=[\"agency\"]",
                                               "evaluation.labels=[\"社会培训评价组织\"]",
                                               "evaluation.capacity_per_month=[[20]]",
                                               "evaluation.eligible_statuses=[[0, 1, 1, 1, 1, 0]]",
                                               "evaluation.max_level=[6]",
                                               "evaluation.max_wait_months=3"};
  for (const auto& [what, s] : {std::pair<const char*, Scenario>{"under 30", course_under("30")},
                                std::pair<const char*, Scenario>{"with evaluators", course_under("30", evaluators)}}) {
    ASSERT_TRUE(twin_refusals(s).empty()) << what << test::dump(twin_refusals(s));
    const auto [largest, deaths] = test::expect_deaths_as_pushed(s, what);
    std::printf("derived deaths, %s: largest difference %.2e\n", what, largest);
    EXPECT_GT(deaths, 0) << what;
  }
}

// The national defaults at 20,000 persons and the course from `min_age` (no maximum): from 20, the
// initial population's job seekers of 16 to 19 are held apart (Layout::under_class) until their
// cohort reaches 20, and the entrants under it in age classes.
Scenario course_from(const std::string& min_age) {
  return test::small_scenario(job_seekers_course(min_age, "0.05"), 20000, 1, 24);
}

// The agents' mean over 30 replicates within 4 standard errors of the twin with a minimum age of
// 20 (above the initial population's youngest, 16): every level x status every 6 months, the
// course's trainees and enrolments every month, and its yearly applications, enrolments,
// completions and certificates. And the twin from 16 differs: it enrols more, outside 4
// standard errors of the same agents.
TEST(TwinAge, AgentMeanWithinFourStandardErrorsWithInitialWorkersUnderTheMinimum) {
  const Scenario s = course_from("20");
  ASSERT_TRUE(twin_refusals(s).empty()) << test::dump(twin_refusals(s));
  const Results twin = project_scenario(s);
  const Results agents = agents_of(s, 13);
  int compared = expect_course_months_around(agents, twin);
  // (Deaths at the top levels are rare at 20,000 persons: none in 30 replicates is within the
  // rule of three.)
  compared += expect_yearly_around(agents, twin, {"promotions", "exits_by_level"},
                                   {"applications", "enrolments", "completions", "certificates"}, {.rare = true});
  EXPECT_GT(compared, 200);
  const Results ignoring = project_scenario(course_from("16"));
  expect_enrolments_apart(agents, ignoring);
  // The dying derived as pushed (docs/twin.md, "Speed").
  const auto [largest, deaths] = test::expect_deaths_as_pushed(s, "from 20");
  std::printf("derived deaths, from 20: largest difference %.2e\n", largest);
  EXPECT_GT(deaths, 0);
}

// Both limits at once, with evaluators (a queue track in every class and band): a minimum of 20
// (entrants under it in age classes, the initial population's under it in the class that does
// not age) and a maximum of 30. The dying derived as pushed (to 1e-9), and the age classes
// holding only the rows their workers reach the same to rounding as whole classes
// (TwinOptions::whole_age_classes; the class under the minimum and the band are whole either way).
TEST(TwinAge, BothLimitsWithEvaluators) {
  const std::vector<std::string> more = {"programmes.min_age=[20]",
                                         "evaluation.evaluators=[\"agency\"]",
                                         "evaluation.labels=[\"社会培训评价组织\"]",
                                         "evaluation.capacity_per_month=[[20]]",
                                         "evaluation.eligible_statuses=[[0, 1, 1, 1, 1, 0]]",
                                         "evaluation.max_level=[6]",
                                         "evaluation.max_wait_months=3"};
  const Scenario s = course_under("30", more);
  ASSERT_TRUE(twin_refusals(s).empty()) << test::dump(twin_refusals(s));
  const auto [largest, deaths] = test::expect_deaths_as_pushed(s, "both limits");
  std::printf("derived deaths, both limits: largest difference %.2e\n", largest);
  EXPECT_GT(deaths, 0);
  const TwinProjection trimmed = project_expected(s, {.check_buffers_cleared = true}),
                       whole = project_expected(s, {.whole_age_classes = true});
  EXPECT_LT(trimmed.rows, whole.rows);
  expect_same_projection(trimmed, whole, "both limits");
  // The limits bind: fewer enrolments than without either.
  const TwinProjection neither = project_expected(course_under("60"));
  double with = 0, without = 0;
  for (std::size_t t = 1; t < trimmed.flows.size(); ++t) {
    with += trimmed.flows[t].enrolments[0];
    without += neither.flows[t].enrolments[0];
  }
  EXPECT_LT(with, 0.5 * without);
}

void expect_same_bits(const Results& a, const Results& b) {
  ASSERT_EQ(a.variables.size(), b.variables.size());
  for (std::size_t i = 0; i < a.variables.size(); ++i) {
    const Variable &x = a.variables[i], &y = b.variables[i];
    ASSERT_EQ(x.name, y.name);
    ASSERT_EQ(x.real_data.size(), y.real_data.size()) << x.name;
    for (std::size_t k = 0; k < x.real_data.size(); ++k)
      ASSERT_EQ(std::bit_cast<std::uint64_t>(x.real_data[k]), std::bit_cast<std::uint64_t>(y.real_data[k]))
          << x.name << " [" << k << "]";
  }
}

// A minimum age that excludes nobody changes nothing, bit for bit: 14 with entrants from 14, and
// 16 with the defaults' entrants (16 to 23) and no school, both against no minimum.
TEST(TwinAge, MinimumAgeExcludingNobodyChangesNoBit) {
  const auto course = [](const std::string& min_age, const std::vector<std::string>& more) {
    return test::small_scenario(job_seekers_course(min_age, "0.05") + more, 20000, 1, 12);
  };
  const std::vector<std::string> from14 = {"entry.entry_age_min=14", "entry.entry_age_max=17"};
  expect_same_bits(project_scenario(course("14", from14)), project_scenario(course("0", from14)));
  expect_same_bits(project_scenario(course("16", {})), project_scenario(course("0", {})));
  // ... where 16 with entrants from 14 does change it.
  const Results young = project_scenario(course("16", from14)), none = project_scenario(course("0", from14));
  double fewer = 0;
  for (std::size_t t = 1; t <= 12; ++t) fewer += value(none, "enrolments", 0, t) - value(young, "enrolments", 0, t);
  EXPECT_GT(fewer, 5);
}

// Entrants from 14 and school dropouts from 15 in age classes, without and with an evaluator (a
// queue track per class).
std::array<std::pair<const char*, Scenario>, 2> young_entrants_with_and_without_evaluators() {
  const std::vector<std::string> evaluators = {"evaluation.evaluators=[\"agency\"]",
                                               "evaluation.labels=[\"社会培训评价组织\"]",
                                               "evaluation.capacity_per_month=[[20]]",
                                               "evaluation.eligible_statuses=[[0, 1, 1, 1, 1, 0]]",
                                               "evaluation.max_level=[6]",
                                               "evaluation.max_wait_months=3"};
  return {{{"young entrants", young_entrants("16")}, {"with evaluators", young_entrants("16", evaluators)}}};
}

// An age class holds only the rows its workers can reach (Projector::young_segments; docs/twin.md,
// "The state space", age), and they are enough: with every class a whole copy of its tracks
// (TwinOptions::whole_age_classes, as before) the projection is the same to rounding (a class's
// sums over a block add fewer zeros, in another order), with the national defaults (labour
// market, assessments, quotas), school dropouts and entrants from 14 (24 classes: the youngest
// serve 初级工's 12 months within them), and with evaluators as well (the young's assessments
// queue; a queue track per class). Where it can be counted by hand (fifteen_year_olds: entrants
// of 180 months, unemployed at 无证, in 4 groups (school_leaver_group_shares), one sector class,
// no evaluator): class 12 holds them as they join (2 sexes x 4 groups x 1 row), each class below
// the three statuses the labour market reaches at 无证 (1 row: nothing waits to leave it) and
// 学徒工 (13 rows: 0..12 months), reached at once (no wait), and never 初级工: 12 months at 学徒工
// take longer than the 11 months left in the classes.
TEST(TwinAge, ClassesHoldOnlyTheRowsTheirWorkersReach) {
  const auto cases = young_entrants_with_and_without_evaluators();
  for (const auto& [what, s] : cases) {
    ASSERT_TRUE(twin_refusals(s).empty()) << what << test::dump(twin_refusals(s));
    const TwinProjection trimmed = project_expected(s, {.check_buffers_cleared = true}),
                         whole = project_expected(s, {.whole_age_classes = true});
    EXPECT_LT(3 * trimmed.rows, whole.rows) << what;
    expect_same_projection(trimmed, whole, what);
  }
  const TwinProjection none = project_expected(fifteen_year_olds("0")),
                       classes = project_expected(fifteen_year_olds("16"));
  EXPECT_EQ(classes.rows - none.rows, 2u * 4u * 1u + 11u * (2u * 4u * 3u * (1u + 13u)));
}

// The month's dying taken from the active population at the end of the month before (docs/
// twin.md, "Speed") with age classes: entrants from 14 and school dropouts from 15 joining the
// young tracks, with evaluators as well (a queue track per class). The same to 1e-9 of the larger
// of 1 and each value as the dying pushed as a vector of their own (TwinOptions::pushed_deaths;
// test_twin.cpp, Twin.DerivedDeathsAsPushed, says why 1e-9; measured 2026-12-05: 9.2e-12), and
// no death count below 0.
TEST(TwinAge, DerivedDeathsAsPushedWithAgeClasses) {
  const auto cases = young_entrants_with_and_without_evaluators();
  for (const auto& [what, s] : cases) {
    ASSERT_TRUE(twin_refusals(s).empty()) << what << test::dump(twin_refusals(s));
    const auto [largest, deaths] = test::expect_deaths_as_pushed(s, what);
    std::printf("derived deaths, %s: largest difference %.2e\n", what, largest);
    EXPECT_GT(deaths, 0) << what;
  }
}

// What remains refused: maximum ages below the retirement age that differ between programmes (one
// alone is modelled); minimum ages that differ between programmes where some worker is under the
// highest.
TEST(TwinAge, RefusesTheAgeLimitsItDoesNotModel) {
  const auto course = [](const std::vector<std::string>& more) {
    return test::small_scenario(job_seekers_course("16", "0.05") + more, 20000, 1, 12);
  };
  const std::vector<std::string> from14 = {"entry.entry_age_min=14", "entry.entry_age_max=17"};
  EXPECT_TRUE(twin_refusals(course(from14)).empty()) << test::dump(twin_refusals(course(from14)));
  EXPECT_TRUE(twin_refusals(course({"programmes.max_age=[45]"})).empty())
      << test::dump(twin_refusals(course({"programmes.max_age=[45]"})));
  // A minimum above the initial population's youngest age (16) is modelled (its cohorts under it
  // cross it as the maximum's: AgentMeanWithinFourStandardErrorsWithInitialWorkersUnderTheMinimum).
  EXPECT_TRUE(twin_refusals(course({"programmes.min_age=[18]"})).empty())
      << test::dump(twin_refusals(course({"programmes.min_age=[18]"})));
  // Two courses, from 16 and from 15: a 15-year-old may enter one and not the other.
  const std::vector<std::string> two = {
      "programmes.names=[\"employment\", \"upgrading\"]",
      "programmes.labels=[\"就业技能培训\", \"岗位技能提升培训\"]",
      "programmes.eligible_groups=[[1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1]]",
      "programmes.eligible_statuses=[[0, 0, 1, 1, 0, 0], [0, 1, 0, 0, 0, 0]]",
      "programmes.min_level=[0, 0]",
      "programmes.max_level=[1, 1]",
      "programmes.min_age=[16, 15]",
      "programmes.max_age=[60, 60]",
      "programmes.min_contribution_months=[0, 0]",
      "programmes.application_rate=[0.05, 0.01]",
      "programmes.duration_months=[2, 1]",
      "programmes.full_time=[0, 0]",
      "programmes.target_level=[2, 2]",
      "programmes.completion_probability=[0.9, 0.9]",
      "programmes.appraisal_share=[1, 1]",
      "programmes.pass_probability=[0.8, 0.8]",
      "programmes.cost_per_trainee=[1000, 1000]",
      "programmes.payment=[\"enrolment\", \"enrolment\"]",
      "programmes.fund_shares=[[1], [1]]",
      "programmes.seats_per_month=[[1000000], [1000000]]"};
  const std::vector<Issue> differ = twin_refusals(course(from14 + two));
  ASSERT_EQ(differ.size(), 1u) << test::dump(differ);
  EXPECT_TRUE(
      test::has_issue(differ, "programmes.min_age", "only where every programme open in the run asks for the same one"))
      << test::dump(differ);
  EXPECT_THROW(project_scenario(course(from14 + two)), TwinUnsupported);
  // The same two from 16 each, under 45 and under 50: refused (one maximum age is modelled).
  std::vector<std::string> maxima = two;
  maxima[6] = "programmes.min_age=[16, 16]";
  maxima[7] = "programmes.max_age=[45, 50]";
  const std::vector<Issue> differ_max = twin_refusals(course(from14 + maxima));
  ASSERT_EQ(differ_max.size(), 1u) << test::dump(differ_max);
  EXPECT_TRUE(test::has_issue(differ_max, "programmes.max_age",
                              "programme employment admits only some ages: under 45 years, and programme upgrading "
                              "under 50 years"))
      << test::dump(differ_max);
  // The same two from 16 each are modelled.
  std::vector<std::string> same = two;
  same[6] = "programmes.min_age=[16, 16]";
  EXPECT_TRUE(twin_refusals(course(from14 + same)).empty()) << test::dump(twin_refusals(course(from14 + same)));
}

} // namespace
} // namespace skillsim
