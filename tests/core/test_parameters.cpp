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

TEST(Parameters, ProgrammeColumnsAreCheckedAndTheirNumberIsBounded) {
  Parameters p = io::default_parameters();
  p.programmes.names = {"a"};
  p.programmes.duration_months = {0};
  p.programmes.target_level = {2};
  p.programmes.full_time = {2}; // a byte set through the C++ API; readers store only 0 and 1
  auto issues = check(p);
  EXPECT_TRUE(has_issue(issues, "programmes.duration_months[0]", "must be in [1, 60], got 0")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "programmes.full_time[0]", "must be true or false (1 or 0), got 2")) << dump(issues);
  EXPECT_FALSE(has_issue(issues, "programmes.target_level[0]", "")) << dump(issues);
  // An agent's programme is one byte (255 = none): `validate` must refuse a 255th programme.
  p.programmes.names.clear();
  for (int k = 0; k < 255; ++k) p.programmes.names.push_back("p" + std::to_string(k));
  issues = check(p);
  EXPECT_TRUE(has_issue(issues, "programmes.names", "at most 254 programmes are supported, got 255")) << dump(issues);
}

// Levels, months and ranks are integers; yes/no columns are flags (not reals tested against 0.5).
TEST(Parameters, IntegerAndFlagParametersHaveTheirKinds) {
  const std::pair<const char*, ValueKind> kinds[] = {
      {"skills.min_months", ValueKind::IntegerVector},
      {"skills.may_be_unreachable", ValueKind::FlagVector},
      {"funds.carry_over", ValueKind::FlagVector},
      {"programmes.eligible_groups", ValueKind::FlagMatrix},
      {"programmes.eligible_statuses", ValueKind::FlagMatrix},
      {"programmes.min_level", ValueKind::IntegerVector},
      {"programmes.max_level", ValueKind::IntegerVector},
      {"programmes.duration_months", ValueKind::IntegerVector},
      {"programmes.full_time", ValueKind::FlagVector},
      {"programmes.target_level", ValueKind::IntegerVector},
      {"programmes.group_priority", ValueKind::IntegerVector},
      {"programmes.substitutes", ValueKind::FlagMatrix},
      {"evaluation.eligible_statuses", ValueKind::FlagMatrix},
      {"evaluation.max_level", ValueKind::IntegerVector},
  };
  for (const auto& [key, kind] : kinds) {
    const auto* spec = find_parameter(key);
    ASSERT_NE(spec, nullptr) << key;
    EXPECT_EQ(spec->kind, kind) << key;
  }
  EXPECT_EQ(kind_name(ValueKind::IntegerVector), "array of integers");
  EXPECT_EQ(kind_name(ValueKind::FlagVector), "array of booleans");
  EXPECT_EQ(kind_name(ValueKind::FlagMatrix), "array of arrays of booleans");
  // No registered real is documented as a 0-or-1 value any more.
  for (const auto& spec : parameter_specs()) EXPECT_NE(spec.unit, "0 or 1") << spec.key;
}

TEST(Parameters, SetValueTakesIntegerAndFlagValuesOfTheirOwnKindOnly) {
  Parameters p = io::default_parameters();
  const auto& min_months = *find_parameter("skills.min_months");
  const std::vector<std::int64_t> months = {0, 0, 6, 12, 24, 36, 36, 24, 24};
  EXPECT_FALSE(set_value(p, min_months, Value{months}).has_value());
  EXPECT_EQ(p.skills.min_months, months);
  EXPECT_EQ(get_value(p, min_months), Value{months});
  EXPECT_EQ(set_value(p, min_months, Value{std::vector<double>(9, 12.0)}), "expected array of integers");

  const auto& unreachable = *find_parameter("skills.may_be_unreachable");
  const std::vector<std::uint8_t> flags = {0, 0, 0, 0, 0, 0, 1, 1, 1};
  EXPECT_FALSE(set_value(p, unreachable, Value{flags}).has_value());
  EXPECT_EQ(p.skills.may_be_unreachable, flags);
  EXPECT_EQ(set_value(p, unreachable, Value{std::vector<std::int64_t>(9, 1)}), "expected array of booleans");

  const auto& eligible = *find_parameter("programmes.eligible_groups");
  const FlagMatrix matrix{1, kGroupCount, std::vector<std::uint8_t>(kGroupCount, 1)};
  EXPECT_FALSE(set_value(p, eligible, Value{matrix}).has_value());
  EXPECT_TRUE(p.programmes.eligible_groups(0, kGroupCount - 1));
  EXPECT_EQ(set_value(p, eligible, Value{RealMatrix{1, 1, {1.0}}}), "expected array of arrays of booleans");
}

