#include "skillsim/core/targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace skillsim {

namespace {

constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kWindowMonths = 12; // flows and rates are over the year ending at the date

// Reads (replicate, time, k...) variables of `results` as doubles.
struct Series {
  const Results& r;
  std::size_t times;

  // Sum over the entries of dimension 2 selected by `pick` (all when empty) and every dimension
  // after it.
  double sum(const std::string& name, std::size_t rep, std::size_t t, const std::vector<bool>& pick = {}) const {
    const Variable& v = r.variable(name);
    const std::size_t per_time = v.data.size() / (r.dimension("replicate").size() * times);
    const std::int64_t* row = v.data.data() + (rep * times + t) * per_time;
    if (v.dims.size() < 3) return static_cast<double>(row[0]);
    const std::size_t width = r.dimension(v.dims[2]).size(), inner = per_time / width;
    double total = 0;
    for (std::size_t k = 0; k < per_time; ++k)
      if (pick.empty() || pick[k / inner]) total += static_cast<double>(row[k]);
    return total;
  }

  double window(const std::string& name, std::size_t rep, std::size_t t, const std::vector<bool>& pick) const {
    double total = 0;
    for (std::size_t u = t >= kWindowMonths ? t - kWindowMonths + 1 : 1; u <= t; ++u) total += sum(name, rep, u, pick);
    return total;
  }
};

// Which programmes a target counts (empty: all).
std::vector<bool> programme_mask(const Results& r, const Target& target) {
  if (target.programmes.empty()) return {};
  const auto& names = r.dimension("programme").labels;
  std::vector<bool> mask(names.size(), false);
  for (std::size_t k = 0; k < names.size(); ++k)
    mask[k] = std::find(target.programmes.begin(), target.programmes.end(), names[k]) != target.programmes.end();
  return mask;
}

// The target's series for one replicate at month index t (NaN where undefined).
double value_at(const Series& s, const Target& target, std::size_t rep, std::size_t t) {
  const std::vector<bool> prog = programme_mask(s.r, target);
  const auto rate = [&](const char* numerator, std::initializer_list<const char*> denominator) {
    double below = 0;
    for (const char* name : denominator) below += s.window(name, rep, t, prog);
    return below > 0 ? s.window(numerator, rep, t, prog) / below : kUndefined;
  };
  if (t == 0 && target_kind(target.series) != TargetKind::Stock) return kUndefined;
  switch (target.series) {
  case TargetSeries::SkilledWorkers:
    return s.sum("skilled_workers", rep, t);
  case TargetSeries::HighSkilledWorkers:
    return s.sum("high_skilled_workers", rep, t);
  case TargetSeries::WorkersAtLevel: {
    double total = 0;
    for (int st = 0; st < kStatusCount; ++st)
      if (st != static_cast<int>(Status::Retired))
        total += static_cast<double>(
            s.r.variable("workers").data[(rep * s.times + t) * kLevelCount * kStatusCount +
                                         static_cast<std::size_t>(target.level * kStatusCount + st)]);
    return total;
  }
  case TargetSeries::TraineesPerYear:
    return s.window("enrolments", rep, t, prog);
  case TargetSeries::NewSkilledWorkersPerYear:
    return s.window("new_skilled_workers", rep, t, {});
  case TargetSeries::CertificatesPerYear:
    return s.window("certificates", rep, t, prog);
  case TargetSeries::PassRate:
    return rate("completions", {"completions", "dropouts"});
  case TargetSeries::CertificateRate:
    return rate("certificates", {"completions", "dropouts"});
  case TargetSeries::EmploymentRate:
    return rate("employed_after_training", {"followed_up"});
  }
  return kUndefined;
}

Variable& add_real(Results& r, const std::string& name, std::vector<std::string> dims, const std::string& units,
                   const std::string& long_name) {
  Variable v;
  v.name = name;
  v.dims = std::move(dims);
  v.units = units;
  v.long_name = long_name;
  v.is_real = true;
  std::size_t size = 1;
  for (const auto& d : v.dims) size *= r.dimension(d).size();
  v.real_data.assign(size, kUndefined);
  r.variables.push_back(std::move(v));
  return r.variables.back();
}

void add_cost_per_certificate(Results& r) {
  const std::size_t replicates = r.dimension("replicate").size(), times = r.dimension("time").size();
  const std::size_t programmes = r.dimension("programme").size(), funds = r.dimension("fund").size();
  std::vector<double> values(replicates * programmes, kUndefined);
  const Variable& spending = r.variable("spending");
  const Variable& certificates = r.variable("certificates");
  for (std::size_t rep = 0; rep < replicates; ++rep)
    for (std::size_t k = 0; k < programmes; ++k) {
      double paid = 0, certified = 0;
      for (std::size_t t = 0; t < times; ++t) {
        for (std::size_t f = 0; f < funds; ++f)
          paid += static_cast<double>(spending.data[((rep * times + t) * funds + f) * programmes + k]);
        certified += static_cast<double>(certificates.data[(rep * times + t) * programmes + k]);
      }
      if (certified > 0) values[rep * programmes + k] = paid / certified;
    }
  add_real(r, "cost_per_certificate", {"replicate", "programme"}, "yuan",
           "money paid for the programme over the run (incl. leakage and audits) per certificate earned")
      .real_data = std::move(values);
}

} // namespace

