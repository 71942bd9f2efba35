// The peak memory of a run, estimated from the scenario before anything is allocated, so that
// `skillsim validate` and `skillsim run` can refuse a run that cannot fit with a clear message
// (needed against available, and what to change) instead of failing later with std::bad_alloc.
// Pure: how much memory the machine has is read by the caller (skillsim/io/system_memory.hpp).
// docs/architecture.md, "Memory", says what is counted and how well it agrees with measurement.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "skillsim/core/scenario.hpp"

namespace skillsim {

/// The parts of a run's peak resident memory, in bytes. Replicates run one after another, so one
/// population is in memory at a time; the results of every replicate are.
struct MemoryEstimate {
  std::int64_t agents_initial = 0;  ///< synthesised (population.size / population.scale)
  std::int64_t agents_peak = 0;     ///< with every entrant of the run (deaths left out: an upper bound)
  std::int64_t bytes_per_agent = 0; ///< of the columns the scenario's population stores (agent_columns)
  std::int64_t population = 0;      ///< the columns of agents_peak agents
  std::int64_t growth = 0;          ///< while the columns grow past their reserve: one column copied at a time
  std::int64_t candidates = 0;      ///< the month's lists of applicants, trainees and competitors, at most
  /// While the population is compacted on more than one thread: one column's kept items that
  /// later threads write over, set aside (OrderedCompaction, parallel.hpp). 0 on one thread.
  std::int64_t compaction = 0;
  /// On rank 0 of a run split over ranks that writes checkpoints, while it writes one: every
  /// rank's agents gathered (gather_population), besides its own share. 0 otherwise.
  std::int64_t checkpoint = 0;
  std::int64_t results = 0; ///< every replicate's results and the statistics over them
  std::int64_t fixed = 0;   ///< the program, its libraries and the threads' stacks and tallies

  std::int64_t total() const { return population + growth + candidates + compaction + checkpoint + results + fixed; }
};

/// The estimate for `replicates` replicates on `threads` threads (0: one), for one process, or
/// with `ranks` above 1 for one rank of a run split over ranks (ranks.hpp): its share of the
/// initial agents and of the entrants (rounded up). With `checkpoints` (the run writes them) and
/// `ranks` above 1, for rank 0, which gathers every rank's agents to write one (`checkpoint`);
/// one process writes its own columns as they are.
MemoryEstimate estimate_memory(const Scenario& scenario, std::int64_t replicates, int threads, int ranks = 1,
                               bool checkpoints = false);

/// "about 2.3 GB (population 2.0 GB for 90,000,000 agents at 22 bytes each, results 0.1 GB, ...)".
std::string describe_memory(const MemoryEstimate& estimate);

/// Bytes as text: "812 MB", "2.3 GB", "21.4 GB".
std::string format_bytes(std::int64_t bytes);

/// The refusal: what the run needs, what is available, and what to change (population.scale
/// for the population, fewer replicates or months for the results); `override_hint` names the
/// caller's way around it (e.g. "--no-memory-check"), `scale_hint` its way of setting the scale
/// ("{}" stands for the number).
std::string memory_refusal(const Scenario& scenario, const MemoryEstimate& estimate, std::int64_t available,
                           const std::string& override_hint, std::string_view scale_hint = "--set population.scale={}");

} // namespace skillsim
