#include "text.hpp"

#include <fmt/format.h>

namespace skillsim::cli {

std::size_t display_width(std::string_view text) {
  // fmt 9 has no public call for its width estimate, so ask it to pad to a width the text cannot
  // reach (at most two columns a byte) and subtract the padding it added.
  const std::size_t target = 2 * text.size() + 1;
  const std::size_t padding = fmt::formatted_size("{:<{}}", text, target) - text.size();
  return target - padding;
}

} // namespace skillsim::cli
