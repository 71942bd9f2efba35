// The skill ladder as a graph: the nine levels are the vertices, every way up that the scenario
// opens (assessments, training programmes, technical-school diplomas, appointments, skills
// competitions that promote) is an edge
// weighted by its expected months. It answers two questions without simulating: can every level
// be reached at all (a validation check), and which is the fastest route to each level (a
// planning figure). See docs/pathways.md for the formulas and what they leave out.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "skillsim/core/parameters.hpp"
#include "skillsim/core/scenario.hpp"
#include "skillsim/core/types.hpp"

namespace skillsim {

/// How a route moves a worker up.
enum class RouteKind { Assessment, Programme, Diploma, Appointment, Competition };

/// Length of technical school (技工院校) in months: the expected time of a diploma route.
inline constexpr double kTechnicalSchoolMonths = 36;

/// A working life, from entering the labour market at 15-16 to retiring at 60: expected times
/// beyond it mean that many workers never get there along the route (docs/pathways.md).
inline constexpr int kWorkingLifeMonths = 45 * 12;

/// One edge of the ladder graph: a way from level `from` to the higher level `to`.
struct Route {
  RouteKind kind = RouteKind::Assessment;
  int from = 0;
  int to = 0;
  std::string label;                    ///< "assessment", a programme's name, "technical-school diploma", ...
  double expected_months = 0;           ///< expected time from arriving at `from` to holding `to`
  std::optional<std::size_t> programme; ///< index into programmes.* for programme routes
  std::optional<std::size_t> tier;      ///< index into competitions.* for competition routes

  /// The time's distribution, of which expected_months is the mean: `fixed_months` served once,
  /// then (if `monthly` > 0) attempts until one succeeds, each a wait with chance `monthly` a
  /// month (geometric, at least one month) plus `attempt_months`, succeeding with
  /// `attempt_success`. An assessment: min_months, then sit x pass a month; a programme: the
  /// application rate, the duration, completion x pass; a diploma or an appointment: fixed.
  int fixed_months = 0;
  double monthly = 0;
  int attempt_months = 0;
  double attempt_success = 1;
};

/// Why no route brings the typical worker to a level: one closed way up and what closes it.
enum class Closure {
  NoAssessment,     ///< skills.assessment_rate[level] is 0
  NoPass,           ///< skills.pass_probability[level] is 0
  StatusNeverSits,  ///< skills.assessment_status_factor[status] is 0
  NeedsEmployment,  ///< an apprenticeship (学徒工) or an appointment: the employed only
  NoEvaluator,      ///< evaluators are declared, but none with capacity assesses the status up to the level
  NoProgramme,      ///< no programme has target_level = level
  ProgrammesClosed, ///< programmes lead to the level, none is open to the worker (`programmes`)
  QuotaZero,        ///< skills.principal_technician_quota_per_year or chief_technician_quota_per_year is 0
  OnlyFrom,         ///< open routes lead to it, but only from levels that cannot be reached (`levels`)
};

/// One reason a level cannot be reached.
struct Blocker {
  Closure closure = Closure::NoAssessment;
  RouteKind kind = RouteKind::Assessment; ///< the kind of route it closes (OnlyFrom: the first open one)
  std::string key;                        ///< the parameter that closes it ("skills.assessment_rate[1]"); may be empty
  std::vector<int> levels;                ///< OnlyFrom: where the open routes start
  std::vector<std::string> programmes;    ///< ProgrammesClosed: names of the programmes that lead to the level
  bool operator==(const Blocker&) const = default;
};

/// The upward routes open to a worker of status `typical` (the edges of the ladder graph).
/// Routes that would not go up (a programme admitting levels at or above its target) are left
/// out; check_pathways reports them.
/// The assessment rates are those of month `at` (skills.assessment_rate_trend; default: the
/// scenario's start).
/// @throws Error if the parameters are not shaped as check() requires, or `typical` is not a status
std::vector<Route> pathway_routes(const Parameters& p, Status typical = Status::Employed,
                                  std::optional<Month> at = std::nullopt);

/// Problems of the ladder as a whole: programmes that admit levels at or above their target
/// (key "programmes.target_level[k]"), and every level 1..8 that nobody can reach from level 0
/// whatever their status, unless `may_be_unreachable[level]` is true (indexed by level; missing
/// entries are false). A level reached only through an unreachable level is reported too.
/// Returns nothing for parameters that check() rejects for their shape (it reports those).
std::vector<Issue> check_pathways(const Parameters& p, std::span<const bool> may_be_unreachable = {});

/// The fastest route to one level.
struct LevelPathway {
  std::optional<double> expected_months; ///< nullopt: unreachable from the start level
  std::vector<Route> route;              ///< the routes taken, in order (empty at the start level)
  /// The chance of getting there along `route` within a working life (kWorkingLifeMonths), if
  /// nothing else happened; nullopt where unreachable.
  std::optional<double> within_working_life;
  /// Why it is unreachable (empty if it is reachable or below the start level).
  std::vector<Blocker> blocked;
  /// Unreachable at the report's date, but reachable from this month of the run on, by a
  /// scheduled change (only with a Scenario).
  std::optional<Month> reachable_from;

  /// The expected months exceed a working life.
  bool beyond_working_life() const { return expected_months && *expected_months > kWorkingLifeMonths; }
};

/// Fastest routes from one level to every level, for a typical worker.
struct PathwayReport {
  Status typical = Status::Employed;
  int from_level = 0;
  std::optional<Month> at;       ///< the month whose parameters are analysed (only with a Scenario)
  Month rates_month;             ///< the month whose assessment rates are used (skills.assessment_rate_trend)
  bool assessment_trend = false; ///< some skills.assessment_rate_trend is not 0: the rates change by month
  std::array<LevelPathway, kLevelCount> levels;
  std::vector<Route> routes; ///< every route of the graph, for reference
};

/// Shortest paths (Dijkstra) on expected months from `from_level`. The months of a route are the
/// sum of the expectations of its steps: a planning figure, not the mean a simulation gives
/// (which also has waiting for seats, money, quotas, job loss and exits). Unreachable levels
/// carry their reasons.
/// @throws Error as pathway_routes, or if `from_level` is not a level
PathwayReport analyse_pathways(const Parameters& p, Status typical = Status::Employed, int from_level = 0,
                               std::optional<Month> at = std::nullopt);

/// The same under the parameters in force during month `at` (Scenario::parameters_at); for each
/// level unreachable then, the first later month of the run from which a scheduled change makes
/// it reachable.
/// @throws Error as above, or if `at` is not a month of the run
PathwayReport analyse_pathways(const Scenario& scenario, Month at, Status typical = Status::Employed,
                               int from_level = 0);

/// The chance that the steps of `route`, one after the other, take at most `months` months.
double chance_within(const std::vector<Route>& route, int months);

} // namespace skillsim
