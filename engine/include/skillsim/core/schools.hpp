// Technical schools (技工院校): enrolment by route and region within a plan and a capacity, the
// student stock (status student), dropout, and graduation into the workforce at the route's
// diploma level (docs/model.md, "Technical schools"). Students take part in nothing else while
// in school: the monthly rules let them die and skip them otherwise.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "skillsim/core/carry.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/random.hpp"
#include "skillsim/core/ranks.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/tallies.hpp"

namespace skillsim {

class ResultsWriter;

/// A student's school route is kept in the `programme_months_left` column (a student is in no
/// training programme, so the column is free), and its months in school in `months_at_level`
/// (a student is at level 0, and graduating restarts the months at the diploma level). These
/// two functions are the one place that says so.
inline std::uint8_t school_route_of(const Population& pop, std::size_t i) { return pop.programme_months_left[i]; }
inline void set_school_route(Population& pop, std::size_t i, std::size_t route) {
  pop.programme_months_left[i] = static_cast<std::uint8_t>(route);
}

/// The rules of schools the agents' Schools and the expected-value twin (twin_schools.hpp) share.
///
/// Months already in school of a student in school at the start, for a uniform `u`: the steady
/// state of a route with a constant intake and a monthly dropout, where the share with m months
/// served falls as (1 - dropout)^m, m = 0 .. length - 1 (uniform when dropout is 0).
int steady_state_months(double u, double dropout, std::int64_t length);
/// Its law: the probability of each m = 0 .. length - 1 that steady_state_months returns,
/// q^m (1 - q) / (1 - q^length) with q = 1 - dropout (1 / length when dropout is 0; all at 0
/// when it is 1).
std::vector<double> steady_state_months_law(double dropout, std::int64_t length);
/// The group of graduates and dropouts on leaving (schools.graduate_group's index), or -1: they
/// keep the group held in school.
int graduate_group_of(const SchoolsSection& schools);
/// The month's enrolment plan of a route and region, in agents before the carry.
double enrolment_due(const Parameters& p, Month month, std::size_t route, std::size_t region);
/// A route's places in a region: whole agents in school at once.
std::int64_t school_places(const Parameters& p, std::size_t route, std::size_t region);
/// Enrolled of `due` with `students` in school after the month's leavers: up to the places.
template <class T>
T school_admissions(T places, T students, T due) {
  return std::clamp<T>(places - students, T{0}, due);
}

/// Students in school at the start in a route and region, in whole agents:
/// schools.initial_students divided by the scale, rounded to the nearest. The one place that
/// says how many: add_initial_students makes them, the twin (twin_schools.hpp) projects them and
/// initial_student_agents counts them.
std::int64_t initial_school_students(const Parameters& p, std::size_t route, std::size_t region);
/// The students the schools add to a population at the start, in agents (initial_school_students
/// over every route and region), for its capacity and the memory estimate. Zero without routes.
std::int64_t initial_student_agents(const Parameters& p);
/// The plan's enrolment of `month` in agents, over every route and region (enrolment_due): the
/// month's admissions never exceed it but by the carries (enrolment_carry_allowance). Zero
/// without routes.
double planned_enrolment(const Parameters& p, Month month);
/// Agents the enrolment of a run may make beyond its planned_enrolment summed over the months
/// and rounded up: one per route and region, whose carry may round one more up. With
/// planned_enrolment, what a population's capacity and the memory estimate count of the schools'
/// enrolees.
std::int64_t enrolment_carry_allowance(const Parameters& p);

/// The default `first_id` of add_initial_students: ids from population.size() on.
inline constexpr std::uint64_t kIdsFromSize = ~std::uint64_t{0};
/// Appends the students in school at the start (initial_school_students of every route and
/// region) to a freshly synthesised population, with ids from population.size() on. Their months
/// in school follow the steady state of the route (its length and dropout rate), their other
/// attributes come from the stream `school.synthesis`. `first_id`: the first student's id when
/// it is not population.size(); split over `ranks` (ranks.hpp), the students come after every
/// rank's synthesised agents, and only those this rank holds (holds_new) are made.
void add_initial_students(const Parameters& p, const RandomStreams& rng, Population& population,
                          std::uint64_t first_id = kIdsFromSize, const RankGroup* ranks = nullptr);

class Schools {
public:
  /// What must be saved to continue a run: the fractional enrolments carried, by route x region.
  struct State {
    std::vector<Carry> enrolment_due;
    bool operator==(const State&) const = default;
  };

  /// What the month last stepped did, and the students after it, in agents, by route x region.
  struct Tally {
    std::vector<std::int64_t> enrolments;
    std::vector<std::int64_t> no_place; ///< plan places not filled for lack of capacity (not carried)
    std::vector<std::int64_t> graduates;
    std::vector<std::int64_t> dropouts;
    std::vector<std::int64_t> students; ///< in school after the month (at the start: the initial students)
    bool operator==(const Tally&) const = default;
  };

  explicit Schools(const Parameters& p);

  /// Declares school_enrolments, school_graduates, school_dropouts, school_no_place (flows) and
  /// school_students (stock), all (replicate, time, school_route, region), with the dimension
  /// `school_route` (and `school_route_zh`); nothing without routes.
  static void declare_results(Results& results, const Parameters& p);
  void store_results(ResultsWriter& out, std::size_t replicate, std::size_t t) const;

  /// The month's schooling: every student drops out, or serves another month and graduates after
  /// the route's length; then the plan's enrolment of the month, within the capacity, as new
  /// agents (ids from `next_id` on) counted as entrants in `flows`. `students` are the indices of
  /// every agent in school, in agent order (MonthlyCandidates::students, from the month's rules
  /// pass: nobody enters or leaves school between it and this step).
  /// Split over ranks (`ranks`), the students are counted over every rank before the enrolment,
  /// which every rank decides alike; each makes the new students it holds (holds_new).
  void step(const Parameters& p, Month month, Population& population, const RandomStreams& rng, std::uint64_t& next_id,
            MonthTally& flows, std::span<const AgentIndex> students, const RankGroup* ranks = nullptr);

  /// Counts the students of `population` (after synthesis or a restore), for the results at t = 0;
  /// over every rank with `ranks`.
  void count_students(const Population& population, const RankGroup* ranks = nullptr);

  const State& state() const { return state_; }
  /// @throws Error if the state has another number of routes x regions than the scenario
  void check_fits(const State& state) const;
  void restore(const State& state) {
    state_ = state;
    tally_ = {}; // output of a month, not state
  }
  const Tally& tally() const { return tally_; }

private:
  std::size_t routes_ = 0, regions_ = 0;
  State state_;
  Tally tally_;
};

} // namespace skillsim
