#include "skillsim/mpi/sweep_mpi.hpp"

#include <mpi.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <thread>

#include "check_mpi.hpp"
#include "skillsim/core/errors.hpp"
#include "sweep_driver.hpp"
#include "sweep_journal.hpp"

namespace skillsim::mpi {

namespace {

// Messages: a free rank sends kReady (first) or kResult (a finished run's journal record); rank 0
// answers kAssign with the next run's index, or -1 when there is none left.
constexpr int kReady = 1;
constexpr int kResult = 2;
constexpr int kAssign = 3;
constexpr std::int64_t kNoMoreRuns = -1;

// Rank 0 before any run: 0 go on, 1 nothing to do (the file is complete), 2 refused (its message
// is rank 0's to print).
enum class Start : int { Go = 0, Complete = 1, Refused = 2 };

/// Rank 0's side: the queue of runs, the journal, and the answers to free ranks.
class Coordinator {
public:
  Coordinator(io::SweepJournal& journal, std::int64_t runs, int workers, const io::SweepOptions& options)
      : journal_(journal), workers_(workers), options_(options) {
    for (std::int64_t k = 0; k < runs; ++k)
      if (!journal.has(k)) queue_.push_back(k);
    progress_ = {journal.size(), runs, journal.failed(), journal.size(), 0};
    report();
  }

  std::optional<std::int64_t> next_run() {
    if (queue_.empty()) return std::nullopt;
    const std::int64_t k = queue_.front();
    queue_.pop_front();
    return k;
  }

  /// Answers every message waiting now (between months of rank 0's own run).
  void poll() {
    for (;;) {
      int waiting = 0;
      MPI_Status status;
      check_mpi(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status), "probe");
      if (!waiting) return;
      answer(status);
    }
  }

  /// Waits for the other ranks to finish their runs (checking for an interruption meanwhile).
  void drain(const std::atomic<bool>* cancel) {
    while (workers_ > 0) {
      if (cancel && cancel->load()) throw Cancelled();
      int waiting = 0;
      MPI_Status status;
      check_mpi(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status), "probe");
      if (waiting)
        answer(status);
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  void record(std::int64_t k, const std::string& payload) {
    journal_.append(k, payload);
    progress_.runs_done = journal_.size();
    progress_.runs_failed = journal_.failed();
    progress_.run_fraction = 0;
    report();
  }

  void own_run_progress(double fraction) {
    progress_.run_fraction = fraction;
    report();
  }

private:
  void answer(const MPI_Status& status) {
    const int source = status.MPI_SOURCE;
    int bytes = 0;
    check_mpi(MPI_Get_count(&status, MPI_BYTE, &bytes), "message size");
    std::string payload(static_cast<std::size_t>(bytes), '\0');
    check_mpi(MPI_Recv(payload.data(), bytes, MPI_BYTE, source, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
              "receive");
    if (status.MPI_TAG == kResult) {
      std::int64_t k = 0;
      std::memcpy(&k, payload.data(), sizeof k);
      record(k, payload);
    }
    const std::int64_t next = next_run().value_or(kNoMoreRuns);
    if (next == kNoMoreRuns) --workers_;
    check_mpi(MPI_Send(&next, 1, MPI_INT64_T, source, kAssign, MPI_COMM_WORLD), "send");
  }

  void report() {
    if (options_.progress) options_.progress(progress_);
  }

  io::SweepJournal& journal_;
  std::deque<std::int64_t> queue_;
  int workers_;
  const io::SweepOptions& options_;
  io::SweepProgress progress_;
};

io::SweepOutcome coordinate(const io::SweepJob& job, const io::SweepOptions& options, const io::SweepSettings& settings,
                            const Session& session, int threads) {
  Start start = Start::Go;
  std::optional<io::SweepJournal> journal;
  std::exception_ptr refusal;
  try {
    if (io::check_sweep_output(settings, options))
      start = Start::Complete;
    else
      journal.emplace(settings.journal, settings.fingerprint, settings.runs);
  } catch (...) {
    start = Start::Refused;
    refusal = std::current_exception();
  }
  int code = static_cast<int>(start);
  check_mpi(MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD), "broadcast");
  if (refusal) std::rethrow_exception(refusal);
  if (start == Start::Complete) return {settings.runs, 0, settings.runs, options.output, true};

  Coordinator coordinator(*journal, settings.runs, session.size() - 1, options);
  io::SweepOutcome outcome{settings.runs, 0, journal->size(), options.output, false};
  while (const auto k = coordinator.next_run()) {
    if (options.cancel && options.cancel->load()) throw Cancelled();
    const std::string payload = io::run_sweep_point(
        job, settings, *k, threads,
        [&](double fraction) {
          coordinator.poll(); // between months: free ranks wait at most a month of this run
          coordinator.own_run_progress(fraction);
        },
        options.cancel);
    coordinator.record(*k, payload);
    coordinator.poll();
  }
  coordinator.drain(options.cancel);
  io::assemble_sweep_results(job, settings, options, *journal,
                             io::sweep_metadata(job, settings, options, threads, session.size()));
  outcome.failed = journal->failed();
  journal->remove();
  return outcome;
}

io::SweepOutcome work(const io::SweepJob& job, const io::SweepOptions& options, const io::SweepSettings& settings,
                      int threads) {
  int code = 0;
  check_mpi(MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD), "broadcast");
  if (static_cast<Start>(code) == Start::Refused) throw FollowerStop();
  if (static_cast<Start>(code) == Start::Complete) return {settings.runs, 0, settings.runs, options.output, true};

