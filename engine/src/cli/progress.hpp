// A progress bar for long runs, drawn on stderr only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace skillsim::cli {

/// The bar's line after `done` of `total` months over replicates of `months` months each:
/// "LABEL  replicate 3/10  month 14/24  [#####.....]  47%  ~12 s left" (the estimate once a
/// month is done, from the time so far). A run continued from a checkpoint started at `first`
/// months done, and a branch skips the first `skipped` months of every replicate (taken from
/// the checkpoint): the estimate counts only the months simulated.
std::string progress_line(const std::string& label, std::int64_t done, std::int64_t total, std::int64_t months,
                          double elapsed_seconds, std::int64_t first = 0, std::int64_t skipped = 0);

/// The bar's line of a sweep: "LABEL  run 37/200  [####......]  18%  2 failed  ~3 min left".
/// `done` runs are finished (of them `resumed` from an interrupted sweep's journal), the next
/// one `run_fraction` done; the estimate counts the runs of this session only.
std::string sweep_progress_line(const std::string& label, std::int64_t done, std::int64_t total, double run_fraction,
                                std::int64_t failed, std::int64_t resumed, double elapsed_seconds);

/// "~12 s left" (under 90 s), "~4 min left", "~1 h 20 min left".
std::string time_left(double seconds);

class ProgressBar {
public:
  /// `months`: months per replicate. `enabled` false draws nothing (not a terminal, or --quiet).
  ProgressBar(std::string label, std::int64_t months, bool enabled);
  ~ProgressBar();
  /// A run continued from a checkpoint: `first` months counted as done at the start, and the
  /// first `skipped` months of every replicate not simulated (a branch).
  void start_at(std::int64_t first, std::int64_t skipped);
  /// Redraws at most ten times a second, and always at completion.
  void update(std::int64_t done, std::int64_t total);
  /// The same for a sweep (see sweep_progress_line).
  void update_sweep(std::int64_t done, std::int64_t total, double run_fraction, std::int64_t failed,
                    std::int64_t resumed);
  /// Clears the bar's line.
  void finish();

private:
  /// Draws `line(label)` unless drawn less than 0.1 s ago (and not `final`); a line too wide for
  /// the terminal is drawn without the label.
  void draw(bool final, const std::function<std::string(const std::string& label, double elapsed)>& line);

  std::string label_;
  std::int64_t months_;
  bool enabled_;
  std::int64_t first_ = 0, skipped_ = 0;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

/// True if the file descriptor is a terminal.
bool is_terminal(int fd);

} // namespace skillsim::cli
