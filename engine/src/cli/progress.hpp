// A progress bar for long runs, drawn on stderr only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace skillsim::cli {

/// The bar's line after `done` of `total` months over replicates of `months` months each:
/// "LABEL  replicate 3/10  month 14/24  [#####.....]  47%  ~12 s left" (the estimate once a
/// month is done, from the time so far).
std::string progress_line(const std::string& label, std::int64_t done, std::int64_t total, std::int64_t months,
                          double elapsed_seconds);

/// "~12 s left" (under 90 s), "~4 min left", "~1 h 20 min left".
std::string time_left(double seconds);

class ProgressBar {
public:
  /// `months`: months per replicate. `enabled` false draws nothing (not a terminal, or --quiet).
  ProgressBar(std::string label, std::int64_t months, bool enabled);
  ~ProgressBar();
  /// Redraws at most ten times a second, and always at completion.
  void update(std::int64_t done, std::int64_t total);
  /// Clears the bar's line.
  void finish();

private:
  std::string label_;
  std::int64_t months_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

/// True if the file descriptor is a terminal.
bool is_terminal(int fd);

} // namespace skillsim::cli
