// Tests of the TOML scenario reader: defaults, overlay, schedules, targets, --set overrides and,
// for every class of mistake, the exact message and where it points.
#include "skillsim/io/scenario_toml.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include <unistd.h>

namespace skillsim::io {
namespace {

// Every target series, as error messages list them.
const std::string kSeriesList = "skilled_workers, high_skilled_workers, workers_at_level, trainees_per_year, "
                                "new_skilled_per_year, certificates_per_year, pass_rate, certificate_rate, "
                                "employment_rate";

// The problems parse_scenario reports for `text` (fails the test if it accepts the text).
std::vector<Diagnostic> problems(std::string_view text, const std::vector<std::string>& overrides = {}) {
  try {
    parse_scenario(text, "s.toml", overrides);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected a ScenarioError for:\n" << text;
  return {};
}

std::string listing(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

// The one diagnostic expected, as "file:line:column: key: message".
std::string only(const std::vector<Diagnostic>& diagnostics) {
  EXPECT_EQ(diagnostics.size(), 1u) << listing(diagnostics);
  return diagnostics.empty() ? "" : diagnostics.front().to_string();
}

Month month(int y, int m) { return Month::of(y, m); }

constexpr std::string_view kTwoYears = R"(
[scenario]
start = 2020-01-01
months = 24
)";

// ---------------------------------------------------------------------------------------------
// Defaults

TEST(ScenarioToml, DefaultsAreCompleteAndValid) {
  Parameters p;
  ASSERT_NO_THROW(p = default_parameters());
  EXPECT_EQ(p.scenario.name, "default");
  EXPECT_EQ(p.scenario.start, month(2016, 1));
  EXPECT_EQ(p.population.regions, std::vector<std::string>{"national"});
  EXPECT_EQ(p.population.level_by_age_prior.rows, kAgeBandCount);
  EXPECT_EQ(p.population.level_by_age_prior.cols, kLevelCount);
  EXPECT_TRUE(check(p).empty());

  // Every registry key is written in data/defaults.toml under its section.
  std::set<std::string> keys;
  std::istringstream lines{std::string(defaults_toml())};
  std::string line, section;
  while (std::getline(lines, line)) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    // A section header "[name]" (rows of a multi-line array also start with '[').
    if (line[first] == '[') {
      const auto close = line.find(']', first);
      const std::string name = line.substr(first + 1, close == std::string::npos ? 0 : close - first - 1);
      if (!name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos) {
        section = name;
        continue;
      }
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string name = line.substr(first, eq - first);
    name.erase(name.find_last_not_of(" \t") + 1);
    keys.insert(section + "." + name);
  }
  for (const auto& spec : parameter_specs()) EXPECT_TRUE(keys.count(std::string(spec.key))) << spec.key;
}

// Text is completed from the defaults; a scenario *file* must also name its scenario and start
// (test_scenario_messages.cpp).
TEST(ScenarioToml, EmptyTextGivesTheDefaults) {
  const Scenario s = parse_scenario("", "empty.toml");
  // The columns by region the defaults leave empty (the regional factors, the migration matrix)
  // are completed per region, as every scenario's are.
  Parameters d = default_parameters();
  fill_column_defaults(d);
  for (const auto& spec : parameter_specs())
    EXPECT_TRUE(get_value(s.parameters(), spec) == get_value(d, spec)) << spec.key;
  EXPECT_TRUE(s.schedule().empty());
  EXPECT_TRUE(s.targets().empty());
}

// ---------------------------------------------------------------------------------------------
// Valid scenarios

TEST(ScenarioToml, MinimalScenarioLandsInParameters) {
  const std::string text = R"(# a comment
[scenario]
name = "baseline"
start = 2021-03-01
months = 36

[population]
size = 1000000          # an integer where a real is expected
regions = ["north", "south"]
region_shares = [0.25, 0.75]

[labour]
job_loss_rate = 0.02
job_loss_sector_factor = [1, 1.5, 0.5]

[skills]
pass_probability = [1, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 1, 1]
)";
  const Scenario s = parse_scenario(text, "baseline.toml");
  const Parameters& p = s.parameters();
  EXPECT_EQ(p.scenario.name, "baseline");
  EXPECT_EQ(p.scenario.start, month(2021, 3));
  EXPECT_EQ(p.scenario.months, 36);
  EXPECT_DOUBLE_EQ(p.population.size, 1e6);
  EXPECT_EQ(p.population.regions, (std::vector<std::string>{"north", "south"}));
  EXPECT_EQ(p.population.region_shares, (std::vector<double>{0.25, 0.75}));
  EXPECT_DOUBLE_EQ(p.labour.job_loss_rate, 0.02);
  EXPECT_EQ(p.labour.job_loss_sector_factor, (std::vector<double>{1, 1.5, 0.5}));
  EXPECT_DOUBLE_EQ(p.skills.pass_probability[2], 0.9);
  // Untouched keys keep their defaults.
  EXPECT_DOUBLE_EQ(p.labour.job_find_rate, default_parameters().labour.job_find_rate);
  EXPECT_EQ(s.source_name(), "baseline.toml");
  EXPECT_EQ(s.source_text(), text);
}

TEST(ScenarioToml, DottedKeysAtTopLevelWork) {
  const Scenario s = parse_scenario("labour.job_loss_rate = 0.03\n", "s.toml");
  EXPECT_DOUBLE_EQ(s.parameters().labour.job_loss_rate, 0.03);
}

TEST(ScenarioToml, SchedulesInEveryForm) {
  const std::string text = std::string(kTwoYears) + R"(
[[schedule]]
date = 2020-02-01
set = { "labour.job_loss_multiplier" = 2.5, "labour.job_find_multiplier" = 0.5 }

[[schedule]]
date = 2020-06-01
set = { labour = { job_loss_multiplier = 1.2 } }

[[schedule]]
date = 2021-01-01
set = { labour.job_loss_multiplier = 1, skills.pass_probability = [1, 1, 0.9, 0.9, 0.8, 0.7, 0.6, 1, 1] }
)";
  const Scenario s = parse_scenario(text, "s.toml");
  const auto& changes = s.schedule();
  ASSERT_EQ(changes.size(), 5u);
  EXPECT_EQ(changes[0].month, month(2020, 2));
  EXPECT_EQ(changes[1].month, month(2020, 2));
  std::set<std::string> first{changes[0].key, changes[1].key};
  EXPECT_EQ(first, (std::set<std::string>{"labour.job_loss_multiplier", "labour.job_find_multiplier"}));
  EXPECT_EQ(changes[2].month, month(2020, 6));
  EXPECT_EQ(changes[2].key, "labour.job_loss_multiplier");
  EXPECT_EQ(std::get<double>(changes[2].value), 1.2);
  EXPECT_EQ(changes[3].month, month(2021, 1));
  EXPECT_EQ(s.parameters_at(month(2020, 3)).labour.job_loss_multiplier, 2.5);
  EXPECT_EQ(s.parameters_at(month(2020, 3)).labour.job_find_multiplier, 0.5);
  EXPECT_EQ(s.parameters_at(month(2020, 7)).labour.job_loss_multiplier, 1.2);
  EXPECT_EQ(s.parameters_at(month(2021, 1)).skills.pass_probability[3], 0.9);
  EXPECT_EQ(s.parameters_at(month(2020, 1)).labour.job_loss_multiplier, 1.0);
}

TEST(ScenarioToml, Targets) {
  const std::string text = std::string(kTwoYears) + R"(
[[targets]]
series = "skilled_workers"
date = 2021-01-01
value = 180_000_000
label = "Plan 2021"

[[targets]]
series = "high_skilled_workers"
date = 2022-01-01
value = 5.5e7
)";
  const Scenario s = parse_scenario(text, "s.toml");
  ASSERT_EQ(s.targets().size(), 2u);
  EXPECT_EQ(s.targets()[0].label, "Plan 2021");
  EXPECT_EQ(s.targets()[0].series, TargetSeries::SkilledWorkers);
  EXPECT_EQ(s.targets()[0].month, month(2021, 1));
  EXPECT_DOUBLE_EQ(s.targets()[0].value, 1.8e8);
  EXPECT_EQ(s.targets()[1].label, "high_skilled_workers by 2022-01-01");
  EXPECT_EQ(s.targets()[1].series, TargetSeries::HighSkilledWorkers);
  EXPECT_DOUBLE_EQ(s.targets()[1].value, 5.5e7);
}

