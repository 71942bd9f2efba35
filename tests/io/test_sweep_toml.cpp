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

} // namespace
} // namespace skillsim::io
