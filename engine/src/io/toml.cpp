// The wording of TOML syntax errors, shared by the readers of scenarios and sweeps (toml.hpp).
#include "toml.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

namespace skillsim::io {

std::string excerpt(std::string_view s, std::size_t limit) {
  std::string out;
  std::size_t n = s.size();
  bool cut = false;
  if (n > limit) {
    n = limit;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    cut = true;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    out += (c < 0x20 || c == 0x7F) ? ' ' : static_cast<char>(c);
  }
  if (cut) out += "...";
  return out;
}

std::string trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

namespace {

// Byte offset of a 1-based column counted in code points, as toml++ counts them.
std::size_t byte_offset(std::string_view line, int column) {
  std::size_t i = 0;
  for (int c = 1; c < column && i < line.size(); ++c) {
    ++i;
    while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

// Code points in `s` (for columns).
int code_points(std::string_view s) {
  return static_cast<int>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The header of the table a line is in: "scenario" for [scenario]; "schedule" (array) with the
// entry's index for [[schedule]]; empty above the first header.
struct Header {
  std::string name;
  bool array = false;
  std::size_t index = 0; // entry of an array of tables, counting from 0
};

Header header_before(const std::vector<std::string_view>& lines, std::size_t line) { // line: 1-based
  Header header;
  std::map<std::string, std::size_t> entries;
  for (std::size_t i = 0; i + 1 < line && i < lines.size(); ++i) {
    const std::string l = trim(lines[i]);
    const bool array = l.rfind("[[", 0) == 0;
    const auto close = l.find(array ? "]]" : "]");
    if (l.empty() || l[0] != '[' || close == std::string::npos) continue;
    std::string name = trim(std::string_view(l).substr(array ? 2 : 1, close - (array ? 2 : 1)));
    // Only bare names: the rows of a multi-line array also start with '['.
    if (name.empty() ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != std::string::npos)
      continue;
    const std::string rest = trim(std::string_view(l).substr(close + (array ? 2 : 1)));
    if (!rest.empty() && rest[0] != '#') continue;
    header = {name, array, array ? entries[name]++ : 0};
  }
  return header;
}

} // namespace

Diagnostic syntax_problem(const toml::parse_error& error, std::string_view text, const std::string& file,
                          const BareWordMessage& bare_word) {
  // toml++ counts columns after a byte-order mark, so the lines are read without it.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const int error_line = static_cast<int>(error.source().begin.line);
  const int error_column = static_cast<int>(error.source().begin.column);
  std::string_view description = error.description();
  const auto plain = [&](const std::string& message) {
    return Diagnostic{file, error_line, error_column, "", "invalid TOML: " + message};
  };
  constexpr std::string_view prefix = "Error while parsing ";
  if (description.substr(0, prefix.size()) != prefix) return plain(std::string(description));
  description.remove_prefix(prefix.size());
  const auto colon = description.find(": ");
  if (colon == std::string_view::npos) return plain(std::string(description));
  const std::string what(description.substr(0, colon));
  const std::string detail(description.substr(colon + 2));
  const auto starts = [&](std::string_view s) { return detail.rfind(s, 0) == 0; };
  std::string thing = what == "floating-point" ? "number" : what == "decimal integer" ? "integer" : what;
  thing =
      (std::string_view("aeiou").find(thing.empty() ? 'x' : thing[0]) != std::string_view::npos ? "an " : "a ") + thing;

  if (detail == "encountered end-of-file") {
    if (what == "array") return plain("the file ends inside an array (a closing ']' is missing)");
    if (what == "inline table") return plain("the file ends inside an inline table (a closing '}' is missing)");
    if (what.find("string") != std::string::npos)
      return plain("the file ends inside " + thing + " (a closing quote is missing)");
    if (what == "key-value pair" || what == "value") return plain("the file ends where a value should be");
    return plain("the file ends inside " + thing);
  }
  if (what == "key-value pair" && starts("expected value, saw ")) {
    const std::string saw = detail.substr(std::string_view("expected value, saw ").size());
    if (saw == "'\\n'" || saw == "'\\r'" || saw == "'#'") return plain("a value is missing after '='");
    return plain("unexpected " + saw + " where a value should be");
  }
  // The line of the error (without its line break), for the cases that look at the text.
  std::vector<std::string_view> lines;
  for (std::size_t begin = 0; begin <= text.size();) {
    const auto end = std::min(text.find('\n', begin), text.size());
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  if (error_line <= 0 || static_cast<std::size_t>(error_line) > lines.size())
    return plain("while reading " + thing + ": " + detail);
  std::string_view line = lines[static_cast<std::size_t>(error_line) - 1];
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

  // A basic string that runs to the end of its line (toml++: "unescaped control characters").
  if (what == "string" && starts("unescaped control characters") && byte_offset(line, error_column) >= line.size())
    return plain("a string runs to the end of the line (a closing quote is missing)");
  if (what == "key-value pair" && starts("expected a comment or whitespace, saw "))
    return plain("unexpected " + detail.substr(std::string_view("expected a comment or whitespace, saw ").size()) +
                 " after the value (one key = value a line; arrays are written [a, b, ...])");

  const bool is_bare_word = what == "boolean" ||
                            (what == "floating-point" && (starts("expected 'nan'") || starts("expected 'inf'"))) ||
                            (what == "value" && detail == "could not determine value type");
  if (!is_bare_word) return plain("while reading " + thing + ": " + detail);

  // The word: the run of characters around the error's column up to a delimiter.
  const std::size_t at = std::min(byte_offset(line, error_column), line.empty() ? 0 : line.size() - 1);
  constexpr std::string_view before = " \t=[{,", after = " \t\r,]}#";
  std::size_t first = at, last = at;
  while (first > 0 && before.find(line[first - 1]) == std::string_view::npos) --first;
  while (last < line.size() && after.find(line[last]) == std::string_view::npos) ++last;
  const std::string_view word = line.substr(first, last - first);
  if (word.empty()) return plain("while reading " + thing + ": " + detail);
  const auto lead = static_cast<unsigned char>(word[0]);
  if (!std::isalnum(lead) && lead < 0x80 && std::string_view("+-._").find(word[0]) == std::string_view::npos)
    return plain("unexpected '" + excerpt(word, 20) + "' where a value should be");
  const int word_column = code_points(line.substr(0, first)) + 1;
  const Diagnostic generic{file, error_line, word_column, "",
                           "invalid TOML: '" + excerpt(word) + "' is not a value (write text in quotes: \"" +
                               excerpt(word) + "\"; numbers, dates such as 2020-01-01, true and false without)"};

  // The key it is the value of: "key = word" or "key = [..., word" on the same line.
  std::size_t k = first;
  while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t')) --k;
  const bool in_array = k > 0 && (line[k - 1] == '[' || line[k - 1] == ',');
  if (in_array) k = line.rfind('=', k - 1) + 1; // npos + 1 == 0: no key on this line
  if (k == 0 || line[k - 1] != '=' || !bare_word) return generic;
  --k;
  while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t')) --k;
  std::string key;
  std::size_t start = k;
  if (k > 1 && line[k - 1] == '"') {
    const auto open = line.rfind('"', k - 2);
    if (open != std::string_view::npos) {
      key = std::string(line.substr(open + 1, k - open - 2));
      start = open;
    }
  } else {
    while (start > 0 && (std::isalnum(static_cast<unsigned char>(line[start - 1])) || line[start - 1] == '_' ||
                         line[start - 1] == '-' || line[start - 1] == '.'))
      --start;
    key = std::string(line.substr(start, k - start));
  }
  while (start > 0 && (line[start - 1] == ' ' || line[start - 1] == '\t')) --start;
  const bool in_inline_table = !in_array && start > 0 && (line[start - 1] == '{' || line[start - 1] == ',');
  const Header header = header_before(lines, static_cast<std::size_t>(error_line));
  const auto said = bare_word(BareWord{header.name, header.array, header.index, key, in_array, in_inline_table, word});
  if (!said) return generic;
  return Diagnostic{file, error_line, word_column, said->first, said->second};
}

} // namespace skillsim::io
