// Reading scenarios from TOML. The embedded defaults are read first, then the scenario file, then
// the --set overrides; every value read remembers where it came from (file, line, column), so
// that the registry's checks, which only know key paths, can be reported at the right place.
#include "skillsim/io/scenario_toml.hpp"

#include "toml.hpp" // toml++ with the workarounds for its bugs (read there)

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "csv.hpp"
#include "skillsim/core/dates.hpp"

namespace skillsim::io {

namespace detail {
std::string_view embedded_defaults_toml(); // generated at build time from data/defaults.toml
} // namespace detail

namespace {

const std::string kDefaultsName = "<defaults>";
const std::string kSetName = "--set";

// ----------------------------------------------------------------------------------------------
// Small text helpers

// Shortest text that reads back as `v`: plain decimals for ordinary magnitudes (0.0003 and
// 900000000, not 3e-04 and 9e+08), exponents only for the very small and very large.
std::string number_text(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buffer[64];
  const double magnitude = std::fabs(v);
  const bool plain = v == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
  const auto result = plain ? std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed)
                            : std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

// A TOML float as written: 3.0 stays "3.0", so that it reads as floating-point in messages.
std::string float_text(double v) {
  std::string text = number_text(v);
  if (text.find_first_not_of("-0123456789") == std::string::npos) text += ".0";
  return text;
}

std::string date_text(int year, int month, int day) { return iso_date(year, month, day); }

std::string month_text(Month m) { return iso_date(m); }

const char* flag_text(bool v) { return v ? "true" : "false"; }

// The TOML type of a node, with its value when it is short, e.g. "floating-point 1.5".
std::string describe(const toml::node& node) {
  std::ostringstream out;
  switch (node.type()) {
  case toml::node_type::string:
    return "string \"" + excerpt(node.as_string()->get()) + "\"";
  case toml::node_type::integer:
    return "integer " + std::to_string(node.as_integer()->get());
  case toml::node_type::floating_point:
    return "floating-point " + float_text(node.as_floating_point()->get());
  case toml::node_type::boolean:
    return node.as_boolean()->get() ? "boolean true" : "boolean false";
  case toml::node_type::date:
    out << "date " << node.as_date()->get();
    return out.str();
  case toml::node_type::time:
    out << "time " << node.as_time()->get();
    return out.str();
  case toml::node_type::date_time:
    out << "date-time " << node.as_date_time()->get();
    return out.str();
  case toml::node_type::array:
    return "array";
  case toml::node_type::table:
    return "table";
  case toml::node_type::none:
    break;
  }
  return "nothing";
}

// Names within `limit` edits of `name`, best first.
std::vector<std::string> closest(std::string_view name, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d <= limit) scored.emplace_back(d, c);
  }
  std::stable_sort(scored.begin(), scored.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& s : scored) out.push_back(s.second);
  return out;
}

// Same wording as Scenario::check_schedule_and_targets.
std::string unknown_parameter_message(const std::string& key) {
  std::string message = "no parameter named '" + excerpt(key, 80) + "'";
  const auto suggestions = suggest_parameters(key);
  if (!suggestions.empty()) message += "; did you mean '" + std::string(suggestions.front()) + "'?";
  return message;
}

std::string not_schedulable_message(const std::string& key) {
  return "'" + key + "' is fixed for the whole run and cannot be scheduled";
}

// Section names of the registry ("scenario", "run", ...), in registry order.
const std::vector<std::string>& section_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& spec : parameter_specs()) {
      std::string section(spec.key.substr(0, spec.key.find('.')));
      if (std::find(out.begin(), out.end(), section) == out.end()) out.push_back(section);
    }
    return out;
  }();
  return names;
}

