#include "skillsim/core/evaluation.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>

#include "skillsim/core/employers.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/flow_network.hpp"
#include "skillsim/core/parallel.hpp"
#include "skillsim/core/promotion.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/results_layout.hpp"
#include "skillsim/core/training.hpp"

namespace skillsim {

void EvaluationTally::reset(std::size_t evaluators, std::size_t regions) {
  held.assign(evaluators * regions, 0);
  binding.assign(evaluators * regions, 0);
  queue.assign(regions, 0);
  abandoned.assign(regions, 0);
  self_held.clear();
  self_capacity.clear();
}

namespace {

// Products of a count in fixed point (up to 2^50 or so) and a share's numerator.
__extension__ typedef __int128 Wide;

// The matching's network:
//   source --(supply)--> cell --> evaluator (type, region) if it may assess the cell --(capacity)--> sink
//                             --> the cell's employer, for its own employees --(its capacity)--> sink
struct EvaluationNetwork {
  FlowNetwork net;
  std::vector<int> cell, cell_node, capacity, employer; // arcs (cell_node: nodes)
  std::int64_t supplied = 0;

  bool fits() const { return net.total_flow() == supplied; }
};

// Solves the network with `supply` per cell. A cell's arc from the source costs `cell_cost`; with
// `by_preference`, an arc to a type costs its place in the order declared + 1 and to an
// employer's own capacity 0 (else 0 both).
EvaluationNetwork solve_network(const EvaluationProblem& problem, const std::vector<std::int64_t>& supply,
                                const std::vector<std::int64_t>& cell_cost, bool by_preference) {
  const auto evaluators = static_cast<std::size_t>(problem.evaluators);
  const auto regions = static_cast<std::size_t>(problem.regions);
  EvaluationNetwork out;
  FlowNetwork& net = out.net;
  const int source = net.add_node("source");
  const int sink = net.add_node("sink");
  std::vector<int> evaluator_node(evaluators * regions);
  out.capacity.resize(evaluators * regions);
  for (std::size_t k = 0; k < evaluators * regions; ++k) {
    evaluator_node[k] =
        net.add_node("evaluator " + std::to_string(k / regions) + " in region " + std::to_string(k % regions));
    out.capacity[k] = net.add_arc(evaluator_node[k], sink, problem.capacity[k]);
  }
  // Employer cells' own capacity (企业自主评价): a node each, reachable from their employees only.
  const std::size_t employer_nodes = problem.employer_capacity.size();
  std::vector<int> employer_node(employer_nodes, -1);
  out.employer.assign(employer_nodes, -1);
  for (std::size_t k = 0; k < employer_nodes; ++k)
    if (problem.employer_capacity[k] > 0) {
      employer_node[k] = net.add_node("employer cell " + std::to_string(k));
      out.employer[k] = net.add_arc(employer_node[k], sink, problem.employer_capacity[k]);
    }
  out.cell.resize(problem.cells.size());
  out.cell_node.resize(problem.cells.size());
  for (std::size_t c = 0; c < problem.cells.size(); ++c) {
    const EvaluationCell& cell = problem.cells[c];
    const int node = net.add_node("cell " + std::to_string(c));
    out.cell_node[c] = node;
    out.cell[c] = net.add_arc(source, node, supply[c], cell_cost[c]);
    out.supplied += supply[c];
    for (std::size_t e = 0; e < evaluators; ++e)
      if (problem.eligible_status[e * kStatusCount + static_cast<std::size_t>(cell.status)] &&
          cell.level_sought <= problem.max_level[e])
        net.add_arc(node, evaluator_node[e * regions + static_cast<std::size_t>(cell.region)], FlowNetwork::kUnlimited,
                    by_preference ? static_cast<std::int64_t>(e) + 1 : 0);
    if (cell.employer >= 0) {
      const auto k = static_cast<std::size_t>(cell.employer);
      if (employer_node[k] >= 0 &&
          cell.level_sought <= problem.max_level[static_cast<std::size_t>(problem.employer_evaluator)])
        net.add_arc(node, employer_node[k], FlowNetwork::kUnlimited);
    }
  }
  net.solve(source, sink);
  return out;
}

// floor(n x num / den), num <= den: the share num / den of n candidates.
std::int64_t share_of(std::int64_t n, std::int64_t num, std::int64_t den) {
  return static_cast<std::int64_t>(static_cast<Wide>(n) * num / den);
}

// Pass 1, who is assessed: the waits one after another, the longest first. A wait gets as many
// assessments as the evaluators have left after the longer waits, and shares them in
// proportion to its cells' candidates, as far as each cell's evaluators allow (progressive
// filling): every cell the same share, raised until a set of cells fills every evaluator it may
// use (a minimum cut); those keep that share, the others go on. So each candidate of a wait is as
// likely to be assessed as any other who may use the same evaluators, whatever cell they are in.
// Before, one minimum-cost flow with costs by wait chose, and among equally waiting cells its
// solver's node order decided who got the last places. Whole counts: each cell of a set gets its
// share rounded down, and the units left (fewer than its cells) go to cells picked with
// probability their fractions by systematic sampling at `problem.rationing_draw`.
std::vector<std::int64_t> who_is_assessed(const EvaluationProblem& problem) {
  const std::size_t n = problem.cells.size();
  std::vector<std::int64_t> candidates(n), zero(n, 0);
  for (std::size_t c = 0; c < n; ++c) candidates[c] = problem.cells[c].candidates;
  if (solve_network(problem, candidates, zero, false).fits()) return candidates; // nothing binds

  std::vector<std::int64_t> assessed(n, 0);
  std::vector<bool> settled(n, false); // amounts fixed: served before the open cells
  const auto solve_with = [&](const std::vector<std::int64_t>& supply) {
    std::vector<std::int64_t> cost(n);
    for (std::size_t c = 0; c < n; ++c) cost[c] = settled[c] ? 0 : 1;
    return solve_network(problem, supply, cost, false);
  };
  std::vector<int> waits;
  for (const EvaluationCell& cell : problem.cells) waits.push_back(cell.months_waited);
  std::sort(waits.begin(), waits.end(), std::greater<>());
  waits.erase(std::unique(waits.begin(), waits.end()), waits.end());
  for (const int wait : waits) {
    std::vector<std::size_t> open;
    for (std::size_t c = 0; c < n; ++c)
      if (problem.cells[c].months_waited == wait) {
        if (candidates[c] > 0)
          open.push_back(c);
        else
          settled[c] = true;
      }
    while (!open.empty()) {
      // The largest share num / den every open cell can have (Newton's method on the minimum
      // cut: at a share that does not fit, the open cells on the source side of a minimum cut
      // get all that is left to them, `got` of their `of` candidates; that ratio is the next
      // share to try, lower each time).
      std::int64_t num = 1, den = 1;
      std::vector<std::size_t> tight; // the last cut's open cells: the share fills their evaluators
      std::vector<std::int64_t> supply;
      for (int iteration = 0;; ++iteration) {
        if (iteration > 1000) throw Error("evaluation allocation: the proportional shares did not converge");
        supply = assessed;
        for (std::size_t c : open) supply[c] = share_of(candidates[c], num, den);
        const EvaluationNetwork at = solve_with(supply);
        if (at.fits()) break;
        const std::vector<bool> source_side = at.net.residual_reach(0);
        std::int64_t got = 0, of = 0;
        tight.clear();
        for (std::size_t c : open)
          if (source_side[static_cast<std::size_t>(at.cell_node[c])]) {
            tight.push_back(c);
            got += at.net.flow(at.cell[c]);
            of += candidates[c];
          }
        if (tight.empty()) throw Error("evaluation allocation: a wait's candidates do not fit, and no cut was found");
        num = got;
        den = of;
      }
      if (tight.empty()) { // the whole wait fits at num / den = 1
        for (std::size_t c : open) {
          assessed[c] = candidates[c];
          settled[c] = true;
        }
        break;
      }
      // The tight cells keep the share: rounded down, and the units left to cells drawn in
      // proportion to the fractions (they sum to the units left, num / den being got / of).
      std::vector<std::size_t> extra;
      Wide before = 0;
      const auto drawn = static_cast<Wide>(problem.rationing_draw) * den >> 32;
      for (std::size_t c : tight) {
        assessed[c] = share_of(candidates[c], num, den);
        const Wide after = before + static_cast<Wide>(candidates[c]) * num % den;
        // a point drawn + k x den in [before, after)
        const auto points_below = [&](Wide x) { return x <= drawn ? Wide{0} : (x - drawn + den - 1) / den; };
        if (points_below(after) > points_below(before)) extra.push_back(c);
        before = after;
      }
      std::int64_t left = num;
      for (std::size_t c : tight) left -= assessed[c];
      for (std::size_t c : tight) settled[c] = true;
      const auto fits_with = [&](std::size_t c) {
        std::vector<std::int64_t> trial = assessed;
        ++trial[c];
        return solve_with(trial).fits();
      };
      const auto give_one = [&](std::size_t c) {
        if (left == 0 || assessed[c] == candidates[c] || !fits_with(c)) return false;
        ++assessed[c];
        --left;
        return true;
      };
      for (std::size_t c : extra) give_one(c);
      // Rarely a drawn unit would overfill a subset of the cut's evaluators: the units left go,
      // one at a time, to whichever tight cell can still take one.
      for (std::size_t c : tight)
        while (give_one(c)) {
        }
      std::erase_if(open, [&](std::size_t c) { return settled[c]; });
    }
  }
  return assessed;
}

} // namespace

EvaluationAllocation allocate_evaluations(const EvaluationProblem& problem) {
  const auto evaluators = static_cast<std::size_t>(problem.evaluators);
  const auto regions = static_cast<std::size_t>(problem.regions);
  if (problem.capacity.size() != evaluators * regions || problem.max_level.size() != evaluators ||
      problem.eligible_status.size() != evaluators * kStatusCount)
    throw Error("evaluation allocation: capacity, eligibility or level sizes do not match " +
                std::to_string(evaluators) + " evaluator types and " + std::to_string(regions) + " regions");

  for (std::size_t c = 0; c < problem.cells.size(); ++c) {
    const EvaluationCell& cell = problem.cells[c];
    if (cell.region < 0 || cell.region >= problem.regions || cell.status < 0 || cell.status >= kStatusCount ||
        cell.months_waited < 1 || cell.candidates < 0)
      throw Error("evaluation allocation: cell " + std::to_string(c) + " is malformed");
    if (cell.employer >= 0 &&
        (static_cast<std::size_t>(cell.employer) >= problem.employer_capacity.size() ||
         problem.employer_evaluator < 0 || static_cast<std::size_t>(problem.employer_evaluator) >= evaluators))
      throw Error("evaluation allocation: cell " + std::to_string(c) + " names an employer without capacity");
  }

  // Two passes over one network:
  // 1. who is assessed (who_is_assessed): the most assessments possible, the longest waiting
  //    first, each wait's shared in proportion;
  // 2. by whom: the assessed of pass 1 as supply, costs by preference (an employer's own capacity,
  //    then the types in the order declared). Without it, any split of the candidates several
  //    types may assess was an optimum, and the agents (whole counts) and the twin (fixed point)
  //    found different ones. Pass 1's amounts fit this network, so every assessed is placed,
  //    and pass 2's flow is a maximum flow of the network with every candidate as supply: a cell
  //    still waiting has every evaluator it could use full in it (the binding below).
  EvaluationAllocation out;
  out.assessed = who_is_assessed(problem);
  const EvaluationNetwork by_whom =
      solve_network(problem, out.assessed, std::vector<std::int64_t>(problem.cells.size(), 0), true);
  const FlowNetwork& net = by_whom.net;
  for (std::size_t c = 0; c < problem.cells.size(); ++c)
    if (net.flow(by_whom.cell[c]) != out.assessed[c])
      throw Error("evaluation allocation: cell " + std::to_string(c) + "'s assessed could not all be placed");
  out.held.resize(evaluators * regions);
  out.binding.assign(evaluators * regions, false);
  for (std::size_t k = 0; k < evaluators * regions; ++k) out.held[k] = net.flow(by_whom.capacity[k]);
  const std::size_t employer_nodes = problem.employer_capacity.size();
  out.employer_held.assign(employer_nodes, 0);
  for (std::size_t k = 0; k < employer_nodes; ++k)
    if (by_whom.employer[k] >= 0) {
      out.employer_held[k] = net.flow(by_whom.employer[k]);
      // Held as assessments of the self-evaluating type, in the cell's region.
      out.held[static_cast<std::size_t>(problem.employer_evaluator) * regions + k / (employer_nodes / regions)] +=
          out.employer_held[k];
    }
  // An evaluator binds if it is full while a candidate it could have assessed still waits.
  for (std::size_t c = 0; c < problem.cells.size(); ++c) {
    const EvaluationCell& cell = problem.cells[c];
    if (out.assessed[c] == cell.candidates) continue;
    for (std::size_t e = 0; e < evaluators; ++e) {
      const std::size_t k = e * regions + static_cast<std::size_t>(cell.region);
      if (problem.eligible_status[e * kStatusCount + static_cast<std::size_t>(cell.status)] &&
          cell.level_sought <= problem.max_level[e] && net.saturated(by_whom.capacity[k]))
        out.binding[k] = true;
    }
  }
  return out;
}

namespace {

constexpr auto kRemoved = static_cast<std::uint8_t>(Status::Removed);
constexpr auto kRetired = static_cast<std::uint8_t>(Status::Retired);
constexpr std::uint8_t kMaxWait = 0xFF;

struct Candidate {
  std::size_t cell;
  std::uint64_t priority; // drawn in the cells where somebody is assessed (step); 0 elsewhere
  std::size_t index;      // split over ranks: the agent's id (the agent may be another rank's)
  // Split over ranks: what every rank needs of the agent (kept apart from the ordering's key).
  std::uint32_t id = 0;
  std::uint8_t region = 0, programme = kNoProgramme, level = 0;
  bool operator<(const Candidate& o) const {
    return std::tie(cell, priority, index) < std::tie(o.cell, o.priority, o.index);
  }
};

} // namespace

EvaluationSystem::EvaluationSystem(const Parameters& p)
    : limited_(!p.evaluation.evaluators.empty()), scale_(p.population.scale) {
  state_.capacity_due.assign(p.evaluation.evaluators.size() * p.population.regions.size(), Carry{});
}

void EvaluationSystem::check_fits(const State& state) const {
  if (state.capacity_due.size() != state_.capacity_due.size())
    throw Error("evaluation state of " + std::to_string(state.capacity_due.size()) +
                " evaluator-regions does not fit this scenario's " + std::to_string(state_.capacity_due.size()));
}

void EvaluationSystem::restore(const State& state) {
  check_fits(state);
  state_ = state;
}

void EvaluationSystem::declare_results(Results& r, const Parameters& p) {
  if (p.evaluation.evaluators.empty()) return;
  r.dimensions.push_back(Dimension{"evaluator", {}, p.evaluation.evaluators, p.evaluation.labels, {}});
  add_variable(r, "evaluations", over_time({"evaluator", "region"}), "assessments held during the month");
  add_variable(r, "evaluation_binding", over_time({"evaluator", "region"}),
               "1 if the evaluator's capacity was used up while candidates it could assess were left waiting", "1");
  add_variable(r, "evaluation_queue", over_time({"region"}),
               "candidates waiting for an assessment at the end of the month");
  add_variable(r, "evaluation_abandoned", over_time({"region"}),
               "candidates who gave up waiting during the month (evaluation.max_wait_months)");
}

void EvaluationSystem::store_results(ResultsWriter& out, std::size_t rep, std::size_t t) const {
  if (!out.has("evaluations") || t == 0) return;
  out.persons("evaluations", rep, t, tally_.held);
  out.persons("evaluation_queue", rep, t, tally_.queue);
  out.persons("evaluation_abandoned", rep, t, tally_.abandoned);
  out.as_is("evaluation_binding", rep, t, tally_.binding);
  if (out.has("employer_self_evaluations")) {
    // Nothing written (0) in months without self-evaluation capacity: the tally is then empty.
    out.persons("employer_self_evaluations", rep, t, tally_.self_held);
    out.persons("employer_self_capacity", rep, t, tally_.self_capacity);
  }
}

void EvaluationSystem::step(const Parameters& p, Month month, Population& pop, const RandomStreams& rng,
                            MonthTally& flows, TrainingSystem& training, std::span<const AgentIndex> queued,
                            const Mentoring* mentoring, const Employers* employers, const RankGroup* ranks) {
  const auto& ev = p.evaluation;
  const std::size_t evaluators = ev.evaluators.size(), regions = p.population.regions.size();
  tally_.reset(evaluators, regions);
  if (!limited_) return;
  // Self-evaluation (企业自主评价): the capacity of each region x employer cell for its own employees,
  // from its employed at the start of the month (fractions are not carried: floor).
  const auto& em = p.employers;
  const bool self_evaluation = employers != nullptr && employers->enabled() && !em.self_evaluator.empty() &&
                               std::any_of(em.self_evaluation_per_1000.begin(), em.self_evaluation_per_1000.end(),
                                           [](double v) { return v > 0; });
  const std::size_t employer_cells = self_evaluation ? employers->cells() : 0;
  std::vector<std::int64_t> employer_capacity;
  if (self_evaluation) {
    employer_capacity = employers->per_1000_employed(em.self_evaluation_per_1000); // rates >= 0: no -1
    tally_.self_capacity = employer_capacity;
    tally_.self_held.assign(regions * employer_cells, 0);
  }
  const auto employer_of = [&](std::size_t i, std::uint8_t st) -> std::size_t { // 0: none, else rc + 1
    if (!self_evaluation || st != static_cast<std::uint8_t>(Status::Employed) || pop.employer[i] == kNoEmployer)
      return 0;
    const std::size_t rc = pop.region_of(i) * employer_cells + pop.employer[i];
    return employer_capacity[rc] > 0 ? rc + 1 : 0;
  };

  // Leavers and candidates. Cells are (region, level sought, status, months waited).
  const auto max_wait = static_cast<std::size_t>(ev.max_wait_months);
  // Employees of a self-evaluating cell have cells of their own (employer + 1 above the others, so
  // that without self-evaluation the cells are those of before).
  const std::size_t plain_cells = regions * kLevelCount * kStatusCount * (max_wait + 1);
  const auto cell_of = [&](std::size_t region, std::size_t level, std::size_t status, std::size_t waited,
                           std::size_t employer) {
    return employer * plain_cells + ((region * kLevelCount + level) * kStatusCount + status) * (max_wait + 1) + waited;
  };
  // Each queued agent's entry (its cell, or kSkipped or kLeaver) is written at its own position
  // in `queued` (in agent order, MonthlyCandidates). The leavers are taken from the entries in
  // that order (their money is released in agent order for any thread count), and the candidates
  // grouped by cell straight from them: no list but the grouped one holds them (at 1:1 they are
  // millions).
  constexpr std::size_t kSkipped = SIZE_MAX, kLeaver = SIZE_MAX - 1; // kLeaver: died, retired or gave up
  const std::int64_t n = static_cast<std::int64_t>(queued.size());
  std::vector<std::size_t> entry(queued.size(), kSkipped);
#pragma omp parallel for schedule(static)
  for (std::int64_t c = 0; c < n; ++c) {
    if (c + kPrefetchAhead < n)
      prefetch_agent(queued[static_cast<std::size_t>(c + kPrefetchAhead)], pop.evaluation_wait, pop.status,
                     pop.programme, pop.level);
    const std::size_t i = queued[static_cast<std::size_t>(c)];
    const std::uint8_t waited = pop.evaluation_wait[i];
    if (waited == 0) continue;
    const std::uint8_t st = pop.status[i];
    if (st == kRemoved || st == kRetired || waited > max_wait) {
      entry[c] = kLeaver;
      continue;
    }
    const std::uint8_t prog = pop.programme[i];
    const int sought = prog != kNoProgramme ? static_cast<int>(p.programmes.target_level[prog]) : pop.level[i] + 1;
    // Appointed to the top level while waiting: nothing left to seek (the level past the top
    // has no cell), so the worker leaves the queue, counted with those who gave up.
    if (sought >= kLevelCount) {
      entry[c] = kLeaver;
      continue;
    }
    entry[c] = cell_of(pop.region_of(i), static_cast<std::size_t>(sought), st, waited, employer_of(i, st));
  }
  std::vector<std::size_t> leavers;
  for (std::size_t c = 0; c < queued.size(); ++c)
    if (entry[c] == kLeaver) leavers.push_back(queued[c]);
  // The candidates by cell, in cell order; the allocation needs only how many each cell has. (The
  // priority is drawn once the allocation is known, where it decides something.)
  const std::size_t key_limit = plain_cells * (regions * employer_cells + 1);
  const auto cell = [](const Candidate& c) { return c.cell; };
  std::vector<Candidate> candidates;
  std::vector<GroupRange> ranges;
  const bool split_ranks = split(ranks);
  if (!split_ranks) {
    for (std::size_t i : leavers) {
      if (pop.status[i] != kRemoved && pop.status[i] != kRetired) ++tally_.abandoned[pop.region_of(i)];
      pop.evaluation_wait[i] = 0;
      if (pop.programme[i] != kNoProgramme) training.leave_evaluation_queue(pop, i);
    }
    // The queue in as many equal blocks as threads, each counted and placed by one.
    const auto blocks = static_cast<std::size_t>(omp_get_max_threads());
    const auto first = [&](std::size_t b) { return queued.size() * b / blocks; };
    ranges = group_blocks_by_key(
        blocks, key_limit, [&](std::size_t b) { return first(b + 1) - first(b); },
        [&](std::size_t b, std::size_t j) -> std::optional<Candidate> {
          const std::size_t c = first(b) + j;
          if (entry[c] >= kLeaver) return std::nullopt;
          return Candidate{entry[c], 0, queued[c]};
        },
        cell, candidates);
  } else {
    // Every rank's leavers in agent order: (id, gave up | region << 8 | programme << 16), the money
    // of each released by every rank alike.
    std::vector<std::uint64_t> mine;
    for (std::size_t i : leavers)
      mine.insert(mine.end(),
                  {pop.id[i], std::uint64_t{pop.status[i] != kRemoved && pop.status[i] != kRetired} |
                                  std::uint64_t{pop.region_of(i)} << 8 | std::uint64_t{pop.programme[i]} << 16});
    std::vector<std::uint64_t> all = ranks->join(mine);
    sort_by_id(all, 2);
    for (std::size_t k = 0; k + 1 < all.size(); k += 2) {
      const std::uint64_t w = all[k + 1];
      const std::size_t i = local_index(pop, all[k]);
      if ((w & 0xFF) != 0) ++tally_.abandoned[w >> 8 & 0xFF];
      if (i != kNotHere) pop.evaluation_wait[i] = 0;
      if (const auto prog = static_cast<std::uint8_t>(w >> 16 & 0xFF); prog != kNoProgramme)
        training.leave_evaluation_queue(pop, i, prog);
    }
    // Every rank's candidates, by id (the assessed are then ordered below as on one process),
    // with what the assessment needs of them; every rank draws the priorities it needs from the id.
    std::vector<std::uint64_t> cand;
    for (std::size_t c = 0; c < queued.size(); ++c) {
      if (entry[c] >= kLeaver) continue;
      const std::size_t i = queued[c];
      cand.insert(cand.end(),
                  {entry[c], std::uint64_t{pop.id[i]} | std::uint64_t{pop.region_of(i)} << 32 |
                                 std::uint64_t{pop.programme[i]} << 40 | std::uint64_t{pop.level[i]} << 48});
    }
    const std::vector<std::uint64_t> joined = ranks->join(cand);
    candidates.resize(joined.size() / 2);
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      const std::uint64_t w = joined[2 * k + 1];
      const auto id = static_cast<std::uint32_t>(w);
      candidates[k] = {static_cast<std::size_t>(joined[2 * k]),
                       0,
                       id,
                       id,
                       static_cast<std::uint8_t>(w >> 32 & 0xFF),
                       static_cast<std::uint8_t>(w >> 40 & 0xFF),
                       static_cast<std::uint8_t>(w >> 48 & 0xFF)};
    }
    ranges = group_by_key(candidates, key_limit, cell);
  }
  entry = {};