TEST(ScenarioToml, OverridesApplyAfterTheFile) {
  const std::string text = std::string(kTwoYears) + "[labour]\njob_loss_rate = 0.05\n";
  const Scenario s =
      parse_scenario(text, "s.toml",
                     {"labour.job_loss_rate=0.02", "scenario.start = 2021-01-01",
                      "skills.pass_probability=[1,1,0.9,0.8,0.7,0.6,0.5,1,1]", "scenario.name=\"quoted name\"",
                      "scenario.description=bare words here", "population.regions=[\"a\", \"b\"]",
                      "population.region_shares=[0.5, 0.5]", "run.seed=42", "labour.job_loss_rate=0.03"});
  const Parameters& p = s.parameters();
  EXPECT_DOUBLE_EQ(p.labour.job_loss_rate, 0.03); // the last override wins
  EXPECT_EQ(p.scenario.start, month(2021, 1));
  EXPECT_EQ(p.scenario.months, 24); // from the file
  EXPECT_DOUBLE_EQ(p.skills.pass_probability[6], 0.5);
  EXPECT_EQ(p.scenario.name, "quoted name");
  EXPECT_EQ(p.scenario.description, "bare words here");
  EXPECT_EQ(p.population.regions, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(p.run.seed, 42);
}

TEST(ScenarioToml, ReferenceMarkdownListsEveryParameter) {
  const std::string md = parameter_reference_markdown();
  EXPECT_NE(md.find("## [labour]"), std::string::npos);
  EXPECT_NE(md.find("| `job_loss_rate` | number | probability per month | `0.01` | [0, 1] | yes |"), std::string::npos)
      << md;
  EXPECT_NE(md.find("One value per level (none, apprentice"), std::string::npos);
  for (const auto& spec : parameter_specs()) {
    const std::string name(spec.key.substr(spec.key.find('.') + 1));
    EXPECT_NE(md.find("| `" + name + "` |"), std::string::npos) << spec.key;
  }
}

// ---------------------------------------------------------------------------------------------
// One test per class of mistake

TEST(ScenarioTomlErrors, InvalidTomlReportsTheLine) {
  const auto d = problems("[labour]\njob_loss_rate = 0.1\njob_find_rate = = 0.2\n");
  ASSERT_EQ(d.size(), 1u) << listing(d);
  EXPECT_EQ(d[0].file, "s.toml");
  EXPECT_EQ(d[0].line, 3);
  EXPECT_GT(d[0].column, 0);
  EXPECT_EQ(d[0].message.rfind("invalid TOML: ", 0), 0u) << d[0].message;
}

TEST(ScenarioTomlErrors, MalformedBytesAreParseErrors) {
  // Inputs the fuzzer found to reach assertions or undefined behaviour inside toml++ 3.3.
  const std::string inputs[] = {
      "[&",
      std::string("[\x01scenario]\n", 12),
      "[scenario]\nname = \"x\"\xE3\x80\x82\n", // a CJK full stop after a value
      "region_shares = [0.4, 0.\xCF\xA2\n",
      std::string("a = 1\0", 6),
      "a = \"\xFF\"\n",
  };
  for (const auto& input : inputs) {
    const auto d = problems(input);
    ASSERT_EQ(d.size(), 1u) << listing(d);
    EXPECT_EQ(d[0].message.rfind("invalid TOML: ", 0), 0u) << d[0].message;
    EXPECT_GT(d[0].line, 0);
  }
  // U+00A7 after a line-ending backslash in a multi-line string (marzer/tomlplusplus#190) is valid.
  const Scenario s = parse_scenario("[scenario]\ndescription = \"\"\"\\\n\xC2\xA7\"\"\"\n", "s.toml");
  EXPECT_EQ(s.parameters().scenario.description, "\xC2\xA7");
}

TEST(ScenarioTomlErrors, UnknownKeySuggestsTheRightOne) {
  EXPECT_EQ(only(problems("[labour]\njob_loss_rat = 0.1\n")),
            "s.toml:2:1: labour.job_loss_rat: no parameter named 'labour.job_loss_rat'; "
            "did you mean 'labour.job_loss_rate'?");
  // The right name in the wrong section.
  EXPECT_EQ(only(problems("[skills]\njob_find_rate = 0.1\n")),
            "s.toml:2:1: skills.job_find_rate: no parameter named 'skills.job_find_rate'; "
            "did you mean 'labour.job_find_rate'?");
  // A key outside any section.
  EXPECT_EQ(only(problems("job_loss_rate = 0.1\n")),
            "s.toml:1:1: job_loss_rate: no parameter named 'job_loss_rate'; did you mean 'labour.job_loss_rate'?");
}

TEST(ScenarioTomlErrors, UnknownSection) {
  EXPECT_EQ(only(problems("[labor]\njob_loss_rate = 0.1\n")),
            "s.toml:1:2: labor: unknown section [labor]; did you mean [labour]?");
  EXPECT_EQ(only(problems("[[target]]\nseries = \"skilled_workers\"\n")),
            "s.toml:1:3: target: unknown key 'target'; did you mean [[targets]]?");
  EXPECT_EQ(only(problems("[schedule]\ndate = 2016-02-01\n")),
            "s.toml:1:1: schedule: expected [[schedule]] entries (an array of tables), got table");
  EXPECT_EQ(only(problems("\"labour.job_loss_rate\" = 0.1\n")),
            "s.toml:1:1: labour.job_loss_rate: a quoted dotted key names no parameter; write labour.job_loss_rate "
            "without quotes, or job_loss_rate under [labour]");
  const auto far = only(problems("[economy]\ngdp = 1\n"));
  EXPECT_NE(far.find("unknown section [economy]; the sections are [scenario], [run], [population]"), std::string::npos)
      << far;
}

TEST(ScenarioTomlErrors, WrongType) {
  EXPECT_EQ(only(problems("[labour]\njob_loss_rate = \"high\"\n")),
            "s.toml:2:17: labour.job_loss_rate: expected number, got string \"high\"");
  EXPECT_EQ(only(problems("[population]\nregions = \"north\"\n")),
            "s.toml:2:11: population.regions: expected array of strings, got string \"north\"");
  EXPECT_EQ(only(problems("[labour]\njob_loss_sector_factor = [1, true, 1]\n")),
            "s.toml:2:30: labour.job_loss_sector_factor[1]: expected number, got boolean true");
  EXPECT_EQ(only(problems("[scenario]\nname = 7\n")), "s.toml:2:8: scenario.name: expected string, got integer 7");
  EXPECT_EQ(only(problems("labour = 3\n")), "s.toml:1:1: labour: expected a section [labour] (a table), got integer 3");
  EXPECT_EQ(only(problems("[population]\nlevel_by_age_prior = [[1, 2], [3]]\n")),
            "s.toml:2:31: population.level_by_age_prior[1]: rows must all have the same length: row 0 has 2 "
            "values, row 1 has 1");
}

TEST(ScenarioTomlErrors, IntegerGivenFloat) {
  EXPECT_EQ(only(problems("[scenario]\nmonths = 1.5\n")),
            "s.toml:2:10: scenario.months: expected integer, got floating-point 1.5");
  EXPECT_EQ(only(problems("[population]\nscale = 1e3\n")),
            "s.toml:2:9: population.scale: expected integer, got floating-point 1000.0");
}

TEST(ScenarioTomlErrors, ProbabilityOutsideZeroOne) {
  EXPECT_EQ(only(problems("[labour]\njob_loss_rate = 1.5\n")),
            "s.toml:2:17: labour.job_loss_rate: must be in [0, 1], got 1.5");
  // An element of a vector points at the element itself.
  EXPECT_EQ(only(problems("[skills]\npass_probability = [1, 1, 0.9, 0.8, 1.7, 0.6, 0.5, 1, 1]\n")),
            "s.toml:2:37: skills.pass_probability[4]: must be in [0, 1], got 1.7");
}

// Months at a level are counted in one byte (population.hpp, kMaxMonthsAtLevel), so no wait may
// be longer than 255 months.
TEST(ScenarioTomlErrors, WaitLongerThanTheMonthsCounted) {
  EXPECT_EQ(only(problems("[skills]\nmin_months = [0, 0, 12, 48, 256, 48, 48, 36, 36]\n")),
            "s.toml:2:29: skills.min_months[4]: must be in [0, 255], got 256");
}

TEST(ScenarioTomlErrors, NegativeCount) {
  EXPECT_EQ(only(problems("[population]\nsize = -5\n")),
            "s.toml:2:8: population.size: a count cannot be negative; must be in [0, 2e+09], got -5");
}

TEST(ScenarioTomlErrors, WrongVectorLengthNamesTheDimension) {
  EXPECT_EQ(only(problems("[skills]\npass_probability = [1, 1, 0.9]\n")),
            "s.toml:2:20: skills.pass_probability: expected 9 values, one per level (none, apprentice, junior, "
            "intermediate, senior, technician, senior_technician, principal_technician, chief_technician), got 3");
  EXPECT_EQ(only(problems("[population]\nregions = [\"a\", \"b\"]\nregion_shares = [0.5, 0.25, 0.25]\n")),
            "s.toml:3:17: population.region_shares: expected 2 values, one per region (as listed in "
            "population.regions), got 3");
}

TEST(ScenarioTomlErrors, ValueFromTheDefaultsPointsAtTheDefaults) {
  // Two regions but region_shares left at its default [1.0]: the offending value is the default's.
  const auto d = problems("[population]\nregions = [\"a\", \"b\"]\n");
  ASSERT_EQ(d.size(), 1u) << listing(d);
  EXPECT_EQ(d[0].file, "<defaults>");
  EXPECT_GT(d[0].line, 0);
  EXPECT_EQ(d[0].key, "population.region_shares");
  EXPECT_EQ(d[0].message,
            "expected 2 values, one per region (as listed in population.regions), got 1 (the default value; set "
            "population.region_shares to change it)");
}

TEST(ScenarioTomlErrors, SharesNotSummingToOne) {
  EXPECT_EQ(only(problems("[population]\ngroup_shares = [0.5, 0.5, 0.5, 0, 0, 0, 0, 0]\n")),
            "s.toml:2:16: population.group_shares: shares must sum to 1, they sum to 1.5");
}

TEST(ScenarioTomlErrors, DateNotFirstOfMonth) {
  EXPECT_EQ(only(problems("[scenario]\nstart = 2020-01-15\n")),
            "s.toml:2:9: scenario.start: dates must be the first day of a month, got 2020-01-15");
  EXPECT_EQ(only(problems("[scenario]\nstart = 2020-01-01T00:00:00\n")),
            "s.toml:2:9: scenario.start: expected a date such as 2020-01-01, got date-time 2020-01-01T00:00:00");
  EXPECT_EQ(only(problems("[scenario]\nstart = \"2020-01-01\"\n")),
            "s.toml:2:9: scenario.start: expected a date such as 2020-01-01, got string \"2020-01-01\" (write "
            "dates without quotes)");
  // A rejected start leaves the run unknown: schedule dates are not judged against the default run.
  EXPECT_EQ(only(problems("[scenario]\nstart = 2020-01-15\n[[schedule]]\ndate = 2020-06-01\n"
                          "set = { \"labour.job_loss_multiplier\" = 2 }\n")),
            "s.toml:2:9: scenario.start: dates must be the first day of a month, got 2020-01-15");
}

TEST(ScenarioTomlErrors, ScheduleDatesOutOfOrder) {
  const std::string text = std::string(kTwoYears) + R"(
[[schedule]]
date = 2020-06-01
set = { "labour.job_loss_multiplier" = 2 }

[[schedule]]
date = 2020-03-01
set = { "labour.job_loss_multiplier" = 1 }
)";
  EXPECT_EQ(only(problems(text)),
            "s.toml:11:8: schedule[1].date: dates out of order: 2020-03-01 comes after 2020-06-01");
}