bool is_section(std::string_view name) {
  const auto& names = section_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// ----------------------------------------------------------------------------------------------
// Where values came from

struct Loc {
  std::string file;
  int line = 0;
  int column = 0;
};

using LocMap = std::map<std::string, Loc, std::less<>>;

Loc position(const toml::source_region& region, const std::string& file) {
  return {file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

// Removes `key` and its elements ("key[...]") from the map.
void erase_key(LocMap& locs, const std::string& key) {
  locs.erase(key);
  const std::string prefix = key + "[";
  auto it = locs.lower_bound(prefix);
  while (it != locs.end() && it->first.compare(0, prefix.size(), prefix) == 0) it = locs.erase(it);
}

// The location of `path`, or of the closest enclosing path recorded ("a.b[3][2]" -> "a.b[3]" ->
// "a.b" -> "a").
std::optional<Loc> lookup(const LocMap& locs, std::string path) {
  while (!path.empty()) {
    if (auto it = locs.find(path); it != locs.end()) return it->second;
    if (path.back() == ']') {
      const auto open = path.rfind('[');
      if (open == std::string::npos) return std::nullopt;
      path.resize(open);
    } else {
      const auto dot = path.rfind('.');
      if (dot == std::string::npos) return std::nullopt;
      path.resize(dot);
    }
  }
  return std::nullopt;
}

// The parameter key of an issue path: "skills.pass_probability[3]" -> "skills.pass_probability".
std::string base_key(const std::string& path) { return path.substr(0, path.find('[')); }

// ----------------------------------------------------------------------------------------------
// Text that is no TOML value at all

// What a value of `spec` looks like, in the registry's words (kind, unit, dimension), for text
// that cannot be read as a value: "an integer (months)", "an array of numbers (probability), one
// per level, written [0.5, 1, ...]".
std::string expected_phrase(const ParameterSpec& spec) {
  const auto dim_name = [](Dim dim) {
    const std::string d = dim_description(dim);
    return d.substr(0, d.find(" ("));
  };
  const std::string unit = spec.unit.empty() ? "" : " (" + std::string(spec.unit) + ")";
  const std::string per = spec.dim == Dim::None ? "" : ", one per " + dim_name(spec.dim);
  const std::string rows =
      spec.dim == Dim::None ? ""
                            : ", one row per " + dim_name(spec.dim) + " with one value per " + dim_name(spec.col_dim);
  switch (spec.kind) {
  case ValueKind::Real:
    return "a number" + unit;
  case ValueKind::Integer:
    return "an integer" + unit;
  case ValueKind::Month:
    return "a date such as 2020-01-01 (the first day of a month)";
  case ValueKind::String:
    return "a string";
  case ValueKind::StringList:
    return "an array of strings" + per + ", written [\"a\", \"b\", ...]";
  case ValueKind::RealVector:
    return "an array of numbers" + unit + per + ", written [0.5, 1, ...]";
  case ValueKind::IntegerVector:
    return "an array of integers" + unit + per + ", written [1, 2, ...]";
  case ValueKind::FlagVector:
    return "an array of booleans" + per + ", written [true, false, ...]";
  case ValueKind::RealMatrix:
    return "an array of arrays of numbers" + unit + rows + ", written [[0.5, 1, ...], [0.5, 1, ...], ...]";
  case ValueKind::FlagMatrix:
    return "an array of arrays of booleans" + rows + ", written [[true, false, ...], [false, true, ...], ...]";
  }
  return std::string(kind_name(spec.kind));
}

// "expected an integer (months), got 'ten'": the message for text of `spec` that is no value.
std::string unreadable_value_message(const ParameterSpec& spec, std::string_view text) {
  std::string message = "expected " + expected_phrase(spec) + ", got '" + excerpt(text, 80) + "'";
  if (spec.kind == ValueKind::String) message += " (write text in quotes: \"" + excerpt(text, 80) + "\")";
  if (spec.kind == ValueKind::StringList) message += " (write each name in quotes)";
  return message;
}

// What a scenario says about an unquoted word where a value goes (syntax_problem): under the
// parameter's key, with the --set wording, when the key names one (also in [[schedule]] set
// tables, and for the elements of arrays).
std::optional<std::pair<std::string, std::string>> scenario_bare_word(const BareWord& at) {
  const std::string_view word = at.word;
  std::string path;
  const ParameterSpec* spec = nullptr;
  if (at.array_of_tables && at.table == "schedule") {
    spec = find_parameter(at.key);
    path = "schedule[" + std::to_string(at.entry) + "].set." + at.key;
  } else if (!at.array_of_tables) {
    path = at.table.empty() ? at.key : at.table + "." + at.key;
    spec = find_parameter(path);
  }
  if (spec == nullptr) return std::nullopt;
  std::string message;
  if (!at.in_array) {
    message = unreadable_value_message(*spec, word);
  } else { // an element: say what an element is
    switch (spec->kind) {
    case ValueKind::StringList:
      message = "expected a string in the array, got '" + excerpt(word) + "' (write text in quotes: \"" +
                excerpt(word) + "\")";
      break;
    case ValueKind::IntegerVector:
      message = "expected an integer in the array, got '" + excerpt(word) + "'";
      break;
    case ValueKind::FlagVector:
    case ValueKind::FlagMatrix:
      message = "expected true or false (or 1 or 0) in the array, got '" + excerpt(word) + "'";
      break;
    case ValueKind::RealVector:
    case ValueKind::RealMatrix:
      message = "expected a number in the array, got '" + excerpt(word) + "'";
      break;
    default:
      message = unreadable_value_message(*spec, word);
    }
  }
  return std::pair{path, message};
}

// ----------------------------------------------------------------------------------------------
// The reader: applies documents and overrides to a Parameters object, collecting every problem.

struct Source {
  std::string file; // name used in diagnostics
  bool positions;   // do the TOML nodes carry meaningful positions (false for --set)?
};

class Reader {
public:
  Reader(Parameters& p, LocMap& locs) : p_(p), locs_(locs) {}

  std::vector<Diagnostic> diagnostics;
  std::set<std::string> assigned;   // parameter keys set by the documents read
  std::set<std::string> failed;     // parameter keys whose value was rejected (no follow-on checks)
  std::set<std::string> overridden; // parameter keys named by --set (whether or not the value was good)
  std::vector<ScheduledChange> schedule;
  std::vector<std::size_t> schedule_entry; // [[schedule]] entry of each change
  std::vector<Target> targets;
  std::vector<std::size_t> target_entry; // [[targets]] entry of each target

  void read_document(const toml::table& root, const Source& src, bool allow_schedule);
  void apply_override(const std::string& text);

private:
  Loc at(const toml::node& node, const Source& src) const {
    return src.positions ? position(node.source(), src.file) : Loc{src.file, 0, 0};
  }
  Loc at(const toml::key& key, const Source& src) const {
    return src.positions ? position(key.source(), src.file) : Loc{src.file, 0, 0};
  }
  void report(const Loc& loc, std::string key, std::string message) {
    diagnostics.push_back({loc.file, loc.line, loc.column, std::move(key), std::move(message)});
  }

  void read_section(const std::string& section, const toml::table& table, const Source& src);
  void read_parameter(const ParameterSpec& spec, const toml::node& node, const Loc& key_loc, const Source& src);
  void read_schedule(const toml::node& node, const Source& src);
  void read_targets(const toml::node& node, const Source& src);
  void report_unknown_top_level(const std::string& name, const toml::node& node, const Loc& loc, bool allow_schedule);

  // Converts a node to a value of the spec's kind; reports problems under `path` and records
  // the positions of array elements in `elements`.
  std::optional<Value> convert(const toml::node& node, const ParameterSpec& spec, const std::string& path,
                               const Source& src, std::vector<std::pair<std::string, Loc>>& elements);
  std::optional<double> number(const toml::node& node, const std::string& path, const Source& src);
  std::optional<std::int64_t> integer(const toml::node& node, const std::string& path, const Source& src);
  std::optional<std::uint8_t> flag(const toml::node& node, const std::string& path, const Source& src);
  std::optional<Month> month(const toml::node& node, const std::string& path, const Source& src);

  // An array (or an array of rows) whose elements `element` reads; every bad element is reported.
  template <class T, class Element>
  std::optional<Value> vector_of(const toml::array& array, const std::string& path, const Source& src,
                                 std::vector<std::pair<std::string, Loc>>& elements, Element element);
  template <class M, class Element>
  std::optional<Value> matrix_of(const toml::array& rows, const std::string& path, const Source& src,
                                 std::vector<std::pair<std::string, Loc>>& elements, Element element,
                                 const char* element_kind);

  Parameters& p_;
  LocMap& locs_;
};

std::optional<double> Reader::number(const toml::node& node, const std::string& path, const Source& src) {
  if (const auto* v = node.as_floating_point()) return v->get();
  if (const auto* v = node.as_integer()) return static_cast<double>(v->get());
  report(at(node, src), path, "expected number, got " + describe(node));
  return std::nullopt;
}

// Elements of integer arrays are TOML integers, or floating-point numbers with a whole value
// (3.0): these columns were arrays of numbers once, and NumPy writes its float arrays so.
std::optional<std::int64_t> Reader::integer(const toml::node& node, const std::string& path, const Source& src) {
  if (const auto* v = node.as_integer()) return v->get();
  if (const auto* v = node.as_floating_point();
      v != nullptr && v->get() == std::floor(v->get()) && std::fabs(v->get()) < 9.2e18)
    return static_cast<std::int64_t>(v->get());
  report(at(node, src), path, "expected integer, got " + describe(node));
  return std::nullopt;
}

// Flags are true and false, or 1 and 0 (as files wrote them before flags had a kind; 1.0 and
// 0.0 too, for the same reason as whole numbers above).
std::optional<std::uint8_t> Reader::flag(const toml::node& node, const std::string& path, const Source& src) {
  if (const auto* v = node.as_boolean()) return static_cast<std::uint8_t>(v->get() ? 1 : 0);
  if (const auto* v = node.as_integer(); v != nullptr && (v->get() == 0 || v->get() == 1))
    return static_cast<std::uint8_t>(v->get());
  if (const auto* v = node.as_floating_point(); v != nullptr && (v->get() == 0 || v->get() == 1))
    return static_cast<std::uint8_t>(v->get() == 1 ? 1 : 0);
  report(at(node, src), path, "expected true or false (or 1 or 0), got " + describe(node));
  return std::nullopt;
}

template <class T, class Element>
std::optional<Value> Reader::vector_of(const toml::array& array, const std::string& path, const Source& src,
                                       std::vector<std::pair<std::string, Loc>>& elements, Element element) {
  T out;
  bool ok = true;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const toml::node& e = array[i];
    const std::string element_path = path + "[" + std::to_string(i) + "]";
    elements.emplace_back(element_path, at(e, src));
    if (auto v = (this->*element)(e, element_path, src))
      out.push_back(*v);
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return Value{std::move(out)};
}

template <class M, class Element>
std::optional<Value> Reader::matrix_of(const toml::array& rows, const std::string& path, const Source& src,
                                       std::vector<std::pair<std::string, Loc>>& elements, Element element,
                                       const char* element_kind) {
  M out;
  bool ok = true;
  std::optional<std::size_t> width;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const toml::node& row_node = rows[r];
    const std::string row_path = path + "[" + std::to_string(r) + "]";
    elements.emplace_back(row_path, at(row_node, src));
    const auto* row = row_node.as_array();
    if (row == nullptr) {
      report(at(row_node, src), row_path,
             std::string("expected an array of ") + element_kind + " (one row), got " + describe(row_node));
      ok = false;
      continue;
    }
    if (!width) {
      width = row->size();
    } else if (row->size() != *width) {
      report(at(row_node, src), row_path,
             "rows must all have the same length: row 0 has " + std::to_string(*width) + " values, row " +
                 std::to_string(r) + " has " + std::to_string(row->size()));
      ok = false;
      continue;
    }
    for (std::size_t c = 0; c < row->size(); ++c) {
      const toml::node& e = (*row)[c];
      const std::string element_path = row_path + "[" + std::to_string(c) + "]";
      elements.emplace_back(element_path, at(e, src));
      if (auto v = (this->*element)(e, element_path, src))
        out.values.push_back(*v);
      else
        ok = false;
    }
  }
  if (!ok) return std::nullopt;
  out.rows = static_cast<int>(rows.size());
  out.cols = static_cast<int>(width.value_or(0));
  return Value{std::move(out)};
}

std::optional<Month> Reader::month(const toml::node& node, const std::string& path, const Source& src) {
  if (const auto* v = node.as_date()) {
    const toml::date& d = v->get();
    if (d.day != 1) {
      report(at(node, src), path, "dates must be the first day of a month, got " + date_text(d.year, d.month, d.day));
      return std::nullopt;
    }
    return Month::of(d.year, d.month);
  }
  std::string message = "expected a date such as 2020-01-01, got " + describe(node);
  if (node.is_string()) message += " (write dates without quotes)";
  report(at(node, src), path, message);
  return std::nullopt;
}

std::optional<Value> Reader::convert(const toml::node& node, const ParameterSpec& spec, const std::string& path,
                                     const Source& src, std::vector<std::pair<std::string, Loc>>& elements) {
  const auto expected = [&] {
    report(at(node, src), path, "expected " + std::string(kind_name(spec.kind)) + ", got " + describe(node));
    return std::nullopt;
  };
  switch (spec.kind) {
  case ValueKind::Real:
    if (!node.is_number()) return expected();
    return Value{*number(node, path, src)};
  case ValueKind::Integer:
    if (const auto* v = node.as_integer()) return Value{v->get()};
    return expected();
  case ValueKind::Month:
    if (auto m = month(node, path, src)) return Value{*m};
    return std::nullopt;
  case ValueKind::String:
    if (const auto* v = node.as_string()) return Value{v->get()};
    return expected();
  case ValueKind::StringList: {
    const auto* array = node.as_array();
    if (array == nullptr) return expected();
    std::vector<std::string> out;
    bool ok = true;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = (*array)[i];
      const std::string element_path = path + "[" + std::to_string(i) + "]";
      elements.emplace_back(element_path, at(element, src));
      if (const auto* s = element.as_string()) {
        out.push_back(s->get());
      } else {
        report(at(element, src), element_path, "expected string, got " + describe(element));
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return Value{std::move(out)};
  }
  case ValueKind::RealVector:
    if (const auto* array = node.as_array())
      return vector_of<std::vector<double>>(*array, path, src, elements, &Reader::number);
    return expected();
  case ValueKind::IntegerVector:
    if (const auto* array = node.as_array())
      return vector_of<std::vector<std::int64_t>>(*array, path, src, elements, &Reader::integer);
    return expected();
  case ValueKind::FlagVector:
    if (const auto* array = node.as_array())
      return vector_of<std::vector<std::uint8_t>>(*array, path, src, elements, &Reader::flag);
    return expected();
  case ValueKind::RealMatrix:
    if (const auto* rows = node.as_array())
      return matrix_of<RealMatrix>(*rows, path, src, elements, &Reader::number, "numbers");
    return expected();
  case ValueKind::FlagMatrix:
    if (const auto* rows = node.as_array())
      return matrix_of<FlagMatrix>(*rows, path, src, elements, &Reader::flag, "booleans");
    return expected();
  }
  return expected();
}

void Reader::read_parameter(const ParameterSpec& spec, const toml::node& node, const Loc& key_loc, const Source& src) {
  const std::string key(spec.key);
  std::vector<std::pair<std::string, Loc>> elements;
  auto value = convert(node, spec, key, src, elements);
  erase_key(locs_, key);
  // The value's own position (the key's if the value has none, as in --set).
  Loc loc = at(node, src);
  if (loc.line == 0) loc = key_loc;
  locs_[key] = loc;
  if (!value) {
    failed.insert(key);
    return;
  }
  failed.erase(key);
  for (auto& [path, element_loc] : elements) locs_[path] = element_loc;
  if (auto error = set_value(p_, spec, *value)) { // cannot happen: convert() matched the kind
    report(loc, key, *error);
    failed.insert(key);
    return;
  }
  assigned.insert(key);
}

void Reader::read_section(const std::string& section, const toml::table& table, const Source& src) {
  for (auto&& [k, node] : table) {
    const std::string key = section + "." + std::string(k.str());
    const Loc key_loc = at(k, src);
    const ParameterSpec* spec = find_parameter(key);
    if (spec == nullptr) {
      report(key_loc, key, unknown_parameter_message(key));
      continue;
    }
    read_parameter(*spec, node, key_loc, src);
  }
}

void Reader::report_unknown_top_level(const std::string& name, const toml::node& node, const Loc& loc,
                                      bool allow_schedule) {
  std::vector<std::string> candidates = section_names();
  if (allow_schedule) {
    candidates.push_back("schedule");
    candidates.push_back("targets");
  }
  const auto display = [](const std::string& section) {
    return section == "schedule" || section == "targets" ? "[[" + section + "]]" : "[" + section + "]";
  };
  const auto sections = closest(name, candidates);
  if (node.is_table()) {
    std::string message = "unknown section [" + excerpt(name) + "]";
    if (!sections.empty()) {
      message += "; did you mean " + display(sections.front()) + "?";
    } else {
      message += "; the sections are ";
      for (std::size_t i = 0; i < candidates.size(); ++i) message += (i ? ", " : "") + display(candidates[i]);
    }
    report(loc, name, message);
    return;
  }
  if (find_parameter(name) != nullptr) {
    const auto dot = name.find('.');
    report(loc, name,
           "a quoted dotted key names no parameter; write " + name + " without quotes, or " + name.substr(dot + 1) +
               " under [" + name.substr(0, dot) + "]");
    return;
  }
  if (suggest_parameters(name).empty() && !sections.empty()) {
    report(loc, name, "unknown key '" + excerpt(name) + "'; did you mean " + display(sections.front()) + "?");
    return;
  }
  report(loc, name, unknown_parameter_message(name));
}

void Reader::read_document(const toml::table& root, const Source& src, bool allow_schedule) {
  for (auto&& [k, node] : root) {
    const std::string name(k.str());
    const Loc loc = at(k, src);
    if (allow_schedule && name == "schedule") {
      read_schedule(node, src);
    } else if (allow_schedule && name == "targets") {
      read_targets(node, src);
    } else if (is_section(name)) {
      if (const auto* table = node.as_table())
        read_section(name, *table, src);
      else
        report(loc, name, "expected a section [" + name + "] (a table), got " + describe(node));
    } else {
      report_unknown_top_level(name, node, loc, allow_schedule);
    }
  }
}

// Flattens nested tables into dotted keys: { labour = { x = 1 } } -> ("labour.x", 1).
void flatten(const toml::table& table, const std::string& prefix,
             std::vector<std::tuple<std::string, const toml::key*, const toml::node*>>& out) {
  for (auto&& [k, node] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* inner = node.as_table())
      flatten(*inner, key, out);
    else
      out.emplace_back(key, &k, &node);
  }
}

void Reader::read_schedule(const toml::node& node, const Source& src) {
  const auto* entries = node.as_array();
  if (entries == nullptr) {
    report(at(node, src), "schedule", "expected [[schedule]] entries (an array of tables), got " + describe(node));
    return;
  }
  for (std::size_t e = 0; e < entries->size(); ++e) {
    const toml::node& entry_node = (*entries)[e];
    const std::string where = "schedule[" + std::to_string(e) + "]";
    locs_[where] = at(entry_node, src);
    const auto* entry = entry_node.as_table();
    if (entry == nullptr) {
      report(at(entry_node, src), where,
             "expected a table with 'date' and 'set' ([[schedule]] entry), got " + describe(entry_node));
      continue;
    }
    for (auto&& [k, value] : *entry) {
      const std::string name(k.str());
      if (name == "date" || name == "set") continue;
      std::string message = "unknown key '" + excerpt(name) + "' in a [[schedule]] entry (it takes 'date' and 'set')";
      if (auto near = closest(name, {"date", "set"}); !near.empty())
        message += "; did you mean '" + near.front() + "'?";
      report(at(k, src), where + "." + name, message);
    }
    std::optional<Month> when;
    if (const toml::node* date = entry->get("date")) {
      locs_[where + ".date"] = at(*date, src);
      when = month(*date, where + ".date", src);
    } else {
      report(at(entry_node, src), where, "missing 'date' (the first day of the month the change takes effect)");
    }
    const toml::node* set_node = entry->get("set");
    if (set_node == nullptr) {
      report(at(entry_node, src), where,
             "missing 'set' (the parameters to change, e.g. set = { \"labour.job_loss_multiplier\" = 2.5 })");
      continue;
    }
    const auto* set = set_node->as_table();
    if (set == nullptr) {
      report(at(*set_node, src), where + ".set",
             "expected a table of parameters, such as { \"labour.job_loss_multiplier\" = 2.5 }, got " +
                 describe(*set_node));
      continue;
    }
    std::vector<std::tuple<std::string, const toml::key*, const toml::node*>> changes;
    flatten(*set, "", changes);
    if (changes.empty()) report(at(*set_node, src), where + ".set", "sets no parameter");
    std::set<std::string> seen;
    for (const auto& [key, k, value] : changes) {
      const std::string path = where + ".set." + key;
      const Loc loc = at(*value, src);
      locs_[path] = loc;
      if (!seen.insert(key).second) {
        report(loc, path, "'" + excerpt(key, 80) + "' is set twice in the same entry");
        continue;
      }
      const ParameterSpec* spec = find_parameter(key);
      if (spec == nullptr) {
        report(at(*k, src), path, unknown_parameter_message(key));
        continue;
      }
      if (!spec->schedulable) {
        report(at(*k, src), path, not_schedulable_message(key));
        continue;
      }
      std::vector<std::pair<std::string, Loc>> elements;
      auto converted = convert(*value, *spec, path, src, elements);
      for (auto& [element_path, element_loc] : elements) locs_[element_path] = element_loc;
      if (!converted || !when) continue;
      schedule.push_back({*when, key, std::move(*converted)});
      schedule_entry.push_back(e);
    }
  }
}

void Reader::read_targets(const toml::node& node, const Source& src) {
  const auto* entries = node.as_array();
  if (entries == nullptr) {
    report(at(node, src), "targets", "expected [[targets]] entries (an array of tables), got " + describe(node));
    return;
  }
  std::vector<std::string> series_ids(kTargetSeriesIds.begin(), kTargetSeriesIds.end());
  std::string series_list;
  for (std::size_t i = 0; i < series_ids.size(); ++i) series_list += (i ? ", " : "") + series_ids[i];
  for (std::size_t e = 0; e < entries->size(); ++e) {
    const toml::node& entry_node = (*entries)[e];
    const std::string where = "targets[" + std::to_string(e) + "]";
    locs_[where] = at(entry_node, src);
    const auto* entry = entry_node.as_table();
    if (entry == nullptr) {
      report(at(entry_node, src), where,
             "expected a table with 'series', 'date' and 'value' ([[targets]] entry), got " + describe(entry_node));
      continue;
    }
    bool ok = true;
    for (auto&& [k, value] : *entry) {
      const std::string name(k.str());
      const std::vector<std::string> known = {"series", "date", "value", "label", "level", "programme", "trajectory"};
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      std::string message = "unknown key '" + excerpt(name) +
                            "' in a [[targets]] entry (it takes 'series', 'date', 'value', 'label', 'level', "
                            "'programme' and 'trajectory')";
      if (auto near = closest(name, known); !near.empty()) message += "; did you mean '" + near.front() + "'?";
      report(at(k, src), where + "." + name, message);
    }
    const auto required = [&](const char* name, const char* what) -> const toml::node* {
      const toml::node* n = entry->get(name);
      if (n == nullptr) {
        report(at(entry_node, src), where, std::string("missing '") + name + "' (" + what + ")");
        ok = false;
      } else {
        locs_[where + "." + name] = at(*n, src);
      }
      return n;
    };
    Target target;
    if (const toml::node* series = required("series", ("one of " + series_list).c_str())) {
      const auto* s = series->as_string();
      const auto found = s ? std::find(series_ids.begin(), series_ids.end(), s->get()) : series_ids.end();
      if (s == nullptr) {
        report(at(*series, src), where + ".series", "expected string, got " + describe(*series));
        ok = false;
      } else if (found == series_ids.end()) {
        std::string message = "unknown series '" + excerpt(s->get()) + "'";
        if (auto near = closest(s->get(), series_ids); !near.empty())
          message += "; did you mean '" + near.front() + "'?";
        report(at(*series, src), where + ".series", message + " (series: " + series_list + ")");
        ok = false;
      } else {
        target.series = static_cast<TargetSeries>(found - series_ids.begin());
      }
    }
    if (const toml::node* date = required("date", "the first day of the month the target is due")) {
      if (auto m = month(*date, where + ".date", src))
        target.month = *m;
      else
        ok = false;
    }
    if (const toml::node* value = required("value", "persons, persons a year, or a share for rates")) {
      if (auto v = number(*value, where + ".value", src)) {
        if (!std::isfinite(*v)) {
          report(at(*value, src), where + ".value", "must be a finite number, got " + number_text(*v));
          ok = false;
        }
        target.value = *v;
      } else {
        ok = false;
      }
    }
    if (const toml::node* level = entry->get("level")) {
      locs_[where + ".level"] = at(*level, src);
      if (const auto* i = level->as_integer())
        target.level = static_cast<int>(std::clamp<std::int64_t>(i->get(), -1000, 1000));
      else {
        report(at(*level, src), where + ".level", "expected an integer level (1-8), got " + describe(*level));
        ok = false;
      }
    }
    if (const toml::node* programme = entry->get("programme")) {
      locs_[where + ".programme"] = at(*programme, src);
      const auto* one = programme->as_string();
      const auto* several = programme->as_array();
      if (one != nullptr) target.programmes.push_back(one->get());
      for (std::size_t k = 0; several != nullptr && k < several->size(); ++k) {
        locs_[where + ".programme[" + std::to_string(k) + "]"] = at((*several)[k], src);
        if (const auto* name = (*several)[k].as_string()) target.programmes.push_back(name->get());
      }
      if ((one == nullptr && several == nullptr) ||
          (several != nullptr && target.programmes.size() != several->size()) ||
          (several != nullptr && several->empty())) {
        report(at(*programme, src), where + ".programme",
               "expected a programme name or a list of them, got " + describe(*programme));
        ok = false;
      }
    }
    if (const toml::node* trajectory = entry->get("trajectory")) {
      const std::string path = where + ".trajectory";
      locs_[path] = at(*trajectory, src);
      const auto* text = trajectory->as_string();
      const auto* points = trajectory->as_array();
      if (text != nullptr && text->get() == "linear") {
        target.linear = true;
      } else if (points != nullptr) {
        for (std::size_t k = 0; k < points->size(); ++k) {
          const std::string at_k = path + "[" + std::to_string(k) + "]";
          const auto* point = (*points)[k].as_table();
          locs_[at_k] = at((*points)[k], src);
          const toml::node* date = point ? point->get("date") : nullptr;
          const toml::node* value = point ? point->get("value") : nullptr;
          if (point == nullptr || date == nullptr || value == nullptr || point->size() != 2) {
            report(at((*points)[k], src), at_k,
                   "expected { date = YYYY-MM-01, value = ... }, got " + describe((*points)[k]));
            ok = false;
            continue;
          }
          locs_[at_k + ".date"] = at(*date, src);
          locs_[at_k + ".value"] = at(*value, src);
          const auto m = month(*date, at_k + ".date", src);
          const auto v = number(*value, at_k + ".value", src);
          if (m && v)
            target.trajectory.push_back({*m, *v});
          else
            ok = false;
        }
      } else {
        report(at(*trajectory, src), path,
               "expected \"linear\" or a list of { date = ..., value = ... } points, got " + describe(*trajectory));
        ok = false;
      }
    }
    if (const toml::node* label = entry->get("label")) {
      locs_[where + ".label"] = at(*label, src);
      if (const auto* s = label->as_string()) {
        target.label = s->get();
      } else {
        report(at(*label, src), where + ".label", "expected string, got " + describe(*label));
        ok = false;
      }
    } else if (ok) {
      target.label =
          std::string(kTargetSeriesIds[static_cast<std::size_t>(target.series)]) + " by " + month_text(target.month);
    }
    if (!ok) continue;
    targets.push_back(std::move(target));
    target_entry.push_back(e);
  }
}

void Reader::apply_override(const std::string& text) {
  const Source src{kSetName, false};
  const Loc loc{kSetName, 0, 0};
  const auto eq = text.find('=');
  if (eq == std::string::npos) {
    report(loc, "", "expected KEY=VALUE (such as labour.job_loss_rate=0.02), got '" + excerpt(text, 80) + "'");
    return;
  }
  const std::string key = trim(std::string_view(text).substr(0, eq));
  const std::string value_text = trim(std::string_view(text).substr(eq + 1));
  if (key.empty()) {
    report(loc, "", "missing the key before '=' in '" + excerpt(text, 80) + "'");
    return;
  }
  const ParameterSpec* spec = find_parameter(key);
  if (spec == nullptr) {
    report(loc, key, unknown_parameter_message(key));
    return;
  }
  overridden.insert(key);
  // Parse the value as the right-hand side of a TOML key/value pair.
  std::optional<toml::table> parsed;
  try {
    parsed = toml::parse("value = " + value_text, kSetName);
    if (parsed->size() != 1 || parsed->get("value") == nullptr) parsed.reset(); // more than one value
  } catch (const toml::parse_error&) {
  }
  if (spec->kind == ValueKind::String && (!parsed || !parsed->get("value")->is_string())) {
    // A string parameter takes bare text (--set scenario.name=baseline).
    erase_key(locs_, key);
    locs_[key] = loc;
    set_value(p_, *spec, Value{value_text});
    assigned.insert(key);
    failed.erase(key);
    return;
  }
  if (!parsed) { // toml++'s own words ("Error while parsing boolean") would be about TOML, not the key
    report(loc, key, unreadable_value_message(*spec, value_text));
    failed.insert(key);
    return;
  }
  read_parameter(*spec, *parsed->get("value"), loc, src);
}

// ----------------------------------------------------------------------------------------------
// Defaults

struct Defaults {
  Parameters parameters;
  LocMap locs;
};

const Defaults& defaults() {
  // Parsed once; if this throws (a build defect), the next call tries again and throws again.
  static const Defaults cached = [] {
    Defaults d;
    Reader reader(d.parameters, d.locs);
    toml::table root;
    try {
      root = toml::parse(detail::embedded_defaults_toml(), kDefaultsName);
    } catch (const toml::parse_error& e) {
      const Loc loc = position(e.source(), kDefaultsName);
      throw ScenarioError({{loc.file, loc.line, loc.column, "", std::string(e.description())}});
    }
    reader.read_document(root, Source{kDefaultsName, true}, false);
    for (const auto& spec : parameter_specs())
      if (!reader.assigned.count(std::string(spec.key)) && !reader.failed.count(std::string(spec.key)))
        reader.diagnostics.push_back({kDefaultsName, 0, 0, std::string(spec.key),
                                      "missing from the defaults (every parameter needs a default value)"});
    for (auto& issue : check(d.parameters)) {
      const Loc loc = lookup(d.locs, issue.key).value_or(Loc{kDefaultsName, 0, 0});
      reader.diagnostics.push_back({loc.file, loc.line, loc.column, issue.key, issue.message});
    }
    if (!reader.diagnostics.empty()) throw ScenarioError(std::move(reader.diagnostics));
    return d;
  }();
  return cached;
}

// Orders diagnostics by file (the scenario, then the defaults, then --set), then line and column
// (those without a line last), and drops exact duplicates.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics, const std::string& source_name) {
  const auto rank = [&](const Diagnostic& d) {
    if (d.file == source_name) return 0;
    if (d.file == kDefaultsName) return 1;
    if (d.file == kSetName) return 2;
    return 3;
  };
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if ((a.line == 0) != (b.line == 0)) return b.line == 0;
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  });
  std::vector<Diagnostic> unique;
  for (auto& d : diagnostics) {
    const bool duplicate = std::any_of(unique.begin(), unique.end(), [&](const Diagnostic& u) {
      return u.file == d.file && u.line == d.line && u.column == d.column && u.key == d.key && u.message == d.message;
    });
    if (!duplicate) unique.push_back(std::move(d));
  }
  diagnostics = std::move(unique);
}

