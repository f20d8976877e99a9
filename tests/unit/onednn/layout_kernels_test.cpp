// The CPU backend's fast-precision Interpolate, LRN, Split/VariadicSplit and ShuffleChannels kernels
// against the reference evaluator on random shapes (1s and primes included): bit for bit, except LRN
// (running window sums, f32 square roots for beta 0.75: within a few f32 ulps) and Interpolate's linear_onnx
// and cubic modes (merged taps: within 1e-6 of max|reference|). Also checks that these kernels, not the
// reference kernel, are chosen in fast precision, and the reference in reference precision.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "host/reference/evaluate.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

Tensor i64_tensor(const std::vector<int64_t>& v) {
  Tensor t(ElementType::kI64, {static_cast<int64_t>(v.size())});
  if (!v.empty()) std::memcpy(t.data(), v.data(), t.byte_size());  // memcpy from null is UB (UBSan)
  return t;
}

Tensor f32_tensor(const std::vector<float>& v) {
  Tensor t(ElementType::kF32, {static_cast<int64_t>(v.size())});
  if (!v.empty()) std::memcpy(t.data(), v.data(), t.byte_size());
  return t;
}

// Random values; with `specials`, a few infinities among them (NaN spreads alike on both sides).
Tensor random_tensor(ElementType type, const Dims& shape, std::mt19937& rng, bool specials = false) {
  Tensor t(type, shape);
  std::normal_distribution<float> dist(0.25f, 2.0f);
  auto* bytes = static_cast<uint8_t*>(t.data());
  if (type == ElementType::kF32) {
    float* f = t.data_as<float>();
    for (int64_t i = 0; i < t.element_count(); ++i) f[i] = dist(rng);
    if (specials && t.element_count() > 3) {
      f[rng() % t.element_count()] = INFINITY;
      f[rng() % t.element_count()] = -INFINITY;
    }
  } else {
    for (size_t i = 0; i < t.byte_size(); ++i) bytes[i] = static_cast<uint8_t>(rng());
  }
  return t;
}

struct Built {
  Graph g;
  Node* node = nullptr;
  std::vector<Tensor> constants;  // the node's constant inputs, by input index (empty Tensor for data)
};

// Runs `node` on the CPU backend in `precision` and returns its outputs and the kernel's name.
std::vector<Tensor> run_cpu(const Node& node, Precision precision, const std::vector<const Tensor*>& args,
                            std::string* impl) {
  BackendOptions options;
  options.precision = precision;
  auto cpu = make_onednn_backend(options);
  auto kernel = cpu->compile(node);
  *impl = kernel->impl_name();
  auto ctx = cpu->create_context();
  std::vector<BufferView> in;
  for (size_t i = 0; i < args.size(); ++i) {
    const bool constant = node.inputs[i].node->op == OpKind::kConstant;
    in.push_back(constant ? BufferView{}
                          : BufferView{const_cast<void*>(args[i]->data()), args[i]->byte_size()});
  }
  std::vector<Tensor> outs;
  std::vector<BufferView> out;
  for (const Value& v : node.outputs) outs.emplace_back(v.type, v.shape);
  for (Tensor& t : outs) out.push_back({t.data(), t.byte_size()});
  kernel->enqueue(*ctx, in, out);
  return outs;
}