TEST(ScenarioTomlErrors, ScheduleOutsideTheRun) {
  const std::string text = std::string(kTwoYears) + R"(
[[schedule]]
date = 2023-01-01
set = { "labour.job_loss_multiplier" = 2, "labour.job_find_multiplier" = 0.5 }
)";
  // One message for the entry, not one per parameter it sets.
  EXPECT_EQ(only(problems(text)),
            "s.toml:7:8: schedule[0].date: date 2023-01-01 is outside the run (2020-01-01 to 2021-12-01)");
}

// A run shortened by --set scenario.months leaves out what the file dates after it, with a note
// naming each entry; what falls within the shortened run is kept, and the file's own dates are
// still judged against the file's own run.
constexpr std::string_view kDatedAcrossTwoYears = R"(
[scenario]
start = 2020-01-01
months = 24

[[schedule]]
date = 2020-03-01
set = { "labour.job_loss_multiplier" = 2 }

[[schedule]]
date = 2021-01-01
set = { "labour.job_find_multiplier" = 0.5 }

[[targets]]
label = "mid-run"
series = "skilled_workers"
date = 2020-07-01
value = 1e8

[[targets]]
label = "技能劳动者 by end of 2021"
series = "skilled_workers"
date = 2022-01-01
value = 1e8
)";

