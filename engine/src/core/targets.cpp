#include "skillsim/core/targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace skillsim {

namespace {

constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kWindowMonths = 12; // flows and rates are over the year ending at the date

// Element k of a variable of counts (persons) or reals (the twin's expectations).
double value_at(const Variable& v, std::size_t k) {
  return v.is_real ? v.real_data[k] : static_cast<double>(v.data[k]);
}

// A (replicate, time, k...) variable of one replicate as a series over time: the sum over the
// entries of its third dimension selected by `pick` (all when empty) and every dimension after it.
std::vector<double> series(const Results& r, const std::string& name, std::size_t rep,
                           const std::vector<bool>& pick = {}) {
  const Variable& v = r.variable(name);
  const std::size_t times = r.dimension("time").size();
  const std::size_t per_time = v.size() / (r.dimension("replicate").size() * times);
  const std::size_t inner = v.dims.size() < 3 ? per_time : per_time / r.dimension(v.dims[2]).size();
  std::vector<double> out(times, 0.0);
  for (std::size_t t = 0; t < times; ++t) {
    const std::size_t row = (rep * times + t) * per_time;
    for (std::size_t k = 0; k < per_time; ++k)
      if (pick.empty() || pick[k / inner]) out[t] += value_at(v, row + k);
  }
  return out;
}

// Monthly flows summed over the 12 months up to each time point (fewer at the start; undefined
// at the first point, which has no flows).
std::vector<double> trailing_year(const std::vector<double>& monthly) {
  std::vector<double> out(monthly.size(), kUndefined);
  double sum = 0;
  for (std::size_t t = 1; t < monthly.size(); ++t) {
    sum += monthly[t];
    if (t > kWindowMonths) sum -= monthly[t - kWindowMonths];
    out[t] = sum;
  }
  return out;
}

// Which programmes a target counts (empty: all).
std::vector<bool> programme_mask(const Results& r, const Target& target) {
  if (target.programmes.empty()) return {};
  const auto& names = r.dimension("programme").labels;
  std::vector<bool> mask(names.size(), false);
  for (std::size_t k = 0; k < names.size(); ++k)
    mask[k] = std::find(target.programmes.begin(), target.programmes.end(), names[k]) != target.programmes.end();
  return mask;
}

// The target's series for one replicate at every time point (NaN where undefined).
std::vector<double> target_series(const Results& r, const Target& target, std::size_t rep) {
  const std::vector<bool> prog = programme_mask(r, target);
  const auto year = [&](const char* name) { return trailing_year(series(r, name, rep, prog)); };
  const auto rate = [&](const char* numerator, std::initializer_list<const char*> denominator) {
    std::vector<double> out = year(numerator), below(out.size(), 0.0);
    for (const char* name : denominator) {
      const std::vector<double> part = year(name);
      for (std::size_t t = 0; t < out.size(); ++t) below[t] += part[t];
    }
    for (std::size_t t = 0; t < out.size(); ++t) out[t] = below[t] > 0 ? out[t] / below[t] : kUndefined;
    return out;
  };
  switch (target.series) {
  case TargetSeries::SkilledWorkers:
    return series(r, "skilled_workers", rep);
  case TargetSeries::HighSkilledWorkers:
    return series(r, "high_skilled_workers", rep);
  case TargetSeries::WorkersAtLevel: {
    // workers(level, status): the level's row, every status but retired.
    const Variable& workers = r.variable("workers");
    const std::size_t times = r.dimension("time").size();
    std::vector<double> out(times, 0.0);
    for (std::size_t t = 0; t < times; ++t)
      for (int st = 0; st < kStatusCount; ++st)
        if (st != static_cast<int>(Status::Retired))
          out[t] += value_at(workers, (rep * times + t) * kLevelCount * kStatusCount +
                                          static_cast<std::size_t>(target.level * kStatusCount + st));
    return out;
  }
  case TargetSeries::TraineesPerYear:
    return year("enrolments");
  case TargetSeries::NewSkilledWorkersPerYear:
    return trailing_year(series(r, "new_skilled_workers", rep));
  case TargetSeries::CertificatesPerYear:
    return year("certificates");
  case TargetSeries::PassRate:
    return rate("completions", {"completions", "dropouts"});
  case TargetSeries::CertificateRate:
    return rate("certificates", {"completions", "dropouts"});
  case TargetSeries::EmploymentRate:
    return rate("employed_after_training", {"followed_up"});
  }
  return std::vector<double>(r.dimension("time").size(), kUndefined);
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
          paid += value_at(spending, ((rep * times + t) * funds + f) * programmes + k);
        certified += value_at(certificates, (rep * times + t) * programmes + k);
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
  std::vector<double> value(replicates * times * n, kUndefined), planned = value, gap = value;
  std::vector<double> attained(replicates * n, kUndefined);
  std::vector<std::int64_t> met(replicates * n, 0);
  const Month start = scenario.start();
  for (std::size_t j = 0; j < n; ++j) {
    const Target& target = targets[j];
    const auto due = static_cast<std::size_t>(target.month - start);
    for (std::size_t rep = 0; rep < replicates; ++rep) {
      const std::vector<double> values = target_series(r, target, rep);
      std::vector<std::pair<double, double>> path; // (month index, planned value)
      if (target.linear) path.emplace_back(0.0, values[0]);
      for (const auto& point : target.trajectory) path.emplace_back(point.month - start, point.value);
      path.emplace_back(static_cast<double>(due), target.value);
      for (std::size_t t = 0; t < times; ++t) {
        const std::size_t k = (rep * times + t) * n + j;
        value[k] = values[t];
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
