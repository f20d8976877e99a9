// Shared pieces of the OpenCL int8 kernel tests: random quantized MatMul / Convolution nodes
// (weights, scales, zero points, post-ops) with their inputs, and the checks against the integer
// reference host/reference/quantized_linear (bit-exact, or within a tolerance).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "host/graph/quantized_linear.h"
#include "host/reference/evaluate.h"
#include "host/reference/quantized_linear.h"
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace qtest {

inline bool four_bit(ElementType t) {
  return t == ElementType::kI4 || t == ElementType::kU4;
}

inline std::pair<int, int> code_range(ElementType t) {
  switch (t) {
    case ElementType::kI8: return {-128, 127};
    case ElementType::kU8: return {0, 255};
    case ElementType::kI4: return {-8, 7};
    default: return {0, 15};
  }
}

// Codes tensor with `values` stored as the IR stores them (4-bit: element 2i in the low nibble).
inline Tensor codes_tensor(ElementType t, Dims shape, const std::vector<int>& values) {
  Tensor out(t, std::move(shape));
  auto* bytes = out.data_as<uint8_t>();
  std::memset(bytes, 0, out.byte_size());
  for (size_t i = 0; i < values.size(); ++i) {
    const uint8_t v = static_cast<uint8_t>(values[i]);
    if (four_bit(t)) {
      bytes[i / 2] |= static_cast<uint8_t>((v & 15) << (4 * (i & 1)));
    } else {
      bytes[i] = v;
    }
  }
  return out;
}

struct Spec {
  ElementType wtype = ElementType::kI8;
  bool asym = false;     // weight zero points
  int64_t group = 0;     // weight group size (0: per channel)
  bool int_act = true;   // i8 codes input (else f32, weight-only)
  int32_t act_zp = 128;  // activation zero point (level of 0.0)
  bool bias = false;
  std::vector<PostOp> post;  // kResidualAdd adds input 1
  bool out_fq = false;
  bool unit_scales = false;  // all scales 1: outputs equal the accumulators
};

// One quantized node in its own graph, with its (random) inputs.
struct QCase {
  std::unique_ptr<Graph> graph = std::make_unique<Graph>();
  Node* node = nullptr;
  std::vector<Tensor> inputs;
  std::string what;
};

inline PostOp activation(PostOpCode op, float alpha = 0, float beta = 0) {
  PostOp p;
  p.activation = op;
  p.alpha = alpha;
  p.beta = beta;
  return p;
}
inline PostOp residual() {
  PostOp p;
  p.kind = PostOp::Kind::kResidualAdd;
  return p;
}

// Payload with random weights [O, R] of `codes_shape`.
inline std::shared_ptr<QuantizedLinear> make_payload(const Spec& s, OpKind base, Dims codes_shape,
                                                     int64_t outputs, int64_t reduction, std::mt19937& rng) {
  auto q = std::make_shared<QuantizedLinear>();
  q->base_op = base;
  if (s.int_act) {
    ActivationQuant a;
    a.levels = 256;
    a.zero_point = s.act_zp;
    a.scale = s.unit_scales ? 1.0f : 0.0125f;
    a.out_low = -a.scale * static_cast<float>(a.zero_point);
    a.out_high = a.out_low + a.scale * 255;
    a.in_low = a.out_low;
    a.in_high = a.out_high;
    q->input = a;
  }
  QuantizedWeights& w = q->weights;
  w.type = s.wtype;
  w.output_channels = outputs;
  w.reduction = reduction;
  w.group_size = s.group;
  const auto [lo, hi] = code_range(s.wtype);
  std::uniform_int_distribution<int> code(lo, hi);
  std::vector<int> values(static_cast<size_t>(outputs * reduction));
  for (int& v : values) v = code(rng);
  w.codes = codes_tensor(s.wtype, std::move(codes_shape), values);
  const int64_t groups = s.group ? reduction / s.group : 1;
  std::uniform_real_distribution<float> scale(0.002f, 0.02f);
  for (int64_t i = 0; i < outputs * groups; ++i) {
    w.scale.push_back(s.unit_scales ? 1.0f : scale(rng));
    if (s.asym) w.zero_point.push_back(code(rng));
  }
  std::uniform_real_distribution<float> b(-1.0f, 1.0f);
  if (s.bias)
    for (int64_t o = 0; o < outputs; ++o) q->bias.push_back(b(rng));
  q->post_ops = s.post;
  if (s.out_fq) {
    ActivationQuant f;
    f.levels = 256;
    f.in_low = f.out_low = -2.0f;
    f.in_high = f.out_high = 2.0f;
    f.scale = 4.0f / 255;
    q->output = f;
  }
  return q;
}

inline Value value(ElementType t, Dims shape, const std::string& name) {
  Value v;
  v.type = t;
  v.shape = std::move(shape);
  v.names = {name};
  return v;
}

inline Node* parameter(Graph& g, const std::string& name, ElementType t, Dims shape) {
  Node* p = g.add(OpKind::kParameter, name);
  p->outputs = {value(t, std::move(shape), name)};
  return p;
}

inline Tensor random_codes(Dims shape, std::mt19937& rng) {
  Tensor t(ElementType::kI8, std::move(shape));
  std::uniform_int_distribution<int> d(-128, 127);
  for (int64_t i = 0; i < t.element_count(); ++i) t.data_as<int8_t>()[i] = static_cast<int8_t>(d(rng));
  return t;
}

// Adds the activation (and residual) inputs and the output to `c.node`.
inline void finish_case(QCase& c, const Spec& s, Dims in_shape, Dims out_shape, std::mt19937& rng) {
  Graph& g = *c.graph;
  Node* x = parameter(g, "x", s.int_act ? ElementType::kI8 : ElementType::kF32, in_shape);
  c.node->inputs = {{x, 0}};
  c.inputs.push_back(s.int_act ? random_codes(in_shape, rng) : test::random_tensor(in_shape, rng()));
  for (const PostOp& p : s.post)
    if (p.kind == PostOp::Kind::kResidualAdd) {
      c.node->inputs.push_back({parameter(g, "res", ElementType::kF32, out_shape), 0});
      c.inputs.push_back(test::random_tensor(out_shape, rng()));
    }
  c.node->outputs = {value(ElementType::kF32, out_shape, "y")};
  infer_node(*c.node);
}

inline std::string spec_name(const Spec& s) {
  std::string n = element_type_name(s.wtype);
  n += s.asym ? " asym" : " sym";
  n += s.group ? " g" + std::to_string(s.group) : " per-channel";
  n += s.int_act ? " act_zp " + std::to_string(s.act_zp) : " f32 act";
  return n;
}

inline QCase matmul_case(const Spec& s, Dims in_shape, int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  QCase c;
  const int64_t k = in_shape.back();
  c.node = c.graph->add(OpKind::kQuantizedMatMul, "qmm");
  c.node->payload = make_payload(s, OpKind::kMatMul, {n, k}, n, k, rng);
  Dims out = in_shape;
  out.back() = n;
  finish_case(c, s, in_shape, out, rng);
  c.what = "QuantizedMatMul x" + to_string(in_shape) + " N=" + std::to_string(n) + " " + spec_name(s);
  return c;
}

struct ConvSpec {
  Dims x;  // channels-last codes [N, (H,) W, C]
  int64_t groups, out_per_group;
  Dims kernel, strides, dilations, pads_begin, pads_end;
};

inline std::string list(const Dims& d) {
  std::string s;
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s;
}

inline QCase conv_case(const Spec& s, const ConvSpec& k, uint32_t seed) {
  std::mt19937 rng(seed);
  QCase c;
  const int64_t channels = k.x.back(), in_per_group = channels / k.groups;
  const bool grouped = k.groups > 1;
  Dims codes = grouped ? Dims{k.groups, k.out_per_group, in_per_group} : Dims{k.out_per_group, in_per_group};
  int64_t taps = 1;
  for (int64_t d : k.kernel) codes.push_back(d), taps *= d;
  c.node = c.graph->add(OpKind::kQuantizedConvolution, "qconv");
  auto q = make_payload(s, grouped ? OpKind::kGroupConvolution : OpKind::kConvolution, codes,
                        k.groups * k.out_per_group, in_per_group * taps, rng);
  q->conv.strides = k.strides;
  q->conv.dilations = k.dilations;
  q->conv.pads_begin = k.pads_begin;
  q->conv.pads_end = k.pads_end;
  c.node->payload = q;
  Dims out = {k.x[0], k.groups * k.out_per_group};
  for (size_t i = 0; i < k.kernel.size(); ++i) {
    const int64_t dk = (k.kernel[i] - 1) * k.dilations[i] + 1;
    out.push_back((k.x[1 + i] + k.pads_begin[i] + k.pads_end[i] - dk) / k.strides[i] + 1);
  }
  Dims in = k.x;  // f32 activations are NCHW
  if (!s.int_act) {
    in.insert(in.begin() + 1, in.back());
    in.pop_back();
  }
  finish_case(c, s, in, out, rng);
  c.what = "QuantizedConvolution x" + to_string(in) + " G=" + std::to_string(k.groups) +
           " O/G=" + std::to_string(k.out_per_group) + " k" + list(k.kernel) + " s" + list(k.strides) + " d" +
           list(k.dilations) + " p" + list(k.pads_begin) + "/" + list(k.pads_end) + " " + spec_name(s);
  return c;
}

struct Result {
  std::vector<Tensor> ref, got;
  std::vector<int64_t> acc;
  std::string impl;
};

inline Result run(OpenClBackend& backend, QCase& c) {
  Result r;
  Support sup = backend.supports(*c.node);
  EXPECT_TRUE(sup.ok) << c.what << ": " << sup.reason;
  if (!sup.ok) return r;
  std::vector<const Tensor*> ptrs;
  for (const Tensor& t : c.inputs) ptrs.push_back(&t);
  r.ref = evaluate_quantized_linear(*c.node, ptrs, &r.acc);
  r.got = test::run_on_device(backend, *c.node, c.inputs);
  r.impl = backend.compile(*c.node)->impl_name();
  return r;
}

inline void expect_bit_exact(OpenClBackend& backend, QCase& c) {
  Result r = run(backend, c);
  if (r.got.empty()) return;
  const float* ref = r.ref[0].data_as<float>();
  const float* got = r.got[0].data_as<float>();
  int bad = 0;
  for (int64_t i = 0; i < r.ref[0].element_count() && bad < 5; ++i)
    if (std::memcmp(&ref[i], &got[i], sizeof(float)) != 0) {
      ++bad;
      ADD_FAILURE() << c.what << " (" << r.impl << "): y[" << i << "] = " << got[i] << ", reference "
                    << ref[i];
    }
}

// Relative agreement (transcendental post-ops, float activations): |d| <= rel * scale_i + abs.
inline void expect_close(OpenClBackend& backend, QCase& c, double rel, double abs, double step = 0) {
  Result r = run(backend, c);
  if (r.got.empty()) return;
  int bad = 0;
  for (int64_t i = 0; i < r.ref[0].element_count() && bad < 5; ++i) {
    const double a = r.got[0].data_as<float>()[i], b = r.ref[0].data_as<float>()[i];
    const double tol = std::max(rel * std::fabs(b) + abs, step * (1 + 1e-6));
    if (!(std::fabs(a - b) <= tol)) {
      ++bad;
      ADD_FAILURE() << c.what << " (" << r.impl << "): y[" << i << "] = " << a << ", reference " << b;
    }
  }
}

inline const ElementType kWeightTypes[] = {ElementType::kI8, ElementType::kU8, ElementType::kI4,
                                           ElementType::kU4};

}  // namespace qtest
}  // namespace octet
