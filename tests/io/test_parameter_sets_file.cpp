// run.parameter_sets: the sets file read next to the scenario file, and every problem with it
// at its line and column (unknown keys, keys that cannot vary, a key twice, values that are no
// number, rows of the wrong length, no rows, sets the parameters' checks refuse), and
// run.parameter_set_columns, which takes only some of its columns.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "skillsim/io/scenario_toml.hpp"

namespace skillsim::io {
namespace {

namespace fs = std::filesystem;

class ParameterSetsFile : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("skillsim_psets_" + std::to_string(::getpid()) + "_" + info->name());
    fs::create_directories(dir_ / "sub");
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

  // The scenario sub/plan.toml naming sets.csv (in sub/) holding `sets`; `run` is the rest of
  // its [run] table (line 7 on).
  fs::path scenario(const std::string& sets, const std::string& run = "") {
    write(dir_ / "sub" / "sets.csv", sets);
    const fs::path plan = dir_ / "sub" / "plan.toml";
    write(plan, "[scenario]\nname = \"x\"\nstart = 2020-01-01\n\n[run]\nparameter_sets = \"sets.csv\"\n" + run);
    return plan;
  }

  // The problems, one "file:line:column: key: message" a line, the files named as "sets.csv"
  // and "plan.toml".
  std::string problems(const std::string& sets, const std::string& run = "") {
    std::string out;
    for (const auto& d : validate_scenario_file(scenario(sets, run))) {
      std::string line = d.to_string();
      const std::string dir = (dir_ / "sub").string() + "/";
      for (std::size_t at; (at = line.find(dir)) != std::string::npos;) line.erase(at, dir.size());
      out += line + "\n";
    }
    return out;
  }

