// HugePageAllocator: a std::allocator for the kernel's big arrays (the event
// calendars, the slot table) that asks Linux for transparent huge pages once
// a block reaches 2 MiB.
//
// With a million events pending, the calendar and the slot table span tens
// of megabytes touched at scattered places; with 4 KiB pages nearly every
// such access also misses the TLB, which costs a page walk (two-dimensional
// under virtualisation). 2 MiB pages cut the page count 512-fold. Small
// blocks use ordinary pages, so a small Simulation stays small. Elsewhere
// than Linux, or where THP is off, the advice is a no-op.
//
//   std::vector<Slot, internal::HugePageAllocator<Slot>> slots;
#pragma once

#include <algorithm>
#include <cstddef>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace orgsim::kernel::internal {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// The alignment a block of `bytes` gets: 2 MiB for huge blocks.
constexpr std::size_t BlockAlignment(std::size_t bytes, std::size_t alignment) {
  return bytes >= kHugePageBytes
             ? kHugePageBytes
             : std::max(alignment, std::size_t{__STDCPP_DEFAULT_NEW_ALIGNMENT__});
}

inline void* AllocateBlock(std::size_t bytes, std::size_t alignment) {
  const std::size_t align = BlockAlignment(bytes, alignment);
  if (align != kHugePageBytes) return ::operator new (bytes, std::align_val_t{align});
  const std::size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  void* block = ::operator new (rounded, std::align_val_t{align});
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  madvise(block, rounded, MADV_HUGEPAGE);  // advice only: failure is harmless
#endif
  return block;
}

inline void FreeBlock(void* block, std::size_t bytes, std::size_t alignment) {
  ::operator delete (block, std::align_val_t{BlockAlignment(bytes, alignment)});
}

template <typename T, std::size_t Alignment = alignof(T)>
struct HugePageAllocator {
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = HugePageAllocator<U, Alignment>;
  };
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U, Alignment>&) {}  // NOLINT
  T* allocate(std::size_t n) { return static_cast<T*>(AllocateBlock(n * sizeof(T), Alignment)); }
  void deallocate(T* p, std::size_t n) { FreeBlock(p, n * sizeof(T), Alignment); }
  template <typename U>
  bool operator==(const HugePageAllocator<U, Alignment>&) const {
    return true;
  }
};

}  // namespace orgsim::kernel::internal
