#include "skillsim/core/twin_studios.hpp"

#include <algorithm>
#include <cmath>

#include "skillsim/core/studios.hpp"

namespace skillsim {

TwinMentoring twin_mentoring(const StudiosSection& studios, double masters, double eligible,
                             const std::vector<double>& region_share, double scale) {
  TwinMentoring m;
  const std::size_t regions = region_share.size();
  for (auto* a : {&m.studios, &m.masters, &m.places, &m.mentored}) a->assign(regions, 0.0);
  double mentored = 0;
  for (std::size_t r = 0; r < regions; ++r) {
    const double open = r < studios.count.size() ? studios.count[r] : 0.0;
    m.studios[r] = std::round(open); // whole studios, as the agents' tally
    m.masters[r] = masters * region_share[r];
    m.places[r] = static_cast<double>(mentoring_places(studios, open, m.masters[r], scale));
    m.mentored[r] = std::min(m.places[r], eligible * region_share[r]);
    mentored += m.mentored[r];
  }
  m.share = eligible > 0 ? std::min(1.0, mentored / eligible) : 0.0;
  return m;
}

} // namespace skillsim