// "schedule[3].set.x" (index of the change) -> "schedule[1].set.x" (index of the file's entry).
std::string renumber(const std::string& path, std::string_view prefix, const std::vector<std::size_t>& entry_of) {
  if (path.compare(0, prefix.size(), prefix) != 0) return path;
  const auto close = path.find(']', prefix.size());
  if (close == std::string::npos) return path;
  std::size_t index = 0;
  const char* first = path.data() + prefix.size();
  const auto [end, error] = std::from_chars(first, path.data() + close, index);
  if (error != std::errc{} || end != path.data() + close || index >= entry_of.size()) return path;
  return std::string(prefix) + std::to_string(entry_of[index]) + path.substr(close);
}

// "[a, b, c]", each element written by `text`.
template <class Vector, class Text>
std::string list_text(const Vector& v, Text text) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ", ";
    out += text(v[i]);
  }
  return out + "]";
}

// "[[a, b], [c, d]]" on one line, or one row a line; each element written by `text`.
template <class Matrix, class Text>
std::string matrix_text(const Matrix& m, Text text, bool one_line) {
  std::string out = "[";
  for (int r = 0; r < m.rows; ++r) {
    out += one_line ? (r ? ", [" : "[") : (r ? ",\n  [" : "\n  [");
    for (int c = 0; c < m.cols; ++c) {
      if (c) out += ", ";
      out += text(m(r, c));
    }
    out += "]";
  }
  return out + (m.rows && !one_line ? ",\n]" : "]");
}

