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

// ---------------------------------------------------------------------------------------------
// --set values that are no TOML value: the key's kind and unit, and the text given

std::string listing(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

// The problems of `text` read as scenario text (the syntax and --set messages do not depend on
// the rule for files).
std::vector<Diagnostic> text_problems(std::string_view text, const std::vector<std::string>& overrides = {}) {
  try {
    parse_scenario(text, "f.toml", overrides);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected a ScenarioError for:\n" << text;
  return {};
}

std::string set_problem(const std::string& override_text) {
  const auto d = text_problems(kHead, {override_text});
  EXPECT_EQ(d.size(), 1u) << listing(d);
  return d.empty() ? "" : d[0].to_string();
}

TEST(SetMessages, EveryKindSaysWhatWasExpected) {
  EXPECT_EQ(set_problem("scenario.months=ten"), "--set: scenario.months: expected an integer (months), got 'ten'");
  EXPECT_EQ(set_problem("labour.job_loss_rate=abc"),
            "--set: labour.job_loss_rate: expected a number (probability per month), got 'abc'");
  EXPECT_EQ(set_problem("scenario.start=2020-01"),
            "--set: scenario.start: expected a date such as 2020-01-01 (the first day of a month), got '2020-01'");
  EXPECT_EQ(set_problem("population.regions=[north, south]"),
            "--set: population.regions: expected an array of strings, written [\"a\", \"b\", ...], got "
            "'[north, south]' (write each name in quotes)");
  EXPECT_EQ(set_problem("skills.pass_probability=1,1,0.9"),
            "--set: skills.pass_probability: expected an array of numbers (probability), one per level, written "
            "[0.5, 1, ...], got '1,1,0.9'");
  EXPECT_EQ(set_problem("skills.min_months=[0, 1"),
            "--set: skills.min_months: expected an array of integers (months), one per level, written [1, 2, ...], "
            "got '[0, 1'");
  EXPECT_EQ(set_problem("skills.may_be_unreachable=[yes, no]"),
            "--set: skills.may_be_unreachable: expected an array of booleans, one per level, written [true, false, "
            "...], got '[yes, no]'");
  EXPECT_EQ(set_problem("population.level_by_age_prior=[[1, 2], [3"),
            "--set: population.level_by_age_prior: expected an array of arrays of numbers (relative weight), one row "
            "per age band with one value per level, written [[0.5, 1, ...], [0.5, 1, ...], ...], got '[[1, 2], [3'");
  EXPECT_EQ(set_problem("programmes.eligible_groups=[[true, nope]]"),
            "--set: programmes.eligible_groups: expected an array of arrays of booleans, one row per programme with "
            "one value per group, written [[true, false, ...], [false, true, ...], ...], got '[[true, nope]]'");
  // Two values where one goes.
  EXPECT_EQ(set_problem("run.seed=1\nrun.replicates = 3"),
            "--set: run.seed: expected an integer, got '1 run.replicates = 3'");
  // A string takes bare text, so it never fails to read.
  EXPECT_EQ(listing(text_problems(kHead + "[population]\nsize = -1\n", {"scenario.description=ten, or [so"})),
            "f.toml:5:8: population.size: a count cannot be negative; must be in [0, 2e+09], got -1\n");
}

TEST(SetMessages, NoKeyLeaksTheParsersWords) {
  // Every registered key with text that is no TOML value of any kind.
  const std::string bad[] = {"ten",  "nope",     "inf2", "1,2",   "1 2", "[1,2", "\"x",        "'x",         "2020-1-1",
                             "{a=1", "[[1], [2", "0x",   "12abc", "-",   "=",    "[true, ye]", "2020-01-01T"};
  for (const auto& spec : parameter_specs())
    for (const auto& value : bad) {
      try {
        parse_scenario(kHead, "f.toml", {std::string(spec.key) + "=" + value});
      } catch (const ScenarioError& e) {
        for (const auto& d : e.diagnostics()) {
          EXPECT_EQ(d.message.find("Error while parsing"), std::string::npos)
              << spec.key << "=" << value << ": " << d.to_string();
          EXPECT_EQ(d.message.find("TOML"), std::string::npos) << spec.key << "=" << value << ": " << d.to_string();
        }
      }
    }
}

} // namespace
} // namespace skillsim::io
