#include "skillsim/core/pathways.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/visitors.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/rates.hpp"

namespace skillsim {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, Route>;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

constexpr int kLastAssessedLevel = static_cast<int>(Level::SeniorTechnician); // 特级技师 and up are appointed
constexpr auto kInfinity = std::numeric_limits<double>::infinity();

std::string level_name(int level) {
  return std::string(kLevelLabelsZh[static_cast<std::size_t>(level)]) + " (" +
         std::string(kLevelIds[static_cast<std::size_t>(level)]) + ")";
}

// A programme's level column as a level, or -1 if it is not a level 0..8.
int level_of(std::int64_t v) { return v >= 0 && v <= kLevelCount - 1 ? static_cast<int>(v) : -1; }

// Everything the routes read has the shape check() requires, so indexing is safe.
bool shaped(const Parameters& p) {
  if (!TransitionRates::fits(p)) return false;
  const auto& sk = p.skills;
  const auto& pr = p.programmes;
  const auto levels = static_cast<std::size_t>(kLevelCount);
  if (sk.min_months.size() != levels || sk.assessment_rate.size() != levels || sk.pass_probability.size() != levels ||
      sk.assessment_status_factor.size() != static_cast<std::size_t>(kStatusCount) ||
      p.entry.technical_school_diploma_shares.size() != levels)
    return false;
  const std::size_t n = pr.names.size();
  for (const auto* column : {&pr.min_level, &pr.max_level, &pr.target_level, &pr.duration_months})
    if (column->size() != n) return false;
  for (const auto* column : {&pr.application_rate, &pr.completion_probability, &pr.pass_probability})
    if (column->size() != n) return false;
  const auto matrix_fits = [n](const FlagMatrix& m, int cols) {
    return n == 0 ||
           (m.rows == static_cast<int>(n) && m.cols == cols && m.values.size() == n * static_cast<std::size_t>(cols));
  };
  if (!matrix_fits(pr.eligible_statuses, kStatusCount) || !matrix_fits(pr.eligible_groups, kGroupCount)) return false;
  for (std::size_t k = 0; k < n; ++k)
    if (level_of(pr.min_level[k]) < 0 || level_of(pr.max_level[k]) < 0 || level_of(pr.target_level[k]) < 0)
      return false;
  const auto& ev = p.evaluation;
  const std::size_t e = ev.evaluators.size(), regions = p.population.regions.size();
  if (e > 0 && (ev.max_level.size() != e || ev.eligible_statuses.values.size() != e * kStatusCount ||
                ev.capacity_per_month.values.size() != e * regions))
    return false;
  return true;
}

// With evaluation capacity, a certificate at `level` needs an evaluator type that assesses
// workers of `status` up to that level and has some capacity; without, every level is assessed.
bool certifiable(const Parameters& p, int level, int status) {
  const auto& ev = p.evaluation;
  if (ev.evaluators.empty() || !needs_evaluator(level)) return true;
  for (std::size_t e = 0; e < ev.evaluators.size(); ++e) {
    const int row = static_cast<int>(e);
    bool capacity = false;
    for (int r = 0; r < ev.capacity_per_month.cols; ++r) capacity = capacity || ev.capacity_per_month(row, r) > 0;
    if (capacity && ev.eligible_statuses(row, status) && level <= ev.max_level[e]) return true;
  }
  return false;
}

// Routes for one status, on shaped parameters. Only usable routes (finite, non-negative months).
std::vector<Route> routes_for(const Parameters& p, Status typical) {
  const auto& sk = p.skills;
  const TransitionRates rates(p);
  const auto& pr = p.programmes;
  const int s = static_cast<int>(typical);
  std::vector<Route> routes;
  const auto add = [&routes](Route r) {
    if (std::isfinite(r.expected_months) && r.expected_months >= 0) routes.push_back(std::move(r));
  };

  // Wait min_months, then one try a month: sit, then pass, with the simulation's own monthly
  // probabilities (TransitionRates: an apprenticeship, for one, needs an employer). Success is
  // geometric, with mean 1 / (sit x pass) months.
  for (int to = 1; to <= kLastAssessedLevel; ++to) {
    const double success = rates.sit[to][s] * rates.pass[static_cast<std::size_t>(to)];
    if (!(success > 0) || !certifiable(p, to, s)) continue;
    add({RouteKind::Assessment, to - 1, to, to == 1 ? "apprenticeship" : "assessment",
         rates.min_months[static_cast<std::size_t>(to)] + 1 / success, std::nullopt});
  }

  // Each attempt waits for the application draw (mean 1 / application_rate) and trains for the
  // duration; it succeeds with completion x pass, so attempts are geometric too.
  for (std::size_t k = 0; k < pr.names.size(); ++k) {
    const int row = static_cast<int>(k);
    bool any_group = false; // a programme that admits no group is closed
    for (int g = 0; g < kGroupCount; ++g) any_group = any_group || pr.eligible_groups(row, g);
    if (!any_group || !pr.eligible_statuses(row, s)) continue;
    const double success = pr.completion_probability[k] * pr.pass_probability[k];
    if (!(success > 0) || !(pr.application_rate[k] > 0)) continue;
    const double months = (1 / pr.application_rate[k] + static_cast<double>(pr.duration_months[k])) / success;
    const int target = level_of(pr.target_level[k]);
    // Full-time trainees seek the certificate as job seekers.
    const bool full_time = k < pr.full_time.size() && pr.full_time[k];
    if (!certifiable(p, target, full_time ? static_cast<int>(Status::Unemployed) : s)) continue;
    const int highest = std::min(level_of(pr.max_level[k]), target - 1); // the rest go nowhere: check_pathways
    for (int from = level_of(pr.min_level[k]); from <= highest; ++from)
      add({RouteKind::Programme, from, target, pr.names[k], months, k});
  }

  // Entrants from technical school arrive at their diploma level: an alternative to starting at 0.
  if (p.entry.technical_school_graduates_per_year > 0)
    for (int to = 1; to < kLevelCount; ++to)
      if (p.entry.technical_school_diploma_shares[static_cast<std::size_t>(to)] > 0)
        add({RouteKind::Diploma, 0, to, "technical-school diploma", kTechnicalSchoolMonths, std::nullopt});

  // Appointments pick employed workers who served min_months; the wait for a quota place is not modelled.
  if (typical == Status::Employed) {
    const double quotas[] = {sk.principal_technician_quota_per_year, sk.chief_technician_quota_per_year};
    for (int k = 0; k < 2; ++k) {
      const int to = static_cast<int>(Level::PrincipalTechnician) + k;
      if (quotas[k] > 0)
        add({RouteKind::Appointment, to - 1, to, "appointment within quota",
             static_cast<double>(rates.min_months[static_cast<std::size_t>(to)]), std::nullopt});
    }
  }
  return routes;
}

struct ShortestPaths {
  std::vector<double> months;           // per level; infinite where unreachable
  std::vector<std::vector<Route>> path; // per level: the routes taken
};

ShortestPaths shortest_paths(const std::vector<Route>& routes, int from_level) {
  Graph g(static_cast<std::size_t>(kLevelCount));
  for (const Route& r : routes) boost::add_edge(static_cast<std::size_t>(r.from), static_cast<std::size_t>(r.to), r, g);
  ShortestPaths result{std::vector<double>(kLevelCount), std::vector<std::vector<Route>>(kLevelCount)};
  // The last edge into each level, not just the level before it: parallel routes differ.
  std::vector<Edge> via(kLevelCount);
  const auto index = boost::get(boost::vertex_index, g);
  boost::dijkstra_shortest_paths(
      g, static_cast<std::size_t>(from_level),
      boost::weight_map(boost::get(&Route::expected_months, g))
          .distance_map(boost::make_iterator_property_map(result.months.begin(), index))
          .distance_inf(kInfinity)
          .visitor(boost::make_dijkstra_visitor(boost::record_edge_predecessors(
              boost::make_iterator_property_map(via.begin(), index), boost::on_edge_relaxed()))));
  for (int level = 0; level < kLevelCount; ++level) {
    const auto l = static_cast<std::size_t>(level);
    if (level == from_level || !std::isfinite(result.months[l])) continue;
    // Routes only go up, so walking back always ends at the start.
    for (std::size_t v = l; v != static_cast<std::size_t>(from_level); v = boost::source(via[v], g))
      result.path[l].push_back(g[via[v]]);
    std::reverse(result.path[l].begin(), result.path[l].end());
  }
  return result;
}

// Programmes that admit levels at or above their target: for those workers they lead nowhere.
void check_targets(const Parameters& p, std::vector<Issue>& issues) {
  const auto& pr = p.programmes;
  for (std::size_t k = 0; k < pr.names.size(); ++k) {
    const int lowest = level_of(pr.min_level[k]), highest = level_of(pr.max_level[k]);
    const int target = level_of(pr.target_level[k]);
    if (highest < target) continue;
    const int first = std::max(lowest, target);
    const std::string where =
        first == highest ? "at " + level_name(first) : "at " + level_name(first) + " to " + level_name(highest);
    const std::string goes = highest == target ? "nowhere" : (first > target ? "downward" : "nowhere or downward");
    const std::string at = "[" + std::to_string(k) + "]";
    issues.push_back({"programmes.target_level" + at,
                      "programme '" + pr.names[k] + "' leads to " + level_name(target) + " but admits workers " +
                          where + ", for whom the route goes " + goes + "; programmes.target_level" + at +
                          " must be above programmes.max_level" + at});
  }
}

// Why nobody reaches `level`, keyed by the parameter that would open a route to it.
Issue unreachable(const Parameters& p, const std::vector<Route>& routes, int level) {
  const std::string name = level_name(level);
  std::vector<int> sources;
  for (const Route& r : routes)
    if (r.to == level && std::find(sources.begin(), sources.end(), r.from) == sources.end()) sources.push_back(r.from);
  if (!sources.empty()) {
    std::sort(sources.begin(), sources.end());
    std::string list;
    for (int s : sources) list += (list.empty() ? "" : ", ") + level_name(s);
    return {"pathways",
            name + " cannot be reached: every route to it starts at a level that cannot be reached (" + list + ")"};
  }
  const std::string none = name + " cannot be reached: no assessment, programme, diploma or appointment leads to it; ";
  const std::string programme = "declare a programme with target_level " + std::to_string(level);
  if (level == static_cast<int>(Level::PrincipalTechnician))
    return {"skills.principal_technician_quota_per_year",
            none + "set skills.principal_technician_quota_per_year > 0 or " + programme};
  if (level == static_cast<int>(Level::ChiefTechnician))
    return {"skills.chief_technician_quota_per_year",
            none + "set skills.chief_technician_quota_per_year > 0 or " + programme};
  const std::string at = "[" + std::to_string(level) + "]";
  const auto& sk = p.skills;
  if (!(sk.assessment_rate[static_cast<std::size_t>(level)] > 0))
    return {"skills.assessment_rate" + at, none + "set skills.assessment_rate" + at + " > 0 or " + programme};
  if (!(sk.pass_probability[static_cast<std::size_t>(level)] > 0))
    return {"skills.pass_probability" + at,
            none + "skills.pass_probability" + at + " is 0, so nobody passes; raise it or " + programme};
  return {"skills.assessment_status_factor",
          none + "skills.assessment_status_factor is 0 for every status that may sit its assessment" +
              (level == static_cast<int>(Level::Apprentice) ? " (apprentices must be employed)" : "") +
              "; raise it or " + programme};
}

} // namespace

