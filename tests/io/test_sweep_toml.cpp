// Sweep files: what a valid one gives, and a located message for every class of mistake.
#include <gtest/gtest.h>

#include <string>

#include "skillsim/io/scenario_toml.hpp"
#include "skillsim/io/sweep_toml.hpp"

namespace skillsim::io {
namespace {

// The problems of a sweep file, each as "line:column key: message".
std::vector<std::string> problems(const std::string& text) {
  std::vector<std::string> out;
  try {
    parse_sweep(text, "s.toml");
  } catch (const ScenarioError& e) {
    for (const auto& d : e.diagnostics())
      out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.key + ": " + d.message);
  }
  return out;
}

// True if one of the problems contains every fragment.
bool reports(const std::vector<std::string>& found, std::initializer_list<std::string> fragments) {
  for (const auto& p : found) {
    bool all = true;
    for (const auto& f : fragments) all = all && p.find(f) != std::string::npos;
    if (all) return true;
  }
  return false;
}

TEST(SweepFile, GridOfListedValues) {
  const SweepFile s = parse_sweep(R"([sweep]
base = "jincheng_plan_2020_2021"
design = "grid"

[vary]
"funds.annual_envelope[upgrading_account]" = [40e6, 52e6, 70_000_000]
"labour.job_find_multiplier" = [0.8, 1]
)",
                                  "s.toml");
  EXPECT_EQ(s.base, "jincheng_plan_2020_2021");
  EXPECT_EQ(s.spec.design, SweepDesign::Grid);
  ASSERT_EQ(s.spec.axes.size(), 2u);
  EXPECT_EQ(s.spec.axes[0].key, "funds.annual_envelope[upgrading_account]");
  EXPECT_EQ(s.spec.axes[0].values, (std::vector<double>{40e6, 52e6, 70e6}));
  EXPECT_EQ(s.spec.axes[1].values, (std::vector<double>{0.8, 1}));
  EXPECT_EQ(sweep_run_count(s.spec), 6);
  EXPECT_EQ(s.axis_positions[1].line, 7);
}

// The axes are in the file's order (toml++ orders a table's keys), so the last key of a grid is
// the one that varies fastest as written.
TEST(SweepFile, AxesAreInTheFilesOrder) {
  const SweepFile s = parse_sweep("[sweep]\nbase = 'x'\n[vary]\n\"z.b\" = [1, 2]\n\"a.b\" = [3]\nm = [4]\n", "s.toml");
  ASSERT_EQ(s.spec.axes.size(), 3u);
  EXPECT_EQ(s.spec.axes[0].key, "z.b");
  EXPECT_EQ(s.spec.axes[1].key, "a.b");
  EXPECT_EQ(s.spec.axes[2].key, "m");
  EXPECT_EQ(s.axis_positions[2].line, 6);
  EXPECT_EQ(sweep_points(s.spec), (std::vector<std::vector<double>>{{1, 3, 4}, {2, 3, 4}}));
}

TEST(SweepFile, LatinHypercubeOfRangesWithItsOwnSeed) {
  const SweepFile s = parse_sweep(R"([sweep]
base = "jincheng_plan_2020_2021"
design = "latin_hypercube"
samples = 200
sampling_seed = 11
[vary]
"labour.job_find_multiplier" = { low = 0.8, high = 1.2 }
)",
                                  "s.toml");
  EXPECT_EQ(s.spec.samples, 200);
  EXPECT_EQ(s.spec.sampling_seed, 11u);
  EXPECT_EQ(s.spec.axes[0].low, 0.8);
  EXPECT_EQ(s.spec.axes[0].high, 1.2);
}

