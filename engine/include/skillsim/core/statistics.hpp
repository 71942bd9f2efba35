// Statistics over replicates: for every variable whose first dimension is `replicate`, a real
// variable NAME_stats over (statistic, the variable's other dimensions) with the mean, the
// standard error of the mean and the 5/25/50/75/95 percentiles of its replicates, cell by cell.
// The one place where statistics over replicates are computed: the run adds them to its results,
// and the CLI summary reads them (or, for a quantity derived per replicate such as a total over
// the run, calls replicate_statistics on it). See docs/results.md#statistics-over-replicates.
//
// Deterministic: each cell is computed from its replicate values alone, summed in replicate
// order, its percentiles from a sorted copy; cells are independent, so the bits do not depend on
// the number of threads (or of ranks, for a sweep that stores each run's results).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "skillsim/core/results.hpp"

namespace skillsim {

/// The statistics, in the order of the `statistic` dimension.
enum class Statistic : std::size_t { Mean = 0, Se, P5, P25, P50, P75, P95 };
inline constexpr std::size_t kStatisticCount = 7;
inline constexpr std::array<std::string_view, kStatisticCount> kStatisticIds = {"mean", "se",  "p5", "p25",
                                                                                "p50",  "p75", "p95"};
inline constexpr std::array<std::string_view, kStatisticCount> kStatisticLabelsZh = {
    "均值", "标准误", "5%分位数", "25%分位数", "中位数", "75%分位数", "95%分位数"};
/// The percentiles (in percent) of P5 .. P95.
inline constexpr std::array<double, 5> kStatisticPercentiles = {5, 25, 50, 75, 95};

/// The name of the dimension, and the suffix of the statistics variables (skilled_workers_stats).
inline constexpr std::string_view kStatisticDimension = "statistic";
inline constexpr std::string_view kStatisticsSuffix = "_stats";

using StatisticValues = std::array<double, kStatisticCount>;

/// Percentile `percent` (0..100) of values sorted ascending, none NaN: linear interpolation
/// between order statistics at position (n - 1) * percent / 100, as numpy.percentile's default
/// method ("linear"), with numpy's arithmetic. NaN if `sorted` is empty.
double percentile_of_sorted(std::span<const double> sorted, double percent);

/// The statistics of one cell: `values` are its replicates, in replicate order. NaN values (an
/// undefined rate) are skipped: the statistics are over the defined values, NaN if there are
/// none. The mean is their sum in replicate order over n; se the sample standard deviation
/// (divisor n - 1) over sqrt(n), NaN when n < 2; the percentiles as percentile_of_sorted.
StatisticValues replicate_statistics(std::span<const double> values);

/// The name of the statistics variable of `variable` ("skilled_workers_stats").
std::string statistics_name(std::string_view variable);

/// Adds the dimension `statistic` (if missing) and, for every variable whose first dimension is
/// `replicate` (integer or real), the real variable NAME_stats over (statistic, its other
/// dimensions), same units, long_name "statistics over replicates of: LONG_NAME". Those already
/// there are computed again. Appended after the other variables, in their order.
void add_replicate_statistics(Results& results);

/// Statistic `s` of variable `name` (one with a replicate dimension) at `cell`, the row-major
/// index into the variable's dimensions after `replicate` (0 for a (replicate) variable), read
/// from NAME_stats.
/// @throws Error if the results have no NAME_stats
double replicate_statistic(const Results& results, const std::string& name, Statistic s, std::size_t cell = 0);

} // namespace skillsim
