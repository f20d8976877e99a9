// Activation traffic of the quantized zoo models before and after int8 codes between layers
// (issue 15 section 3): the graph is transformed as CompiledModel does for the OpenCL backend, with
// the options it asked for before (none) and now (its quantize_options()), and the bytes every
// planned node reads from non-constant tensors and writes are summed. Needs no device; prints the
// README table's rows ([traffic] lines).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "host/graph/quantized_linear.h"
#include "host/ir/ir_reader.h"
#include "host/transforms/prepare.h"
#include "host/transforms/quantize_linear.h"
#include "host/transforms/weight_decompression.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

struct Traffic {
  int64_t bytes = 0;  // read + written by every node that runs a kernel, constants excluded
  int quantize = 0;   // QuantizeActivation nodes
  int codes_out = 0;  // quantized layers writing codes
};

int64_t value_bytes(const Value& v) {
  return static_cast<int64_t>(element_storage_bytes(v.type, element_count(v.shape)));
}

// A QuantizeActivation left after emit_codes: printed with its producer ([left] lines, the README's
// list). A quantized layer's output is quantized by a separate node only when the layer's floats are
// also a model output (other float readers get a CodesDequantize of the codes it writes).
void check_left_quantizer(const Graph& g, const Node& qa, const fs::path& xml) {
  const Node* producer = qa.inputs[0].node;
  if (producer->op == OpKind::kParameter) return;
  std::string others;
  bool model_output = false;
  for (const auto& [user, port] : g.consumers(qa.inputs[0]))
    if (user->op != OpKind::kQuantizeActivation) {
      others += fmt::format(" {} ({})", user->name, op_name(user->op));
      model_output = model_output || user->op == OpKind::kResult;
    }
  std::printf("[left] %s: %s <- %s (%s); producer also feeds:%s\n",
              xml.parent_path().filename().string().c_str(), qa.name.c_str(), producer->name.c_str(),
              std::string(op_name(producer->op)).c_str(), others.empty() ? " nothing else" : others.c_str());
  if (producer->op == OpKind::kQuantizedConvolution || producer->op == OpKind::kQuantizedMatMul ||
      producer->op == OpKind::kCodesMaxPool) {
    EXPECT_TRUE(model_output) << xml << ": " << qa.name << " should have been written by " << producer->name;
  }
}

Traffic traffic(const fs::path& xml, const QuantizeOptions& options) {
  Graph g = read_ir_file(xml.string());
  prepare_graph(g);
  decompress_weights_in_f32(g);
  quantize_linear_ops(g, options);
  Traffic t;
  for (const Node* n : g.topological_order()) {
    if (n->op == OpKind::kParameter || n->op == OpKind::kConstant || n->op == OpKind::kResult) continue;
    bool constant = true;  // folded at compile time (weight chains nothing consumed)
    for (const Output& in : n->inputs) {
      if (in.node->op == OpKind::kConstant) continue;
      constant = false;
      t.bytes += value_bytes(in.node->outputs[static_cast<size_t>(in.index)]);
    }
    if (constant && !n->inputs.empty()) continue;
    for (const Value& v : n->outputs) t.bytes += value_bytes(v);
    t.quantize += n->op == OpKind::kQuantizeActivation;
    if (n->op == OpKind::kQuantizeActivation && options.emit_codes) check_left_quantizer(g, *n, xml);
    if (n->op == OpKind::kQuantizedConvolution || n->op == OpKind::kQuantizedMatMul)
      t.codes_out += quantized_params(*n).output_codes.has_value();
  }
  return t;
}

// The OpenCL backend's QuantizeOptions (runtime/opencl/opencl_backend.h), written out so this test
// needs no device; OpenClInt8Zoo checks the backend asks for the same as the CPU.
constexpr QuantizeOptions kOpenClOptions{/*fuse_across_fake_quantize=*/true, /*emit_codes=*/true};

TEST(OpenClQuantizedTraffic, CodesBetweenLayersCutActivationBytes) {
  const fs::path zoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo";
  std::vector<fs::path> models;
  for (const fs::path& dir : {zoo, zoo / "real"})
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if ((name.find("int8") != std::string::npos || name.find("int4") != std::string::npos ||
           name.rfind("wdec_", 0) == 0) &&
          fs::exists(e.path() / "model.xml"))
        models.push_back(e.path());
    }
  std::sort(models.begin(), models.end());
  ASSERT_GE(models.size(), 25u);
  int fewer = 0;
  for (const fs::path& m : models) {
    const Traffic before = traffic(m / "model.xml", QuantizeOptions{});
    const Traffic after = traffic(m / "model.xml", kOpenClOptions);
    std::printf("[traffic] | %s | %lld | %lld | %.2f | %d -> %d | %d |\n", m.filename().string().c_str(),
                static_cast<long long>(before.bytes), static_cast<long long>(after.bytes),
                static_cast<double>(after.bytes) / static_cast<double>(before.bytes), before.quantize,
                after.quantize, after.codes_out);
    EXPECT_LE(after.bytes, before.bytes) << m;
    EXPECT_LE(after.quantize, before.quantize) << m;
    fewer += after.bytes < before.bytes;
    // A model whose quantized layers write codes must save their float round trip.
    if (after.codes_out > 0) {
      EXPECT_LT(after.bytes, before.bytes) << m;
    }
  }
  EXPECT_GT(fewer, 0);
}

}  // namespace
}  // namespace octet
