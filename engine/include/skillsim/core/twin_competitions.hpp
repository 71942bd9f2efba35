// Skills competitions in the expected-value twin (docs/twin.md, "Skills competitions"). The
// agents draw each worker one entry priority a month (uniform, kCompetition lanes 0-1), shared
// by the month's tiers, and each tier takes the lowest among its eligible not yet entered; the
// winners are the lowest result priorities (lanes 2-3, independent) among its entrants. So with
// p the entry priority's quantile, tier k takes the workers of its eligible with p below a
// threshold q_k, less those whom an earlier tier they were eligible for took (p below that
// tier's threshold): a row whose earlier tiers' largest threshold is Q enters with the share
// max(0, q_k - Q). Winning is the same share of every entrant.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace skillsim {

/// One held tier's month: its priority threshold and the share of its entrants who win.
struct TwinCompetitionShares {
  double threshold = 0, win = 0;
  double entrants = 0, winners = 0; ///< expected agents
};

/// `entrants_due` and `winners_due` whole agents (the agents' carries, Competitions::step);
/// `eligible`: (Q, expected agents) pairs, the tier's eligible by the largest threshold Q of the
/// earlier tiers each was eligible for (0: none). The threshold q takes min(places, what is
/// left) entrants, sum of n x max(0, q - Q) over the pairs; min(winners, entrants) win.
TwinCompetitionShares twin_competition_shares(std::int64_t entrants_due, std::int64_t winners_due,
                                              std::vector<std::pair<double, double>> eligible);

} // namespace skillsim