// Compiles `node` both ways, runs both and the reference; returns the largest ulp distance between
// the fast kernel's f32 outputs and the reference's (bytes must match exactly for other types), and
// in `*rel` the largest |fast - reference| / max|reference|.
int64_t check_node(const Node& node, const std::vector<const Tensor*>& args, const std::string& fast_impl,
                   const std::string& what, double* rel = nullptr) {
  std::string impl;
  const std::vector<Tensor> fast = run_cpu(node, Precision::kFast, args, &impl);
  EXPECT_EQ(impl, fast_impl) << what;
  double max_diff = 0, max_ref = 0;
  std::string ref_impl;
  run_cpu(node, Precision::kReference, args, &ref_impl);
  EXPECT_EQ(ref_impl, "ref") << what;
  const std::vector<Tensor> ref = evaluate_reference(node, args);
  int64_t worst = 0;
  for (size_t k = 0; k < fast.size(); ++k) {
    EXPECT_EQ(fast[k].shape(), ref.at(k).shape()) << what;
    if (fast[k].byte_size() != ref[k].byte_size()) return 1 << 30;
    if (fast[k].type() != ElementType::kF32) {
      EXPECT_EQ(std::memcmp(fast[k].data(), ref[k].data(), fast[k].byte_size()), 0)
          << what << " output " << k;
      continue;
    }
    for (int64_t i = 0; i < fast[k].element_count(); ++i) {
      const double f = fast[k].data_as<float>()[i], r = ref[k].data_as<float>()[i];
      if (std::isfinite(r)) max_ref = std::max(max_ref, std::fabs(r));
      if (std::isfinite(f) && std::isfinite(r)) max_diff = std::max(max_diff, std::fabs(f - r));
      int32_t a, b;
      std::memcpy(&a, fast[k].data_as<float>() + i, 4);
      std::memcpy(&b, ref[k].data_as<float>() + i, 4);
      if (a == b) continue;
      const bool nan = std::isnan(fast[k].data_as<float>()[i]) && std::isnan(ref[k].data_as<float>()[i]);
      if (nan) continue;
      worst = std::max<int64_t>(worst, (a < 0) != (b < 0) ? int64_t{1} << 31 : std::abs(int64_t{a} - b));
    }
  }
  if (rel) *rel = max_diff / std::max(max_ref, 1e-30);
  return worst;
}

struct InterpCase {
  int version;
  Dims shape;
  const char* mode;
  const char* transform;
  const char* nearest;
  std::vector<int64_t> axes;  // empty: no axes input
  std::vector<int64_t> sizes;
  std::vector<float> scales;  // empty: sizes mode
  std::vector<int64_t> pads_begin = {}, pads_end = {};
  bool antialias = false;
  bool planes = true;  // linear_onnx/cubic: the 2-D plane loop (else the general tap loop)
};

