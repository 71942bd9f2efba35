#include "skillsim/core/pathways.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/visitors.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "skillsim/core/dates.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/training.hpp"

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
  for (const auto* column : {&pr.min_level, &pr.max_level, &pr.target_level, &pr.duration_months, &pr.shorten_months})
    if (column->size() != n) return false;
  if (pr.waiting.size() != n) return false;
  for (const auto& rule : pr.waiting)
    if (std::find(kWaitingRuleIds.begin(), kWaitingRuleIds.end(), rule) == kWaitingRuleIds.end()) return false;
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
  const auto& c = p.competitions;
  const std::size_t tiers = c.tiers.size();
  if (c.min_level.size() != tiers || c.max_level.size() != tiers || c.winners_per_year.size() != tiers ||
      c.award.size() != tiers || c.waiting.size() != tiers || c.shorten_months.size() != tiers ||
      c.eligible_statuses.values.size() != tiers * kStatusCount || p.population.level_shares.size() != levels ||
      p.population.status_shares.size() != kStatusCount)
    return false;
  for (std::size_t k = 0; k < tiers; ++k)
    if (level_of(c.min_level[k]) < 0 || c.max_level[k] < c.min_level[k] || c.max_level[k] >= kLevelCount - 1 ||
        std::find(kWaitingRuleIds.begin(), kWaitingRuleIds.end(), c.waiting[k]) == kWaitingRuleIds.end())
      return false;
  const auto& sc = p.schools;
  const std::size_t routes = sc.routes.size();
  if (sc.diploma_level.size() != routes || sc.length_months.size() != routes || sc.labels.size() != routes ||
      sc.enrolment_plan_per_year.values.size() != routes * regions)
    return false;
  for (std::size_t k = 0; k < routes; ++k)
    if (level_of(sc.diploma_level[k]) < 0 || sc.length_months[k] < 0) return false;
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
  // Employers' self-evaluation capacity (employers.self_evaluation_per_1000) certifies their employees.
  const auto& em = p.employers;
  const auto self = std::find(ev.evaluators.begin(), ev.evaluators.end(), em.self_evaluator);
  return status == static_cast<int>(Status::Employed) && self != ev.evaluators.end() &&
         level <= ev.max_level[static_cast<std::size_t>(self - ev.evaluators.begin())] &&
         std::any_of(em.self_evaluation_per_1000.begin(), em.self_evaluation_per_1000.end(),
                     [](double v) { return v > 0; });
}

// The mean of a route's months: the fixed wait, then the expected number of attempts
// (1 / attempt_success) times the expected length of one (1 / monthly + attempt_months).
double mean_months(const Route& r) {
  if (!(r.monthly > 0)) return r.fixed_months;
  return r.fixed_months + (1 / r.monthly + r.attempt_months) / r.attempt_success;
}

// A route of `months` fixed months (attempts, if any, are added by the caller).
Route fixed(RouteKind kind, int from, int to, std::string label, int months) {
  Route r;
  r.kind = kind;
  r.from = from;
  r.to = to;
  r.label = std::move(label);
  r.fixed_months = months;
  return r;
}

