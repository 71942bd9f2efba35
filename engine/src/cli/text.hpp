// Text for a terminal: how many columns a UTF-8 string takes.
#pragma once

#include <cstddef>
#include <string_view>

namespace skillsim::cli {

/// Columns `text` takes on a terminal, measured as fmt measures it when it pads to a width
/// ("{:<20}"): East Asian wide characters (汉字, fullwidth forms) count two, other code points
/// one. Tables size their columns with it and let fmt pad, so the two always agree.
std::size_t display_width(std::string_view text);

} // namespace skillsim::cli
