#include "progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace skillsim::cli {

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

std::string time_left(double seconds) {
  const auto s = static_cast<long long>(std::ceil(std::max(seconds, 0.0)));
  if (s < 90) return fmt::format("~{} s left", s); // "~1 min" would hide half a minute
  const long long minutes = (s + 30) / 60;
  if (minutes < 60) return fmt::format("~{} min left", minutes);
  return fmt::format("~{} h {} min left", minutes / 60, minutes % 60);
}

std::string progress_line(const std::string& label, std::int64_t done, std::int64_t total, std::int64_t months,
                          double elapsed_seconds, std::int64_t first, std::int64_t skipped) {
  months = std::max<std::int64_t>(months, 1);
  const std::int64_t replicates = (total + months - 1) / months;
  // The replicate being simulated; at its last month it stays shown as done ("month 24/24").
  const std::int64_t replicate = done == 0 ? 1 : (done - 1) / months + 1;
  const std::int64_t month = done - (replicate - 1) * months;
  constexpr int kWidth = 20;
  const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
  std::string bar(static_cast<std::size_t>(fraction * kWidth), '#');
  bar.resize(kWidth, '.');
  std::string line = fmt::format("{}  replicate {}/{}  month {}/{}  [{}]  {:3d}%", label, replicate, replicates, month,
                                 months, bar, static_cast<int>(fraction * 100));
  // Months simulated up to `done` months done: each replicate's first `skipped` are not.
  const auto simulated = [&](std::int64_t at) {
    return at / months * (months - skipped) + std::max<std::int64_t>(at % months - skipped, 0);
  };
  const std::int64_t so_far = simulated(done) - simulated(first), left = simulated(total) - simulated(done);
  if (so_far > 0 && done < total)
    line += "  " + time_left(elapsed_seconds * static_cast<double>(left) / static_cast<double>(so_far));
  return line;
}

std::string sweep_progress_line(const std::string& label, std::int64_t done, std::int64_t total, double run_fraction,
                                std::int64_t failed, std::int64_t resumed, double elapsed_seconds) {
  constexpr int kWidth = 20;
  const double progress = static_cast<double>(done) + (done < total ? run_fraction : 0.0);
  const double fraction = total > 0 ? progress / static_cast<double>(total) : 0.0;
  std::string bar(static_cast<std::size_t>(fraction * kWidth), '#');
  bar.resize(kWidth, '.');
  std::string line = fmt::format("{}  run {}/{}  [{}]  {:3d}%", label, std::min(done + 1, total), total, bar,
                                 static_cast<int>(fraction * 100));
  if (failed > 0) line += fmt::format("  {} failed", failed);
  // From this session's pace: runs taken from a journal cost nothing.
  const double here = progress - static_cast<double>(resumed);
  if (here > 0 && done < total)
    line += "  " + time_left(elapsed_seconds * (static_cast<double>(total) - progress) / here);
  return line;
}

ProgressBar::ProgressBar(std::string label, std::int64_t months, bool enabled)
    : label_(std::move(label)), months_(months), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::start_at(std::int64_t first, std::int64_t skipped) {
  first_ = first;
  skipped_ = skipped;
}

void ProgressBar::draw(bool final, const std::function<std::string(const std::string&, double)>& line) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && !final && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string text = line(label_, elapsed);
  // A line wider than the terminal would wrap and "\r" would no longer redraw it: drop the label.
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 && text.size() >= size.ws_col)
    text = line("", elapsed).substr(2);
  std::fprintf(stderr, "\r%s\033[K", text.c_str()); // \033[K: clear what a longer line left
  std::fflush(stderr);
}

void ProgressBar::update(std::int64_t done, std::int64_t total) {
  if (total <= 0) return;
  draw(done >= total, [&](const std::string& label, double elapsed) {
    return progress_line(label, done, total, months_, elapsed, first_, skipped_);
  });
}

void ProgressBar::update_sweep(std::int64_t done, std::int64_t total, double run_fraction, std::int64_t failed,
                               std::int64_t resumed) {
  if (total <= 0) return;
  draw(done >= total, [&](const std::string& label, double elapsed) {
    return sweep_progress_line(label, done, total, run_fraction, failed, resumed, elapsed);
  });
}

void ProgressBar::finish() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

} // namespace skillsim::cli
