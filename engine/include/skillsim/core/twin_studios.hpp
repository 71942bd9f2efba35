// Master studios in the expected-value twin (docs/twin.md, "Master studios"). The agents give a
// region's mentoring places (mentoring_places: the same rule, on the expected masters) to the
// eligible with the lowest priorities, one priority per agent for the whole run. The twin holds
// no priority: each month it mentors the same share of every eligible cell of a region, min(places,
// eligible) / eligible in the region. The twin's cells are held by region class (regions with the
// same rules; docs/twin.md, "The state space"), each region its part of a class's members. Where
// the places cover the eligible that is the agents' rule exactly (everybody is mentored); below,
// the agents mentor the same workers month after month and the twin spreads the places over all
// the eligible (docs/twin.md says where that differs).
#pragma once

#include <vector>

#include "skillsim/core/parameters.hpp"

namespace skillsim {

/// One month's mentoring in expectation: per region (agents; studios as opened), and per region
/// class the share of every eligible cell mentored.
struct TwinMentoring {
  std::vector<double> share;
  std::vector<double> studios, masters, places, mentored;
};

/// `masters` and `eligible`, per region class: the expected agents (employed at
/// studios.master_min_level or above; employed from mentee_min_level to below it, in no programme)
/// at the month's start; `region_part[rc][r]` region r's part of class rc (each row sums to 1);
/// `scale` persons an agent.
TwinMentoring twin_mentoring(const StudiosSection& studios, const std::vector<double>& masters,
                             const std::vector<double>& eligible, const std::vector<std::vector<double>>& region_part,
                             double scale);

} // namespace skillsim
