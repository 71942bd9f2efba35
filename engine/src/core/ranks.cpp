#include "skillsim/core/ranks.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <queue>
#include <span>
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

// Every rank's `mine`, its bytes packed in words, joined in rank order on rank 0 (`sizes`: each
// rank's number of values); empty on the others.
template <class T>
std::vector<T> gather_column(std::span<const T> mine, const RankGroup& ranks, const std::vector<std::uint64_t>& sizes) {
  const auto words_of = [](std::size_t n) { return (n * sizeof(T) + 7) / 8; };
  std::vector<std::uint64_t> words(words_of(mine.size()), 0);
  if (!mine.empty()) std::memcpy(words.data(), mine.data(), mine.size() * sizeof(T));
  const std::vector<std::uint64_t> all = ranks.gather(words);
  std::vector<T> out;
  if (ranks.rank() != 0) return out;
  std::size_t total = 0;
  for (std::uint64_t n : sizes) total += static_cast<std::size_t>(n);
  out.resize(total);
  std::size_t at = 0, word = 0;
  for (std::uint64_t n : sizes) {
    if (n > 0) std::memcpy(out.data() + at, all.data() + word, static_cast<std::size_t>(n) * sizeof(T));
    at += static_cast<std::size_t>(n);
    word += words_of(static_cast<std::size_t>(n));
  }
  return out;
}

} // namespace

Population gather_population(const Population& mine, const RankGroup& ranks) {
  const std::uint64_t size = mine.size();
  const std::vector<std::uint64_t> sizes = ranks.gather(std::span<const std::uint64_t>(&size, 1));
  const bool root = ranks.rank() == 0;
  // The agents in id order: a merge of the ranks' blocks (each in id order), as positions in
  // their concatenation.
  std::vector<std::size_t> order;
  {
    const std::vector<std::uint32_t> ids = gather_column(std::span<const std::uint32_t>(mine.id), ranks, sizes);
    if (root) {
      order.reserve(ids.size());
      std::vector<std::size_t> next, end;                 // per rank: its next position, and the end of its block
      using Head = std::pair<std::uint32_t, std::size_t>; // (id, rank)
      std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
      for (std::uint64_t n : sizes) {
        next.push_back(end.empty() ? 0 : end.back());
        end.push_back(next.back() + static_cast<std::size_t>(n));
        if (n > 0) heads.emplace(ids[next.back()], next.size() - 1);
      }
      while (!heads.empty()) {
        const std::size_t r = heads.top().second;
        heads.pop();
        order.push_back(next[r]++);
        if (next[r] < end[r]) heads.emplace(ids[next[r]], r);
      }
    }
  }
  Population all(mine.optional_columns());
  const auto take = [&](const auto& column, auto& into) {
    const auto joined = gather_column(std::span(std::as_const(column)), ranks, sizes);
    if (!root) return;
    into.resize(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) into[k] = joined[order[k]];
  };
#define SKILLSIM_GATHER(column_type, agent_type, name, default_value, use)                                             \
  if (mine.has(Column::name)) take(mine.name, all.name);
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_GATHER)
#undef SKILLSIM_GATHER
  // Empty on the other ranks. Returned as it is, not copied: a copy would hold the whole
  // population twice on rank 0.
  return all;
}

namespace {

std::string refusal_message(const std::vector<Issue>& issues) {
  std::string text = "the scenario uses what a run split over ranks (--split-agents) does not do yet (run it on "
                     "one process, or share a sweep's runs between ranks with skillsim sweep, or leave these out):";
  for (const auto& issue : issues) text += "\n  " + issue.key + ": " + issue.message;
  return text;
}

} // namespace

RankSplitUnsupported::RankSplitUnsupported(std::vector<Issue> issues)
    : Error(refusal_message(issues)), issues_(std::move(issues)) {}

std::vector<Issue> rank_split_refusals(const Scenario&) {
  // Every process of the monthly step is split (docs/cluster.md): nothing is refused. A process
  // that takes a global decision from state it does not sum or join over the ranks is refused
  // here, by its key, until it does, rather than run differently.
  return {};
}

} // namespace skillsim