std::vector<Route> pathway_routes(const Parameters& p, Status typical) {
  if (static_cast<int>(typical) >= kStatusCount)
    throw Error("pathways: the typical worker needs a status (student ... retired)");
  if (!shaped(p)) throw Error("pathways: the parameters are not valid (check them first)");
  return routes_for(p, typical);
}

std::vector<Issue> check_pathways(const Parameters& p, std::span<const bool> may_be_unreachable) {
  if (!shaped(p)) return {};
  std::vector<Issue> issues;
  check_targets(p, issues);
  // A level counts as reachable if a worker of any status (but retired) can reach it.
  std::vector<Route> routes;
  for (int s = 0; s < kStatusCount; ++s)
    if (static_cast<Status>(s) != Status::Retired) {
      const auto more = routes_for(p, static_cast<Status>(s));
      routes.insert(routes.end(), more.begin(), more.end());
    }
  const ShortestPaths paths = shortest_paths(routes, 0);
  for (int level = 1; level < kLevelCount; ++level) {
    const auto l = static_cast<std::size_t>(level);
    const bool allowed = l < may_be_unreachable.size() && may_be_unreachable[l];
    if (!std::isfinite(paths.months[l]) && !allowed) issues.push_back(unreachable(p, routes, level));
  }
  return issues;
}

PathwayReport analyse_pathways(const Parameters& p, Status typical, int from_level) {
  if (from_level < 0 || from_level >= kLevelCount)
    throw Error("pathways: the start level must be 0..8, got " + std::to_string(from_level));
  PathwayReport report;
  report.typical = typical;
  report.from_level = from_level;
  report.routes = pathway_routes(p, typical);
  ShortestPaths paths = shortest_paths(report.routes, from_level);
  for (std::size_t l = 0; l < static_cast<std::size_t>(kLevelCount); ++l) {
    if (std::isfinite(paths.months[l])) report.levels[l].expected_months = paths.months[l];
    report.levels[l].route = std::move(paths.path[l]);
  }
  return report;
}

} // namespace skillsim
