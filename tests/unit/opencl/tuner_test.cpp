// The int8 tuner and its file (runtime/opencl/tuner.h, tuning_store.h) on whatever OpenCL device is
// present (PoCL here, with the tiled core or the GEMV forced as on GPUs): end to end on a small GEMM
// and a small-M GEMV, the
// stored winner used by the next compile, and every way the file can be wrong (corrupt,
// truncated, another driver, another kernel source, garbage, stale parameters) falling back to
// the defaults without failing the compile.
#include "runtime/opencl/tuner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "host/reference/evaluate.h"
#include "runtime/opencl/ops/quantized.h"
#include "runtime/opencl/ops/quantized_gemv.h"
#include "runtime/opencl/tuning_store.h"
#include "tests/unit/opencl/ocl_test_util.h"
#include "tests/unit/opencl/quantized_cases.h"

namespace octet {
namespace {
using namespace qtest;  // NOLINT

using test::ScopedEnv;

std::string fresh_dir(const std::string& name) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("octet_tuner_" + name + "_" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::shared_ptr<OpenClBackend> backend_in(const std::string& dir, bool profiling = false) {
  BackendOptions o;
  o.cache_dir = dir;
  o.profiling = profiling;
  try {
    return OpenClBackend::create("GPU", o);
  } catch (const Error&) {
    return nullptr;
  }
}

std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}
void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// A second node of the case's shape in its graph (the tuner tunes a shape once).
void add_twin(QCase& c) {
  Node* twin = c.graph->add(OpKind::kQuantizedMatMul, "qmm_twin");
  twin->payload = c.node->payload;
  twin->inputs = c.node->inputs;
  twin->outputs = c.node->outputs;
}

TEST(OpenClTuner, FileFormatVerifiesEachLine) {
  TuningEntry a, b;
  a.key = {"dev", "drv 1", "0123", "gemm M1 N2 K3"};
  b.key = {"dev", "drv 1", "0123", "gemm M4 N5 K6"};
  const int pa[6] = {16, 16, 16, 1, 1, 1}, pb[6] = {32, 64, 32, 2, 4, 2};
  std::copy(pa, pa + 6, a.params);
  std::copy(pb, pb + 6, b.params);
  a.time_us = 12.5;
  const std::string text = format_tuning_file({a, b});
  int rejected = -1;
  std::vector<TuningEntry> back = parse_tuning_file(text, &rejected);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(rejected, 0);
  EXPECT_TRUE(back[1].key == b.key);
  EXPECT_EQ(back[1].params[4], 4);
  EXPECT_DOUBLE_EQ(back[0].time_us, 12.5);
  // One altered byte in the second line drops that line only.
  std::string altered = text;
  altered[altered.rfind("32,64")] = '6';
  back = parse_tuning_file(altered, &rejected);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(rejected, 1);
  EXPECT_TRUE(back[0].key == a.key);
  // Cut in the middle of the last line: that line is lost, the first survives.
  back = parse_tuning_file(text.substr(0, text.size() - 7), &rejected);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(rejected, 1);
  // No magic line: nothing.
  EXPECT_TRUE(parse_tuning_file("garbage\n" + text.substr(text.find('\n') + 1), &rejected).empty());
  EXPECT_EQ(rejected, 1);
}

// A stored entry for `node` on the backend's device (driver and source hash overridable).
TuningEntry entry_for(const OpenClBackend& b, const Node& node, const int (&p)[6], std::string driver = "",
                      std::string hash = "") {
  TuningEntry e;
  e.key = {b.device().name, driver.empty() ? b.device().driver_version : driver,
           hash.empty() ? tiled_source_hash() : hash, tiled_shape_key(node)};
  std::copy(p, p + 6, e.params);
  e.time_us = 1;
  return e;
}

TEST(OpenClTuner, StoredParametersAreUsedAndBadEntriesFallBack) {
  const ScopedEnv qtile("OCTET_QTILE", nullptr);
  const ScopedEnv qimpl("OCTET_QIMPL", "tiled");
  const std::string dir = fresh_dir("fallback");
  auto backend = backend_in(dir);
  if (!backend) GTEST_SKIP() << "no OpenCL device";
  Spec s;
  s.bias = true;
  QCase c = matmul_case(s, {9, 96}, 20, 11);
  const TileParams def = resolve_tile_params(*c.node, *backend);
  const int tuned[6] = {16, 8, 32, 2, 1, 1};
  ASSERT_FALSE(def.mwg == 16 && def.nwg == 8 && def.kwg == 32) << "pick a set other than the default";
  const std::string file = tuning_file(dir);
  auto expect_default = [&](const std::string& what) {
    const TileParams p = resolve_tile_params(*c.node, *backend);
    EXPECT_EQ(p.describe(), def.describe()) << what;
    const std::string name = backend->compile(*c.node)->impl_name();
    EXPECT_EQ(name.find(" tuned"), std::string::npos) << what << ": " << name;
    expect_bit_exact(*backend, c);
  };
  expect_default("no file");

  tuning_store(dir, {entry_for(*backend, *c.node, tuned)});
  const std::string good = read_text(file);
  const TileParams p = resolve_tile_params(*c.node, *backend);
  EXPECT_EQ(p.describe(), (TileParams{16, 8, 32, 2, 1, 1}).describe());
  const std::string name = backend->compile(*c.node)->impl_name();
  EXPECT_NE(name.find("m16n8k32 r2x1 tuned"), std::string::npos) << name;
  expect_bit_exact(*backend, c);

  std::string corrupt = good;
  corrupt[corrupt.rfind("16,8,32")] = '3';  // "36,8,32": the line's checksum no longer matches
  write_text(file, corrupt);
  expect_default("corrupt line");
  write_text(file, good.substr(0, good.size() - 10));
  expect_default("truncated file");
  write_text(file, std::string("\x7f"
                               "ELF\x01\x02 not a tuning file\n",
                               25));
  expect_default("garbage");
  std::filesystem::remove(file);
  tuning_store(dir, {entry_for(*backend, *c.node, tuned, "another driver 9.9")});
  expect_default("other driver");
  std::filesystem::remove(file);
  tuning_store(dir, {entry_for(*backend, *c.node, tuned, "", "00000000deadbeef")});
  expect_default("other kernel source");
  std::filesystem::remove(file);
  const int illegal[6] = {16, 18, 32, 1, 1, 1};  // NWG 18: not a multiple of 4
  tuning_store(dir, {entry_for(*backend, *c.node, illegal)});
  expect_default("stale parameters");
  std::filesystem::remove_all(file);
  std::filesystem::create_directories(file);  // a directory where the file should be
  expect_default("directory in the way");
  std::filesystem::remove_all(dir);
}

TEST(OpenClTuner, TunesEndToEndAndTheNextCompileUsesTheWinner) {
  const ScopedEnv qtile("OCTET_QTILE", nullptr);
  const ScopedEnv qimpl("OCTET_QIMPL", "tiled");  // CPU devices prefer the lanes kernels
  const std::string dir = fresh_dir("e2e");
  auto backend = backend_in(dir, /*profiling=*/true);
  if (!backend) GTEST_SKIP() << "no OpenCL device";
  Spec s;
  s.bias = true;
  s.asym = true;
  s.post = std::vector<PostOp>{activation(PostOpCode::kRelu), residual()};
  QCase a = matmul_case(s, {24, 80}, 36, 21);
  // Two nodes of one shape and a depthwise convolution the core declines.
  add_twin(a);
  QCase dw = conv_case(Spec{}, {{1, 6, 6, 8}, 8, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}}, 22);
  TuneOptions o;
  o.budget_s = 20;
  o.max_candidates = 3;
  const TuneReport r = tune_graph(*a.graph, *backend, o);
  ASSERT_EQ(r.records.size(), 1u);
  const TuneRecord& rec = r.records[0];
  EXPECT_EQ(rec.nodes, 2u);
  EXPECT_EQ(rec.candidates, 3u);
  EXPECT_TRUE(rec.status == "tuned" || rec.status == "default kept") << rec.status;
  EXPECT_GT(rec.default_us, 0);
  EXPECT_GT(rec.best_us, 0);
  EXPECT_LE(rec.best_us, rec.default_us);
  EXPECT_EQ(r.file, tuning_file(dir));
  // The next compile takes the stored winner, and it is exact.
  const std::string name = backend->compile(*a.node)->impl_name();
  EXPECT_NE(name.find(rec.params + " tuned"), std::string::npos) << name << " vs " << rec.params;
  expect_bit_exact(*backend, a);
  // A declined node is reported with the reason, not tuned.
  const TuneReport d = tune_graph(*dw.graph, *backend, o);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_NE(d.records[0].status.find("skipped: runs"), std::string::npos) << d.records[0].status;
  EXPECT_NE(d.records[0].status.find("depthwise"), std::string::npos) << d.records[0].status;
  std::filesystem::remove_all(dir);
}

// A winner that is not bit-exact is never stored: candidates built for a twin node of the same
// shape but other weights (a fast, wrong kernel) are timed like any other and then refused by the
// exactness check, so nothing is stored for the shape; with only the default exact, the default
// is what is stored, whatever the timings.
TEST(OpenClTuner, RefusesAWinnerThatIsNotBitExact) {
  const ScopedEnv qtile("OCTET_QTILE", nullptr);
  const ScopedEnv qimpl("OCTET_QIMPL", "tiled");
  const std::string dir = fresh_dir("inexact");
  auto backend = backend_in(dir, /*profiling=*/true);
  if (!backend) GTEST_SKIP() << "no OpenCL device";
  Spec s;
  s.bias = true;
  QCase a = matmul_case(s, {24, 80}, 36, 61);
  QCase wrong = matmul_case(s, {24, 80}, 36, 62);  // same shape, other weights and scales
  ASSERT_EQ(tiled_shape_key(*a.node), tiled_shape_key(*wrong.node));
  const TileParams def = resolve_tile_params(*a.node, *backend);
  TuneOptions o;
  o.budget_s = 20;
  o.max_candidates = 3;
  o.compile = [&](const Node&, OpenClBackend& b, const TileParams& p) {
    return compile_quantized_tiled(*wrong.node, b, p);
  };
  const TuneReport r = tune_graph(*a.graph, *backend, o);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].candidates, 3u);
  EXPECT_EQ(r.records[0].status.rfind("no exact winner: ", 0), 0u) << r.records[0].status;
  EXPECT_NE(r.records[0].status.find("but the integer reference gives"), std::string::npos)
      << r.records[0].status;
  EXPECT_EQ(r.records[0].params, "");
  EXPECT_EQ(r.file, "");
  EXPECT_FALSE(std::filesystem::exists(tuning_file(dir)));
  const DeviceInfo& d = backend->device();
  EXPECT_FALSE(tuning_lookup(dir, {d.name, d.driver_version, tiled_source_hash(), tiled_shape_key(*a.node)}));
  EXPECT_EQ(backend->compile(*a.node)->impl_name().find(" tuned"), std::string::npos);

  // Only the default exact: it is stored (never a faster wrong set).
  o.compile = [&](const Node& n, OpenClBackend& b, const TileParams& p) {
    return p.describe() == def.describe() ? compile_quantized_tiled(n, b, p)
                                          : compile_quantized_tiled(*wrong.node, b, p);
  };
  const TuneReport k = tune_graph(*a.graph, *backend, o);
  ASSERT_EQ(k.records.size(), 1u);
  EXPECT_EQ(k.records[0].params, def.describe()) << k.records[0].status;
  EXPECT_EQ(k.records[0].status.rfind("default kept", 0), 0u) << k.records[0].status;
  const auto stored =
      tuning_lookup(dir, {d.name, d.driver_version, tiled_source_hash(), tiled_shape_key(*a.node)});
  ASSERT_TRUE(stored);
  EXPECT_EQ((TileParams{stored->params[0], stored->params[1], stored->params[2], stored->params[3],
                        stored->params[4], stored->params[5]})
                .describe(),
            def.describe());
  std::filesystem::remove_all(dir);
}

