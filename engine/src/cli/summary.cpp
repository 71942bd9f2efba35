#include "summary.hpp"

#include <algorithm>
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

  if (!scenario.targets().empty()) {
    out += "\nTargets\n";
    for (const Target& target : scenario.targets()) {
      const std::string name(kTargetSeriesIds[static_cast<std::size_t>(target.series)]);
      const auto t = static_cast<std::size_t>(target.month - start);
      const Variable& v = results.variable(name);
      std::size_t met = 0;
      for (std::size_t rep = 0; rep < replicates; ++rep)
        if (static_cast<double>(v.data[rep * times + t]) >= target.value) ++met;
      const Spread attained = spread(results, name, t);
      const auto target_value = static_cast<std::int64_t>(target.value);
      out += "  " + pad(target.label, 40, false) + " target " + pad(thousands(target_value), 12, true) + "  attained " +
             pad(thousands(attained.median), 12, true) + " (" + (attained.median >= target_value ? "+" : "") +
             thousands(attained.median - target_value) + ")  met in " + std::to_string(met) + "/" +
             std::to_string(replicates) + "\n";
    }
  }
  return out;
}

} // namespace skillsim::cli
