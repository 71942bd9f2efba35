#include "skillsim/core/flow_network.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>

#include "skillsim/core/errors.hpp"

namespace skillsim {

namespace {

// Costs are handed to Boost as doubles: its successive-shortest-path update adds the "infinite"
// distance of vertices the residual graph cannot reach, which overflows (undefined behaviour)
// for integers but stays infinite for doubles. Costs are small integers, exact in a double.
using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, std::int64_t,
                    boost::property<boost::edge_residual_capacity_t, std::int64_t,
                                    boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                                    boost::property<boost::edge_weight_t, double>>>>>;

} // namespace

int FlowNetwork::add_node(std::string label) {
  labels_.push_back(std::move(label));
  return static_cast<int>(labels_.size()) - 1;
}

int FlowNetwork::add_arc(int from, int to, std::int64_t capacity, std::int64_t cost) {
  const auto known = [&](int node) { return node >= 0 && node < node_count(); };
  if (!known(from) || !known(to))
    throw Error("flow network: arc between unknown nodes " + std::to_string(from) + " and " + std::to_string(to));
  if (capacity < 0)
    throw Error("flow network: arc " + label(from) + " -> " + label(to) + " has negative capacity " +
                std::to_string(capacity));
  if (cost < 0)
    throw Error("flow network: arc " + label(from) + " -> " + label(to) + " has negative cost " + std::to_string(cost));
  arcs_.push_back({from, to, capacity, cost});
  return static_cast<int>(arcs_.size()) - 1;
}

void FlowNetwork::solve(int source, int sink) {
  Graph g(labels_.size());
  auto capacity = boost::get(boost::edge_capacity, g);
  auto residual = boost::get(boost::edge_residual_capacity, g);
  auto reverse = boost::get(boost::edge_reverse, g);
  auto weight = boost::get(boost::edge_weight, g);
  std::vector<Traits::edge_descriptor> forward;
  forward.reserve(arcs_.size());
  for (const Arc& arc : arcs_) {
    const auto e = boost::add_edge(static_cast<std::size_t>(arc.from), static_cast<std::size_t>(arc.to), g).first;
    const auto back = boost::add_edge(static_cast<std::size_t>(arc.to), static_cast<std::size_t>(arc.from), g).first;
    capacity[e] = arc.capacity;
    capacity[back] = 0;
    weight[e] = static_cast<double>(arc.cost);
    weight[back] = -static_cast<double>(arc.cost);
    reverse[e] = back;
    reverse[back] = e;
    forward.push_back(e);
  }
  boost::successive_shortest_path_nonnegative_weights(g, static_cast<std::size_t>(source),
                                                      static_cast<std::size_t>(sink));
  total_flow_ = 0;
  total_cost_ = 0;
  for (std::size_t k = 0; k < arcs_.size(); ++k) {
    arcs_[k].flow = capacity[forward[k]] - residual[forward[k]];
    total_cost_ += arcs_[k].flow * arcs_[k].cost;
    if (arcs_[k].to == sink) total_flow_ += arcs_[k].flow;
    if (arcs_[k].from == sink) total_flow_ -= arcs_[k].flow;
  }
}

std::vector<bool> FlowNetwork::residual_reach(int from) const {
  std::vector<bool> reached(labels_.size(), false);
  reached.at(static_cast<std::size_t>(from)) = true;
  // Few nodes and arcs: sweep the arcs until nothing new is reached.
  for (bool grew = true; grew;) {
    grew = false;
    for (const Arc& arc : arcs_) {
      const auto a = static_cast<std::size_t>(arc.from), b = static_cast<std::size_t>(arc.to);
      if (reached[a] && !reached[b] && arc.flow < arc.capacity) reached[b] = grew = true;
      if (reached[b] && !reached[a] && arc.flow > 0) reached[a] = grew = true;
    }
  }
  return reached;
}

} // namespace skillsim