TEST(CpuLayoutKernels, InterpolateEqualsTheReference) {
  std::mt19937 rng(13);
  const std::vector<InterpCase> cases = {
      // yolo_fpn's and unet's upsamplings
      {11,
       {1, 24, 4, 4},
       "linear_onnx",
       "pytorch_half_pixel",
       "round_prefer_floor",
       {0, 1, 2, 3},
       {1, 24, 8, 8},
       {}},
      {11, {1, 8, 16, 16}, "linear_onnx", "half_pixel", "round_prefer_floor", {}, {}, {1, 1, 2, 2}},
      {11, {1, 32, 2, 2}, "nearest", "asymmetric", "floor", {}, {}, {1, 1, 2, 2}},
      // every nearest mode and transform, odd and prime sizes, down and up
      {4, {2, 3, 7, 5}, "nearest", "half_pixel", "round_prefer_ceil", {2, 3}, {11, 3}, {}},
      {4, {1, 1, 13, 1}, "nearest", "tf_half_pixel_for_nn", "round_prefer_floor", {2, 3}, {5, 3}, {}},
      {11, {3, 5, 11}, "nearest", "align_corners", "ceil", {1, 2}, {7, 29}, {}},
      {11, {2, 5, 6}, "nearest", "pytorch_half_pixel", "simple", {2}, {}, {0.5f}},
      {11, {1, 3, 9, 9}, "nearest", "asymmetric", "simple", {2, 3}, {}, {2.5f, 1.5f}},
      {4, {1, 2, 5, 7}, "nearest", "half_pixel", "floor", {0, 1, 2, 3}, {1, 2, 10, 3}, {}},
      {11, {1, 2, 3, 5, 7}, "nearest", "half_pixel", "round_prefer_floor", {2, 3, 4}, {4, 6, 3}, {}},
      {11, {17}, "nearest", "asymmetric", "round_prefer_ceil", {0}, {31}, {}},
      // channels-last: resized dims ahead of the innermost one
      {11, {1, 6, 5, 3}, "nearest", "asymmetric", "floor", {1, 2}, {12, 10}, {}},
      {11, {1, 6, 5, 3}, "linear_onnx", "half_pixel", "floor", {1, 2}, {13, 4}, {}, {}, {}, false, false},
      // linear_onnx and cubic, every transform
      {4, {2, 3, 7, 5}, "linear_onnx", "align_corners", "floor", {2, 3}, {11, 3}, {}},
      {4, {1, 2, 6, 6}, "linear_onnx", "asymmetric", "floor", {2, 3}, {}, {1.5f, 0.75f}},
      {11, {1, 2, 9, 4}, "linear_onnx", "tf_half_pixel_for_nn", "floor", {2, 3}, {4, 9}, {}},
      {11, {1, 1, 1, 1}, "linear_onnx", "pytorch_half_pixel", "floor", {2, 3}, {1, 5}, {}},
      {11, {3, 5, 7}, "linear_onnx", "half_pixel", "floor", {0, 1, 2}, {2, 9, 3}, {}, {}, {}, false, false},
      {4, {1, 3, 5, 7}, "cubic", "half_pixel", "floor", {2, 3}, {9, 13}, {}},
      {11, {2, 2, 7, 3}, "cubic", "align_corners", "floor", {2, 3}, {3, 7}, {}},
      {11, {1, 1, 8, 8}, "cubic", "asymmetric", "floor", {2, 3}, {}, {0.5f, 1.25f}},
      // linear (triangle filter, renormalised), with and without antialiasing
      {4, {1, 3, 5, 7}, "linear", "half_pixel", "floor", {2, 3}, {9, 13}, {}},
      {11, {1, 2, 12, 11}, "linear", "align_corners", "floor", {2, 3}, {5, 4}, {}},
      {11, {1, 2, 12, 11}, "linear", "half_pixel", "floor", {2, 3}, {5, 4}, {}, {}, {}, true},
      {11, {2, 13, 3}, "linear", "asymmetric", "floor", {1}, {}, {0.4f}, {}, {}, true},
      // zero padding
      {4,
       {1, 2, 5, 4},
       "linear_onnx",
       "half_pixel",
       "floor",
       {2, 3},
       {14, 10},
       {},
       {0, 0, 1, 2},
       {0, 0, 2, 1}},
      {4, {1, 2, 5, 4}, "nearest", "asymmetric", "floor", {2, 3}, {8, 7}, {}, {0, 1, 0, 0}, {0, 0, 1, 1}},
      {11, {1, 2, 5, 4}, "linear", "half_pixel", "floor", {2, 3}, {9, 3}, {}, {0, 0, 2, 0}, {0, 0, 0, 3}},
  };
  int index = 0;
  for (const InterpCase& c : cases) {
    const std::string mode = c.mode;
    // linear_onnx and cubic merge taps: within a few ulps, and 0 * inf no longer makes NaN.
    const bool weighted = mode == "linear_onnx" || mode == "cubic";
    for (bool specials : {false, true}) {
      if (specials && weighted) continue;
      Graph g;
      Node* x = g.add(OpKind::kParameter, "x");
      x->outputs = {Value{ElementType::kF32, c.shape, {"x"}, false, {}}};
      g.parameters.push_back(x);
      Node* n = g.add(OpKind::kInterpolate, "interp", c.version);
      n->attrs.set("mode", c.mode);
      n->attrs.set("shape_calculation_mode", c.scales.empty() ? "sizes" : "scales");
      n->attrs.set("coordinate_transformation_mode", c.transform);
      n->attrs.set("nearest_mode", c.nearest);
      n->attrs.set("antialias", c.antialias ? "true" : "false");
      auto list = [](const std::vector<int64_t>& v) {
        std::string s;
        for (int64_t e : v) s += (s.empty() ? "" : ",") + std::to_string(e);
        return s.empty() ? std::string("0") : s;
      };
      n->attrs.set("pads_begin", list(c.pads_begin));
      n->attrs.set("pads_end", list(c.pads_end));
      n->attrs.set("cube_coeff", "-0.75");
      std::vector<Tensor> consts;
      const std::vector<int64_t> axes = c.axes;
      const size_t count = !axes.empty() ? axes.size() : c.shape.size();
      std::vector<int64_t> sizes = c.sizes;
      if (sizes.empty()) sizes.assign(count, 1);  // v4 scales mode: read but unused
      if (c.version >= 11) {
        consts.push_back(c.scales.empty() ? i64_tensor(sizes) : f32_tensor(c.scales));
      } else {
        std::vector<float> scales = c.scales;
        if (scales.empty()) scales.assign(count, 1.0f);
        consts.push_back(i64_tensor(sizes));
        consts.push_back(f32_tensor(scales));
      }
      if (!axes.empty()) consts.push_back(i64_tensor(axes));
      n->inputs = {{x, 0}};
      for (size_t i = 0; i < consts.size(); ++i)
        n->inputs.push_back({g.add_constant("c" + std::to_string(i), consts[i]), 0});
      infer_node(*n);
      const Tensor xt = random_tensor(ElementType::kF32, c.shape, rng, specials);
      std::vector<const Tensor*> args = {&xt};
      for (const Tensor& t : consts) args.push_back(&t);
      const std::string what = "case " + std::to_string(index) + " " + c.mode + " " + c.transform + " " +
                               to_string(c.shape) + (specials ? " with infinities" : "");
      const std::string impl = mode == "nearest"      ? "cpu_interpolate_nearest"
                               : weighted && c.planes ? "cpu_interpolate_planes"
                                                      : "cpu_interpolate_taps";
      double rel = 0;
      const int64_t ulps = check_node(*n, args, impl, what, &rel);
      if (weighted) {
        EXPECT_LE(rel, 1e-6) << what;
      } else {
        EXPECT_EQ(ulps, 0) << what;
      }
    }
    ++index;
  }
}

