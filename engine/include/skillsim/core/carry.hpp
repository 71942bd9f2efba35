// Fractional amounts carried from month to month. Yearly volumes (entrants, appointment quotas)
// and monthly capacities (seats, evaluators) divided by the scale, and leakage and audit costs,
// are rarely whole numbers of agents or yuan: each month the whole units are taken and the
// fraction waits for the next month, so over a year the totals come out right. What a month
// does not use is not carried (only the fraction is).
#pragma once

#include <cstdint>

namespace skillsim {

struct Carry {
  double fraction = 0; ///< in [0, 1) between months

  /// Adds `amount` (>= 0) and takes out the whole units.
  std::int64_t take(double amount) {
    fraction += amount;
    const auto whole = static_cast<std::int64_t>(fraction);
    fraction -= static_cast<double>(whole);
    return whole;
  }

  bool operator==(const Carry&) const = default;
};

} // namespace skillsim
