// Technical schools in the expected-value twin (docs/twin.md, "Schools"): students, dropouts and
// graduates in closed form where nothing else moves, the law of the initial students' months in
// school, and the agents' mean within 4 standard errors of the twin (capacity binding or not).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/run.hpp"
#include "skillsim/core/schools.hpp"
#include "skillsim/core/twin.hpp"
#include "skillsim/io/scenario_toml.hpp"
#include "twin_checks.hpp"

namespace skillsim {
namespace {

using test::everything_off;
using test::expect_mean_around;
using test::MeanTolerance;
using test::value;

constexpr auto kStudentStatus = static_cast<std::size_t>(Status::Student);
constexpr auto kEmployedStatus = static_cast<std::size_t>(Status::Employed);
constexpr auto kUnemployedStatus = static_cast<std::size_t>(Status::Unemployed);

// One route of 12 months to 中级工, dropout 2% a month, the plan spread evenly over the year (100
// a month, a whole number: the carry takes it all), `initial` students at the start, nothing else
// moving (no deaths, labour market, assessments or entrants).
Scenario one_route(double plan, double initial, int months) {
  std::vector<std::string> o = everything_off();
  std::string shares = "[";
  for (int m = 0; m < 12; ++m) shares += std::string(m ? ", " : "") + "0.08333333333333333";
  shares += "]";
  for (const std::string& s :
       {std::string("schools.routes=[\"intermediate\"]"), std::string("schools.labels=[\"中级工班\"]"),
        std::string("schools.diploma_level=[3]"), std::string("schools.length_months=[12]"),
        std::string("schools.entry_age_min=[15]"), std::string("schools.entry_age_max=[16]"),
        std::string("schools.dropout_rate=[0.02]"), "schools.enrolment_plan_per_year=[[" + std::to_string(plan) + "]]",
        "schools.initial_students=[[" + std::to_string(initial) + "]]", std::string("schools.capacity=[[1000000]]"),
        "schools.enrolment_month_shares=" + shares, std::string("schools.employed_share=0.3")})
    o.push_back(s);
  return test::small_scenario(o, 20000, 1, months);
}

// The law of the initial students' months in school is that of the agents' draw
// (steady_state_months over a fine grid of uniforms).
TEST(TwinSchools, SteadyStateLawIsTheLawOfTheAgentsDraw) {
  for (const double dropout : {0.0, 0.0062, 0.02, 1.0}) {
    const std::int64_t length = 36;
    const std::vector<double> law = steady_state_months_law(dropout, length);
    ASSERT_EQ(law.size(), 36u);
    std::vector<double> seen(36, 0.0);
    const int n = 1'000'000;
    for (int i = 0; i < n; ++i)
      seen[static_cast<std::size_t>(steady_state_months((i + 0.5) / n, dropout, length))] += 1.0 / n;
    double total = 0;
    for (std::size_t m = 0; m < 36; ++m) {
      EXPECT_NEAR(law[m], seen[m], 3e-6) << "dropout " << dropout << " month " << m;
      total += law[m];
    }
    EXPECT_NEAR(total, 1, 1e-12);
  }
}

// Constant enrolment E = 100 a month from nobody, dropout d, length L = 12, no death: after
// month t, S(t) = E (1 - q^min(t, L)) / d students (q = 1 - d); E q^L graduate in every month
// after the L-th, none before; d S(t - 1) drop out; the graduates are at 中级工, 30% employed.
TEST(TwinSchools, ConstantEnrolmentInClosedForm) {
  const double E = 100, d = 0.02, q = 1 - d;
  const int L = 12, months = 30;
  const TwinProjection twin = project_expected(one_route(1200, 0, months));
  double graduated = 0, dropped = 0;
  for (int t = 1; t <= months; ++t) {
    const auto at = static_cast<std::size_t>(t);
    const TwinFlows& f = twin.flows[at];
    const TwinStocks& s = twin.stocks[at];
    ASSERT_EQ(f.school_enrolments.size(), 1u);
    EXPECT_NEAR(f.school_enrolments[0], E, 1e-12) << t; // the carry's whole 100
    const double students = E * (1 - std::pow(q, std::min(t, L))) / d;
    EXPECT_NEAR(s.school_students[0], students, 1e-9) << t;
    EXPECT_NEAR(s.workers[0][kStudentStatus], students, 1e-9) << t;
    const double graduates = t > L ? E * std::pow(q, L) : 0.0;
    EXPECT_NEAR(f.school_graduates[0], graduates, 1e-9) << t;
    EXPECT_NEAR(f.promotions[3], graduates, 1e-9) << t;
    EXPECT_NEAR(f.school_dropouts[0], E * (1 - std::pow(q, std::min(t - 1, L))), 1e-9) << t;
    EXPECT_NEAR(f.school_no_place[0], 0, 1e-12) << t;
    EXPECT_NEAR(f.entries[0], E, 1e-9) << t; // the enrolled enter at level 0
    graduated += f.school_graduates[0];
    dropped += f.school_dropouts[0];
    // The leavers joined the active population at their level, 30% employed.
    EXPECT_NEAR(s.workers[3][kEmployedStatus] - twin.stocks[0].workers[3][kEmployedStatus], 0.3 * graduated, 1e-9);
    EXPECT_NEAR(s.workers[3][kUnemployedStatus] - twin.stocks[0].workers[3][kUnemployedStatus], 0.7 * graduated, 1e-9);
    EXPECT_NEAR(s.workers[0][kEmployedStatus] - twin.stocks[0].workers[0][kEmployedStatus], 0.3 * dropped, 1e-9);
    // Nobody lost: students + leavers = the enrolled.
    EXPECT_NEAR(students + graduated + dropped, E * t, 1e-9) << t;
  }
}

// The initial students alone (n0 = 1000, no enrolment): their months in school follow the steady
// state q^m d / (1 - q^L), so after month t <= L, n0 q^t (1 - q^(L - t)) / (1 - q^L) are still in
// school, and n0 d q^L / (1 - q^L) graduate in each of the first L months.
TEST(TwinSchools, InitialStudentsInClosedForm) {
  const double n0 = 1000, d = 0.02, q = 1 - d;
  const int L = 12;
  const TwinProjection twin = project_expected(one_route(0, n0, 14));
  EXPECT_NEAR(twin.stocks[0].school_students[0], n0, 1e-9);
  for (int t = 1; t <= 14; ++t) {
    const auto at = static_cast<std::size_t>(t);
    const double students = t <= L ? n0 * std::pow(q, t) * (1 - std::pow(q, L - t)) / (1 - std::pow(q, L)) : 0.0;
    EXPECT_NEAR(twin.stocks[at].school_students[0], students, 1e-9) << t;
    EXPECT_NEAR(twin.flows[at].school_graduates[0], t <= L ? n0 * d * std::pow(q, L) / (1 - std::pow(q, L)) : 0.0, 1e-9)
        << t;
    EXPECT_NEAR(twin.flows[at].school_enrolments[0], 0, 1e-12) << t;
  }
}

// tests/data/schools.toml (20,000 persons, three routes, enrolment in September, the national
// defaults' deaths, labour market and assessments), shrunk to `months`.
Scenario schools_scenario(int months, std::vector<std::string> overrides = {}) {
  overrides.insert(overrides.begin(), "scenario.months=" + std::to_string(months));
  return io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/tests/data/schools.toml", overrides);
}

// The cells compared: (name, cells, values) with values(results, replicate, cell).
struct Check {
  std::string what;
  std::size_t cells;
  std::function<double(const Results&, std::size_t, std::size_t)> values;
  bool rare = false; // cells the agents may never see in 30 replicates (a group's 高级技师)
};

std::vector<Check> school_checks(const Results& r, std::size_t months) {
  const std::size_t routes = r.dimension("school_route").size();
  std::vector<Check> checks;
  const auto yearly = [](const std::string& name, std::size_t t) {
    return [name, t](const Results& x, std::size_t rep, std::size_t k) {
      double n = 0;
      for (std::size_t u = t - 11; u <= t; ++u) n += value(x, name, rep, u, k);
      return n;
    };
  };
  for (std::size_t t = 1; t <= months; ++t)
    for (const char* name : {"school_students", "school_graduates", "school_dropouts"})
      checks.push_back(
          {std::string(name) + " in month " + std::to_string(t), routes,
           [t, name](const Results& x, std::size_t rep, std::size_t k) { return value(x, name, rep, t, k); }});
  for (std::size_t t = 12; t <= months; t += 12) {
    const std::string year = " in the year to month " + std::to_string(t);
    for (const char* name : {"school_graduates", "school_dropouts", "school_enrolments", "school_no_place"})
      checks.push_back({name + year, routes, yearly(name, t)});
    for (const char* name : {"promotions", "entries_by_level", "exits_by_level"})
      checks.push_back({name + year, kLevelCount, yearly(name, t)});
    checks.push_back({"workers (level x status) at month " + std::to_string(t), kLevelCount * kStatusCount,
                      [t](const Results& x, std::size_t rep, std::size_t k) { return value(x, "workers", rep, t, k); },
                      true});
    checks.push_back(
        {"workers by group at month " + std::to_string(t), kGroupCount * kLevelCount,
         [t](const Results& x, std::size_t rep, std::size_t k) { return value(x, "workers_by_group", rep, t, k); },
         true});
  }
  return checks;
}

// How many cells of `checks` lie outside 4 standard errors of `twin` (no expectation: to show
// the check can fail).
int outside(const Results& agents, const Results& twin, std::int64_t replicates, const std::vector<Check>& checks,
            std::string& which) {
  int n = 0;
  for (const Check& c : checks)
    for (std::size_t k = 0; k < c.cells; ++k) {
      double sum = 0, squares = 0;
      for (std::size_t rep = 0; rep < static_cast<std::size_t>(replicates); ++rep) {
        const double x = c.values(agents, rep, k);
        sum += x;
        squares += x * x;
      }
      const auto m = static_cast<double>(replicates);
      const double mean = sum / m, se = std::sqrt(std::max(0.0, (squares - m * mean * mean) / (m - 1)) / m);
      // As expect_mean_around: equal where the agents do not vary (to 3 / replicates for rare cells).
      const double allowed = se == 0 ? (c.rare ? 3 / m : 1e-6) : 4 * se + 1e-6;
      if (std::abs(mean - c.values(twin, 0, k)) > allowed) {
        ++n;
        if (which.size() < 400) which += c.what + " [" + std::to_string(k) + "]; ";
      }
    }
  return n;
}

// The agents' mean over 30 replicates within 4 standard errors of the twin for the students,
// graduates and dropouts by route every month, each year's graduates, dropouts, enrolments and
// plan places refused by route, promotions, entries and deaths by level, and every level x status
// and group x level at each year's end. A twin whose dropout is 10% higher than the agents' is
// outside them (the students of 中级工班 at the end, its graduates of the first year).
TEST(TwinSchools, AgentMeanWithinFourStandardErrors) {
  const int months = 36;
  const Scenario s = schools_scenario(months);
  ASSERT_TRUE(twin_refusals(s).empty());
  RunOptions options;
  options.replicates = 30;
  options.seed = 11;
  const Results agents = run_scenario(s, options), twin = project_scenario(s);
  ASSERT_TRUE(twin.has_variable("school_students"));
  EXPECT_EQ(twin.variable("school_students").dims, agents.variable("school_students").dims);
  int compared = 0;
  const std::vector<Check> checks = school_checks(twin, months);
  for (const Check& c : checks)
    compared +=
        expect_mean_around(agents, twin, options.replicates, c.cells, c.values, c.what, MeanTolerance{.rare = c.rare});
  EXPECT_GT(compared, 800);
  // The check can fail: the same agents against a twin with the dropout rates times 1.1.
  const Results wrong = project_scenario(schools_scenario(months, {"schools.dropout_rate=[0.0044, 0.0044, 0.0033]"}));
  std::string which;
  const int off = outside(agents, wrong, options.replicates, checks, which);
  EXPECT_GE(off, 2) << which;
  std::printf("[ schools ] a twin with dropout x1.1: %d of %d cells outside 4 standard errors: %s\n", off, compared,
              which.c_str());
}

// The capacity binds: 850 places for 中级工班 (some 590 students left in September, a plan of
// 300), so the agents enrol min(plan, 850 - students) of their own students and the twin of the
// expected ones: the same where the places left are well inside (0, plan), apart near its edges
// (Jensen's inequality), as in the second September, where the places left are about the plan.
// Within 4 standard errors, or 2% of the twin.
TEST(TwinSchools, AgentMeanWithinFourStandardErrorsWhereCapacityBinds) {
  const int months = 24;
  const Scenario s = schools_scenario(months, {"schools.capacity=[[850], [600], [1000]]"});
  RunOptions options;
  options.replicates = 30;
  options.seed = 12;
  const Results agents = run_scenario(s, options), twin = project_scenario(s);
  // The capacity binds in both Septembers: plan places refused, and students at the places.
  EXPECT_GT(value(twin, "school_no_place", 0, 9, 0), 5);
  EXPECT_NEAR(value(twin, "school_students", 0, 9, 0), 850, 1e-9);
  std::printf("[ schools ] 中级工班 plan places refused in September 2020 and 2021: twin %.2f and %.2f\n",
              value(twin, "school_no_place", 0, 9, 0), value(twin, "school_no_place", 0, 21, 0));
  int compared = 0;
  double largest = 0;
  std::string where;
  for (const Check& c : school_checks(twin, months)) {
    compared += expect_mean_around(agents, twin, options.replicates, c.cells, c.values, c.what,
                                   MeanTolerance{.relative = 0.02, .rare = c.rare});
    // The largest relative gap between the agents' mean and the twin, for the report.
    for (std::size_t k = 0; k < c.cells; ++k) {
      double sum = 0;
      for (std::size_t rep = 0; rep < static_cast<std::size_t>(options.replicates); ++rep)
        sum += c.values(agents, rep, k);
      const double mean = sum / static_cast<double>(options.replicates), expected = c.values(twin, 0, k);
      if (std::abs(expected) > 10 && std::abs(mean - expected) / std::abs(expected) > largest) {
        largest = std::abs(mean - expected) / std::abs(expected);
        where = c.what + " [" + std::to_string(k) + "]: agents " + std::to_string(mean) + " twin " +
                std::to_string(expected);
      }
    }
  }
  EXPECT_GT(compared, 540);
  std::printf("[ schools ] capacity binding: largest relative gap %.4f at %s\n", largest, where.c_str());
}

} // namespace
} // namespace skillsim
