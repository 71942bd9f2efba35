#include "skillsim/core/twin_competitions.hpp"

#include <algorithm>

namespace skillsim {

TwinCompetitionShares twin_competition_shares(std::int64_t entrants_due, std::int64_t winners_due,
                                              std::vector<std::pair<double, double>> eligible) {
  TwinCompetitionShares s;
  // Entrants at threshold q: piecewise linear and increasing in q, with kinks at the Q's.
  const auto entrants_at = [&](double q) {
    double n = 0;
    for (const auto& [taken, mass] : eligible) n += mass * std::max(0.0, q - taken);
    return n;
  };
  const double all = entrants_at(1.0), due = static_cast<double>(entrants_due);
  if (all <= due) {
    s.threshold = 1.0;
    s.entrants = all;
  } else {
    std::sort(eligible.begin(), eligible.end());
    // Between consecutive kinks the slope is the mass with Q below: find the piece holding `due`.
    double slope = 0, q = 0, n = 0;
    s.threshold = 1.0;
    for (std::size_t i = 0; i <= eligible.size(); ++i) {
      const double next = i < eligible.size() ? std::min(1.0, eligible[i].first) : 1.0;
      if (slope > 0 && n + slope * (next - q) >= due) {
        s.threshold = q + (due - n) / slope;
        break;
      }
      n += slope * (next - q);
      q = next;
      if (i < eligible.size()) slope += eligible[i].second;
    }
    s.entrants = due;
  }
  s.winners = std::min(static_cast<double>(winners_due), s.entrants);
  s.win = s.entrants > 0 ? s.winners / s.entrants : 0.0;
  return s;
}

} // namespace skillsim
