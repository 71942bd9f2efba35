#include "skillsim/core/ranks.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace skillsim {

std::size_t local_index(const Population& pop, std::uint64_t id) {
  const auto at = std::lower_bound(pop.id.begin(), pop.id.end(), id);
  return at != pop.id.end() && *at == id ? static_cast<std::size_t>(at - pop.id.begin()) : kNotHere;
}

void sort_by_id(std::vector<std::uint64_t>& words, std::size_t width) {
  const std::size_t n = words.size() / width;
  std::vector<std::size_t> order(n);
  for (std::size_t k = 0; k < n; ++k) order[k] = k;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return words[a * width] < words[b * width]; });
  std::vector<std::uint64_t> sorted(words.size());
  for (std::size_t k = 0; k < n; ++k)
    std::copy_n(words.begin() + static_cast<std::ptrdiff_t>(order[k] * width), width,
                sorted.begin() + static_cast<std::ptrdiff_t>(k * width));
  words.swap(sorted);
}

AgentRange agent_range(std::size_t agents, int rank, int ranks) {
  const auto r = static_cast<std::size_t>(rank), n = static_cast<std::size_t>(ranks);
  return {agents / n * r + std::min(r, agents % n), agents / n * (r + 1) + std::min(r + 1, agents % n)};
}

namespace {

std::string names(const std::vector<std::string>& list) {
  std::string text;
  for (const auto& n : list) text += (text.empty() ? "" : ", ") + n;
  return text;
}

std::string refusal_message(const std::vector<Issue>& issues) {
  std::string text = "the scenario uses what a run split over ranks (--split-agents) does not do yet (run it on "
                     "one process, or share a sweep's runs between ranks with skillsim sweep, or leave these out):";
  for (const auto& issue : issues) text += "\n  " + issue.key + ": " + issue.message;
  return text;
}

} // namespace

RankSplitUnsupported::RankSplitUnsupported(std::vector<Issue> issues)
    : Error(refusal_message(issues)), issues_(std::move(issues)) {}

std::vector<Issue> rank_split_refusals(const Scenario& scenario) {
  // Each of these takes a global decision from state the split does not yet reduce or gather
  // across ranks (candidate lists, a ledger, counts by cell); refused rather than run differently.
  const Parameters& p = scenario.parameters();
  std::vector<Issue> issues;
  if (!p.employers.size_classes.empty())
    issues.push_back({"employers.size_classes", "employer cells (posts, matching, 以工代训) are not split over ranks "
                                                "yet; the scenario declares " +
                                                    names(p.employers.size_classes)});
  return issues;
}

} // namespace skillsim
