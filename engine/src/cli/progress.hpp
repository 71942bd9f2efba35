// A progress bar for long runs, drawn on stderr only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace skillsim::cli {

class ProgressBar {
public:
  /// `enabled` false draws nothing (not a terminal, or --quiet).
  ProgressBar(std::string label, bool enabled);
  ~ProgressBar();
  /// Redraws at most ten times a second, and always at completion.
  void update(std::int64_t done, std::int64_t total);
  /// Clears the bar's line.
  void finish();

private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

/// True if the file descriptor is a terminal.
bool is_terminal(int fd);

} // namespace skillsim::cli
