// Reads an OpenVINO IR (v10/v11 model.xml + model.bin) into a Graph, validating everything it reads.
//
// What the reader does (ir-spec.md sections 1 and 8, bad-inputs.md rows 1-17 and 22-25):
// - Structure and constants only: no shape inference (prepare_graph in host/transforms does that).
//   Every output Value gets the port's declared dims both in declared_shape (has_declared_shape)
//   and in shape, and the element type of the port `precision` (Const/Parameter: their
//   element_type, which must agree with the precision when one is given).
// - Edge port ids are mapped to the POSITION of the <port> inside <input>/<output>; a node's inputs
//   are its input ports in XML order, each of which must be fed by exactly one edge.
// - Parameters and Results in XML order become graph.parameters / graph.results. Layers that reach
//   no Result are dropped (after a cycle check over the whole file).
// - Const bytes are copied out of the .bin into owned tensors (the .bin is read fully into memory,
//   never mapped, so a file changed or truncated later cannot fault: row 25). Any offset alignment
//   is fine; sub-byte, f16 and bf16 data stay as stored. A `size` larger than the tensor needs is
//   accepted (as OpenVINO does), a smaller one is an error.
// - Tensor names: `names=` of output ports, split on ',' with "\," kept as a literal comma.
//   A Result's `output_names` (newest OV) are added to its producer's names. For v10 IRs, like
//   OpenVINO's legacy path, a Parameter whose port has no names gets its layer name, and a Result
//   whose producer port has no names gives that port the producer's layer name, plus ".<index>"
//   when the producer has more than one output. Tensor names must be unique among live values, and
//   Parameter layer names must be unique.
// - Node rt_info (v11 only): attribute name -> its `value` (or first other field); ignored in v10.
// - A model needs at least one Result; a model without Parameters (constants only) is allowed.
// - If, Loop and TensorIterator layers: their bodies are read as Graphs of their own by the same
//   rules (weights from the same .bin), and their port maps, back edges and Loop's special ports
//   into the node's payload (host/graph/sub_graphs.h, ir_sub_graphs.cpp). Bodies nested more than
//   kMaxBodyDepth levels deep are refused; layers of all bodies count towards kMaxLayers.
//
// Errors (octet::Error): kNotFound for a missing/unreadable/empty/directory model file and for a
// missing .bin when Const layers need it; kUnsupported for ops, opsets, element types or features
// octet does not implement (unknown/experimental opsets, dynamic rank, nf4...);
// kModel for everything malformed. Messages name the file, the layer (name and id), the port and
// the offending value. Limits: at most kMaxLayers layers, names up to kMaxNameBytes, XML nesting up
// to kMaxXmlDepth levels, DOCTYPE declarations rejected, input must be valid UTF-8.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "host/common/error.h"
#include "host/graph/graph.h"

namespace octet {

constexpr size_t kMaxLayers = 1000000;
constexpr size_t kMaxEdges = 10000000;
constexpr size_t kMaxNameBytes = 64 * 1024;
constexpr int kMaxXmlDepth = 64;

// Reads `xml_path` and its weights. An empty `bin_path` means the same path with ".xml" replaced by
// ".bin" (or ".bin" appended); that file may be absent when the model has no Const layers. An
// explicit `bin_path` must exist.
Graph read_ir_file(const std::string& xml_path, const std::string& bin_path = "");
// The same, also handing back the bytes it read (bin null when the model has no weights file), so
// a caller that keeps them does not read the files a second time (they may have changed).
struct IrFileBytes {
  std::shared_ptr<const std::vector<uint8_t>> xml, bin;
};
Graph read_ir_file(const std::string& xml_path, const std::string& bin_path, IrFileBytes* bytes);

// Reads an IR from memory; `bin` may be null when the model has no Const layers. `name` is used as
// the file name in error messages and as Graph::source.
Graph read_ir_memory(std::string_view xml, std::shared_ptr<const std::vector<uint8_t>> bin,
                     const std::string& name = "<memory>");

}  // namespace octet
