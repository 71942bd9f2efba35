#include "skillsim/core/dates.hpp"

#include <charconv>
#include <string_view>

namespace skillsim {

namespace {

// `value` in at least `width` characters, zeros after any sign (as printf's "%0*d").
void append_padded(std::string& out, int value, std::size_t width) {
  char buffer[16];
  const std::string_view text(
      buffer, static_cast<std::size_t>(std::to_chars(buffer, buffer + sizeof buffer, value).ptr - buffer));
  const std::size_t sign = value < 0 ? 1 : 0;
  out += text.substr(0, sign);
  if (text.size() < width) out.append(width - text.size(), '0');
  out += text.substr(sign);
}

} // namespace

std::string iso_date(int year, int month, int day) {
  std::string out;
  append_padded(out, year, 4);
  out += '-';
  append_padded(out, month, 2);
  out += '-';
  append_padded(out, day, 2);
  return out;
}

std::string iso_date(Month month) { return iso_date(month.year(), month.month(), 1); }

} // namespace skillsim
