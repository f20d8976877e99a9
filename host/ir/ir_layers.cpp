// Reads one IR <layer>: op and version, <data> attributes, ports, rt_info, Const and Parameter data.
#include <cctype>
#include <cstring>
#include <limits>
#include <unordered_set>

#include "host/common/text.h"
#include "host/graph/attributes.h"
#include "host/graph/sub_graphs.h"
#include "host/ir/ir_internal.h"
#include "host/ir/ir_reader.h"

namespace octet::ir_detail {
namespace {

// The only children of `parent` named `name`; more than one is an error.
pugi::xml_node single_child(const pugi::xml_node& parent, const char* name, const std::string& owner) {
  pugi::xml_node found = parent.child(name);
  if (found && found.next_sibling(name)) raise(ErrorCode::kModel, "{}: has more than one <{}>", owner, name);
  return found;
}

std::string_view required_attr(const pugi::xml_node& node, const char* name, const std::string& owner) {
  const pugi::xml_attribute a = node.attribute(name);
  if (!a) raise(ErrorCode::kModel, "{}: <{}> has no '{}' attribute", owner, node.name(), name);
  return a.value();
}

void check_name_length(std::string_view value, const char* what, const std::string& owner) {
  if (value.size() > kMaxNameBytes)
    raise(ErrorCode::kModel, "{}: {} of {} bytes is longer than the limit of {}", owner, what, value.size(),
          kMaxNameBytes);
}

ElementType element_type_of(std::string_view text, const std::string& owner, const char* what) {
  bool unsupported = false;
  const auto type = parse_element_type(trim(text), &unsupported);
  if (type) return *type;
  if (unsupported)
    raise(ErrorCode::kUnsupported, "{}: {} {} is not supported by octet", owner, what, quoted(text));
  raise(ErrorCode::kModel, "{}: {} {} is not an element type", owner, what, quoted(text));
}

// A shape attribute: "1, 3, 224, 224", "" (scalar), optional [ ]; with `dynamic`, also "?", "-1",
// and intervals "a..b", "a..", "..b" (all read as a dynamic dim).
Dims parse_shape_attr(const Attributes& attrs, const char* key, bool dynamic) {
  std::string_view text = trim(attrs.str(key));
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = trim(text.substr(1, text.size() - 2));
  Dims dims;
  if (text.empty()) return dims;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view piece =
        trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (dims.size() >= kMaxRank) attrs.fail(key, fmt::format("has more than {} dimensions", kMaxRank));
    if (piece == "...") {
      if (dynamic) raise(ErrorCode::kUnsupported, "{}: dynamic rank ('...') is not supported", attrs.owner());
      attrs.fail(key, "must be a static shape");
    }
    if (const size_t dots = piece.find(".."); dots != std::string_view::npos) {
      if (!dynamic) attrs.fail(key, "must be a static shape");
      const std::string_view lo = trim(piece.substr(0, dots)), hi = trim(piece.substr(dots + 2));
      const auto lo_v = lo.empty() ? std::optional<int64_t>(0) : parse_ir_int(lo);
      const auto hi_v = hi.empty() ? std::optional<int64_t>(kMaxDim) : parse_ir_int(hi);
      if (!lo_v || !hi_v || *lo_v < 0 || *hi_v < *lo_v || *hi_v > kMaxDim)
        attrs.fail(key, fmt::format("has an invalid interval {}", quoted(piece)));
      dims.push_back(kDynamicDim);
    } else if (piece == "?") {
      if (!dynamic) attrs.fail(key, "must be a static shape");
      dims.push_back(kDynamicDim);
    } else {
      const auto v = parse_ir_int(piece);
      if (!v) attrs.fail(key, fmt::format("has a non-numeric dimension {}", quoted(piece)));
      if (*v == kDynamicDim && !dynamic) attrs.fail(key, "must be a static shape");
      if (*v < kDynamicDim || *v > kMaxDim) attrs.fail(key, fmt::format("has an invalid dimension {}", *v));
      dims.push_back(*v);
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return dims;
}

// The op a layer's (type, version) selects, by OpenVINO's opset tables; kUnsupported when the
// version is not one octet implements (reading a newer or older version as another would silently
// drop or misread its attributes).
std::pair<OpKind, int> resolve_op(ReadContext& ctx, std::string_view type, std::string_view version,
                                  const std::string& owner) {
  const std::string v = lower(trim(version));
  std::optional<int64_t> opset;
  if (v.size() > 5 && v.compare(0, 5, "opset") == 0) opset = parse_ir_int(std::string_view(v).substr(5));
  if (!opset || *opset < 1 || *opset > 1000)
    raise(ErrorCode::kUnsupported, "{}: op {} has version {}, which is not an OpenVINO opset (opsetN)", owner,
          quoted(type), quoted(version));
  const std::string key = fmt::format("{}/{}", type, *opset);
  auto it = ctx.op_cache.find(key);
  if (it == ctx.op_cache.end())
    it = ctx.op_cache.emplace(key, resolve_ir_op(type, static_cast<int>(*opset))).first;
  const IrOpLookup& found = it->second;
  if (!found.op) raise(ErrorCode::kUnsupported, "{}: {}", owner, found.error);
  return {*found.op, found.version};
}

// Reads the <port>s of an <input> or <output> list. Output ports also produce Values.
void read_ports(const pugi::xml_node& list, bool outputs, const std::string& owner, std::vector<int64_t>& ids,
                std::vector<Value>* values) {
  std::unordered_set<int64_t> seen;
  for (pugi::xml_node port = list.first_child(); port; port = port.next_sibling()) {
    if (port.type() != pugi::node_element) continue;
    if (std::strcmp(port.name(), "port") != 0)
      raise(ErrorCode::kModel, "{}: unexpected element <{}> in <{}>", owner, port.name(), list.name());
    const std::string_view id_text = required_attr(port, "id", owner);
    const auto id = parse_ir_int(id_text);
    if (!id || *id < 0)
      raise(ErrorCode::kModel, "{}: {} port id {} is not a non-negative integer", owner, list.name(),
            quoted(id_text));
    if (!seen.insert(*id).second)
      raise(ErrorCode::kModel, "{}: duplicate {} port id {}", owner, list.name(), *id);
    const std::string port_owner = fmt::format("{}: {} port {}", owner, list.name(), *id);
    Dims dims;
    for (pugi::xml_node dim = port.child("dim"); dim; dim = dim.next_sibling("dim")) {
      if (dims.size() >= kMaxRank) raise(ErrorCode::kModel, "{}: more than {} dims", port_owner, kMaxRank);
      const auto d = parse_ir_int(dim.child_value());
      if (!d || *d < kDynamicDim || *d > kMaxDim)
        raise(ErrorCode::kModel, "{}: invalid <dim> {}", port_owner, quoted(dim.child_value()));
      dims.push_back(*d);
    }
    ids.push_back(*id);
    if (!outputs) continue;
    Value value;
    if (const pugi::xml_attribute precision = port.attribute("precision")) {
      const std::string p = lower(trim(precision.value()));
      // Ports of dynamically typed values are written as UNSPECIFIED; their type comes later.
      if (p != "unspecified" && p != "undefined" && p != "dynamic")
        value.type = element_type_of(precision.value(), port_owner, "precision");
    }
    if (is_static(dims)) {
      try {
        element_storage_bytes(value.type == ElementType::kUndefined ? ElementType::kU8 : value.type,
                              element_count(dims));
      } catch (const Error& e) {
        rethrow_with_context(e, port_owner);
      }
    }
    value.declared_shape = dims;
    value.has_declared_shape = true;
    value.shape = std::move(dims);
    if (const pugi::xml_attribute names = port.attribute("names")) {
      value.names = split_tensor_names(names.value());
      for (const auto& n : value.names) check_name_length(n, "tensor name", port_owner);
    }
    values->push_back(std::move(value));
  }
}

// Node-level rt_info (v11): each <attribute name=...> maps to its `value` (or first other field).
void read_rt_info(const pugi::xml_node& layer, const std::string& owner, Node& node) {
  const pugi::xml_node rt = single_child(layer, "rt_info", owner);
  if (!rt) return;
  for (pugi::xml_node a = rt.child("attribute"); a; a = a.next_sibling("attribute")) {
    const std::string_view name = required_attr(a, "name", owner + ": rt_info");
    std::string value;
    if (const pugi::xml_attribute v = a.attribute("value")) {
      value = v.value();
    } else {
      for (pugi::xml_attribute f = a.first_attribute(); f; f = f.next_attribute()) {
        if (std::strcmp(f.name(), "name") != 0 && std::strcmp(f.name(), "version") != 0) {
          value = f.value();
          break;
        }
      }
    }
    node.rt_info[std::string(name)] = std::move(value);
  }
}

void check_port_counts(const Node& node, const LayerPorts& ports, size_t inputs, size_t outputs,
                       const std::string& owner) {
  if (ports.input_ids.size() != inputs || ports.output_ids.size() != outputs)
    raise(ErrorCode::kModel, "{}: must have {} input and {} output ports, has {} and {}", owner, inputs,
          outputs, ports.input_ids.size(), ports.output_ids.size());
  (void)node;
}

void check_precision(const Value& value, ElementType type, const std::string& owner) {
  if (value.type != ElementType::kUndefined && value.type != type)
    raise(ErrorCode::kModel, "{}: output precision {} disagrees with element_type {}", owner,
          element_type_name(value.type), element_type_name(type));
}

void read_constant(ReadContext& ctx, Node& node, const std::string& owner) {
  const Attributes& attrs = node.attrs;
  const ElementType type = element_type_of(attrs.str("element_type"), owner, "element_type");
  const Dims shape = parse_shape_attr(attrs, "shape", false);
  const int64_t offset = attrs.i64("offset");
  const int64_t size = attrs.i64("size");
  if (offset < 0) attrs.fail("offset", "must not be negative");
  if (size < 0) attrs.fail("size", "must not be negative");
  int64_t count = 0;
  size_t bytes = 0;
  try {
    count = element_count(shape);
    bytes = element_storage_bytes(type, count);
  } catch (const Error& e) {
    rethrow_with_context(e, owner);
  }
  if (static_cast<uint64_t>(size) < bytes)
    raise(ErrorCode::kModel, "{}: size {} is smaller than the {} bytes of {} {} elements", owner, size, bytes,
          to_string(shape), element_type_name(type));
  if (!ctx.bin) raise(ctx.bin_missing_code, "{}: Const needs weights, but {}", owner, ctx.bin_missing);
  // Component-wise so that offset + size cannot wrap around.
  const uint64_t bin_size = ctx.bin->size();
  if (static_cast<uint64_t>(offset) > bin_size || static_cast<uint64_t>(size) > bin_size - offset)
    raise(ErrorCode::kModel, "{}: offset {} + size {} is past the end of the {}-byte weights", owner, offset,
          size, bin_size);
  check_precision(node.outputs[0], type, owner);
  Tensor tensor(type, shape);
  if (bytes) std::memcpy(tensor.data(), ctx.bin->data() + offset, bytes);
  node.constant = std::make_shared<const Tensor>(std::move(tensor));
  node.outputs[0].type = type;
}

void read_parameter(Node& node, const std::string& owner) {
  const ElementType type = element_type_of(node.attrs.str("element_type"), owner, "element_type");
  check_precision(node.outputs[0], type, owner);
  node.outputs[0].type = type;
  node.outputs[0].shape = parse_shape_attr(node.attrs, "shape", true);
  if (is_static(node.outputs[0].shape)) {
    try {
      element_storage_bytes(type, element_count(node.outputs[0].shape));
    } catch (const Error& e) {
      rethrow_with_context(e, owner);
    }
  }
}

}  // namespace

Node* read_layer(ReadContext& ctx, const pugi::xml_node& layer, size_t index, Graph& graph,
                 LayerPorts& ports) {
  std::string owner = fmt::format("{}: layer #{}", ctx.source, index);
  const std::string_view id_text = required_attr(layer, "id", owner);
  const auto id = parse_ir_int(id_text);
  if (!id || *id < 0)
    raise(ErrorCode::kModel, "{}: id {} is not a non-negative integer", owner, quoted(id_text));
  owner = fmt::format("{}: layer id {}", ctx.source, *id);
  const std::string_view name = required_attr(layer, "name", owner);
  check_name_length(name, "name", owner);
  owner = fmt::format("{}: layer '{}' (id {})", ctx.source, name, *id);
  const std::string_view type = required_attr(layer, "type", owner);
  const std::string_view version = required_attr(layer, "version", owner);
  check_name_length(type, "type", owner);
  const auto [op, op_version] = resolve_op(ctx, type, version, owner);
  if (!is_sub_graph_op(op)) {
    for (const char* part :
         {"body", "then_body", "else_body", "port_map", "then_port_map", "else_port_map", "back_edges"}) {
      if (layer.child(part))
        raise(ErrorCode::kModel, "{}: {} has a <{}>, which only If, Loop and TensorIterator layers have",
              owner, quoted(type), part);
    }
  }

  Node* node = graph.add(op, std::string(name), op_version);
  node->ir_id = *id;
  owner = fmt::format("{}: {}", ctx.source, node->describe());
  node->attrs.set_owner(owner);
  if (const pugi::xml_node data = single_child(layer, "data", owner)) {
    for (pugi::xml_attribute a = data.first_attribute(); a; a = a.next_attribute())
      node->attrs.set(a.name(), a.value());
  }
  node->parse_attributes();  // typed attributes now: a bad or unknown attribute fails the load
  if (ctx.ir_version > 10) read_rt_info(layer, owner, *node);
  if (const pugi::xml_node in = single_child(layer, "input", owner))
    read_ports(in, false, owner, ports.input_ids, nullptr);
  if (const pugi::xml_node out = single_child(layer, "output", owner))
    read_ports(out, true, owner, ports.output_ids, &node->outputs);

  switch (op) {
    case OpKind::kConstant:
      check_port_counts(*node, ports, 0, 1, owner);
      read_constant(ctx, *node, owner);
      break;
    case OpKind::kParameter:
      check_port_counts(*node, ports, 0, 1, owner);
      read_parameter(*node, owner);
      break;
    case OpKind::kResult: check_port_counts(*node, ports, 1, 0, owner); break;
    case OpKind::kIf:
    case OpKind::kLoop:
    case OpKind::kTensorIterator: read_sub_graphs(ctx, layer, *node, ports, owner); break;
    default: break;
  }
  return node;
}

}  // namespace octet::ir_detail