std::string format_value(const Value& value) {
  struct Visitor {
    std::string operator()(double v) const { return number_text(v); }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(Month m) const { return month_text(m); }
    std::string operator()(const std::string& s) const { return "\"" + s + "\""; }
    std::string operator()(const std::vector<std::string>& v) const { return list_text(v, *this); }
    std::string operator()(const std::vector<double>& v) const { return list_text(v, number_text); }
    std::string operator()(const RealMatrix& m) const { return matrix_text(m, number_text, true); }
    std::string operator()(const std::vector<std::int64_t>& v) const { return list_text(v, *this); }
    std::string operator()(const std::vector<std::uint8_t>& v) const { return list_text(v, flag_text); }
    std::string operator()(const FlagMatrix& m) const { return matrix_text(m, flag_text, true); }
  };
  return std::visit(Visitor{}, value);
}

std::string markdown_cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

} // namespace

std::string_view defaults_toml() { return detail::embedded_defaults_toml(); }

Parameters default_parameters() { return defaults().parameters; }

namespace {

// A scenario file names the scenario and its first month itself (or through --set): without
// them, an empty or mistaken file would run the national defaults as "default" unnoticed.
void require_name_and_start(const toml::table& root, const Reader& reader, const std::string& source_name,
                            std::vector<Diagnostic>& diagnostics) {
  const toml::node* section = root.get("scenario");
  if (section != nullptr && !section->is_table()) return; // reported as not a section
  const auto* table = section ? section->as_table() : nullptr;
  const auto given = [&](const char* name) {
    return (table != nullptr && table->contains(name)) || reader.overridden.count(std::string("scenario.") + name);
  };
  if (given("name") && given("start")) return;
  if (table == nullptr) {
    diagnostics.push_back({source_name, 0, 0, "",
                           "the scenario has no [scenario] table: add [scenario] with name = \"...\" and "
                           "start = YYYY-MM-01 (the first month simulated)"});
    return;
  }
  const Loc loc = position(table->source(), source_name);
  if (!given("name"))
    diagnostics.push_back({loc.file, loc.line, loc.column, "scenario.name",
                           "missing: add name = \"...\" to [scenario] (a short identifier of the scenario)"});
  if (!given("start"))
    diagnostics.push_back({loc.file, loc.line, loc.column, "scenario.start",
                           "missing: add start = YYYY-MM-01 to [scenario] (the first month simulated)"});
}

// The parameter sets file a scenario names (run.parameter_sets), relative to the scenario file
// (to the working directory for a scenario that is not a file), read and checked: every problem
// at its line and column in the sets file. Only the columns run.parameter_set_columns lists (all
// without it) are read and kept; a listed column the file lacks is reported at the list.
ParameterSets read_parameter_sets(const Parameters& p, const std::vector<ScheduledChange>& schedule,
                                  const std::vector<Target>& targets, const std::string& source_name,
                                  const LocMap& locs, bool check_rows, std::vector<Diagnostic>& diagnostics) {
  const Loc key_at = lookup(locs, "run.parameter_sets").value_or(Loc{source_name, 0, 0});
  std::filesystem::path path = p.run.parameter_sets;
  if (path.is_relative() && !source_name.empty() && source_name.front() != '<' && source_name != kSetName)
    path = std::filesystem::path(source_name).parent_path() / path;
  const std::string file = path.lexically_normal().string();
  ParameterSets sets;
  sets.source = file;
  const auto unreadable = [&](int error) {
    diagnostics.push_back({key_at.file, key_at.line, key_at.column, "run.parameter_sets",
                           "cannot read the parameter sets file " + file + ": " + std::strerror(error)});
    return ParameterSets{};
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return unreadable(EISDIR);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!in) return unreadable(errno);
  char buffer[65536];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, in.get())) > 0) sets.text.append(buffer, n);
  if (std::ferror(in.get())) return unreadable(errno);

  const std::size_t before = diagnostics.size();
  const std::vector<csv::Record> records = csv::split_records(sets.text, file, diagnostics);
  if (diagnostics.size() != before) return {}; // a quote not closed: the fields are not known
  const auto at = [&](int line, int column, std::string key, std::string message) {
    diagnostics.push_back({file, line, column, std::move(key), std::move(message)});
  };
  if (records.empty()) {
    at(1, 1, "",
       "the file is empty: it needs a header of parameter keys (as sweep files address them) and one "
       "row of values per set");
    return {};
  }
  // The header: one parameter key per column. Columns not listed are ignored entirely.
  const std::vector<std::string>& listed = p.run.parameter_set_columns;
  const csv::Record& header = records.front();
  std::vector<std::string> names; // every column's
  std::vector<std::size_t> kept;  // the columns used, in the file's order
  std::vector<SweepTarget> resolved;
  std::map<std::string, int> first_column;
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const csv::Field& field = header.fields[c];
    const std::string key = csv::trim(field.text);
    names.push_back(key);
    if (!listed.empty() && std::find(listed.begin(), listed.end(), key) == listed.end()) continue;
    kept.push_back(c);
    sets.keys.push_back(key);
    if (key.empty()) {
      at(header.line, field.column, "", "an empty column name: the header names one parameter key per column");
      continue;
    }
    if (const auto [it, added] = first_column.emplace(key, field.column); !added) {
      at(header.line, field.column, key,
         "given twice (first at column " + std::to_string(it->second) + "): each key once");
      continue;
    }
    const auto target = resolve_parameter_set_key(p, key);
    if (const auto* message = std::get_if<std::string>(&target)) {
      // The message starts with the key, which the diagnostic already names.
      const std::string prefix = key + ": ";
      at(header.line, field.column, key, message->starts_with(prefix) ? message->substr(prefix.size()) : *message);
    } else {
      resolved.push_back(std::get<SweepTarget>(target));
    }
  }
  // A listed column the file lacks: reported at its place in the scenario's list.
  for (std::size_t i = 0; i < listed.size(); ++i) {
    if (std::find(names.begin(), names.end(), listed[i]) != names.end()) continue;
    const std::string element = "run.parameter_set_columns[" + std::to_string(i) + "]";
    const Loc loc = lookup(locs, element).value_or(key_at);
    std::string message = "'" + listed[i] + "' is not a column of the parameter sets file " + file;
    if (const auto near = closest(listed[i], names); !near.empty()) {
      message += "; did you mean '" + near.front() + "'?";
    } else {
      message += " (its columns:";
      for (std::size_t c = 0; c < names.size(); ++c) message += (c == 0 ? " " : ", ") + names[c];
      message += ")";
    }
    diagnostics.push_back({loc.file, loc.line, loc.column, element, message});
  }
  if (records.size() == 1) at(header.line, 1, "", "no parameter sets: add one row of values per set under the header");
  // The rows: one number per key used (every row as wide as the header).
  std::vector<int> row_line;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const csv::Record& rec = records[r];
    if (rec.fields.size() != names.size()) {
      at(rec.line, 1, "",
         "expected " + std::to_string(names.size()) + " values (one per key in the header), got " +
             std::to_string(rec.fields.size()));
      continue;
    }
    std::vector<double> row;
    bool good = true;
    for (std::size_t k = 0; k < kept.size(); ++k) {
      const csv::Field& field = rec.fields[kept[k]];
      const std::string text = csv::trim(field.text);
      const auto value = csv::parse_number(text);
      if (!value) {
        at(rec.line, field.column, sets.keys[k],
           text.empty() ? "no value: every set gives every key a number" : "'" + text + "' is not a finite number");
        good = false;
      } else {
        row.push_back(*value);
      }
    }
    if (good) {
      sets.rows.push_back(std::move(row));
      row_line.push_back(rec.line);
    }
  }
  if (diagnostics.size() != before) return {};
  // Each set applied to the parameters, checked as they are (the base must be valid first).
  if (!check_rows) return sets;
  constexpr std::size_t kMostReported = 20;
  std::size_t reported = 0, more = 0;
  for (std::size_t r = 0; r < sets.rows.size(); ++r) {
    for (const Issue& issue : parameter_set_issues(p, schedule, targets, sets, r)) {
      if (reported == kMostReported) {
        ++more;
        continue;
      }
      int column = 1;
      for (std::size_t k = 0; k < resolved.size(); ++k)
        if (resolved[k].spec->key == base_key(issue.key)) column = header.fields[kept[k]].column;
      at(row_line[r], column, issue.key,
         "set " + std::to_string(r) + " (0-based row) is refused by the parameters' checks: " + issue.message);
      ++reported;
    }
  }
  if (more > 0) at(row_line.back(), 1, "", "and " + std::to_string(more) + " more problems with the sets");
  return diagnostics.size() == before ? sets : ParameterSets{};
}

