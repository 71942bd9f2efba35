// What one month did and what the population holds, as integer tallies (in agents), and the
// result variables they fill. Integers, so sums over threads are exact in any order.
#pragma once

#include <cstdint>
#include <vector>

#include "skillsim/core/parameters.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/ranks.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/types.hpp"

namespace skillsim {

class ResultsWriter;

/// Counts of one state, in agents.
struct StockTally {
  std::int64_t workers[kLevelCount][kStatusCount] = {};
  std::int64_t by_group[kGroupCount][kLevelCount] = {};
  std::int64_t employed_by_sector[kSectorCount] = {};
  std::vector<std::int64_t> by_region; // region x level
  std::vector<std::int64_t> trainees;  // per programme

  std::int64_t total() const;
};

/// Flows of one month, in agents.
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
  std::int64_t entries_by_group[kGroupCount] = {};
  std::int64_t exits_by_group[kGroupCount] = {};             // deaths, by group held
  std::int64_t group_changes[kGroupCount][kGroupCount] = {}; // moves between groups (groups.*), from x to
  // By region (index into population.regions), grown as counted (count_at): entrants by region of
  // arrival, deaths by region held, and moves between regions (migration.*), origin x destination
  // (regions x regions, sized by the monthly rules when somebody may move).
  std::vector<std::int64_t> entries_by_region, exits_by_region, migrations;

  /// Counts one move up the ladder (promote() in promotion.hpp calls it for every route).
  void record_promotion(int from, int to) {
    ++promotions[to];
    ++promotions_out[from];
    if (from < kFirstSkilledLevel && to >= kFirstSkilledLevel) ++newly_skilled;
  }
  /// Counts one entrant arriving at `level` in `group` and `region`.
  void record_entry(int level, int group, int region) {
    ++entries[level];
    ++entries_by_group[group];
    count_at(entries_by_region, static_cast<std::size_t>(region));
    if (level >= kFirstSkilledLevel) ++newly_skilled;
  }
  /// Adds `n` to entry `k` of a tally by region, growing it with zeros as needed.
  static void count_at(std::vector<std::int64_t>& tally, std::size_t k, std::int64_t n = 1) {
    if (k >= tally.size()) tally.resize(k + 1, 0);
    tally[k] += n;
  }

  MonthTally& operator+=(const MonthTally& o);
  bool operator==(const MonthTally&) const = default;
};

/// Sums tallies over the ranks of a run split over ranks (ranks.hpp): integers, exact in any
/// order. The tallies by region are first sized to `regions` (x `regions` for the migrations),
/// which their readers take as they take tallies grown as counted.
void sum_over_ranks(const RankGroup& ranks, MonthTally& flows, std::size_t regions);
void sum_over_ranks(const RankGroup& ranks, StockTally& stocks);

/// One thread's count of agents towards a StockTally: one counter per (group, level, status,
/// sector) cell (one increment per agent where the four tallies would take four, each a load and
/// a store that the next agent of the same cell waits for), region x level and programme.
/// count_stocks and the monthly rules pass (which counts each agent as the pass reaches it, before
/// changing it) each fill one per thread and add them up: integers, the same in any order.
class StockCounter {
public:
  StockCounter(std::size_t regions, std::size_t programmes)
      : by_region_(regions > 1 ? regions * kLevelCount : 0, 0), trainees_(programmes, 0) {}

  /// The counters as plain pointers, to be held in a local by a loop that also stores bytes (a
  /// byte store may alias anything, so the compiler would reload a member's pointer after each).
  /// `by_region` is null with one region (add_to derives it from the cells), `trainees` without
  /// programmes: a loop-invariant test instead of counting what nobody needs.
  struct Counters {
    std::uint32_t* cells; // kCellCopies copies of the cells, one after the other
    std::int64_t* by_region;
    std::int64_t* trainees;
    /// Counts agent i (not Removed), of level `lv` and status `st`, as it is now; `pop` is the
    /// Population or its ColumnPointers.
    template <class Columns>
    void count(const Columns& pop, std::size_t i, std::uint8_t lv, std::uint8_t st) const {
      ++cells[(i % kCellCopies) * kCells + ((pop.group[i] * kLevelCount + lv) * kStatusCount + st) * kSectorCount +
              pop.sector[i]];
      if (by_region != nullptr) ++by_region[pop.region[i] * kLevelCount + lv]; // (more than one region: stored)
      if (trainees != nullptr && pop.programme[i] != kNoProgramme) ++trainees[pop.programme[i]];
    }
  };
  Counters counters() {
    return {&cells_[0][0], by_region_.empty() ? nullptr : by_region_.data(),
            trainees_.empty() ? nullptr : trainees_.data()};
  }
  /// Adds the counts to `total` (sized for the same regions and programmes).
  void add_to(StockTally& total) const;

private:
  static constexpr int kCells = kGroupCount * kLevelCount * kStatusCount * kSectorCount;
  // Neighbouring agents mostly fall in the same cell; counting them in alternate copies lets the
  // next agent's increment start before the last one's store is done. 32 bits: a population has
  // fewer than 2^32 agents (AgentIndex).
  static constexpr std::size_t kCellCopies = 2;
  std::uint32_t cells_[kCellCopies][kCells] = {};
  std::vector<std::int64_t> by_region_, trainees_;
};

/// A StockTally of zeros sized for `regions` and `programmes`.
StockTally empty_stocks(std::size_t regions, std::size_t programmes);

/// Counts the population's current state (a pass over the agents of its own: the run counts each
/// month's stocks in the next month's rules pass, and calls this only after the last month and
/// before a checkpoint; ReplicateState::store_results).
StockTally count_stocks(const Population& population, std::size_t regions, std::size_t programmes);

/// Declares the stock variables (skilled workers, workers by level x status, group, region,
/// sector) and the flow variables (entries, exits, promotions, assessments, retirements, job
/// moves, new skilled workers) in a results layout.
void declare_stock_results(Results& results);
void declare_flow_results(Results& results);
/// With more than one region: entries_by_region, exits_by_region (region), migrations (region x
/// to_region), migration_in and migration_out (region), so that for every region and month
/// stock(t) = stock(t-1) + entries + in - out - exits (docs/model.md, "Migration between regions").
/// Nothing with one region.
void declare_region_flow_results(Results& results, const Parameters& p);
/// Stores one time point of them. store_stocks stores `trainees` (per programme) too, where the
/// layout has it (TrainingSystem::declare_results): it is a stock.
void store_stocks(ResultsWriter& out, std::size_t replicate, std::size_t t, const StockTally& stocks);
void store_flows(ResultsWriter& out, std::size_t replicate, std::size_t t, const MonthTally& flows);

} // namespace skillsim