TEST(ScenarioToml, AShortenedRunLeavesOutWhatIsDatedAfterItAndSaysSo) {
  const Scenario whole = parse_scenario(kDatedAcrossTwoYears, "s.toml");
  EXPECT_EQ(whole.schedule().size(), 2u);
  EXPECT_EQ(whole.targets().size(), 2u);
  EXPECT_TRUE(whole.notes().empty());

  const Scenario shortened = parse_scenario(kDatedAcrossTwoYears, "s.toml", {"scenario.months=12"});
  ASSERT_EQ(shortened.schedule().size(), 1u);
  EXPECT_EQ(shortened.schedule()[0].month, month(2020, 3));
  ASSERT_EQ(shortened.targets().size(), 1u);
  EXPECT_EQ(shortened.targets()[0].label, "mid-run");
  ASSERT_EQ(shortened.notes().size(), 2u);
  EXPECT_EQ(shortened.notes()[0], "scenario.months=12 ends the run at 2020-12-01 (the file runs to 2021-12-01), so "
                                  "these schedule entries, dated after it, are left out: schedule[1]");
  EXPECT_EQ(shortened.notes()[1],
            "scenario.months=12 ends the run at 2020-12-01 (the file runs to 2021-12-01), so "
            "these targets, dated after it, are left out: targets[1] (技能劳动者 by end of 2021)");

  // The shortened run is the run a file of 12 months with only what is kept would give.
  const Parameters& p = shortened.parameters();
  EXPECT_EQ(p.scenario.months, 12);
  EXPECT_EQ(shortened.parameters_at(month(2020, 12)).labour.job_find_multiplier,
            whole.parameters_at(month(2020, 12)).labour.job_find_multiplier);

  // Lengthening the run, or a length the file gives itself, leaves nothing out.
  EXPECT_TRUE(parse_scenario(kDatedAcrossTwoYears, "s.toml", {"scenario.months=36"}).notes().empty());
  const std::string own_length = std::string(kDatedAcrossTwoYears)
                                     .replace(std::string(kDatedAcrossTwoYears).find("months = 24"), 11, "months = 12");
  EXPECT_EQ(listing(problems(own_length)),
            "s.toml:11:8: schedule[1].date: date 2021-01-01 is outside the run (2020-01-01 to 2020-12-01)\n"
            "s.toml:23:8: targets[1].date: date 2022-01-01 is outside the run (targets are stocks at an instant "
            "after 2020-01-01 and up to 2021-01-01)\n");
}

TEST(ScenarioTomlErrors, AShortenedRunStillRefusesDatesOutsideTheFilesOwnRun) {
  // A date the file's own run does not reach is a mistake in the file, whatever the override.
  const std::string text = std::string(kDatedAcrossTwoYears) + R"(
[[schedule]]
date = 2023-01-01
set = { "labour.job_loss_multiplier" = 1 }
)";
  EXPECT_EQ(only(problems(text, {"scenario.months=12"})),
            "s.toml:27:8: schedule[2].date: date 2023-01-01 is outside the run (2020-01-01 to 2020-12-01)");
  // So does a start moved past a schedule entry: what it changed would be in force from the start.
  EXPECT_EQ(only(problems(kDatedAcrossTwoYears, {"scenario.start=2020-06-01", "scenario.months=6"})),
            "s.toml:7:8: schedule[0].date: date 2020-03-01 is outside the run (2020-06-01 to 2020-11-01)");
}

TEST(ScenarioTomlErrors, ScheduleOfUnknownParameter) {
  const std::string text = std::string(kTwoYears) + R"(
[[schedule]]
date = 2020-02-01
set = { "labour.job_loss_multiplir" = 2.5 }
)";
  EXPECT_EQ(only(problems(text)),
            "s.toml:8:9: schedule[0].set.labour.job_loss_multiplir: no parameter named 'labour.job_loss_multiplir'; "
            "did you mean 'labour.job_loss_multiplier'?");
}

TEST(ScenarioTomlErrors, ScheduleOfFixedParameter) {
  const std::string text = std::string(kTwoYears) + R"(
[[schedule]]
date = 2020-02-01
set = { population = { size = 5 } }
)";
  EXPECT_EQ(only(problems(text)),
            "s.toml:8:24: schedule[0].set.population.size: 'population.size' is fixed for the whole run and cannot "
            "be scheduled");
}

TEST(ScenarioTomlErrors, ScheduledValueIsChecked) {
  const std::string text = std::string(kTwoYears) + R"(
[[schedule]]
date = 2020-02-01
set = { "labour.job_loss_multiplier" = 2 }

[[schedule]]
date = 2020-03-01
set = { "skills.pass_probability" = [1, 1, 0.9, 0.8, 0.7, 0.6, 1.5, 1, 1], "labour.job_loss_rate" = "x" }
)";
  const auto d = problems(text);
  ASSERT_EQ(d.size(), 2u) << listing(d);
  EXPECT_EQ(d[0].to_string(), "s.toml:12:64: schedule[1].set.skills.pass_probability[6]: must be in [0, 1], got 1.5")
      << listing(d);
  EXPECT_EQ(d[1].to_string(), "s.toml:12:101: schedule[1].set.labour.job_loss_rate: expected number, got string \"x\"");
}