// The GEMV family (at most 16 rows) through the same tuner: a 3-row int4 matmul with groups of 32
// (and a twin of its shape), the winner stored under the GEMV's shape key and kernel source, the
// next compile using it, bit-exact; a stale GEMV entry (illegal geometry) falls back to the default.
TEST(OpenClTuner, TunesTheGemvAndTheNextCompileUsesTheWinner) {
  const ScopedEnv qgemv("OCTET_QGEMV", nullptr);
  const ScopedEnv qimpl("OCTET_QIMPL", "gemv_rows");  // CPU devices prefer the register GEMM
  const std::string dir = fresh_dir("gemv");
  auto backend = backend_in(dir, /*profiling=*/true);
  if (!backend) GTEST_SKIP() << "no OpenCL device";
  Spec s;
  s.bias = true;
  s.group = 32;
  s.wtype = ElementType::kI4;
  QCase a = matmul_case(s, {3, 256}, 40, 71);
  add_twin(a);
  const std::vector<GemvParams> list = gemv_candidates(*a.node, *backend);
  ASSERT_GT(list.size(), 4u);
  EXPECT_EQ(list.front().describe(), resolve_gemv_params(*a.node, *backend).describe());
  for (const GemvParams& p : list) {
    EXPECT_EQ(p.mr, 4) << p.describe();  // the smallest row count that holds 3 rows
    EXPECT_EQ(gemv_rows_params_limit(*a.node, backend->device(), p), "") << p.describe();
  }
  TuneOptions o;
  o.budget_s = 20;
  o.max_candidates = 3;
  const TuneReport r = tune_graph(*a.graph, *backend, o);
  ASSERT_EQ(r.records.size(), 1u);
  const TuneRecord& rec = r.records[0];
  EXPECT_EQ(rec.nodes, 2u);
  EXPECT_EQ(rec.shape, gemv_shape_key(*a.node));
  EXPECT_EQ(rec.shape.rfind("gemv qmatmul M3 N40 K256 G8 GS32", 0), 0u) << rec.shape;
  EXPECT_EQ(rec.candidates, 3u);
  EXPECT_TRUE(rec.status == "tuned" || rec.status == "default kept") << rec.status;
  EXPECT_GT(rec.best_us, 0);
  EXPECT_LE(rec.best_us, rec.default_us);
  const DeviceInfo& d = backend->device();
  const auto stored = tuning_lookup(dir, {d.name, d.driver_version, gemv_source_hash(), rec.shape});
  ASSERT_TRUE(stored);
  EXPECT_EQ(
      (GemvParams{stored->params[0], stored->params[1], stored->params[2], stored->params[3]}).describe(),
      rec.params);
  const std::string name = backend->compile(*a.node)->impl_name();
  EXPECT_NE(name.find("gemv_rows"), std::string::npos) << name;
  EXPECT_NE(name.find(rec.params + " tuned"), std::string::npos) << name << " vs " << rec.params;
  expect_bit_exact(*backend, a);

  // A stale entry (WG 48 / NPW 4 = 12 lanes per channel: not a power of two) is not used.
  std::filesystem::remove(tuning_file(dir));
  TuningEntry stale;
  stale.key = {d.name, d.driver_version, gemv_source_hash(), rec.shape};
  const int illegal[6] = {48, 4, 1, 4, 1, 1};
  std::copy(illegal, illegal + 6, stale.params);
  tuning_store(dir, {stale});
  const std::string fallback = backend->compile(*a.node)->impl_name();
  EXPECT_EQ(fallback.find(" tuned"), std::string::npos) << fallback;
  EXPECT_NE(fallback.find(list.front().describe()), std::string::npos) << fallback;
  expect_bit_exact(*backend, a);
  std::filesystem::remove_all(dir);
}

