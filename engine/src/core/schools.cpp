#include "skillsim/core/schools.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "skillsim/core/entrants.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/promotion.hpp"
#include "skillsim/core/results_layout.hpp"

namespace skillsim {

namespace {

constexpr auto kStudent = static_cast<std::uint8_t>(Status::Student);

// Attributes every student gets at enrolment, whether at the start or during the run.
Agent new_student(std::size_t route, std::size_t region, std::uint64_t id) {
  Agent a;
  a.id = id;
  a.level = Level::None;
  a.status = Status::Student;
  a.region = static_cast<std::uint16_t>(region);
  a.months_at_level = 0;
  a.programme_months_left = static_cast<std::uint8_t>(route); // school_route_of
  return a;
}

} // namespace

int steady_state_months(double u, double dropout, std::int64_t length) {
  const auto last = static_cast<int>(length - 1);
  if (dropout <= 0) return std::min(last, static_cast<int>(u * static_cast<double>(length)));
  if (dropout >= 1) return 0;
  const double q = 1 - dropout;
  const double m = std::floor(std::log1p(-u * (1 - std::pow(q, static_cast<double>(length)))) / std::log(q));
  return std::clamp(static_cast<int>(m), 0, last);
}

std::vector<double> steady_state_months_law(double dropout, std::int64_t length) {
  const auto n = static_cast<std::size_t>(std::max<std::int64_t>(length, 1));
  std::vector<double> law(n, 0.0);
  if (dropout <= 0) {
    law.assign(n, 1.0 / static_cast<double>(n));
  } else if (dropout >= 1) {
    law[0] = 1;
  } else {
    // P(m or fewer) = (1 - q^(m + 1)) / (1 - q^length): u below it gives m or fewer.
    const double q = 1 - dropout, all = 1 - std::pow(q, static_cast<double>(n));
    double below = 0;
    for (std::size_t m = 0; m < n; ++m) {
      const double upto = m + 1 == n ? 1.0 : (1 - std::pow(q, static_cast<double>(m + 1))) / all;
      law[m] = upto - below;
      below = upto;
    }
  }
  return law;
}

int graduate_group_of(const SchoolsSection& schools) {
  const auto found = std::find(kGroupIds.begin(), kGroupIds.end(), schools.graduate_group);
  return found == kGroupIds.end() ? -1 : static_cast<int>(found - kGroupIds.begin());
}

double enrolment_due(const Parameters& p, Month month, std::size_t route, std::size_t region) {
  const auto& sc = p.schools;
  return sc.enrolment_plan_per_year(static_cast<int>(route), static_cast<int>(region)) *
         sc.enrolment_month_shares[static_cast<std::size_t>(month.month() - 1)] /
         static_cast<double>(p.population.scale);
}

std::int64_t school_places(const Parameters& p, std::size_t route, std::size_t region) {
  return static_cast<std::int64_t>(std::floor(p.schools.capacity(static_cast<int>(route), static_cast<int>(region)) /
                                              static_cast<double>(p.population.scale)));
}

std::int64_t initial_school_students(const Parameters& p, std::size_t route, std::size_t region) {
  return std::llround(p.schools.initial_students(static_cast<int>(route), static_cast<int>(region)) /
                      static_cast<double>(p.population.scale));
}

std::int64_t initial_student_agents(const Parameters& p) {
  std::int64_t agents = 0;
  for (std::size_t k = 0; k < p.schools.routes.size(); ++k)
    for (std::size_t r = 0; r < p.population.regions.size(); ++r) agents += initial_school_students(p, k, r);
  return agents;
}

double planned_enrolment(const Parameters& p, Month month) {
  double agents = 0;
  for (std::size_t k = 0; k < p.schools.routes.size(); ++k)
    for (std::size_t r = 0; r < p.population.regions.size(); ++r) agents += enrolment_due(p, month, k, r);
  return agents;
}

std::int64_t enrolment_carry_allowance(const Parameters& p) {
  return static_cast<std::int64_t>(p.schools.routes.size() * p.population.regions.size());
}

void add_initial_students(const Parameters& p, const RandomStreams& rng, Population& pop, std::uint64_t first_id,
                          const RankGroup* ranks) {
  const auto& sc = p.schools;
  const std::size_t routes = sc.routes.size(), regions = p.population.regions.size();
  const Month start = p.scenario.start;
  std::uint64_t next_id = first_id == kIdsFromSize ? pop.size() : first_id;
  for (std::size_t k = 0; k < routes; ++k)
    for (std::size_t r = 0; r < regions; ++r) {
      const std::int64_t count = initial_school_students(p, k, r);
      for (std::int64_t c = 0; c < count; ++c) {
        Agent a = new_student(k, r, next_id++);
        if (!holds_new(ranks, a.id)) continue; // another rank's
        const DrawBlock d = rng.block(streams::kSchoolSynthesis, start.index, a.id);
        const int months_in =
            steady_state_months(d.uniform(streams::kSchoolMonthsIn), sc.dropout_rate[k], sc.length_months[k]);
        const double age_at_entry =
            sc.entry_age_min[k] + d.uniform(streams::kSchoolAge) * (sc.entry_age_max[k] - sc.entry_age_min[k]);
        a.birth_month = Entrants::birth_month(start, age_at_entry) - months_in;
        a.months_at_level = static_cast<std::uint8_t>(months_in); // below length_months, at most 120
        a.sex = d.uniform(streams::kSchoolSex) < p.entry.male_share ? 0 : 1;
        a.group = static_cast<Group>(pick_by_share(sc.group_shares, d.uniform(streams::kSchoolGroup)));
        a.sector =
            static_cast<std::uint8_t>(pick_by_share(p.population.sector_shares, d.uniform(streams::kSchoolSector)));
        pop.push_back(a);
      }
    }
}

Schools::Schools(const Parameters& p) : routes_(p.schools.routes.size()), regions_(p.population.regions.size()) {
  state_.enrolment_due.assign(routes_ * regions_, Carry{});
}

void Schools::check_fits(const State& state) const {
  if (state.enrolment_due.size() != state_.enrolment_due.size())
    throw Error("school state of " + std::to_string(state.enrolment_due.size()) +
                " routes x regions does not fit this scenario's " + std::to_string(state_.enrolment_due.size()));
}

void Schools::declare_results(Results& r, const Parameters& p) {
  const auto& sc = p.schools;
  if (sc.routes.empty()) return;
  r.dimensions.push_back(
      Dimension{"school_route", {}, sc.routes, sc.labels, {{"long_name", "technical-school (技工院校) route"}}});
  const std::initializer_list<std::string> by = {"school_route", "region"};
  add_variable(r, "school_enrolments", over_time(by),
               "enrolled in a technical school (技工院校招生) during the month, by route and region");
  add_variable(r, "school_students", over_time(by), "students in technical schools (在校生), by route and region");
  add_variable(r, "school_graduates", over_time(by),
               "graduated during the month and entered the workforce at the route's diploma level, by route and "
               "region");
  add_variable(r, "school_dropouts", over_time(by),
               "left a technical school without a diploma during the month (at level 0), by route and region");
  add_variable(r, "school_no_place", over_time(by),
               "places of the month's enrolment plan not filled because the route's capacity was reached");
}

void Schools::store_results(ResultsWriter& out, std::size_t rep, std::size_t t) const {
  if (!out.has("school_students")) return;
  out.persons("school_students", rep, t, tally_.students);
  if (t == 0) return;
  out.persons("school_enrolments", rep, t, tally_.enrolments);
  out.persons("school_graduates", rep, t, tally_.graduates);
  out.persons("school_dropouts", rep, t, tally_.dropouts);
  out.persons("school_no_place", rep, t, tally_.no_place);
}

void Schools::count_students(const Population& pop, const RankGroup* ranks) {
  tally_.students.assign(routes_ * regions_, 0);
  if (routes_ == 0) return;
  for (std::size_t i = 0; i < pop.size(); ++i)
    if (pop.status[i] == kStudent) ++tally_.students[school_route_of(pop, i) * regions_ + pop.region_of(i)];
  if (split(ranks)) ranks->sum(tally_.students);
}

void Schools::step(const Parameters& p, Month month, Population& pop, const RandomStreams& rng, std::uint64_t& next_id,
                   MonthTally& flows, std::span<const AgentIndex> students, const RankGroup* ranks) {
  if (routes_ == 0) return;
  const auto& sc = p.schools;
  const std::size_t cells = routes_ * regions_;
  tally_.enrolments.assign(cells, 0);
  tally_.no_place.assign(cells, 0);
  tally_.graduates.assign(cells, 0);
  tally_.dropouts.assign(cells, 0);
  tally_.students.assign(cells, 0);

  std::vector<std::uint64_t> dropout(routes_);
  for (std::size_t k = 0; k < routes_; ++k) dropout[k] = probability_threshold(sc.dropout_rate[k]);
  const std::uint64_t employed = probability_threshold(sc.employed_share);
  const int graduate_group = graduate_group_of(sc);

  // Every student, in parallel: each update reads only the agent's own state and its own block
  // of the stream `school.progress`, and the tallies are integer sums, so any thread count gives
  // the same result.
  const auto n = static_cast<std::int64_t>(students.size());
#pragma omp parallel
  {
    MonthTally local_flows;
    Tally local;
    local.graduates.assign(cells, 0);
    local.dropouts.assign(cells, 0);
    local.students.assign(cells, 0);
#pragma omp for schedule(static) nowait
    for (std::int64_t s = 0; s < n; ++s) {
      const std::size_t u = students[static_cast<std::size_t>(s)];
      const auto i = static_cast<std::int64_t>(u);
      if (pop.status[i] != kStudent) continue; // a safeguard: the list is of the rules pass's students
      const std::size_t k = school_route_of(pop, u);
      const std::size_t cell = k * regions_ + pop.region_of(i);
      const DrawBlock d = rng.block(streams::kSchool, month.index, pop.id[i]);
      bool leaves = d.below(streams::kSchoolDropout, dropout[k]);
      if (leaves) {
        ++local.dropouts[cell];
        pop.months_at_level[i] = 0;
      } else if (++pop.months_at_level[i] >= sc.length_months[k]) {
        leaves = true;
        ++local.graduates[cell];
        promote(pop, u, static_cast<int>(sc.diploma_level[k]), local_flows); // months at the level start at 0
      }
      if (!leaves) {
        ++local.students[cell];
        continue;
      }
      // Into the workforce: the month's labour market applies from the next month.
      pop.status[i] = static_cast<std::uint8_t>(d.below(streams::kSchoolEmployed, employed) ? Status::Employed
                                                                                            : Status::Unemployed);
      set_school_route(pop, u, 0);
      if (graduate_group >= 0 && pop.group[i] != graduate_group) {
        ++local_flows.group_changes[pop.group[i]][graduate_group];
        pop.group[i] = static_cast<std::uint8_t>(graduate_group);
      }
      pop.months_in_group[i] = 0;
    }
#pragma omp critical(skillsim_schools)
    {
      flows += local_flows;
      for (std::size_t c = 0; c < cells; ++c) {
        tally_.graduates[c] += local.graduates[c];
        tally_.dropouts[c] += local.dropouts[c];
        tally_.students[c] += local.students[c];
      }
    }
  }

  // Split over ranks: the leavers and the students left, of every rank (the enrolment reads them).
  if (split(ranks)) {
    ranks->sum(tally_.graduates);
    ranks->sum(tally_.dropouts);
    ranks->sum(tally_.students);
  }
  // The plan's enrolment of the month, within the capacity left after this month's leavers.
  for (std::size_t k = 0; k < routes_; ++k)
    for (std::size_t r = 0; r < regions_; ++r) {
      const std::size_t cell = k * regions_ + r;
      const std::int64_t due = state_.enrolment_due[cell].take(enrolment_due(p, month, k, r));
      const std::int64_t admitted = school_admissions(school_places(p, k, r), tally_.students[cell], due);
      tally_.no_place[cell] = due - admitted;
      tally_.enrolments[cell] = admitted;
      tally_.students[cell] += admitted;
      for (std::int64_t c = 0; c < admitted; ++c) {
        Agent a = new_student(k, r, next_id++);
        if (!holds_new(ranks, a.id)) continue; // another rank's
        const DrawBlock d = rng.block(streams::kEntry, month.index, a.id);
        const double age =
            sc.entry_age_min[k] + d.uniform(streams::kEntryAge) * (sc.entry_age_max[k] - sc.entry_age_min[k]);
        a.birth_month = Entrants::birth_month(month, age);
        a.sex = d.uniform(streams::kEntrySex) < p.entry.male_share ? 0 : 1;
        a.group = static_cast<Group>(pick_by_share(sc.group_shares, d.uniform(streams::kEntryGroup)));
        a.sector =
            static_cast<std::uint8_t>(pick_by_share(p.population.sector_shares, d.uniform(streams::kEntrySector)));
        pop.push_back(a);
        flows.record_entry(static_cast<int>(Level::None), static_cast<int>(a.group), static_cast<int>(a.region));
      }
    }
}

} // namespace skillsim
