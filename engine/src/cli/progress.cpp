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

ProgressBar::ProgressBar(std::string label, std::int64_t months, bool enabled)
    : label_(std::move(label)), months_(months), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::start_at(std::int64_t first, std::int64_t skipped) {
  first_ = first;
  skipped_ = skipped;
}

void ProgressBar::update(std::int64_t done, std::int64_t total) {
  if (!enabled_ || total <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string line = progress_line(label_, done, total, months_, elapsed, first_, skipped_);
  // A line wider than the terminal would wrap and "\r" would no longer redraw it: drop the label.
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 && line.size() >= size.ws_col)
    line = progress_line("", done, total, months_, elapsed, first_, skipped_).substr(2);
  std::fprintf(stderr, "\r%s\033[K", line.c_str()); // \033[K: clear what a longer line left
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

} // namespace skillsim::cli