// Weight-only layers (float activations) are checked against the float bound, not bit for bit:
// the GEMV's exact-enough winner is stored, and a kernel built for a twin of other weights (a
// wrong result of the same shape) is refused with the bound it broke.
TEST(OpenClTuner, GemvOfFloatActivationsIsCheckedAgainstTheFloatBound) {
  const ScopedEnv qgemv("OCTET_QGEMV", nullptr);
  const ScopedEnv qimpl("OCTET_QIMPL", "gemv_rows");
  const std::string dir = fresh_dir("gemv_float");
  auto backend = backend_in(dir, /*profiling=*/true);
  if (!backend) GTEST_SKIP() << "no OpenCL device";
  Spec s;
  s.int_act = false;
  s.group = 64;
  s.wtype = ElementType::kU4;
  s.asym = true;
  QCase a = matmul_case(s, {2, 320}, 24, 81);
  QCase wrong = matmul_case(s, {2, 320}, 24, 82);
  ASSERT_EQ(gemv_shape_key(*a.node), gemv_shape_key(*wrong.node));
  TuneOptions o;
  o.budget_s = 20;
  o.max_candidates = 3;
  const TuneReport r = tune_graph(*a.graph, *backend, o);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_TRUE(r.records[0].status == "tuned" || r.records[0].status == "default kept") << r.records[0].status;
  EXPECT_NE(r.records[0].shape.find(" af32"), std::string::npos) << r.records[0].shape;
  expect_close(*backend, a, 1e-5, 1e-4 * 320.0 / 256);

  std::filesystem::remove(tuning_file(dir));
  o.compile_gemv = [&](const Node&, OpenClBackend& b, const GemvParams& p) {
    return compile_gemv_rows(*wrong.node, b, p);
  };
  const TuneReport w = tune_graph(*a.graph, *backend, o);
  ASSERT_EQ(w.records.size(), 1u);
  EXPECT_EQ(w.records[0].status.rfind("no exact winner: ", 0), 0u) << w.records[0].status;
  EXPECT_NE(w.records[0].status.find("(float bound"), std::string::npos) << w.records[0].status;
  EXPECT_FALSE(std::filesystem::exists(tuning_file(dir)));
  std::filesystem::remove_all(dir);
}

