// Grouping a month's candidates by cell and ordering the few each step uses (parallel.hpp): the
// same items in the same order as the full sort they replace (group_blocks_by_key: as a stable
// sort), for dense and sparse keys and any thread count.
#include <gtest/gtest.h>

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "skillsim/core/parallel.hpp"

using namespace skillsim;

namespace {

struct Item {
  std::size_t cell;
  std::uint64_t priority;
  std::size_t index;
  bool operator<(const Item& o) const {
    return std::tie(cell, priority, index) < std::tie(o.cell, o.priority, o.index);
  }
  bool operator==(const Item& o) const = default;
};

// `n` items over `cells` cells (a few of them empty), with random priorities that tie often,
// so that the index decides.
std::vector<Item> items(std::size_t n, std::size_t cells, std::uint32_t seed) {
  std::mt19937_64 gen(seed);
  std::vector<Item> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t cell = gen() % cells;
    if (cell % 7 == 3) cell = (cell + 1) % cells; // cells that stay empty
    out.push_back({cell, gen() % 50, i});
  }
  return out;
}

// Groups, then orders the first `lowest(group size)` of each; checks both against std::sort.
template <class Lowest>
void expect_as_sorted(std::vector<Item> list, std::size_t key_limit, Lowest lowest) {
  std::vector<Item> sorted = list;
  std::sort(sorted.begin(), sorted.end());
  const std::vector<GroupRange> groups = group_by_key(list, key_limit, [](const Item& x) { return x.cell; });
  // The groups: ascending cells, covering the list, each of one cell with all of its items.
  ASSERT_FALSE(groups.empty());
  EXPECT_EQ(groups.front().first, 0u);
  EXPECT_EQ(groups.back().second, list.size());
  std::vector<std::int64_t> first;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto [begin, end] = groups[g];
    ASSERT_LT(begin, end) << "no group is empty";
    if (g > 0) {
      EXPECT_EQ(begin, groups[g - 1].second);
      EXPECT_LT(list[groups[g - 1].first].cell, list[begin].cell) << "groups in ascending key order";
    }
    for (std::size_t a = begin; a < end; ++a) ASSERT_EQ(list[a].cell, list[begin].cell);
    EXPECT_EQ(end - begin, static_cast<std::size_t>(std::count_if(sorted.begin(), sorted.end(), [&](const Item& x) {
                return x.cell == list[begin].cell;
              })));
    first.push_back(lowest(static_cast<std::int64_t>(end - begin)));
  }
  sort_lowest_first(list, groups, first);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto [begin, end] = groups[g];
    const auto k =
        static_cast<std::size_t>(std::clamp<std::int64_t>(first[g], 0, static_cast<std::int64_t>(end - begin)));
    for (std::size_t a = begin; a < begin + k; ++a) ASSERT_EQ(list[a], sorted[a]) << "group " << g << ", item " << a;
    // The rest: the same items as the sort's, in any order.
    std::vector<Item> rest(list.begin() + static_cast<std::ptrdiff_t>(begin + k),
                           list.begin() + static_cast<std::ptrdiff_t>(end));
    std::sort(rest.begin(), rest.end());
    EXPECT_TRUE(std::equal(rest.begin(), rest.end(), sorted.begin() + static_cast<std::ptrdiff_t>(begin + k)));
  }
}

} // namespace

TEST(GroupByKey, DenseKeysGiveTheSortsGroupsAndItsLowestFirst) {
  // A few of each cell taken, none, all, and more than there are (clamped).
  expect_as_sorted(items(5000, 60, 1), 60, [](std::int64_t size) { return size / 3; });
  expect_as_sorted(items(5000, 60, 2), 60, [](std::int64_t) { return std::int64_t{0}; });
  expect_as_sorted(items(5000, 60, 3), 60, [](std::int64_t size) { return size; });
  expect_as_sorted(items(5000, 60, 4), 60, [](std::int64_t size) { return size + 5; });
}

TEST(GroupByKey, SparseKeysFallBackToASortWithTheSameResult) {
  // Keys spread over far more values than a table would hold.
  std::vector<Item> list = items(3000, 40, 5);
  for (Item& x : list) x.cell = x.cell * 1'000'003 + 17;
  expect_as_sorted(list, 40 * 1'000'003 + 18, [](std::int64_t size) { return size / 2; });
}

