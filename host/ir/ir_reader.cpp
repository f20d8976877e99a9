// IR reader entry points: file loading, <net>/<layers>/<edges> structure, wiring, names, liveness.
#include "host/ir/ir_reader.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include "host/common/safe_file.h"
#include "host/graph/attributes.h"
#include "host/ir/ir_internal.h"

namespace octet {
namespace {

using ir_detail::LayerPorts;
using ir_detail::parse_ir_int;
using ir_detail::quoted;
using ir_detail::ReadContext;

struct PortKey {
  size_t layer;
  int64_t port;
  bool operator==(const PortKey& o) const { return layer == o.layer && port == o.port; }
};
struct PortKeyHash {
  size_t operator()(const PortKey& k) const {
    return std::hash<size_t>()(k.layer) * 1000003u ^ std::hash<int64_t>()(k.port);
  }
};

struct Layer {
  Node* node;
  LayerPorts ports;
};

int64_t edge_attr(const pugi::xml_node& edge, const char* name, const std::string& owner) {
  const pugi::xml_attribute a = edge.attribute(name);
  if (!a) raise(ErrorCode::kModel, "{}: has no '{}' attribute", owner, name);
  const auto v = parse_ir_int(a.value());
  if (!v || *v < 0)
    raise(ErrorCode::kModel, "{}: {} {} is not a non-negative integer", owner, name, quoted(a.value()));
  return *v;
}

// Reads <edges> and fills every node's inputs; each input port must be fed exactly once.
void connect_edges(const ReadContext& ctx, const pugi::xml_node& edges, std::vector<Layer>& layers,
                   const std::unordered_map<int64_t, size_t>& by_id) {
  std::unordered_map<PortKey, int, PortKeyHash> in_pos, out_pos;
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerPorts& p = layers[i].ports;
    for (size_t k = 0; k < p.input_ids.size(); ++k) in_pos[{i, p.input_ids[k]}] = static_cast<int>(k);
    for (size_t k = 0; k < p.output_ids.size(); ++k) out_pos[{i, p.output_ids[k]}] = static_cast<int>(k);
    layers[i].node->inputs.assign(p.input_ids.size(), Output{});
  }
  size_t count = 0;
  for (pugi::xml_node edge = edges.first_child(); edge; edge = edge.next_sibling()) {
    if (edge.type() != pugi::node_element) continue;
    if (std::strcmp(edge.name(), "edge") != 0)
      raise(ErrorCode::kModel, "{}: unexpected element <{}> in <edges>", ctx.source, edge.name());
    if (++count > kMaxEdges) raise(ErrorCode::kModel, "{}: more than {} edges", ctx.source, kMaxEdges);
    std::string owner = fmt::format("{}: edge #{}", ctx.source, count - 1);
    const int64_t from = edge_attr(edge, "from-layer", owner),
                  from_port = edge_attr(edge, "from-port", owner);
    const int64_t to = edge_attr(edge, "to-layer", owner), to_port = edge_attr(edge, "to-port", owner);
    owner = fmt::format("{}: edge #{} (from-layer {} from-port {} to-layer {} to-port {})", ctx.source,
                        count - 1, from, from_port, to, to_port);
    const auto src = by_id.find(from);
    if (src == by_id.end()) raise(ErrorCode::kModel, "{}: there is no layer with id {}", owner, from);
    const auto dst = by_id.find(to);
    if (dst == by_id.end()) raise(ErrorCode::kModel, "{}: there is no layer with id {}", owner, to);
    Node* producer = layers[src->second].node;
    Node* consumer = layers[dst->second].node;
    const auto out = out_pos.find({src->second, from_port});
    if (out == out_pos.end())
      raise(ErrorCode::kModel, "{}: {} has no output port {}", owner, producer->describe(), from_port);
    const auto in = in_pos.find({dst->second, to_port});
    if (in == in_pos.end())
      raise(ErrorCode::kModel, "{}: {} has no input port {}", owner, consumer->describe(), to_port);
    Output& slot = consumer->inputs[static_cast<size_t>(in->second)];
    if (slot.node)
      raise(ErrorCode::kModel, "{}: input port {} of {} already has an edge (from layer id {})", owner,
            to_port, consumer->describe(), slot.node->ir_id);
    slot = Output{producer, out->second};
  }
  for (const Layer& layer : layers) {
    for (size_t k = 0; k < layer.node->inputs.size(); ++k) {
      if (!layer.node->inputs[k].node)
        raise(ErrorCode::kModel, "{}: input port {} of {} is not connected", ctx.source,
              layer.ports.input_ids[k], layer.node->describe());
    }
  }
}

void add_name(Value& value, const std::string& name) {
  for (const auto& n : value.names)
    if (n == name) return;
  value.names.push_back(name);
}

// Result output_names (newest OV) and, for v10, OpenVINO's legacy tensor names (ir_reader.h).
void assign_io_names(const ReadContext& ctx, const std::vector<std::pair<Node*, std::string>>& output_names,
                     Graph& graph) {
  for (const auto& [result, names] : output_names) {
    const Output in = result->inputs[0];
    for (const auto& n : ir_detail::split_tensor_names(names))
      add_name(in.node->outputs[static_cast<size_t>(in.index)], n);
  }
  if (ctx.ir_version != 10) return;
  for (Node* p : graph.parameters)
    if (p->outputs[0].names.empty()) p->outputs[0].names.push_back(p->name);
  for (Node* result : graph.results) {
    const Output in = result->inputs[0];
    Value& value = in.node->outputs[static_cast<size_t>(in.index)];
    if (!value.names.empty()) continue;
    std::string name = in.node->name;
    if (in.node->outputs.size() > 1) name += "." + std::to_string(in.index);
    value.names.push_back(name);
  }
}

void check_unique_names(const ReadContext& ctx, const Graph& graph) {
  std::unordered_map<std::string_view, const Node*> parameter_names;
  for (const Node* p : graph.parameters) {
    const auto [it, fresh] = parameter_names.emplace(p->name, p);
    if (!fresh)
      raise(ErrorCode::kModel, "{}: Parameter name '{}' is used by both {} and {}", ctx.source, p->name,
            it->second->describe(), p->describe());
  }
  std::unordered_map<std::string_view, std::pair<const Node*, size_t>> tensor_names;
  for (const auto& node : graph.nodes()) {
    for (size_t i = 0; i < node->outputs.size(); ++i) {
      for (const auto& n : node->outputs[i].names) {
        const auto [it, fresh] = tensor_names.emplace(n, std::make_pair(node.get(), i));
        if (!fresh)
          raise(ErrorCode::kModel, "{}: tensor name '{}' is used by both {} output {} and {} output {}",
                ctx.source, n, it->second.first->describe(), it->second.second, node->describe(), i);
      }
    }
  }
}

}  // namespace