// The float GEMV (MatMul with a constant B, at most 16 rows) through the same tuner: its own shape
// key, the winner used by the next compile and within the float bound of the reference.
TEST(OpenClTuner, TunesTheFloatGemv) {
  const ScopedEnv qgemv("OCTET_QGEMV", nullptr);
  const ScopedEnv force("OCTET_FGEMV", "1");  // CPU devices keep the GEMM by default
  const std::string dir = fresh_dir("fgemv");
  auto backend = backend_in(dir, /*profiling=*/true);
  if (!backend) GTEST_SKIP() << "no OpenCL device";
  Graph g;
  Node* a = g.add(OpKind::kParameter, "a");
  a->outputs = {{ElementType::kF32, {3, 300}, {"a"}, false, {}}};
  g.parameters = {a};
  Node* b = g.add_constant("b", test::random_tensor({20, 300}, 91));
  Node* mm = g.add(OpKind::kMatMul, "mm");
  mm->attrs.set("transpose_a", "false");
  mm->attrs.set("transpose_b", "true");
  mm->inputs = {{a, 0}, {b, 0}};
  infer_node(*mm);
  TuneOptions o;
  o.budget_s = 20;
  o.max_candidates = 3;
  const TuneReport r = tune_graph(g, *backend, o);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].shape, "gemv matmul_f32 M3 N20 K300 w32 tb");
  EXPECT_EQ(r.records[0].candidates, 3u);
  EXPECT_TRUE(r.records[0].status == "tuned" || r.records[0].status == "default kept") << r.records[0].status;
  const std::string name = backend->compile(*mm)->impl_name();
  EXPECT_NE(name.find(r.records[0].params + " tuned"), std::string::npos) << name;
  const Tensor x = test::random_tensor({3, 300}, 92);
  const Tensor got = test::run_on_device(*backend, *mm, {x, *b->constant}).at(0);
  const Tensor ref = evaluate_reference(*mm, {&x, b->constant.get()}).at(0);
  double largest = 0;
  for (int64_t i = 0; i < ref.element_count(); ++i)
    largest = std::max(largest, std::fabs(double(ref.data_as<float>()[i])));
  for (int64_t i = 0; i < ref.element_count(); ++i)
    EXPECT_NEAR(got.data_as<float>()[i], ref.data_as<float>()[i], 1e-5 * largest) << i;
  std::filesystem::remove_all(dir);
}

