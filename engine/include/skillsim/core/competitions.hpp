// Skills competitions (技能竞赛): a route up the ladder. Each tier (city, province, national,
// world) is held in a calendar month (or every month), takes a number of entrants from the
// eligible workers and names a number of winners among them; a winner is promoted one level or
// has the wait at the level shortened, per the tier's award and waiting rule (docs/model.md,
// "Skills competitions"). The monthly rules find who may enter (MonthlyCandidates::competitors),
// so this step makes no pass over everybody.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "skillsim/core/carry.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/random.hpp"
#include "skillsim/core/ranks.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/tallies.hpp"

namespace skillsim {

class ResultsWriter;

/// Who may enter the tiers held in one month: read from the month's parameters once, then asked
/// by the per-agent pass (may_enter) and by the competition step (Tier::admits).
struct CompetitionRules {
  /// Months at the level that nobody has served: the level is closed to the tier.
  static constexpr std::uint32_t kClosed = 0x10000;

  struct Tier {
    std::size_t index = 0;                   ///< into competitions.*
    std::array<bool, kStatusCount> status{}; ///< may enter, by status
    std::array<std::uint32_t, kLevelCount>
        wait;                         ///< months at the level an entrant must have served (kClosed: not eligible)
    double entrants = 0, winners = 0; ///< persons at this holding (the year's, or a twelfth of it)

    bool admits(std::uint8_t status_now, std::uint8_t level, std::uint8_t months_at_level) const {
      return status[status_now] && months_at_level >= wait[level];
    }
  };
  std::vector<Tier> held; ///< the tiers held this month, in tier order

  /// The least wait over the held tiers, by status x level: the per-agent pass keeps only the
  /// workers who may enter one of them.
  std::array<std::uint32_t, kStatusCount * kLevelCount> entry_wait;

  CompetitionRules(const Parameters& p, const TransitionRates& rates, Month month);

  bool any_held() const { return !held.empty(); }
  bool may_enter(std::uint8_t status, std::uint8_t level, std::uint8_t months_at_level) const {
    return months_at_level >= entry_wait[static_cast<std::size_t>(status) * kLevelCount + level];
  }
};

/// The competitions of a scenario: entrants and winners chosen by agent-keyed priorities (stream
/// `competition.priority`), so the choice does not depend on thread count or agent order.
class Competitions {
public:
  /// What must be saved to continue a run: the fractional entrants and winners carried, per tier.
  struct State {
    std::vector<Carry> entrants_due;
    std::vector<Carry> winners_due;
    bool operator==(const State&) const = default;
  };

  /// What the month last stepped did, in agents.
  struct Tally {
    std::vector<std::int64_t> entrants;           ///< tier x level held on entering
    std::vector<std::int64_t> winners;            ///< tier x level held on winning
    std::vector<std::int64_t> promotions;         ///< tier x level reached (award "promote")
    std::vector<std::int64_t> entrants_shortfall; ///< per tier: entrant places left for lack of eligible workers
    std::vector<std::int64_t> winners_shortfall;  ///< per tier: winner places left for lack of entrants
    bool operator==(const Tally&) const = default;
  };

  explicit Competitions(const Parameters& p);

  /// Declares competition_entrants, competition_winners, competition_promotions (replicate,
  /// time, tier, level) and competition_no_entrant, competition_no_winner
  /// (replicate, time, tier), with the dimension `tier` (and `tier_zh`); nothing without tiers.
  static void declare_results(Results& results, const Parameters& p);
  void store_results(ResultsWriter& out, std::size_t replicate, std::size_t t) const;

  /// Holds the month's tiers among `candidates` (agent indices in order, found by the monthly
  /// rules; re-checked here, since training, evaluation and appointments ran since).
  /// Split over `ranks` (ranks.hpp), each rank's lowest entry (then
  /// result) priorities are joined by id (agent order), so every
  /// rank takes the same entrants and winners; each changes its own.
  void step(const Parameters& p, const CompetitionRules& rules, Month month, Population& population,
            const RandomStreams& rng, MonthTally& flows, std::span<const AgentIndex> candidates,
            const RankGroup* ranks = nullptr);

  const State& state() const { return state_; }
  /// @throws Error if the state has another number of tiers than the scenario
  void check_fits(const State& state) const;
  void restore(const State& state) {
    state_ = state;
    tally_ = {}; // output of a month, not state
  }
  const Tally& tally() const { return tally_; }

private:
  /// Tier `k` of step() split over ranks, from this rank's `eligible` (entry priority, position
  /// in `candidates`), marking its own entrants in `entered`.
  void step_split(const Parameters& p, std::size_t k, std::size_t entrants_due, std::size_t winners_due, Month month,
                  Population& pop, const RandomStreams& rng, MonthTally& flows, std::span<const AgentIndex> candidates,
                  std::vector<std::pair<std::uint64_t, std::size_t>>& eligible, std::vector<std::uint8_t>& entered,
                  const RankGroup& ranks);

  State state_;
  Tally tally_;
};

} // namespace skillsim
