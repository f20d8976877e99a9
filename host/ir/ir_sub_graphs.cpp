// Reads the bodies, port maps and back edges of If, Loop and TensorIterator layers (the payload of
// host/graph/sub_graphs.h) as OpenVINO's serializer writes them:
//
//   <layer type="Loop" version="opset5">                 <layer type="If" version="opset8">
//     <port_map>                                           <then_port_map> <input .../> <output .../>
//       <input external_port_id="2" internal_layer_id="0" axis="1" start="0" end="-1" stride="1"
//              part_size="1"/>                             </then_port_map> (else_port_map alike)
//       <input external_port_id="-1" internal_layer_id="2" purpose="current_iteration"/>
//       <output external_port_id="4" internal_layer_id="11" axis="0" .../>
//       <output external_port_id="-1" internal_layer_id="10" purpose="execution_condition"/>
//     </port_map>
//     <back_edges> <edge from-layer="12" to-layer="0"/> </back_edges>
//     <input>/<output> ports, then <body> (If: <then_body>, <else_body>) holding <layers>/<edges>.
//
// external_port_id is the id of one of the layer's own <port>s; internal_layer_id the id of a body
// Parameter (inputs) or Result (outputs); back edges go from a body Result to a body Parameter whose
// port-map input gives the first iteration's value. Everything is checked, with errors naming the
// layer, the body and the port-map entry; bodies nested more than kMaxBodyDepth deep are refused
// before they are read, so reading recurses at most that deep.
#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "host/graph/sub_graphs.h"
#include "host/ir/ir_internal.h"
#include "host/ir/ir_reader.h"

namespace octet::ir_detail {
namespace {

constexpr const char* kSubGraphParts[] = {"body",          "then_body",     "else_body", "port_map",
                                          "then_port_map", "else_port_map", "back_edges"};

// One <input> or <output> of a port map.
struct MapEntry {
  bool input = true;
  int64_t external = -1, internal = -1;
  bool sliced = false;  // has `axis`
  PortSlicing slicing;
  std::string purpose;
  std::string owner;  // for messages
};

int64_t int_attr(const pugi::xml_attribute& a, const std::string& owner) {
  const auto v = parse_ir_int(a.value());
  if (!v) raise(ErrorCode::kModel, "{}: '{}' = {} is not an integer", owner, a.name(), quoted(a.value()));
  return *v;
}

std::vector<MapEntry> read_port_map(const pugi::xml_node& map, const std::string& owner) {
  std::vector<MapEntry> entries;
  size_t count = 0;
  for (pugi::xml_node e = map.first_child(); e; e = e.next_sibling()) {
    if (e.type() != pugi::node_element) continue;
    const bool input = std::strcmp(e.name(), "input") == 0;
    if (!input && std::strcmp(e.name(), "output") != 0)
      raise(ErrorCode::kModel, "{}: unexpected element <{}> in <{}>", owner, e.name(), map.name());
    MapEntry entry;
    entry.input = input;
    entry.owner = fmt::format("{}: <{}> {} #{}", owner, map.name(), e.name(), count++);
    bool has_external = false, has_internal = false, has_range = false;
    for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
      const std::string_view name = a.name();
      if (name == "external_port_id") {
        entry.external = int_attr(a, entry.owner);
        has_external = true;
      } else if (name == "internal_layer_id") {
        entry.internal = int_attr(a, entry.owner);
        has_internal = true;
      } else if (name == "axis") {
        entry.slicing.axis = int_attr(a, entry.owner);
        entry.sliced = true;
      } else if (name == "start" || name == "end" || name == "stride" || name == "part_size") {
        const int64_t v = int_attr(a, entry.owner);
        if (name == "start") entry.slicing.start = v;
        if (name == "end") entry.slicing.end = v;
        if (name == "stride") entry.slicing.stride = v;
        if (name == "part_size") entry.slicing.part_size = v;
        has_range = true;
      } else if (name == "purpose") {
        entry.purpose = a.value();
      } else {
        raise(ErrorCode::kUnsupported,
              "{}: attribute '{}' = {} is not one octet knows; refusing rather than "
              "ignoring it",
              entry.owner, a.name(), quoted(a.value()));
      }
    }
    if (!has_external) raise(ErrorCode::kModel, "{}: has no 'external_port_id'", entry.owner);
    if (!has_internal) raise(ErrorCode::kModel, "{}: has no 'internal_layer_id'", entry.owner);
    entry.owner = fmt::format("{}: <{}> {} (external_port_id {}, internal_layer_id {})", owner, map.name(),
                              e.name(), entry.external, entry.internal);
    if (has_range && !entry.sliced)
      raise(ErrorCode::kModel, "{}: has start/end/stride/part_size but no 'axis' to apply them to",
            entry.owner);
    if (entry.slicing.stride == 0) raise(ErrorCode::kModel, "{}: stride is 0", entry.owner);
    if (entry.slicing.part_size < 1)
      raise(ErrorCode::kModel, "{}: part_size {} is not positive", entry.owner, entry.slicing.part_size);
    entries.push_back(std::move(entry));
  }
  return entries;
}

// Position of the layer's port with id `external` among its input (or output) ports, or -1.
int64_t port_position(const std::vector<int64_t>& ids, int64_t external) {
  const auto it = std::find(ids.begin(), ids.end(), external);
  return it == ids.end() ? -1 : static_cast<int64_t>(it - ids.begin());
}

// The body layer `id` as a Parameter or Result; errors name the body and the entry.
Node* body_layer(const GraphLayerIds& ids, int64_t id, OpKind kind, const std::string& owner,
                 const char* body_name) {
  const auto io = ids.io.find(id);
  if (io != ids.io.end() && io->second->op == kind) return io->second;
  const char* wanted = kind == OpKind::kParameter ? "Parameter" : "Result";
  if (io != ids.io.end())
    raise(ErrorCode::kModel, "{}: layer {} of <{}> is {}, not a {}", owner, id, body_name,
          io->second->describe(), wanted);
  const auto other = ids.others.find(id);
  if (other != ids.others.end())
    raise(ErrorCode::kModel, "{}: layer {} of <{}> is {}, not a {}", owner, id, body_name, other->second,
          wanted);
  raise(ErrorCode::kModel, "{}: <{}> has no layer with id {}", owner, body_name, id);
}

std::string body_node(const Node* n) {
  return fmt::format("'{}' (id {})", n->name, n->ir_id);
}

// The single child `name` of the layer; `required` says whether it must be there.
pugi::xml_node part(const pugi::xml_node& layer, const char* name, bool required, const std::string& owner) {
  const pugi::xml_node found = layer.child(name);
  if (!found && required) raise(ErrorCode::kModel, "{}: has no <{}>", owner, name);
  if (found && found.next_sibling(name)) raise(ErrorCode::kModel, "{}: has more than one <{}>", owner, name);
  return found;
}

class BodyReader {
 public:
  BodyReader(ReadContext& ctx, const pugi::xml_node& layer, Node& node, const LayerPorts& ports,
             const std::string& owner, SubGraphs& s)
      : ctx_(ctx), layer_(layer), node_(node), ports_(ports), owner_(owner), s_(s) {}

