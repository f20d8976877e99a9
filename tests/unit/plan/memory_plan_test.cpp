// Tests of the liveness-based memory planner: reuse, non-overlap of live values, alignment.
#include "host/plan/memory_plan.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "host/common/error.h"

namespace octet {
namespace {

// True when two placed values overlap both in time and in bytes.
bool conflict(const BufferLifetime& a, size_t oa, const BufferLifetime& b, size_t ob) {
  const bool time = a.first_step <= b.last_step && b.first_step <= a.last_step;
  const bool space = oa < ob + std::max<size_t>(b.bytes, 1) && ob < oa + std::max<size_t>(a.bytes, 1);
  return time && space;
}

void expect_valid(const std::vector<BufferLifetime>& values, const MemoryPlan& plan, size_t alignment) {
  ASSERT_EQ(plan.offsets.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(plan.offsets[i] % alignment, 0u) << "value " << i;
    EXPECT_LE(plan.offsets[i] + values[i].bytes, plan.arena_bytes) << "value " << i;
    for (size_t j = i + 1; j < values.size(); ++j) {
      EXPECT_FALSE(conflict(values[i], plan.offsets[i], values[j], plan.offsets[j])) << i << " vs " << j;
    }
  }
}

TEST(MemoryPlan, ChainReusesBuffers) {
  // x0 -> x1 -> ... -> x9: value i is written at step i and read at step i + 1.
  std::vector<BufferLifetime> values;
  for (int i = 0; i < 10; ++i) values.push_back({1000, i, i + 1});
  const MemoryPlan plan = plan_memory(values, 512);
  expect_valid(values, plan, 512);
  // Two 1024-byte slots (1000 rounded up) suffice for a chain.
  EXPECT_EQ(plan.arena_bytes, 2048u);
  EXPECT_EQ(plan.sum_bytes, 10240u);
  EXPECT_LT(plan.arena_bytes, plan.sum_bytes);
}

TEST(MemoryPlan, OutputsKeptToTheEndAreNeverOverwritten) {
  // Value 1 is a model output (alive to the end); later values must not land on it.
  std::vector<BufferLifetime> values = {
      {512, 0, 1}, {512, 1, 1 << 30}, {512, 2, 3}, {512, 3, 4}, {512, 4, 5}};
  const MemoryPlan plan = plan_memory(values, 512);
  expect_valid(values, plan, 512);
  for (size_t i = 2; i < values.size(); ++i) EXPECT_NE(plan.offsets[i], plan.offsets[1]);
  EXPECT_EQ(plan.arena_bytes, 3 * 512u);
}

TEST(MemoryPlan, AllAliveAtOnceNeedTheSum) {
  std::vector<BufferLifetime> values = {{100, 0, 5}, {700, 0, 5}, {1, 0, 5}, {0, 0, 5}};
  const MemoryPlan plan = plan_memory(values, 64);
  expect_valid(values, plan, 64);
  EXPECT_EQ(plan.arena_bytes, 128u + 704u + 64u + 64u);
}

TEST(MemoryPlan, RandomLifetimesNeverConflict) {
  std::mt19937 rng(7);
  for (PlanOrder order : {PlanOrder::kAuto, PlanOrder::kBySize, PlanOrder::kByTime}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<BufferLifetime> values;
      for (int i = 0; i < 60; ++i) {
        const int first = static_cast<int>(rng() % 40);
        values.push_back({rng() % 5000, first, first + static_cast<int>(rng() % 10)});
      }
      const MemoryPlan plan = plan_memory(values, 512, order);
      expect_valid(values, plan, 512);
      EXPECT_LE(plan.arena_bytes, plan.sum_bytes);
    }
  }
}

TEST(MemoryPlan, StepOrderAlsoReusesAndFreesTheArenaTop) {
  std::vector<BufferLifetime> chain;
  for (int i = 0; i < 10; ++i) chain.push_back({1000, i, i + 1});
  EXPECT_EQ(plan_memory(chain, 512, PlanOrder::kByTime).arena_bytes, 2048u);
  // A big value freed at the top of the arena, then a smaller one: it reuses the same bytes.
  const std::vector<BufferLifetime> shrink = {{4096, 0, 1}, {64, 0, 3}, {1024, 2, 3}};
  const MemoryPlan plan = plan_memory(shrink, 64, PlanOrder::kByTime);
  expect_valid(shrink, plan, 64);
  EXPECT_EQ(plan.arena_bytes, 4096u + 64u);
}

// Issue 12: planning was quadratic in the number of values (100k model inputs took 87 s, every
// new value scanning every placed one). A bound that only a quadratic planner misses (a
// generous one: this machine is shared), not a benchmark.
TEST(MemoryPlan, HundredThousandValuesPlanInSeconds) {
  const int n = 100000;
  std::vector<BufferLifetime> inputs, chain;
  for (int i = 0; i < n; ++i) {
    inputs.push_back({static_cast<size_t>(64 + (i % 7) * 64), 0, i + 1});  // all alive from step 0
    chain.push_back({static_cast<size_t>(4096 + (i % 5) * 512), i, i + 1});
  }
  for (const auto* values : {&inputs, &chain}) {
    const auto start = std::chrono::steady_clock::now();
    const MemoryPlan plan = plan_memory(*values, 64);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(s, 20.0);
    // Spot-check validity against neighbours in time (a full pairwise check is itself quadratic).
    for (int i = 1; i < n; i += 997)
      for (int j = std::max(0, i - 50); j < std::min(n, i + 50); ++j)
        if (i != j) EXPECT_FALSE(conflict((*values)[i], plan.offsets[i], (*values)[j], plan.offsets[j]));
    EXPECT_LE(plan.arena_bytes, plan.sum_bytes);
  }
}

TEST(MemoryPlan, OverflowIsOutOfMemory) {
  std::vector<BufferLifetime> values = {{SIZE_MAX - 10, 0, 1}};
  try {
    plan_memory(values, 512);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kOutOfMemory);
  }
}

TEST(MemoryPlan, AlignUp) {
  EXPECT_EQ(align_up(0, 512), 0u);
  EXPECT_EQ(align_up(1, 512), 512u);
  EXPECT_EQ(align_up(512, 512), 512u);
  EXPECT_EQ(align_up(513, 512), 1024u);
}

}  // namespace
}  // namespace octet
