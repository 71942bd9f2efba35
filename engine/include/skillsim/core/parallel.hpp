// What the monthly steps share to stay parallel and give the same bits for any thread count:
// lists found by each thread joined in agent order, and the grouping of a month's candidates
// into cells with the lowest priorities of each first.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace skillsim {

/// Each thread's list, found over a contiguous, ascending block of agents (`omp for
/// schedule(static)`), joined in thread order: agent order for any thread count, with no sort
/// and no serial pass. Reserved at its exact size first: at 1:1 a list holds millions of agents,
/// and growing it by doubling would hold up to twice that.
template <class T>
std::vector<T> join_in_thread_order(const std::vector<std::vector<T>>& by_thread) {
  std::size_t size = 0;
  for (const std::vector<T>& list : by_thread) size += list.size();
  std::vector<T> joined;
  joined.reserve(size);
  for (const std::vector<T>& list : by_thread) joined.insert(joined.end(), list.begin(), list.end());
  return joined;
}

/// A group's [begin, end) in a list grouped by group_by_key.
using GroupRange = std::pair<std::size_t, std::size_t>;

/// Groups `items` in place by key_of(item), an integer below key_limit, the groups in ascending
/// key order (as a sort by the key would place them), and returns their ranges. The order within
/// a group is not kept (sort_lowest_first then orders the part a step uses). Linear in the items
/// where the keys are dense enough for a table of key_limit counts (a month's cells: a few
/// thousand keys), with no second copy of the list (the memory estimate counts one); else a sort.
/// The table, at most 4 MiB or 16 bytes an item, is not in the memory estimate.
template <class T, class KeyOf>
std::vector<GroupRange> group_by_key(std::vector<T>& items, std::size_t key_limit, KeyOf key_of) {
  constexpr std::size_t kDenseKeys = std::size_t{1} << 20; // 4 MiB of counts, or 4 for each item
  std::vector<GroupRange> groups;
  if (key_limit > std::max(kDenseKeys, 4 * items.size())) {
    std::sort(items.begin(), items.end(), [&](const T& a, const T& b) { return key_of(a) < key_of(b); });
    for (std::size_t b = 0; b < items.size();) {
      std::size_t e = b + 1;
      while (e < items.size() && key_of(items[e]) == key_of(items[b])) ++e;
      groups.emplace_back(b, e);
      b = e;
    }
    return groups;
  }
  // Counts by key, then each key present numbered in ascending order (the table reused).
  std::vector<std::uint32_t> slot(key_limit, 0);
  for (const T& item : items) ++slot[static_cast<std::size_t>(key_of(item))];
  std::size_t at = 0;
  for (std::size_t key = 0; key < key_limit; ++key) {
    if (slot[key] == 0) continue;
    groups.emplace_back(at, at + slot[key]);
    at += slot[key];
    slot[key] = static_cast<std::uint32_t>(groups.size() - 1);
  }
  // Each swap puts one item in its group for good (American flag sort, one digit).
  std::vector<std::size_t> next(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) next[g] = groups[g].first;
  for (std::size_t g = 0; g < groups.size(); ++g)
    while (next[g] < groups[g].second) {
      const std::size_t to = slot[static_cast<std::size_t>(key_of(items[next[g]]))];
      if (to == g)
        ++next[g];
      else
        std::swap(items[next[g]], items[next[to]++]);
    }
  return groups;
}