TEST(ScenarioTomlErrors, MalformedScheduleEntry) {
  const std::string text = std::string(kTwoYears) + R"(
[[schedule]]
dates = 2020-02-01
set = 3
)";
  EXPECT_EQ(listing(problems(text)),
            "s.toml:6:1: schedule[0]: missing 'date' (the first day of the month the change takes effect)\n"
            "s.toml:7:1: schedule[0].dates: unknown key 'dates' in a [[schedule]] entry (it takes 'date' and "
            "'set'); did you mean 'date'?\n"
            "s.toml:8:7: schedule[0].set: expected a table of parameters, such as { \"labour.job_loss_multiplier\" "
            "= 2.5 }, got integer 3\n");
}

TEST(ScenarioTomlErrors, TargetOnUnknownSeries) {
  const std::string text = std::string(kTwoYears) + R"(
[[targets]]
series = "skiled_workers"
date = 2021-01-01
value = 1e8
)";
  EXPECT_EQ(only(problems(text)),
            "s.toml:7:10: targets[0].series: unknown series 'skiled_workers'; did you mean 'skilled_workers'? "
            "(series: " +
                kSeriesList + ")");
}

TEST(ScenarioTomlErrors, TargetOutsideTheRun) {
  const std::string text = std::string(kTwoYears) + R"(
[[targets]]
series = "skilled_workers"
date = 2030-01-01
value = 1e8

[[targets]]
series = "skilled_workers"
date = 2021-01-01
value = -3
)";
  EXPECT_EQ(listing(problems(text)),
            "s.toml:8:8: targets[0].date: date 2030-01-01 is outside the run (targets are stocks at an instant "
            "after 2020-01-01 and up to 2022-01-01)\n"
            "s.toml:14:9: targets[1].value: a target cannot be negative\n");
}

TEST(ScenarioTomlErrors, TargetMissingFields) {
  const std::string text = std::string(kTwoYears) + "\n[[targets]]\nseries = \"skilled_workers\"\n";
  EXPECT_EQ(listing(problems(text)),
            "s.toml:6:1: targets[0]: missing 'date' (the first day of the month the target is due)\n"
            "s.toml:6:1: targets[0]: missing 'value' (persons, persons a year, or a share for rates)\n");
}

TEST(ScenarioTomlErrors, EveryProblemIsReportedWithItsLine) {
  const std::string text = R"([scenario]
months = 2.5
start = 2020-01-10

[labour]
job_loss_rate = -0.1
job_find_rat = 0.2

[population]
group_shares = [0.5, 0.5, 0.5, 0, 0, 0, 0, 0]

[labor]
x = 1

[[targets]]
series = "everyone"
date = 2020-06-01
value = 1
)";
  const auto d = problems(text);
  EXPECT_EQ(listing(d), "s.toml:2:10: scenario.months: expected integer, got floating-point 2.5\n"
                        "s.toml:3:9: scenario.start: dates must be the first day of a month, got 2020-01-10\n"
                        "s.toml:6:17: labour.job_loss_rate: must be in [0, 1], got -0.1\n"
                        "s.toml:7:1: labour.job_find_rat: no parameter named 'labour.job_find_rat'; did you mean "
                        "'labour.job_find_rate'?\n"
                        "s.toml:10:16: population.group_shares: shares must sum to 1, they sum to 1.5\n"
                        "s.toml:12:2: labor: unknown section [labor]; did you mean [labour]?\n"
                        "s.toml:16:10: targets[0].series: unknown series 'everyone' (series: " +
                            kSeriesList + ")\n");
  // The exception's message lists them all too.
  try {
    parse_scenario(text, "s.toml");
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("invalid scenario: 7 problems in s.toml\n  s.toml:2:10: scenario.months:", 0),
              0u)
        << e.what();
  }
}

TEST(ScenarioTomlErrors, CrossFieldRule) {
  EXPECT_EQ(only(problems("[entry]\nentry_age_min = 20\nentry_age_max = 18\n")),
            "s.toml:3:17: entry.entry_age_max: must be greater than entry.entry_age_min (20)");
}

TEST(ScenarioTomlErrors, ProblemsFoundByScenarioMakeAreLocatedToo) {
  // Scenario::make also fits the population margins. With everybody aged 16-19, levels that
  // the (default) level-by-age prior forbids at that age cannot be matched.
  const auto d = problems("[population]\nage_shares_male = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n"
                          "age_shares_female = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n");
  ASSERT_FALSE(d.empty());
  for (const auto& x : d) {
    EXPECT_EQ(x.file, "<defaults>") << listing(d);
    EXPECT_GT(x.line, 0) << listing(d);
    EXPECT_EQ(x.key, "population.level_by_age_prior");
  }
}

TEST(ScenarioTomlErrors, BadOverrides) {
  EXPECT_EQ(only(problems("", {"labour.job_loss_rate"})),
            "--set: expected KEY=VALUE (such as labour.job_loss_rate=0.02), got 'labour.job_loss_rate'");
  EXPECT_EQ(only(problems("", {"=3"})), "--set: missing the key before '=' in '=3'");
  EXPECT_EQ(only(problems("", {"labour.job_los_rate=0.1"})),
            "--set: labour.job_los_rate: no parameter named 'labour.job_los_rate'; did you mean "
            "'labour.job_loss_rate'?");
  EXPECT_EQ(only(problems("", {"labour.job_loss_rate=abc"})),
            "--set: labour.job_loss_rate: expected a number (probability per month), got 'abc'");
  EXPECT_EQ(only(problems("", {"labour.job_loss_rate=2"})), "--set: labour.job_loss_rate: must be in [0, 1], got 2");
  EXPECT_EQ(only(problems("", {"scenario.months=1.5"})),
            "--set: scenario.months: expected integer, got floating-point 1.5");
  EXPECT_EQ(only(problems("", {"skills.pass_probability=[1, 1]"}))
                .rfind("--set: skills.pass_probability: expected 9 values, one per level", 0),
            0u);
  EXPECT_EQ(only(problems("", {"labour.job_loss_rate=0.1\nrun.seed = 3"})),
            "--set: labour.job_loss_rate: expected a number (probability per month), got '0.1 run.seed = 3'");
  // A count far out of range (it once overflowed the month arithmetic of the schedule check).
  EXPECT_EQ(only(problems("", {"scenario.months=2147483647"})),
            "--set: scenario.months: must be in [1, 1200], got 2.14748e+09");
  // Mixed: file problems first, then the overrides'.
  EXPECT_EQ(listing(problems("[labour]\njob_loss_rate = 3\n", {"run.seed=-1", "run.replicates=0"})),
            "s.toml:2:17: labour.job_loss_rate: must be in [0, 1], got 3\n"
            "--set: run.seed: must be in [0, 9.2e+18], got -1\n"
            "--set: run.replicates: must be in [1, 100000], got 0\n");
}

