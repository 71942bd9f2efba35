// First contact with scenario files: a file must name the scenario and its start; text that is
// no value (in --set or in a file) is reported in the key's terms, not the TOML library's; and
// the count of problems says where they are.
#include <gtest/gtest.h>

#include "skillsim/io/scenario_toml.hpp"

namespace skillsim::io {
namespace {

const std::string kHead = "[scenario]\nname = \"x\"\nstart = 2020-01-01\n";

// ---------------------------------------------------------------------------------------------
// The count of problems names where they are

TEST(ProblemCount, NamesTheSourcesOfTheProblems) {
  const auto at = [](const char* file) { return Diagnostic{file, 1, 1, "k", "m"}; };
  EXPECT_EQ(problem_count({at("a.toml")}), "1 problem in a.toml");
  EXPECT_EQ(problem_count({at("a.toml"), at("a.toml")}), "2 problems in a.toml");
  EXPECT_EQ(problem_count({at("--set")}), "1 problem in --set");
  EXPECT_EQ(problem_count({at("a.toml"), at("a.toml"), at("<defaults>"), at("--set")}),
            "4 problems: 2 in a.toml, 1 in <defaults>, 1 in --set");
  EXPECT_EQ(problem_count({at("")}), "1 problem");
}

TEST(ProblemCount, AProblemInSetIsNotCountedAsTheFiles) {
  try {
    parse_scenario(kHead, "plan.toml", {"run.replicates=0"});
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()),
              "invalid scenario: 1 problem in --set\n  --set: run.replicates: must be in [1, 100000], got 0");
    EXPECT_EQ(problem_count(e.diagnostics()), "1 problem in --set");
  }
  try {
    parse_scenario(kHead + "[labour]\njob_loss_rate = 2\n", "plan.toml", {"run.replicates=0"});
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(problem_count(e.diagnostics()), "2 problems: 1 in plan.toml, 1 in --set");
  }
}

} // namespace
} // namespace skillsim::io