// Routes for one status, on shaped parameters. Only usable routes (finite, non-negative months).
std::vector<Route> routes_for(const Parameters& p, Status typical, Month at) {
  const auto& sk = p.skills;
  const TransitionRates rates(p, at);
  const auto& pr = p.programmes;
  const int s = static_cast<int>(typical);
  std::vector<Route> routes;
  const auto add = [&routes](Route r) {
    r.expected_months = mean_months(r);
    if (std::isfinite(r.expected_months) && r.expected_months >= 0) routes.push_back(std::move(r));
  };

  // Wait min_months, then one try a month: sit, then pass, with the simulation's own monthly
  // probabilities (TransitionRates: an apprenticeship, for one, needs an employer). Success is
  // geometric, with mean 1 / (sit x pass) months.
  for (int to = 1; to <= kLastAssessedLevel; ++to) {
    const double success = rates.sit[to][s] * rates.pass[static_cast<std::size_t>(to)];
    if (!(success > 0) || !certifiable(p, to, s)) continue;
    Route r = fixed(RouteKind::Assessment, to - 1, to, to == 1 ? "apprenticeship" : "assessment",
                    rates.min_months[static_cast<std::size_t>(to)]);
    r.monthly = success;
    add(std::move(r));
  }

  // Each attempt waits for the application draw (mean 1 / the application rate, by the level held:
  // ApplicationRules::rate_of, the simulation's own) and trains for the duration; it succeeds with
  // completion x appraisal share x pass, so attempts are geometric too.
  for (std::size_t k = 0; k < pr.names.size(); ++k) {
    const int row = static_cast<int>(k);
    bool any_group = false; // a programme that admits no group, or no region, is closed
    for (int g = 0; g < kGroupCount; ++g) any_group = any_group || pr.eligible_groups(row, g);
    bool any_region = pr.eligible_regions.rows != static_cast<int>(pr.names.size()); // unfilled: every region
    for (int r = 0; !any_region && r < pr.eligible_regions.cols; ++r) any_region = pr.eligible_regions(row, r) != 0;
    if (!any_group || !any_region || !pr.eligible_statuses(row, s)) continue;
    // Only the appraisal_share of completers sit the programme's assessment.
    const double appraised = k < pr.appraisal_share.size() ? pr.appraisal_share[k] : 1.0;
    const double success = pr.completion_probability[k] * appraised * pr.pass_probability[k];
    if (!(success > 0) || !(pr.application_rate[k] > 0)) continue;
    const int target = level_of(pr.target_level[k]);
    // Full-time trainees seek the certificate as job seekers.
    const bool full_time = k < pr.full_time.size() && pr.full_time[k];
    if (!certifiable(p, target, full_time ? static_cast<int>(Status::Unemployed) : s)) continue;
    const int highest = std::min(level_of(pr.max_level[k]), target - 1); // the rest go nowhere: check_pathways
    const auto waiting = waiting_of(pr, k);
    // An apprenticeship (企业新型学徒制) holds its apprentices at 学徒工 while enrolled: admission
    // itself is a route to 学徒工 from 无证 (the wait, then the application draw).
    const bool apprenticeship = k < pr.apprenticeship.size() && pr.apprenticeship[k];
    const std::string kind = apprenticeship ? "apprenticeship, " : "";
    if (apprenticeship && level_of(pr.min_level[k]) == 0 && target > 1) {
      Route r = fixed(RouteKind::Programme, 0, 1,
                      pr.names[k] + " (apprenticeship start, wait " + std::string(kWaitingRuleIds[int(waiting)]) + ")",
                      static_cast<int>(waiting_months(waiting, rates.min_months[1], pr.shorten_months[k])));
      r.programme = k;
      r.monthly = ApplicationRules::rate_of(pr, p.employers, k, 0);
      if (r.monthly > 0) add(std::move(r));
    }
    for (int from = level_of(pr.min_level[k]); from <= highest; ++from) {
      // The programme's waiting rule at the level held, then the attempts.
      const auto wait = static_cast<int>(
          waiting_months(waiting, rates.min_months[static_cast<std::size_t>(from + 1)], pr.shorten_months[k]));
      Route r = fixed(RouteKind::Programme, from, target,
                      pr.names[k] + " (" + kind + "wait " + std::string(kWaitingRuleIds[int(waiting)]) + ")", wait);
      r.programme = k;
      r.monthly = ApplicationRules::rate_of(pr, p.employers, k, from);
      if (!(r.monthly > 0)) continue; // nobody at this level applies (the choice model: no premium)
      r.attempt_months = static_cast<int>(pr.duration_months[k]);
      r.attempt_success = success;
      add(std::move(r));
    }
  }

  // Entrants from technical school arrive at their diploma level: an alternative to starting at 0.
  if (p.entry.technical_school_graduates_per_year > 0)
    for (int to = 1; to < kLevelCount; ++to)
      if (p.entry.technical_school_diploma_shares[static_cast<std::size_t>(to)] > 0)
        add(fixed(RouteKind::Diploma, 0, to, "technical-school diploma", static_cast<int>(kTechnicalSchoolMonths)));
  // School routes with an enrolment plan somewhere: the diploma after the route's length in school
  // (schools.*; dropout is not a wait, so the time is the length itself).
  const auto& sc = p.schools;
  for (std::size_t k = 0; k < sc.routes.size(); ++k) {
    const auto& plan = sc.enrolment_plan_per_year.values;
    const std::size_t regions = p.population.regions.size();
    const bool planned =
        std::any_of(plan.begin() + static_cast<std::ptrdiff_t>(k * regions),
                    plan.begin() + static_cast<std::ptrdiff_t>((k + 1) * regions), [](double v) { return v > 0; });
    if (planned)
      add(fixed(RouteKind::Diploma, 0, static_cast<int>(sc.diploma_level[k]),
                sc.labels[k] + " " + sc.routes[k] + " (技工院校)", static_cast<int>(sc.length_months[k])));
  }

  // Appointments pick employed workers who served min_months; the wait for a quota place is not modelled.
  if (typical == Status::Employed) {
    const double quotas[] = {sk.principal_technician_quota_per_year, sk.chief_technician_quota_per_year};
    for (int k = 0; k < 2; ++k) {
      const int to = static_cast<int>(Level::PrincipalTechnician) + k;
      if (quotas[k] > 0)
        add(fixed(RouteKind::Appointment, to - 1, to, "appointment within quota",
                  rates.min_months[static_cast<std::size_t>(to)]));
    }
  }
  // A tier that promotes: its waiting rule, then a chance a month of winning. That chance is the
  // tier's winners a month over the workers it admits at the start (population.size x the level
  // shares in its range x the shares of the statuses it admits): a rough figure, since the
  // stocks change and entrants are drawn among them. A tier that shortens the wait is no edge.
  const auto& c = p.competitions;
  for (std::size_t k = 0; k < c.tiers.size(); ++k) {
    const int row = static_cast<int>(k);
    if (award_of(c, k) != CompetitionAward::Promote || !c.eligible_statuses(row, s) || s == int(Status::Retired) ||
        !(c.winners_per_year[k] > 0))
      continue;
    double statuses = 0, levels = 0;
    for (int q = 0; q < kStatusCount; ++q)
      if (q != int(Status::Retired) && c.eligible_statuses(row, q))
        statuses += p.population.status_shares[static_cast<std::size_t>(q)];
    for (auto l = c.min_level[k]; l <= c.max_level[k]; ++l)
      levels += p.population.level_shares[static_cast<std::size_t>(l)];
    const double admitted = p.population.size * statuses * levels;
    const double monthly = admitted > 0 ? std::min(1.0, c.winners_per_year[k] / 12.0 / admitted) : 1.0;
    const auto waiting = waiting_of(c, k);
    for (int from = level_of(c.min_level[k]); from <= static_cast<int>(c.max_level[k]); ++from) {
      const auto wait = static_cast<int>(
          waiting_months(waiting, rates.min_months[static_cast<std::size_t>(from + 1)], c.shorten_months[k]));
      Route r = fixed(RouteKind::Competition, from, from + 1,
                      c.tiers[k] + " competition (wait " + std::string(kWaitingRuleIds[int(waiting)]) + ")", wait);
      r.tier = k;
      r.monthly = monthly;
      add(std::move(r));
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
  if (!(premium_factor(p.employers, level - 1, level, sk.premium_elasticity) > 0))
    return {"employers.wage_per_month" + at,
            none + "employers.wage_per_month" + at +
                " is not above the pay of the level below, so under "
                "skills.premium_elasticity (the choice model) nobody sits its assessment; raise it or " +
                programme};
  return {"skills.assessment_status_factor",
          none + "skills.assessment_status_factor is 0 for every status that may sit its assessment" +
              (level == static_cast<int>(Level::Apprentice) ? " (apprentices must be employed)" : "") +
              "; raise it or " + programme};
}

// Why a worker of status `typical` cannot reach `level` (unreachable in `paths`): the level's own
// way up (an assessment, or an appointment for 特级技师 and 首席技师) and programmes, each with
// the first thing that closes it, and the open routes that start only at unreachable levels.
std::vector<Blocker> blockers(const Parameters& p, Status typical, int level, const std::vector<Route>& routes) {
  const auto& sk = p.skills;
  const auto l = static_cast<std::size_t>(level);
  const int s = static_cast<int>(typical);
  const bool employed = typical == Status::Employed;
  const std::string at = "[" + std::to_string(level) + "]";
  std::vector<Blocker> out;
  const auto block = [&out](Closure closure, RouteKind kind, std::string key) {
    Blocker b;
    b.closure = closure;
    b.kind = kind;
    b.key = std::move(key);
    out.push_back(std::move(b));
    return &out.back();
  };
  if (level <= kLastAssessedLevel) {
    if (!(sk.assessment_rate[l] > 0))
      block(Closure::NoAssessment, RouteKind::Assessment, "skills.assessment_rate" + at);
    else if (!(sk.pass_probability[l] > 0))
      block(Closure::NoPass, RouteKind::Assessment, "skills.pass_probability" + at);
    else if (level == static_cast<int>(Level::Apprentice) && !employed)
      block(Closure::NeedsEmployment, RouteKind::Assessment, "");
    else if (!(sk.assessment_status_factor[static_cast<std::size_t>(s)] > 0))
      block(Closure::StatusNeverSits, RouteKind::Assessment,
            "skills.assessment_status_factor[" + std::to_string(s) + "]");
    else if (!certifiable(p, level, s))
      block(Closure::NoEvaluator, RouteKind::Assessment, "");
  } else {
    const bool principal = level == static_cast<int>(Level::PrincipalTechnician);
    const double quota = principal ? sk.principal_technician_quota_per_year : sk.chief_technician_quota_per_year;
    if (!(quota > 0))
      block(Closure::QuotaZero, RouteKind::Appointment,
            principal ? "skills.principal_technician_quota_per_year" : "skills.chief_technician_quota_per_year");
    else if (!employed)
      block(Closure::NeedsEmployment, RouteKind::Appointment, "");
  }

  // Programmes that lead up to the level from some level they admit.
  const auto& pr = p.programmes;
  std::vector<std::string> leading;
  for (std::size_t k = 0; k < pr.names.size(); ++k)
    if (level_of(pr.target_level[k]) == level && level_of(pr.min_level[k]) < level) leading.push_back(pr.names[k]);
  const auto open_programme = [level](const Route& r) { return r.kind == RouteKind::Programme && r.to == level; };
  if (leading.empty())
    block(Closure::NoProgramme, RouteKind::Programme, "programmes.target_level");
  else if (std::none_of(routes.begin(), routes.end(), open_programme))
    block(Closure::ProgrammesClosed, RouteKind::Programme, "")->programmes = leading;

  // Routes that are open, from levels the worker cannot reach (or below the start level).
  std::vector<int> starts;
  RouteKind first_kind = RouteKind::Assessment;
  for (const Route& r : routes)
    if (r.to == level && std::find(starts.begin(), starts.end(), r.from) == starts.end()) {
      if (starts.empty()) first_kind = r.kind;
      starts.push_back(r.from);
    }
  if (!starts.empty()) {
    std::sort(starts.begin(), starts.end());
    block(Closure::OnlyFrom, first_kind, "")->levels = std::move(starts);
  }
  return out;
}

// The distribution of one route's months over 0..horizon (the mass beyond is left out).
std::vector<double> distribution(const Route& r, int horizon) {
  const auto size = static_cast<std::size_t>(horizon) + 1;
  std::vector<double> attempts(size, 0.0); // the months of all attempts together
  if (!(r.monthly > 0)) {
    attempts[0] = 1;
  } else {
    // One attempt: a geometric wait of at least a month, then attempt_months.
    std::vector<double> one(size, 0.0);
    double waiting = 1; // chance that the wait has not ended before month k
    for (int k = 1; k + r.attempt_months <= horizon; ++k) {
      one[static_cast<std::size_t>(k + r.attempt_months)] = waiting * r.monthly;
      waiting *= 1 - r.monthly;
    }
    // Until one succeeds: the first attempt succeeds, or it fails and the same starts again.
    const double q = r.attempt_success;
    for (std::size_t t = 1; t < size; ++t) {
      double sum = q * one[t];
      if (q < 1)
        for (std::size_t first = 1; first < t; ++first) sum += (1 - q) * one[first] * attempts[t - first];
      attempts[t] = sum;
    }
  }
  std::vector<double> out(size, 0.0);
  for (std::size_t t = 0; t + static_cast<std::size_t>(std::max(r.fixed_months, 0)) < size; ++t)
    out[t + static_cast<std::size_t>(std::max(r.fixed_months, 0))] = attempts[t];
  return out;
}

} // namespace

std::vector<Route> pathway_routes(const Parameters& p, Status typical, std::optional<Month> at) {
  if (static_cast<int>(typical) >= kStatusCount)
    throw Error("pathways: the typical worker needs a status (student ... retired)");
  if (!shaped(p)) throw Error("pathways: the parameters are not valid (check them first)");
  return routes_for(p, typical, at.value_or(p.scenario.start));
}

std::vector<Issue> check_pathways(const Parameters& p, std::span<const bool> may_be_unreachable) {
  if (!shaped(p)) return {};
  std::vector<Issue> issues;
  check_targets(p, issues);
  // A level counts as reachable if a worker of any status (but retired) can reach it.
  std::vector<Route> routes;
  for (int s = 0; s < kStatusCount; ++s)
    if (static_cast<Status>(s) != Status::Retired) {
      const auto more = routes_for(p, static_cast<Status>(s), p.scenario.start);
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

PathwayReport analyse_pathways(const Parameters& p, Status typical, int from_level, std::optional<Month> at) {
  if (from_level < 0 || from_level >= kLevelCount)
    throw Error("pathways: the start level must be 0..8, got " + std::to_string(from_level));
  PathwayReport report;
  report.typical = typical;
  report.from_level = from_level;
  report.routes = pathway_routes(p, typical, at);
  report.rates_month = at.value_or(p.scenario.start);
  for (double trend : p.skills.assessment_rate_trend) report.assessment_trend = report.assessment_trend || trend != 0;
  ShortestPaths paths = shortest_paths(report.routes, from_level);
  for (int level = 0; level < kLevelCount; ++level) {
    const auto l = static_cast<std::size_t>(level);
    LevelPathway& row = report.levels[l];
    row.route = std::move(paths.path[l]);
    if (std::isfinite(paths.months[l])) {
      row.expected_months = paths.months[l];
      row.within_working_life = chance_within(row.route, kWorkingLifeMonths);
    } else if (level > from_level) {
      row.blocked = blockers(p, typical, level, report.routes);
    }
  }
  return report;
}

PathwayReport analyse_pathways(const Scenario& scenario, Month at, Status typical, int from_level) {
  const Month start = scenario.start(), end = scenario.end();
  if (at < start || at >= end)
    throw Error("pathways: " + iso_date(at) + " is not a month of the run (" + iso_date(start) + " to " +
                iso_date(end + -1) + ")");
  PathwayReport report = analyse_pathways(scenario.parameters_at(at), typical, from_level, at);
  report.at = at;
  // The scheduled changes after `at`, in order: the first month each unreachable level opens.
  for (const auto& [index, changes] : scenario.effective_schedule()) {
    const Month month{index};
    if (month <= at || month >= end) continue;
    const ShortestPaths later =
        shortest_paths(pathway_routes(scenario.parameters_at(month), typical, month), from_level);
    for (int level = from_level + 1; level < kLevelCount; ++level) {
      LevelPathway& row = report.levels[static_cast<std::size_t>(level)];
      if (!row.expected_months && !row.reachable_from && std::isfinite(later.months[static_cast<std::size_t>(level)]))
        row.reachable_from = month;
    }
  }
  return report;
}

double chance_within(const std::vector<Route>& route, int months) {
  if (months < 0) return 0;
  std::vector<double> total(static_cast<std::size_t>(months) + 1, 0.0);
  total[0] = 1;
  for (const Route& step : route) { // the sum of the steps: convolution of their distributions
    const std::vector<double> one = distribution(step, months);
    std::vector<double> next(total.size(), 0.0);
    for (std::size_t a = 0; a < total.size(); ++a)
      if (total[a] > 0)
        for (std::size_t b = 0; a + b < total.size(); ++b) next[a + b] += total[a] * one[b];
    total = std::move(next);
  }
  double sum = 0;
  for (double x : total) sum += x;
  return std::min(sum, 1.0);
}

} // namespace skillsim
