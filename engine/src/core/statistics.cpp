#include "skillsim/core/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "skillsim/core/errors.hpp"

namespace skillsim {

namespace {

constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
// Below this many values a variable's statistics are computed on one thread (not worth a team).
constexpr std::size_t kParallelMinValues = std::size_t{1} << 16;

/// replicate_statistics with a buffer for the sorted copy (kept across cells).
StatisticValues statistics_of(std::span<const double> values, std::vector<double>& sorted) {
  StatisticValues out;
  out.fill(kUndefined);
  sorted.clear();
  double sum = 0;
  for (const double x : values) {
    if (std::isnan(x)) continue;
    sorted.push_back(x);
    sum += x; // in replicate order
  }
  const std::size_t n = sorted.size();
  if (n == 0) return out;
  const double mean = sum / static_cast<double>(n);
  out[static_cast<std::size_t>(Statistic::Mean)] = mean;
  if (n > 1) {
    double squares = 0;
    for (const double x : sorted) squares += (x - mean) * (x - mean); // still in replicate order
    const double sd = std::sqrt(squares / static_cast<double>(n - 1));
    out[static_cast<std::size_t>(Statistic::Se)] = sd / std::sqrt(static_cast<double>(n));
  }
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t k = 0; k < kStatisticPercentiles.size(); ++k)
    out[static_cast<std::size_t>(Statistic::P5) + k] = percentile_of_sorted(sorted, kStatisticPercentiles[k]);
  return out;
}

Dimension statistic_dimension() {
  Dimension d;
  d.name = std::string(kStatisticDimension);
  d.labels.assign(kStatisticIds.begin(), kStatisticIds.end());
  d.labels_zh.assign(kStatisticLabelsZh.begin(), kStatisticLabelsZh.end());
  d.attributes = {{"long_name", "statistic over replicates: mean; se, the standard error of the mean (sample "
                                "standard deviation / sqrt(n)); p5 .. p95, percentiles (linear interpolation, as "
                                "numpy.percentile); NaN values skipped"}};
  return d;
}

/// The statistics of `v` (first dimension replicate, `replicates` of them) over (statistic,
/// the other dimensions), row-major.
std::vector<double> statistics_data(const Variable& v, std::size_t replicates) {
  const std::size_t cells = replicates == 0 ? 0 : v.size() / replicates;
  std::vector<double> out(kStatisticCount * cells, kUndefined);
  const auto count = static_cast<std::int64_t>(cells);
#pragma omp parallel if (cells * replicates >= kParallelMinValues)
  {
    std::vector<double> values(replicates), sorted;
    sorted.reserve(replicates);
#pragma omp for schedule(static)
    for (std::int64_t c = 0; c < count; ++c) {
      const auto cell = static_cast<std::size_t>(c);
      for (std::size_t rep = 0; rep < replicates; ++rep)
        values[rep] = v.is_real ? v.real_data[rep * cells + cell] : static_cast<double>(v.data[rep * cells + cell]);
      const StatisticValues s = statistics_of(values, sorted);
      for (std::size_t k = 0; k < kStatisticCount; ++k) out[k * cells + cell] = s[k];
    }
  }
  return out;
}

} // namespace

double percentile_of_sorted(std::span<const double> sorted, double percent) {
  if (sorted.empty()) return kUndefined;
  // numpy: virtual index (n - 1) * q with q = percent / 100; the order statistics below and
  // above it; _lerp(a, b, g) = a + (b - a) * g, or b - (b - a) * (1 - g) when g >= 0.5.
  const double q = percent / 100;
  const double position = static_cast<double>(sorted.size() - 1) * q;
  const double below = std::floor(position);
  const double g = position - below;
  const auto i = static_cast<std::size_t>(below);
  const double a = sorted[i], b = sorted[std::min(i + 1, sorted.size() - 1)];
  const double difference = b - a;
  return g >= 0.5 ? b - difference * (1 - g) : a + difference * g;
}

StatisticValues replicate_statistics(std::span<const double> values) {
  std::vector<double> sorted;
  sorted.reserve(values.size());
  return statistics_of(values, sorted);
}

std::string statistics_name(std::string_view variable) {
  return std::string(variable) + std::string(kStatisticsSuffix);
}

void add_replicate_statistics(Results& results) {
  const auto has_dimension = [&](std::string_view name) {
    return std::any_of(results.dimensions.begin(), results.dimensions.end(),
                       [&](const Dimension& d) { return d.name == name; });
  };
  if (!has_dimension("replicate")) return;
  const std::size_t replicates = results.dimension("replicate").size();
  if (!has_dimension(kStatisticDimension)) results.dimensions.push_back(statistic_dimension());

  const std::size_t variables = results.variables.size();
  for (std::size_t i = 0; i < variables; ++i) {
    if (results.variables[i].dims.empty() || results.variables[i].dims[0] != "replicate") continue;
    Variable stats;
    {
      const Variable& v = results.variables[i]; // not held across the push_back below
      stats.name = statistics_name(v.name);
      stats.dims = v.dims;
      stats.dims[0] = std::string(kStatisticDimension);
      stats.units = v.units;
      stats.long_name = "statistics over replicates of: " + (v.long_name.empty() ? v.name : v.long_name);
      stats.is_real = true;
      stats.real_data = statistics_data(v, replicates);
    }
    if (results.has_variable(stats.name)) {
      results.variable(stats.name) = std::move(stats);
    } else {
      results.variables.push_back(std::move(stats));
    }
  }
}

double replicate_statistic(const Results& results, const std::string& name, Statistic s, std::size_t cell) {
  const Variable& stats = results.variable(statistics_name(name));
  const std::size_t cells = stats.real_data.size() / kStatisticCount;
  if (cell >= cells)
    throw Error("cell " + std::to_string(cell) + " of '" + stats.name + "' is out of range (" + std::to_string(cells) +
                " cells)");
  return stats.real_data[static_cast<std::size_t>(s) * cells + cell];
}

} // namespace skillsim
