// The allocator of the agent columns: each large column starts at its own offset within a page.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

namespace skillsim {

/// The turn of the next large column allocation (ColumnAllocator): one counter for every column
/// type (a static member of the template would be one per type, and the first column of each type
/// would share an offset).
inline std::atomic<std::size_t>& column_allocation_turn() {
  static std::atomic<std::size_t> turn{0};
  return turn;
}

/// The agent columns' allocator. Large blocks come from the system at one offset within a page
/// (each is mapped on its own, just past a page boundary), so without it the same agent's entries in
/// two one-byte columns would be a whole number of 4096 bytes apart. A core takes a load and an earlier
/// store whose addresses agree in their low 12 bits for a possible overlap (4K aliasing) and makes
/// the load wait: in the rules pass, which stores to one column of an agent and then reads its
/// others, that cost 15-25% of the pass (bench/README.md, "The months at a level in one byte, the
/// columns staggered within a page"). So each large column starts at its own multiple of 64 bytes
/// (a cache line) past a page boundary of a page-aligned block (the offset is the one chosen
/// wherever malloc puts the block), taken in turn from one counter: 63 columns allocated one after
/// another have 63 distinct offsets. Nothing computed depends on an address.
template <class T>
struct ColumnAllocator {
  using value_type = T;

  /// Blocks below this are left as they come (small populations; the staggering is for streams).
  static constexpr std::size_t kStaggerFrom = std::size_t{1} << 16;
  /// Offsets: 64 x (1..kOffsets), all within a page; consecutive columns 64 x 5 bytes apart.
  static constexpr std::size_t kLine = 64, kOffsets = 63, kPage = 4096;

  ColumnAllocator() = default;
  template <class U>
  ColumnAllocator(const ColumnAllocator<U>&) noexcept {} // NOLINT: rebinding, as std::allocator

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kStaggerFrom) return static_cast<T*>(::operator new (bytes, std::align_val_t{kLine}));
    const std::size_t turn = column_allocation_turn().fetch_add(1, std::memory_order_relaxed);
    const std::size_t offset = kLine * (1 + (turn * 5) % kOffsets);
    auto* block = static_cast<std::byte*>(::operator new (bytes + kPage, std::align_val_t{kPage}));
    std::byte* start = block + offset;
    reinterpret_cast<std::byte**>(start)[-1] = block; // (offset >= 64: room for the block's address)
    return reinterpret_cast<T*>(start);
  }

  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kStaggerFrom) {
      ::operator delete (p, std::align_val_t{kLine});
      return;
    }
    ::operator delete (reinterpret_cast<std::byte**>(p)[-1], std::align_val_t{kPage});
  }

  friend bool operator==(const ColumnAllocator&, const ColumnAllocator&) { return true; }
};

} // namespace skillsim