TEST(ScenarioTomlErrors, OverrideFixesTheFile) {
  const Scenario s = parse_scenario("[labour]\njob_loss_rate = 3\n", "s.toml", {"labour.job_loss_rate=0.5"});
  EXPECT_DOUBLE_EQ(s.parameters().labour.job_loss_rate, 0.5);
}

TEST(ScenarioTomlErrors, UnreadableFile) {
  const std::filesystem::path missing = std::filesystem::temp_directory_path() / "skillsim_no_such_dir" / "x.toml";
  try {
    load_scenario(missing);
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(only(e.diagnostics()), missing.string() + ": cannot read the scenario file: No such file or directory");
  }
  const auto d = validate_scenario_file(std::filesystem::temp_directory_path());
  EXPECT_EQ(only(d),
            std::filesystem::temp_directory_path().string() + ": cannot read the scenario file: Is a directory");
}

TEST(ScenarioToml, LoadsAndValidatesFiles) {
  const auto path = std::filesystem::temp_directory_path() / ("skillsim_test_" + std::to_string(::getpid()) + ".toml");
  {
    std::ofstream out(path);
    out << "[scenario]\nname = \"t\"\nstart = 2020-01-01\n[labour]\njob_loss_rate = 0.02\n";
  }
  EXPECT_TRUE(validate_scenario_file(path).empty());
  const Scenario s = load_scenario(path, {"labour.job_find_rate=0.2"});
  EXPECT_DOUBLE_EQ(s.parameters().labour.job_loss_rate, 0.02);
  EXPECT_DOUBLE_EQ(s.parameters().labour.job_find_rate, 0.2);
  EXPECT_EQ(s.source_name(), path.string());
  const auto d = validate_scenario_file(path, {"labour.job_find_rate=2"});
  EXPECT_EQ(only(d), "--set: labour.job_find_rate: must be in [0, 1], got 2");
  std::filesystem::remove(path);
}

// Bad programme, money, evaluation and target input, each reported by `validate` with its key
// and what is wrong (tests/data/one_programme.toml is valid; each override breaks one thing).
TEST(ScenarioTomlErrors, ProgrammeMoneyEvaluationAndTargetMistakes) {
  const std::filesystem::path file = SKILLSIM_SOURCE_DIR "/tests/data/one_programme.toml";
  ASSERT_TRUE(validate_scenario_file(file).empty());
  const auto problem = [&](std::vector<std::string> overrides) {
    std::string text;
    for (const auto& d : validate_scenario_file(file, overrides)) text += d.to_string() + "\n";
    return text;
  };
  const auto has = [](const std::string& text, const std::string& expected) {
    return text.find(expected) != std::string::npos;
  };
  // A second fund source that funds.names does not declare.
  std::string t = problem({"programmes.fund_shares=[[0.5, 0.5]]"});
  EXPECT_TRUE(has(t, "programmes.fund_shares: expected 1 rows (one per programme (as listed in programmes.names)) "
                     "of 1 values (one per fund (as listed in funds.names))"))
      << t;
  t = problem({"programmes.cost_per_trainee=[-1500]"});
  EXPECT_TRUE(has(t, "programmes.cost_per_trainee[0]: must be in [0, 1e+09], got -1500")) << t;
  t = problem({"programmes.eligible_groups=[[0, 0, 0, 0, 0, 0, 0, 0]]"});
  EXPECT_TRUE(has(t, "programmes.eligible_groups[0]: programme 'employment_skills' admits no group")) << t;
  t = problem({"programmes.eligible_statuses=[[0, 0, 0, 0, 0, 1]]"});
  EXPECT_TRUE(has(t, "admits nobody: no status other than retired is eligible")) << t;
  t = problem({"programmes.min_age=[70]", "programmes.max_age=[80]"});
  EXPECT_TRUE(has(t, "programmes.min_age[0]: programme 'employment_skills' admits nobody: everybody retires before "
                     "age 70"))
      << t;
  t = problem({"programmes.payment=[\"yearly\"]"});
  EXPECT_TRUE(has(t, "programmes.payment[0]: unknown payment 'yearly'")) << t;
  t = problem({"evaluation.evaluators=[\"agency\", \"agency\"]", "evaluation.labels=[\"评价机构\"]",
               "evaluation.capacity_per_month=[[10], [10]]",
               "evaluation.eligible_statuses=[[1,1,1,1,1,0],[1,1,1,1,1,0]]"});
  EXPECT_TRUE(has(t, "evaluation.evaluators[1]: evaluator type 'agency' is listed twice")) << t;
  EXPECT_TRUE(has(t, "evaluation.labels: expected 2 values, one per evaluator type")) << t;
}

// ---------------------------------------------------------------------------------------------
// Integer and flag kinds

// tests/data/one_programme.toml with `from` replaced by `to` (which must occur once).
std::string one_programme_text(const std::string& from = "", const std::string& to = "") {
  std::ifstream in(SKILLSIM_SOURCE_DIR "/tests/data/one_programme.toml");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (!from.empty()) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
  }
  return text;
}

TEST(ScenarioToml, FlagsAreTrueFalseOrOneZero) {
  const Scenario s =
      parse_scenario("[skills]\nmay_be_unreachable = [false, 0, 0, false, 0, 0, 0, true, 1]\n", "s.toml");
  EXPECT_EQ(s.parameters().skills.may_be_unreachable, (std::vector<std::uint8_t>{0, 0, 0, 0, 0, 0, 0, 1, 1}));
  // The same file with true/false instead of 1/0 gives the same parameters.
  const Scenario ones = parse_scenario(one_programme_text(), "p.toml");
  const Scenario bools = parse_scenario(
      one_programme_text("eligible_statuses = [[0, 0, 1, 1, 0, 0]]\nmin_level = [0]\nmax_level = [1]",
                         "eligible_statuses = [[false, false, true, true, false, false]]\nmin_level = [0]\n"
                         "max_level = [1]"),
      "p.toml");
  const Scenario mixed = parse_scenario(one_programme_text("full_time = [1]", "full_time = [true]"), "p.toml",
                                        {"funds.carry_over=[true]"});
  for (const auto& spec : parameter_specs()) {
    if (spec.key == "scenario.name") continue;
    EXPECT_TRUE(get_value(ones.parameters(), spec) == get_value(bools.parameters(), spec)) << spec.key;
    EXPECT_TRUE(get_value(ones.parameters(), spec) == get_value(mixed.parameters(), spec)) << spec.key;
  }
  const auto& pr = ones.parameters().programmes;
  EXPECT_EQ(pr.full_time, std::vector<std::uint8_t>{1});
  EXPECT_EQ(ones.parameters().funds.carry_over, std::vector<std::uint8_t>{1});
  EXPECT_EQ(pr.eligible_statuses, (FlagMatrix{1, kStatusCount, {0, 0, 1, 1, 0, 0}}));
  EXPECT_TRUE(pr.eligible_statuses(0, 2));
  EXPECT_FALSE(pr.eligible_statuses(0, 1));
  // Whole floating-point numbers, as files and NumPy float arrays wrote these columns before.
  const Scenario floats = parse_scenario(one_programme_text("full_time = [1]", "full_time = [1.0]"), "p.toml");
  EXPECT_EQ(floats.parameters().programmes.full_time, std::vector<std::uint8_t>{1});
}