  Body read(const char* body_name, const char* map_name) {
    body_name_ = body_name;
    Body body;
    body.label = body_name;
    read_graph_part(body);
    param_index_.clear();
    result_index_.clear();
    const Graph& g = *body.graph;
    for (size_t i = 0; i < g.parameters.size(); ++i) param_index_.emplace(g.parameters[i], i);
    for (size_t i = 0; i < g.results.size(); ++i) result_index_.emplace(g.results[i], i);
    const std::vector<MapEntry> entries = read_port_map(part(layer_, map_name, true, owner_), owner_);
    read_inputs(body, entries);
    if (node_.op != OpKind::kIf) read_back_edges(body);
    check_every_parameter_fed(body);
    read_outputs(body, entries);
    return body;
  }

 private:
  void read_graph_part(Body& body) {
    const pugi::xml_node xml = part(layer_, body_name_, true, owner_);
    if (ctx_.body_depth >= kMaxBodyDepth)
      raise(ErrorCode::kModel,
            "{}: nesting too deep: its <{}> would be sub-graph level {}, above the limit of {}", owner_,
            body_name_, ctx_.body_depth + 1, kMaxBodyDepth);
    // Messages from inside the body name the layer and the body; the context is restored on the
    // way out, error or not.
    struct Nested {
      ReadContext& ctx;
      std::string outer;
      Nested(ReadContext& c, std::string source) : ctx(c), outer(std::move(c.source)) {
        ctx.source = std::move(source);
        ++ctx.body_depth;
      }
      ~Nested() {
        ctx.source = std::move(outer);
        --ctx.body_depth;
      }
    } nested(ctx_, fmt::format("{} <{}>", owner_, body_name_));
    Graph g = read_graph(ctx_, xml, "body", &ids_);
    if (xml.attribute("name")) g.name = xml.attribute("name").value();
    body.graph = std::make_shared<Graph>(std::move(g));
  }

