// One replicate's running state and the order of the monthly step. The state is split in two:
// what must be saved to continue a run (ReplicateSnapshot: the population, the month, the next
// agent id, and each process's own State: fractional carries, the fund ledger, ...) and what a
// month produces (flows, the training and evaluation tallies, timers), which is output, not
// state. See docs/architecture.md.
#pragma once

#include <atomic>
#include <cstdint>

#include "skillsim/core/competitions.hpp"
#include "skillsim/core/employers.hpp"
#include "skillsim/core/entrants.hpp"
#include "skillsim/core/evaluation.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/promotion.hpp"
#include "skillsim/core/random.hpp"
#include "skillsim/core/ranks.hpp"
#include "skillsim/core/results_layout.hpp"
#include "skillsim/core/scenario.hpp"
#include "skillsim/core/schools.hpp"
#include "skillsim/core/studios.hpp"
#include "skillsim/core/tallies.hpp"
#include "skillsim/core/training.hpp"

namespace skillsim {

/// Wall-clock seconds spent in each phase of the monthly step, summed over the months stepped
/// (for benchmarks: bench/bench_step prints them).
struct StepTimes {
  double rules = 0;      ///< demography, labour market, ordinary assessments (the per-agent loop)
  double training = 0;   ///< programmes: outcomes, applications, allocation, admissions
  double evaluation = 0; ///< the evaluation queue
  double other = 0;      ///< appointments, competitions, entrants, compaction
  double allocation = 0; ///< of training and evaluation: building and solving the flow networks
};

/// Everything a replicate needs to continue from the start of `month`, and nothing else.
/// Restoring it (into a ReplicateState of the same scenario) and stepping on gives, bit for bit,
/// what the uninterrupted run gives.
struct ReplicateSnapshot {
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  Month month;
  std::uint64_t next_id = 0;
  Population population;
  Entrants::State entrants;
  Appointments::State appointments;
  TrainingSystem::State training;
  EvaluationSystem::State evaluation;
  Competitions::State competitions;
  Schools::State schools;
  Employers::State employers;

  bool operator==(const ReplicateSnapshot&) const = default;
};

/// One replicate's running state: the population, its random streams and the processes of the
/// monthly step. Public so tests and benchmarks can step month by month and look at the agents.
class ReplicateState {
public:
  /// Synthesises the initial population. The scenario must outlive this object. With `ranks`
  /// of more than one rank (ranks.hpp; not owned, outlives this object), this rank's range of it
  /// only, and every step and stored result is taken with the other ranks (each calls the same).
  /// @throws Cancelled if `cancel` becomes true during the synthesis
  /// @throws RankSplitUnsupported if `ranks` splits and the scenario uses what is not split yet
  ReplicateState(const Scenario& scenario, std::uint64_t seed, std::uint32_t replicate,
                 const std::atomic<bool>* cancel = nullptr, const RankGroup* ranks = nullptr);
  /// Continues from a snapshot taken of a replicate of the same scenario. With `ranks` of more
  /// than one rank, the snapshot's population is this rank's share of the agents (any share, in
  /// id order, the ranks' shares disjoint and together the snapshot's agents: e.g. each rank's
  /// agent_range of a checkpoint's population, whatever the ranks that wrote it) and the rest of
  /// it the same on every rank.
  /// @throws Error if the snapshot does not fit the scenario (month outside the run, other
  ///         programme, fund or evaluator counts)
  ReplicateState(const Scenario& scenario, const ReplicateSnapshot& snapshot, const RankGroup* ranks = nullptr);
  /// The same, taking the snapshot's population instead of copying it.
  ReplicateState(const Scenario& scenario, ReplicateSnapshot&& snapshot, const RankGroup* ranks = nullptr);

  /// Simulates the current month and advances to the next one.
  void step();