  // The month's capacity, fractions carried (unused capacity is not).
  EvaluationProblem problem;
  problem.evaluators = static_cast<int>(evaluators);
  problem.regions = static_cast<int>(regions);
  problem.max_wait_months = ev.max_wait_months;
  for (std::size_t k = 0; k < evaluators * regions; ++k) {
    problem.capacity.push_back(state_.capacity_due[k].take(
        ev.capacity_per_month(static_cast<int>(k / regions), static_cast<int>(k % regions)) /
        static_cast<double>(scale_)));
  }
  for (std::size_t e = 0; e < evaluators; ++e) {
    for (int s = 0; s < kStatusCount; ++s)
      problem.eligible_status.push_back(ev.eligible_statuses(static_cast<int>(e), s));
    problem.max_level.push_back(static_cast<int>(ev.max_level[e]));
  }
  if (self_evaluation) {
    problem.employer_capacity = employer_capacity;
    problem.employer_evaluator = static_cast<int>(
        std::find(ev.evaluators.begin(), ev.evaluators.end(), em.self_evaluator) - ev.evaluators.begin());
  }
  for (const auto& [b, e] : ranges) {
    std::size_t key = candidates[b].cell % plain_cells;
    const int employer = static_cast<int>(candidates[b].cell / plain_cells) - 1;
    const auto waited = static_cast<int>(key % (max_wait + 1));
    key /= max_wait + 1;
    const auto status = static_cast<int>(key % kStatusCount);
    key /= kStatusCount;
    problem.cells.push_back({static_cast<int>(key / kLevelCount), static_cast<int>(key % kLevelCount), status, waited,
                             static_cast<std::int64_t>(e - b), employer});
  }
  problem.rationing_draw = rng.block(streams::kEvaluationRationing, month.index, 0).words[0];
  const auto solve_start = std::chrono::steady_clock::now();
  const EvaluationAllocation allocation = allocate_evaluations(problem);
  allocation_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - solve_start).count();
  // Each cell's assessed: its lowest agent-keyed priorities, lowest first ((priority, index) are
  // distinct); who of the rest waits on does not depend on their order. So priorities are drawn
  // only in the cells where somebody is assessed (late in a run most candidates wait in cells
  // where nobody is: national_2019_2021, month 36, 31,300 of 37,500 at 3M agents).
  const auto cells = static_cast<std::int64_t>(ranges.size());