namespace ir_detail {

Graph read_graph(ReadContext& ctx, const pugi::xml_node& root, const char* what, GraphLayerIds* ids) {
  const pugi::xml_node layers_xml = root.child("layers");
  const pugi::xml_node edges_xml = root.child("edges");
  if (!layers_xml) raise(ErrorCode::kModel, "{}: <{}> has no <layers>", ctx.source, root.name());
  if (!edges_xml) raise(ErrorCode::kModel, "{}: <{}> has no <edges>", ctx.source, root.name());
  if (layers_xml.next_sibling("layers"))
    raise(ErrorCode::kModel, "{}: <{}> has more than one <layers>", ctx.source, root.name());
  if (edges_xml.next_sibling("edges"))
    raise(ErrorCode::kModel, "{}: <{}> has more than one <edges>", ctx.source, root.name());

  // Counted before anything is built so that an absurd file is refused cheaply; bodies count
  // towards the same limit as the model.
  size_t layer_count = 0;
  for (pugi::xml_node layer = layers_xml.first_child(); layer; layer = layer.next_sibling())
    if (layer.type() == pugi::node_element &&
        (++layer_count > kMaxLayers || ctx.layers_read + layer_count > kMaxLayers))
      raise(ErrorCode::kModel, "{}: more than {} layers", ctx.source, kMaxLayers);
  ctx.layers_read += layer_count;

  Graph graph;
  graph.source = ctx.source;
  graph.ir_version = ctx.ir_version;
  std::vector<Layer> layers;
  layers.reserve(layer_count);
  std::unordered_map<int64_t, size_t> by_id;
  by_id.reserve(layer_count);
  std::vector<std::pair<Node*, std::string>> output_names;
  for (pugi::xml_node layer = layers_xml.first_child(); layer; layer = layer.next_sibling()) {
    if (layer.type() != pugi::node_element) continue;
    if (std::strcmp(layer.name(), "layer") != 0)
      raise(ErrorCode::kModel, "{}: unexpected element <{}> in <layers>", ctx.source, layer.name());
    if (layers.size() >= kMaxLayers)
      raise(ErrorCode::kModel, "{}: more than {} layers", ctx.source, kMaxLayers);
    Layer entry{};
    entry.node = ir_detail::read_layer(ctx, layer, layers.size(), graph, entry.ports);
    const auto [it, fresh] = by_id.emplace(entry.node->ir_id, layers.size());
    if (!fresh)
      raise(ErrorCode::kModel, "{}: duplicate layer id {}: {} and {}", ctx.source, entry.node->ir_id,
            layers[it->second].node->describe(), entry.node->describe());
    if (entry.node->op == OpKind::kParameter) graph.parameters.push_back(entry.node);
    if (entry.node->op == OpKind::kResult) {
      graph.results.push_back(entry.node);
      if (const pugi::xml_attribute names = layer.attribute("output_names"))
        output_names.emplace_back(entry.node, names.value());
    }
    layers.push_back(std::move(entry));
  }
  connect_edges(ctx, edges_xml, layers, by_id);
  if (graph.results.empty()) raise(ErrorCode::kModel, "{}: the {} has no Result layer", ctx.source, what);

  // Cycles anywhere in the file are errors, even among layers that would be dropped as dead.
  try {
    graph.topological_order();
  } catch (const Error& e) {
    rethrow_with_context(e, ctx.source);
  }
  assign_io_names(ctx, output_names, graph);
  if (ids) {
    // Parameters and Results survive the dead-node removal below; other layers are kept by
    // description only.
    for (const Layer& layer : layers) {
      const Node* n = layer.node;
      if (n->op == OpKind::kParameter || n->op == OpKind::kResult)
        ids->io.emplace(n->ir_id, layer.node);
      else
        ids->others.emplace(n->ir_id, n->describe());
    }
  }
  graph.remove_dead_nodes();
  check_unique_names(ctx, graph);
  return graph;
}

}  // namespace ir_detail

