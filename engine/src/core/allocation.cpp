#include "skillsim/core/allocation.hpp"

#include <algorithm>
#include <string>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/flow_network.hpp"

namespace skillsim {

Allocation allocate(const AllocationProblem& problem) {
  const auto programmes = static_cast<std::size_t>(problem.programmes);
  const auto regions = static_cast<std::size_t>(problem.regions);
  if (problem.seats.size() != programmes * regions)
    throw Error("allocation: expected " + std::to_string(programmes * regions) + " seat counts, got " +
                std::to_string(problem.seats.size()));
  if (problem.affordable.size() != programmes)
    throw Error("allocation: expected " + std::to_string(programmes) + " affordable counts, got " +
                std::to_string(problem.affordable.size()));

  FlowNetwork net;
  const int source = net.add_node("source");
  const int sink = net.add_node("sink");
  std::vector<int> money_node(programmes), money_arc(programmes);
  for (std::size_t p = 0; p < programmes; ++p) {
    money_node[p] = net.add_node("money of programme " + std::to_string(p));
    money_arc[p] = net.add_arc(money_node[p], sink, problem.affordable[p]);
  }
  std::vector<int> seat_node(programmes * regions), seat_arc(programmes * regions);
  for (std::size_t p = 0; p < programmes; ++p)
    for (std::size_t r = 0; r < regions; ++r) {
      const std::size_t k = p * regions + r;
      seat_node[k] = net.add_node("seats of programme " + std::to_string(p) + " in region " + std::to_string(r));
      seat_arc[k] = net.add_arc(seat_node[k], money_node[p], problem.seats[k]);
    }
  // Pools of apprenticeship places (only when a cell needs them: otherwise the network of before).
  std::vector<int> pool_node(problem.places.size()), pool_arc(problem.places.size());
  for (std::size_t k = 0; k < problem.places.size(); ++k) {
    pool_node[k] = net.add_node("places of pool " + std::to_string(k));
    pool_arc[k] = net.add_arc(source, pool_node[k], problem.places[k]);
  }
  std::vector<int> cell_arc(problem.cells.size());
  std::vector<std::vector<int>> substitute_arcs(problem.cells.size());
  // A substitute's seat costs more than any applicant of its own programme pays for one, so it
  // goes to them first whatever their priority (the cheapest substitute path, at the lowest
  // priority cost m, costs m + spread + 1 = the highest + 1).
  const auto [lowest, highest] =
      std::minmax_element(problem.cells.begin(), problem.cells.end(),
                          [](const DemandCell& a, const DemandCell& b) { return a.priority_cost < b.priority_cost; });
  const std::int64_t substitute_cost =
      kSubstituteCost + (problem.cells.empty() ? 0 : highest->priority_cost - lowest->priority_cost);
  const auto seats_of = [&](int programme, int region) {
    return seat_node[static_cast<std::size_t>(programme) * regions + static_cast<std::size_t>(region)];
  };
  for (std::size_t c = 0; c < problem.cells.size(); ++c) {
    const DemandCell& cell = problem.cells[c];
    const auto known = [&](int programme) { return programme >= 0 && programme < problem.programmes; };
    if (!known(cell.programme) || cell.region < 0 || cell.region >= problem.regions ||
        !std::all_of(cell.substitutes.begin(), cell.substitutes.end(), known))
      throw Error("allocation: demand cell " + std::to_string(c) + " names an unknown programme or region");
    if (cell.place >= static_cast<int>(problem.places.size()) || cell.place < -1)
      throw Error("allocation: demand cell " + std::to_string(c) + " names an unknown pool of places");
    const int node = net.add_node("cell " + std::to_string(c));
    const int from = cell.place < 0 ? source : pool_node[static_cast<std::size_t>(cell.place)];
    cell_arc[c] = net.add_arc(from, node, cell.applicants, cell.priority_cost);
    net.add_arc(node, seats_of(cell.programme, cell.region), FlowNetwork::kUnlimited);
    for (int q : cell.substitutes)
      substitute_arcs[c].push_back(
          net.add_arc(node, seats_of(q, cell.region), FlowNetwork::kUnlimited, substitute_cost));
  }
  net.solve(source, sink);

  Allocation out;
  out.seats_binding.resize(programmes * regions);
  out.money_binding.resize(programmes);
  for (std::size_t k = 0; k < seat_arc.size(); ++k) out.seats_binding[k] = net.saturated(seat_arc[k]);
  for (std::size_t p = 0; p < programmes; ++p) out.money_binding[p] = net.saturated(money_arc[p]);
  for (std::size_t c = 0; c < problem.cells.size(); ++c) {
    const DemandCell& cell = problem.cells[c];
    CellOutcome o;
    o.admitted = net.flow(cell_arc[c]);
    for (int arc : substitute_arcs[c]) o.admitted_to.push_back(net.flow(arc));
    const std::int64_t unserved = cell.applicants - o.admitted;
    // The reason is the first bound met on the way from the applicant: its employer's places, the
    // seats, then the money.
    const std::size_t k = static_cast<std::size_t>(cell.programme) * regions + static_cast<std::size_t>(cell.region);
    if (cell.place >= 0 && net.saturated(pool_arc[static_cast<std::size_t>(cell.place)]))
      o.turned_away_no_place = unserved;
    else if (out.seats_binding[k])
      o.turned_away_no_seat = unserved;
    else
      o.turned_away_no_money = unserved;
    out.admitted += o.admitted;
    out.cells.push_back(o);
  }
  return out;
}

} // namespace skillsim
