#include "skillsim/core/twin_evaluation.hpp"

#include <cmath>
#include <string>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/evaluation.hpp"

namespace skillsim {

namespace {
// Expected counts on the agents' flow network in fixed point (as the twin's seats): times 2^20,
// so a millionth of an agent is kept.
constexpr double kFixedPoint = 1048576.0;
} // namespace

std::size_t twin_evaluation_cells(std::int64_t max_wait) {
  return static_cast<std::size_t>(kLevelCount * kStatusCount) * static_cast<std::size_t>(max_wait + 1);
}

std::size_t twin_evaluation_cell(int sought, int status, int waited, std::int64_t max_wait) {
  return (static_cast<std::size_t>(sought) * kStatusCount + static_cast<std::size_t>(status)) *
             static_cast<std::size_t>(max_wait + 1) +
         static_cast<std::size_t>(waited);
}

TwinEvaluationMonth twin_evaluate(const Parameters& p, const std::vector<double>& candidates,
                                  const std::vector<std::vector<double>>& region_part,
                                  std::vector<Carry>& capacity_due) {
  const auto& ev = p.evaluation;
  const std::size_t evaluators = ev.evaluators.size(), classes = region_part.size();
  const std::size_t regions = classes > 0 ? region_part[0].size() : 0;
  const std::int64_t max_wait = ev.max_wait_months;
  const std::size_t cells = twin_evaluation_cells(max_wait);
  if (candidates.size() != classes * cells || capacity_due.size() != evaluators * regions)
    throw Error("twin evaluation: " + std::to_string(candidates.size()) + " candidate cells and " +
                std::to_string(capacity_due.size()) + " capacities do not fit " + std::to_string(classes) +
                " region classes, " + std::to_string(evaluators) + " evaluators, " + std::to_string(regions) +
                " regions and max_wait_months " + std::to_string(max_wait));
  EvaluationProblem problem;
  problem.evaluators = static_cast<int>(evaluators);
  problem.regions = static_cast<int>(regions);
  problem.max_wait_months = max_wait;
  for (std::size_t k = 0; k < evaluators * regions; ++k)
    problem.capacity.push_back(
        capacity_due[k].take(ev.capacity_per_month(static_cast<int>(k / regions), static_cast<int>(k % regions)) /
                             static_cast<double>(p.population.scale)) *
        static_cast<std::int64_t>(kFixedPoint));
  for (std::size_t e = 0; e < evaluators; ++e) {
    for (int s = 0; s < kStatusCount; ++s)
      problem.eligible_status.push_back(ev.eligible_statuses(static_cast<int>(e), s));
    problem.max_level.push_back(static_cast<int>(ev.max_level[e]));
  }
  // The agents' cells (region, level sought, status, months waited), each region its part of
  // its class's.
  // (A region is in the one class it has a part of; one without people adds nobody.)
  std::vector<std::size_t> cell_of;
  std::vector<double> count;
  for (std::size_t reg = 0; reg < regions; ++reg) {
    std::size_t rc = 0;
    while (region_part[rc][reg] == 0 && rc + 1 < classes) ++rc;
    for (int sought = 0; sought < kLevelCount; ++sought)
      for (int status = 0; status < kStatusCount; ++status)
        for (int waited = 1; waited <= max_wait; ++waited) {
          const std::size_t at = rc * cells + twin_evaluation_cell(sought, status, waited, max_wait);
          const double n = candidates[at] * region_part[rc][reg];
          const std::int64_t fixed = std::llround(n * kFixedPoint);
          if (fixed <= 0) continue; // below a millionth of an agent
          problem.cells.push_back({static_cast<int>(reg), sought, status, waited, fixed, -1});
          cell_of.push_back(at);
          count.push_back(n);
        }
  }
  TwinEvaluationMonth out;
  out.assessed_share.assign(candidates.size(), 0.0);
  out.held.assign(evaluators * regions, 0.0);
  out.binding.assign(evaluators * regions, 0.0);
  out.queue.assign(regions, 0.0);
  if (problem.cells.empty()) return out;
  const EvaluationAllocation allocation = allocate_evaluations(problem);
  std::vector<double> assessed(candidates.size(), 0.0);
  for (std::size_t c = 0; c < problem.cells.size(); ++c) {
    const double share = static_cast<double>(allocation.assessed[c]) / static_cast<double>(problem.cells[c].candidates);
    assessed[cell_of[c]] += count[c] * share;
    out.queue[static_cast<std::size_t>(problem.cells[c].region)] += count[c] * (1 - share);
  }
  for (std::size_t at = 0; at < candidates.size(); ++at)
    if (candidates[at] > 0) out.assessed_share[at] = std::min(1.0, assessed[at] / candidates[at]);
  for (std::size_t k = 0; k < evaluators * regions; ++k) {
    out.held[k] = static_cast<double>(allocation.held[k]) / kFixedPoint;
    out.binding[k] = allocation.binding[k] ? 1.0 : 0.0;
  }
  return out;
}

} // namespace skillsim
