// A scenario: the validated, immutable description of what to simulate. Parameters at the start,
// the dated changes to them (schedules) and the targets the results are compared against.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "skillsim/core/parameters.hpp"
#include "skillsim/core/sweep.hpp"

namespace skillsim {

/// One dated change of a parameter: from `month` on, `key` takes `value`.
struct ScheduledChange {
  Month month;
  std::string key;
  Value value;
};

/// Result series a target may name (docs/targets.md): stocks at an instant, flows over the 12
/// months ending at the target date, and rates over the same window.
enum class TargetSeries {
  SkilledWorkers,
  HighSkilledWorkers,
  WorkersAtLevel,
  TraineesPerYear,
  NewSkilledWorkersPerYear,
  CertificatesPerYear,
  PassRate,
  CertificateRate,
  EmploymentRate
};
inline constexpr std::array<std::string_view, 9> kTargetSeriesIds = {
    "skilled_workers",   "high_skilled_workers", "workers_at_level",
    "trainees_per_year", "new_skilled_per_year", "certificates_per_year",
    "pass_rate",         "certificate_rate",     "employment_rate"};

enum class TargetKind { Stock, Flow, Rate };
TargetKind target_kind(TargetSeries series);
/// True for series computed from programme results (they need programmes; `programmes` may narrow them).
bool target_uses_programmes(TargetSeries series);

/// A planned value on the way to a target.
struct TrajectoryPoint {
  Month month;
  double value = 0;
  bool operator==(const TrajectoryPoint&) const = default;
};

/// A target: the series should be at least `value` at `month` (a stock at the first instant of
/// the month; a flow or rate over the 12 months before it). The planned trajectory, against which
/// the gap over time is reported, runs through `trajectory` (listed points) to the target, or
/// straight from the value at the start of the run (`linear`).
struct Target {
  std::string label;
  TargetSeries series = TargetSeries::SkilledWorkers;
  Month month;
  double value = 0;
  int level = -1;                      ///< for workers_at_level: the level (1-8)
  std::vector<std::string> programmes; ///< for programme series: the programmes counted; empty for all
  bool linear = false;
  std::vector<TrajectoryPoint> trajectory;
  bool operator==(const Target&) const = default;
};

/// Parameter sets (run.parameter_sets, docs/scenario.md): replicate r runs under set r modulo
/// the number of sets, each set giving values to the same keys. The io layer reads the file;
/// the core only sees what it holds.
struct ParameterSets {
  std::vector<std::string> keys;         ///< as sweep files address them, e.g. "skills.pass_probability[senior]";
                                         ///< with run.parameter_set_columns, only the columns listed
  std::vector<std::vector<double>> rows; ///< one per set, one value per key
  std::string source;                    ///< the file's name, for messages and results
  std::string text;                      ///< the whole file's text, stored in the results
  bool empty() const { return rows.empty(); }
  bool operator==(const ParameterSets&) const = default;
};

/// Where a parameter-set key points (resolve_sweep_key), or what is wrong with it: as a sweep
/// key, and refusing run.seed, run.replicates, scenario.months, run.parameter_sets and
/// run.parameter_set_columns, which every replicate shares.
std::variant<SweepTarget, std::string> resolve_parameter_set_key(const Parameters& base, std::string_view key);

/// The problems of set `row` applied to `base` (the parameters' own checks, the schedule and
/// targets against them and, when a set changes a population key, the population margins), each
/// as "KEY: message". The keys must resolve (resolve_parameter_set_key).
std::vector<Issue> parameter_set_issues(const Parameters& base, const std::vector<ScheduledChange>& schedule,
                                        const std::vector<Target>& targets, const ParameterSets& sets, std::size_t row);

/// Validated and immutable once built. Build one with `Scenario::make`, which throws
/// `ScenarioError` listing every problem.
class Scenario {
public:
  /// Validates and assembles a scenario.
  /// @param source_name the file name (or "<string>") used in messages and results
  /// @param source_text the scenario text, stored verbatim in every results file
  /// @param notes what the reader left out and why (see notes())
  /// @throws ScenarioError listing every problem found, each with its key path
  static Scenario make(Parameters parameters, std::vector<ScheduledChange> schedule, std::vector<Target> targets,
                       std::string source_name = "<memory>", std::string source_text = {},
                       ParameterSets parameter_sets = {}, std::vector<std::string> notes = {});

  const Parameters& parameters() const { return parameters_; }
  const std::vector<ScheduledChange>& schedule() const { return schedule_; }
  const std::vector<Target>& targets() const { return targets_; }
  const std::string& source_name() const { return source_name_; }
  const std::string& source_text() const { return source_text_; }
  const ParameterSets& parameter_sets() const { return parameter_sets_; }
  /// What the reader left out of the file and why, one sentence each, for the user to see (the
  /// schedule entries and targets after a run shortened by an override); empty as a rule.
  const std::vector<std::string>& notes() const { return notes_; }
  /// Where each of the sets' keys points (one per key).
  const std::vector<SweepTarget>& parameter_set_targets() const { return parameter_set_targets_; }

  /// The set replicate `replicate` runs under (replicate mod the number of sets); -1 without sets.
  std::int64_t parameter_set_of(std::int64_t replicate) const;

  /// The scenario replicate `replicate` runs: this one with its parameter set applied to the
  /// parameters at the start (the schedule still applies from its dates), without sets itself.
  /// Without sets, a copy of this scenario.
  Scenario for_replicate(std::int64_t replicate) const;

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
  ParameterSets parameter_sets_;
  std::vector<SweepTarget> parameter_set_targets_; // the keys resolved, one per key
  std::vector<std::string> notes_;
};

} // namespace skillsim
