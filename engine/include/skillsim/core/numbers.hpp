// Numbers as people read them in messages and tables.
#pragma once

#include <cstdint>
#include <string>

namespace skillsim {

/// Digits grouped by thousands: 23290613999 -> "23,290,613,999", -4320 -> "-4,320".
std::string thousands(std::int64_t value);

} // namespace skillsim
