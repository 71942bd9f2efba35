// People entering the working-age pool: school leavers and technical-school (技工院校)
// graduates, spread over the calendar months (entry.month_shares), with their attributes drawn
// from the entry stream. School enrolment and the student stock are in schools.hpp.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "skillsim/core/carry.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/random.hpp"
#include "skillsim/core/tallies.hpp"

namespace skillsim {

class Entrants {
public:
  /// What must be saved to continue a run: the fractional entrants carried.
  struct State {
    std::array<Carry, 2> due; ///< school leavers, technical-school graduates (agents)
    bool operator==(const State&) const = default;
  };

  /// Kinds of entrants: school leavers, technical-school graduates.
  static constexpr std::size_t kKinds = 2;
  /// This month's entrants of a kind in agents, before the carry (State::due takes the whole ones):
  /// the yearly number times the month's share, divided by the scale.
  static double due(const Parameters& p, Month month, std::size_t kind);
  /// The month of birth of an entrant aged `age_years` entering in `month` (whole months of age).
  static std::int32_t birth_month(Month month, double age_years) {
    return month.index - static_cast<std::int32_t>(age_years * 12);
  }

  /// The law of the draws above, for the expected-value twin: the probability of each index that
  /// pick_by_share(shares, u) returns for a uniform u (the cumulative shares' steps; what rounding leaves
  /// above the last goes to the last positive share, as pick_by_share does).
  static std::vector<double> pick_probabilities(const std::vector<double>& shares);
  /// The whole months of age at entry (age_years x 12, rounded down) and their probabilities, for
  /// an age uniform over [entry.entry_age_min, entry.entry_age_max).
  static std::vector<std::pair<std::int32_t, double>> age_months_distribution(const EntrySection& entry);
  /// The same for an age uniform over [min_years, max_years) (a school route's entry ages).
  static std::vector<std::pair<std::int32_t, double>> age_months_distribution(double min_years, double max_years);

  /// Adds this month's entrants to the population with ids from `next_id` on (which advances),
  /// counting them in `flows`. Split over `ranks` (ranks.hpp), every rank counts them and
  /// advances `next_id` alike, and makes (and counts) those it holds (holds_new).
  void step(const Parameters& p, Month month, Population& population, const RandomStreams& rng, std::uint64_t& next_id,
            MonthTally& flows, const RankGroup* ranks = nullptr);

  const State& state() const { return state_; }
  void restore(const State& state) { state_ = state; }

private:
  State state_;
};

} // namespace skillsim
