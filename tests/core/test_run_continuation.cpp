// A run continues from saved state (RunStart) as if it had never stopped: stopped after any
// month of any replicate (the checkpoint callback throws Cancelled) and continued, it gives the
// uninterrupted run's results bit for bit, with any thread count; a branch with the same
// parameters continues a shorter run into the longer run's results; a branch with another
// policy shares the months it took over and differs after them.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/io/scenario_toml.hpp"

namespace skillsim {
namespace {

// The Jincheng plan (programmes, two funds, evaluators with queues, leakage and audits,
// appointment quotas) at scale 300: every kind of state a checkpoint holds. Its targets are at
// its end: a shorter run is without them.
Scenario busy_scenario(std::vector<std::string> more = {}, bool with_targets = true) {
  std::vector<std::string> overrides = {"population.scale=300",
                                        "evaluation.capacity_per_month=[[300], [600], [100]]",
                                        "programmes.leakage_share=[0.1, 0.1, 0.1, 0.1]",
                                        "audit.share_audited=0.3",
                                        "audit.cost_per_audit=37",
                                        "skills.principal_technician_quota_per_year=500",
                                        "skills.chief_technician_quota_per_year=70"};
  overrides.insert(overrides.end(), more.begin(), more.end());
  const std::string path = std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml";
  std::ifstream in(path);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!with_targets) text = text.substr(0, text.find("[[targets]]"));
  return io::parse_scenario_file(text, path, overrides);
}

// The plan stopped after 12 months (as --set scenario.months=12 would, without its targets).
Scenario shorter_scenario(std::vector<std::string> more = {}) {
  more.emplace_back("scenario.months=12");
  return busy_scenario(std::move(more), false);
}

// What a checkpoint holds, kept in memory: the results so far and each replicate's latest state.
struct Saved {
  Results results;
  std::vector<std::int64_t> months_done;
  std::map<std::int64_t, ReplicateSnapshot> snapshots;

  explicit Saved(std::int64_t replicates) : months_done(static_cast<std::size_t>(replicates), -1) {}

  void take(const RunCheckpoint& at) {
    results = at.results;
    months_done[static_cast<std::size_t>(at.replicate)] = static_cast<std::int64_t>(at.month);
    snapshots[at.replicate] = at.state.snapshot();
  }