TEST(ScenarioTomlErrors, FlagOtherThanTrueFalseOneZero) {
  EXPECT_EQ(listing(problems("[skills]\nmay_be_unreachable = [0, 0, 0, 0, 0, 0, 0, 0.5, 2]\n")),
            "s.toml:2:44: skills.may_be_unreachable[7]: expected true or false (or 1 or 0), got floating-point 0.5\n"
            "s.toml:2:49: skills.may_be_unreachable[8]: expected true or false (or 1 or 0), got integer 2\n");
  EXPECT_EQ(only(problems("[skills]\nmay_be_unreachable = [0, 0, 0, 0, 0, 0, 0, \"yes\", 1]\n")),
            "s.toml:2:44: skills.may_be_unreachable[7]: expected true or false (or 1 or 0), got string \"yes\"");
  EXPECT_EQ(only(problems("[skills]\nmay_be_unreachable = true\n")),
            "s.toml:2:22: skills.may_be_unreachable: expected array of booleans, got boolean true");
  // In a matrix, the element itself is located.
  const auto d = problems(one_programme_text("eligible_groups = [[1, 1, 1, 1, 1, 1, 1, 1]]",
                                             "eligible_groups = [[1, 1, 1, 2, 1, 1, 1, 1]]"));
  EXPECT_EQ(only(d),
            "s.toml:28:30: programmes.eligible_groups[0][3]: expected true or false (or 1 or 0), got integer 2");
  EXPECT_EQ(
      only(problems(one_programme_text("eligible_groups = [[1, 1, 1, 1, 1, 1, 1, 1]]", "eligible_groups = [true]"))),
      "s.toml:28:20: programmes.eligible_groups[0]: expected an array of booleans (one row), got boolean true");
}

TEST(ScenarioToml, IntegersAreWhole) {
  const Scenario s = parse_scenario("[skills]\nmin_months = [0, 0, 6, 12, 24.0, 36, 36, 24, 24]\n", "s.toml");
  EXPECT_EQ(s.parameters().skills.min_months, (std::vector<std::int64_t>{0, 0, 6, 12, 24, 36, 36, 24, 24}));
  EXPECT_EQ(listing(problems("[skills]\nmin_months = [0, 0, 2.5, 12, 24, 36, 36, 24, true]\n")),
            "s.toml:2:21: skills.min_months[2]: expected integer, got floating-point 2.5\n"
            "s.toml:2:46: skills.min_months[8]: expected integer, got boolean true\n");
  EXPECT_EQ(only(problems(one_programme_text("duration_months = [2]", "duration_months = [2.5]"))),
            "s.toml:36:20: programmes.duration_months[0]: expected integer, got floating-point 2.5");
  EXPECT_EQ(only(problems("[skills]\nmin_months = [0, 0, 1e300, 12, 24, 36, 36, 24, 24]\n")),
            "s.toml:2:21: skills.min_months[2]: expected integer, got floating-point 1e+300");
  // Ranges are checked as for numbers.
  EXPECT_EQ(only(problems(one_programme_text("target_level = [2]", "target_level = [9]"))),
            "s.toml:38:17: programmes.target_level[0]: must be in [1, 8], got 9");
}