TEST(SweepFile, EveryClassOfMistakeIsLocatedAndExplained) {
  EXPECT_TRUE(reports(problems("[sweep\n"), {"1:"})); // TOML syntax
  EXPECT_TRUE(reports(problems("[sweeps]\nbase='x'\n[vary]\na=[1]\n"), {"1:2", "did you mean sweep?"}));
  EXPECT_TRUE(reports(problems("[vary]\na = [1]\n"), {"sweep", "missing [sweep]"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\n"), {"vary", "missing [vary]"}));
  EXPECT_TRUE(reports(problems("[sweep]\ndesign='grid'\n[vary]\na=[1]\n"), {"sweep.base", "missing"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\ndesing='grid'\n[vary]\na=[1]\n"),
                      {"3:1", "sweep.desing", "did you mean design?"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\ndesign='sobel'\n[vary]\na=[1]\n"),
                      {"3:8", "not a design", "did you mean sobol?"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\n[vary]\na = []\n"), {"4:5", "no values listed"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\n[vary]\na = [1, 'two']\n"), {"vary.\"a\"[1]", "expected a number"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\n[vary]\na = 3\n"), {"lists the values"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\n[vary]\nlabour.job_find_multiplier = [1]\n"),
                      {"vary.\"labour\"", "write the dotted key in quotes: \"labour.job_find_multiplier\" = ..."}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\ndesign='sobol'\nsamples=8\n[vary]\nlabour.job_find_multiplier = "
                               "{low=0, high=1}\n"),
                      {"samples a range", "in quotes: \"labour.job_find_multiplier\""}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\ndesign='sobol'\n[vary]\na = {low=0, high=1}\n"),
                      {"sweep.samples", "needs samples"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\ndesign='sobol'\nsamples=8\n[vary]\na = {low=2, high=1}\n"),
                      {"6:5", "range is empty"}));
  EXPECT_TRUE(
      reports(problems("[sweep]\nbase='x'\ndesign='sobol'\nsamples=8\n[vary]\na = [1, 2]\n"), {"samples a range"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\ndesign='sobol'\nsamples=8\n[vary]\na = {low=0, hgih=1}\n"),
                      {"samples a range"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\nsamples=8\n[vary]\na = [1]\n"), {"only sampling designs"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\ndesign='list'\n[vary]\na = [1, 2]\nb = [1]\n"),
                      {"6:1", "pairs the k-th values", "lists 1"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\nmax_runs=5\n[vary]\na = [1, 2, 3]\nb = [1, 2]\n"),
                      {"sweep.max_runs", "makes 6 runs, more than max_runs = 5"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\nmax_runs=0\n[vary]\na = [1]\n"), {"sweep.max_runs", ">= 1"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\n[vary]\na = [1, nan]\n"), {"4:9", "vary.\"a\"[1]", "finite"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\ndesign='sobol'\nsamples=8\n[vary]\na = {low=-inf, high=1}\n"),
                      {"6:5", "finite"}));
  EXPECT_TRUE(reports(problems("[sweep]\nbase='x'\ndesign='sobol'\nsamples=8\n[vary]\na = {low=-1e308, high=1e308}\n"),
                      {"6:5", "too wide"}));
  std::string many = "[sweep]\nbase='x'\ndesign='sobol'\nsamples=8\n[vary]\n";
  for (std::size_t k = 0; k <= kSobolMaxAxes; ++k) many += "a" + std::to_string(k) + " = {low=0, high=1}\n";
  EXPECT_TRUE(reports(problems(many), {"5:1 vary", "at most 3667 parameters; this varies 3668"}));
}

// A syntax error is said as in a scenario file (file:line:column, plain words), and an unquoted
// word in the sweep's words.
TEST(SweepFile, SyntaxErrorsReadAsInAScenario) {
  const auto first = [](const std::string& text, bool sweep) {
    try {
      if (sweep)
        parse_sweep(text, "s.toml");
      else
        parse_scenario_file(text, "s.toml");
    } catch (const ScenarioError& e) {
      return e.diagnostics().front().to_string();
    }
    return std::string("no problem");
  };
  for (const std::string text :
       {"[sweep\n", "[sweep]\nbase = 'x'\n[vary]\na = [1, 2\n", "[sweep]\nbase = \"x\n[vary]\na = [1]\n",
        "[sweep]\nbase = 'x' 'y'\n", "[sweep]\nbase = \n", "[sweep]\nbase = 'x'\n[vary]\na = [1, %]\n",
        "\xEF\xBB\xBF[sweep]\nbase = 'x'\n[vary]\na = [1, 2\n"}) {
    EXPECT_EQ(first(text, true), first(text, false)) << text;
    EXPECT_NE(first(text, true).find("s.toml:"), std::string::npos) << text;
  }
  EXPECT_EQ(first("[sweep]\nbase = 'x'\n[vary]\na = [1, 2\n", true),
            "s.toml:4:11: invalid TOML: the file ends inside an array (a closing ']' is missing)");
  EXPECT_EQ(first("[sweep]\nbase = 'x'\ndesign = grid\n[vary]\na = [1]\n", true),
            "s.toml:3:10: sweep.design: expected a string, got 'grid' (write text in quotes: \"grid\")");
  EXPECT_EQ(first("\xEF\xBB\xBF[sweep]\nbase = 'x'\nsamples = ten\n", true),
            "s.toml:3:11: sweep.samples: expected an integer, got 'ten'");
  EXPECT_EQ(first("[sweep]\nbase = 'x'\n[vary]\n\"labour.job_find_multiplier\" = [0.8, one]\n", true),
            "s.toml:4:38: vary.\"labour.job_find_multiplier\": expected a number, got 'one'");
  EXPECT_EQ(first("[sweep]\nbase = 'x'\n[vary]\na = { low = 0.8, high = two }\n", true),
            "s.toml:4:25: expected a number, got 'two'");
  EXPECT_EQ(first("[sweep]\nbase = 'x'\n[vary]\na = eight\n", true),
            "s.toml:4:5: vary.\"a\": expected a list of numbers [A, B, ...] or a range { low = A, high = B }, got "
            "'eight'");
  // Text that is not TOML is still known as a sweep file by its [sweep] header.
  EXPECT_TRUE(is_sweep_text("# a grid\n[sweep]  # the runs\nbase = 'x\n"));
  EXPECT_FALSE(is_sweep_text("[scenario]\nname = 'x\n"));
  EXPECT_FALSE(is_sweep_text("[sweeps]\nname = 'x\n"));
}

TEST(SweepFile, KeysAreCheckedAgainstTheBaseScenarioAtTheirPlace) {
  const Scenario plan = load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml");
  const SweepFile s = parse_sweep(R"([sweep]
base = "jincheng_plan_2020_2021"
[vary]
"funds.annual_envelope[upgrading_account]" = [1]
"funds.annual_envelope[upgrading]" = [1]
"labour.job_find_rat" = [1]
"scenario.name" = [1]
)",
                                  "s.toml");
  const auto found = check_sweep_keys(s, plan.parameters());
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].line, 5);
  EXPECT_NE(found[0].message.find("one of: upgrading_account, employment_subsidy"), std::string::npos);
  EXPECT_EQ(found[1].line, 6);
  EXPECT_NE(found[1].message.find("did you mean labour.job_find_rate"), std::string::npos);
  EXPECT_EQ(found[2].line, 7);
  EXPECT_NE(found[2].message.find("cannot be varied"), std::string::npos);
}

// The keys every run of a sweep shares (the results' time and replicate axes, the seed of common
// random numbers) are refused with the reason and what to do instead; so is a parameter varied
// twice (a row by its name and by its index).
TEST(SweepFile, KeysEveryRunSharesAndKeysGivenTwiceAreRefused) {
  const Scenario plan = load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml");
  const SweepFile s = parse_sweep(R"([sweep]
base = "jincheng_plan_2020_2021"
[vary]
"scenario.months" = [12, 24]
"run.replicates" = [1, 2]
"run.seed" = [1, 2]
"funds.annual_envelope[upgrading_account]" = [1]
"funds.annual_envelope[0]" = [2]
)",
                                  "s.toml");
  const auto found = check_sweep_keys(s, plan.parameters());
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].to_string(), "s.toml:4:1: vary.scenario.months: cannot vary in a sweep: every run shares the "
                                  "time axis; run sweeps of different lengths separately");
  EXPECT_EQ(found[1].key, "vary.run.replicates");
  EXPECT_NE(found[1].message.find("cannot vary in a sweep: every run shares the replicate axis"), std::string::npos);
  EXPECT_NE(found[1].message.find("--replicates"), std::string::npos);
  EXPECT_EQ(found[2].key, "vary.run.seed");
  EXPECT_NE(found[2].message.find("common random numbers"), std::string::npos);
  EXPECT_NE(found[2].message.find("use --replicates"), std::string::npos);
  EXPECT_EQ(found[3].to_string(), "s.toml:8:1: vary.funds.annual_envelope[0]: the same parameter as "
                                  "funds.annual_envelope[upgrading_account] (line 7); vary each parameter once");
}

} // namespace
} // namespace skillsim::io