void add_target_results(Results& r, const Scenario& scenario) {
  if (r.has_variable("spending")) add_cost_per_certificate(r);
  const auto& targets = scenario.targets();
  if (targets.empty()) return;
  Dimension dim{"target", {}, {}, {}, {{"long_name", "targets of the scenario ([[targets]]), in order"}}};
  for (const Target& t : targets) dim.labels.push_back(t.label);
  r.dimensions.push_back(std::move(dim));

  const std::size_t replicates = r.dimension("replicate").size(), times = r.dimension("time").size();
  const std::size_t n = targets.size();
  const Series s{r, times};
  std::vector<double> value(replicates * times * n, kUndefined), planned = value, gap = value;
  std::vector<double> attained(replicates * n, kUndefined);
  std::vector<std::int64_t> met(replicates * n, 0);
  const Month start = scenario.start();
  for (std::size_t j = 0; j < n; ++j) {
    const Target& target = targets[j];
    const auto due = static_cast<std::size_t>(target.month - start);
    for (std::size_t rep = 0; rep < replicates; ++rep) {
      std::vector<std::pair<double, double>> path; // (month index, planned value)
      if (target.linear) path.emplace_back(0.0, value_at(s, target, rep, 0));
      for (const auto& point : target.trajectory) path.emplace_back(point.month - start, point.value);
      path.emplace_back(static_cast<double>(due), target.value);
      for (std::size_t t = 0; t < times; ++t) {
        const std::size_t k = (rep * times + t) * n + j;
        value[k] = value_at(s, target, rep, t);
        const double x = static_cast<double>(t);
        for (std::size_t p = 0; p < path.size(); ++p) {
          if (x == path[p].first) {
            planned[k] = path[p].second;
          } else if (p + 1 < path.size() && x > path[p].first && x < path[p + 1].first) {
            const double w = (x - path[p].first) / (path[p + 1].first - path[p].first);
            planned[k] = path[p].second + w * (path[p + 1].second - path[p].second);
          }
        }
        gap[k] = value[k] - planned[k];
      }
      attained[rep * n + j] = value[(rep * times + due) * n + j];
      met[rep * n + j] = attained[rep * n + j] >= target.value ? 1 : 0;
    }
  }
  const std::string unit = "persons (flows: persons a year; rates: share)";
  add_real(r, "target_value", {"replicate", "time", "target"}, unit,
           "the target's series: a stock at the instant, a flow or rate over the 12 months before it")
      .real_data = std::move(value);
  add_real(r, "target_planned", {"replicate", "time", "target"}, unit,
           "the planned trajectory (listed points, or linear from the start), where defined")
      .real_data = std::move(planned);
  add_real(r, "target_gap", {"replicate", "time", "target"}, unit,
           "target_value - target_planned: positive ahead of plan, negative behind")
      .real_data = std::move(gap);
  add_real(r, "target_attained", {"replicate", "target"}, unit, "the series at the target date").real_data =
      std::move(attained);
  Variable v;
  v.name = "target_met";
  v.dims = {"replicate", "target"};
  v.units = "1";
  v.long_name = "1 if the value attained at the target date reaches the target";
  v.data = std::move(met);
  r.variables.push_back(std::move(v));
}

} // namespace skillsim