#pragma omp parallel for schedule(dynamic)
  for (std::int64_t c = 0; c < cells; ++c) {
    if (allocation.assessed[static_cast<std::size_t>(c)] == 0) continue;
    const auto [begin, end] = ranges[static_cast<std::size_t>(c)];
    for (std::size_t a = begin; a < end; ++a) {
      Candidate& cand = candidates[a];
      const std::uint64_t id = split_ranks ? cand.id : pop.id[cand.index]; // split: `index` is the id
      cand.priority = streams::priority_of(rng.block(streams::kEvaluationPriority, month.index, id));
    }
  }
  sort_lowest_first(candidates, ranges, allocation.assessed);
  for (std::size_t k = 0; k < evaluators * regions; ++k) {
    tally_.held[k] = allocation.held[k];
    tally_.binding[k] = allocation.binding[k] ? 1 : 0;
  }
  if (self_evaluation) tally_.self_held = allocation.employer_held;

  // The assessed (lowest agent-keyed priorities in each cell) pass or fail; the rest wait on.
  const auto pass_ordinary = [&](std::size_t i, int sought, const DrawBlock& d, MonthTally& to) {
    ++to.assessments[sought];
    const int cls = person_class((month - Month{pop.birth_month[i]}) / 12, pop.sex[i], pop.group[i]);
    double pass = pass_probability_of(p.skills, sought, cls, pop.region_of(i));
    if (mentoring != nullptr && mentoring->any() && mentoring->mentored(i)) pass = mentoring->pass_probability(pass);
    if (d.below(streams::kPassesAssessment, probability_threshold(pass))) promote(pop, i, sought, to);
  };
  if (split_ranks) {
    for (std::size_t c = 0; c < problem.cells.size(); ++c) {
      const auto [begin, end] = ranges[c];
      const std::size_t assessed_end = begin + static_cast<std::size_t>(allocation.assessed[c]);
      // Every rank keeps the tallies and the money; the agent's rank changes it.
      for (std::size_t a = begin; a < end; ++a) {
        const Candidate& cand = candidates[a];
        const std::size_t i = local_index(pop, cand.index); // the agent, if this rank holds it
        const bool own = i != TrainingSystem::kNotHere;
        if (a >= assessed_end) {
          if (own && pop.evaluation_wait[i] < kMaxWait) ++pop.evaluation_wait[i];
          ++tally_.queue[cand.region];
          continue;
        }
        if (own) pop.evaluation_wait[i] = 0;
        if (cand.programme != kNoProgramme) {
          const DrawBlock d = rng.block(streams::kEvaluationOutcome, month.index, cand.id);
          training.assessed(
              p, pop, i, cand.programme, cand.level,
              d.below(streams::kPassesAssessment, probability_threshold(p.programmes.pass_probability[cand.programme])),
              flows);
        } else if (own) { // an ordinary assessment changes only its agent and the flows (summed)
          pass_ordinary(i, problem.cells[c].level_sought,
                        rng.block(streams::kEvaluationOutcome, month.index, pop.id[i]), flows);
        }
      }
    }
    return;
  }
  // On one process, in three passes so that only the money waits for one thread:
  // 1. the assessed, in parallel: each leaves the queue and draws its outcome, and gets its level
  //    (an ordinary assessment, or a programme's certificate) and leaves its programme: that
  //    changes only its agent and the flows (summed);
  struct Assessed {
    std::size_t index;
    int sought;
  };
  std::vector<Assessed> assessed; // cell by cell, the lowest priorities first
  for (std::size_t c = 0; c < problem.cells.size(); ++c) {
    const auto [begin, end] = ranges[c];
    const std::size_t assessed_end = std::min(end, begin + static_cast<std::size_t>(allocation.assessed[c]));
    for (std::size_t a = begin; a < assessed_end; ++a)
      assessed.push_back({candidates[a].index, problem.cells[c].level_sought});
  }
  const auto assessed_count = static_cast<std::int64_t>(assessed.size());
  // A programme completer's programme (kNoProgramme for an ordinary assessment) and outcome, for
  // pass 2.
  std::vector<std::uint8_t> programme(assessed.size(), kNoProgramme), passed(assessed.size(), 0);
