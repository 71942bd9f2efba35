// Results of a run, in memory: named dimensions with coordinates, and named variables over those
// dimensions (integer counts in persons, or reals for rates and derived values). Storage-neutral: the HDF5 writer and
// the Python bindings both read this structure, so a new variable needs no new I/O code.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace skillsim {

/// A dimension and its coordinate values (integers, or string labels).
struct Dimension {
  std::string name;
  std::vector<std::int64_t> int_coords;          // used when labels is empty
  std::vector<std::string> labels;               // string coordinate (e.g. level ids)
  std::vector<std::string> labels_zh;            // optional Chinese labels (auxiliary coordinate)
  std::map<std::string, std::string> attributes; // e.g. units, calendar, long_name
  std::size_t size() const { return labels.empty() ? int_coords.size() : labels.size(); }
};

/// A variable: row-major data over the named dimensions. Counts are exact integers (`data`);
/// rates and derived values are reals (`real_data`, with NaN where undefined).
struct Variable {
  std::string name;
  std::vector<std::string> dims;
  std::vector<std::int64_t> data;
  std::string units;
  std::string long_name;
  bool is_real = false;
  std::vector<double> real_data; ///< used instead of `data` when is_real

  std::size_t size() const { return is_real ? real_data.size() : data.size(); }
};

/// Provenance recorded in every results file.
struct RunMetadata {
  std::string scenario_name;
  std::string scenario_source; // file name
  std::string scenario_text;   // verbatim
  std::int64_t seed = 0;
  std::vector<std::int64_t> replicate_seeds; // the key each replicate's random streams used
  std::int64_t threads = 1;
  std::int64_t scale = 1;
  std::string engine_version;
  std::string git_commit;
  std::string created; // ISO 8601 UTC
  std::string command_line;
  /// Further global attributes, written and read back as they are (a sweep's file: the sweep
  /// file's text, its failed runs, ...).
  std::map<std::string, std::string> attributes;
};

/// The current time as ISO 8601 UTC ("2026-11-22T07:00:00Z"), for RunMetadata::created.
std::string utc_timestamp();

class Results {
public:
  RunMetadata metadata;
  std::vector<Dimension> dimensions;
  std::vector<Variable> variables;

  const Dimension& dimension(const std::string& name) const;
  const Variable& variable(const std::string& name) const;
  Variable& variable(const std::string& name);
  bool has_variable(const std::string& name) const;

  /// Shape of a variable (sizes of its dimensions).
  std::vector<std::size_t> shape(const Variable& v) const;
};

} // namespace skillsim
