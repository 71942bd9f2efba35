#include "skillsim/core/competitions.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/promotion.hpp"
#include "skillsim/core/results_layout.hpp"

namespace skillsim {

CompetitionRules::CompetitionRules(const Parameters& p, const TransitionRates& rates, Month month) {
  entry_wait.fill(kClosed);
  const auto& c = p.competitions;
  for (std::size_t k = 0; k < c.tiers.size(); ++k) {
    const bool every_month = c.month_held[k] == 0;
    if (!every_month && c.month_held[k] != month.month()) continue;
    const double holdings_per_year = every_month ? 12.0 : 1.0;
    Tier tier;
    tier.index = k;
    tier.entrants = c.entrants_per_year[k] / holdings_per_year;
    tier.winners = c.winners_per_year[k] / holdings_per_year;
    tier.wait.fill(kClosed);
    const auto award = award_of(c, k);
    const auto waiting = waiting_of(c, k);
    for (auto level = static_cast<std::size_t>(c.min_level[k]); level <= static_cast<std::size_t>(c.max_level[k]);
         ++level) {
      // The wait before the award: a promotion comes only to those who served it; a shortened
      // wait is itself the award (credited to the winner), so anybody at the level may enter.
      tier.wait[level] = award == CompetitionAward::Shorten
                             ? 0
                             : waiting_months(waiting, rates.min_months[level + 1], c.shorten_months[k]);
    }
    for (int s = 0; s < kStatusCount; ++s) {
      tier.status[static_cast<std::size_t>(s)] =
          s != static_cast<int>(Status::Retired) && c.eligible_statuses(static_cast<int>(k), s);
      if (!tier.status[static_cast<std::size_t>(s)]) continue;
      for (std::size_t level = 0; level < kLevelCount; ++level) {
        auto& least = entry_wait[static_cast<std::size_t>(s) * kLevelCount + level];
        least = std::min(least, tier.wait[level]);
      }
    }
    held.push_back(tier);
  }
}

Competitions::Competitions(const Parameters& p) {
  const std::size_t tiers = p.competitions.tiers.size();
  state_.entrants_due.assign(tiers, Carry{});
  state_.winners_due.assign(tiers, Carry{});
}

void Competitions::check_fits(const State& state) const {
  if (state.entrants_due.size() != state_.entrants_due.size() || state.winners_due.size() != state_.winners_due.size())
    throw Error("competition state of " + std::to_string(state.entrants_due.size()) +
                " tiers does not fit this scenario's " + std::to_string(state_.entrants_due.size()));
}

void Competitions::declare_results(Results& r, const Parameters& p) {
  const auto& c = p.competitions;
  if (c.tiers.empty()) return;
  r.dimensions.push_back(Dimension{"tier", {}, c.tiers, c.labels, {{"long_name", "skills competition tier"}}});
  add_variable(r, "competition_entrants", over_time({"tier", "level"}),
               "entered a skills competition (技能竞赛) during the month, by tier and level held");
  add_variable(r, "competition_winners", over_time({"tier", "level"}),
               "won a placing that carries the tier's award during the month, by tier and level held");
  add_variable(r, "competition_promotions", over_time({"tier", "level"}),
               "promoted one level by winning a skills competition during the month, by tier and level reached");
  add_variable(r, "competition_no_entrant", over_time({"tier"}),
               "competition places of the month with no entrant, for lack of eligible workers");
  add_variable(r, "competition_no_winner", over_time({"tier"}),
               "winning places of the month with no winner, for lack of entrants");
}

void Competitions::store_results(ResultsWriter& out, std::size_t rep, std::size_t t) const {
  if (!out.has("competition_entrants") || t == 0) return;
  out.persons("competition_entrants", rep, t, tally_.entrants);
  out.persons("competition_winners", rep, t, tally_.winners);
  out.persons("competition_promotions", rep, t, tally_.promotions);
  out.persons("competition_no_entrant", rep, t, tally_.entrants_shortfall);
  out.persons("competition_no_winner", rep, t, tally_.winners_shortfall);
}

namespace {

// Keeps the `count` lowest of `keyed` (priority, position) pairs, returned in position order.
std::vector<std::size_t> lowest(std::vector<std::pair<std::uint64_t, std::size_t>>& keyed, std::size_t count) {
  count = std::min(count, keyed.size());
  std::nth_element(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(count), keyed.end());
  std::vector<std::size_t> chosen;
  for (std::size_t k = 0; k < count; ++k) chosen.push_back(keyed[k].second);
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

// A winner's months at the level with the wait shortened by `credit` months, saturating.
std::uint8_t credited_months(std::uint8_t months, std::uint32_t credit) {
  return static_cast<std::uint8_t>(std::min<std::uint32_t>(kMaxMonthsAtLevel, months + credit));
}

} // namespace

void Competitions::step(const Parameters& p, const CompetitionRules& rules, Month month, Population& pop,
                        const RandomStreams& rng, MonthTally& flows, std::span<const AgentIndex> candidates,
                        const RankGroup* ranks) {
  const std::size_t tiers = p.competitions.tiers.size();
  tally_.entrants.assign(tiers * kLevelCount, 0);
  tally_.winners.assign(tiers * kLevelCount, 0);
  tally_.promotions.assign(tiers * kLevelCount, 0);
  tally_.entrants_shortfall.assign(tiers, 0);
  tally_.winners_shortfall.assign(tiers, 0);
  if (!rules.any_held()) return;

  // One block per candidate: lanes 0-1 the entry priority (the lowest enter), 2-3 the result's
  // (the lowest entrants win), drawn again for the entrants only. Ties go by agent order.
  std::vector<std::uint64_t> entry_priority(candidates.size());
  const auto n = static_cast<std::int64_t>(candidates.size());
#pragma omp parallel for schedule(static)
  for (std::int64_t c = 0; c < n; ++c)
    entry_priority[static_cast<std::size_t>(c)] = streams::priority_of(
        rng.block(streams::kCompetition, month.index, pop.id[candidates[static_cast<std::size_t>(c)]]));

  std::vector<std::uint8_t> entered(candidates.size(), 0); // one tier a month per worker
  std::vector<std::uint8_t> admitted(candidates.size());
  const auto scale = static_cast<double>(p.population.scale);
  constexpr auto kRemoved = static_cast<std::uint8_t>(Status::Removed);
  for (const auto& tier : rules.held) {
    const std::size_t k = tier.index;
    const auto entrants_due = static_cast<std::size_t>(state_.entrants_due[k].take(tier.entrants / scale));
    const auto winners_due = static_cast<std::size_t>(state_.winners_due[k].take(tier.winners / scale));

    // Eligible now: the candidates' state may have changed since the monthly rules found them.
    std::int64_t eligible_count = 0;
    const bool waits = pop.has(Column::evaluation_wait); // (stored with programmes or evaluators)
#pragma omp parallel for schedule(static) reduction(+ : eligible_count)
    for (std::int64_t c = 0; c < n; ++c) {
      const std::size_t i = candidates[static_cast<std::size_t>(c)];
      const bool yes = !entered[static_cast<std::size_t>(c)] && pop.status[i] != kRemoved &&
                       (!waits || pop.evaluation_wait[i] == 0) &&
                       tier.admits(pop.status[i], pop.level[i], pop.months_at_level[i]);
      admitted[static_cast<std::size_t>(c)] = yes;
      eligible_count += yes;
    }
    // The entrants are the lowest entry priorities of the eligible. Uniform priorities put them,
    // almost surely, below twice their expected share of the range: only those are kept for the
    // selection (the same entrants, found among far fewer), unless too few are (then all are).
    const double share =
        2.0 * static_cast<double>(entrants_due + 32) / static_cast<double>(std::max<std::int64_t>(1, eligible_count));
    const std::uint64_t bound = share >= 1 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(share * 0x1p64);
    std::vector<std::pair<std::uint64_t, std::size_t>> eligible; // (entry priority, position)
    for (std::uint64_t limit : {bound, ~std::uint64_t{0}}) {
      eligible.clear();
      for (std::size_t c = 0; c < candidates.size(); ++c)
        if (admitted[c] && entry_priority[c] <= limit) eligible.emplace_back(entry_priority[c], c);
      if (eligible.size() >= entrants_due) break;
    }
    if (split(ranks)) {
      step_split(p, k, entrants_due, winners_due, month, pop, rng, flows, candidates, eligible, entered, *ranks);
      continue;
    }
    const std::vector<std::size_t> entrants = lowest(eligible, entrants_due);
    tally_.entrants_shortfall[k] = static_cast<std::int64_t>(entrants_due - entrants.size());

    std::vector<std::pair<std::uint64_t, std::size_t>> results; // (result priority, position)
    for (std::size_t c : entrants) {
      entered[c] = 1;
      const std::size_t i = candidates[c];
      ++tally_.entrants[k * kLevelCount + pop.level[i]];
      results.emplace_back(streams::result_priority_of(rng.block(streams::kCompetition, month.index, pop.id[i])), c);
    }
    const std::vector<std::size_t> winners = lowest(results, winners_due);
    tally_.winners_shortfall[k] = static_cast<std::int64_t>(winners_due - winners.size());

    const bool promotes = award_of(p.competitions, k) == CompetitionAward::Promote;
    const auto credit = static_cast<std::uint32_t>(p.competitions.shorten_months[k]);
    for (std::size_t c : winners) {
      const std::size_t i = candidates[c];
      const std::uint8_t level = pop.level[i];
      ++tally_.winners[k * kLevelCount + level];
      if (promotes) {
        promote(pop, i, level + 1, flows);
        ++tally_.promotions[k * kLevelCount + level + 1u];
      } else {
        pop.months_at_level[i] = credited_months(pop.months_at_level[i], credit); // the wait shortened
      }
    }
  }
}

void Competitions::step_split(const Parameters& p, std::size_t k, std::size_t entrants_due, std::size_t winners_due,
                              Month month, Population& pop, const RandomStreams& rng, MonthTally& flows,
                              std::span<const AgentIndex> candidates,
                              std::vector<std::pair<std::uint64_t, std::size_t>>& eligible,
                              std::vector<std::uint8_t>& entered, const RankGroup& ranks) {
  // The tier's entrants are the lowest (entry priority, agent position) of every rank's eligible:
  // each rank's `entrants_due` lowest hold them, and only those are joined, by id (agent order is
  // id order, so (priority, id) orders them as (priority, position) does on one process).
  const std::vector<std::size_t> mine = lowest(eligible, entrants_due); // positions in `candidates`
  std::vector<std::uint64_t> words;
  for (std::size_t c : mine) {
    const std::size_t i = candidates[c];
    words.insert(words.end(),
                 {streams::priority_of(rng.block(streams::kCompetition, month.index, pop.id[i])), pop.id[i]});
  }
  const std::vector<std::uint64_t> all = ranks.join(words);
  std::vector<std::pair<std::uint64_t, std::size_t>> joined(all.size() / 2);
  for (std::size_t e = 0; e < joined.size(); ++e) joined[e] = {all[2 * e], static_cast<std::size_t>(all[2 * e + 1])};
  const std::vector<std::size_t> entrants = lowest(joined, entrants_due); // ids, ascending
  tally_.entrants_shortfall[k] = static_cast<std::int64_t>(entrants_due - entrants.size());

  // This rank's entrants: their result priority and level, joined so that every rank counts them
  // and takes the same winners.
  words.clear();
  for (std::size_t at : entrants) {
    const std::size_t i = local_index(pop, at);
    if (i == kNotHere) continue;
    // Its position in `candidates` (ascending), to mark it entered for the later tiers.
    entered[static_cast<std::size_t>(std::lower_bound(candidates.begin(), candidates.end(), i) - candidates.begin())] =
        1;
    words.insert(words.end(), {streams::result_priority_of(rng.block(streams::kCompetition, month.index, pop.id[i])),
                               at, pop.level[i]});
  }
  const std::vector<std::uint64_t> results_all = ranks.join(words);
  std::vector<std::pair<std::uint64_t, std::size_t>> results; // (result priority, id)
  std::vector<std::pair<std::size_t, std::uint8_t>> level_of; // (id, level)
  for (std::size_t e = 0; e + 2 < results_all.size(); e += 3) {
    const auto at = static_cast<std::size_t>(results_all[e + 1]);
    const auto level = static_cast<std::uint8_t>(results_all[e + 2]);
    ++tally_.entrants[k * kLevelCount + level];
    results.emplace_back(results_all[e], at);
    level_of.emplace_back(at, level);
  }
  std::sort(level_of.begin(), level_of.end()); // each rank's ascend; the join is by rank
  const std::vector<std::size_t> winners = lowest(results, winners_due);
  tally_.winners_shortfall[k] = static_cast<std::int64_t>(winners_due - winners.size());

  const bool promotes = award_of(p.competitions, k) == CompetitionAward::Promote;
  const auto credit = static_cast<std::uint32_t>(p.competitions.shorten_months[k]);
  for (std::size_t at : winners) {
    const std::uint8_t level =
        std::lower_bound(level_of.begin(), level_of.end(), std::pair<std::size_t, std::uint8_t>{at, 0})->second;
    ++tally_.winners[k * kLevelCount + level];
    if (promotes) ++tally_.promotions[k * kLevelCount + level + 1u];
    const std::size_t i = local_index(pop, at);
    if (i == kNotHere) continue;
    if (promotes)
      promote(pop, i, level + 1, flows);
    else
      pop.months_at_level[i] = credited_months(pop.months_at_level[i], credit);
  }
}

} // namespace skillsim