/// Groups by key, on all threads, items found in `blocks` blocks (each thread's list, or equal
/// parts of one list), and writes them to `out`: the groups in ascending key order, and within a
/// group the items in block order, then their order in the block. `count_of(b)` is the number of
/// entries of block b; `item_of(b, j)` gives entry j's item, or std::nullopt for an entry left
/// out; `key_of(item)` is its key, below key_limit. Returns the groups' ranges in `out`. Each
/// block counts its keys and places its items on one thread (two passes over the entries), so
/// nothing waits for one thread but a pass over the keys; where keys are sparse (a table per
/// block of more than 2^20 counts and more than 4 per item), the items are gathered in order and
/// group_by_key sorts them. The tables, at most 4 MiB or 16 bytes an item, are not in the
/// memory estimate.
template <class T, class CountOf, class ItemOf, class KeyOf>
std::vector<GroupRange> group_blocks_by_key(std::size_t blocks, std::size_t key_limit, CountOf count_of, ItemOf item_of,
                                            KeyOf key_of, std::vector<T>& out) {
  const auto block_count = static_cast<std::int64_t>(blocks);
  // f(item) for every item of block b, in its order (the entries left out skipped).
  const auto for_each_item = [&](std::size_t b, auto&& f) {
    for (std::size_t j = 0, block_entries = static_cast<std::size_t>(count_of(b)); j < block_entries; ++j)
      if (auto item = item_of(b, j)) f(*item);
  };
  std::size_t entries = 0;
  for (std::size_t b = 0; b < blocks; ++b) entries += static_cast<std::size_t>(count_of(b));
  constexpr std::size_t kDenseKeys = std::size_t{1} << 20;
  // (Sparse, or more entries than the 32-bit counts hold: in order, then sorted.)
  if (blocks * key_limit > std::max(kDenseKeys, 4 * entries) || entries > UINT32_MAX) {
    out.clear();
    for (std::size_t b = 0; b < blocks; ++b) for_each_item(b, [&](const T& item) { out.push_back(item); });
    return group_by_key(out, key_limit, key_of);
  }
  // Each block's count of each key, then (over the keys, blocks in order) where its items go.
  std::vector<std::vector<std::uint32_t>> at(blocks, std::vector<std::uint32_t>(key_limit, 0));
#pragma omp parallel for schedule(static)
  for (std::int64_t b = 0; b < block_count; ++b) {
    std::vector<std::uint32_t>& count = at[static_cast<std::size_t>(b)];
    for_each_item(static_cast<std::size_t>(b), [&](const T& item) { ++count[static_cast<std::size_t>(key_of(item))]; });
  }
  std::vector<GroupRange> groups;
  std::uint32_t next = 0;
  for (std::size_t key = 0; key < key_limit; ++key) {
    const std::uint32_t begin = next;
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::uint32_t count = at[b][key];
      at[b][key] = next;
      next += count;
    }
    if (next > begin) groups.emplace_back(begin, next);
  }
  out.resize(next);
#pragma omp parallel for schedule(static)
  for (std::int64_t b = 0; b < block_count; ++b) {
    std::vector<std::uint32_t>& place = at[static_cast<std::size_t>(b)];
    for_each_item(static_cast<std::size_t>(b),
                  [&](const T& item) { out[place[static_cast<std::size_t>(key_of(item))]++] = item; });
  }
  return groups;
}

/// Puts the `lowest[g]` smallest items of each group g first, in ascending order (operator<, whose
/// keys must be distinct): the same items in the same order as a sort of the whole group, at the
/// cost of a selection where a step uses only the first few (the admitted, the assessed). Groups
/// on every thread; each is sorted on one, so the result does not depend on the thread count.
template <class T>
void sort_lowest_first(std::vector<T>& items, const std::vector<GroupRange>& groups,
                       const std::vector<std::int64_t>& lowest) {
  const auto count = static_cast<std::int64_t>(groups.size());
#pragma omp parallel for schedule(dynamic)
  for (std::int64_t g = 0; g < count; ++g) {
    const auto [begin, end] = groups[static_cast<std::size_t>(g)];
    const auto first = items.begin() + static_cast<std::ptrdiff_t>(begin),
               last = items.begin() + static_cast<std::ptrdiff_t>(end);
    const auto k =
        std::clamp<std::int64_t>(lowest[static_cast<std::size_t>(g)], 0, static_cast<std::int64_t>(end - begin));
    if (k == 0) continue;
    const auto middle = first + static_cast<std::ptrdiff_t>(k);
    if (middle != last) std::nth_element(first, middle, last);
    std::sort(first, middle);
  }
}

