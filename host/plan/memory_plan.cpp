// Greedy memory planner (see memory_plan.h).
#include "host/plan/memory_plan.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>

#include "host/common/error.h"

namespace octet {

size_t align_up(size_t bytes, size_t alignment) {
  if (bytes > std::numeric_limits<size_t>::max() - (alignment - 1)) {
    raise(ErrorCode::kOutOfMemory, "buffer of {} bytes is too large to plan", bytes);
  }
  return (bytes + alignment - 1) & ~(alignment - 1);
}

namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();

size_t saturating_add(size_t a, size_t b) {
  return a > kNone - b ? kNone : a + b;
}

bool overlap(const BufferLifetime& a, const BufferLifetime& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

// Number of pairs of values whose lifetimes intersect, in O(n log n): all pairs minus the pairs
// where one ends before the other starts.
uint64_t overlapping_pairs(const std::vector<BufferLifetime>& values) {
  std::vector<int> starts, ends;
  for (const BufferLifetime& v : values) {
    starts.push_back(v.first_step);
    ends.push_back(v.last_step);
  }
  std::sort(starts.begin(), starts.end());
  std::sort(ends.begin(), ends.end());
  uint64_t disjoint = 0;  // pairs (a, b) with a.last < b.first
  size_t ended = 0;
  for (int s : starts) {
    while (ended < ends.size() && ends[ended] < s) ++ended;
    disjoint += ended;
  }
  const uint64_t n = values.size();
  return n * (n - 1) / 2 - disjoint;
}

// For each value, the values alive at the same time (a sweep over start steps): O(n log n + pairs).
std::vector<std::vector<size_t>> overlap_lists(const std::vector<BufferLifetime>& values) {
  std::vector<size_t> by_start(values.size());
  std::iota(by_start.begin(), by_start.end(), size_t{0});
  std::stable_sort(by_start.begin(), by_start.end(),
                   [&](size_t a, size_t b) { return values[a].first_step < values[b].first_step; });
  std::vector<std::vector<size_t>> lists(values.size());
  std::multimap<int, size_t> active;  // last step -> value
  for (size_t i : by_start) {
    while (!active.empty() && active.begin()->first < values[i].first_step) active.erase(active.begin());
    for (const auto& [last, j] : active) {
      lists[i].push_back(j);
      lists[j].push_back(i);
    }
    active.emplace(values[i].last_step, i);
  }
  return lists;
}

// Greedy by size, best fit: the largest values claim low offsets and small ones fill the gaps
// between the values alive with them. Work grows with the number of overlapping pairs.
void plan_by_size(const std::vector<BufferLifetime>& values, const std::vector<size_t>& sizes,
                  MemoryPlan& plan) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (values[a].bytes != values[b].bytes) return values[a].bytes > values[b].bytes;
    return values[a].first_step < values[b].first_step;
  });
  const std::vector<std::vector<size_t>> lists = overlap_lists(values);
  std::vector<bool> placed(values.size(), false);
  std::vector<std::pair<size_t, size_t>> busy;  // [offset, end) of placed values alive at the same time
  for (size_t i : order) {
    const size_t size = sizes[i];
    busy.clear();
    for (size_t j : lists[i])
      if (placed[j]) busy.emplace_back(plan.offsets[j], plan.offsets[j] + sizes[j]);
    std::sort(busy.begin(), busy.end());
    // Best fit: the smallest gap between busy ranges that holds `size`, else the end.
    size_t best = kNone, best_gap = kNone, cursor = 0;
    for (const auto& range : busy) {
      if (range.first > cursor && range.first - cursor >= size && range.first - cursor < best_gap) {
        best = cursor;
        best_gap = range.first - cursor;
      }
      cursor = std::max(cursor, range.second);
    }
    if (best == kNone) best = cursor;
    if (best > kNone - size) raise(ErrorCode::kOutOfMemory, "memory plan exceeds the address space");
    plan.offsets[i] = best;
    placed[i] = true;
    plan.arena_bytes = std::max(plan.arena_bytes, best + size);
  }
}

