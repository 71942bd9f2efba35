// The twin's group states (twin_groups.hpp): groups with a time limit held once per month in them.
#include "twin_groups.hpp"

#include <algorithm>

namespace skillsim::twin {

GroupStates::GroupStates() : GroupStates(std::array<int, kGroupCount>{}, std::array<int, kGroupCount>{}) {}

GroupStates::GroupStates(const std::array<int, kGroupCount>& longest, const std::array<int, kGroupCount>& initial)
    : initial_(initial) {
  for (int g = 0; g < kGroupCount; ++g) {
    group_.push_back(g);
    months_.push_back(0);
    states_[static_cast<std::size_t>(g)].push_back(g);
  }
  for (int g = 0; g < kGroupCount; ++g) {
    first_[static_cast<std::size_t>(g)] = count();
    for (int m = 1; m < longest[static_cast<std::size_t>(g)]; ++m) {
      states_[static_cast<std::size_t>(g)].push_back(count());
      group_.push_back(g);
      months_.push_back(m);
    }
  }
}

double GroupStates::initial_share(int state) const {
  const int limit = initial_[static_cast<std::size_t>(group(state))];
  if (limit <= 0) return months(state) == 0 ? 1.0 : 0.0;
  return months(state) < limit ? 1.0 / limit : 0.0;
}

int GroupStates::start_month(const TransitionRates& rates, int state) const {
  const TransitionRates::GroupMonth next =
      rates.start_month_in_group(static_cast<std::uint8_t>(group(state)), static_cast<std::uint8_t>(months(state)));
  return this->state(next.group, next.months);
}

int GroupStates::after_job(const TransitionRates& rates, int state) const {
  const int g = group(state), to = rates.group_after_job[static_cast<std::size_t>(g)];
  return to != g ? to : state;
}

std::array<int, kGroupCount> longest_group_limits(const Parameters& start,
                                                  const std::vector<const Parameters*>& months) {
  std::array<int, kGroupCount> longest{};
  const auto take = [&](const Parameters& p) {
    for (std::size_t g = 0; g < kGroupCount && g < p.groups.leave_after_months.size(); ++g)
      longest[g] = std::max(longest[g], static_cast<int>(p.groups.leave_after_months[g]));
  };
  take(start);
  for (const Parameters* p : months) take(*p);
  return longest;
}

} // namespace skillsim::twin
