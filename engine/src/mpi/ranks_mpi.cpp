#include "skillsim/mpi/ranks_mpi.hpp"

#include <mpi.h>

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "check_mpi.hpp"
#include "skillsim/core/errors.hpp"

namespace skillsim::mpi {

namespace {

int as_count(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw Error(std::string("MPI: ") + what + ": more than INT_MAX values in one call");
  return static_cast<int>(n);
}

} // namespace

WorldRanks::WorldRanks() {
  check_mpi(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
  check_mpi(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
}

void WorldRanks::sum(std::span<std::int64_t> values) const {
  if (values.empty()) return;
  // Integer sums: exact, whatever order MPI adds them in.
  check_mpi(MPI_Allreduce(MPI_IN_PLACE, values.data(), as_count(values.size(), "MPI_Allreduce"), MPI_INT64_T, MPI_SUM,
                          MPI_COMM_WORLD),
            "MPI_Allreduce");
}

std::vector<std::uint64_t> WorldRanks::join(std::span<const std::uint64_t> mine) const {
  const int count = as_count(mine.size(), "MPI_Allgatherv");
  std::vector<int> counts(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
  check_mpi(MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
  std::size_t total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    offsets[r] = as_count(total, "MPI_Allgatherv");
    total += static_cast<std::size_t>(counts[r]);
  }
  as_count(total, "MPI_Allgatherv");
  std::vector<std::uint64_t> all(total);
  // In rank order: the ranks' blocks of agents are in agent order, so the join is too.
  check_mpi(MPI_Allgatherv(mine.data(), count, MPI_UINT64_T, all.data(), counts.data(), offsets.data(), MPI_UINT64_T,
                           MPI_COMM_WORLD),
            "MPI_Allgatherv");
  return all;
}

std::vector<std::uint64_t> WorldRanks::gather(std::span<const std::uint64_t> mine) const {
  const int count = as_count(mine.size(), "MPI_Gatherv");
  std::vector<int> counts(rank_ == 0 ? static_cast<std::size_t>(size_) : 0),
      offsets(rank_ == 0 ? static_cast<std::size_t>(size_) : 0);
  check_mpi(MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
  std::size_t total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    offsets[r] = as_count(total, "MPI_Gatherv");
    total += static_cast<std::size_t>(counts[r]);
  }
  as_count(total, "MPI_Gatherv");
  std::vector<std::uint64_t> all(total); // rank 0 only: the others receive nothing
  check_mpi(MPI_Gatherv(mine.data(), count, MPI_UINT64_T, all.data(), counts.data(), offsets.data(), MPI_UINT64_T, 0,
                        MPI_COMM_WORLD),
            "MPI_Gatherv");
  return all;
}

} // namespace skillsim::mpi
