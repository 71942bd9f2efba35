#include "skillsim/core/errors.hpp"

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

namespace {
std::string join(const std::vector<Diagnostic>& diagnostics) {
  std::string text = diagnostics.size() == 1 ? "invalid scenario: 1 problem"
                                             : "invalid scenario: " + std::to_string(diagnostics.size()) + " problems";
  for (const auto& d : diagnostics) text += "\n  " + d.to_string();
  return text;
}
} // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : Error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

} // namespace skillsim