// The instant after the run's last month, with the month count clamped as check() clamps it.
Month run_end(const Parameters& p) {
  return p.scenario.start + static_cast<int>(std::clamp<std::int64_t>(p.scenario.months, 0, 1000000));
}

// A run shortened by `--set scenario.months=N` leaves out the schedule entries and targets that
// the file dates within its own run but after the shortened one, and says so: trying the first
// months of a bundled scenario should not mean editing away its later schedule and targets.
// Dates outside the file's own run are still errors (check_schedule_and_targets), as is every
// date when the months come from the file itself.
std::vector<std::string> leave_out_after_shortened_run(Reader& reader, const Parameters& p, Month file_end) {
  const Month end = run_end(p);
  if (!(end < file_end)) return {};
  const auto after_run = [&](Month date, bool target) {
    return (target ? date > end : date >= end) && (target ? date <= file_end : date < file_end);
  };
  std::set<std::size_t> schedule_left; // the file's entries (an entry may hold several changes)
  std::string targets_left;
  std::vector<ScheduledChange> schedule;
  std::vector<std::size_t> schedule_entry;
  for (std::size_t i = 0; i < reader.schedule.size(); ++i) {
    if (after_run(reader.schedule[i].month, false)) {
      schedule_left.insert(reader.schedule_entry[i]);
      continue;
    }
    schedule.push_back(reader.schedule[i]);
    schedule_entry.push_back(reader.schedule_entry[i]);
  }
  std::vector<Target> targets;
  std::vector<std::size_t> target_entry;
  for (std::size_t i = 0; i < reader.targets.size(); ++i) {
    if (after_run(reader.targets[i].month, true)) {
      const Target& t = reader.targets[i];
      targets_left += (targets_left.empty() ? "targets[" : ", targets[") + std::to_string(reader.target_entry[i]) +
                      "]" + (t.label.empty() ? "" : " (" + t.label + ")");
      continue;
    }
    targets.push_back(reader.targets[i]);
    target_entry.push_back(reader.target_entry[i]);
  }
  reader.schedule = std::move(schedule);
  reader.schedule_entry = std::move(schedule_entry);
  reader.targets = std::move(targets);
  reader.target_entry = std::move(target_entry);
  std::string schedule_text;
  for (std::size_t e : schedule_left)
    schedule_text += (schedule_text.empty() ? "schedule[" : ", schedule[") + std::to_string(e) + "]";
  std::vector<std::string> notes;
  const std::string shortened = "scenario.months=" + std::to_string(p.scenario.months) + " ends the run at " +
                                month_text(end + -1) + " (the file runs to " + month_text(file_end + -1) + "), so ";
  if (!schedule_left.empty())
    notes.push_back(shortened + "these schedule entries, dated after it, are left out: " + schedule_text);
  if (!targets_left.empty())
    notes.push_back(shortened + "these targets, dated after it, are left out: " + targets_left);
  return notes;
}

