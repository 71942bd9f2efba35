#include "skillsim/core/scenario.hpp"

#include <algorithm>

#include "skillsim/core/dates.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/synthesis.hpp"

namespace skillsim {

namespace {

std::string month_text(Month m) { return iso_date(m); }

} // namespace

TargetKind target_kind(TargetSeries series) {
  switch (series) {
  case TargetSeries::SkilledWorkers:
  case TargetSeries::HighSkilledWorkers:
  case TargetSeries::WorkersAtLevel:
    return TargetKind::Stock;
  case TargetSeries::TraineesPerYear:
  case TargetSeries::NewSkilledWorkersPerYear:
  case TargetSeries::CertificatesPerYear:
    return TargetKind::Flow;
  case TargetSeries::PassRate:
  case TargetSeries::CertificateRate:
  case TargetSeries::EmploymentRate:
    return TargetKind::Rate;
  }
  return TargetKind::Stock;
}

bool target_uses_programmes(TargetSeries series) {
  return series == TargetSeries::TraineesPerYear || series == TargetSeries::CertificatesPerYear ||
         target_kind(series) == TargetKind::Rate;
}

std::vector<Issue> Scenario::check_schedule_and_targets(const Parameters& p,
                                                        const std::vector<ScheduledChange>& schedule,
                                                        const std::vector<Target>& targets) {
  std::vector<Issue> issues;
  const Month start = p.scenario.start;
  // Clamped so that an out-of-range month count (which check() reports) cannot overflow.
  const Month end = start + static_cast<int>(std::clamp<std::int64_t>(p.scenario.months, 0, 1000000));
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    const auto& change = schedule[i];
    const std::string where = "schedule[" + std::to_string(i) + "]";
    if (change.month < start || change.month >= end)
      issues.push_back({where + ".date", "date " + month_text(change.month) + " is outside the run (" +
                                             month_text(start) + " to " + month_text(end + -1) + ")"});
    if (i > 0 && change.month < schedule[i - 1].month)
      issues.push_back({where + ".date", "dates out of order: " + month_text(change.month) + " comes after " +
                                             month_text(schedule[i - 1].month)});
    const ParameterSpec* spec = find_parameter(change.key);
    const std::string key_path = where + ".set." + change.key;
    if (spec == nullptr) {
      std::string message = "no parameter named '" + change.key + "'";
      const auto suggestions = suggest_parameters(change.key);
      if (!suggestions.empty()) message += "; did you mean '" + std::string(suggestions.front()) + "'?";
      issues.push_back({key_path, message});
      continue;
    }
    if (!spec->schedulable) {
      issues.push_back({key_path, "'" + change.key + "' is fixed for the whole run and cannot be scheduled"});
      continue;
    }
    // The new value must itself be valid: check the parameters as they would be from then on.
    Parameters changed = p;
    if (auto error = set_value(changed, *spec, change.value)) {
      issues.push_back({key_path, *error});
      continue;
    }
    for (auto& issue : check(changed))
      if (issue.key.rfind(change.key, 0) == 0) issues.push_back({where + ".set." + issue.key, issue.message});
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& target = targets[i];
    const std::string where = "targets[" + std::to_string(i) + "]";
    if (target.month <= start || target.month > end)
      issues.push_back({where + ".date", "date " + month_text(target.month) +
                                             " is outside the run (targets are "
                                             "stocks at an instant after " +
                                             month_text(start) + " and up to " + month_text(end) + ")"});
    if (!(target.value >= 0)) issues.push_back({where + ".value", "a target cannot be negative"});
    const TargetKind kind = target_kind(target.series);
    const std::string series(kTargetSeriesIds[static_cast<std::size_t>(target.series)]);
    if (kind == TargetKind::Rate && target.value > 1)
      issues.push_back(
          {where + ".value", "a rate is a share in [0, 1] (0.95 for 95%), got " + std::to_string(target.value)});
    if (target.series == TargetSeries::WorkersAtLevel && (target.level < 1 || target.level >= kLevelCount))
      issues.push_back(
          {where + ".level", "workers_at_level needs a level from 1 (apprentice) to 8 (chief_technician)"});
    if (target.series != TargetSeries::WorkersAtLevel && target.level != -1)
      issues.push_back({where + ".level", "only workers_at_level takes a level"});
    if (target_uses_programmes(target.series) && p.programmes.names.empty())
      issues.push_back({where + ".series", series + " is computed from programme results, and the scenario declares "
                                                    "no programmes"});
    for (std::size_t k = 0; k < target.programmes.size(); ++k) {
      const auto& names = p.programmes.names;
      const std::string at = where + ".programme" + (target.programmes.size() > 1 ? "[" + std::to_string(k) + "]" : "");
      if (!target_uses_programmes(target.series))
        issues.push_back({at, series + " is not a programme series; only trainees_per_year, certificates_per_year and "
                                       "the rates take a programme"});
      else if (std::find(names.begin(), names.end(), target.programmes[k]) == names.end())
        issues.push_back({at, "no programme named '" + target.programmes[k] + "' in programmes.names"});
    }
    if (target.linear && kind != TargetKind::Stock)
      issues.push_back({where + ".trajectory", "\"linear\" runs from the stock at the start of the run; a flow or "
                                               "rate target lists its trajectory points instead"});
    for (std::size_t k = 0; k < target.trajectory.size(); ++k) {
      const auto& point = target.trajectory[k];
      const std::string at = where + ".trajectory[" + std::to_string(k) + "]";
      if (point.month < start || point.month >= target.month)
        issues.push_back({at + ".date", "date " + month_text(point.month) + " must be from the start of the run (" +
                                            month_text(start) + ") and before the target date (" +
                                            month_text(target.month) + ")"});
      if (k > 0 && point.month <= target.trajectory[k - 1].month)
        issues.push_back({at + ".date", "trajectory dates must increase"});
      if (!(point.value >= 0) || (kind == TargetKind::Rate && point.value > 1))
        issues.push_back({at + ".value", kind == TargetKind::Rate ? "must be a share in [0, 1]" : "must be >= 0"});
    }
  }
  return issues;
}

