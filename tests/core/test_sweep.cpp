// Sweep designs (which values each run takes) and sweep keys (how a varied key reaches the
// parameters): the properties each design promises, and a message for every kind of bad key.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/sweep.hpp"
#include "skillsim/io/scenario_toml.hpp"

namespace skillsim {
namespace {

SweepAxis listed(std::string key, std::vector<double> values) { return SweepAxis{std::move(key), std::move(values)}; }
SweepAxis ranged(std::string key, double low, double high) { return SweepAxis{std::move(key), {}, low, high}; }

TEST(SweepDesign, GridIsEveryCombinationLastAxisFastest) {
  const SweepSpec spec{SweepDesign::Grid, {listed("a", {1, 2}), listed("b", {10, 20, 30})}};
  EXPECT_EQ(sweep_run_count(spec), 6);
  const std::vector<std::vector<double>> expected = {{1, 10}, {1, 20}, {1, 30}, {2, 10}, {2, 20}, {2, 30}};
  EXPECT_EQ(sweep_points(spec), expected);
}

TEST(SweepDesign, ListPairsTheKthValuesAndRefusesUnequalLengths) {
  const SweepSpec spec{SweepDesign::List, {listed("a", {1, 2, 3}), listed("b", {4, 5, 6})}};
  EXPECT_EQ(sweep_points(spec), (std::vector<std::vector<double>>{{1, 4}, {2, 5}, {3, 6}}));
  const SweepSpec unequal{SweepDesign::List, {listed("a", {1, 2, 3}), listed("b", {4, 5})}};
  try {
    sweep_points(unequal);
    FAIL() << "lists of 3 and 2 values were paired";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("b has 2"), std::string::npos) << e.what();
  }
}

// Each axis's n values fall one in each of its n equal strata.
void expect_stratified(const std::vector<std::vector<double>>& points, const SweepSpec& spec) {
  const std::size_t n = points.size();
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    std::set<std::size_t> strata;
    for (const auto& point : points) {
      const double u = (point[a] - spec.axes[a].low) / (spec.axes[a].high - spec.axes[a].low);
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      strata.insert(static_cast<std::size_t>(u * static_cast<double>(n)));
    }
    EXPECT_EQ(strata.size(), n) << spec.axes[a].key;
  }
}

TEST(SweepDesign, LatinHypercubeHasOnePointPerStratumAndItsOwnSeed) {
  SweepSpec spec{SweepDesign::LatinHypercube, {ranged("a", 0, 1), ranged("b", 1e6, 5e7), ranged("c", -3, 3)}, 64, 7};
  const auto points = sweep_points(spec);
  ASSERT_EQ(points.size(), 64u);
  expect_stratified(points, spec);
  EXPECT_EQ(sweep_points(spec), points); // deterministic
  spec.sampling_seed = 8;
  EXPECT_NE(sweep_points(spec), points);
}

TEST(SweepDesign, SobolFirstPowerOfTwoPointsFormANet) {
  const SweepSpec spec{SweepDesign::Sobol, {ranged("a", 0, 1), ranged("b", 100, 200), ranged("c", 0, 8)}, 32};
  const auto points = sweep_points(spec);
  ASSERT_EQ(points.size(), 32u);
  EXPECT_EQ(points[0], (std::vector<double>{0, 100, 0}));
  expect_stratified(points, spec);
  // Two-dimensional projections of a Sobol net of 32 points: each of the 4 x 8 cells of axes a
  // and c holds exactly one point (a (0, 5, 2)-net in base 2 for the first two dimensions).
  std::set<std::pair<int, int>> cells;
  for (const auto& p : points) cells.insert({static_cast<int>(p[0] * 4), static_cast<int>(p[1] / 100 * 8) % 8});
  EXPECT_EQ(cells.size(), 32u);
}