  void read_inputs(Body& body, const std::vector<MapEntry>& entries) {
    fed_.clear();
    const bool is_loop = node_.op == OpKind::kLoop;
    for (const MapEntry& e : entries) {
      if (!e.input) continue;
      Node* p = body_layer(ids_, e.internal, OpKind::kParameter, e.owner, body_name_);
      const size_t index = param_index_.at(p);
      if (!fed_.insert(index).second)
        raise(ErrorCode::kModel, "{}: <{}> Parameter {} is already named by another port_map input", e.owner,
              body_name_, body_node(p));
      if (!e.purpose.empty()) {
        if (!is_loop || e.purpose != "current_iteration")
          raise(ErrorCode::kModel, "{}: purpose {} is not valid here{}", e.owner, quoted(e.purpose),
                is_loop ? " (an input's purpose can only be \"current_iteration\")"
                        : " (only Loop has purposes)");
        if (e.external != -1 || e.sliced)
          raise(ErrorCode::kModel, "{}: the current-iteration input takes no external port and no axis",
                e.owner);
        if (s_.current_iteration >= 0)
          raise(ErrorCode::kModel, "{}: a second current-iteration input", e.owner);
        s_.current_iteration = static_cast<int64_t>(index);
        continue;
      }
      const int64_t pos = port_position(ports_.input_ids, e.external);
      if (pos < 0)
        raise(ErrorCode::kModel, "{}: {} has no input port {}", e.owner, node_.describe(), e.external);
      if (e.sliced && node_.op == OpKind::kIf)
        raise(ErrorCode::kModel, "{}: If inputs are not sliced ('axis' has no meaning here)", e.owner);
      BodyInput in;
      in.kind = e.sliced ? BodyInputKind::kSliced : BodyInputKind::kInvariant;
      in.input = static_cast<size_t>(pos);
      in.parameter = index;
      in.slicing = e.slicing;
      body.inputs.push_back(in);
    }
  }

  void read_back_edges(Body& body) {
    const pugi::xml_node edges = part(layer_, "back_edges", false, owner_);
    if (!edges) return;
    size_t count = 0;
    for (pugi::xml_node e = edges.first_child(); e; e = e.next_sibling()) {
      if (e.type() != pugi::node_element) continue;
      if (std::strcmp(e.name(), "edge") != 0)
        raise(ErrorCode::kModel, "{}: unexpected element <{}> in <back_edges>", owner_, e.name());
      std::string owner = fmt::format("{}: <back_edges> edge #{}", owner_, count++);
      int64_t from = -1, to = -1;
      for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
        const std::string_view name = a.name();
        if (name == "from-layer") {
          from = int_attr(a, owner);
        } else if (name == "to-layer") {
          to = int_attr(a, owner);
        } else if (name == "from-port" || name == "to-port") {
          int_attr(a, owner);  // older writers add the (only) port; the layers alone say it all
        } else {
          raise(ErrorCode::kUnsupported, "{}: attribute '{}' = {} is not one octet knows", owner, a.name(),
                quoted(a.value()));
        }
      }
      if (!e.attribute("from-layer") || !e.attribute("to-layer"))
        raise(ErrorCode::kModel, "{}: needs both 'from-layer' and 'to-layer'", owner);
      owner = fmt::format("{}: <back_edges> edge from-layer {} to-layer {}", owner_, from, to);
      const Node* r = body_layer(ids_, from, OpKind::kResult, owner, body_name_);
      const Node* p = body_layer(ids_, to, OpKind::kParameter, owner, body_name_);
      const size_t param = param_index_.at(p);
      if (static_cast<int64_t>(param) == s_.current_iteration)
        raise(ErrorCode::kUnsupported,
              "{}: a back edge into the current-iteration Parameter {} is not supported", owner,
              body_node(p));
      BodyInput* target = nullptr;
      for (BodyInput& in : body.inputs)
        if (in.parameter == param) target = &in;
      if (!target)
        raise(ErrorCode::kModel, "{}: Parameter {} has a back edge but no port_map input for its first value",
              owner, body_node(p));
      if (target->kind == BodyInputKind::kSliced)
        raise(ErrorCode::kModel,
              "{}: Parameter {} is sliced (port_map 'axis') and cannot also take a back edge", owner,
              body_node(p));
      if (target->kind == BodyInputKind::kMerged)
        raise(ErrorCode::kModel, "{}: Parameter {} already has a back edge", owner, body_node(p));
      target->kind = BodyInputKind::kMerged;
      target->back_edge = result_index_.at(r);
    }
  }

  void check_every_parameter_fed(const Body& body) {
    for (size_t i = 0; i < body.graph->parameters.size(); ++i) {
      if (fed_.count(i)) continue;
      const Node* p = body.graph->parameters[i];
      raise(ErrorCode::kModel, "{}: <{}> Parameter {} gets no value: no port_map input names it", owner_,
            body_name_, body_node(p));
    }
  }

