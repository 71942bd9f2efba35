// The skill ladder as a graph: the nine levels are the vertices, every way up that the scenario
// opens (assessments, training programmes, technical-school diplomas, appointments) is an edge
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
#include "skillsim/core/types.hpp"

namespace skillsim {

/// How a route moves a worker up.
enum class RouteKind { Assessment, Programme, Diploma, Appointment };

/// Length of technical school (技工院校) in months: the expected time of a diploma route.
inline constexpr double kTechnicalSchoolMonths = 36;

/// One edge of the ladder graph: a way from level `from` to the higher level `to`.
struct Route {
  RouteKind kind = RouteKind::Assessment;
  int from = 0;
  int to = 0;
  std::string label;                    ///< "assessment", a programme's name, "technical-school diploma", ...
  double expected_months = 0;           ///< expected time from arriving at `from` to holding `to`
  std::optional<std::size_t> programme; ///< index into programmes.* for programme routes
};

/// The upward routes open to a worker of status `typical` (the edges of the ladder graph).
/// Routes that would not go up (a programme admitting levels at or above its target) are left
/// out; check_pathways reports them.
/// @throws Error if the parameters are not shaped as check() requires, or `typical` is not a status
std::vector<Route> pathway_routes(const Parameters& p, Status typical = Status::Employed);

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
};

/// Fastest routes from one level to every level, for a typical worker.
struct PathwayReport {
  Status typical = Status::Employed;
  int from_level = 0;
  std::array<LevelPathway, kLevelCount> levels;
  std::vector<Route> routes; ///< every route of the graph, for reference
};

/// Shortest paths (Dijkstra) on expected months from `from_level`. The months of a route are the
/// sum of the expectations of its steps: a planning figure, not the mean a simulation gives
/// (which also has waiting for seats, money, quotas, job loss and exits).
/// @throws Error as pathway_routes, or if `from_level` is not a level
PathwayReport analyse_pathways(const Parameters& p, Status typical = Status::Employed, int from_level = 0);

} // namespace skillsim
