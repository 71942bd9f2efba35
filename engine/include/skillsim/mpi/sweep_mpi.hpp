// Sweeps over MPI ranks (`mpirun -n N skillsim sweep ...`). Rank 0 hands out runs one at a time
// as ranks become free (runs of unequal length balance themselves), keeps the journal and writes
// the one results file; every rank, rank 0 included, simulates. A run's numbers depend on its
// index and the seed only, so the file is the same for any number of ranks. Built when CMake finds
// MPI (option SKILLSIM_MPI); see docs/cluster.md.
#pragma once

#include "skillsim/core/errors.hpp"
#include "skillsim/io/sweep_run.hpp"

namespace skillsim::mpi {

/// Thrown on the ranks other than 0 when rank 0 refused to start (it prints why).
class FollowerStop : public Error {
public:
  FollowerStop() : Error("rank 0 did not start the sweep") {}
};

/// True if this process was started by an MPI launcher (mpirun, mpiexec, srun): the launcher's
/// environment variables say so. A plain `skillsim sweep` does not start MPI.
bool launched_by_mpi();

/// MPI for the life of the object: MPI_Init_thread (funnelled: only the main thread calls MPI)
/// and MPI_Finalize.
class Session {
public:
  Session(int& argc, char**& argv);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  int rank() const { return rank_; }
  int size() const { return size_; }
  /// Ranks on this node (sharing its memory), to split the node's cores between them.
  int ranks_on_node() const { return local_size_; }
  /// True on every rank if `ok` is true on every rank (a collective: every rank must call it).
  bool all(bool ok) const;
  /// Rank 0's `value`, on every rank (a collective: every rank must call it).
  bool rank0(bool value) const;
  /// Ends every rank at once (after a failure on one rank that the others cannot know of).
  [[noreturn]] static void abort(int status);

private:
  int rank_ = 0, size_ = 1, local_size_ = 1;
};

/// Runs the sweep on every rank of MPI_COMM_WORLD (every rank calls it, with the same job and
/// options). Rank 0 writes the journal and the results file and reports progress; the outcome is
/// rank 0's on rank 0 (on the other ranks: the runs they simulated).
/// @throws as io::run_sweep, on rank 0; on the other ranks ResultsFileError("...") when rank 0
///         refused the output (so every rank ends with an error)
io::SweepOutcome run_sweep(const io::SweepJob& job, const io::SweepOptions& options, const Session& session);

} // namespace skillsim::mpi
