// Identical int8 codes on the CPU and the OpenCL device (issue 15 section 2): a quantized zoo model
// is transformed once with the backends' QuantizeOptions (which must agree: one transformation
// serves both), every quantized node with integer activations and every QuantizeActivation becomes
// a model output too, and the model runs in fast precision on both backends from that same graph;
// each of those outputs (i8 codes or the float results of integer layers) must match byte for
// byte. Outputs of weight-only layers (f32 activations: float sums in each backend's order) and of
// the float ops after the last quantized layer (softmax, say) are not compared. Also prints the
// QuantizeActivation nodes still left after a quantized layer on the device (a float op between
// them is why), and fails when one takes a quantized node's output directly, or a MaxPool's or
// Concat's whose values lie on its grid and whose consumers all take codes (emit_codes moves the
// quantization before those, host/transforms/codes_flow.h).
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "host/graph/quantized_linear.h"
#include "host/ir/ir_reader.h"
#include "host/reference/run_graph.h"
#include "host/transforms/prepare.h"
#include "host/transforms/quantize_grid.h"
#include "host/transforms/quantize_linear.h"
#include "host/transforms/weight_decompression.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "runtime/opencl/opencl_backend.h"

namespace octet {
namespace test {

inline bool integer_layer(const Node& n) {
  return (n.op == OpKind::kQuantizedConvolution || n.op == OpKind::kQuantizedMatMul) &&
         quantized_params(n).input.has_value();
}

// Why the two backends may legitimately compute a node's output differently ("" when they must
// agree bit for bit, given equal inputs): float arithmetic whose rounding depends on the
// implementation (sums in another order, transcendental approximations, normalisations), the
// weight-only layers (float sums), and the CPU fast precision's erf Gelu (fast_gelu_erf_row).
inline std::string inexact_reason(const Node& n) {
  switch (n.op) {
    case OpKind::kParameter:
    case OpKind::kConstant:
    case OpKind::kResult:
    case OpKind::kQuantizeActivation:
    case OpKind::kCodesMaxPool:
    case OpKind::kCodesDequantize:  // one formula, correctly rounded on both (CodesDequantize* tests)
    case OpKind::kCodesAvgPool:     // that formula, summed in one order (CodesAvgPool* tests)
    case OpKind::kShuffleChannels:
    case OpKind::kReshape:
    case OpKind::kTranspose:
    case OpKind::kSqueeze:
    case OpKind::kUnsqueeze:
    case OpKind::kMaxPool:
    case OpKind::kConcat:
    case OpKind::kSplit:
    case OpKind::kVariadicSplit:
    case OpKind::kRelu:
    case OpKind::kAdd:
    case OpKind::kSubtract:
    case OpKind::kMultiply:  // one IEEE rounding each: the same on both
      return "";
    case OpKind::kQuantizedConvolution:
    case OpKind::kQuantizedMatMul:
      if (!quantized_params(n).input) return "weight-only layer (float sums)";
      for (const PostOp& op : quantized_params(n).post_ops)
        if (op.kind == PostOp::Kind::kActivation && op.activation == PostOpCode::kGeluErf)
          return "erf Gelu (the CPU's fast precision approximates it)";
      return "";
    default: return std::string("float ") + op_name(n.op);
  }
}

// The model, transformed as CompiledModel would with `options`, each watched value also a Result.
inline Graph watched_graph(const std::string& xml, const QuantizeOptions& options, int* watched,
                           std::set<const Node*>* inexact) {
  Graph g = read_ir_file(xml);
  prepare_graph(g);
  decompress_weights_in_f32(g);
  quantize_linear_ops(g, options);
  std::vector<Node*> nodes;
  for (Node* n : g.topological_order()) {
    bool tainted = !inexact_reason(*n).empty();
    for (const Output& in : n->inputs) tainted = tainted || inexact->count(in.node);
    if (tainted) inexact->insert(n);
    const bool codes =
        !n->outputs.empty() && n->outputs[0].type == ElementType::kI8 &&
        (n->op == OpKind::kCodesMaxPool || n->op == OpKind::kConcat || n->op == OpKind::kShuffleChannels);
    if (tainted || (!integer_layer(*n) && n->op != OpKind::kQuantizeActivation && !codes &&
                    n->op != OpKind::kCodesDequantize))
      continue;
    bool is_result = false;
    for (const auto& [user, port] : g.consumers({n, 0})) is_result = is_result || user->op == OpKind::kResult;
    if (!is_result) nodes.push_back(n);
  }
  for (Node* n : nodes) {
    Node* r = g.add(OpKind::kResult, n->name + "/watched");
    r->inputs = {{n, 0}};
    g.results.push_back(r);
  }
  *watched = static_cast<int>(nodes.size());
  return g;
}

// `plain` is the model as compiled on the device without watched outputs (for the QuantizeActivation
// check); `inputs` by input name.
inline void expect_identical_codes(const std::shared_ptr<OpenClBackend>& gpu, const CompiledModel& plain,
                                   const std::filesystem::path& dir,
                                   const std::map<std::string, Tensor>& inputs) {
  BackendOptions options;
  options.precision = Precision::kFast;
  auto cpu = make_onednn_backend(options);
  const QuantizeOptions qo = gpu->quantize_options(), qc = cpu->quantize_options();
  ASSERT_EQ(qo.emit_codes, qc.emit_codes) << "the backends ask for different transformations";
  ASSERT_EQ(qo.fuse_across_fake_quantize, qc.fuse_across_fake_quantize);
  CompileConfig config;
  config.options = options;
  const std::string xml = (dir / "model.xml").string();
  int watched_gpu = 0, watched_cpu = 0;
  std::set<const Node*> inexact_gpu, inexact_cpu;
  auto on_gpu = CompiledModel::compile(watched_graph(xml, qo, &watched_gpu, &inexact_gpu), gpu, cpu, config);
  // Both run the device's transformation: the CPU alone also quantizes per-channel activation ranges
  // before grouped convolutions (per_channel_inputs), which would change which nodes exist.
  auto on_cpu = CompiledModel::compile(watched_graph(xml, qo, &watched_cpu, &inexact_cpu), cpu, cpu, config);
  ASSERT_EQ(watched_gpu, watched_cpu);
  ASSERT_EQ(on_gpu->outputs().size(), on_cpu->outputs().size());
  auto rg = on_gpu->create_request(), rc = on_cpu->create_request();
  for (const auto& [name, t] : inputs) {
    rg->set_input(name, t);
    rc->set_input(name, t);
  }
  rg->infer();
  rc->infer();
  const size_t first = on_gpu->outputs().size() - static_cast<size_t>(watched_gpu);
  int codes = 0, different = 0;
  int64_t bytes = 0;
  std::map<std::string, Tensor> reference;  // computed on the first difference, to say who departs
  for (size_t i = first; i < on_gpu->outputs().size(); ++i) {
    const std::string& name = on_gpu->outputs()[i].name;
    ASSERT_EQ(name, on_cpu->outputs()[i].name);
    const Tensor& a = rg->output(name);
    const Tensor& b = rc->output(name);
    ASSERT_EQ(a.type(), b.type()) << name;
    ASSERT_EQ(a.byte_size(), b.byte_size()) << name;
    codes += a.type() == ElementType::kI8;
    bytes += static_cast<int64_t>(a.byte_size());
    if (std::memcmp(a.data(), b.data(), a.byte_size()) == 0) continue;
    int64_t differ = 0, first_diff = -1;
    const size_t width = element_storage_bytes(a.type(), 1);
    for (int64_t e = 0; e < a.element_count(); ++e)
      if (std::memcmp(static_cast<const char*>(a.data()) + e * width,
                      static_cast<const char*>(b.data()) + e * width, width) != 0) {
        if (first_diff < 0) first_diff = e;
        ++differ;
      }
    if (reference.empty()) reference = run_reference(on_gpu->graph(), inputs, true);
    std::string who = "the reference has no value of that name";
    const std::string node = on_gpu->graph().results[i]->inputs[0].node->name;
    const auto ref = reference.count(name) ? reference.find(name) : reference.find(node);
    if (ref != reference.end() && ref->second.byte_size() == a.byte_size()) {
      const bool dev = std::memcmp(ref->second.data(), a.data(), a.byte_size()) == 0;
      const bool host = std::memcmp(ref->second.data(), b.data(), b.byte_size()) == 0;
      who = dev    ? "the device equals the integer reference"
            : host ? "the CPU equals the integer reference"
                   : "neither equals the integer reference";
    }
    ++different;
    ADD_FAILURE() << dir.filename() << ": " << name << " (" << element_type_name(a.type()) << ") differs in "
                  << differ << " of " << a.element_count() << " elements, first [" << first_diff
                  << "]: device " << a.get_as_double(first_diff) << ", CPU " << b.get_as_double(first_diff)
                  << "; " << who;
  }
  std::printf(
      "[codes] %-28s %d integer-layer and QuantizeActivation outputs compared (%d as i8 codes, %lld "
      "bytes): %d differ between %s and CPU; %zu values not compared (computed from float ops whose "
      "rounding may differ)\n",
      dir.filename().string().c_str(), watched_gpu, codes, static_cast<long long>(bytes), different,
      gpu->name().c_str(), inexact_gpu.size());
  // QuantizeActivation nodes of the plain model on the device. One reading a quantized convolution
  // whose consumers all take its codes is a missed emit_codes; other cases are printed with why.
  const Graph& pg = plain.graph();
  for (const Node* n : pg.topological_order()) {
    if (n->op != OpKind::kQuantizeActivation) continue;
    const Node* src = n->inputs.at(0).node;
    std::string why;
    if (src->op == OpKind::kQuantizedConvolution || src->op == OpKind::kQuantizedMatMul) {
      const bool channels_last = src->op == OpKind::kQuantizedConvolution;
      bool all_codes = true;
      for (const auto& [user, port] : pg.consumers(Output{const_cast<Node*>(src), 0}))
        all_codes = all_codes && user->op == OpKind::kQuantizeActivation &&
                    quantize_params(*user).channels_last == channels_last;
      EXPECT_FALSE(all_codes) << n->name << " re-reads quantized node " << src->name
                              << " whose consumers all take its codes";
      why = std::string("the ") + (channels_last ? "convolution" : "matmul") +
            "'s output also feeds a float op";
    }
    if (src->op == OpKind::kMaxPool || src->op == OpKind::kConcat || src->op == OpKind::kSplit ||
        src->op == OpKind::kVariadicSplit || src->op == OpKind::kShuffleChannels) {
      // emit_codes moves a QuantizeActivation of the values' own grid before these value-moving ops
      // (host/transforms/codes_flow.h): one left here must have a reason.
      std::string grid_why;
      const auto grid = value_grid(n->inputs[0], &grid_why);
      bool all_codes = true;
      for (const auto& [user, port] : pg.consumers(n->inputs[0]))
        all_codes =
            all_codes && user->op == OpKind::kQuantizeActivation && quantize_params(*user).channels_last;
      const bool indices_used =
          src->outputs.size() > 1 && !pg.consumers(Output{const_cast<Node*>(src), 1}).empty();
      EXPECT_FALSE(grid && all_codes && !indices_used && quantize_params(*n).channels_last &&
                   same_grid(*grid, quantize_params(*n).quant))
          << n->name << " re-reads " << op_name(src->op) << " " << src->name
          << " whose inputs all lie on its grid and whose consumers all take codes";
      why = grid ? (all_codes ? "indices output used" : "its output also feeds a float op")
                 : "not on one grid: " + grid_why;
    }
    std::printf("[codes] %-28s QuantizeActivation %s reads %s (%s)%s%s\n", dir.filename().string().c_str(),
                n->name.c_str(), src->name.c_str(), op_name(src->op), why.empty() ? "" : ": ", why.c_str());
  }
}

}  // namespace test
}  // namespace octet
