// Moving up the ladder. promote() is the one place where an agent's level changes: every route
// (ordinary assessments in the monthly rules, programme certificates, the evaluation queue,
// appointments within quotas, and the coming ones such as skills competitions) calls it, so the
// flows (promotions, promotions_out, new skilled workers) are counted the same way for all.
//
// The routes that are not assessments live here too: appointments of 特级技师 and 首席技师
// within yearly quotas (and, later, promotions of competition winners).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
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
class Employers;

/// Moves agent i up to level `to` (above its level), restarts its months at the level and counts
/// the move in `flows`. `population` is the Population or its ColumnPointers (the rules pass).
template <class Columns>
void promote(Columns&& population, std::size_t i, int to, MonthTally& flows) {
  flows.record_promotion(population.level[i], to);
  population.level[i] = static_cast<std::uint8_t>(to);
  population.months_at_level[i] = 0;
}

/// The lowest level appointments choose from: 高级技师, for 特级技师 (and 特级技师, for 首席技师).
inline constexpr int kAppointedFrom = static_cast<int>(Level::SeniorTechnician);

/// May an agent be appointed to `target` (特级技师 or 首席技师)? Employed, at the level below,
/// having served skills.min_months[target] there.
inline bool appointment_eligible(const TransitionRates& rates, int target, int level, int status, int months_at_level) {
  return level == target - 1 && status == static_cast<int>(Status::Employed) &&
         rates.served_minimum(target, months_at_level);
}
/// The month's appointment quota for 特级技师 (k = 0) or 首席技师 (k = 1), in agents before the
/// carry (Appointments::State::due takes the whole ones).
inline double appointment_quota(const Parameters& p, std::size_t k) {
  const double per_year =
      k == 0 ? p.skills.principal_technician_quota_per_year : p.skills.chief_technician_quota_per_year;
  return per_year / 12.0 / static_cast<double>(p.population.scale);
}

/// 特级技师 from 高级技师 and 首席技师 from 特级技师, within yearly quotas spread over the
/// months (skills.*_quota_per_year). Among the eligible (employed, served min_months at the level
/// below), the lowest agent-keyed priorities win, so the choice does not depend on thread count
/// or agent order. Unused quota is not carried over.
class Appointments {
public:
  /// What must be saved to continue a run: the fractional appointments carried.
  struct State {
    std::array<Carry, 2> due; ///< 特级技师, 首席技师 (agents)
    bool operator==(const State&) const = default;
  };

  /// What the month last stepped did (agents), by level: 特级技师, 首席技师.
  struct Tally {
    std::array<std::int64_t, 2> appointed{}; ///< places filled
    std::array<std::int64_t, 2> unfilled{};  ///< places of the month's quota left for lack of eligible candidates
    bool operator==(const Tally&) const = default;
  };

  /// Declares appointments(replicate, time, level) and appointments_unfilled(replicate, time,
  /// level), nonzero only at 特级技师 and 首席技师. Declared for every scenario: a quota may open
  /// by schedule (the parameters at the start do not show it), and two small variables cost
  /// nothing, so every results file has them.
  static void declare_results(Results& results, const Parameters& p);
  /// Stores one time point of them (nothing at t = 0: no month stepped yet).
  void store_results(ResultsWriter& out, std::size_t replicate, std::size_t t) const;

  /// With `employers` whose scenario says an appointment to a level needs a post
  /// (employers.appointment_needs_post), the eligible are taken in priority order and only those
  /// whose employer cell has a free post at the level are appointed (each takes the post); places
  /// left while an eligible candidate was refused for want of a post are recorded there
  /// (Employers::record_no_post), not in `unfilled`. With `ranks` splitting the agents
  /// (ranks.hpp), the eligible of every rank are joined by id and every rank takes the same
  /// choice; each promotes its own. The eligible are found among `listed`, the month's
  /// MonthlyCandidates::appointable (in agent order). The quotas are those open_month took.
  void step(const Parameters& p, const TransitionRates& rates, Month month, Population& population,
            const RandomStreams& rng, MonthTally& flows, const std::vector<AgentIndex>& listed,
            Employers* employers = nullptr, const RankGroup* ranks = nullptr);

  /// Takes the month's quotas, in whole agents (the fractions carry), before the rules pass: true
  /// if either is above 0, when the pass is to list the agents step() chooses from.
  bool open_month(const Parameters& p);

  const State& state() const { return state_; }
  void restore(const State& state) {
    state_ = state;
    tally_ = {}; // output of a month, not state
    quotas_ = {};
  }
  const Tally& tally() const { return tally_; }

private:
  /// Level `k` of step() split over ranks when an appointment needs a post: from this rank's
  /// `eligible` (priority, position), every rank takes the posts one process takes.
  void step_split_posts(const Parameters& p, std::size_t k, std::size_t quota, Population& population,
                        MonthTally& flows, Employers& employers,
                        std::vector<std::pair<std::uint64_t, std::size_t>>& eligible, const RankGroup& ranks);

  State state_;
  Tally tally_;
  std::array<std::size_t, 2> quotas_{}; ///< the month's, taken by open_month
};

} // namespace skillsim