TEST(SweepDesign, EmptyRangesAndMissingSamplesAreRefused) {
  EXPECT_THROW(sweep_points(SweepSpec{SweepDesign::Sobol, {ranged("a", 2, 1)}, 8}), Error);
  EXPECT_THROW(sweep_points(SweepSpec{SweepDesign::LatinHypercube, {ranged("a", 0, 1)}, 0}), Error);
  EXPECT_THROW(sweep_points(SweepSpec{SweepDesign::Grid, {}}), Error);
  EXPECT_THROW(sweep_points(SweepSpec{SweepDesign::Grid, {listed("a", {})}}), Error);
}

TEST(SweepDesign, ValuesThatAreNotFiniteAndTooManySobolAxesAreRefused) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  EXPECT_THROW(sweep_points(SweepSpec{SweepDesign::Grid, {listed("a", {1, std::nan("")})}}), Error);
  EXPECT_THROW(sweep_points(SweepSpec{SweepDesign::List, {listed("a", {inf})}}), Error);
  EXPECT_THROW(sweep_points(SweepSpec{SweepDesign::Sobol, {ranged("a", -inf, 1)}, 8}), Error);
  EXPECT_THROW(sweep_points(SweepSpec{SweepDesign::LatinHypercube, {ranged("a", -1e308, 1e308)}, 8}), Error);
  std::vector<SweepAxis> axes(kSobolMaxAxes + 1, ranged("a", 0, 1));
  EXPECT_THROW(sweep_points(SweepSpec{SweepDesign::Sobol, axes, 2}), Error);
  axes.pop_back();
  EXPECT_EQ(sweep_points(SweepSpec{SweepDesign::Sobol, axes, 2}).size(), 2u);
}

class SweepKeys : public ::testing::Test {
protected:
  Scenario plan = io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml");
  const Parameters& p = plan.parameters();

  std::string problem(std::string_view key) {
    const auto r = resolve_sweep_key(p, key);
    return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string();
  }
  SweepTarget target(std::string_view key) {
    const auto r = resolve_sweep_key(p, key);
    if (const auto* message = std::get_if<std::string>(&r)) ADD_FAILURE() << *message;
    return std::holds_alternative<SweepTarget>(r) ? std::get<SweepTarget>(r) : SweepTarget{};
  }
};

TEST_F(SweepKeys, RowsAreAddressedByNameOrIndex) {
  Parameters q = p;
  apply_sweep_value(q, target("funds.annual_envelope[employment_subsidy]"), 9e7);
  EXPECT_EQ(q.funds.annual_envelope, (std::vector<double>{p.funds.annual_envelope[0], 9e7}));
  apply_sweep_value(q, target("skills.pass_probability[senior]"), 0.5);
  EXPECT_EQ(q.skills.pass_probability[4], 0.5);
  apply_sweep_value(q, target("programmes.seats_per_month[key_groups][晋城市]"), 3000);
  EXPECT_EQ(q.programmes.seats_per_month(3, 0), 3000);
  apply_sweep_value(q, target("programmes.duration_months[1]"), 3.4); // an integer column: rounded
  EXPECT_EQ(q.programmes.duration_months[1], 3);
  apply_sweep_value(q, target("labour.job_find_multiplier"), 0.7);
  EXPECT_EQ(q.labour.job_find_multiplier, 0.7);
  // Nothing else moved.
  q.funds.annual_envelope = p.funds.annual_envelope;
  q.skills.pass_probability = p.skills.pass_probability;
  q.programmes.seats_per_month = p.programmes.seats_per_month;
  q.programmes.duration_months = p.programmes.duration_months;
  q.labour.job_find_multiplier = p.labour.job_find_multiplier;
  EXPECT_EQ(io::scenario_to_toml(Scenario::make(q, {}, {})), io::scenario_to_toml(Scenario::make(p, {}, {})));
}

// The trend of the assessment rate is addressed like any per-level parameter (not schedulable,
// but a sweep varies the scenario, not a schedule).
TEST_F(SweepKeys, TheAssessmentTrendIsAddressedByLevel) {
  Parameters q = p;
  apply_sweep_value(q, target("skills.assessment_rate_trend[senior]"), 0.25);
  apply_sweep_value(q, target("skills.assessment_rate_trend[2]"), -0.1);
  std::vector<double> expected(kLevelCount, 0.0);
  expected[4] = 0.25;
  expected[2] = -0.1;
  EXPECT_EQ(q.skills.assessment_rate_trend, expected);
  EXPECT_NE(problem("skills.trend_end_date").find("cannot be varied"), std::string::npos);
}