  RunStart start() const {
    RunStart s;
    s.results = results;
    s.months_done = months_done;
    s.snapshot = [this](std::int64_t r) { return snapshots.at(r); };
    return s;
  }
};

TEST(RunContinuation, StoppedAnywhereAndResumedEqualsUninterrupted) {
  const Scenario s = busy_scenario();
  RunOptions options;
  options.replicates = 3;
  options.seed = 7;
  options.threads = 1;
  const Results uninterrupted = run_scenario(s, options);

  // Stopped in the first month, in the middle, at the end of a replicate, in the last one.
  struct Stop {
    std::int64_t replicate;
    std::size_t month;
  };
  for (const Stop stop : {Stop{0, 1}, Stop{1, 24}, Stop{2, 13}}) {
    SCOPED_TRACE("stopped after month " + std::to_string(stop.month) + " of replicate " +
                 std::to_string(stop.replicate + 1));
    Saved saved(options.replicates);
    RunOptions first = options;
    first.checkpoint_every = 1;
    first.checkpoint = [&](const RunCheckpoint& at) {
      EXPECT_EQ(at.months, 24U);
      saved.take(at);
      if (at.replicate == stop.replicate && at.month == stop.month) throw Cancelled();
    };
    EXPECT_THROW(run_scenario(s, first), Cancelled);

    const RunStart start = saved.start();
    RunOptions second = options;
    second.start = &start;
    second.threads = 2; // the bits do not depend on the threads
    std::int64_t first_progress = -1;
    second.progress = [&](std::int64_t done, std::int64_t total) {
      if (first_progress < 0) first_progress = done;
      EXPECT_EQ(total, 3 * 24);
    };
    test::expect_same_results(run_scenario(s, second), uninterrupted);
    // The progress counts the months saved as done.
    EXPECT_EQ(first_progress, stop.replicate * 24 + static_cast<std::int64_t>(stop.month) + 1);
  }
}

TEST(RunContinuation, CheckpointsComeEveryMMonthsAndAtTheEndOfEachReplicate) {
  const Scenario s = busy_scenario();
  RunOptions options;
  options.replicates = 2;
  options.checkpoint_every = 5;
  std::vector<std::pair<std::int64_t, std::size_t>> positions;
  options.checkpoint = [&](const RunCheckpoint& at) {
    positions.emplace_back(at.replicate, at.month);
    EXPECT_EQ(at.state.current_month(), s.start() + static_cast<int>(at.month));
  };
  run_scenario(s, options);
  const std::vector<std::pair<std::int64_t, std::size_t>> expected = {{0, 5}, {0, 10}, {0, 15}, {0, 20}, {0, 24},
                                                                      {1, 5}, {1, 10}, {1, 15}, {1, 20}, {1, 24}};
  EXPECT_EQ(positions, expected);
}

// Runs `s` keeping the final state of every replicate: a finished checkpoint.
Saved finished_run(const Scenario& s, const RunOptions& options) {
  Saved saved(options.replicates);
  RunOptions o = options;
  o.checkpoint = [&](const RunCheckpoint& at) { saved.take(at); };
  run_scenario(s, o);
  return saved;
}

TEST(RunContinuation, BranchWithTheSameParametersEqualsTheLongerRun) {
  const Scenario longer = busy_scenario(), shorter = shorter_scenario();
  RunOptions options;
  options.replicates = 2;
  options.seed = 3;
  const Saved saved = finished_run(shorter, options);
  EXPECT_EQ(saved.months_done, (std::vector<std::int64_t>{12, 12}));
  EXPECT_TRUE(branch_problems(shorter, longer, 12).empty());

  const RunStart start = saved.start();
  RunOptions branch = options;
  branch.start = &start;
  branch.threads = 2;
  test::expect_same_results(run_scenario(longer, branch), run_scenario(longer, options));
}

// A run shortened to 12 months leaves out the schedule entry that switches employers.matching to
// matching by level in month 12 (2021-01), so its results lack employer_seekers and
// employer_matches; a branch from it under the whole file declares them, 0 in the months it takes
// over, and equals the 30-month run that never stopped.
TEST(RunContinuation, BranchDeclaresWhatTheShorterRunLeftOut) {
  const std::string path = std::string(SKILLSIM_SOURCE_DIR) + "/tests/data/split_employers.toml";
  const Scenario longer = io::load_scenario(path), shorter = io::load_scenario(path, {"scenario.months=12"});
  ASSERT_FALSE(shorter.notes().empty()); // the schedule entry left out
  RunOptions options;
  options.replicates = 1;
  const Saved saved = finished_run(shorter, options);
  ASSERT_FALSE(saved.results.has_variable("employer_seekers"));
  ASSERT_TRUE(branch_problems(shorter, longer, 12).empty());
  EXPECT_EQ(branch_new_variables(shorter, longer), (std::vector<std::string>{"employer_seekers", "employer_matches"}));
  EXPECT_TRUE(branch_new_variables(longer, longer).empty());

  RunStart start = saved.start();
  RunOptions branch = options;
  branch.start = &start;
  try { // without them: the saved results are not those of the layout
    run_scenario(longer, branch);
    FAIL() << "a variable the saved results lack was not noticed";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "the saved results lack the variable 'employer_seekers'");
  }
  start.new_variables = branch_new_variables(shorter, longer);
  const Results branched = run_scenario(longer, branch), unbroken = run_scenario(longer, options);
  test::expect_same_results(branched, unbroken);
  std::int64_t seekers = 0;
  for (std::size_t t = 13; t <= 30; ++t)
    for (std::size_t k = 0; k < kLevelCount; ++k) seekers += test::at(branched, "employer_seekers", 0, t, k);
  EXPECT_GT(seekers, 0) << "matching by level from month 13";
}

