// Liveness-based memory planning: packs values with disjoint lifetimes into one arena.
//
//   std::vector<BufferLifetime> values = {{bytes, first_step, last_step}, ...};
//   MemoryPlan plan = plan_memory(values, kBufferAlignment);
//   // value i lives at [plan.offsets[i], plan.offsets[i] + values[i].bytes) of a plan.arena_bytes arena
//
// Two values may share bytes only when their [first_step, last_step] ranges do not intersect, so a
// value written at step s never overwrites one that is still read at step s.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace octet {

struct BufferLifetime {
  size_t bytes = 0;
  int first_step = 0;  // step that writes it
  int last_step = 0;   // last step that reads it (inclusive)
};

constexpr uint64_t kMaxOverlapPairsForSizeOrder = uint64_t{4} << 20;

struct MemoryPlan {
  std::vector<size_t> offsets;  // one per value, multiples of the alignment
  size_t arena_bytes = 0;       // peak: size of the arena holding every value
  size_t sum_bytes = 0;         // what one buffer per value would take (for reports)
};

// Greedy best-fit by decreasing size while at most kMaxOverlapPairsForSizeOrder pairs of values are
// alive together (its cost grows with that number); beyond, best-fit allocation in step order,
// O(n log n) whatever the overlap. Throws Error(kOutOfMemory) when the sizes overflow size_t.
// `alignment` must be a power of two.
enum class PlanOrder { kAuto, kBySize, kByTime };  // kAuto chooses as described; the others for tests
MemoryPlan plan_memory(const std::vector<BufferLifetime>& values, size_t alignment,
                       PlanOrder order = PlanOrder::kAuto);

// Rounds `bytes` up to a multiple of `alignment` (a power of two); throws kOutOfMemory on overflow.
size_t align_up(size_t bytes, size_t alignment);

}  // namespace octet