// A programme's appraisal share is addressed by the programme's name or index, like any column.
TEST_F(SweepKeys, TheAppraisalShareIsAddressedByProgramme) {
  const Scenario one = io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/tests/data/one_programme.toml");
  Parameters q = one.parameters();
  EXPECT_EQ(q.programmes.appraisal_share, std::vector<double>{1.0}); // not in the file: 1
  const auto r = resolve_sweep_key(q, "programmes.appraisal_share[employment_skills]");
  ASSERT_TRUE(std::holds_alternative<SweepTarget>(r)) << std::get<std::string>(r);
  apply_sweep_value(q, std::get<SweepTarget>(r), 0.3);
  EXPECT_EQ(q.programmes.appraisal_share, std::vector<double>{0.3});
  Parameters k = p;
  apply_sweep_value(k, target("programmes.appraisal_share[key_groups]"), 0.25);
  apply_sweep_value(k, target("programmes.appraisal_share[0]"), 0.5);
  EXPECT_EQ(k.programmes.appraisal_share, (std::vector<double>{0.5, 1, 1, 0.25}));
}

TEST_F(SweepKeys, EveryBadKeySaysWhatIsWrong) {
  EXPECT_NE(problem("labour.job_find_rat").find("did you mean labour.job_find_rate"), std::string::npos);
  EXPECT_NE(problem("funds.annual_envelope[upgrading]").find("one of: upgrading_account, employment_subsidy"),
            std::string::npos);
  EXPECT_NE(problem("funds.annual_envelope[2]").find("out of range (2 entries"), std::string::npos);
  EXPECT_NE(problem("funds.annual_envelope").find("vary one element"), std::string::npos);
  EXPECT_NE(problem("labour.job_find_rate[0]").find("vary it without [ ]"), std::string::npos);
  EXPECT_NE(problem("programmes.seats_per_month[key_groups]").find("[row][column]"), std::string::npos);
  EXPECT_NE(problem("scenario.name").find("cannot be varied"), std::string::npos);
  EXPECT_NE(problem("programmes.payment[key_groups]").find("cannot be varied"), std::string::npos);
  EXPECT_NE(problem("funds.annual_envelope[0").find("expected [row]"), std::string::npos);
}

// Every run of a sweep shares the results' time and replicate axes and the seed (common random
// numbers): these keys are refused, however they are written.
TEST_F(SweepKeys, KeysEveryRunSharesCannotVary) {
  EXPECT_EQ(problem("scenario.months"), "scenario.months: cannot vary in a sweep: every run shares the time axis; run "
                                        "sweeps of different lengths separately");
  EXPECT_NE(problem("run.replicates").find("cannot vary in a sweep: every run shares the replicate axis"),
            std::string::npos);
  EXPECT_NE(problem("run.seed").find("cannot vary in a sweep: every run uses the same seed"), std::string::npos);
  EXPECT_NE(problem("run.seed").find("use --replicates"), std::string::npos);
  EXPECT_NE(problem("run.seed[0]").find("cannot vary in a sweep"), std::string::npos);
  // The layout of the results depends on no other number: the lengths of its other dimensions are
  // those of name lists (regions, programmes, funds, evaluators), which cannot vary.
  for (const auto& spec : parameter_specs())
    if (spec.kind == ValueKind::Real || spec.kind == ValueKind::Integer) {
      const std::string message = problem(spec.key);
      const bool shared = spec.key == "scenario.months" || spec.key == "run.replicates" || spec.key == "run.seed";
      EXPECT_EQ(message.find("cannot vary in a sweep") != std::string::npos, shared) << spec.key << ": " << message;
    }
}

} // namespace
} // namespace skillsim
