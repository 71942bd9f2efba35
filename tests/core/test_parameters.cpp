// The parameter registry and the checks every reader relies on.
#include <gtest/gtest.h>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/scenario.hpp"
#include "skillsim/io/scenario_toml.hpp"

using namespace skillsim;

namespace {
bool has_issue(const std::vector<Issue>& issues, const std::string& key, const std::string& text) {
  for (const auto& i : issues)
    if (i.key == key && i.message.find(text) != std::string::npos) return true;
  return false;
}
std::string dump(const std::vector<Issue>& issues) {
  std::string s;
  for (const auto& i : issues) s += i.key + ": " + i.message + "\n";
  return s;
}
} // namespace

TEST(Parameters, DefaultsAreCompleteAndValid) {
  const Parameters p = io::default_parameters();
  EXPECT_TRUE(check(p).empty()) << dump(check(p));
}

TEST(Parameters, KeysAreUniqueAndFindable) {
  for (const auto& spec : parameter_specs()) {
    EXPECT_EQ(find_parameter(spec.key), &spec) << spec.key;
  }
  EXPECT_EQ(find_parameter("labour.no_such_thing"), nullptr);
}

TEST(Parameters, SuggestionsFindNearMisses) {
  auto s = suggest_parameters("labour.job_los_rate");
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s.front(), "labour.job_loss_rate");
  // Right name, wrong section.
  s = suggest_parameters("skills.job_find_rate");
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s.front(), "labour.job_find_rate");
  EXPECT_TRUE(suggest_parameters("completely.unrelated_words_here").empty());
}

TEST(Parameters, SetValueRejectsTheWrongKind) {
  Parameters p = io::default_parameters();
  const auto* months = find_parameter("scenario.months");
  ASSERT_NE(months, nullptr);
  EXPECT_EQ(set_value(p, *months, Value{2.5}), "expected integer");
  EXPECT_FALSE(set_value(p, *months, Value{std::int64_t{36}}).has_value());
  EXPECT_EQ(p.scenario.months, 36);
  // An integer is accepted where a real is expected.
  const auto* rate = find_parameter("labour.job_loss_rate");
  EXPECT_FALSE(set_value(p, *rate, Value{std::int64_t{0}}).has_value());
  EXPECT_EQ(p.labour.job_loss_rate, 0.0);
}

TEST(Parameters, CheckReportsEveryRangeLengthAndSumProblem) {
  Parameters p = io::default_parameters();
  p.labour.job_loss_rate = 1.5;
  p.population.size = -5;
  p.skills.pass_probability.pop_back();
  p.population.group_shares[0] += 0.5;
  p.entry.entry_age_max = p.entry.entry_age_min;
  p.skills.assessment_rate[7] = 0.1;
  const auto issues = check(p);
  EXPECT_TRUE(has_issue(issues, "labour.job_loss_rate", "must be in [0, 1], got 1.5")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "population.size", "a count cannot be negative")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "skills.pass_probability", "expected 9 values, one per level (none, apprentice"))
      << dump(issues);
  EXPECT_TRUE(has_issue(issues, "population.group_shares", "shares must sum to 1, they sum to 1.5")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "entry.entry_age_max", "must be greater than")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "skills.assessment_rate[7]", "appointed within a quota")) << dump(issues);
  EXPECT_EQ(issues.size(), 6u) << dump(issues);
}

TEST(Scenario, MakeValidatesScheduleAndTargets) {
  const Parameters p = io::default_parameters(); // 2016-01 for 12 months
  std::vector<ScheduledChange> schedule = {
      {Month::of(2016, 6), "labour.job_loss_multiplier", Value{2.0}},
      {Month::of(2016, 3), "labour.job_loss_multiplier", Value{1.0}}, // out of order
      {Month::of(2016, 4), "labour.job_los_multiplier", Value{1.0}},  // misspelled
      {Month::of(2016, 4), "population.size", Value{1.0}},            // not schedulable
      {Month::of(2016, 5), "labour.job_find_rate", Value{3.0}},       // out of range
      {Month::of(2018, 1), "labour.job_find_rate", Value{0.1}},       // after the run
  };
  Target late;
  late.label = "late";
  late.month = Month::of(2017, 2);
  late.value = 1.0;
  std::vector<Target> targets = {late};
  try {
    Scenario::make(p, schedule, targets, "test.toml");
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("schedule[1].date: dates out of order: 2016-03-01 comes after 2016-06-01"), std::string::npos)
        << text;
    EXPECT_NE(text.find("did you mean 'labour.job_loss_multiplier'?"), std::string::npos) << text;
    EXPECT_NE(text.find("'population.size' is fixed for the whole run and cannot be scheduled"), std::string::npos)
        << text;
    EXPECT_NE(text.find("schedule[4].set.labour.job_find_rate: must be in [0, 1], got 3"), std::string::npos) << text;
    EXPECT_NE(text.find("schedule[5].date: date 2018-01-01 is outside the run"), std::string::npos) << text;
    EXPECT_NE(text.find("targets[0].date"), std::string::npos) << text;
    EXPECT_EQ(e.diagnostics().size(), 6u) << text;
  }
}

TEST(Scenario, ParametersAtAppliesChangesFromTheirMonthOn) {
  const Parameters p = io::default_parameters();
  const Scenario s = Scenario::make(p,
                                    {{Month::of(2016, 3), "labour.job_loss_multiplier", Value{2.0}},
                                     {Month::of(2016, 6), "labour.job_loss_multiplier", Value{std::int64_t{1}}}},
                                    {});
  EXPECT_EQ(s.parameters_at(Month::of(2016, 2)).labour.job_loss_multiplier, 1.0);
  EXPECT_EQ(s.parameters_at(Month::of(2016, 3)).labour.job_loss_multiplier, 2.0);
  EXPECT_EQ(s.parameters_at(Month::of(2016, 5)).labour.job_loss_multiplier, 2.0);
  EXPECT_EQ(s.parameters_at(Month::of(2016, 6)).labour.job_loss_multiplier, 1.0);
}

TEST(Types, DaysSinceEpochMatchesTheCalendar) {
  EXPECT_EQ(days_since_epoch(Month::of(1970, 1)), 0);
  EXPECT_EQ(days_since_epoch(Month::of(2000, 3)), 11017); // 2000-03-01
  EXPECT_EQ(days_since_epoch(Month::of(2020, 1)), 18262); // 2020-01-01
  EXPECT_EQ(days_since_epoch(Month::of(2022, 1)) - days_since_epoch(Month::of(2021, 1)), 365);
}

TEST(Parameters, ProgrammeLevelsAndDurationsAreWholeAndTheirNumberIsBounded) {
  Parameters p = io::default_parameters();
  p.programmes.names = {"a"};
  p.programmes.duration_months = {2.5};
  p.programmes.target_level = {2};
  auto issues = check(p);
  EXPECT_TRUE(has_issue(issues, "programmes.duration_months[0]", "must be a whole number, got 2.5")) << dump(issues);
  EXPECT_FALSE(has_issue(issues, "programmes.target_level[0]", "whole number")) << dump(issues);
  // An agent's programme is one byte (255 = none): `validate` must refuse a 255th programme.
  p.programmes.names.clear();
  for (int k = 0; k < 255; ++k) p.programmes.names.push_back("p" + std::to_string(k));
  issues = check(p);
  EXPECT_TRUE(has_issue(issues, "programmes.names", "at most 254 programmes are supported, got 255")) << dump(issues);
}
