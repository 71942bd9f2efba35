#include "skillsim/core/errors.hpp"

#include <algorithm>

namespace skillsim {

std::string Diagnostic::to_string() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ":" + std::to_string(line);
      if (column > 0) out += ":" + std::to_string(column);
    }
    out += ": ";
  }
  if (!key.empty()) out += key + ": ";
  out += message;
  return out;
}

std::string problem_count(const std::vector<Diagnostic>& diagnostics) {
  const auto count = [](std::size_t n) { return std::to_string(n) + (n == 1 ? " problem" : " problems"); };
  // Sources in order of first appearance, with their counts.
  std::vector<std::pair<std::string, std::size_t>> sources;
  for (const auto& d : diagnostics) {
    auto it = std::find_if(sources.begin(), sources.end(), [&](const auto& s) { return s.first == d.file; });
    if (it == sources.end())
      sources.emplace_back(d.file, 1);
    else
      ++it->second;
  }
  if (sources.size() == 1 && !sources.front().first.empty())
    return count(diagnostics.size()) + " in " + sources.front().first;
  if (sources.size() <= 1) return count(diagnostics.size());
  std::string text = count(diagnostics.size()) + ":";
  for (std::size_t i = 0; i < sources.size(); ++i)
    text += (i ? ", " : " ") + std::to_string(sources[i].second) + " in " +
            (sources[i].first.empty() ? std::string("the scenario") : sources[i].first);
  return text;
}

namespace {
std::string join(const std::vector<Diagnostic>& diagnostics) {
  std::string text = "invalid scenario: " + problem_count(diagnostics);
  for (const auto& d : diagnostics) text += "\n  " + d.to_string();
  return text;
}
} // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : Error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

} // namespace skillsim
