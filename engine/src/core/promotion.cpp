#include "skillsim/core/promotion.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include "skillsim/core/employers.hpp"
#include "skillsim/core/results_layout.hpp"

namespace skillsim {

void Appointments::declare_results(Results& r, const Parameters&) {
  add_variable(r, "appointments", over_time({"level"}),
               "appointed within quotas during the month, by level reached (特级技师, 首席技师)");
  add_variable(r, "appointments_unfilled", over_time({"level"}),
               "places of the month's appointment quota left unfilled for lack of eligible candidates, by level");
}

void Appointments::store_results(ResultsWriter& out, std::size_t rep, std::size_t t) const {
  if (t == 0) return;
  std::vector<std::int64_t> appointed(kLevelCount), unfilled(kLevelCount);
  for (std::size_t k = 0; k < 2; ++k) {
    const auto level = static_cast<std::size_t>(Level::PrincipalTechnician) + k;
    appointed[level] = tally_.appointed[k];
    unfilled[level] = tally_.unfilled[k];
  }
  out.persons("appointments", rep, t, appointed);
  out.persons("appointments_unfilled", rep, t, unfilled);
}

bool Appointments::open_month(const Parameters& p) {
  for (std::size_t k = 0; k < 2; ++k)
    quotas_[k] = static_cast<std::size_t>(state_.due[k].take(appointment_quota(p, k)));
  return quotas_[0] > 0 || quotas_[1] > 0;
}

void Appointments::step(const Parameters& p, const TransitionRates& rates, Month month, Population& pop,
                        const RandomStreams& rng, MonthTally& flows, const std::vector<AgentIndex>& listed,
                        Employers* employers, const RankGroup* ranks) {
  tally_ = {};
  using Eligible = std::vector<std::pair<std::uint64_t, std::size_t>>; // (priority, index)
  constexpr int kFirstTarget = kAppointedFrom + 1;
  const std::array<std::size_t, 2> quotas = std::exchange(quotas_, {});
  // The rules pass listed those at 高级技师 and 特级技师 as it left them. Training and evaluation
  // ran since: whoever they promoted to 高级技师 (they promote no higher) is not in the list, but
  // starts there at 0 months, so could be eligible for 特级技师 at once only with
  // skills.min_months 0 at 特级技师. Then every agent is looked at.
  const bool everybody = rates.served_minimum(kFirstTarget, 0);
  // The eligible of both levels, in agent order. One look serves both because the 特级技师
  // appointed first (now at 特级技师, 0 months there) are the only agents it changes, and they
  // could be 首席技师's candidates only with skills.min_months 0 at 首席技师: then its list is found
  // again after them (they are in the rules pass's list, at 高级技师 then).
  const auto find_eligible = [&](std::array<bool, 2> wanted) {
    std::array<Eligible, 2> joined;
    if (!wanted[0] && !wanted[1]) return joined;
    const auto add_if_eligible = [&](std::size_t i, std::array<Eligible, 2>& lists) {
      const int k = pop.level[i] - kAppointedFrom; // the list an eligible agent joins
      if (k < 0 || k > 1 || !wanted[static_cast<std::size_t>(k)]) return;
      if (appointment_eligible(rates, kFirstTarget + k, pop.level[i], pop.status[i], pop.months_at_level[i]))
        lists[static_cast<std::size_t>(k)].emplace_back(
            streams::priority_of(rng.block(streams::kAppointment, month.index, pop.id[i])), i);
    };
    if (!everybody) { // a few agents in a thousand: no threads needed
      for (const AgentIndex i : listed) add_if_eligible(i, joined);
      return joined;
    }
    // Every agent: one parallel pass over the agents: each thread's lists (a contiguous,
    // ascending block of agents under schedule(static)) are joined in thread order, so each list
    // is in agent order, as a serial scan gives it, for any thread count.
    std::vector<std::array<Eligible, 2>> by_thread(static_cast<std::size_t>(omp_get_max_threads()));
    const auto n = static_cast<std::int64_t>(pop.size());
#pragma omp parallel
    {
      std::array<Eligible, 2> mine;
#pragma omp for schedule(static) nowait
      for (std::int64_t i = 0; i < n; ++i) add_if_eligible(static_cast<std::size_t>(i), mine);
      by_thread[static_cast<std::size_t>(omp_get_thread_num())] = std::move(mine);
    }
    for (std::size_t k = 0; k < 2; ++k) { // reserved exactly: 1:1 has millions of 高级技师
      std::size_t size = 0;
      for (const std::array<Eligible, 2>& lists : by_thread) size += lists[k].size();
      joined[k].reserve(size);
    }
    for (const std::array<Eligible, 2>& lists : by_thread)
      for (std::size_t k = 0; k < 2; ++k) joined[k].insert(joined[k].end(), lists[k].begin(), lists[k].end());
    return joined;
  };
  const bool chief_after_principal = quotas[0] > 0 && rates.served_minimum(kFirstTarget + 1, 0);
  std::array<Eligible, 2> lists = find_eligible({quotas[0] > 0, quotas[1] > 0 && !chief_after_principal});
  for (std::size_t k = 0; k < 2; ++k) {
    const int target = kFirstTarget + static_cast<int>(k);
    const std::size_t quota = quotas[k];
    if (quota == 0) continue;
    if (k == 1 && chief_after_principal) lists[1] = std::move(find_eligible({false, true})[1]);
    Eligible& eligible = lists[k];
    if (split(ranks) && employers != nullptr && employers->post_needed(p, target)) {
      step_split_posts(p, k, quota, pop, flows, *employers, eligible, *ranks);
      continue;
    }
    if (split(ranks)) {
      // Every rank's eligible, by id (agent order is id order, so (priority, id) orders them as
      // (priority, index) does on one process): the pairs are distinct, so every rank chooses the same `chosen`
      // smallest, as one process does (min(quota, joined) is min(quota, every rank's eligible)). Each rank's `quota`
      // lowest hold the lowest overall: only those are joined.
      const std::size_t keep = std::min(quota, eligible.size());
      std::nth_element(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(keep), eligible.end());
      eligible.resize(keep);
      std::vector<std::uint64_t> mine;
      mine.reserve(2 * eligible.size());
      for (const auto& [priority, i] : eligible) mine.insert(mine.end(), {priority, pop.id[i]});
      const std::vector<std::uint64_t> all = ranks->join(mine);
      Eligible global(all.size() / 2);
      for (std::size_t e = 0; e < global.size(); ++e)
        global[e] = {all[2 * e], static_cast<std::size_t>(all[2 * e + 1])};
      const std::size_t chosen = std::min(quota, global.size());
      std::nth_element(global.begin(), global.begin() + static_cast<std::ptrdiff_t>(chosen), global.end());
      for (std::size_t c = 0; c < chosen; ++c)
        if (const std::size_t i = local_index(pop, global[c].second); i != kNotHere) promote(pop, i, target, flows);
      tally_.appointed[k] = static_cast<std::int64_t>(chosen);
      tally_.unfilled[k] = static_cast<std::int64_t>(quota - chosen);
      continue;
    }
    if (employers != nullptr && employers->post_needed(p, target)) {
      // In priority order (ties by agent order), each candidate takes a free post in its cell.
      std::sort(eligible.begin(), eligible.end());
      std::size_t chosen = 0, refused = 0;
      for (const auto& [priority, i] : eligible) {
        if (chosen == quota) break;
        if (employers->take_post(pop.region_of(i), pop.employer[i], target)) {
          promote(pop, i, target, flows);
          ++chosen;
        } else {
          ++refused;
        }
      }
      const std::size_t left = quota - chosen, no_post = std::min(left, refused);
      employers->record_no_post(target, static_cast<std::int64_t>(no_post));
      tally_.appointed[k] = static_cast<std::int64_t>(chosen);
      tally_.unfilled[k] = static_cast<std::int64_t>(left - no_post);
      continue;
    }
    const std::size_t chosen = std::min(quota, eligible.size());
    std::nth_element(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(chosen), eligible.end());
    for (std::size_t c = 0; c < chosen; ++c) promote(pop, eligible[c].second, target, flows);
    tally_.appointed[k] = static_cast<std::int64_t>(chosen);
    tally_.unfilled[k] = static_cast<std::int64_t>(quota - chosen); // lost: unused quota is not carried
  }
}

void Appointments::step_split_posts(const Parameters& p, std::size_t k, std::size_t quota, Population& pop,
                                    MonthTally& flows, Employers& employers,
                                    std::vector<std::pair<std::uint64_t, std::size_t>>& eligible,
                                    const RankGroup& ranks) {
  const int target = static_cast<int>(Level::PrincipalTechnician) + static_cast<int>(k);
  // One process takes the eligible in priority order until the quota is filled, each taking a
  // free post in its cell if one is left: of a cell's eligible, only its first min(quota, free
  // posts) can take one, and a rank's share of those is among its own first as many of the
  // cell. Only those are joined (with their cell); the others would be refused, and what one
  // process counts of them (refused, while the quota is not filled) is the number of eligible
  // less the chosen, from the sum of every rank's eligible.
  std::int64_t total = static_cast<std::int64_t>(eligible.size());
  ranks.sum(std::span<std::int64_t>(&total, 1));
  std::sort(eligible.begin(), eligible.end()); // priority, then agent (id) order
  const std::size_t regions = p.population.regions.size(), cells = employers.cells();
  std::vector<std::int64_t> kept(regions * cells, 0);
  std::vector<std::uint64_t> mine;
  for (const auto& [priority, i] : eligible) {
    const std::uint8_t cell = pop.employer[i];
    if (cell == kNoEmployer) continue; // hired this month: no cell, no post, until the month's end
    const std::size_t r = pop.region_of(i);
    std::int64_t& n = kept[r * cells + cell];
    if (n >= std::min(static_cast<std::int64_t>(quota), employers.free_posts(r, cell, target))) continue;
    ++n;
    mine.insert(mine.end(), {priority, pop.id[i], std::uint64_t{pop.region_of(i)} << 8 | cell});
  }
  const std::vector<std::uint64_t> all = ranks.join(mine);
  struct Joined {
    std::uint64_t priority, id, where;
  };
  std::vector<Joined> joined(all.size() / 3);
  for (std::size_t e = 0; e < joined.size(); ++e) joined[e] = {all[3 * e], all[3 * e + 1], all[3 * e + 2]};
  std::sort(joined.begin(), joined.end(),
            [](const Joined& a, const Joined& b) { return std::tie(a.priority, a.id) < std::tie(b.priority, b.id); });
  std::size_t chosen = 0;
  for (const Joined& e : joined) { // every rank takes the same posts; the agent's rank promotes it
    if (chosen == quota) break;
    if (!employers.take_post(static_cast<std::size_t>(e.where >> 8), static_cast<std::uint8_t>(e.where & 0xFF), target))
      continue;
    ++chosen;
    if (const std::size_t i = local_index(pop, e.id); i != kNotHere) promote(pop, i, target, flows);
  }
  const std::size_t left = quota - chosen;
  const auto no_post =
      std::min<std::int64_t>(static_cast<std::int64_t>(left), total - static_cast<std::int64_t>(chosen));
  employers.record_no_post(target, no_post);
  tally_.appointed[k] = static_cast<std::int64_t>(chosen);
  tally_.unfilled[k] = static_cast<std::int64_t>(left) - no_post;
}

} // namespace skillsim