Scenario parse(std::string_view text, const std::string& source_name, const std::vector<std::string>& overrides,
               bool file) {
  const Defaults& base = defaults();
  Parameters parameters = base.parameters;
  LocMap locs = base.locs;
  Reader reader(parameters, locs);

  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    throw ScenarioError({syntax_problem(e, text, source_name, scenario_bare_word)});
  }
  reader.read_document(root, Source{source_name, true}, true);
  const Month file_end = run_end(parameters);
  for (const auto& override_text : overrides) reader.apply_override(override_text);
  fill_column_defaults(parameters);
  if (file) require_name_and_start(root, reader, source_name, reader.diagnostics);
  // When the file's start or length of the run was rejected, the run is the default one, and
  // dates cannot be judged against it.
  const bool run_unknown = reader.failed.count("scenario.start") || reader.failed.count("scenario.months") ||
                           (file && !reader.assigned.count("scenario.start"));
  std::vector<std::string> notes;
  if (!run_unknown && reader.overridden.count("scenario.months"))
    notes = leave_out_after_shortened_run(reader, parameters, file_end);

  // The registry's checks know key paths only; attach the place each value came from.
  std::vector<Diagnostic> diagnostics = std::move(reader.diagnostics);
  const auto add = [&](const std::string& key, const std::string& message) {
    const Loc loc = lookup(locs, key).value_or(Loc{source_name, 0, 0});
    std::string full = message;
    if (loc.file == kDefaultsName) full += " (the default value; set " + base_key(key) + " to change it)";
    diagnostics.push_back({loc.file, loc.line, loc.column, key, full});
  };
  for (const auto& issue : check(parameters))
    if (!reader.failed.count(base_key(issue.key))) add(issue.key, issue.message);
  for (const auto& issue : Scenario::check_schedule_and_targets(parameters, reader.schedule, reader.targets)) {
    if (run_unknown && issue.message.find("outside the run") != std::string::npos) continue;
    std::string key = renumber(issue.key, "schedule[", reader.schedule_entry);
    key = renumber(key, "targets[", reader.target_entry);
    add(key, issue.message);
  }
  ParameterSets sets;
  if (!parameters.run.parameter_sets.empty() && !reader.failed.count("run.parameter_sets") &&
      !reader.failed.count("run.parameter_set_columns"))
    sets = read_parameter_sets(parameters, reader.schedule, reader.targets, source_name, locs, diagnostics.empty(),
                               diagnostics);
  if (!diagnostics.empty()) {
    sort_diagnostics(diagnostics, source_name);
    throw ScenarioError(std::move(diagnostics));
  }
  // make() repeats these checks and adds its own (such as fitting the population margins); its
  // diagnostics carry key paths only, so they are located here too.
  try {
    return Scenario::make(std::move(parameters), std::move(reader.schedule), std::move(reader.targets), source_name,
                          std::string(text), std::move(sets), std::move(notes));
  } catch (const ScenarioError& e) {
    for (const auto& d : e.diagnostics()) {
      if (d.line != 0 || d.key.empty()) {
        diagnostics.push_back(d);
        continue;
      }
      std::string key = renumber(d.key, "schedule[", reader.schedule_entry);
      key = renumber(key, "targets[", reader.target_entry);
      add(key, d.message);
    }
    sort_diagnostics(diagnostics, source_name);
    throw ScenarioError(std::move(diagnostics));
  }
}

} // namespace