  void read_outputs(Body& body, const std::vector<MapEntry>& entries) {
    const bool is_loop = node_.op == OpKind::kLoop;
    std::vector<bool> mapped(ports_.output_ids.size(), false);
    for (const MapEntry& e : entries) {
      if (e.input) continue;
      const Node* r = body_layer(ids_, e.internal, OpKind::kResult, e.owner, body_name_);
      const size_t index = result_index_.at(r);
      if (!e.purpose.empty()) {
        if (!is_loop || e.purpose != "execution_condition")
          raise(ErrorCode::kModel, "{}: purpose {} is not valid here{}", e.owner, quoted(e.purpose),
                is_loop ? " (an output's purpose can only be \"execution_condition\")"
                        : " (only Loop has purposes)");
        if (e.external != -1 || e.sliced)
          raise(ErrorCode::kModel, "{}: the execution-condition output takes no external port and no axis",
                e.owner);
        if (s_.condition >= 0) raise(ErrorCode::kModel, "{}: a second execution-condition output", e.owner);
        s_.condition = static_cast<int64_t>(index);
        continue;
      }
      if (e.external == -1) continue;  // a Result only for the body's own use (as OpenVINO reads it)
      const int64_t pos = port_position(ports_.output_ids, e.external);
      if (pos < 0)
        raise(ErrorCode::kModel, "{}: {} has no output port {}", e.owner, node_.describe(), e.external);
      if (mapped[static_cast<size_t>(pos)])
        raise(ErrorCode::kModel, "{}: output port {} is already given by another port_map output", e.owner,
              e.external);
      mapped[static_cast<size_t>(pos)] = true;
      if (e.sliced && node_.op == OpKind::kIf)
        raise(ErrorCode::kModel, "{}: If outputs are not concatenated ('axis' has no meaning here)", e.owner);
      BodyOutput out;
      out.kind = e.sliced ? BodyOutputKind::kConcat : BodyOutputKind::kLastValue;
      out.output = static_cast<size_t>(pos);
      out.result = index;
      out.slicing = e.slicing;
      body.outputs.push_back(out);
    }
    for (size_t k = 0; k < mapped.size(); ++k)
      if (!mapped[k])
        raise(ErrorCode::kModel, "{}: output port {} is given by no port_map output of <{}>", owner_,
              ports_.output_ids[k], body_name_);
    if (is_loop && s_.condition < 0)
      raise(ErrorCode::kModel,
            "{}: has no port_map output with purpose \"execution_condition\" (the Loop spec "
            "requires one)",
            owner_);
  }

  ReadContext& ctx_;
  const pugi::xml_node& layer_;
  Node& node_;
  const LayerPorts& ports_;
  const std::string& owner_;
  SubGraphs& s_;
  const char* body_name_ = "body";
  GraphLayerIds ids_;
  std::unordered_map<const Node*, size_t> param_index_, result_index_;
  std::unordered_set<size_t> fed_;
};

}  // namespace

void read_sub_graphs(ReadContext& ctx, const pugi::xml_node& layer, Node& node, const LayerPorts& ports,
                     const std::string& owner) {
  const bool is_if = node.op == OpKind::kIf;
  const size_t min_inputs = is_if ? 1 : node.op == OpKind::kLoop ? 2 : 0;
  if (ports.input_ids.size() < min_inputs)
    raise(ErrorCode::kModel, "{}: needs at least {} input ports, has {}", owner, min_inputs,
          ports.input_ids.size());
  // The parts of the other kind of sub-graph op would be silently ignored: refuse them.
  for (const char* name : kSubGraphParts) {
    const bool own = is_if ? std::strncmp(name, "then_", 5) == 0 || std::strncmp(name, "else_", 5) == 0
                           : std::strncmp(name, "then_", 5) != 0 && std::strncmp(name, "else_", 5) != 0;
    if (!own && layer.child(name))
      raise(ErrorCode::kModel, "{}: has a <{}>, which {} layers do not have", owner, name, op_name(node.op));
  }
  auto s = std::make_shared<SubGraphs>();
  if (is_if) {
    BodyReader then_reader(ctx, layer, node, ports, owner, *s);
    s->bodies.push_back(then_reader.read("then_body", "then_port_map"));
    BodyReader else_reader(ctx, layer, node, ports, owner, *s);
    s->bodies.push_back(else_reader.read("else_body", "else_port_map"));
  } else {
    BodyReader reader(ctx, layer, node, ports, owner, *s);
    s->bodies.push_back(reader.read("body", "port_map"));
  }
  node.payload = std::move(s);
}

}  // namespace octet::ir_detail