  fs::path dir_;
};

TEST_F(ParameterSetsFile, IsReadNextToTheScenarioFile) {
  const std::string text = "skills.pass_probability[senior], labour.job_loss_rate\n0.5,0.01\n\"0.25\",0.02\n";
  const Scenario s = load_scenario(scenario(text));
  const ParameterSets& sets = s.parameter_sets();
  EXPECT_EQ(sets.keys, (std::vector<std::string>{"skills.pass_probability[senior]", "labour.job_loss_rate"}));
  EXPECT_EQ(sets.rows, (std::vector<std::vector<double>>{{0.5, 0.01}, {0.25, 0.02}}));
  EXPECT_EQ(sets.text, text);
  EXPECT_EQ(fs::path(sets.source), (dir_ / "sub" / "sets.csv").lexically_normal());
  EXPECT_EQ(s.for_replicate(3).parameters().labour.job_loss_rate, 0.02);
  // Absent or "": no sets.
  EXPECT_TRUE(load_scenario(scenario(text), {"run.parameter_sets=\"\""}).parameter_sets().empty());
}

TEST_F(ParameterSetsFile, AFileThatCannotBeReadIsReportedAtTheKey) {
  const fs::path plan = scenario("labour.job_loss_rate\n0.01\n");
  fs::remove(dir_ / "sub" / "sets.csv");
  const auto diagnostics = validate_scenario_file(plan);
  ASSERT_EQ(diagnostics.size(), 1U);
  EXPECT_EQ(diagnostics[0].file, plan.string());
  EXPECT_EQ(diagnostics[0].line, 6);
  EXPECT_EQ(diagnostics[0].key, "run.parameter_sets");
  EXPECT_NE(diagnostics[0].message.find("cannot read the parameter sets file"), std::string::npos);
  EXPECT_NE(diagnostics[0].message.find("No such file"), std::string::npos);
}

TEST_F(ParameterSetsFile, TheHeaderNamesKeysThatCanVaryOnce) {
  EXPECT_EQ(problems("labour.job_los_rate\n0.01\n"),
            "sets.csv:1:1: labour.job_los_rate: unknown parameter; did you mean labour.job_loss_rate?\n");
  EXPECT_EQ(problems("labour.job_loss_rate,skills.pass_probability[seniour]\n0.01,0.5\n")
                .find("sets.csv:1:22: skills.pass_probability[seniour]: 'seniour' is not a level"),
            0U);
  EXPECT_EQ(problems("labour.job_loss_rate,scenario.name\n0.01,1\n"),
            "sets.csv:1:22: scenario.name: a string cannot be varied\n");
  for (const char* key :
       {"run.seed", "run.replicates", "scenario.months", "run.parameter_sets", "run.parameter_set_columns"}) {
    const std::string listing = problems(std::string(key) + "\n1\n");
    EXPECT_EQ(listing.find(std::string("sets.csv:1:1: ") + key + ": cannot differ between parameter sets"), 0U)
        << listing;
  }
  EXPECT_EQ(problems("labour.job_loss_rate,labour.job_find_rate,labour.job_loss_rate\n0.01,0.1,0.02\n"),
            "sets.csv:1:43: labour.job_loss_rate: given twice (first at column 1): each key once\n");
  EXPECT_EQ(problems("labour.job_loss_rate,\n0.01,0.1\n"),
            "sets.csv:1:22: an empty column name: the header names one parameter key per column\n");
}

TEST_F(ParameterSetsFile, EveryRowHoldsOneNumberPerKey) {
  EXPECT_EQ(problems("labour.job_loss_rate,labour.job_find_rate\n0.01,abc\n0.01\n0.01,\n"),
            "sets.csv:2:6: labour.job_find_rate: 'abc' is not a finite number\n"
            "sets.csv:3:1: expected 2 values (one per key in the header), got 1\n"
            "sets.csv:4:6: labour.job_find_rate: no value: every set gives every key a number\n");
  EXPECT_EQ(problems("labour.job_loss_rate\nnan\n"),
            "sets.csv:2:1: labour.job_loss_rate: 'nan' is not a finite number\n");
  EXPECT_EQ(problems("labour.job_loss_rate\n"),
            "sets.csv:1:1: no parameter sets: add one row of values per set under the header\n");
  EXPECT_EQ(problems(""), "sets.csv:1:1: the file is empty: it needs a header of parameter keys (as sweep files "
                          "address them) and one row of values per set\n");
  EXPECT_EQ(problems("labour.job_loss_rate\n\"0.01\n"),
            "sets.csv:2:1: a quoted field is not closed: a '\"' is missing before the end of the file\n");
}

TEST_F(ParameterSetsFile, ASetTheParametersChecksRefuseIsNamedWithItsRow) {
  const std::string listing = problems("labour.job_find_rate,skills.pass_probability[senior]\n0.1,0.5\n0.1,1.5\n");
  EXPECT_EQ(listing.find("sets.csv:3:22: skills.pass_probability[4]: set 1 (0-based row) is refused by the "
                         "parameters' checks: "),
            0U)
      << listing;
  EXPECT_EQ(std::count(listing.begin(), listing.end(), '\n'), 1) << listing;
}

// run.parameter_set_columns: only the listed columns are read, applied and kept; the others are
// ignored entirely (a population share that would break the margins, a key no parameter has, text).
TEST_F(ParameterSetsFile, OnlyTheListedColumnsAreUsed) {
  const std::string text = "population.level_shares[none],labour.job_loss_rate,not.a.parameter,"
                           "skills.pass_probability[senior]\n0.99,0.01,x,0.5\n0.98,0.02,y,0.25\n";
  const std::string run = "parameter_set_columns = [\"skills.pass_probability[senior]\", \"labour.job_loss_rate\"]\n";
  const Scenario s = load_scenario(scenario(text, run));
  const ParameterSets& sets = s.parameter_sets();
  EXPECT_EQ(sets.keys, (std::vector<std::string>{"labour.job_loss_rate", "skills.pass_probability[senior]"}));
  EXPECT_EQ(sets.rows, (std::vector<std::vector<double>>{{0.01, 0.5}, {0.02, 0.25}}));
  EXPECT_EQ(sets.text, text); // the whole file, as the results record it
  const Parameters replicate = s.for_replicate(1).parameters();
  EXPECT_EQ(replicate.labour.job_loss_rate, 0.02);
  EXPECT_EQ(replicate.skills.pass_probability[4], 0.25);
  EXPECT_EQ(replicate.population.level_shares, s.parameters().population.level_shares); // the scenario's own
  // An empty list (the default) uses every column.
  const std::string all = "labour.job_loss_rate,skills.pass_probability[senior]\n0.01,0.5\n";
  EXPECT_EQ(load_scenario(scenario(all, "parameter_set_columns = []\n")).parameter_sets(),
            load_scenario(scenario(all)).parameter_sets());
}

TEST_F(ParameterSetsFile, TheListedColumnsAreInTheFileOnceAndNeedIt) {
  const std::string sets = "labour.job_loss_rate,labour.job_find_rate\n0.01,0.1\n";
  EXPECT_EQ(problems(sets, "parameter_set_columns = [\"labour.job_loss_rate\", \"labour.job_los_rate\"]\n"),
            "plan.toml:7:50: run.parameter_set_columns[1]: 'labour.job_los_rate' is not a column of the parameter "
            "sets file sets.csv; did you mean 'labour.job_loss_rate'?\n");
  EXPECT_EQ(problems(sets, "parameter_set_columns = [\"skills.assessment_rate[junior]\"]\n"),
            "plan.toml:7:26: run.parameter_set_columns[0]: 'skills.assessment_rate[junior]' is not a column of the "
            "parameter sets file sets.csv (its columns: labour.job_loss_rate, labour.job_find_rate)\n");
  EXPECT_EQ(problems(sets, "parameter_set_columns = [\"labour.job_loss_rate\", \"labour.job_loss_rate\"]\n"),
            "plan.toml:7:50: run.parameter_set_columns[1]: column 'labour.job_loss_rate' is listed twice\n");
  const fs::path plan = dir_ / "plan.toml";
  write(plan,
        "[scenario]\nname = \"x\"\nstart = 2020-01-01\n[run]\nparameter_set_columns = [\"labour.job_loss_rate\"]\n");
  const auto diagnostics = validate_scenario_file(plan);
  ASSERT_EQ(diagnostics.size(), 1U);
  EXPECT_EQ(diagnostics[0].to_string(), plan.string() +
                                            ":5:25: run.parameter_set_columns: needs run.parameter_sets (the file "
                                            "whose columns it chooses)");
}

} // namespace
} // namespace skillsim::io
