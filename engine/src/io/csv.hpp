// A small CSV reader shared by the io layer's data files (published statistics, parameter
// sets): RFC 4180 records with quoted fields, each field with the line and column it starts at,
// so that every problem can be reported where it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skillsim/core/errors.hpp"

namespace skillsim::io::csv {

/// One field: its text (quotes removed) and the column it starts at (1-based).
struct Field {
  std::string text;
  int column = 1;
};

/// One record: the line it starts at (1-based) and its fields.
struct Record {
  int line = 1;
  std::vector<Field> fields;
};

/// The text without leading and trailing spaces, tabs and carriage returns.
std::string trim(std::string_view s);

/// RFC 4180 records (blank lines left out, a UTF-8 byte-order mark skipped); a problem (an
/// unterminated quote, text after a closing quote) is added to `problems` at its line and column,
/// and the record is kept as far as it was read.
std::vector<Record> split_records(std::string_view text, const std::string& file, std::vector<Diagnostic>& problems);

/// A finite decimal number filling the whole string (a leading '+' allowed); nullopt otherwise.
std::optional<double> parse_number(const std::string& s);

} // namespace skillsim::io::csv
