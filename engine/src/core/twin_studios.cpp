#include "skillsim/core/twin_studios.hpp"

#include <algorithm>
#include <cmath>

#include "skillsim/core/studios.hpp"

namespace skillsim {

TwinMentoring twin_mentoring(const StudiosSection& studios, const std::vector<double>& masters,
                             const std::vector<double>& eligible, const std::vector<std::vector<double>>& region_part,
                             double scale) {
  TwinMentoring m;
  const std::size_t regions = region_part.empty() ? 0 : region_part[0].size();
  for (auto* a : {&m.studios, &m.masters, &m.places, &m.mentored}) a->assign(regions, 0.0);
  std::vector<double> eligible_in(regions, 0.0);
  for (std::size_t rc = 0; rc < region_part.size(); ++rc)
    for (std::size_t r = 0; r < regions; ++r) {
      m.masters[r] += masters[rc] * region_part[rc][r];
      eligible_in[r] += eligible[rc] * region_part[rc][r];
    }
  for (std::size_t r = 0; r < regions; ++r) {
    const double open = r < studios.count.size() ? studios.count[r] : 0.0;
    m.studios[r] = std::round(open); // whole studios, as the agents' tally
    m.places[r] = static_cast<double>(mentoring_places(studios, open, m.masters[r], scale));
    m.mentored[r] = std::min(m.places[r], eligible_in[r]);
  }
  // A region class's eligible are in its regions by their parts, each mentored in its region's share.
  m.share.assign(region_part.size(), 0.0);
  for (std::size_t rc = 0; rc < region_part.size(); ++rc)
    for (std::size_t r = 0; r < regions; ++r)
      if (region_part[rc][r] > 0 && eligible_in[r] > 0)
        m.share[rc] += region_part[rc][r] * std::min(1.0, m.mentored[r] / eligible_in[r]);
  return m;
}

} // namespace skillsim
