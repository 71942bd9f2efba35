// A scenario: the validated, immutable description of what to simulate. Parameters at the start,
// the dated changes to them (schedules) and the targets the results are compared against.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "skillsim/core/parameters.hpp"

namespace skillsim {

/// One dated change of a parameter: from `month` on, `key` takes `value`.
struct ScheduledChange {
  Month month;
  std::string key;
  Value value;
};

/// Result series a target may name.
enum class TargetSeries { SkilledWorkers, HighSkilledWorkers };
inline constexpr std::array<std::string_view, 2> kTargetSeriesIds = {"skilled_workers", "high_skilled_workers"};

/// A target: the series should be at least `value` at the first instant of `month`.
struct Target {
  std::string label;
  TargetSeries series = TargetSeries::SkilledWorkers;
  Month month;
  double value = 0;
};

/// Validated and immutable once built. Build one with `Scenario::make`, which throws
/// `ScenarioError` listing every problem.
class Scenario {
public:
  /// Validates and assembles a scenario.
  /// @param source_name the file name (or "<string>") used in messages and results
  /// @param source_text the scenario text, stored verbatim in every results file
  /// @throws ScenarioError listing every problem found, each with its key path
  static Scenario make(Parameters parameters, std::vector<ScheduledChange> schedule, std::vector<Target> targets,
                       std::string source_name = "<memory>", std::string source_text = {});

  const Parameters& parameters() const { return parameters_; }
  const std::vector<ScheduledChange>& schedule() const { return schedule_; }
  const std::vector<Target>& targets() const { return targets_; }
  const std::string& source_name() const { return source_name_; }
  const std::string& source_text() const { return source_text_; }

  /// Parameters in force during `month` (the start values with every change up to it applied).
  Parameters parameters_at(Month month) const;

  /// The schedule as it takes effect: by month index, each changed parameter's last value that
  /// month (an entry may set a parameter twice in a month; the later value counts).
  std::map<std::int32_t, std::map<std::string, Value>> effective_schedule() const;

  /// First month of the run and the instant after its last month.
  Month start() const { return parameters_.scenario.start; }
  Month end() const { return parameters_.scenario.start + static_cast<int>(parameters_.scenario.months); }

  /// Checks schedule and targets against the parameters; returns every problem.
  static std::vector<Issue> check_schedule_and_targets(const Parameters& p,
                                                       const std::vector<ScheduledChange>& schedule,
                                                       const std::vector<Target>& targets);

private:
  Scenario() = default;
  Parameters parameters_;
  std::vector<ScheduledChange> schedule_; // sorted by month, stable
  std::vector<Target> targets_;
  std::string source_name_;
  std::string source_text_;
};

} // namespace skillsim
