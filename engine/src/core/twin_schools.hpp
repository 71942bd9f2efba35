// The expected-value twin's technical schools (docs/twin.md, "Schools"). Students do nothing but
// die, drop out and graduate (the monthly rules skip them otherwise), so they are held apart from
// the active state: by route, region, months in school and month of birth, one class of students
// per (route, region, month of enrolment), with the sex and group shares it enrolled with. The
// schools are stepped once for the whole run with the agents' rules in expectation (Schools::step:
// the students' deaths, then dropout, graduation after the route's length, and the plan's
// enrolment within the places left), and each month's leavers join the active population at its
// end as a second kind of entrant cohort (twin.cpp): their own months of birth and sex, the
// diploma level or 0, the group on leaving at 0 months in it, employed by schools.employed_share.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "skillsim/core/carry.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/twin.hpp"
#include "skillsim/core/types.hpp"

namespace skillsim::twin {

/// Leavers of one month with one month of birth and sex who join the active population at one
/// level (the diploma's, or 0 for dropouts) and in one group (at 0 months in it), in agents.
struct SchoolLeavers {
  int level = 0, group = 0, sex = 0;
  std::size_t region = 0; // the school's
  std::int32_t birth = 0;
  double count = 0;
};

class SchoolsProjection {
public:
  /// The students in school at the start (add_initial_students in expectation: whole agents per
  /// route and region, months in school by the route's steady state, ages, sex and group).
  explicit SchoolsProjection(const Parameters& start);

  /// One month of the schools (after the month's deaths, as the agents'): the students' deaths at
  /// their ages, then dropout and graduation, then the plan's enrolment (Schools::step).
  /// `rates`: the month's (death by mortality band).
  void step(const Parameters& p, const TransitionRates& rates, Month month);

  /// Month t's (0: the start) leavers, who join the active population at the end of it; and the
  /// share of them who start employed.
  const std::vector<SchoolLeavers>& leavers(std::size_t t) const { return months_[t].leavers; }
  double employed_share(std::size_t t) const { return months_[t].employed_share; }

  /// Adds the students after month t to `stocks` (in agents): level 0, status student, by group
  /// and by their own regions, and school_students.
  void add_stocks(std::size_t t, TwinStocks& stocks) const;
  /// Adds month t's (t >= 1) flows of the schools to `flows` (in agents): the enrolled as entries
  /// at level 0, the students' deaths as exits, the graduates as promotions, the leavers' group
  /// changes, and the school variables (school_enrolments, ...).
  void add_flows(std::size_t t, TwinFlows& flows) const;

private:
  // Students of one route and region who enrolled in one month (or the initial students with
  // one number of months served), by month of birth from `first_birth` on.
  struct Class {
    std::size_t route = 0, region = 0;
    std::int64_t months = 0; // months served
    double male_share = 0;
    std::array<double, kGroupCount> group_share{};
    std::int32_t first_birth = 0;
    std::vector<double> count; // by month of birth
  };
  // What a month did: route x region variables, and what the twin's flows get.
  struct MonthResult {
    std::vector<double> students, enrolments, graduates, dropouts, no_place; // route x region
    std::array<double, kGroupCount> students_by_group{}, entries_by_group{}, deaths_by_group{};
    std::vector<double> deaths_by_region;
    std::array<double, kLevelCount> promotions{};
    std::array<std::array<double, kGroupCount>, kGroupCount> group_changes{};
    std::vector<SchoolLeavers> leavers;
    double employed_share = 0;
  };

  // A class enrolled with `count` students of a route and region in `month` with `months` served:
  // ages at enrolment uniform over the route's entry ages (Entrants::age_months_distribution).
  Class enrolled(const Parameters& p, std::size_t route, std::size_t region, Month month, std::int64_t months,
                 double count) const;
  void count_students(MonthResult& m) const;

  std::size_t routes_ = 0, regions_ = 0;
  int graduate_group_ = -1;
  std::vector<std::int64_t> length_, diploma_; // per route (not schedulable)
  std::vector<Carry> due_;                     // route x region, as Schools::State
  std::vector<Class> classes_;
  std::vector<MonthResult> months_; // t = 0 .. the months stepped
};

} // namespace skillsim::twin
