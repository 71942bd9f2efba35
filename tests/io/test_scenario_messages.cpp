// First contact with scenario files: a file must name the scenario and its start; text that is
// no value (in --set or in a file) is reported in the key's terms, not the TOML library's; and
// the count of problems says where they are.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "skillsim/io/scenario_toml.hpp"

namespace skillsim::io {
namespace {

namespace fs = std::filesystem;

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

// ---------------------------------------------------------------------------------------------
// Syntax errors in files: plain words, file:line:column kept

std::string syntax_problem(const std::string& text) {
  const auto d = text_problems(text);
  EXPECT_EQ(d.size(), 1u) << listing(d);
  return d.empty() ? "" : d[0].to_string();
}

TEST(FileSyntaxMessages, AnUnquotedWordIsReportedUnderItsKey) {
  EXPECT_EQ(syntax_problem("[scenario]\nname = \"x\"\nmonths = ten\n"),
            "f.toml:3:10: scenario.months: expected an integer (months), got 'ten'");
  EXPECT_EQ(syntax_problem("[scenario]\nname = baseline\n"),
            "f.toml:2:8: scenario.name: expected a string, got 'baseline' (write text in quotes: \"baseline\")");
  EXPECT_EQ(syntax_problem("labour.job_loss_rate = high\n"),
            "f.toml:1:24: labour.job_loss_rate: expected a number (probability per month), got 'high'");
  EXPECT_EQ(syntax_problem("[population]\nregions = [\"a\", north]\n"),
            "f.toml:2:17: population.regions: expected a string in the array, got 'north' (write text in quotes: "
            "\"north\")");
  EXPECT_EQ(syntax_problem("[skills]\npass_probability = [1, 1, O.9, 1]\n"),
            "f.toml:2:27: skills.pass_probability: expected a number in the array, got 'O.9'");
  // In a schedule entry, with the entry's path; a comment and a multi-line array row are no headers.
  EXPECT_EQ(syntax_problem(kHead + "[[schedule]]\ndate = 2020-02-01\nset = { \"labour.job_loss_multiplier\" = 2 }\n"
                                   "# [labour]\n[[schedule]]\ndate = 2020-03-01\n"
                                   "set = { \"labour.job_loss_multiplier\" = ten }\n"),
            "f.toml:10:40: schedule[1].set.labour.job_loss_multiplier: expected a number (factor), got 'ten'");
  // Columns count characters: after a byte-order mark and after Chinese text.
  EXPECT_EQ(syntax_problem("\xEF\xBB\xBFlabour.job_loss_rate = high\n"),
            "f.toml:1:24: labour.job_loss_rate: expected a number (probability per month), got 'high'");
  EXPECT_EQ(
      syntax_problem("[scenario]\ndescription = \"\xE9\x87\x91\xE5\x9F\x8E\"\nname = \"\xE9\x87\x91\", months = x\n"),
      "f.toml:3:11: invalid TOML: unexpected ',' after the value (one key = value a line; arrays are written "
      "[a, b, ...])");
  EXPECT_EQ(syntax_problem("[population]\nregions = [\"\xE9\x87\x91\", \xE5\x9F\x8E]\n"),
            "f.toml:2:17: population.regions: expected a string in the array, got '\xE5\x9F\x8E' (write text in "
            "quotes: \"\xE5\x9F\x8E\")");
}

TEST(FileSyntaxMessages, OtherSyntaxErrorsInPlainWords) {
  // A word that is no parameter's value.
  EXPECT_EQ(syntax_problem(kHead + "[[targets]]\nseries = skilled\n"),
            "f.toml:5:10: invalid TOML: 'skilled' is not a value (write text in quotes: \"skilled\"; numbers, dates "
            "such as 2020-01-01, true and false without)");
  EXPECT_EQ(syntax_problem("[labour]\njob_find_rate = = 0.2\n"),
            "f.toml:2:17: invalid TOML: unexpected '=' where a value should be");
  EXPECT_EQ(syntax_problem("[labour]\njob_loss_rate = 0.1, 0.2\n"),
            "f.toml:2:20: invalid TOML: unexpected ',' after the value (one key = value a line; arrays are written "
            "[a, b, ...])");
  EXPECT_EQ(syntax_problem("[labour]\njob_loss_level_factor = [1, 2\n"),
            "f.toml:2:31: invalid TOML: the file ends inside an array (a closing ']' is missing)");
  EXPECT_EQ(syntax_problem("[scenario]\nname = \"x\n"),
            "f.toml:2:10: invalid TOML: a string runs to the end of the line (a closing quote is missing)");
  EXPECT_EQ(syntax_problem("[scenario]\nname = \"x"),
            "f.toml:2:10: invalid TOML: the file ends inside a string (a closing quote is missing)");
  EXPECT_EQ(syntax_problem("[scenario]\nstart = 2020-1-1\n"),
            "f.toml:2:15: invalid TOML: while reading a date: expected 2-digit month, saw '-'");
  EXPECT_EQ(syntax_problem("[labour]\njob_loss_rate =\n"), "f.toml:2:16: invalid TOML: a value is missing after '='");
  EXPECT_EQ(syntax_problem("[labour]\njob_loss_rate ="),
            "f.toml:2:16: invalid TOML: the file ends where a value should be");
}

// ---------------------------------------------------------------------------------------------
// A scenario file names the scenario and its start

// The problems of `text` read as the scenario file "f.toml" (fails the test if it is valid).
std::vector<Diagnostic> file_problems(std::string_view text, const std::vector<std::string>& overrides = {}) {
  try {
    parse_scenario_file(text, "f.toml", overrides);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected a ScenarioError for:\n" << text;
  return {};
}

const std::string kNoTable = "f.toml: the scenario has no [scenario] table: add [scenario] with name = \"...\" and "
                             "start = YYYY-MM-01 (the first month simulated)\n";
TEST(ScenarioFile, EmptyFileIsAnError) {
  for (const std::string text : {"", "\xEF\xBB\xBF", "\n  \t\n", "# only a comment\n", "\xEF\xBB\xBF# c\n\n"})
    EXPECT_EQ(listing(file_problems(text)), kNoTable) << "text: '" << text << "'";
}

TEST(ScenarioFile, OtherSectionsWithoutScenarioTable) {
  EXPECT_EQ(listing(file_problems("[labour]\njob_loss_rate = 0.02\n")), kNoTable);
}

TEST(ScenarioFile, MissingNameOrStartPointsAtTheTable) {
  EXPECT_EQ(
      listing(file_problems("# c\n[scenario]\nmonths = 3\n")),
      "f.toml:2:1: scenario.name: missing: add name = \"...\" to [scenario] (a short identifier of the scenario)\n"
      "f.toml:2:1: scenario.start: missing: add start = YYYY-MM-01 to [scenario] (the first month simulated)\n");
  EXPECT_EQ(
      listing(file_problems("[scenario]\nstart = 2020-01-01\n")),
      "f.toml:1:1: scenario.name: missing: add name = \"...\" to [scenario] (a short identifier of the scenario)\n");
  // The dotted form counts as the table.
  EXPECT_EQ(listing(file_problems("scenario.name = \"x\"\n")),
            "f.toml:1:1: scenario.start: missing: add start = YYYY-MM-01 to [scenario] (the first month simulated)\n");
}

TEST(ScenarioFile, NameAndStartSuffice) {
  const Scenario s = parse_scenario_file(kHead, "f.toml");
  EXPECT_EQ(s.parameters().scenario.name, "x");
  EXPECT_EQ(s.parameters().scenario.start, Month::of(2020, 1));
  // A start that is present but wrong is that problem only, not "missing" too.
  EXPECT_EQ(listing(file_problems("[scenario]\nname = \"x\"\nstart = 2020-01-15\n")),
            "f.toml:3:9: scenario.start: dates must be the first day of a month, got 2020-01-15\n");
}

TEST(ScenarioFile, OverridesMayNameAndDateTheScenario) {
  const Scenario s = parse_scenario_file("", "f.toml", {"scenario.name=x", "scenario.start=2021-01-01"});
  EXPECT_EQ(s.parameters().scenario.name, "x");
  EXPECT_EQ(s.parameters().scenario.start, Month::of(2021, 1));
  EXPECT_NO_THROW(parse_scenario_file("[scenario]\nname = \"x\"\n", "f.toml", {"scenario.start=2021-01-01"}));
  EXPECT_EQ(listing(file_problems("", {"scenario.name=x"})), kNoTable);
}

TEST(ScenarioFile, WithoutStartScheduleDatesAreNotJudged) {
  // The default start would make 2020 "outside the run" of a run the file never asked for.
  EXPECT_EQ(listing(file_problems("[scenario]\nname = \"x\"\n[[schedule]]\ndate = 2030-01-01\n"
                                  "set = { \"labour.job_loss_multiplier\" = 2 }\n")),
            "f.toml:1:1: scenario.start: missing: add start = YYYY-MM-01 to [scenario] (the first month simulated)\n");
}

TEST(ScenarioFile, TextIsStillCompletedFromTheDefaults) {
  // Programmatic construction (tests, Scenario.from_dict) reads text, not files.
  EXPECT_EQ(parse_scenario("", "<test>").parameters().scenario.name, "default");
  EXPECT_NO_THROW(parse_scenario("[labour]\njob_loss_rate = 0.02\n", "<test>"));
}

TEST(ScenarioFile, LoadAndValidateApplyTheRule) {
  const fs::path path = fs::temp_directory_path() / ("skillsim_empty_" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path).close();
  const auto d = validate_scenario_file(path);
  ASSERT_EQ(d.size(), 1u) << listing(d);
  EXPECT_EQ(d[0].file, path.string());
  EXPECT_NE(d[0].message.find("no [scenario] table"), std::string::npos) << d[0].message;
  EXPECT_THROW(load_scenario(path), ScenarioError);
  EXPECT_NO_THROW(load_scenario(path, {"scenario.name=x", "scenario.start=2020-01-01"}));
  fs::remove(path);
}

TEST(ScenarioFile, BundledAndTestScenariosNameThemselves) {
  int files = 0;
  for (const char* dir : {"/scenarios", "/tests/data"})
    for (const auto& entry : fs::directory_iterator(std::string(SKILLSIM_SOURCE_DIR) + dir)) {
      if (entry.path().extension() != ".toml") continue;
      ++files;
      EXPECT_EQ(listing(validate_scenario_file(entry.path())), "") << entry.path();
    }
  EXPECT_GE(files, 6);
}

} // namespace
} // namespace skillsim::io