// A float GEMV candidate outside the float bound (a kernel built for a twin MatMul of other
// weights: the same shape key, another result) is refused with the bound it broke, and nothing is
// stored for the shape.
TEST(OpenClTuner, RefusesAFloatGemvWinnerOutsideTheFloatBound) {
  const ScopedEnv qgemv("OCTET_QGEMV", nullptr);
  const ScopedEnv force("OCTET_FGEMV", "1");
  const std::string dir = fresh_dir("fgemv_wrong");
  auto backend = backend_in(dir, /*profiling=*/true);
  if (!backend) GTEST_SKIP() << "no OpenCL device";
  Graph g;
  Node* a = g.add(OpKind::kParameter, "a");
  a->outputs = {{ElementType::kF32, {3, 300}, {"a"}, false, {}}};
  g.parameters = {a};
  auto matmul = [&](const char* name, uint32_t seed) {
    Node* b = g.add_constant(std::string(name) + "_b", test::random_tensor({20, 300}, seed));
    Node* mm = g.add(OpKind::kMatMul, name);
    mm->attrs.set("transpose_a", "false");
    mm->attrs.set("transpose_b", "true");
    mm->inputs = {{a, 0}, {b, 0}};
    infer_node(*mm);
    return mm;
  };
  Node* mm = matmul("mm", 91);
  Graph twin_graph;
  Node* ta = twin_graph.add(OpKind::kParameter, "a");
  ta->outputs = a->outputs;
  Node* tb = twin_graph.add_constant("twin_b", test::random_tensor({20, 300}, 93));
  Node* twin = twin_graph.add(OpKind::kMatMul, "twin");
  twin->attrs = mm->attrs;
  twin->inputs = {{ta, 0}, {tb, 0}};
  infer_node(*twin);
  ASSERT_EQ(float_gemv_shape_key(*mm), float_gemv_shape_key(*twin));
  TuneOptions o;
  o.budget_s = 20;
  o.max_candidates = 3;
  o.compile_float_gemv = [&](const Node&, OpenClBackend& b, const GemvParams& p) {
    return compile_float_gemv(*twin, b, p);
  };
  const TuneReport r = tune_graph(g, *backend, o);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].candidates, 3u);
  EXPECT_EQ(r.records[0].status.rfind("no exact winner: ", 0), 0u) << r.records[0].status;
  EXPECT_NE(r.records[0].status.find("(float bound"), std::string::npos) << r.records[0].status;
  EXPECT_EQ(r.records[0].params, "");
  EXPECT_FALSE(std::filesystem::exists(tuning_file(dir)));
  EXPECT_EQ(backend->compile(*mm)->impl_name().find(" tuned"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(OpenClTuner, CandidatesAreLegalWithTheDefaultFirst) {
  const ScopedEnv qtile("OCTET_QTILE", nullptr);
  auto backend = backend_in("");
  if (!backend) GTEST_SKIP() << "no OpenCL device";
  Spec s;
  s.group = 32;
  s.wtype = ElementType::kI4;
  QCase c = matmul_case(s, {40, 256}, 48, 31);
  std::string note;
  const std::vector<TileParams> list = tiled_candidates(*c.node, *backend, &note);
  ASSERT_GT(list.size(), 10u) << note;
  EXPECT_EQ(list.front().describe(), resolve_tile_params(*c.node, *backend).describe());
  const DeviceInfo& d = backend->device();
  for (const TileParams& p : list) {
    EXPECT_EQ(32 % p.kwg, 0) << p.describe();  // a K slice never straddles two weight groups
    EXPECT_EQ(p.split, 1) << p.describe();     // split-K needs one weight group
    EXPECT_LE(static_cast<size_t>((p.mwg / p.mwi) * (p.nwg / p.nwi)), d.max_work_group) << p.describe();
    EXPECT_LE(static_cast<size_t>(p.kwg / 4 * p.mwg + p.kwg / 8 * p.nwg) * 4, d.local_memory) << p.describe();
  }
  // No tuning directory: the tuner refuses before any work.
  BackendOptions o;
  o.profiling = true;
  const ScopedEnv cache("OCTET_CACHE_DIR", nullptr);
  auto plain = OpenClBackend::create("GPU", o);
  try {
    tune_graph(*c.graph, *plain, TuneOptions{});
    ADD_FAILURE() << "tuned without a directory";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("cache_dir"), std::string::npos) << e.what();
  }
}

// Every parameter set the tuner may choose, bit-exact on small shapes (a GEMM with split-K, 4-bit
// grouped weights, a padded strided convolution). Hundreds of program builds: run by
// tools/oclgrind_check.sh (OCTET_TEST_ALL_TILE_SETS=1) under Oclgrind, skipped in plain ctest.
TEST(OpenClTuner, EveryParameterSetOnSmallShapes) {
  if (std::getenv("OCTET_TEST_ALL_TILE_SETS") == nullptr)
    GTEST_SKIP() << "set OCTET_TEST_ALL_TILE_SETS=1 (tools/oclgrind_check.sh does)";
  const ScopedEnv qtile("OCTET_QTILE", nullptr);
  // run_on_device reads outputs back through their arena: it has separate allocations already.
  const ScopedEnv separate("OCTET_SEPARATE_BUFFERS", nullptr);
  auto backend = backend_in("");
  if (!backend) GTEST_SKIP() << "no OpenCL device";
  Spec gemm;
  gemm.bias = true;
  gemm.asym = true;
  gemm.post = std::vector<PostOp>{residual()};
  Spec grouped;
  grouped.wtype = ElementType::kU4;
  grouped.group = 16;
  Spec conv;
  conv.out_fq = true;
  std::vector<QCase> cases;
  cases.push_back(matmul_case(gemm, {5, 72}, 12, 41));
  cases.push_back(matmul_case(grouped, {3, 32}, 9, 42));
  cases.push_back(conv_case(conv, {{1, 5, 6, 8}, 1, 6, {3, 3}, {2, 1}, {1, 1}, {1, 1}, {1, 0}}, 43));
  size_t sets = 0;
  for (QCase& c : cases) {
    const std::vector<TileParams> list = tiled_candidates(*c.node, *backend);
    ASSERT_FALSE(list.empty()) << c.what;
    for (const TileParams& p : list) {
      std::unique_ptr<Kernel> k = compile_quantized_tiled(*c.node, *backend, p);
      ASSERT_NE(k->impl_name().find(p.describe()), std::string::npos) << k->impl_name();
      const std::string params = fmt::format("{},{},{},{},{},{}", p.mwg, p.nwg, p.kwg, p.mwi, p.nwi, p.split);
      const ScopedEnv impl("OCTET_QIMPL", "tiled");
      const ScopedEnv tile("OCTET_QTILE", params.c_str());
      QCase& one = c;
      const std::string what = one.what;
      one.what += " [" + p.describe() + "]";
      expect_bit_exact(*backend, one);
      one.what = what;
      ++sets;
    }
  }
  std::printf("[tile sets] %zu parameter sets bit-exact\n", sets);
}

}  // namespace
}  // namespace octet
