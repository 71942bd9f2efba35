// Running a scenario: the monthly step over the agent population, replicate by replicate,
// producing Results. See docs/model.md for the rules applied each month.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "skillsim/core/evaluation.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/random.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/scenario.hpp"
#include "skillsim/core/training.hpp"

namespace skillsim {

/// How to run (everything that does not change what is simulated lives here, not in Scenario).
struct RunOptions {
  std::int64_t replicates = 1;
  std::int64_t seed = 1;
  int threads = 0; ///< OpenMP threads; 0 = the OpenMP default
  /// Called after every simulated month with (months done, months in total) over all replicates.
  std::function<void(std::int64_t, std::int64_t)> progress;
  /// Checked every month; when it becomes true the run throws Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

/// Counts of one state, in agents.
struct StockTally {
  std::int64_t workers[kLevelCount][kStatusCount] = {};
  std::int64_t by_group[kGroupCount][kLevelCount] = {};
  std::int64_t employed_by_sector[kSectorCount] = {};
  std::vector<std::int64_t> by_region; // region x level
  std::vector<std::int64_t> trainees;  // per programme

  std::int64_t total() const;
};

/// Flows of one month, in agents. Integers, so sums over threads are exact in any order.
struct MonthTally {
  std::int64_t entries[kLevelCount] = {};
  std::int64_t exits[kLevelCount] = {};          // deaths, by level held
  std::int64_t promotions[kLevelCount] = {};     // by level reached
  std::int64_t promotions_out[kLevelCount] = {}; // the same moves, by level left
  std::int64_t assessments[kLevelCount] = {};    // sat, by level sought
  std::int64_t retirements = 0;
  std::int64_t job_finds = 0;
  std::int64_t job_losses = 0;
  std::int64_t newly_skilled = 0; // promoted from below 初级工 to 初级工 or above, or entered skilled

  /// Records one move up the ladder (every route goes through here).
  void promote(int from, int to) {
    ++promotions[to];
    ++promotions_out[from];
    if (from < kFirstSkilledLevel && to >= kFirstSkilledLevel) ++newly_skilled;
  }

  MonthTally& operator+=(const MonthTally& o);
};

/// Wall-clock seconds spent in each phase of the monthly step, summed over the months stepped
/// (for benchmarks: bench/bench_step prints them).
struct StepTimes {
  double rules = 0;      ///< demography, labour market, ordinary assessments (the per-agent loop)
  double training = 0;   ///< programmes: outcomes, applications, allocation, admissions
  double evaluation = 0; ///< the evaluation queue
  double other = 0;      ///< appointments, entrants, compaction
  double allocation = 0; ///< of training and evaluation: building and solving the flow networks
};

/// Counts the population's current state.
StockTally count_stocks(const Population& population, std::size_t regions, std::size_t programmes);

/// One replicate's running state: the population and its random streams. Public so tests and
/// benchmarks can step month by month and look at the agents.
class ReplicateState {
public:
  /// Synthesises the initial population. The scenario must outlive this object.
  /// @throws Cancelled if `cancel` becomes true during the synthesis
  ReplicateState(const Scenario& scenario, std::uint64_t seed, std::uint32_t replicate,
                 const std::atomic<bool>* cancel = nullptr);

  /// Simulates the current month and advances to the next one.
  void step();

  const Population& population() const { return population_; }
  Month current_month() const { return month_; }
  /// Flows of the month last stepped (agents, not persons).
  const MonthTally& last_flows() const { return flows_; }
  /// The training system (programmes, seats, money) and what it did in the month last stepped.
  const TrainingSystem& training() const { return training_; }
  /// The evaluators and what they did in the month last stepped.
  const EvaluationSystem& evaluation() const { return evaluation_; }
  /// Where the time of the steps so far went.
  StepTimes step_times() const;

private:
  void apply_monthly_rules(const Parameters& p, const ApplicationRules& applications);
  void appoint(const Parameters& p);
  void add_entrants(const Parameters& p);

  const Scenario* scenario_;
  RandomStreams rng_;
  Population population_;
  Month month_;
  std::uint64_t next_id_ = 0;
  std::int64_t removed_ = 0;            // agents marked Removed, awaiting compaction
  double entrants_due_[2] = {0, 0};     // fractional entrant agents (school leavers, graduates)
  double appointments_due_[2] = {0, 0}; // fractional appointments (特级技师, 首席技师)
  MonthTally flows_;
  MonthlyCandidates candidates_; // this month's, found by the monthly rules
  TrainingSystem training_;
  EvaluationSystem evaluation_;
  StepTimes times_;
};

/// Runs every replicate of a scenario and returns the results (in persons).
/// @throws Cancelled if options.cancel becomes true
Results run_scenario(const Scenario& scenario, const RunOptions& options);

} // namespace skillsim
