// The progress bar's line: replicates and months apart (not "1/240 months" for 10 replicates of
// 24 months), the share done and the time left.
#include <gtest/gtest.h>

#include <string>

#include "progress.hpp"

using skillsim::cli::progress_line;
using skillsim::cli::sweep_progress_line;
using skillsim::cli::time_left;

namespace {

TEST(ProgressLine, ShowsReplicateAndMonthApart) {
  // 10 replicates of 24 months; 2 full replicates and 14 months of the third done in 30 s.
  EXPECT_EQ(progress_line("jincheng", 62, 240, 24, 30.0),
            "jincheng  replicate 3/10  month 14/24  [#####...............]   25%  ~87 s left");
}

TEST(ProgressLine, StartAndEndOfAReplicate) {
  EXPECT_EQ(progress_line("x", 0, 48, 24, 0.0), "x  replicate 1/2  month 0/24  [....................]    0%");
  EXPECT_EQ(progress_line("x", 1, 48, 24, 1.0).substr(0, 30), "x  replicate 1/2  month 1/24  ");
  // The last month of a replicate stays shown as that replicate's, not as month 0 of the next.
  EXPECT_EQ(progress_line("x", 24, 48, 24, 4.0).substr(0, 31), "x  replicate 1/2  month 24/24  ");
  EXPECT_EQ(progress_line("x", 25, 48, 24, 4.0).substr(0, 30), "x  replicate 2/2  month 1/24  ");
  // Done: no estimate.
  EXPECT_EQ(progress_line("x", 48, 48, 24, 8.0), "x  replicate 2/2  month 24/24  [####################]  100%");
}

TEST(ProgressLine, EstimatesTheTimeLeft) {
  // A quarter done in 4 s: 12 s left.
  EXPECT_EQ(progress_line("x", 6, 24, 24, 4.0),
            "x  replicate 1/1  month 6/24  [#####...............]   25%  ~12 s left");
}

TEST(SweepProgressLine, RunsDoneFailedAndTimeLeft) {
  // 200 runs: 36 done and half of the 37th in 73 s; 2 failed.
  EXPECT_EQ(sweep_progress_line("grid", 36, 200, 0.5, 2, 0, 73.0),
            "grid  run 37/200  [###.................]   18%  2 failed  ~5 min left");
  // Done: the last run, no estimate.
  EXPECT_EQ(sweep_progress_line("grid", 200, 200, 0.0, 0, 0, 600.0), "grid  run 200/200  [####################]  100%");
}

TEST(SweepProgressLine, RunsFromTheJournalDoNotSpeedUpTheEstimate) {
  // Resumed with 100 of 200 runs done; 10 more in 20 s: 90 left at 2 s each.
  EXPECT_EQ(sweep_progress_line("grid", 110, 200, 0.0, 0, 100, 20.0),
            "grid  run 111/200  [###########.........]   55%  ~3 min left");
  // Nothing run yet in this session: no estimate.
  EXPECT_EQ(sweep_progress_line("grid", 100, 200, 0.0, 0, 100, 0.5), "grid  run 101/200  [##########..........]   50%");
}

TEST(ProgressLine, EstimatesOnlyTheMonthsSimulated) {
  // Resumed after replicate 1 of 2 (24 months done before): 6 months in 3 s, 18 left.
  EXPECT_EQ(progress_line("x", 30, 48, 24, 3.0, 24).substr(30), "[############........]   62%  ~9 s left");
  // A branch from month 12: replicate 1 at month 18, 6 months simulated in 3 s; 6 left of this
  // replicate and 12 of the next (its first 12 are taken from the checkpoint).
  EXPECT_EQ(progress_line("x", 18, 48, 24, 3.0, 12, 12),
            "x  replicate 1/2  month 18/24  [#######.............]   37%  ~9 s left");
  EXPECT_EQ(progress_line("x", 37, 48, 24, 8.0, 12, 12),
            "x  replicate 2/2  month 13/24  [###############.....]   77%  ~7 s left");
}

TEST(TimeLeft, SecondsMinutesHours) {
  EXPECT_EQ(time_left(0.2), "~1 s left");
  EXPECT_EQ(time_left(12.0), "~12 s left");
  EXPECT_EQ(time_left(89.5), "~2 min left"); // whole seconds up: 90 s
  EXPECT_EQ(time_left(88.0), "~88 s left");
  EXPECT_EQ(time_left(90.0), "~2 min left");
  EXPECT_EQ(time_left(150.0), "~3 min left");
  EXPECT_EQ(time_left(149.0), "~2 min left");
  EXPECT_EQ(time_left(3600.0 + 20 * 60), "~1 h 20 min left");
  EXPECT_EQ(time_left(-1.0), "~0 s left");
}

} // namespace
