#include "summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace skillsim::cli {

std::string thousands(std::int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

namespace {

std::string date_text(Month m) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-01", m.year(), m.month());
  return buffer;
}

struct Spread {
  std::int64_t median, low, high;
};

// Median (lower middle for even counts, so it is an attained value) and range over replicates.
Spread spread(const Results& r, const std::string& name, std::size_t t) {
  const Variable& v = r.variable(name);
  const std::size_t replicates = r.dimension("replicate").size();
  const std::size_t times = r.dimension("time").size();
  std::vector<std::int64_t> values;
  for (std::size_t rep = 0; rep < replicates; ++rep) values.push_back(v.data[rep * times + t]);
  std::sort(values.begin(), values.end());
  return {values[(values.size() - 1) / 2], values.front(), values.back()};
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  // Width counts characters, not bytes, so Chinese labels line up.
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80 ? 1 : 0;
  std::size_t cjk = 0; // CJK characters take two columns on a terminal
  for (std::size_t i = 0; i < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) >= 0xE0) ++cjk;
  const std::size_t columns = chars + cjk;
  const std::string fill(columns < width ? width - columns : 0, ' ');
  return right ? fill + s : s + fill;
}

// Median over replicates of a variable's total over time and every dimension after the third,
// for entry `index` of its third dimension (e.g. one programme of enrolments(replicate, time,
// programme), one fund of spending(replicate, time, fund, programme)).
std::int64_t median_total(const Results& r, const std::string& name, std::size_t index) {
  const Variable& v = r.variable(name);
  const std::size_t replicates = r.dimension("replicate").size();
  const std::size_t per_replicate = v.data.size() / replicates;
  const std::size_t width = r.dimension(v.dims[2]).size();
  std::vector<std::int64_t> totals;
  for (std::size_t rep = 0; rep < replicates; ++rep) {
    std::int64_t sum = 0;
    const std::size_t inner = per_replicate / (r.dimension("time").size() * width); // dims after the third
    for (std::size_t k = 0; k < per_replicate; ++k)
      if ((k / inner) % width == index) sum += v.data[rep * per_replicate + k];
    totals.push_back(sum);
  }
  std::sort(totals.begin(), totals.end());
  return totals[(totals.size() - 1) / 2];
}

// Months (in replicate 0) in which a binding record was 1 for entry `index` of its third
// dimension, in any entry of the dimensions after it (e.g. seats_binding in any region).
std::int64_t months_bound(const Results& r, const std::string& name, std::size_t index) {
  const Variable& v = r.variable(name);
  const std::size_t times = r.dimension("time").size();
  const std::size_t per_time = v.data.size() / (r.dimension("replicate").size() * times);
  const std::size_t inner = per_time / r.dimension(v.dims[2]).size();
  std::int64_t months = 0;
  for (std::size_t t = 1; t < times; ++t) {
    const std::int64_t* row = v.data.data() + t * per_time + index * inner;
    months += std::any_of(row, row + inner, [](std::int64_t x) { return x != 0; });
  }
  return months;
}

// "岗位技能提升培训(初级) upgrading_junior": the Chinese label, if any, and the identifier.
std::string entry_label(const Dimension& d, std::size_t k) {
  return d.labels_zh.empty() ? d.labels[k] : d.labels_zh[k] + " " + d.labels[k];
}

// Programmes (enrolled, turned away and why, months in which seats or money bound) and funds
// (spent, left at the end).
std::string training_summary(const Results& r) {
  std::string out = "\nProgrammes (totals over the run)              enrolled   certified  no seat   no money   "
                    "months seats/money bound\n";
  const Dimension& programmes = r.dimension("programme");
  const Dimension& funds = r.dimension("fund");
  const std::size_t replicates = r.dimension("replicate").size(), times = r.dimension("time").size();
  for (std::size_t k = 0; k < programmes.size(); ++k) {
    const std::int64_t seat_months = months_bound(r, "seats_binding", k);
    const std::int64_t money_months = months_bound(r, "money_binding", k);
    out += "  " + pad(entry_label(programmes, k), 42, false) +
           pad(thousands(median_total(r, "enrolments", k)), 10, true) +
           pad(thousands(median_total(r, "certificates", k)), 12, true) +
           pad(thousands(median_total(r, "turned_away_no_seat", k)), 10, true) +
           pad(thousands(median_total(r, "turned_away_no_money", k)), 11, true) + "   " + std::to_string(seat_months) +
           " / " + std::to_string(money_months) + "\n";
  }
  out += "Funds                                             spent (yuan)       left at end\n";
  const Variable& remaining = r.variable("fund_remaining");
  for (std::size_t f = 0; f < funds.size(); ++f) {
    const std::string label = funds.labels_zh.empty() ? funds.labels[f] : funds.labels_zh[f];
    std::vector<std::int64_t> left;
    for (std::size_t rep = 0; rep < replicates; ++rep)
      left.push_back(remaining.data[(rep * times + times - 1) * funds.size() + f]);
    std::sort(left.begin(), left.end());
    out += "  " + pad(label, 42, false) + pad(thousands(median_total(r, "spending", f)), 18, true) +
           pad(thousands(left[(left.size() - 1) / 2]), 18, true) + "\n";
  }
  if (replicates > 1) out += "(medians over replicates; months bound counted in replicate 0)\n";
  return out;
}

