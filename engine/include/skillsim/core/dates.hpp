// ISO 8601 dates as text ("2020-01-01"): the one formatter for messages, summaries, scenario
// files and results descriptions.
#pragma once

#include <string>

#include "skillsim/core/types.hpp"

namespace skillsim {

/// "YYYY-MM-DD", zero-padded as printf's "%04d-%02d-%02d" (a year below 1000 keeps four digits).
std::string iso_date(int year, int month, int day);

/// The first day of the month: Month::of(2020, 1) -> "2020-01-01".
std::string iso_date(Month month);

} // namespace skillsim
