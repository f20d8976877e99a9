// libFuzzer target for the IR reader: input = 4-byte little-endian XML length, the XML, then the bin.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "host/common/error.h"
#include "host/graph/sub_graphs.h"
#include "host/ir/ir_reader.h"

namespace {

// Touches what the reader produced, the bodies of If/Loop/TensorIterator included, so that dangling
// pointers would show up under ASan.
void touch(const octet::Graph& graph) {
  for (const auto& node : graph.nodes()) {
    for (const auto& in : node->inputs) (void)in.node->outputs.at(static_cast<size_t>(in.index)).type;
    if (node->constant && node->constant->byte_size())
      (void)static_cast<const volatile uint8_t*>(node->constant->data())[node->constant->byte_size() - 1];
    if (octet::is_sub_graph_op(node->op))
      for (const octet::Body& body : octet::sub_graphs(*node).bodies) touch(*body.graph);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  size_t xml_size = static_cast<size_t>(data[0]) | static_cast<size_t>(data[1]) << 8 |
                    static_cast<size_t>(data[2]) << 16 | static_cast<size_t>(data[3]) << 24;
  if (xml_size > size - 4) xml_size = size - 4;
  const std::string_view xml(reinterpret_cast<const char*>(data + 4), xml_size);
  auto bin = std::make_shared<const std::vector<uint8_t>>(data + 4 + xml_size, data + size);
  try {
    const octet::Graph graph = octet::read_ir_memory(xml, bin, "fuzz.xml");
    touch(graph);
  } catch (const octet::Error&) {
    // Expected for malformed input; anything else escapes and is reported as a crash.
  }
  return 0;
}
