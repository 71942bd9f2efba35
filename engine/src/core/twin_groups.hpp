// The expected-value twin's group states (docs/twin.md, "Time limits in a group"): a group with
// a time limit in some month of the run (groups.leave_after_months above 0) is held once per
// month in it, 0 to its longest limit less one (nobody stays longer: the month that serves the
// limit moves them on); every other group once. State g < kGroupCount is group g at 0 months, so
// what joins a group at 0 months (entrants, a job found, a limit served, a closure) goes to the
// group's own index; the further months of the limited groups follow.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "skillsim/core/parameters.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/types.hpp"

namespace skillsim::twin {

class GroupStates {
public:
  /// Every group once (no time limit in the run).
  GroupStates();
  /// `longest`: the longest time limit of each group over the run (0: none); `initial`: the
  /// limits at the start (the initial population's months in a group are drawn over them).
  GroupStates(const std::array<int, kGroupCount>& longest, const std::array<int, kGroupCount>& initial);

  int count() const { return static_cast<int>(group_.size()); }
  int group(int state) const { return group_[static_cast<std::size_t>(state)]; }
  int months(int state) const { return months_[static_cast<std::size_t>(state)]; }
  int state(int group, int months) const {
    return months == 0 ? group : first_[static_cast<std::size_t>(group)] + months - 1;
  }
  /// The states of group g (months 0, 1, ... in the group).
  const std::vector<int>& states_of(int group) const { return states_[static_cast<std::size_t>(group)]; }
  /// The share of group g's initial members in `state`: uniform over 0 to the initial limit less
  /// one, as synthesize_population draws them (all at 0 without a limit).
  double initial_share(int state) const;
  /// The state after the start of a month (closures and time limits, before the labour market):
  /// TransitionRates::start_month_in_group, the agents' rule.
  int start_month(const TransitionRates& rates, int state) const;
  /// The state after a job found (groups.after_job_found; a move starts the months again, as
  /// change_group; a member who stays in the group keeps its months).
  int after_job(const TransitionRates& rates, int state) const;

private:
  std::vector<int> group_, months_;
  std::array<int, kGroupCount> first_{}, initial_{};
  std::array<std::vector<int>, kGroupCount> states_;
};

/// The longest time limit of each group in `months` (the parameters of each month) and `start`.
std::array<int, kGroupCount> longest_group_limits(const Parameters& start,
                                                  const std::vector<const Parameters*>& months);

} // namespace skillsim::twin
