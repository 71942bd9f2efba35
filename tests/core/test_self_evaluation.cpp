// Self-evaluation capacity held by employers (企业自主评价, employers.self_evaluation_per_1000): the
// capacity is the rule's, floor(per 1000 x employed / 1000) by cell, and never exceeded; only the
// cell's own employees use it; without it the results of before, bit for bit; 1 vs 2 threads; every
// validation message.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/simulation.hpp"

using namespace skillsim;
using test::dump;
using test::has_issue;

namespace {

// One region, two size classes, two evaluator types with no capacity of their own (so every
// assessment above 学徒工 is held by the large cells' own capacity), no appointments.
Scenario self_scenario(std::map<std::string, std::string> changes, int months = 6, double persons = 60000) {
  std::map<std::string, std::string> settings = {
      {"employers.size_classes", R"(["large", "small"])"},
      {"employers.labels", R"(["大型企业", "中小企业"])"},
      {"employers.size_shares", "[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]"},
      {"employers.self_evaluation_per_1000", "[5, 0]"},
      {"employers.self_evaluator", R"("enterprise")"},
      {"evaluation.evaluators", R"(["enterprise", "social_organisation"])"},
      {"evaluation.labels", R"(["企业自主评价", "社会培训评价组织"])"},
      {"evaluation.capacity_per_month", "[[0], [0]]"},
      {"evaluation.eligible_statuses", "[[0, 1, 0, 0, 0, 0], [0, 1, 1, 1, 1, 0]]"},
      {"evaluation.max_level", "[6, 5]"},
      {"skills.principal_technician_quota_per_year", "0"},
      {"skills.chief_technician_quota_per_year", "0"}};
  for (auto& [k, v] : changes) settings[k] = v;
  std::vector<std::string> overrides;
  for (auto& [k, v] : settings) overrides.push_back(k + "=" + v);
  return test::small_scenario(overrides, persons, 1, months);
}

} // namespace

TEST(SelfEvaluation, CapacityIsTheRulesAndNeverExceeded) {
  const Results r = run_scenario(self_scenario({}), RunOptions{});
  const std::size_t cells = kSectorCount * 2;
  std::int64_t held = 0;
  for (std::size_t t = 1; t <= 6; ++t) {
    std::int64_t held_t = 0;
    for (std::size_t k = 0; k < cells; ++k) {
      const std::int64_t employed = test::at(r, "employer_employed", 0, t - 1, k); // at the start of the month
      const std::int64_t rule =
          k % 2 == 0 ? static_cast<std::int64_t>(std::floor(5.0 * static_cast<double>(employed) / 1000.0)) : 0;
      EXPECT_EQ(test::at(r, "employer_self_capacity", 0, t, k), rule) << t << " " << k;
      EXPECT_LE(test::at(r, "employer_self_evaluations", 0, t, k), rule) << t << " " << k;
      held_t += test::at(r, "employer_self_evaluations", 0, t, k);
    }
    // No other capacity: the enterprise type held exactly these, the other type nothing.
    EXPECT_EQ(test::at(r, "evaluations", 0, t, 0), held_t) << t;
    EXPECT_EQ(test::at(r, "evaluations", 0, t, 1), 0) << t;
    held += held_t;
  }
  EXPECT_GT(held, 0);
}

// Every promotion above 学徒工 (which needs an evaluator) goes to a worker employed, at the start
// of the month, in a large cell: the small cells, the unemployed and the others have no capacity.
TEST(SelfEvaluation, OnlyTheCellsOwnEmployeesUseIt) {
  const Scenario s = self_scenario({});
  ReplicateState state(s, 9, 0);
  std::int64_t promoted = 0, wrong = 0;
  for (int m = 0; m < 6; ++m) {
    const ColumnVector<std::uint8_t> cells = state.population().employer, levels = state.population().level;
    const auto ids = state.population().id;
    state.step();
    const Population& pop = state.population();
    ASSERT_GE(pop.size(), cells.size());
    ASSERT_EQ(pop.id[cells.size() - 1], ids.back()); // no compaction in between: the same indices
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (pop.level[i] <= levels[i] || pop.level[i] < 2) continue;
      ++promoted;
      wrong += cells[i] == kNoEmployer || cells[i] % 2 != 0;
    }
  }
  EXPECT_GT(promoted, 0);
  EXPECT_EQ(wrong, 0);
}

