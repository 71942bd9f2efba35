// People entering the working-age pool: school leavers and technical-school (技工院校)
// graduates, spread over the calendar months (entry.month_shares), with their attributes drawn
// from the entry stream. School enrolment and the student stock are in schools.hpp.
#pragma once

#include <array>
#include <cstdint>

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

  /// Adds this month's entrants to the population with ids from `next_id` on (which advances),
  /// counting them in `flows`.
  void step(const Parameters& p, Month month, Population& population, const RandomStreams& rng, std::uint64_t& next_id,
            MonthTally& flows);

  const State& state() const { return state_; }
  void restore(const State& state) { state_ = state; }

private:
  State state_;
};

} // namespace skillsim
