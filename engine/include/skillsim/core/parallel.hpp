// What the monthly steps share to stay parallel and give the same bits for any thread count:
// lists found by each thread joined in agent order, and sorts that use every thread.
#pragma once

#include <parallel/algorithm>

#include <cstddef>
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

/// Sorts [begin, end) on every thread of the OpenMP team, in place (no second copy of the list,
/// which the memory estimate does not count). The keys must be distinct: the sorted order is then
/// the one order there is, whatever the thread count and however the threads split the work.
template <class Iterator>
void sort_on_all_threads(Iterator begin, Iterator end) {
  __gnu_parallel::sort(begin, end, __gnu_parallel::balanced_quicksort_tag());
}

} // namespace skillsim
