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

/// Counts the population's current state.
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
/// Stores one time point of them.
void store_stocks(ResultsWriter& out, std::size_t replicate, std::size_t t, const StockTally& stocks);
void store_flows(ResultsWriter& out, std::size_t replicate, std::size_t t, const MonthTally& flows);

} // namespace skillsim