TEST(GroupByKey, OneItemAndEmptyLists) {
  std::vector<Item> none;
  EXPECT_TRUE(group_by_key(none, 10, [](const Item& x) { return x.cell; }).empty());
  std::vector<Item> one = {{4, 9, 0}};
  const std::vector<GroupRange> groups = group_by_key(one, 10, [](const Item& x) { return x.cell; });
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0], (GroupRange{0, 1}));
}

TEST(SortLowestFirst, SameOrderForAnyThreadCount) {
  std::vector<Item> one_thread = items(20000, 30, 6);
  std::vector<Item> two_threads = one_thread;
  const auto key = [](const Item& x) { return x.cell; };
  const std::vector<GroupRange> groups = group_by_key(one_thread, 30, key);
  ASSERT_EQ(group_by_key(two_threads, 30, key), groups);
  const std::vector<std::int64_t> lowest(groups.size(), 100);
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  sort_lowest_first(one_thread, groups, lowest);
  omp_set_num_threads(2);
  sort_lowest_first(two_threads, groups, lowest);
  omp_set_num_threads(threads);
  EXPECT_EQ(one_thread, two_threads);
}

namespace {

// Groups `blocks` (each thread's list) with group_blocks_by_key, leaving out the items of odd
// priority, and checks the result against a stable sort by cell of the blocks joined in order:
// the same items in the same order, so within a cell the items stay in block order.
void expect_as_stably_sorted(const std::vector<std::vector<Item>>& blocks, std::size_t key_limit) {
  std::vector<Item> expected;
  for (const std::vector<Item>& block : blocks)
    for (const Item& x : block)
      if (x.priority % 2 == 0) expected.push_back(x);
  std::stable_sort(expected.begin(), expected.end(), [](const Item& a, const Item& b) { return a.cell < b.cell; });
  std::vector<Item> out = {{1, 1, 1}}; // replaced
  const std::vector<GroupRange> groups = group_blocks_by_key(
      blocks.size(), key_limit, [&](std::size_t b) { return blocks[b].size(); },
      [&](std::size_t b, std::size_t j) -> std::optional<Item> {
        const Item& x = blocks[b][j];
        if (x.priority % 2 != 0) return std::nullopt;
        return x;
      },
      [](const Item& x) { return x.cell; }, out);
  ASSERT_EQ(out.size(), expected.size());
  if (key_limit <= 1'000'000) { // dense: the order of the blocks is kept within a cell
    EXPECT_EQ(out, expected);
  } else { // sparse: grouped by a sort, whose order within a cell is not kept
    std::vector<Item> a = out, b = expected;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(a, b);
  }
  // The ranges: each cell once, ascending, covering `out`.
  std::size_t at = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto [begin, end] = groups[g];
    ASSERT_EQ(begin, at);
    ASSERT_LT(begin, end);
    for (std::size_t k = begin; k < end; ++k) ASSERT_EQ(out[k].cell, out[begin].cell);
    if (g > 0) {
      EXPECT_LT(out[groups[g - 1].first].cell, out[begin].cell);
    }
    at = end;
  }
  EXPECT_EQ(at, out.size());
}

std::vector<std::vector<Item>> split_in(const std::vector<Item>& list, std::size_t blocks) {
  std::vector<std::vector<Item>> out(blocks);
  for (std::size_t b = 0; b < blocks; ++b)
    out[b].assign(list.begin() + static_cast<std::ptrdiff_t>(list.size() * b / blocks),
                  list.begin() + static_cast<std::ptrdiff_t>(list.size() * (b + 1) / blocks));
  return out;
}

} // namespace

TEST(GroupBlocksByKey, AStableSortByKeyOfTheBlocksInOrder) {
  const std::vector<Item> list = items(6000, 60, 7);
  for (std::size_t blocks : {1, 2, 3, 5}) expect_as_stably_sorted(split_in(list, blocks), 60);
  // Empty blocks, and all of them empty.
  expect_as_stably_sorted({{}, split_in(list, 1)[0], {}}, 60);
  expect_as_stably_sorted({{}, {}}, 60);
}