// Allocation in step order with a best-fit free list (coalescing neighbours), O(n log n) whatever
// the overlap: used when so many values are alive together that plan_by_size would be quadratic
// (e.g. a model with 100k inputs, all alive from the first step).
void plan_by_time(const std::vector<BufferLifetime>& values, const std::vector<size_t>& sizes,
                  MemoryPlan& plan) {
  std::vector<size_t> by_start(values.size());
  std::iota(by_start.begin(), by_start.end(), size_t{0});
  std::stable_sort(by_start.begin(), by_start.end(), [&](size_t a, size_t b) {
    if (values[a].first_step != values[b].first_step) return values[a].first_step < values[b].first_step;
    return sizes[a] > sizes[b];
  });
  std::map<size_t, size_t> free_by_offset;     // offset -> size
  std::multimap<size_t, size_t> free_by_size;  // size -> offset
  std::multimap<int, size_t> live;             // last step -> value
  size_t top = 0;                              // end of the arena so far
  auto erase_free = [&](size_t offset, size_t size) {
    auto range = free_by_size.equal_range(size);
    for (auto it = range.first; it != range.second; ++it)
      if (it->second == offset) {
        free_by_size.erase(it);
        break;
      }
    free_by_offset.erase(offset);
  };
  auto release = [&](size_t offset, size_t size) {
    auto next = free_by_offset.lower_bound(offset);
    if (next != free_by_offset.end() && next->first == offset + size) {
      size += next->second;
      erase_free(next->first, next->second);
    }
    auto prev = free_by_offset.lower_bound(offset);
    if (prev != free_by_offset.begin()) {
      --prev;
      if (prev->first + prev->second == offset) {
        offset = prev->first;
        size += prev->second;
        erase_free(prev->first, prev->second);
      }
    }
    if (offset + size == top) {  // the free block ends the arena: shrink it instead
      top = offset;
      return;
    }
    free_by_offset.emplace(offset, size);
    free_by_size.emplace(size, offset);
  };
  for (size_t i : by_start) {
    // Free every value whose last reader ran before this value is written.
    while (!live.empty() && live.begin()->first < values[i].first_step) {
      const size_t j = live.begin()->second;
      live.erase(live.begin());
      release(plan.offsets[j], sizes[j]);
    }
    const size_t size = sizes[i];
    auto fit = free_by_size.lower_bound(size);
    if (fit != free_by_size.end()) {
      const size_t offset = fit->second, block = fit->first;
      erase_free(offset, block);
      plan.offsets[i] = offset;
      if (block > size) {
        free_by_offset.emplace(offset + size, block - size);
        free_by_size.emplace(block - size, offset + size);
      }
    } else {
      if (top > kNone - size) raise(ErrorCode::kOutOfMemory, "memory plan exceeds the address space");
      plan.offsets[i] = top;
      top += size;
    }
    plan.arena_bytes = std::max(plan.arena_bytes, plan.offsets[i] + size);
    live.emplace(values[i].last_step, i);
  }
}

}  // namespace

MemoryPlan plan_memory(const std::vector<BufferLifetime>& values, size_t alignment, PlanOrder order) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
    raise(ErrorCode::kInternal, "plan_memory: alignment {} is not a power of two", alignment);
  }
  MemoryPlan plan;
  plan.offsets.assign(values.size(), 0);
  std::vector<size_t> sizes(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    sizes[i] = align_up(std::max<size_t>(values[i].bytes, 1), alignment);
    plan.sum_bytes = saturating_add(plan.sum_bytes, sizes[i]);
  }
  // Greedy by size packs tighter; its cost grows with the number of values alive together.
  if (order == PlanOrder::kAuto)
    order =
        overlapping_pairs(values) <= kMaxOverlapPairsForSizeOrder ? PlanOrder::kBySize : PlanOrder::kByTime;
  if (order == PlanOrder::kBySize)
    plan_by_size(values, sizes, plan);
  else
    plan_by_time(values, sizes, plan);
  return plan;
}

}  // namespace octet