TEST(CpuLayoutKernels, LrnEqualsTheReference) {
  std::mt19937 rng(7);
  struct LrnCase {
    Dims shape;
    std::vector<int64_t> axes;
    int64_t size;
    const char* beta;
    int64_t max_ulps;  // 0: bit for bit (std::pow over window sums as the reference's)
  };
  // One axis: running sums (double roundings differ); beta 0.75: f32 square roots.
  for (const LrnCase& c :
       {LrnCase{{1, 16, 16, 16}, {1}, 5, "0.75", 4}, LrnCase{{2, 7, 3, 5}, {1}, 3, "0.75", 4},
        LrnCase{{1, 13, 1, 1}, {1}, 4, "0.6", 1}, LrnCase{{3, 11}, {1}, 5, "1", 1},
        LrnCase{{2, 5, 7}, {2}, 3, "0.5", 1}, LrnCase{{1, 3, 7, 5}, {2, 3}, 3, "0.75", 4},
        LrnCase{{1, 3, 7, 5}, {1, 2, 3}, 2, "0.6", 0}, LrnCase{{1, 3, 7, 5}, {2, 3}, 3, "1", 0},
        LrnCase{{1, 1, 1, 1}, {1}, 5, "0.75", 4}, LrnCase{{1, 5, 3, 1100}, {1}, 3, "0.75", 4}}) {
    Graph g;
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {Value{ElementType::kF32, c.shape, {"x"}, false, {}}};
    g.parameters.push_back(x);
    const Tensor axes = i64_tensor(c.axes);
    Node* n = g.add(OpKind::kLRN, "lrn", 1);
    n->attrs.set("alpha", "0.0001");
    n->attrs.set("beta", c.beta);
    n->attrs.set("bias", "2");
    n->attrs.set("size", std::to_string(c.size));
    n->inputs = {{x, 0}, {g.add_constant("axes", axes), 0}};
    infer_node(*n);
    const Tensor xt = random_tensor(ElementType::kF32, c.shape, rng);
    const std::string what = to_string(c.shape) + " beta " + c.beta;
    EXPECT_LE(check_node(*n, {&xt, &axes}, c.axes.size() == 1 ? "cpu_lrn_axis" : "cpu_lrn", what), c.max_ulps)
        << what;
  }
}