/// Removes positions from arrays of one length in place, keeping the order of the rest, on every
/// thread (Population::compact: no serial pass over all agents). The positions are split into
/// `blocks` equal blocks (one a thread); block s's kept items go to [to_s, to_s + kept_s), to_s
/// the items kept in the blocks before it, and each block moves its own on one thread. Its writes
/// never pass its reads, but the later blocks write over the end of its range (from to_{s+1} up to
/// the last kept position overall), which it may not have read yet: the kept items there are
/// copied aside first, on every thread, and put in their place in the same pass. Those are at most
/// the items removed in the blocks up to s: a small share, as compaction runs once the removed pass
/// 1/32 (memory_estimate.cpp counts them). The result is the same for any number of blocks.
class OrderedCompaction {
public:
  /// Plans the removal from positions [0, size) of those where keep(i) is false; keep only reads
  /// and is called on every thread.
  template <class Keep>
  OrderedCompaction(std::size_t size, std::size_t blocks, Keep keep)
      : blocks_(std::clamp<std::size_t>(blocks, 1, std::max<std::size_t>(size, 1))) {
    const std::size_t count = blocks_.size();
#pragma omp parallel for schedule(static)
    for (std::int64_t b = 0; b < static_cast<std::int64_t>(count); ++b) {
      Block& block = blocks_[static_cast<std::size_t>(b)];
      block.begin = size * static_cast<std::size_t>(b) / count;
      block.end = size * static_cast<std::size_t>(b + 1) / count;
      for (std::size_t i = block.begin; i < block.end; ++i) {
        const bool kept = keep(i);
        block.kept += kept ? 1 : 0;
        block.live_end = kept ? i + 1 : block.live_end;
      }
    }
    for (Block& block : blocks_) {
      block.to = kept_;
      kept_ += block.kept;
    }
    for (Block& block : blocks_) {
      block.aside_begin = std::clamp(block.to + block.kept, block.begin, block.end);
      block.aside_end = std::clamp(kept_, block.aside_begin, block.end);
      block.live_end = std::max(block.live_end, block.begin);
    }
  }

  /// The positions kept: the arrays' length after apply.
  std::size_t kept() const { return kept_; }
  /// The positions whose items apply may set aside (those kept among them are): block s's are at
  /// most the positions removed in blocks 0..s, the last block's none.
  std::size_t aside_positions() const {
    std::size_t all = 0;
    for (const Block& block : blocks_) all += block.aside_end - block.aside_begin;
    return all;
  }

  /// Removes the planned positions from data[0, size), moving the kept ones down in order; keep
  /// must answer as it did for the plan (so it reads an array compacted last, or none).
  template <class T, class Keep>
  void apply(T* data, Keep keep) const {
    const auto count = static_cast<std::int64_t>(blocks_.size());
    std::vector<std::vector<T>> aside(blocks_.size());
#pragma omp parallel
    {
#pragma omp for schedule(static)
      for (std::int64_t b = 0; b < count; ++b) {
        const Block& block = blocks_[static_cast<std::size_t>(b)];
        std::vector<T>& held = aside[static_cast<std::size_t>(b)];
        held.reserve(block.aside_end - block.aside_begin);
        for (std::size_t i = block.aside_begin; i < block.aside_end; ++i)
          if (keep(i)) held.push_back(data[i]);
      } // (every block's items copied aside before any is written over: the loop's barrier)
#pragma omp for schedule(static)
      for (std::int64_t b = 0; b < count; ++b) {
        const Block& block = blocks_[static_cast<std::size_t>(b)];
        std::size_t out = block.to; // never past i: to <= begin, and one item out at most per i
        // Every item is written and the kept ones counted (no branch to mispredict): a removed
        // one lands where the next kept one of the block goes, so the moves stop at the last.
        const auto move = [&](std::size_t from, std::size_t to) {
          for (std::size_t i = from; i < to; ++i) {
            data[out] = data[i];
            out += keep(i) ? 1 : 0;
          }
        };
        move(block.begin, std::min(block.aside_begin, block.live_end));
        for (const T& item : aside[static_cast<std::size_t>(b)]) data[out++] = item;
        move(block.aside_end, block.live_end); // (past the last kept position overall: nobody writes)
      }
    }
  }

private:
  struct Block {
    std::size_t begin = 0, end = 0, kept = 0, to = 0;
    std::size_t live_end = 0;                   // one past its last kept position (begin: none)
    std::size_t aside_begin = 0, aside_end = 0; // the part later blocks write over
  };
  std::vector<Block> blocks_;
  std::size_t kept_ = 0;
};

} // namespace skillsim
