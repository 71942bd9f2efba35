// The ranks of MPI_COMM_WORLD as the RankGroup of a run split over ranks
// (`mpirun -n N skillsim run SCENARIO --split-agents`; skillsim/core/ranks.hpp, docs/cluster.md).
#pragma once

#include "skillsim/core/ranks.hpp"

namespace skillsim::mpi {

/// Collectives over MPI_COMM_WORLD (MPI must be initialised: mpi::Session); only the main thread
/// calls them (the monthly step calls them outside its parallel regions).
class WorldRanks final : public RankGroup {
public:
  WorldRanks();
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void sum(std::span<std::int64_t> values) const override;
  std::vector<std::uint64_t> join(std::span<const std::uint64_t> mine) const override;
  std::vector<std::uint64_t> gather(std::span<const std::uint64_t> mine) const override;

private:
  int rank_ = 0, size_ = 1;
};

} // namespace skillsim::mpi