namespace {

// Keys every replicate shares, so a parameter set may not give them.
struct SharedByReplicates {
  std::string_view key;
  std::string_view why;
};
constexpr SharedByReplicates kSharedByReplicates[] = {
    {"run.seed", "every replicate uses the run's seed (replicate r draws its own random numbers from it)"},
    {"run.replicates", "the number of replicates is the run's; set it in the scenario or with --replicates"},
    {"scenario.months", "every replicate shares the time axis"},
    {"run.parameter_sets", "the sets file cannot name itself"},
    {"run.parameter_set_columns", "the sets file cannot choose its own columns"},
};

} // namespace

std::variant<SweepTarget, std::string> resolve_parameter_set_key(const Parameters& base, std::string_view key) {
  const std::string_view name = key.substr(0, key.find('['));
  for (const auto& shared : kSharedByReplicates)
    if (name == shared.key)
      return std::string(key) + ": cannot differ between parameter sets: " + std::string(shared.why);
  return resolve_sweep_key(base, key);
}

std::vector<Issue> parameter_set_issues(const Parameters& base, const std::vector<ScheduledChange>& schedule,
                                        const std::vector<Target>& targets, const ParameterSets& sets,
                                        std::size_t row) {
  Parameters p = base;
  bool population = false;
  std::vector<Issue> issues;
  for (std::size_t k = 0; k < sets.keys.size(); ++k) {
    const auto target = resolve_parameter_set_key(base, sets.keys[k]);
    if (const auto* message = std::get_if<std::string>(&target)) {
      issues.push_back({sets.keys[k], *message});
      continue;
    }
    const SweepTarget& t = std::get<SweepTarget>(target);
    population = population || t.spec->key.starts_with("population.");
    try {
      apply_sweep_value(p, t, sets.rows.at(row).at(k));
    } catch (const Error& e) {
      issues.push_back({sets.keys[k], e.what()});
    }
  }
  if (!issues.empty()) return issues;
  issues = check(p);
  const auto more = Scenario::check_schedule_and_targets(p, schedule, targets);
  issues.insert(issues.end(), more.begin(), more.end());
  if (issues.empty() && population) {
    JointTable joint;
    const auto fit = fit_joint_table(p, joint);
    issues.insert(issues.end(), fit.begin(), fit.end());
  }
  return issues;
}

std::int64_t Scenario::parameter_set_of(std::int64_t replicate) const {
  if (parameter_sets_.empty()) return -1;
  return replicate % static_cast<std::int64_t>(parameter_sets_.rows.size());
}

