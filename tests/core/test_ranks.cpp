// A run split over ranks (ranks.hpp, docs/cluster.md "One run over ranks") with the ranks as
// threads of this process: a RankGroup whose sums and joins meet at a barrier. The results must
// be those of one process, bit for bit, for 2 and 3 ranks (the MPI ranks themselves are tested in
// tests/cli/test_run_split.sh), employer cells included; a checkpoint gathered from the ranks is
// one process's, and continued on other ranks gives the uninterrupted run.
#include <gtest/gtest.h>

#include <algorithm>
#include <barrier>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/memory_estimate.hpp"
#include "skillsim/core/ranks.hpp"

namespace skillsim {
namespace {

// What the threads of one group share: each one's contribution, met at a barrier.
struct Meeting {
  explicit Meeting(int n) : barrier(n), sums(static_cast<std::size_t>(n)), joins(static_cast<std::size_t>(n)) {}
  std::barrier<> barrier;
  std::vector<std::vector<std::int64_t>> sums;
  std::vector<std::vector<std::uint64_t>> joins;
};

class ThreadRanks final : public RankGroup {
public:
  ThreadRanks(Meeting& meeting, int rank, int size) : meeting_(meeting), rank_(rank), size_(size) {}
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void sum(std::span<std::int64_t> values) const override {
    meeting_.sums[static_cast<std::size_t>(rank_)].assign(values.begin(), values.end());
    meeting_.barrier.arrive_and_wait();
    for (std::size_t k = 0; k < values.size(); ++k) {
      std::int64_t total = 0;
      for (const auto& part : meeting_.sums) total += part.at(k); // a rank with another length fails here
      values[k] = total;
    }
    meeting_.barrier.arrive_and_wait(); // nobody writes the next contribution before all have read
  }
  std::vector<std::uint64_t> join(std::span<const std::uint64_t> mine) const override {
    meeting_.joins[static_cast<std::size_t>(rank_)].assign(mine.begin(), mine.end());
    meeting_.barrier.arrive_and_wait();
    std::vector<std::uint64_t> all;
    for (const auto& part : meeting_.joins) all.insert(all.end(), part.begin(), part.end());
    meeting_.barrier.arrive_and_wait();
    return all;
  }

private:
  Meeting& meeting_;
  int rank_, size_;
};

// Every rank's results of `scenario` split over `n` thread-ranks (one OpenMP thread each), with
// `adjust` making each rank's options its own.
std::vector<Results> run_split(const Scenario& scenario, int n, std::int64_t replicates,
                               const std::function<void(RunOptions&, const RankGroup&)>& adjust = {}) {
  Meeting meeting(n);
  std::vector<Results> out(static_cast<std::size_t>(n));
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  for (int r = 0; r < n; ++r)
    threads.emplace_back([&, r] {
      const ThreadRanks ranks(meeting, r, n);
      RunOptions options;
      options.replicates = replicates;
      options.seed = 3;
      options.threads = 1;
      options.ranks = &ranks;
      if (adjust) adjust(options, ranks);
      try {
        out[static_cast<std::size_t>(r)] = run_scenario(scenario, options);
      } catch (...) {
        errors[static_cast<std::size_t>(r)] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return out;
}

void expect_same_variables(const Results& a, const Results& b, const std::string& what) {
  ASSERT_EQ(a.variables.size(), b.variables.size()) << what;
  for (std::size_t k = 0; k < a.variables.size(); ++k) {
    const Variable &x = a.variables[k], &y = b.variables[k];
    ASSERT_EQ(x.name, y.name) << what;
    EXPECT_EQ(x.data, y.data) << what << ": " << x.name;
    // Bit for bit: compared as integers (NaN statistics compare equal to themselves).
    ASSERT_EQ(x.real_data.size(), y.real_data.size()) << what << ": " << x.name;
    for (std::size_t i = 0; i < x.real_data.size(); ++i)
      if (std::bit_cast<std::uint64_t>(x.real_data[i]) != std::bit_cast<std::uint64_t>(y.real_data[i])) {
        ADD_FAILURE() << what << ": " << x.name << "[" << i << "] " << x.real_data[i] << " vs " << y.real_data[i];
        break;
      }
  }
}

void expect_split_is_one_process(const Scenario& scenario, std::int64_t replicates) {
  RunOptions one;
  one.replicates = replicates;
  one.seed = 3;
  one.threads = 2;
  const Results single = run_scenario(scenario, one);
  for (int n : {2, 3}) {
    const std::vector<Results> ranks = run_split(scenario, n, replicates);
    for (int r = 0; r < n; ++r)
      expect_same_variables(single, ranks[static_cast<std::size_t>(r)],
                            std::to_string(n) + " ranks, rank " + std::to_string(r));
  }
}

TEST(RankSplit, AgentRangesCoverTheAgentsInOrder) {
  for (std::size_t agents : {0, 1, 7, 100, 1001})
    for (int n : {1, 2, 3, 4, 7}) {
      std::size_t next = 0;
      for (int r = 0; r < n; ++r) {
        const AgentRange range = agent_range(agents, r, n);
        EXPECT_EQ(range.first, next);
        EXPECT_LE(range.last - range.first, agents / static_cast<std::size_t>(n) + 1);
        next = range.last;
      }
      EXPECT_EQ(next, agents);
    }
}

// Programmes with seats by region and a fund that runs short, appointments, migration, entrants.
TEST(RankSplit, ProgrammesMigrationAppointmentsAsOneProcess) {
  expect_split_is_one_process(
      io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/tests/data/split_ranks.toml", {"scenario.months=24"}), 2);
}

// Evaluators (the queue), competitions, master studios, programmes.
TEST(RankSplit, EvaluationCompetitionsStudiosAsOneProcess) {
  expect_split_is_one_process(
      io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml",
                        {"population.scale=100"}),
      1);
}

// Technical schools: initial students and enrolees spread over the ranks by id.
TEST(RankSplit, SchoolsAsOneProcess) {
  expect_split_is_one_process(
      io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/tests/data/schools.toml", {"scenario.months=24"}), 1);
}

// Employer cells: matching per region and then per region x level, posts that appointments need,
// apprenticeship places, self-evaluation, 以工代训 with a cap of months, co-funding, migration.
TEST(RankSplit, EmployersAsOneProcess) {
  const Scenario s = io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/tests/data/split_employers.toml");
  expect_split_is_one_process(s, 1);
  // What the scenario exercises (so that the identity above is not that of idle cells).
  const Results r = run_scenario(s, RunOptions{});
  const auto total = [&](const std::string& name) {
    std::int64_t sum = 0;
    for (std::int64_t v : r.variable(name).data) sum += v;
    return sum;
  };
  for (const char* name :
       {"employer_hires", "appointments", "appointments_no_post", "apprenticeship_no_place", "employer_apprentices",
        "employer_self_evaluations", "work_based_training_retained", "work_based_training_hired",
        "work_based_training_unpaid", "employer_funding", "employer_matches", "migrations"})
    EXPECT_GT(total(name), 0) << name;
}

// A snapshot's share of the agents for `rank` of `n` (its agent_range), as a rank reads a checkpoint.
ReplicateSnapshot share_of(ReplicateSnapshot s, int rank, int n) {
  const AgentRange range = agent_range(s.population.size(), rank, n);
  s.population.for_each_column([&](auto& column) {
    column.erase(column.begin() + static_cast<std::ptrdiff_t>(range.last), column.end());
    column.erase(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(range.first));
  });
  return s;
}

// A checkpoint of a split run: every rank's agents gathered on rank 0 make the snapshot one
// process takes at the same month, and continued on another number of ranks (each from its
// share) or on one process it gives the uninterrupted run.
TEST(RankSplit, CheckpointGatheredAndContinuedOnOtherRanks) {
  const Scenario s =
      io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/tests/data/split_employers.toml", {"scenario.months=12"});
  constexpr std::size_t kStop = 5; // after month 5 of replicate 2
  RunOptions one;
  one.replicates = 2;
  one.seed = 3;
  one.threads = 2;
  const Results single = run_scenario(s, one);
  std::optional<ReplicateSnapshot> expected;
  one.checkpoint_every = 1;
  one.checkpoint = [&](const RunCheckpoint& at) {
    if (at.replicate == 1 && at.month == kStop) expected = at.state.snapshot();
  };
  run_scenario(s, one);
  ASSERT_TRUE(expected.has_value());

  ReplicateSnapshot saved;
  std::optional<Results> so_far;
  EXPECT_THROW(run_split(s, 2, 2,
                         [&](RunOptions& options, const RankGroup& ranks) {
                           options.checkpoint_every = 1;
                           options.checkpoint = [&](const RunCheckpoint& at) {
                             if (at.replicate != 1 || at.month != kStop) return;
                             ReplicateSnapshot snapshot = at.state.snapshot_without_population();
                             snapshot.population = gather_population(at.state.population(), ranks);
                             if (ranks.rank() == 0) {
                               saved = std::move(snapshot);
                               so_far = at.results;
                             } else {
                               EXPECT_EQ(snapshot.population.size(), 0u);
                             }
                             throw Cancelled();
                           };
                         }),
               Cancelled);
  ASSERT_TRUE(so_far.has_value());
  EXPECT_EQ(saved.population.size(), expected->population.size());
  EXPECT_TRUE(saved == *expected) << "the gathered snapshot is not one process's";

  for (int n : {3, 1}) {
    std::vector<RunStart> starts(static_cast<std::size_t>(n));
    const auto continued = run_split(s, n, 2, [&](RunOptions& options, const RankGroup& ranks) {
      RunStart& start = starts[static_cast<std::size_t>(ranks.rank())];
      start.results = *so_far;
      start.months_done = {12, static_cast<std::int64_t>(kStop)};
      start.snapshot = [&saved, rank = ranks.rank(), n](std::int64_t) { return share_of(saved, rank, n); };
      options.start = &start;
    });
    for (int r = 0; r < n; ++r)
      expect_same_variables(single, continued[static_cast<std::size_t>(r)],
                            "continued on " + std::to_string(n) + " ranks, rank " + std::to_string(r));
  }
}

// What rank 0 gathers at a checkpoint (every rank's agents, with the entrants and the schools'
// enrolees of the months so far) is within what its memory estimate counts for it: the columns of
// every agent gathered and the merge's index of 8 bytes an agent.
TEST(RankSplit, MemoryEstimateCountsThePopulationGatheredAtACheckpoint) {
  const Scenario s = io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/national_2016.toml",
                                       {"population.scale=20000", "scenario.months=24"});
  std::size_t gathered = 0;
  ColumnSet columns;
  run_split(s, 2, 1, [&](RunOptions& options, const RankGroup& ranks) {
    options.checkpoint_every = 12;
    options.checkpoint = [&](const RunCheckpoint& at) {
      const Population all = gather_population(at.state.population(), ranks);
      if (ranks.rank() != 0) return;
      gathered = std::max(gathered, all.size());
      columns = all.optional_columns();
    };
  });
  ASSERT_GT(gathered, 0u);
  const MemoryEstimate e = estimate_memory(s, 1, 1, 2, true);
  const auto per_agent = static_cast<std::int64_t>(Population::bytes_per_agent(columns) + sizeof(std::size_t));
  EXPECT_GE(e.checkpoint, static_cast<std::int64_t>(gathered) * per_agent) << describe_memory(e);
  EXPECT_EQ(estimate_memory(s, 1, 1, 2).checkpoint, 0) << "without checkpoints";
}

TEST(RankSplit, NothingRefused) {
  const Scenario employers = test::small_scenario({R"(employers.size_classes=["large", "small"])",
                                                   R"(employers.labels=["大型企业", "中小企业"])",
                                                   "employers.size_shares=[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]"},
                                                  20000);
  EXPECT_TRUE(rank_split_refusals(employers).empty());
}

} // namespace
} // namespace skillsim
