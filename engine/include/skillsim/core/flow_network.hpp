// Minimum-cost maximum flow on a small network (Boost.Graph's successive shortest paths).
// The allocation of applicants to seats, money and evaluation slots is built on it: capacities
// are arc capacities, priority rules are arc costs. Integer capacities and costs make the
// result exact and the same on every machine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace skillsim {

class FlowNetwork {
public:
  /// Effectively unlimited capacity.
  static constexpr std::int64_t kUnlimited = std::int64_t{1} << 50;

  /// Adds a node; `label` is for messages and reports. Returns its index.
  int add_node(std::string label);

  /// Adds an arc from -> to with a capacity >= 0 and a cost per unit >= 0. Returns its index.
  /// @throws Error on a negative capacity or cost, or an unknown node
  int add_arc(int from, int to, std::int64_t capacity, std::int64_t cost = 0);

  /// Sends the maximum flow from `source` to `sink`, and among maximum flows one of least total
  /// cost. Ties are broken by the order in which nodes and arcs were added, so the same network
  /// built in the same order always gives the same flows.
  void solve(int source, int sink);

  std::int64_t flow(int arc) const { return arcs_.at(static_cast<std::size_t>(arc)).flow; }
  std::int64_t capacity(int arc) const { return arcs_.at(static_cast<std::size_t>(arc)).capacity; }
  /// True if the arc carries its full capacity (a binding constraint).
  bool saturated(int arc) const { return flow(arc) == capacity(arc); }
  std::int64_t total_flow() const { return total_flow_; }
  /// After solve: the nodes `from` reaches along arcs with room left or flow to take back. With
  /// `from` the source, the source side of a minimum cut: the arcs out of it are full.
  std::vector<bool> residual_reach(int from) const;
  std::int64_t total_cost() const { return total_cost_; }
  const std::string& label(int node) const { return labels_.at(static_cast<std::size_t>(node)); }
  int node_count() const { return static_cast<int>(labels_.size()); }
  int arc_count() const { return static_cast<int>(arcs_.size()); }

private:
  struct Arc {
    int from, to;
    std::int64_t capacity, cost, flow = 0;
  };
  std::vector<std::string> labels_;
  std::vector<Arc> arcs_;
  std::int64_t total_flow_ = 0, total_cost_ = 0;
};

} // namespace skillsim