Scenario Scenario::for_replicate(std::int64_t replicate) const {
  Scenario s = *this;
  if (parameter_sets_.empty()) return s;
  const auto& row = parameter_sets_.rows[static_cast<std::size_t>(parameter_set_of(replicate))];
  for (std::size_t k = 0; k < parameter_set_targets_.size(); ++k)
    apply_sweep_value(s.parameters_, parameter_set_targets_[k], row[k]); // checked in make()
  s.parameter_sets_ = {};
  s.parameter_set_targets_.clear();
  return s;
}

Scenario Scenario::make(Parameters parameters, std::vector<ScheduledChange> schedule, std::vector<Target> targets,
                        std::string source_name, std::string source_text, ParameterSets parameter_sets,
                        std::vector<std::string> notes) {
  fill_column_defaults(parameters);
  std::vector<Issue> issues = check(parameters);
  const auto more = check_schedule_and_targets(parameters, schedule, targets);
  issues.insert(issues.end(), more.begin(), more.end());
  if (issues.empty()) { // the margins are only worth fitting when each is valid on its own
    JointTable joint;
    const auto fit = fit_joint_table(parameters, joint);
    issues.insert(issues.end(), fit.begin(), fit.end());
  }
  std::vector<SweepTarget> set_targets;
  if (issues.empty() && !parameter_sets.keys.empty()) {
    const std::string file = parameter_sets.source.empty() ? "the parameter sets" : parameter_sets.source;
    if (parameter_sets.rows.empty()) issues.push_back({"run.parameter_sets", file + ": no sets"});
    for (std::size_t r = 0; r < parameter_sets.rows.size(); ++r)
      if (parameter_sets.rows[r].size() != parameter_sets.keys.size())
        issues.push_back({"run.parameter_sets", file + ": set " + std::to_string(r) + " has " +
                                                    std::to_string(parameter_sets.rows[r].size()) + " values for " +
                                                    std::to_string(parameter_sets.keys.size()) + " keys"});
    const auto& columns = parameters.run.parameter_set_columns;
    for (const auto& key : parameter_sets.keys) {
      // The io layer keeps only the listed columns; sets built otherwise must do the same.
      if (!columns.empty() && std::find(columns.begin(), columns.end(), key) == columns.end())
        issues.push_back({"run.parameter_set_columns", file + ": column " + key + " is not listed"});
      const auto target = resolve_parameter_set_key(parameters, key);
      if (const auto* message = std::get_if<std::string>(&target))
        issues.push_back({"run.parameter_sets", file + ": " + *message});
      else
        set_targets.push_back(std::get<SweepTarget>(target));
    }
    for (std::size_t r = 0; issues.empty() && r < parameter_sets.rows.size(); ++r)
      for (const auto& issue : parameter_set_issues(parameters, schedule, targets, parameter_sets, r))
        issues.push_back(
            {"run.parameter_sets", file + ": set " + std::to_string(r) + ": " + issue.key + ": " + issue.message});
  } else if (!parameter_sets.rows.empty()) {
    issues.push_back({"run.parameter_sets", "parameter sets without keys"});
  }
  if (!issues.empty()) {
    std::vector<Diagnostic> diagnostics;
    for (auto& issue : issues) diagnostics.push_back({source_name, 0, 0, issue.key, issue.message});
    throw ScenarioError(std::move(diagnostics));
  }
  Scenario s;
  s.notes_ = std::move(notes);
  s.parameter_sets_ = std::move(parameter_sets);
  s.parameter_set_targets_ = std::move(set_targets);
  s.parameters_ = std::move(parameters);
  s.schedule_ = std::move(schedule);
  std::stable_sort(s.schedule_.begin(), s.schedule_.end(),
                   [](const ScheduledChange& a, const ScheduledChange& b) { return a.month < b.month; });
  s.targets_ = std::move(targets);
  s.source_name_ = std::move(source_name);
  s.source_text_ = std::move(source_text);
  return s;
}

std::map<std::int32_t, std::map<std::string, Value>> Scenario::effective_schedule() const {
  std::map<std::int32_t, std::map<std::string, Value>> out;
  for (const auto& change : schedule_) out[change.month.index].insert_or_assign(change.key, change.value);
  return out;
}

Parameters Scenario::parameters_at(Month month) const {
  Parameters p = parameters_;
  for (const auto& change : schedule_) {
    if (change.month > month) break;
    set_value(p, *find_parameter(change.key), change.value); // validated in make()
  }
  return p;
}

} // namespace skillsim
