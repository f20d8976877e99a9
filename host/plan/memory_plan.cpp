// Greedy memory planner (see memory_plan.h).
#include "host/plan/memory_plan.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "host/common/error.h"

namespace octet {

size_t align_up(size_t bytes, size_t alignment) {
  if (bytes > std::numeric_limits<size_t>::max() - (alignment - 1)) {
    raise(ErrorCode::kOutOfMemory, "buffer of {} bytes is too large to plan", bytes);
  }
  return (bytes + alignment - 1) & ~(alignment - 1);
}

MemoryPlan plan_memory(const std::vector<BufferLifetime>& values, size_t alignment) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
    raise(ErrorCode::kInternal, "plan_memory: alignment {} is not a power of two", alignment);
  }
  MemoryPlan plan;
  plan.offsets.assign(values.size(), 0);
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Largest first, then earliest: big buffers claim the low offsets and small ones fill the gaps.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (values[a].bytes != values[b].bytes) return values[a].bytes > values[b].bytes;
    return values[a].first_step < values[b].first_step;
  });

  struct Placed {
    size_t offset, end;
    int first, last;
  };
  std::vector<Placed> placed;
  placed.reserve(values.size());
  std::vector<std::pair<size_t, size_t>> busy;  // [offset, end) of placed values alive at the same time
  for (size_t i : order) {
    const BufferLifetime& v = values[i];
    const size_t size = align_up(std::max<size_t>(v.bytes, 1), alignment);
    plan.sum_bytes = plan.sum_bytes > std::numeric_limits<size_t>::max() - size
                         ? std::numeric_limits<size_t>::max()
                         : plan.sum_bytes + size;
    busy.clear();
    for (const Placed& p : placed) {
      if (p.first <= v.last_step && v.first_step <= p.last) busy.emplace_back(p.offset, p.end);
    }
    std::sort(busy.begin(), busy.end());
    // Best fit: the smallest gap between busy ranges that holds `size`, else the end.
    size_t best = std::numeric_limits<size_t>::max(), best_gap = std::numeric_limits<size_t>::max();
    size_t cursor = 0;
    for (const auto& range : busy) {
      if (range.first > cursor && range.first - cursor >= size && range.first - cursor < best_gap) {
        best = cursor;
        best_gap = range.first - cursor;
      }
      cursor = std::max(cursor, range.second);
    }
    if (best == std::numeric_limits<size_t>::max()) best = cursor;
    if (best > std::numeric_limits<size_t>::max() - size) {
      raise(ErrorCode::kOutOfMemory, "memory plan exceeds the address space");
    }
    plan.offsets[i] = best;
    placed.push_back({best, best + size, v.first_step, v.last_step});
    plan.arena_bytes = std::max(plan.arena_bytes, best + size);
  }
  return plan;
}

}  // namespace octet