#pragma omp parallel
  {
    MonthTally local;
#pragma omp for schedule(static) nowait
    for (std::int64_t k = 0; k < assessed_count; ++k) {
      if (k + kPrefetchAhead < assessed_count)
        prefetch_agent(assessed[static_cast<std::size_t>(k + kPrefetchAhead)].index, pop.evaluation_wait, pop.id,
                       pop.programme, pop.level);
      const auto [i, sought] = assessed[static_cast<std::size_t>(k)];
      pop.evaluation_wait[i] = 0;
      const DrawBlock d = rng.block(streams::kEvaluationOutcome, month.index, pop.id[i]);
      if (const std::uint8_t prog = pop.programme[i]; prog != kNoProgramme) {
        const bool pass =
            d.below(streams::kPassesAssessment, probability_threshold(p.programmes.pass_probability[prog]));
        programme[static_cast<std::size_t>(k)] = prog;
        passed[static_cast<std::size_t>(k)] = pass ? 1 : 0;
        TrainingSystem::finish_assessment(p, pop, i, prog, pop.level[i], pass, local);
      } else {
        pass_ordinary(i, sought, d, local);
      }
    }
#pragma omp critical(skillsim_evaluation_assessed)
    flows += local; // sums of integers: the same in any order
  }
  // 2. programme completers, in that order: their certificates are paid for, or their claims
  //    released, one after another, as the money allows (their agents changed in pass 1);
  for (std::size_t k = 0; k < assessed.size(); ++k)
    if (programme[k] != kNoProgramme) training.settle_assessment(p, programme[k], passed[k] != 0);
      // 3. those still waiting, in parallel over the queue (in agent order): after passes 1 and 2 and
      //    the leavers, they are the queued agents whose wait is not 0.
#pragma omp parallel
  {
    std::vector<std::int64_t> local_queue(regions, 0);
#pragma omp for schedule(static) nowait
    for (std::int64_t c = 0; c < n; ++c) {
      const std::size_t i = queued[static_cast<std::size_t>(c)];
      if (pop.evaluation_wait[i] == 0) continue;
      if (pop.evaluation_wait[i] < kMaxWait) ++pop.evaluation_wait[i];
      ++local_queue[pop.region_of(i)];
    }
#pragma omp critical(skillsim_evaluation_queue)
    for (std::size_t r = 0; r < regions; ++r) tally_.queue[r] += local_queue[r];
  }
}

} // namespace skillsim
