#include "csv.hpp"

#include <charconv>
#include <cmath>

namespace skillsim::io::csv {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

std::vector<Record> split_records(std::string_view text, const std::string& file, std::vector<Diagnostic>& problems) {
  std::vector<Record> records;
  std::size_t i = 0;
  int line = 1;
  int column = 1;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3; // a UTF-8 byte-order mark
  while (i < text.size()) {
    Record record;
    record.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      Field field;
      field.column = column;
      if (i < text.size() && text[i] == '"') {
        const int open_line = line;
        const int open_column = column;
        ++i;
        ++column;
        bool closed = false;
        while (i < text.size()) {
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field.text += '"';
              i += 2;
              column += 2;
              continue;
            }
            ++i;
            ++column;
            closed = true;
            break;
          }
          if (c == '\n') {
            ++line;
            column = 1;
          } else {
            ++column;
          }
          field.text += c;
          ++i;
        }
        if (!closed) {
          problems.push_back({file, open_line, open_column, "",
                              "a quoted field is not closed: a '\"' is missing before the end of the file"});
        } else if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          problems.push_back({file, line, column, "", "text after a closing quote: put the whole field in quotes"});
          while (i < text.size() && text[i] != ',' && text[i] != '\n') {
            field.text += text[i];
            ++i;
            ++column;
          }
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n') {
          field.text += text[i];
          ++i;
          ++column;
        }
        if (!field.text.empty() && field.text.back() == '\r') field.text.pop_back();
      }
      record.fields.push_back(std::move(field));
      if (i < text.size() && text[i] == ',') {
        ++i;
        ++column;
      } else {
        if (i < text.size() && text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        column = 1;
        end_of_record = true;
      }
    }
    const bool blank = record.fields.size() == 1 && trim(record.fields.front().text).empty();
    if (!blank) records.push_back(std::move(record));
  }
  return records;
}

std::optional<double> parse_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  double value = 0;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (*begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

} // namespace skillsim::io::csv