Scenario parse_scenario(std::string_view text, const std::string& source_name,
                        const std::vector<std::string>& overrides) {
  return parse(text, source_name, overrides, false);
}

Scenario parse_scenario_file(std::string_view text, const std::string& source_name,
                             const std::vector<std::string>& overrides) {
  return parse(text, source_name, overrides, true);
}

Scenario load_scenario(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
  const std::string name = path.string();
  const auto fail = [&](int error) {
    throw ScenarioError({{name, 0, 0, "", std::string("cannot read the scenario file: ") + std::strerror(error)}});
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(EISDIR);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(name.c_str(), "rb"), &std::fclose);
  if (!file) fail(errno);
  std::string text;
  char buffer[65536];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, n);
  if (std::ferror(file.get())) fail(errno);
  return parse_scenario_file(text, name, overrides);
}

std::vector<Diagnostic> validate_scenario_file(const std::filesystem::path& path,
                                               const std::vector<std::string>& overrides) {
  try {
    load_scenario(path, overrides);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

std::string parameter_reference_markdown() {
  const Parameters p = default_parameters();
  std::string out =
      "# Scenario parameter reference\n\n"
      "Generated from the parameter registry and data/defaults.toml (`skillsim schema`); do not edit.\n"
      "Every key below may be set in a scenario file under its section, or with `--set section.key=value`.\n"
      "Schedulable parameters may also be changed during a run by `[[schedule]]` entries "
      "(see scenario.md).\n";
  std::string section;
  for (const auto& spec : parameter_specs()) {
    const std::string this_section(spec.key.substr(0, spec.key.find('.')));
    if (this_section != section) {
      section = this_section;
      out += "\n## [" + section + "]\n\n";
      out += "| Key | Type | Unit | Default | Allowed | Schedulable | Description |\n";
      out += "|---|---|---|---|---|---|---|\n";
    }
    std::string range;
    switch (spec.kind) {
    case ValueKind::Real:
    case ValueKind::Integer:
    case ValueKind::RealVector:
    case ValueKind::IntegerVector:
    case ValueKind::RealMatrix:
      if (spec.max >= 1e300)
        range = ">= " + number_text(spec.min);
      else
        range = "[" + number_text(spec.min) + ", " + number_text(spec.max) + "]";
      if (spec.kind != ValueKind::Real && spec.kind != ValueKind::Integer) range = "each " + range;
      if (spec.sums_to_one) range += "; sums to 1";
      break;
    case ValueKind::FlagVector:
    case ValueKind::FlagMatrix:
      range = "each true or false (or 1 or 0)";
      break;
    case ValueKind::Month:
      range = "first day of a month";
      break;
    case ValueKind::String:
    case ValueKind::StringList:
      range = "";
      break;
    }
    std::string doc(spec.doc);
    const bool is_vector = spec.kind == ValueKind::RealVector || spec.kind == ValueKind::IntegerVector ||
                           spec.kind == ValueKind::FlagVector;
    // A vector without a dimension (employers.wage_region_factor) says its own length in its doc.
    if (is_vector && spec.dim != Dim::None) doc += " One value per " + dim_description(spec.dim) + ".";
    if (spec.kind == ValueKind::RealMatrix || spec.kind == ValueKind::FlagMatrix)
      doc += " Rows: " + dim_description(spec.dim) + "; columns: " + dim_description(spec.col_dim) + ".";
    out += "| `" + std::string(spec.key.substr(section.size() + 1)) + "` | " + std::string(kind_name(spec.kind)) +
           " | " + markdown_cell(std::string(spec.unit)) + " | `" + markdown_cell(format_value(get_value(p, spec))) +
           "` | " + markdown_cell(range) + " | " + (spec.schedulable ? "yes" : "no") + " | " + markdown_cell(doc) +
           " |\n";
  }
  return out;
}

namespace {

std::string string_text(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (c < 0x20 || c == 0x7F) {
        char buffer[8];
        std::snprintf(buffer, sizeof buffer, "\\u%04X", static_cast<unsigned>(c));
        out += buffer;
      } else {
        out += ch;
      }
    }
  }
  return out + "\"";
}

std::string value_text(const Value& value) {
  struct Visitor {
    std::string operator()(double v) const { return number_text(v); }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(Month m) const { return month_text(m); }
    std::string operator()(const std::string& s) const { return string_text(s); }
    std::string operator()(const std::vector<std::string>& v) const { return list_text(v, *this); }
    std::string operator()(const std::vector<double>& v) const { return list_text(v, number_text); }
    std::string operator()(const RealMatrix& m) const { return matrix_text(m, number_text, false); }
    std::string operator()(const std::vector<std::int64_t>& v) const { return list_text(v, *this); }
    std::string operator()(const std::vector<std::uint8_t>& v) const { return list_text(v, flag_text); }
    std::string operator()(const FlagMatrix& m) const { return matrix_text(m, flag_text, false); }
  };
  return std::visit(Visitor{}, value);
}

} // namespace