  io::SweepOutcome outcome{0, 0, 0, options.output, false};
  std::string payload;
  int tag = kReady;
  for (;;) {
    if (payload.size() > static_cast<std::size_t>(INT_MAX))
      throw Error("a run's results take " + std::to_string(payload.size() / 1000000) +
                  " MB, more than one MPI message carries (2 GB); run fewer replicates per sweep run");
    check_mpi(MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_BYTE, 0, tag, MPI_COMM_WORLD), "send");
    std::int64_t k = kNoMoreRuns;
    check_mpi(MPI_Recv(&k, 1, MPI_INT64_T, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "receive");
    if (k == kNoMoreRuns) return outcome;
    payload = io::run_sweep_point(job, settings, k, threads, {}, options.cancel);
    tag = kResult;
    ++outcome.runs;
  }
}

} // namespace

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS", "SLURM_PROCID"})
    if (std::getenv(name)) return true;
  return false;
}

Session::Session(int& argc, char**& argv) {
  int provided = 0;
  check_mpi(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "init");
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &local_size_);
  MPI_Comm_free(&node);
}

Session::~Session() { MPI_Finalize(); }

bool Session::all(bool ok) const {
  int mine = ok ? 1 : 0, every = 0;
  check_mpi(MPI_Allreduce(&mine, &every, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD), "reduce");
  return every == 1;
}

bool Session::rank0(bool value) const {
  int mine = value ? 1 : 0;
  check_mpi(MPI_Bcast(&mine, 1, MPI_INT, 0, MPI_COMM_WORLD), "broadcast");
  return mine == 1;
}

void Session::abort(int status) {
  MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);
}

io::SweepOutcome run_sweep(const io::SweepJob& job, const io::SweepOptions& options, const Session& session) {
  const io::SweepSettings settings = io::sweep_settings(job, options);
  // Unless told, the node's cores are shared between the ranks on it.
  const int threads =
      options.threads > 0 ? options.threads : std::max(1, omp_get_num_procs() / std::max(1, session.ranks_on_node()));
  if (session.size() == 1) {
    io::SweepOptions one = options;
    one.threads = threads;
    return io::run_sweep(job, one);
  }
  return session.rank() == 0 ? coordinate(job, options, settings, session, threads)
                             : work(job, options, settings, threads);
}

} // namespace skillsim::mpi
