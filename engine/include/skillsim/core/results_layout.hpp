// Building the results of a run: the dimensions every run has, and the helpers with which each
// process declares its own variables (next to the code that fills them, e.g.
// TrainingSystem::declare_results) and stores one time point of them. Every variable starts
// with the dimensions (replicate, time).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "skillsim/core/results.hpp"
#include "skillsim/core/scenario.hpp"

namespace skillsim {

/// Results with the dimensions every run has (replicate, time, level, status, group, sector,
/// region) and no variables yet.
Results base_results_layout(const Scenario& scenario, std::int64_t replicates);

/// A dimension with string labels and their Chinese labels.
Dimension label_dimension(std::string name, const auto& ids, const auto& labels_zh) {
  Dimension d;
  d.name = std::move(name);
  d.labels.assign(ids.begin(), ids.end());
  d.labels_zh.assign(labels_zh.begin(), labels_zh.end());
  return d;
}

/// (replicate, time) followed by `more`.
std::vector<std::string> over_time(std::initializer_list<std::string> more = {});

/// Adds a variable of the given dims (sizes looked up in results), filled with zeros.
Variable& add_variable(Results& r, std::string name, std::vector<std::string> dims, std::string long_name,
                       std::string units = "persons");

/// Writes time points of integer variables, converting agents to persons where asked.
class ResultsWriter {
public:
  ResultsWriter(Results& results, std::size_t times, std::int64_t scale);

  /// The values of variable `name` at (replicate, t): the variable's remaining dims, row-major.
  std::int64_t* at(const std::string& name, std::size_t replicate, std::size_t t);
  /// One time point from agent counts (multiplied by the scale).
  void persons(const std::string& name, std::size_t replicate, std::size_t t, const std::vector<std::int64_t>& agents);
  /// One time point of values stored as they are (yuan, flags).
  void as_is(const std::string& name, std::size_t replicate, std::size_t t, const std::vector<std::int64_t>& values);

  std::int64_t scale() const { return scale_; }
  bool has(const std::string& name) const { return results_.has_variable(name); }
  /// The size of a dimension (e.g. the regions).
  std::size_t dimension_size(const std::string& name) const { return results_.dimension(name).size(); }

private:
  Results& results_;
  std::size_t times_;
  std::int64_t scale_;
};

} // namespace skillsim