  /// Declares every process's result variables (the stocks and flows first).
  static void declare_results(Results& results, const Parameters& p);
  /// Stores one time point of them: each process's results at `t` (the flows of the month last
  /// stepped when t > 0), and, when t > 0, the stocks at t - 1: the state the month last stepped
  /// started from, which its rules pass counted as it went. The stocks at `t` are stored by the
  /// next month's store_results, or by count_and_store_stocks: the run driver calls it after the
  /// last month and before a checkpoint.
  void store_results(ResultsWriter& out, std::size_t replicate, std::size_t t) const;
  /// Counts the state now (a pass over the agents of its own) and stores it as the stocks at `t`.
  void count_and_store_stocks(ResultsWriter& out, std::size_t replicate, std::size_t t) const;
  /// The stocks of the state the month last stepped started from, counted by its rules pass
  /// (what count_stocks gave before the step; agents, not persons).
  const StockTally& stocks_at_start() const { return stocks_at_start_; }

  /// The state to continue from (a copy: the population is copied too).
  ReplicateSnapshot snapshot() const;
  /// The same without the population (left empty; population() is the rest), so that a
  /// checkpoint is written without a second copy of the agents in memory.
  ReplicateSnapshot snapshot_without_population() const;
  /// Replaces the state by a snapshot's (see the constructor for what is checked).
  void restore(const ReplicateSnapshot& snapshot);
  /// The same, taking the snapshot's population instead of copying it.
  void restore(ReplicateSnapshot&& snapshot);

  const Population& population() const { return population_; }
  Month current_month() const { return month_; }
  /// Flows of the month last stepped (agents, not persons).
  const MonthTally& last_flows() const { return flows_; }
  /// The training system (programmes, seats, money) and what it did in the month last stepped.
  const TrainingSystem& training() const { return training_; }
  /// The evaluators and what they did in the month last stepped.
  const EvaluationSystem& evaluation() const { return evaluation_; }
  /// The competitions and what they did in the month last stepped.
  const Competitions& competitions() const { return competitions_; }
  /// The technical schools and what they did in the month last stepped.
  const Schools& schools() const { return schools_; }
  /// The master studios and whom they mentored in the month last stepped.
  const Studios& studios() const { return studios_; }
  /// The employer cells, their posts and what the month last stepped did (employers.hpp).
  const Employers& employers() const { return employers_; }
  /// Where the time of the steps so far went.
  StepTimes step_times() const;

private:
  /// restore() but for the population (`population` is the snapshot's, for the removed count).
  void restore_all_but_population(const ReplicateSnapshot& snapshot);
  /// Recounts the employer cells after a restore (their counts are derived from the population).
  void count_employers();
  /// Stores `stocks` (this rank's; summed over the ranks first) as the stocks at `t`.
  void store_stock_tally(ResultsWriter& out, std::size_t replicate, std::size_t t, StockTally stocks) const;

  /// The processes with state of their own, each with its slot in ReplicateSnapshot (a member
  /// pointer): snapshot(), restore() and the results go through this list. `self` is *this,
  /// const or not.
  template <class Self, class F>
  static void for_each_process(Self& self, F&& f) {
    f(self.entrants_, &ReplicateSnapshot::entrants);
    f(self.appointments_, &ReplicateSnapshot::appointments);
    f(self.training_, &ReplicateSnapshot::training);
    f(self.evaluation_, &ReplicateSnapshot::evaluation);
    f(self.competitions_, &ReplicateSnapshot::competitions);
    f(self.schools_, &ReplicateSnapshot::schools);
    f(self.employers_, &ReplicateSnapshot::employers);
  }

  const Scenario* scenario_;
  const RankGroup* ranks_ = nullptr; // splitting the agents when it has more than one rank
  RandomStreams rng_;

  // State: what snapshot() saves.
  Month month_;
  std::uint64_t next_id_ = 0;
  std::int64_t removed_ = 0; // agents marked Removed, awaiting compaction (derived: restore() counts them)
  Population population_;
  Entrants entrants_;
  Appointments appointments_;
  TrainingSystem training_;
  EvaluationSystem evaluation_;
  Competitions competitions_;
  Schools schools_;
  Studios studios_; // no state: mentoring is recomputed each month from the population
  Employers employers_;

  // Output of the month last stepped, and scratch.
  MonthTally flows_;
  StockTally stocks_at_start_;   // counted by the rules pass of the month last stepped
  bool stocks_counted_ = false;  // a month has been stepped since the state was made or restored
  MonthlyCandidates candidates_; // this month's, found by the monthly rules
  StepTimes times_;
};

} // namespace skillsim