TEST(GroupBlocksByKey, SparseKeysFallBackToTheSort) {
  std::vector<Item> list = items(3000, 40, 8);
  for (Item& x : list) x.cell = x.cell * 1'000'003 + 17;
  expect_as_stably_sorted(split_in(list, 2), 40 * 1'000'003 + 18);
}

TEST(GroupBlocksByKey, SameResultForAnyThreadCount) {
  const std::vector<std::vector<Item>> blocks = split_in(items(20000, 30, 9), 4);
  const auto group = [&](int threads) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    std::vector<Item> out;
    const std::vector<GroupRange> groups = group_blocks_by_key(
        blocks.size(), 30, [&](std::size_t b) { return blocks[b].size(); },
        [&](std::size_t b, std::size_t j) { return std::optional<Item>(blocks[b][j]); },
        [](const Item& x) { return x.cell; }, out);
    omp_set_num_threads(before);
    return std::make_pair(groups, out);
  };
  EXPECT_EQ(group(1), group(2));
}

// Compaction in place on every thread (OrderedCompaction, Population::compact): the kept items in
// their order, as a serial copy_if gives, for any number of blocks and threads, whichever blocks
// the removed are in. The key array is compacted last, with the others reading it throughout.
TEST(OrderedCompaction, KeepsTheOrderForAnyBlocksAndThreads) {
  struct Case {
    const char* name;
    std::size_t size;
    std::function<bool(std::size_t, std::mt19937_64&)> removed;
  };
  const std::vector<Case> cases = {
      {"3% at random", 10'007, [](std::size_t, std::mt19937_64& g) { return g() % 100 < 3; }},
      {"the first half (the later blocks write over whole blocks)", 4'000,
       [](std::size_t i, std::mt19937_64&) { return i < 2'000; }},
      {"all but the last", 1'000, [](std::size_t i, std::mt19937_64&) { return i + 1 < 1'000; }},
      {"the last tenth", 1'000, [](std::size_t i, std::mt19937_64&) { return i >= 900; }},
      {"none", 999, [](std::size_t, std::mt19937_64&) { return false; }},
      {"all", 999, [](std::size_t, std::mt19937_64&) { return true; }},
      {"fewer positions than blocks", 3, [](std::size_t i, std::mt19937_64&) { return i == 1; }},
      {"empty", 0, [](std::size_t, std::mt19937_64&) { return false; }},
  };
  const int threads_before = omp_get_max_threads();
  for (const Case& c : cases) {
    std::mt19937_64 gen(7);
    std::vector<std::uint8_t> key(c.size);
    std::vector<std::uint64_t> payload(c.size);
    for (std::size_t i = 0; i < c.size; ++i) {
      key[i] = c.removed(i, gen) ? 0 : static_cast<std::uint8_t>(1 + gen() % 200);
      payload[i] = gen();
    }
    std::vector<std::uint8_t> key_kept;
    std::vector<std::uint64_t> payload_kept;
    for (std::size_t i = 0; i < c.size; ++i)
      if (key[i] != 0) {
        key_kept.push_back(key[i]);
        payload_kept.push_back(payload[i]);
      }
    for (const int threads : {1, 2, 3}) {
      omp_set_num_threads(threads);
      for (const std::size_t blocks : {1u, 2u, 3u, 5u, 16u}) {
        SCOPED_TRACE(std::string(c.name) + ", " + std::to_string(blocks) + " blocks on " + std::to_string(threads) +
                     " threads");
        std::vector<std::uint8_t> k = key;
        std::vector<std::uint64_t> v = payload;
        const std::uint8_t* const state = k.data();
        const auto keep = [state](std::size_t i) { return state[i] != 0; };
        const OrderedCompaction compaction(c.size, blocks, keep);
        ASSERT_EQ(compaction.kept(), key_kept.size());
        compaction.apply(v.data(), keep);
        compaction.apply(k.data(), keep);
        v.resize(compaction.kept());
        k.resize(compaction.kept());
        EXPECT_EQ(v, payload_kept);
        EXPECT_EQ(k, key_kept);
        // What it may set aside: block s at most the removed in blocks 0..s, the last none
        // (the memory estimate's bound: blocks - 1 times the removed).
        EXPECT_LE(compaction.aside_positions(), (blocks - 1) * (c.size - key_kept.size()));
      }
    }
  }
  omp_set_num_threads(threads_before);
}