TEST(RunContinuation, BranchWithAnotherPolicySharesTheMonthsItTookOver) {
  const Scenario base = busy_scenario(), shorter = shorter_scenario();
  const Scenario policy = busy_scenario({"labour.job_find_rate=0.3"});
  ASSERT_TRUE(branch_problems(shorter, policy, 12).empty());
  RunOptions options;
  options.replicates = 2;
  const Saved saved = finished_run(shorter, options);
  const RunStart start = saved.start();
  RunOptions branch = options;
  branch.start = &start;
  const Results original = run_scenario(base, options), branched = run_scenario(policy, branch);
  const Variable &a = original.variable("workers"), &b = branched.variable("workers");
  const std::size_t per_time = a.data.size() / (2 * 25);
  for (std::size_t r = 0; r < 2; ++r) {
    const auto slice = [&](const Variable& v, std::size_t t) {
      const auto first = v.data.begin() + static_cast<std::ptrdiff_t>((r * 25 + t) * per_time);
      return std::vector<std::int64_t>(first, first + static_cast<std::ptrdiff_t>(per_time));
    };
    for (std::size_t t = 0; t <= 12; ++t) EXPECT_EQ(slice(a, t), slice(b, t)) << "replicate " << r << ", month " << t;
    EXPECT_NE(slice(a, 24), slice(b, 24)) << "replicate " << r << ": the policy changed nothing";
  }
}

TEST(RunContinuation, BranchProblemsNameWhatDiffers) {
  const Scenario saved = shorter_scenario();
  const auto problems = [&](std::vector<std::string> overrides, std::int64_t at = 12) {
    std::string all;
    for (const auto& p : branch_problems(saved, busy_scenario(std::move(overrides), false), at)) all += p + "\n";
    return all;
  };
  EXPECT_EQ(problems({}), "");
  EXPECT_EQ(problems({"scenario.start=2019-01-01"}), "scenario.start is 2019-01-01, the saved run's 2020-01-01\n");
  EXPECT_EQ(problems({"scenario.months=10"}),
            "scenario.months is 10, fewer than the 12 months the saved run simulated\n");
  EXPECT_EQ(problems({"population.scale=50"}), "population.scale is 50, the saved run's 300\n");
  EXPECT_NE(problems({"funds.names=[\"a\", \"b\"]"}).find("funds.names is [a, b], the saved run's ["),
            std::string::npos);
}

TEST(RunContinuation, SavedStateThatDoesNotFitIsRefused) {
  const Scenario s = shorter_scenario();
  RunOptions options;
  const Saved saved = finished_run(s, options);
  RunStart start = saved.start();
  RunOptions again = options;
  again.start = &start;

  start.months_done = {12, 12}; // one replicate in the run
  EXPECT_THROW(run_scenario(s, again), Error);
  start.months_done = {4}; // the snapshot is of month 12
  try {
    run_scenario(s, again);
    FAIL() << "a snapshot of another month was continued";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "the saved state of replicate 1 is of 2021-01-01, not 2020-05-01");
  }
  // Another scenario's layout: no programmes, funds or evaluators.
  const Scenario other = test::small_scenario({"scenario.start=2020-01-01"}, 20000, 1, 12);
  start.months_done = {3};
  ReplicateSnapshot at3 = saved.snapshots.at(0);
  at3.month = other.start() + 3;
  start.snapshot = [&](std::int64_t) { return at3; };
  try {
    run_scenario(other, again);
    FAIL() << "a snapshot of another scenario was continued";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the saved state of replicate 1 does not fit the scenario"), std::string::npos)
        << e.what();
  }
}

} // namespace
} // namespace skillsim