TEST(SelfEvaluation, WithoutCapacityTheResultsOfBeforeBitForBit) {
  // Social organisations assess the employed and the others (50 a month, up to 高级技师), enterprises
  // nobody.
  const std::string social = "[[0], [50]]";
  const Results a = run_scenario(self_scenario({{"employers.self_evaluation_per_1000", "[0, 0]"},
                                                {"employers.self_evaluator", R"("")"},
                                                {"evaluation.capacity_per_month", social},
                                                {"evaluation.max_level", "[6, 6]"}}),
                                 RunOptions{});
  const Results b = run_scenario(self_scenario({{"employers.self_evaluation_per_1000", "[0, 0]"},
                                                {"evaluation.capacity_per_month", social},
                                                {"evaluation.max_level", "[6, 6]"}}),
                                 RunOptions{});
  EXPECT_FALSE(a.has_variable("employer_self_evaluations"));
  EXPECT_TRUE(b.has_variable("employer_self_evaluations"));
  test::expect_same_results(b, a, false);
  // And with capacity elsewhere: the self-evaluating cells add assessments.
  const Results c = run_scenario(
      self_scenario({{"evaluation.capacity_per_month", social}, {"evaluation.max_level", "[6, 6]"}}), RunOptions{});
  std::int64_t with = 0, without = 0;
  for (std::size_t t = 1; t <= 6; ++t) {
    with += test::at(c, "evaluations", 0, t, 0);
    without += test::at(a, "evaluations", 0, t, 0);
  }
  EXPECT_EQ(without, 0);
  EXPECT_GT(with, 0);
}

TEST(SelfEvaluation, IdenticalForOneAndTwoThreads) {
  const Results r = test::expect_same_for_one_and_two_threads(
      self_scenario({{"evaluation.capacity_per_month", "[[20], [30]]"}}, 6, 40000), 2);
  std::int64_t held = 0;
  for (std::size_t t = 1; t <= 6; ++t)
    for (std::size_t k = 0; k < kSectorCount * 2; ++k) held += test::at(r, "employer_self_evaluations", 0, t, k);
  EXPECT_GT(held, 0);
}

TEST(SelfEvaluation, EveryValidationMessage) {
  const auto issues_of = [](const std::string& what) {
    Parameters p = self_scenario({}).parameters();
    auto& e = p.employers;
    if (what == "unknown") e.self_evaluator = "enterprises";
    if (what == "unnamed") e.self_evaluator = "";
    if (what == "negative") e.self_evaluation_per_1000 = {-1, 0};
    if (what == "length") e.self_evaluation_per_1000 = {5};
    return check(p);
  };
  EXPECT_TRUE(issues_of("").empty()) << dump(issues_of(""));
  auto issues = issues_of("unknown");
  EXPECT_TRUE(has_issue(issues, "employers.self_evaluator",
                        "no evaluator type named 'enterprises' in evaluation.evaluators (enterprise, "
                        "social_organisation)"))
      << dump(issues);
  issues = issues_of("unnamed");
  EXPECT_TRUE(has_issue(issues, "employers.self_evaluation_per_1000",
                        "self-evaluation capacity needs employers.self_evaluator, the evaluator type it counts under"))
      << dump(issues);
  issues = issues_of("negative");
  EXPECT_TRUE(has_issue(issues, "employers.self_evaluation_per_1000[0]", "must be in [0, 1000], got -1"))
      << dump(issues);
  issues = issues_of("length");
  EXPECT_TRUE(has_issue(issues, "employers.self_evaluation_per_1000", "expected 2 values")) << dump(issues);
}