TEST(Parameters, ColumnDefaultsFillIntegerAndFlagColumns) {
  Parameters p = io::default_parameters();
  p.programmes.names = {"a", "b"};
  p.evaluation.evaluators = {"x"};
  fill_column_defaults(p);
  EXPECT_EQ(p.programmes.substitutes, (FlagMatrix{2, 2, {0, 0, 0, 0}}));
  EXPECT_EQ(p.evaluation.max_level, (std::vector<std::int64_t>{6}));
}

// programmes.appraisal_share: optional (1 for every declared programme), a share in [0, 1],
// schedulable like pass_probability.
TEST(Parameters, AppraisalShareDefaultsToOneAndIsAShare) {
  Parameters p = io::default_parameters();
  EXPECT_TRUE(p.programmes.appraisal_share.empty()); // no programmes by default
  p.programmes.names = {"a", "b"};
  fill_column_defaults(p);
  EXPECT_EQ(p.programmes.appraisal_share, (std::vector<double>{1.0, 1.0}));
  const ParameterSpec* spec = find_parameter("programmes.appraisal_share");
  ASSERT_NE(spec, nullptr);
  EXPECT_TRUE(spec->schedulable);
  EXPECT_EQ(spec->kind, ValueKind::RealVector);
  EXPECT_EQ(spec->unit, "share");
  p.programmes.appraisal_share = {1.5, -0.1};
  auto issues = check(p);
  EXPECT_TRUE(has_issue(issues, "programmes.appraisal_share[0]", "must be in [0, 1], got 1.5")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "programmes.appraisal_share[1]", "must be in [0, 1], got -0.1")) << dump(issues);
  p.programmes.appraisal_share = {0, 1};
  EXPECT_FALSE(has_issue(check(p), "programmes.appraisal_share", "")) << dump(check(p));
  p.programmes.appraisal_share = {0.5};
  EXPECT_TRUE(has_issue(check(p), "programmes.appraisal_share", "")) << "one value for two programmes";
}

TEST(Parameters, AssessmentTrendIsCheckedWithItsDates) {
  Parameters p = io::default_parameters();
  EXPECT_EQ(p.skills.assessment_rate_trend, std::vector<double>(kLevelCount, 0.0));
  EXPECT_EQ(p.skills.trend_reference_date, Month::of(2016, 1));
  EXPECT_EQ(p.skills.trend_end_date, Month::of(2100, 1));
  p.skills.assessment_rate_trend[4] = -0.6;
  p.skills.assessment_rate_trend[5] = 2.5;
  p.skills.trend_end_date = Month::of(2015, 12);
  const auto issues = check(p);
  EXPECT_TRUE(has_issue(issues, "skills.assessment_rate_trend[4]", "must be in [-0.5, 2], got -0.6")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "skills.assessment_rate_trend[5]", "must be in [-0.5, 2], got 2.5")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "skills.trend_end_date",
                        "must not be before skills.trend_reference_date (2016-01-01), got 2015-12-01"))
      << dump(issues);
  for (const char* key : {"skills.assessment_rate_trend", "skills.trend_reference_date", "skills.trend_end_date"}) {
    ASSERT_NE(find_parameter(key), nullptr) << key;
    EXPECT_FALSE(find_parameter(key)->schedulable) << key;
  }
  p.skills.trend_end_date = p.skills.trend_reference_date; // equal dates: no trend at all, allowed
  p.skills.assessment_rate_trend[4] = -0.5;
  p.skills.assessment_rate_trend[5] = 2;
  EXPECT_TRUE(check(p).empty()) << dump(check(p));
}