// The competitions test scenario with one line changed: each problem at its line, column and key.
TEST(ScenarioTomlErrors, CompetitionProblemsAreLocated) {
  std::ifstream in(std::string(SKILLSIM_SOURCE_DIR) + "/tests/data/competitions.toml");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto changed = [&text](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  EXPECT_EQ(only(problems(changed("winners_per_year = [60, 24]", "winners_per_year = [601, 24]"))),
            "s.toml:25:21: competitions.winners_per_year[0]: tier 'city' has more winners (601) than entrants (600)");
  EXPECT_EQ(only(problems(changed("max_level = [5, 5]", "max_level = [5, 8]"))),
            "s.toml:30:17: competitions.max_level[1]: must be in [0, 7], got 8");
  EXPECT_EQ(only(problems(changed("waiting = [\"minimum\", \"shortened\"]", "waiting = [\"minimum\", \"soon\"]"))),
            "s.toml:32:23: competitions.waiting[1]: unknown waiting rule 'soon'; expected \"none\", \"shortened\" or "
            "\"minimum\"");
  // A schedule that names no tier's value where a tier's is due.
  EXPECT_NE(listing(problems(text +
                             "\n[[schedule]]\ndate = 2021-01-01\nset = { \"competitions.winners_per_year\" = [10] }\n"))
                .find("competitions.winners_per_year: expected 2 values, one per competition tier"),
            std::string::npos);
}

// The schools test scenario with one line changed: each problem at its line, column and key.
TEST(ScenarioTomlErrors, SchoolProblemsAreLocated) {
  std::ifstream in(std::string(SKILLSIM_SOURCE_DIR) + "/tests/data/schools.toml");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto changed = [&text](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  EXPECT_EQ(only(problems(changed("diploma_level = [3, 4, 5]", "diploma_level = [3, 4, 9]"))),
            "s.toml:24:24: schools.diploma_level[2]: must be in [2, 6], got 9");
  EXPECT_EQ(only(problems(changed("entry_age_max = [16, 16, 16]", "entry_age_max = [16, 15, 16]"))),
            "s.toml:27:22: schools.entry_age_max[1]: must be greater than schools.entry_age_min[1] (15) for route "
            "'senior'");
  EXPECT_EQ(only(problems(changed("graduate_group = \"urban_employee\"", "graduate_group = \"urban_employe\""))),
            "s.toml:32:18: schools.graduate_group: unknown group 'urban_employe'; did you mean 'urban_employee'? "
            "(groups: urban_employee, migrant_worker, rural_labour, college_graduate, technical_student, unemployed, "
            "veteran, poverty_registered, or empty to keep the group held in school)");
  EXPECT_NE(
      listing(problems(changed("initial_students = [[800], [500], [150]]", "initial_students = [[800], [700], [150]]")))
          .find("schools.initial_students[1][0]: route 'senior' starts with more students (700) than its "
                "capacity in region"),
      std::string::npos);
  EXPECT_NE(listing(problems(changed("dropout_rate = [0.004, 0.004, 0.003]", "dropout_rate = [0.004, 0.004]")))
                .find("schools.dropout_rate: expected 3 values, one per school route"),
            std::string::npos);
  // A schedule of the plan with a route missing.
  EXPECT_NE(listing(problems(text + "\n[[schedule]]\ndate = 2021-01-01\nset = { \"schools.enrolment_plan_per_year\" = "
                                    "[[10], [10]] }\n"))
                .find("schools.enrolment_plan_per_year"),
            std::string::npos);
}

TEST(ScenarioToml, SetAndScheduleIntegersAndFlags) {
  const std::filesystem::path file = SKILLSIM_SOURCE_DIR "/tests/data/one_programme.toml";
  const Scenario s = load_scenario(file, {"programmes.full_time=[false]", "programmes.duration_months=[4]",
                                          "programmes.eligible_statuses=[[false, true, 1, 1, 0, 0]]"});
  EXPECT_EQ(s.parameters().programmes.full_time, std::vector<std::uint8_t>{0});
  EXPECT_EQ(s.parameters().programmes.duration_months, std::vector<std::int64_t>{4});
  EXPECT_TRUE(s.parameters().programmes.eligible_statuses(0, 1));
  EXPECT_EQ(listing(validate_scenario_file(
                file, {"programmes.full_time=[2]", "programmes.duration_months=[2.5]", "funds.carry_over=[0.5]"})),
            "--set: programmes.full_time[0]: expected true or false (or 1 or 0), got integer 2\n"
            "--set: programmes.duration_months[0]: expected integer, got floating-point 2.5\n"
            "--set: funds.carry_over[0]: expected true or false (or 1 or 0), got floating-point 0.5\n");

  const Scenario scheduled = parse_scenario(one_programme_text() + R"(
[[schedule]]
date = 2020-03-01
set = { "programmes.full_time" = [false], "programmes.max_level" = [0], "skills.min_months" = [0, 0, 6, 12, 24, 36, 36, 24, 24] }
)",
                                            "p.toml");
  EXPECT_EQ(scheduled.parameters_at(Month::of(2020, 2)).programmes.full_time, std::vector<std::uint8_t>{1});
  EXPECT_EQ(scheduled.parameters_at(Month::of(2020, 3)).programmes.full_time, std::vector<std::uint8_t>{0});
  EXPECT_EQ(scheduled.parameters_at(Month::of(2020, 3)).programmes.max_level, std::vector<std::int64_t>{0});
  EXPECT_EQ(scheduled.parameters_at(Month::of(2020, 3)).skills.min_months[2], 6);
  EXPECT_EQ(listing(problems(one_programme_text() + R"(
[[schedule]]
date = 2020-03-01
set = { "programmes.full_time" = [0.5], "programmes.target_level" = [2.5] }
)")),
            "s.toml:48:35: schedule[0].set.programmes.full_time[0]: expected true or false (or 1 or 0), got "
            "floating-point 0.5\n"
            "s.toml:48:70: schedule[0].set.programmes.target_level[0]: expected integer, got floating-point 2.5\n");
}

TEST(ScenarioToml, ReferenceShowsIntegerAndFlagKinds) {
  const std::string md = parameter_reference_markdown();
  EXPECT_NE(
      md.find("| `min_months` | array of integers | months | `[0, 0, 12, 48, 60, 48, 48, 36, 36]` | each [0, 255] |"),
      std::string::npos)
      << md;
  EXPECT_NE(
      md.find("| `may_be_unreachable` | array of booleans |  | `[false, false, false, false, false, false, false, "
              "true, true]` | each true or false (or 1 or 0) | no |"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("| `full_time` | array of booleans |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `eligible_groups` | array of arrays of booleans |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `duration_months` | array of integers |"), std::string::npos) << md;
}

TEST(ScenarioToml, ToTomlWritesIntegersAndFlagsSoTheyReadBackTheSame) {
  const Scenario s = parse_scenario(one_programme_text() + R"(
[[schedule]]
date = 2020-03-01
set = { "programmes.full_time" = [false], "programmes.eligible_statuses" = [[0, 1, 1, 1, 0, 0]] }
)",
                                    "p.toml");
  const std::string text = scenario_to_toml(s);
  EXPECT_NE(text.find("\nfull_time = [true]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ncarry_over = [true]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nduration_months = [2]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\neligible_statuses = [\n  [false, false, true, true, false, false],\n]\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\"programmes.full_time\" = [false]"), std::string::npos) << text;
  const Scenario back = parse_scenario(text, "back.toml");
  for (const auto& spec : parameter_specs())
    EXPECT_TRUE(get_value(back.parameters(), spec) == get_value(s.parameters(), spec)) << spec.key;
  EXPECT_TRUE(back.effective_schedule() == s.effective_schedule());
  EXPECT_EQ(scenario_to_toml(back), text);
}

TEST(ScenarioTomlErrors, TargetsOnProgrammesAndRates) {
  const auto problems_of = [](const std::string& targets, const std::string& programmes = "") {
    return listing(problems(std::string(kTwoYears) + programmes + targets));
  };
  std::string t = problems_of(R"(
[[targets]]
series = "pass_rate"
date = 2021-01-01
value = 95
)");
  EXPECT_NE(t.find("targets[0].value: a rate is a share in [0, 1] (0.95 for 95%)"), std::string::npos) << t;
  EXPECT_NE(t.find("targets[0].series: pass_rate is computed from programme results, and the scenario declares no "
                   "programmes"),
            std::string::npos)
      << t;
  t = problems_of(R"(
[[targets]]
series = "skilled_workers"
date = 2021-01-01
value = 1
programme = "x"
trajectory = [{ date = 2020-06-01, value = 2 }, { date = 2020-03-01, value = 1 }]
)");
  EXPECT_NE(t.find("targets[0].programme: skilled_workers is not a programme series"), std::string::npos) << t;
  EXPECT_NE(t.find("targets[0].trajectory[1].date: trajectory dates must increase"), std::string::npos) << t;
  t = problems_of(R"(
[[targets]]
series = "trainees_per_year"
date = 2021-01-01
value = 1
trajectory = "linear"
)");
  EXPECT_NE(t.find("targets[0].trajectory: \"linear\" runs from the stock at the start of the run"), std::string::npos)
      << t;
}

} // namespace
} // namespace skillsim::io
