// Pieces of the IR reader shared between its source files (not a public interface).
#pragma once

#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "host/common/error.h"
#include "host/graph/graph.h"

namespace octet::ir_detail {

constexpr size_t kMaxRank = 64;

// Validates the raw bytes (UTF-8, no NUL, no DOCTYPE/ENTITY) and parses them into `doc`, then walks
// the tree iteratively to reject nesting deeper than kMaxXmlDepth and duplicate attributes.
// Throws Error(kModel) with line and column.
void parse_xml_document(std::string_view xml, const std::string& source, pugi::xml_document& doc);

// "line L, column C" of a byte offset, clamped into the text.
std::string text_position(std::string_view text, ptrdiff_t offset);

// parse_int64, but also refusing a sign after '+' ("+-1"), which parse_int64 lets through.
std::optional<int64_t> parse_ir_int(std::string_view text);

// A value shortened for error messages.
std::string quoted(std::string_view value);

// Splits a `names=` list on ',' keeping "\," as a literal comma; empty pieces are skipped.
std::vector<std::string> split_tensor_names(std::string_view text);

// State shared while reading one IR.
struct ReadContext {
  std::string_view xml;
  std::string source;  // file name for messages
  int ir_version = 11;
  const std::vector<uint8_t>* bin = nullptr;  // null when no weights are available
  std::string bin_missing;                    // why there are no weights, for the Const error
  ErrorCode bin_missing_code = ErrorCode::kModel;
  std::unordered_map<std::string, IrOpLookup> op_cache;  // "type/opset" -> op
  int body_depth = 0;      // how many sub-graph bodies enclose the graph being read
  size_t layers_read = 0;  // layers of the model and all its bodies so far (capped at kMaxLayers)
};

// Port ids of one layer, in XML order (position = index into the node's inputs/outputs).
struct LayerPorts {
  std::vector<int64_t> input_ids;
  std::vector<int64_t> output_ids;
};

// Reads one <layer> (the `index`-th in XML order) into a new node of `graph`: op and version, <data>
// attributes, rt_info, output values and, for Const/Parameter, their tensor and type.
Node* read_layer(ReadContext& ctx, const pugi::xml_node& layer, size_t index, Graph& graph,
                 LayerPorts& ports);

// The layer ids of a graph: its Parameters and Results (kept by read_graph's dead-node removal)
// and a description of every other layer, for messages about ids that name neither.
struct GraphLayerIds {
  std::unordered_map<int64_t, Node*> io;
  std::unordered_map<int64_t, std::string> others;
};

// Reads the <layers> and <edges> under `root` (the <net>, or a sub-graph body) into a Graph:
// wiring, cycle check, tensor names, dead-node removal. `what` names it in messages ("model",
// "body"); ctx.source prefixes every message. Fills `ids` when given.
Graph read_graph(ReadContext& ctx, const pugi::xml_node& root, const char* what, GraphLayerIds* ids);

// Reads the bodies, port maps and back edges of an If, Loop or TensorIterator layer into the
// node's payload (host/graph/sub_graphs.h), validating every id and port; ir_sub_graphs.cpp.
void read_sub_graphs(ReadContext& ctx, const pugi::xml_node& layer, Node& node, const LayerPorts& ports,
                     const std::string& owner);

}  // namespace octet::ir_detail
