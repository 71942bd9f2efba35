#include "twin_schools.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "skillsim/core/entrants.hpp"
#include "skillsim/core/schools.hpp"

namespace skillsim::twin {

namespace {

constexpr auto kStudentStatus = static_cast<std::size_t>(Status::Student);

std::array<double, kGroupCount> group_shares(const SchoolsSection& sc) {
  const std::vector<double> law = Entrants::pick_probabilities(sc.group_shares); // the law of pick_by_share
  std::array<double, kGroupCount> out{};
  for (std::size_t g = 0; g < kGroupCount && g < law.size(); ++g) out[g] = law[g];
  return out;
}

} // namespace

SchoolsProjection::SchoolsProjection(const Parameters& p)
    : routes_(p.schools.routes.size()), regions_(p.population.regions.size()),
      graduate_group_(graduate_group_of(p.schools)), length_(p.schools.length_months),
      diploma_(p.schools.diploma_level), due_(routes_ * regions_) {
  const auto& sc = p.schools;
  // add_initial_students: whole agents per route and region, over the steady state's months.
  for (std::size_t k = 0; k < routes_; ++k) {
    const std::vector<double> law = steady_state_months_law(sc.dropout_rate[k], sc.length_months[k]);
    for (std::size_t r = 0; r < regions_; ++r) {
      const auto n = static_cast<double>(initial_school_students(p, k, r));
      if (n == 0) continue;
      for (std::size_t m = 0; m < law.size(); ++m)
        if (law[m] > 0)
          classes_.push_back(enrolled(p, k, r, p.scenario.start, static_cast<std::int64_t>(m), n * law[m]));
    }
  }
  MonthResult start;
  count_students(start);
  months_.push_back(std::move(start));
}

SchoolsProjection::Class SchoolsProjection::enrolled(const Parameters& p, std::size_t route, std::size_t region,
                                                     Month month, std::int64_t months, double count) const {
  const auto& sc = p.schools;
  Class c;
  c.route = route;
  c.region = region;
  c.months = months;
  c.male_share = p.entry.male_share;
  c.group_share = group_shares(sc);
  // Born Entrants::birth_month(month, age) - months served, the age uniform over the entry ages.
  const auto ages = Entrants::age_months_distribution(sc.entry_age_min[route], sc.entry_age_max[route]);
  std::int32_t oldest = ages.front().first, youngest = ages.front().first;
  for (const auto& [age, share] : ages) {
    oldest = std::max(oldest, age);
    youngest = std::min(youngest, age);
  }
  c.first_birth = month.index - oldest - static_cast<std::int32_t>(months);
  c.count.assign(static_cast<std::size_t>(oldest - youngest + 1), 0.0);
  for (const auto& [age, share] : ages) c.count[static_cast<std::size_t>(oldest - age)] += count * share;
  return c;
}

void SchoolsProjection::count_students(MonthResult& m) const {
  m.students.assign(routes_ * regions_, 0.0);
  for (const Class& c : classes_) {
    double n = 0;
    for (double v : c.count) n += v;
    m.students[c.route * regions_ + c.region] += n;
    for (std::size_t g = 0; g < kGroupCount; ++g) m.students_by_group[g] += n * c.group_share[g];
  }
}

void SchoolsProjection::step(const Parameters& p, const TransitionRates& rates, Month month) {
  const auto& sc = p.schools;
  const std::size_t cells = routes_ * regions_;
  MonthResult m;
  m.employed_share = sc.employed_share;
  for (auto* v : {&m.enrolments, &m.graduates, &m.dropouts, &m.no_place}) v->assign(cells, 0.0);
  m.deaths_by_region.assign(regions_, 0.0);
  // The leavers by (level, group on leaving, month of birth, sex, region).
  std::map<std::tuple<int, int, std::int32_t, int, std::size_t>, double> leaving;
  const auto leave = [&](const Class& c, int level, std::int32_t birth, double n) {
    for (std::size_t g = 0; g < kGroupCount; ++g) {
      const double in_group = n * c.group_share[g];
      if (in_group == 0) continue;
      const int to = graduate_group_ >= 0 ? graduate_group_ : static_cast<int>(g);
      if (to != static_cast<int>(g)) m.group_changes[g][static_cast<std::size_t>(to)] += in_group;
      leaving[{level, to, birth, 0, c.region}] += in_group * c.male_share;
      leaving[{level, to, birth, 1, c.region}] += in_group * (1 - c.male_share);
    }
  };
  std::vector<Class> staying;
  for (Class& c : classes_) {
    const std::size_t cell = c.route * regions_ + c.region;
    const double dropout = sc.dropout_rate[c.route];
    const bool graduates = c.months + 1 >= length_[c.route];
    for (std::size_t i = 0; i < c.count.size(); ++i) {
      double& n = c.count[i];
      if (n == 0) continue;
      const std::int32_t birth = c.first_birth + static_cast<std::int32_t>(i);
      // Death first (the monthly rules), at the age of the month.
      const double dead = n * rates.death[static_cast<std::size_t>(mortality_band((month.index - birth) / 12))];
      for (std::size_t g = 0; g < kGroupCount; ++g) m.deaths_by_group[g] += dead * c.group_share[g];
      m.deaths_by_region[c.region] += dead;
      n -= dead;
      // Then the schools: dropout, or another month served and graduation at the route's length.
      const double dropped = n * dropout;
      n -= dropped;
      m.dropouts[cell] += dropped;
      leave(c, 0, birth, dropped);
      if (graduates) {
        m.graduates[cell] += n;
        m.promotions[static_cast<std::size_t>(diploma_[c.route])] += n;
        leave(c, static_cast<int>(diploma_[c.route]), birth, n);
        n = 0;
      }
    }
    ++c.months;
    if (!graduates) staying.push_back(std::move(c));
  }
  classes_.swap(staying);
  // The plan's enrolment of the month, within the places left after the month's leavers: the
  // agents' rule on the expected students (docs/twin.md: exact but for Jensen at the capacity).
  count_students(m);
  for (std::size_t k = 0; k < routes_; ++k)
    for (std::size_t r = 0; r < regions_; ++r) {
      const std::size_t cell = k * regions_ + r;
      const auto due = static_cast<double>(due_[cell].take(enrolment_due(p, month, k, r)));
      const double admitted = school_admissions(static_cast<double>(school_places(p, k, r)), m.students[cell], due);
      m.no_place[cell] = due - admitted;
      m.enrolments[cell] = admitted;
      if (admitted <= 0) continue;
      classes_.push_back(enrolled(p, k, r, month, 0, admitted));
      m.students[cell] += admitted;
      for (std::size_t g = 0; g < kGroupCount; ++g) {
        m.entries_by_group[g] += admitted * classes_.back().group_share[g];
        m.students_by_group[g] += admitted * classes_.back().group_share[g];
      }
    }
  for (const auto& [key, n] : leaving)
    if (n > 0) {
      const auto& [level, group, birth, sex, region] = key;
      m.leavers.push_back({level, group, sex, region, birth, n});
    }
  months_.push_back(std::move(m));
}

void SchoolsProjection::add_stocks(std::size_t t, TwinStocks& s) const {
  if (routes_ == 0) return;
  const MonthResult& m = months_[t];
  double all = 0;
  for (double v : m.students) all += v;
  s.workers[0][kStudentStatus] += all;
  for (std::size_t g = 0; g < kGroupCount; ++g) s.by_group[g][0] += m.students_by_group[g];
  // Students are counted in their own regions (the rest of the stocks by the region shares).
  for (std::size_t k = 0; k < routes_; ++k)
    for (std::size_t r = 0; r < regions_ && r * kLevelCount < s.by_region.size(); ++r)
      s.by_region[r * kLevelCount] += m.students[k * regions_ + r];
  s.school_students = m.students;
}

void SchoolsProjection::add_flows(std::size_t t, TwinFlows& f) const {
  if (routes_ == 0) return;
  const MonthResult& m = months_[t];
  for (std::size_t g = 0; g < kGroupCount; ++g) {
    f.entries[0] += m.entries_by_group[g];
    f.entries_by_group[g] += m.entries_by_group[g];
    f.exits[0] += m.deaths_by_group[g];
    f.exits_by_group[g] += m.deaths_by_group[g];
    for (std::size_t to = 0; to < kGroupCount; ++to) f.group_changes[g][to] += m.group_changes[g][to];
  }
  // Students enter and die in their own regions.
  for (std::size_t r = 0; r < regions_ && r < f.entries_by_region.size(); ++r) {
    for (std::size_t k = 0; k < routes_; ++k) f.entries_by_region[r] += m.enrolments[k * regions_ + r];
    f.exits_by_region[r] += m.deaths_by_region[r];
  }
  // A graduate is promoted from level 0 to the diploma's (record_promotion).
  for (int l = 0; l < kLevelCount; ++l) {
    const double n = m.promotions[static_cast<std::size_t>(l)];
    if (n == 0) continue;
    f.promotions[static_cast<std::size_t>(l)] += n;
    f.promotions_out[0] += n;
    if (l >= kFirstSkilledLevel) f.newly_skilled += n;
  }
  f.school_enrolments = m.enrolments;
  f.school_graduates = m.graduates;
  f.school_dropouts = m.dropouts;
  f.school_no_place = m.no_place;
}

} // namespace skillsim::twin
