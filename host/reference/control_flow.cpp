// Reference evaluators of If-8, Loop-5 and TensorIterator-1: the bodies (host/graph/sub_graphs.h)
// run with the reference evaluators, once for If, once per iteration for Loop and TensorIterator.
#include <algorithm>
#include <cstring>

#include "host/graph/sub_graphs.h"
#include "host/reference/body_runner.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// Elements before and after `axis` of a shape (the copy loops of take_part / put_part).
std::pair<int64_t, int64_t> outer_inner(const Dims& shape, size_t axis) {
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
  return {outer, inner};
}

// Elements [offset, offset + part) of `x` along `axis`.
Tensor take_part(const Node& node, const Tensor& x, size_t axis, int64_t offset, int64_t part) {
  const size_t w = byte_width(node, x.type());
  Dims shape = x.shape();
  const int64_t dim = shape[axis];
  shape[axis] = part;
  Tensor out(x.type(), shape);
  const auto [outer, inner] = outer_inner(shape, axis);
  const size_t row = static_cast<size_t>(inner) * w;
  const auto* src = static_cast<const uint8_t*>(x.data());
  auto* dst = static_cast<uint8_t*>(out.data());
  for (int64_t o = 0; o < outer; ++o)
    std::memcpy(dst + static_cast<size_t>(o * part) * row, src + static_cast<size_t>(o * dim + offset) * row,
                static_cast<size_t>(part) * row);
  return out;
}

// Writes `part` into `out` at `offset` along `axis` (the other dims agree).
void put_part(const Node& node, Tensor& out, size_t axis, int64_t offset, const Tensor& part) {
  const size_t w = byte_width(node, out.type());
  const int64_t dim = out.shape()[axis], n = part.shape()[axis];
  const auto [outer, inner] = outer_inner(out.shape(), axis);
  const size_t row = static_cast<size_t>(inner) * w;
  const auto* src = static_cast<const uint8_t*>(part.data());
  auto* dst = static_cast<uint8_t*>(out.data());
  for (int64_t o = 0; o < outer; ++o)
    std::memcpy(dst + static_cast<size_t>(o * dim + offset) * row, src + static_cast<size_t>(o * n) * row,
                static_cast<size_t>(n) * row);
}

Tensor iteration_number(const Value& v, int64_t i) {
  Tensor t(v.type, v.shape);
  if (v.type == ElementType::kI32)
    t.data_as<int32_t>()[0] = static_cast<int32_t>(i);  // i <= kMaxLoopIterations
  else
    t.data_as<int64_t>()[0] = i;
  return t;
}

size_t output_count(const Node& node, const Body& body) {
  size_t count = node.outputs.size();
  for (const BodyOutput& o : body.outputs) count = std::max(count, o.output + 1);
  return count;
}