TEST(CpuLayoutKernels, SplitAndShuffleChannelsEqualTheReference) {
  std::mt19937 rng(5);
  // Split / VariadicSplit: axis, lengths (VariadicSplit; -1 inferred, 0 allowed) or parts (Split).
  struct SplitCase {
    ElementType type;
    Dims shape;
    int64_t axis;
    std::vector<int64_t> lengths;  // empty: Split into `parts`
    int64_t parts;
  };
  for (const SplitCase& c :
       {SplitCase{ElementType::kF32, {1, 3, 8, 8, 9}, 4, {2, 2, 5}, 0},
        SplitCase{ElementType::kF32, {1, 48, 8, 8}, 1, {24, 24}, 0},
        SplitCase{ElementType::kI8, {2, 7, 3}, -2, {3, 0, -1}, 0},
        SplitCase{ElementType::kI64, {5, 6}, 0, {}, 5}, SplitCase{ElementType::kU8, {13}, 0, {}, 1},
        SplitCase{ElementType::kF32, {3, 10, 1}, 1, {}, 2}}) {
    Graph g;
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {Value{c.type, c.shape, {"x"}, false, {}}};
    g.parameters.push_back(x);
    const Tensor axis = i64_tensor({c.axis});
    Tensor axis_scalar(ElementType::kI64, {});
    std::memcpy(axis_scalar.data(), axis.data(), 8);
    const Tensor lengths = i64_tensor(c.lengths);
    Node* n;
    if (c.lengths.empty()) {
      n = g.add(OpKind::kSplit, "split", 1);
      n->attrs.set("num_splits", std::to_string(c.parts));
      n->inputs = {{x, 0}, {g.add_constant("axis", axis_scalar), 0}};
    } else {
      n = g.add(OpKind::kVariadicSplit, "split", 1);
      n->inputs = {{x, 0}, {g.add_constant("axis", axis_scalar), 0}, {g.add_constant("lengths", lengths), 0}};
    }
    infer_node(*n);
    const Tensor xt = random_tensor(c.type, c.shape, rng);
    std::vector<const Tensor*> args = {&xt, &axis_scalar};
    if (!c.lengths.empty()) args.push_back(&lengths);
    EXPECT_EQ(check_node(*n, args, "cpu_split", to_string(c.shape)), 0) << to_string(c.shape);
  }
  struct ShuffleCase {
    ElementType type;
    Dims shape;
    int64_t axis, group;
  };
  for (const ShuffleCase& c :
       {ShuffleCase{ElementType::kF32, {1, 48, 8, 8}, 1, 2}, ShuffleCase{ElementType::kI8, {2, 21, 5}, -2, 7},
        ShuffleCase{ElementType::kU8, {6, 5}, 0, 3}, ShuffleCase{ElementType::kI64, {1, 9, 1, 1}, 1, 9},
        ShuffleCase{ElementType::kF32, {11}, 0, 1}}) {
    Graph g;
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {Value{c.type, c.shape, {"x"}, false, {}}};
    g.parameters.push_back(x);
    Node* n = g.add(OpKind::kShuffleChannels, "shuffle", 1);
    n->attrs.set("axis", std::to_string(c.axis));
    n->attrs.set("group", std::to_string(c.group));
    n->inputs = {{x, 0}};
    infer_node(*n);
    const Tensor xt = random_tensor(c.type, c.shape, rng);
    EXPECT_EQ(check_node(*n, {&xt}, "cpu_shuffle_channels", to_string(c.shape)), 0) << to_string(c.shape);
  }
}

}  // namespace
}  // namespace octet
