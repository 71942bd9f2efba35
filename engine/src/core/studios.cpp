#include "skillsim/core/studios.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "skillsim/core/results_layout.hpp"
#include "skillsim/core/scenario.hpp"

namespace skillsim {

namespace {

constexpr auto kEmployed = static_cast<std::uint8_t>(Status::Employed);

bool any_open(const std::vector<double>& count) {
  return std::any_of(count.begin(), count.end(), [](double c) { return c > 0; });
}

} // namespace

bool studios_open(const StudiosSection& studios) { return any_open(studios.count); }

std::int64_t mentoring_places(const StudiosSection& studios, double open, double masters, double scale) {
  const double persons = std::min(open * studios.places_per_studio, masters * scale * studios.places_per_master);
  return static_cast<std::int64_t>(std::floor(persons / scale));
}

void Mentoring::set_terms(const StudiosSection& studios, const TransitionRates& rates) {
  pass_factor = studios.pass_factor;
  const WaitingRule waiting = waiting_of(studios);
  for (std::size_t l = 0; l < kLevelCount; ++l) {
    wait[l] = waiting_months(waiting, rates.min_months[l], studios.shorten_months);
    pass[l] = probability_threshold(pass_probability(rates.pass[l]));
  }
  pass_by_class.clear();
  for (double p : rates.pass_by_class) pass_by_class.push_back(probability_threshold(pass_probability(p)));
}

Studios::Studios(const Parameters& p) : regions_(p.population.regions.size()) {}

bool Studios::in_scenario(const Scenario& scenario) {
  if (studios_open(scenario.parameters().studios)) return true;
  for (const auto& change : scenario.schedule())
    if (change.key == "studios.count" && change.month < scenario.end())
      if (const auto* count = std::get_if<std::vector<double>>(&change.value))
        if (any_open(*count)) return true;
  return false;
}

void Studios::declare_results(Results& r, const Scenario& scenario) {
  if (!in_scenario(scenario)) return;
  const auto by_region = over_time({"region"});
  add_variable(r, "studios", by_region, "master studios (技能大师工作室) open during the month", "1");
  add_variable(r, "studio_masters", by_region,
               "masters: employed workers at studios.master_min_level or above at the start of the month");
  add_variable(r, "mentoring_places", by_region,
               "mentoring places of the month: min(studios x places_per_studio, masters x places_per_master)");
  add_variable(r, "mentored", by_region, "workers mentored in a master studio during the month");
}

void Studios::store_results(ResultsWriter& out, std::size_t rep, std::size_t t) const {
  if (!out.has("studios") || t == 0) return;
  out.as_is("studios", rep, t, tally_.studios);
  out.persons("studio_masters", rep, t, tally_.masters);
  out.persons("mentoring_places", rep, t, tally_.places);
  out.persons("mentored", rep, t, tally_.mentored);
}

const Mentoring& Studios::select(const Parameters& p, const TransitionRates& rates, Month, const Population& pop,
                                 const RandomStreams& rng, const RankGroup* ranks) {
  const auto& st = p.studios;
  tally_.studios.assign(regions_, 0);
  tally_.masters.assign(regions_, 0);
  tally_.places.assign(regions_, 0);
  tally_.mentored.assign(regions_, 0);
  mentoring_.mentees.clear();
  if (!studios_open(st)) return mentoring_;

  // What mentoring gives this month.
  mentoring_.set_terms(st, rates);

  // Masters and the eligible, by region, found in parallel; each thread's lists are joined (their
  // order does not matter: the places go to the lowest (priority, index), found by selection).
  using Candidate = std::pair<std::uint64_t, std::size_t>; // (priority, agent index): unique keys
  const auto master_level = static_cast<std::uint8_t>(st.master_min_level);
  const auto mentee_level = static_cast<std::uint8_t>(st.mentee_min_level);
  const auto n = static_cast<std::int64_t>(pop.size());
  const bool training = pop.has(Column::programme); // (stored with programmes or evaluators)
  std::vector<std::int64_t> masters(regions_, 0);
  std::vector<std::vector<Candidate>> eligible(regions_);
#pragma omp parallel
  {
    std::vector<std::int64_t> local_masters(regions_, 0);
    std::vector<std::vector<Candidate>> local(regions_);
#pragma omp for schedule(static) nowait
    for (std::int64_t i = 0; i < n; ++i) {
      if (pop.status[i] != kEmployed) continue;
      const std::uint8_t level = pop.level[i];
      if (level >= master_level) {
        ++local_masters[pop.region_of(i)];
      } else if (level >= mentee_level && (!training || pop.programme[i] == kNoProgramme)) {
        // Keyed on the id alone (month 0 for every month): the same workers keep their places.
        const DrawBlock d = rng.block(streams::kStudio, 0, pop.id[i]);
        local[pop.region_of(i)].emplace_back(streams::priority_of(d), static_cast<std::size_t>(i));
      }
    }
#pragma omp critical(skillsim_studios)
    for (std::size_t r = 0; r < regions_; ++r) {
      masters[r] += local_masters[r];
      eligible[r].insert(eligible[r].end(), local[r].begin(), local[r].end());
    }
  }
  const double scale = static_cast<double>(p.population.scale);
  const bool split_ranks = split(ranks);
  if (split_ranks) ranks->sum(masters); // the places depend on every rank's masters
  for (std::size_t r = 0; r < regions_; ++r) {
    const double studios = st.count[r];
    const std::int64_t places = mentoring_places(st, studios, static_cast<double>(masters[r]), scale);
    auto& list = eligible[r];
    if (split_ranks) {
      // The `places` lowest of every rank hold the lowest overall: only those are joined, by
      // id (agent order); this rank keeps those of the chosen that are its own.
      const std::int64_t mine = std::min<std::int64_t>(places, static_cast<std::int64_t>(list.size()));
      std::nth_element(list.begin(), list.begin() + mine, list.end());
      std::vector<std::uint64_t> words;
      for (auto e = list.begin(); e != list.begin() + mine; ++e)
        words.insert(words.end(), {e->first, pop.id[e->second]});
      const std::vector<std::uint64_t> all = ranks->join(words);
      list.resize(all.size() / 2);
      for (std::size_t k = 0; k < list.size(); ++k) list[k] = {all[2 * k], static_cast<std::size_t>(all[2 * k + 1])};
    }
    const std::int64_t taken = std::min<std::int64_t>(places, static_cast<std::int64_t>(list.size()));
    // The `taken` lowest (priority, index): the same set for any thread count or join order.
    std::nth_element(list.begin(), list.begin() + taken, list.end());
    for (auto e = list.begin(); e != list.begin() + taken; ++e) {
      if (!split_ranks)
        mentoring_.mentees.push_back(e->second);
      else if (const std::size_t i = local_index(pop, e->second); i != kNotHere)
        mentoring_.mentees.push_back(i);
    }
    tally_.studios[r] = std::llround(studios);
    tally_.masters[r] = masters[r];
    tally_.places[r] = places;
    tally_.mentored[r] = taken;
  }
  std::sort(mentoring_.mentees.begin(), mentoring_.mentees.end());
  return mentoring_;
}

} // namespace skillsim