// Runs the body of a Loop or TensorIterator while `go_on` holds and fewer than `trip` iterations ran
// (trip < 0: no limit), then assembles the outputs.
Outputs iterate(const Node& node, const Inputs& in, const SubGraphs& s, int64_t trip, bool go_on) {
  const Body& body = s.bodies.at(0);
  const Graph& g = *body.graph;
  const BodyRunner runner(g);
  std::vector<Tensor> params(g.parameters.size());
  std::vector<std::pair<const BodyInput*, SliceWalk>> sliced;
  for (const BodyInput& b : body.inputs) {
    if (b.kind == BodyInputKind::kSliced)
      sliced.emplace_back(&b, slice_walk(node, b, in.at(b.input)->shape()));
    else
      params.at(b.parameter) = *in.at(b.input);
  }
  std::vector<std::vector<Tensor>> joined(body.outputs.size());
  std::vector<Tensor> last;
  int64_t i = 0;
  for (; go_on && (trip < 0 || i < trip); ++i) {
    if (i >= kMaxLoopIterations)
      raise(ErrorCode::kUnsupported, "{}: still running after {} iterations, octet's limit", node.describe(),
            i);
    for (const auto& [b, walk] : sliced) {
      if (i >= walk.count)
        raise(ErrorCode::kModel, "{}: iteration {} needs part {} of sliced input {}, which holds {} parts",
              node.describe(), i, i, b->input, walk.count);
      params[b->parameter] =
          take_part(node, *in[b->input], static_cast<size_t>(walk.axis), walk.offset(i), walk.part);
    }
    if (s.current_iteration >= 0) {
      const size_t p = static_cast<size_t>(s.current_iteration);
      params[p] = iteration_number(g.parameters.at(p)->outputs.at(0), i);
    }
    try {
      last = runner.run(params);
    } catch (const Error& e) {
      rethrow_with_context(e, fmt::format("{} {} iteration {}", node.describe(), body.label, i));
    }
    for (size_t k = 0; k < body.outputs.size(); ++k)
      if (body.outputs[k].kind == BodyOutputKind::kConcat)
        joined[k].push_back(last.at(body.outputs[k].result));
    if (s.condition >= 0) go_on = last.at(static_cast<size_t>(s.condition)).get_as_int64(0) != 0;
    for (const BodyInput& b : body.inputs)
      if (b.kind == BodyInputKind::kMerged) params[b.parameter] = last.at(b.back_edge);
  }

  Outputs out(output_count(node, body));
  for (size_t k = 0; k < body.outputs.size(); ++k) {
    const BodyOutput& o = body.outputs[k];
    if (o.kind == BodyOutputKind::kLastValue) {
      if (i > 0) {
        out.at(o.output) = last.at(o.result);
        continue;
      }
      // No iteration ran: a loop-carried value keeps its initial value (as OpenVINO's CPU plugin
      // and ONNX Loop give); any other body value never existed.
      const BodyInput* carried = nullptr;
      for (const BodyInput& b : body.inputs)
        if (b.kind == BodyInputKind::kMerged && b.back_edge == o.result) carried = &b;
      if (!carried)
        raise(ErrorCode::kUnsupported,
              "{}: ran no iteration, and output {} is the last value of a body Result that carries no value "
              "into the loop (no back edge), so it has none",
              node.describe(), o.output);
      out.at(o.output) = *in.at(carried->input);
      continue;
    }
    const Value& v = body_result_value(body, o.result);
    const Dims part = v.shape.empty() ? Dims{1} : v.shape;
    const size_t axis = static_cast<size_t>(concat_axis(node, o, v.shape));
    Dims shape = part;
    shape[axis] *= i;
    Tensor t(v.type, shape);
    for (int64_t j = 0; j < i; ++j) {
      const int64_t slot = o.slicing.stride < 0 ? i - 1 - j : j;
      put_part(node, t, axis, slot * part[axis], joined[k][static_cast<size_t>(j)].reshaped(part));
    }
    out.at(o.output) = std::move(t);
  }
  return out;
}

}  // namespace

Outputs eval_If(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, SIZE_MAX);
  const SubGraphs& s = sub_graphs(node);
  const Body& body = s.bodies.at(in[0]->get_as_int64(0) != 0 ? 0 : 1);
  std::vector<Tensor> params(body.graph->parameters.size());
  for (const BodyInput& b : body.inputs) params.at(b.parameter) = *in.at(b.input);
  std::vector<Tensor> results;
  try {
    results = BodyRunner(*body.graph).run(params);
  } catch (const Error& e) {
    rethrow_with_context(e, fmt::format("{} {}", node.describe(), body.label));
  }
  Outputs out(output_count(node, body));
  for (const BodyOutput& o : body.outputs) out.at(o.output) = results.at(o.result);
  return out;
}

Outputs eval_Loop(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, SIZE_MAX);
  const int64_t trip = in[0]->get_as_int64(0);
  return iterate(node, in, sub_graphs(node), trip < 0 ? -1 : trip, in[1]->get_as_int64(0) != 0);
}

Outputs eval_TensorIterator(const Node& node, const Inputs& in) {
  const SubGraphs& s = sub_graphs(node);
  int64_t count = -1;
  for (const BodyInput& b : s.bodies.at(0).inputs) {
    if (b.kind != BodyInputKind::kSliced) continue;
    const int64_t parts = slice_walk(node, b, in.at(b.input)->shape()).count;
    if (count >= 0 && parts != count)
      raise(ErrorCode::kModel, "{}: sliced inputs hold different numbers of parts ({} and {} at input {})",
            node.describe(), count, parts, b.input);
    count = parts;
  }
  if (count < 0)
    raise(ErrorCode::kUnsupported, "{}: has no sliced input to take the number of iterations from",
          node.describe());
  return iterate(node, in, s, count, true);
}

}  // namespace ref
}  // namespace octet