// Evaluators (assessments held, months their capacity bound) and the queue.
std::string evaluation_summary(const Results& r) {
  std::string out = "\nEvaluation (totals over the run)                  held   months bound\n";
  const Dimension& evaluators = r.dimension("evaluator");
  const std::size_t times = r.dimension("time").size(), regions = r.dimension("region").size();
  for (std::size_t e = 0; e < evaluators.size(); ++e) {
    out += "  " + pad(entry_label(evaluators, e), 42, false) +
           pad(thousands(median_total(r, "evaluations", e)), 12, true) +
           pad(std::to_string(months_bound(r, "evaluation_binding", e)), 15, true) + "\n";
  }
  std::int64_t gave_up = 0;
  for (std::size_t g = 0; g < regions; ++g) gave_up += median_total(r, "evaluation_abandoned", g);
  const Variable& queue = r.variable("evaluation_queue");
  std::int64_t waiting = 0; // replicate 0, end of the run
  for (std::size_t g = 0; g < regions; ++g) waiting += queue.data[(times - 1) * regions + g];
  out += "  waiting at the end: " + thousands(waiting) + " (replicate 0); gave up waiting: " + thousands(gave_up) +
         (regions > 1 ? " (sum of regional medians)" : "") + "\n";
  return out;
}

// Each target: its value, the median attained at its date, the gap, in how many replicates met.
std::string targets_summary(const Results& r, const Scenario& scenario) {
  std::string out = "\nTargets\n";
  const std::size_t replicates = r.dimension("replicate").size(), n = scenario.targets().size();
  const Variable& attained = r.variable("target_attained");
  const Variable& met = r.variable("target_met");
  for (std::size_t j = 0; j < n; ++j) {
    const Target& target = scenario.targets()[j];
    const bool rate = target_kind(target.series) == TargetKind::Rate;
    const auto text = [&](double v) {
      if (std::isnan(v)) return std::string("n/a");
      if (!rate) return thousands(std::llround(v));
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * v);
      return std::string(buffer);
    };
    const auto gap_text = [&](double gap) {
      if (std::isnan(gap)) return std::string("n/a");
      if (!rate) return (gap >= 0 ? "+" : "") + thousands(std::llround(gap));
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%+.1f points", 100 * gap);
      return std::string(buffer);
    };
    std::vector<double> values;
    std::int64_t met_in = 0;
    for (std::size_t rep = 0; rep < replicates; ++rep) {
      values.push_back(attained.real_data[rep * n + j]);
      met_in += met.data[rep * n + j];
    }
    // NaN (no trainees in the window) sorts last; the lower middle is an attained value.
    std::sort(values.begin(), values.end(), [](double a, double b) { return std::isnan(b) ? !std::isnan(a) : a < b; });
    const double median = values[(values.size() - 1) / 2];
    const double gap = median - target.value;
    out += "  " + pad(target.label, 40, false) + " target " + pad(text(target.value), 12, true) + "  attained " +
           pad(text(median), 12, true) + " (" + gap_text(gap) + ")  met in " + std::to_string(met_in) + "/" +
           std::to_string(replicates) + "\n";
  }
  return out;
}

} // namespace

std::string summarize(const Results& results, const Scenario& scenario) {
  const std::size_t times = results.dimension("time").size();
  const std::size_t replicates = results.dimension("replicate").size();
  const Month start = scenario.start();
  std::string out;
  out += "Scenario " + scenario.parameters().scenario.name + " (" + scenario.source_name() +
         "): " + std::to_string(scenario.parameters().scenario.months) + " months from " + date_text(start) + ", " +
         std::to_string(replicates) + (replicates == 1 ? " replicate" : " replicates") + ", seed " +
         std::to_string(results.metadata.seed) + "\n\n";

  const std::string end_label = date_text(scenario.end());
  out += pad("", 32, false) + pad(date_text(start), 14, true) + pad(end_label, 14, true) + pad("change", 14, true) +
         "   range at end\n";
  const std::pair<const char*, const char*> rows[] = {{"skilled_workers", "skilled workers (初级工+)"},
                                                      {"high_skilled_workers", "high-skilled (高级工+)"}};
  for (const auto& [name, label] : rows) {
    const Spread first = spread(results, name, 0), last = spread(results, name, times - 1);
    const std::int64_t change = last.median - first.median;
    out += pad(label, 32, false) + pad(thousands(first.median), 14, true) + pad(thousands(last.median), 14, true) +
           pad((change >= 0 ? "+" : "") + thousands(change), 14, true);
    out += "   " + thousands(last.low) + " - " + thousands(last.high) + "\n";
  }
  if (replicates > 1) out += "(medians over replicates)\n";

  if (results.has_variable("enrolments")) out += training_summary(results);
  if (results.has_variable("evaluations")) out += evaluation_summary(results);

  if (results.has_variable("target_attained")) out += targets_summary(results, scenario);
  return out;
}

} // namespace skillsim::cli
