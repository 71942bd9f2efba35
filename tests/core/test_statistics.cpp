// Statistics over replicates: closed-form values (checked against numpy), one replicate, NaN
// skipped, integer and real variables, the `statistic` dimension, the same bits for any thread
// count, and the results file round trip.

#include "skillsim/core/statistics.hpp"

#include <gtest/gtest.h>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/io/results_hdf5.hpp"
#include "skillsim/io/scenario_toml.hpp"

namespace skillsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The expected values were computed with numpy 2.4 (np.mean, np.std(x, ddof=1) / np.sqrt(n),
// np.percentile(x, [5, 25, 50, 75, 95]), method "linear"), on the values without NaN, e.g.
//   x = np.arange(1, 11.0); np.std(x, ddof=1) / np.sqrt(10) -> 0.9574271077563381
//   np.percentile(x, [5, 25, 50, 75, 95]) -> [1.45, 3.25, 5.5, 7.75, 9.549999999999999]
void expect_statistics(const std::vector<double>& values, const StatisticValues& numpy) {
  const StatisticValues got = replicate_statistics(values);
  for (std::size_t k = 0; k < kStatisticCount; ++k) {
    if (std::isnan(numpy[k])) {
      EXPECT_TRUE(std::isnan(got[k])) << kStatisticIds[k];
    } else {
      EXPECT_DOUBLE_EQ(got[k], numpy[k]) << kStatisticIds[k];
    }
  }
}

TEST(Statistics, ClosedFormValuesAsNumpyComputesThem) {
  expect_statistics({1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
                    {5.5, 0.9574271077563381, 1.45, 3.25, 5.5, 7.75, 9.549999999999999});
  // Replicate order does not matter to the percentiles; an even count takes the mean of the middle two.
  expect_statistics({7, 3, 9, 1}, {5.0, 1.8257418583505538, 1.3, 2.5, 5.0, 7.5, 8.7});
  expect_statistics({0.1, 0.7, 0.2, 0.9, 0.3, 0.5, 0.8}, {0.5, 0.11751393027860063, 0.13, 0.25, 0.5, 0.75, 0.87});
  expect_statistics({-3, 5}, {1.0, 4.0, -2.6, -1.0, 1.0, 3.0, 4.6});
}

TEST(Statistics, PercentilesInterpolateBetweenOrderStatistics) {
  const std::vector<double> sorted = {10, 20, 30, 40};
  EXPECT_EQ(percentile_of_sorted(sorted, 0), 10);
  EXPECT_EQ(percentile_of_sorted(sorted, 100), 40);
  EXPECT_DOUBLE_EQ(percentile_of_sorted(sorted, 50), 25);        // position 1.5
  EXPECT_DOUBLE_EQ(percentile_of_sorted(sorted, 100.0 / 3), 20); // position 1
  EXPECT_TRUE(std::isnan(percentile_of_sorted({}, 50)));
}

TEST(Statistics, OneReplicateHasNoStandardError) { expect_statistics({42}, {42, kNaN, 42, 42, 42, 42, 42}); }

TEST(Statistics, NaNValuesAreSkipped) {
  // Over the defined values 2.5, 0.5, 1.0.
  expect_statistics({2.5, kNaN, 0.5, kNaN, 1.0},
                    {1.3333333333333333, 0.6009252125773317, 0.55, 0.75, 1.0, 1.75, 2.3499999999999996});
  expect_statistics({kNaN, 4}, {4, kNaN, 4, 4, 4, 4, 4});
  expect_statistics({kNaN, kNaN}, {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN});
  expect_statistics({}, {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN});
}

// Three replicates, two times, two levels: an integer stock, a real rate with NaN, and a variable
// without a replicate dimension.
Results hand_made() {
  Results r;
  r.dimensions = {Dimension{"replicate", {0, 1, 2}, {}, {}, {}}, Dimension{"time", {18262, 18293}, {}, {}, {}},
                  Dimension{"level", {}, {"junior", "senior"}, {"初级工", "高级工"}, {}}};
  Variable workers{"workers", {"replicate", "time", "level"}, {}, "persons", "persons by level", false, {}};
  // (replicate, time, level): cell (time 0, junior) is 10, 30, 20 over the replicates, ...
  workers.data = {10, 100, 1000, 5, 30, 300, 3000, 6, 20, 200, 2000, 7};
  Variable rate{"rate", {"replicate", "time"}, {}, "share", "", true, {}};
  rate.real_data = {0.5, kNaN, 0.25, kNaN, kNaN, kNaN};
  Variable plan{"plan", {"time"}, {1, 2}, "persons", "planned", false, {}};
  r.variables = {workers, rate, plan};
  return r;
}

TEST(Statistics, AddsAStatisticsVariableForEveryVariableWithAReplicateDimension) {
  Results r = hand_made();
  add_replicate_statistics(r);

  const Dimension& statistic = r.dimension("statistic");
  EXPECT_EQ(statistic.labels, (std::vector<std::string>{"mean", "se", "p5", "p25", "p50", "p75", "p95"}));
  EXPECT_EQ(statistic.labels_zh,
            (std::vector<std::string>{"均值", "标准误", "5%分位数", "25%分位数", "中位数", "75%分位数", "95%分位数"}));
  EXPECT_FALSE(statistic.attributes.at("long_name").empty());

  ASSERT_EQ(r.variables.size(), 5u); // workers, rate, plan, then workers_stats, rate_stats
  EXPECT_EQ(r.variables[3].name, "workers_stats");
  EXPECT_EQ(r.variables[4].name, "rate_stats");
  EXPECT_FALSE(r.has_variable("plan_stats"));

  const Variable& w = r.variable("workers_stats");
  EXPECT_EQ(w.dims, (std::vector<std::string>{"statistic", "time", "level"}));
  EXPECT_TRUE(w.is_real);
  EXPECT_TRUE(w.data.empty());
  EXPECT_EQ(w.units, "persons");
  EXPECT_EQ(w.long_name, "statistics over replicates of: persons by level");
  ASSERT_EQ(w.real_data.size(), 7u * 2 * 2);
  // Cell (time 0, junior): 10, 30, 20. numpy: mean 20, se 5.773502691896258 (sd 10 / sqrt 3),
  // percentiles [11.0, 15.0, 20.0, 25.0, 29.0].
  const StatisticValues expected = {20, 5.773502691896258, 11, 15, 20, 25, 29};
  for (std::size_t k = 0; k < kStatisticCount; ++k) {
    EXPECT_DOUBLE_EQ(w.real_data[k * 4 + 0], expected[k]) << kStatisticIds[k];
    EXPECT_DOUBLE_EQ(replicate_statistic(r, "workers", static_cast<Statistic>(k), 0), expected[k]);
  }
  // Cell (time 1, senior): 6, 7, 5 -> median 6, p5 5.1.
  EXPECT_DOUBLE_EQ(replicate_statistic(r, "workers", Statistic::P50, 3), 6);
  EXPECT_DOUBLE_EQ(replicate_statistic(r, "workers", Statistic::P5, 3), 5.1);
  EXPECT_THROW(replicate_statistic(r, "workers", Statistic::P50, 4), Error);
  EXPECT_THROW(replicate_statistic(r, "plan", Statistic::P50), Error);

  // The rate: time 0 over 0.5 and 0.25 (replicate 1 undefined); time 1 undefined everywhere.
  const Variable& q = r.variable("rate_stats");
  EXPECT_EQ(q.dims, (std::vector<std::string>{"statistic", "time"}));
  EXPECT_EQ(q.long_name, "statistics over replicates of: rate"); // no long_name: the name
  EXPECT_DOUBLE_EQ(replicate_statistic(r, "rate", Statistic::Mean, 0), 0.375);
  EXPECT_DOUBLE_EQ(replicate_statistic(r, "rate", Statistic::Se, 0), 0.125);
  EXPECT_DOUBLE_EQ(replicate_statistic(r, "rate", Statistic::P50, 0), 0.375);
  for (std::size_t k = 0; k < kStatisticCount; ++k)
    EXPECT_TRUE(std::isnan(replicate_statistic(r, "rate", static_cast<Statistic>(k), 1))) << kStatisticIds[k];
}

TEST(Statistics, AddingThemAgainComputesThemAgain) {
  Results r = hand_made();
  add_replicate_statistics(r);
  r.variable("workers").data[0] = 40; // cell (time 0, junior): 40, 30, 20
  add_replicate_statistics(r);
  EXPECT_EQ(r.variables.size(), 5u);
  EXPECT_EQ(r.dimensions.size(), 4u);
  EXPECT_DOUBLE_EQ(replicate_statistic(r, "workers", Statistic::Mean, 0), 30);
}

TEST(Statistics, SameBitsForAnyThreadCount) {
  // Large enough to be computed by a team of threads: 5 replicates of 40,000 cells, with NaN.
  Results r;
  r.dimensions = {Dimension{"replicate", {0, 1, 2, 3, 4}, {}, {}, {}}, Dimension{"cell", {}, {}, {}, {}}};
  for (std::int64_t c = 0; c < 40000; ++c) r.dimensions[1].int_coords.push_back(c);
  Variable v{"values", {"replicate", "cell"}, {}, "1", "", true, {}};
  std::uint64_t x = 88172645463325252ull;
  for (std::size_t i = 0; i < 5 * 40000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17; // xorshift64
    v.real_data.push_back(x % 97 == 0 ? kNaN : static_cast<double>(x >> 11) * 0x1.0p-53 * 1e6);
  }
  r.variables = {v};
  const int threads = omp_get_max_threads();
  Results one = r, two = r;
  omp_set_num_threads(1);
  add_replicate_statistics(one);
  omp_set_num_threads(2);
  add_replicate_statistics(two);
  omp_set_num_threads(threads);
  const std::vector<double>&a = one.variable("values_stats").real_data, &b = two.variable("values_stats").real_data;
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    ASSERT_EQ(std::bit_cast<std::uint64_t>(a[i]), std::bit_cast<std::uint64_t>(b[i])) << i;
}

// The Jincheng plan (programmes, funds, evaluators, targets: rates with NaN) at 1 agent per 500
// persons, without its parameter sets (their record has no statistics: test_parameter_sets.cpp).
Scenario plan_scenario() {
  return io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml",
                           {"population.scale=500", "run.parameter_sets=\"\"", "run.parameter_set_columns=[]"});
}

TEST(Statistics, ARunHasThemForEveryVariableWithTheSameBitsForOneAndTwoThreads) {
  const Results r = test::expect_same_for_one_and_two_threads(plan_scenario(), 4, 3);
  std::size_t with_replicates = 0;
  for (const Variable& v : r.variables) {
    if (v.dims.empty() || v.dims[0] != "replicate") continue;
    ++with_replicates;
    ASSERT_TRUE(r.has_variable(v.name + "_stats")) << v.name;
    std::vector<std::string> dims = v.dims;
    dims[0] = "statistic";
    EXPECT_EQ(r.variable(v.name + "_stats").dims, dims) << v.name;
  }
  EXPECT_GT(with_replicates, 40u);
  EXPECT_TRUE(r.has_variable("target_attained_stats"));
  EXPECT_TRUE(r.has_variable("cost_per_certificate_stats"));
  // The median of the skilled workers at the end, from the raw series.
  const std::size_t times = r.dimension("time").size();
  std::vector<double> end;
  for (std::size_t rep = 0; rep < 4; ++rep)
    end.push_back(static_cast<double>(test::at(r, "skilled_workers", rep, times - 1)));
  std::sort(end.begin(), end.end());
  EXPECT_DOUBLE_EQ(replicate_statistic(r, "skilled_workers", Statistic::P50, times - 1), (end[1] + end[2]) / 2);
}

TEST(Statistics, TheResultsFileKeepsThem) {
  RunOptions options;
  options.replicates = 3;
  options.seed = 5;
  const Results r = run_scenario(plan_scenario(), options);
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("skillsim_statistics_" + std::to_string(::getpid()) + ".h5");
  io::write_results(r, path, true);
  const Results back = io::read_results(path);
  std::filesystem::remove(path);

  const Dimension& statistic = back.dimension("statistic");
  EXPECT_EQ(statistic.labels, r.dimension("statistic").labels);
  EXPECT_EQ(statistic.labels_zh, r.dimension("statistic").labels_zh);
  EXPECT_EQ(statistic.attributes.at("long_name"), r.dimension("statistic").attributes.at("long_name"));
  std::size_t compared = 0;
  for (const Variable& v : r.variables) {
    if (v.dims.empty() || v.dims[0] != "statistic") continue;
    const Variable& w = back.variable(v.name);
    EXPECT_EQ(w.dims, v.dims) << v.name;
    EXPECT_TRUE(w.is_real) << v.name;
    EXPECT_EQ(w.units, v.units) << v.name;
    EXPECT_EQ(w.long_name, v.long_name) << v.name;
    ASSERT_EQ(w.real_data.size(), v.real_data.size()) << v.name;
    for (std::size_t i = 0; i < v.real_data.size(); ++i)
      ASSERT_EQ(std::bit_cast<std::uint64_t>(w.real_data[i]), std::bit_cast<std::uint64_t>(v.real_data[i])) << v.name;
    ++compared;
  }
  EXPECT_GT(compared, 40u);

  // skillsim info lists them in one line, not one each.
  const std::string info = io::describe_results(back);
  EXPECT_NE(info.find("Statistics over replicates (mean, se, p5, p25, p50, p75, p95)"), std::string::npos) << info;
  EXPECT_NE(
      info.find("NAME_stats over (statistic, NAME's dimensions after replicate) in NAME's units, for each of the " +
                std::to_string(compared) + " variables above with a replicate dimension"),
      std::string::npos)
      << info;
  EXPECT_NE(info.find("skilled_workers_stats  (statistic, time)  shape 7x25  [persons]"), std::string::npos) << info;
  std::size_t mentions = 0; // NAME_stats and the example, not a line each
  for (std::size_t at = info.find("_stats"); at != std::string::npos; at = info.find("_stats", at + 1)) ++mentions;
  EXPECT_EQ(mentions, 2u) << info;
  EXPECT_NE(info.find("statistic                size 7  mean (均值) .. p95 (95%分位数)"), std::string::npos) << info;
}

} // namespace
} // namespace skillsim
