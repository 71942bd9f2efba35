// One replicate's agents split over ranks (processes, e.g. MPI ranks): each rank holds a
// contiguous range of the global agent order and steps it; every global decision is taken from
// tallies summed over the ranks and candidate lists joined in rank order, so that every rank
// takes the decision one process would take, and the results are bit-identical for any number of
// ranks (as they are for any number of threads). The core sees only this interface: the MPI
// implementation lives in engine/src/mpi (skillsim/mpi/ranks_mpi.hpp). See docs/cluster.md,
// "One run over ranks".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/scenario.hpp"

namespace skillsim {

/// The collective operations the monthly step needs. Every rank calls each of them in the same
/// order (collectives). Integers only: their sums are exact in any order.
class RankGroup {
public:
  virtual ~RankGroup() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Replaces `values` by their element-wise sums over the ranks.
  virtual void sum(std::span<std::int64_t> values) const = 0;
  /// Every rank's `mine`, joined in rank order (the same on every rank).
  virtual std::vector<std::uint64_t> join(std::span<const std::uint64_t> mine) const = 0;
  /// Every rank's `mine` joined in rank order on rank 0 alone (empty on the others): for what
  /// only rank 0 needs (a checkpoint's population). By default a join the others drop.
  virtual std::vector<std::uint64_t> gather(std::span<const std::uint64_t> mine) const {
    std::vector<std::uint64_t> all = join(mine);
    if (rank() != 0) all.clear();
    return all;
  }
};

/// One process: sums and joins are its own values.
class SingleProcess final : public RankGroup {
public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void sum(std::span<std::int64_t>) const override {}
  std::vector<std::uint64_t> join(std::span<const std::uint64_t> mine) const override {
    return {mine.begin(), mine.end()};
  }
};

/// True if `ranks` splits the agents (more than one rank).
inline bool split(const RankGroup* ranks) { return ranks != nullptr && ranks->size() > 1; }

/// Whether this rank holds the agent with id `id` made during the run (entrants, school
/// enrolees, the initial students): every rank every size-th id, so they spread evenly and the ids
/// still ascend on each rank. All of them on one process.
inline bool holds_new(const RankGroup* ranks, std::uint64_t id) {
  return !split(ranks) || id % static_cast<std::uint64_t>(ranks->size()) == static_cast<std::uint64_t>(ranks->rank());
}

/// No agent of this rank.
inline constexpr std::size_t kNotHere = ~std::size_t{0};
/// The index in `population` of the agent with id `id`, or kNotHere if another rank holds it.
/// Agent order is id order (ids are given in order and compaction keeps it), on every rank.
std::size_t local_index(const Population& population, std::uint64_t id);

/// Sorts `words`, records of `width` words each, by their first word (an agent id, unique): a
/// join of every rank's records (each rank's in its agent order) put in agent order.
void sort_by_id(std::vector<std::uint64_t>& words, std::size_t width);

/// Rank `rank`'s share [first, last) of `agents` initial agents (contiguous, in agent order,
/// sizes differing by at most one). The agents made during the run are spread by holds_new.
struct AgentRange {
  std::size_t first = 0, last = 0;
};
AgentRange agent_range(std::size_t agents, int rank, int ranks);

/// Every rank's agents in one population on rank 0, in agent (id) order: the population one
/// process holds at the same month (the ranks compact together, so their agents are its agents),
/// for a checkpoint. Empty on the other ranks. A collective: column by column, so that rank 0
/// holds, besides the result, one column of every rank at a time and an index per agent.
Population gather_population(const Population& mine, const RankGroup& ranks);

/// What a run split over ranks does not do yet, one issue per key (empty: it can). Checked over
/// every month of the run (keys a schedule may change).
std::vector<Issue> rank_split_refusals(const Scenario& scenario);

/// Thrown by run_scenario when the scenario uses what a run over ranks does not do yet.
class RankSplitUnsupported : public Error {
public:
  explicit RankSplitUnsupported(std::vector<Issue> issues);
  const std::vector<Issue>& issues() const { return issues_; }

private:
  std::vector<Issue> issues_;
};

} // namespace skillsim