namespace {

Graph read_ir(ReadContext& ctx) {
  if (ctx.xml.empty()) raise(ErrorCode::kModel, "{}: the model XML is empty", ctx.source);
  pugi::xml_document doc;
  ir_detail::parse_xml_document(ctx.xml, ctx.source, doc);

  pugi::xml_node net;
  for (pugi::xml_node n = doc.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element) continue;
    if (net)
      raise(ErrorCode::kModel, "{}: extra root element <{}> after <{}>", ctx.source, n.name(), net.name());
    net = n;
  }
  if (!net || std::strcmp(net.name(), "net") != 0)
    raise(ErrorCode::kModel, "{}: missing <net> root element{}", ctx.source,
          net ? fmt::format(" (found <{}>)", net.name()) : std::string());
  const pugi::xml_attribute version_attr = net.attribute("version");
  if (!version_attr) raise(ErrorCode::kModel, "{}: <net> has no 'version' attribute", ctx.source);
  const auto version = parse_ir_int(version_attr.value());
  if (!version)
    raise(ErrorCode::kModel, "{}: <net> version {} is not a number", ctx.source,
          quoted(version_attr.value()));
  if (*version != 10 && *version != 11)
    raise(ErrorCode::kUnsupported, "{}: IR version {} is not supported (only 10 and 11)", ctx.source,
          *version);
  ctx.ir_version = static_cast<int>(*version);
  if (net.child("pre-process"))
    raise(ErrorCode::kUnsupported, "{}: legacy <pre-process> blocks are not supported", ctx.source);

  Graph graph = ir_detail::read_graph(ctx, net, "model", nullptr);
  graph.name = net.attribute("name").value();
  return graph;
}

// The whole file, refusing anything but a regular file before reading (a FIFO given as the model
// would otherwise block the load forever). Every failure is kNotFound "cannot open <what> '<path>'"
// (bad-inputs.md row 1); `exists` tells a missing file from one that is present but unusable.
std::shared_ptr<std::vector<uint8_t>> read_whole_file(const std::string& path, const char* what,
                                                      bool* exists) {
  if (exists) *exists = true;
  try {
    return std::make_shared<std::vector<uint8_t>>(read_regular_file(path, what, FileLimits{}));
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kOutOfMemory) throw;
    if (exists && e.code() == ErrorCode::kNotFound) *exists = false;
    raise(ErrorCode::kNotFound, "{}", e.what());
  }
}

}  // namespace

Graph read_ir_memory(std::string_view xml, std::shared_ptr<const std::vector<uint8_t>> bin,
                     const std::string& name) {
  ReadContext ctx;
  ctx.xml = xml;
  ctx.source = name;
  ctx.bin = bin.get();
  ctx.bin_missing = "no weights were given (empty weights data in bin file or bin file cannot be found)";
  ctx.bin_missing_code = ErrorCode::kModel;
  return read_ir(ctx);
}

Graph read_ir_file(const std::string& xml_path, const std::string& bin_path) {
  return read_ir_file(xml_path, bin_path, nullptr);
}

Graph read_ir_file(const std::string& xml_path, const std::string& bin_path, IrFileBytes* bytes) {
  const auto xml = read_whole_file(xml_path, "model", nullptr);
  if (xml->empty()) raise(ErrorCode::kNotFound, "cannot open model '{}': the file is empty", xml_path);
  std::string weights = bin_path;
  if (weights.empty()) {
    const size_t n = xml_path.size();
    weights = n >= 4 && xml_path.compare(n - 4, 4, ".xml") == 0 ? xml_path.substr(0, n - 4) + ".bin"
                                                                : xml_path + ".bin";
  }
  std::shared_ptr<std::vector<uint8_t>> bin;
  std::string missing;
  if (!bin_path.empty()) {
    bin = read_whole_file(bin_path, "weights", nullptr);
  } else {
    bool exists = false;
    try {
      bin = read_whole_file(weights, "weights", &exists);
    } catch (const Error& e) {
      if (exists) throw;  // present but unreadable
      missing = fmt::format(
          "the weights file '{}' cannot be found (empty weights data in bin file or bin file "
          "cannot be found)",
          weights);
    }
  }
  ReadContext ctx;
  ctx.xml = std::string_view(reinterpret_cast<const char*>(xml->data()), xml->size());
  ctx.source = xml_path;
  ctx.bin = bin.get();
  ctx.bin_missing = missing;
  ctx.bin_missing_code = ErrorCode::kNotFound;
  Graph graph = read_ir(ctx);
  if (bytes) *bytes = {xml, bin};
  return graph;
}

}  // namespace octet
