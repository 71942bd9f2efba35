// Checks shared by the twin's tests: a variable's value, and the agent model's mean over
// replicates against the twin.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "skillsim/core/results.hpp"

namespace skillsim::test {

/// Variable `name` of `r` at replicate `rep`, time `t` and flat cell `k`.
inline double value(const Results& r, const std::string& name, std::size_t rep, std::size_t t, std::size_t k = 0) {
  const Variable& v = r.variable(name);
  const std::size_t times = r.dimension("time").size();
  const std::size_t per_time = v.size() / (r.dimension("replicate").size() * times);
  const std::size_t at = (rep * times + t) * per_time + k;
  return v.is_real ? v.real_data[at] : static_cast<double>(v.data[at]);
}

/// Variable `name` summed over the 12 months to `t` (t >= 12), as the `values` of
/// expect_mean_around.
inline auto yearly_total(const char* name, std::size_t t) {
  return [name, t](const Results& r, std::size_t rep, std::size_t k) {
    double total = 0;
    for (std::size_t u = t - 11; u <= t; ++u) total += value(r, name, rep, u, k);
    return total;
  };
}

/// How far the agents' mean may lie from the twin besides 4 standard errors.
struct MeanTolerance {
  double relative = 0; // of the twin's value (for what the twin approximates, e.g. near capacity)
  // Added to every allowance (4 standard errors, or the relative tolerance); where given, it is
  // also the whole allowance for rounding where the agents do not vary.
  double absolute = 0;
  // Where the agents do not vary, the twin may differ by up to 3 / replicates (the rule of
  // three: an event never seen in n replicates has a rate below 3 / n with 95% confidence).
  bool rare = false;
};

/// The agent model's mean over replicates against the twin, for `values(results, replicate, k)`
/// over k < `cells`: within 4 standard errors (or equal, where the agents do not vary), or the
/// tolerance: max(4 se, relative |twin|) + absolute. Returns the number of cells compared.
template <class Values>
int expect_mean_around(const Results& agents, const Results& twin, std::int64_t replicates, std::size_t cells,
                       Values values, const std::string& what, MeanTolerance tolerance = {}) {
  int compared = 0;
  for (std::size_t k = 0; k < cells; ++k) {
    double sum = 0, squares = 0;
    for (std::size_t rep = 0; rep < static_cast<std::size_t>(replicates); ++rep) {
      const double x = values(agents, rep, k);
      sum += x;
      squares += x * x;
    }
    const auto n = static_cast<double>(replicates);
    const double mean = sum / n, variance = std::max(0.0, (squares - n * mean * mean) / (n - 1));
    const double se = std::sqrt(variance / n), expected = values(twin, 0, k);
    // Where the agents do not vary: equal to rounding (1e-6 + 1e-9 |twin|, unless an absolute
    // allowance is given), or the rule of three.
    const double spread = se != 0                  ? 4 * se
                          : tolerance.rare         ? 3 / n
                          : tolerance.absolute > 0 ? 0.0
                                                   : 1e-6 + 1e-9 * std::abs(expected);
    const double allowed = std::max(spread, tolerance.relative * std::abs(expected)) + tolerance.absolute;
    EXPECT_LE(std::abs(mean - expected), allowed)
        << what << " [" << k << "]: agents " << mean << " twin " << expected << " (se " << se << ")";
    ++compared;
  }
  return compared;
}

} // namespace skillsim::test