std::string scenario_to_toml(const Scenario& s, const std::string& header) {
  std::string out;
  if (!header.empty()) out += header;
  std::string section;
  for (const auto& spec : parameter_specs()) {
    const std::string key(spec.key);
    const auto dot = key.find('.');
    const std::string this_section = key.substr(0, dot);
    if (this_section != section) {
      section = this_section;
      out += (out.empty() ? "[" : "\n[") + section + "]\n";
    }
    // The sets file as read (relative to the scenario file it came from), absolute: the text
    // written here is read back from anywhere, without the original file's name.
    const bool sets_read = key == "run.parameter_sets" && !s.parameter_sets().source.empty();
    const std::string value = sets_read ? string_text(std::filesystem::absolute(s.parameter_sets().source).string())
                                        : value_text(get_value(s.parameters(), spec));
    out += key.substr(dot + 1) + " = " + value + "\n";
  }
  // One entry per month, with each parameter's value in force from then on (when an entry sets a
  // parameter twice in a month, the later value is the one that takes effect).
  for (const auto& [month, changes] : s.effective_schedule()) {
    std::string set;
    for (const auto& [key, value] : changes) {
      if (!set.empty()) set += ", ";
      set += string_text(key);
      set += " = ";
      set += value_text(value);
    }
    out += "\n[[schedule]]\ndate = " + month_text(Month{month}) + "\nset = { " + set + " }\n";
  }
  for (const auto& t : s.targets()) {
    out += "\n[[targets]]\nseries = " + string_text(std::string(kTargetSeriesIds[static_cast<std::size_t>(t.series)])) +
           "\ndate = " + month_text(t.month) + "\nvalue = " + number_text(t.value) +
           "\nlabel = " + string_text(t.label) + "\n";
    if (t.level >= 0) out += "level = " + std::to_string(t.level) + "\n";
    if (!t.programmes.empty()) {
      out += "programme = [";
      for (std::size_t k = 0; k < t.programmes.size(); ++k) out += (k ? ", " : "") + string_text(t.programmes[k]);
      out += "]\n";
    }
    if (t.linear) out += "trajectory = \"linear\"\n";
    if (!t.trajectory.empty()) {
      out += "trajectory = [";
      for (std::size_t k = 0; k < t.trajectory.size(); ++k)
        out += std::string(k ? ", " : "") + "{ date = " + month_text(t.trajectory[k].month) +
               ", value = " + number_text(t.trajectory[k].value) + " }";
      out += "]\n";
    }
  }
  return out;
}

} // namespace skillsim::io
