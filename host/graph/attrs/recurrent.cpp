// Parse function of the recurrent cells' and sequences' attribute struct (recurrent.h), reading
// what each op version's visit_attributes writes: RNNCellBase's hidden_size, activations,
// activations_alpha, activations_beta and clip, plus direction (sequences), linear_before_reset
// (GRU) and input_forget / weights_format (LSTMCell-1).
#include "host/graph/attrs/recurrent.h"

#include <cmath>
#include <limits>
#include <string>

#include "host/common/error.h"
#include "host/common/text.h"
#include "host/graph/graph.h"
#include "host/graph/op_attrs.h"

namespace octet {
namespace {

// The comma-separated items of a list attribute, trimmed ("" is the empty list).
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  if (trim(text).empty()) return items;
  size_t start = 0;
  for (;;) {
    const size_t comma = text.find(',', start);
    items.emplace_back(trim(std::string_view(text).substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

// activations_alpha / activations_beta: float lists. None of the spec's functions takes a
// parameter, so they are only checked to be numbers.
void check_float_list(AttrReader& r, const char* key) {
  if (!r.has(key)) return r.accept({key});
  for (const std::string& item : split_list(r.str(key)))
    if (!parse_double(item)) r.fail(key, fmt::format("holds '{}', which is not a number", item));
}

// `clip` as OpenVINO writes it: a float, "inf" for the spec's default (no clipping).
float read_clip(AttrReader& r) {
  if (!r.has("clip")) return r.accept({"clip"}), 0.0f;
  const std::string text = lower(trim(r.str("clip")));
  if (text == "inf" || text == "+inf" || text == "infinity") return 0.0f;
  const auto v = parse_double(text);
  if (!v) r.fail("clip", "is not a number");
  const float clip = static_cast<float>(*v);  // OpenVINO keeps clip as f32
  // The spec: "a positive floating-point number"; 0 is OpenVINO's spelling of "no clipping".
  if (!(clip >= 0.0f)) r.fail("clip", "must be >= 0 (0 or inf: no clipping)");
  return std::isinf(clip) ? 0.0f : clip;
}

// The activations an op applies: 1 (RNN), 2 (GRU) or 3 (LSTM), defaulting to the spec's.
std::vector<RnnActivation> read_activations(AttrReader& r, size_t count) {
  static const std::vector<RnnActivation> kDefaults = {RnnActivation::kSigmoid, RnnActivation::kTanh,
                                                       RnnActivation::kTanh};
  std::vector<RnnActivation> defaults =
      count == 1
          ? std::vector<RnnActivation>{RnnActivation::kTanh}
          : std::vector<RnnActivation>(kDefaults.begin(), kDefaults.begin() + static_cast<long>(count));
  if (!r.has("activations")) return r.accept({"activations"}), defaults;
  const std::vector<std::string> names = split_list(r.str("activations"));
  std::vector<RnnActivation> acts;
  for (const std::string& name : names) {
    const std::string n = lower(name);
    if (n == "sigmoid") {
      acts.push_back(RnnActivation::kSigmoid);
    } else if (n == "tanh") {
      acts.push_back(RnnActivation::kTanh);
    } else if (n == "relu") {
      acts.push_back(RnnActivation::kRelu);
    } else if (n == "hardsigmoid") {
      // OpenVINO's op accepts it, but neither its reference nor its CPU plugin computes it.
      raise(ErrorCode::kUnsupported,
            "{}: attribute 'activations' = '{}': 'hardsigmoid' is not one of the spec's functions (relu, "
            "sigmoid, tanh); OpenVINO's own reference and CPU plugin refuse it as well",
            r.node().describe(), r.str("activations"));
    } else {
      r.fail("activations", fmt::format("holds '{}'; the functions are relu, sigmoid and tanh", name));
    }
  }
  if (acts.size() < count)
    r.fail("activations",
           fmt::format("lists {} functions; {} needs {}", acts.size(), op_name(r.node().op), count));
  acts.resize(count);
  return acts;
}

}  // namespace

const char* rnn_activation_name(RnnActivation a) {
  switch (a) {
    case RnnActivation::kSigmoid: return "sigmoid";
    case RnnActivation::kTanh: return "tanh";
    case RnnActivation::kRelu: return "relu";
  }
  return "?";
}

RnnAttrs RnnAttrs::parse(AttrReader& r) {
  const OpKind op = r.node().op;
  const bool gru = op == OpKind::kGRUCell || op == OpKind::kGRUSequence;
  const bool lstm = op == OpKind::kLSTMCell || op == OpKind::kLSTMSequence;
  const bool sequence =
      op == OpKind::kRNNSequence || op == OpKind::kGRUSequence || op == OpKind::kLSTMSequence;
  RnnAttrs a;
  a.hidden_size = r.i64("hidden_size");
  if (a.hidden_size < 1 || a.hidden_size > kMaxDim) r.fail("hidden_size", "must be a positive integer");
  a.activations = read_activations(r, lstm ? 3 : gru ? 2 : 1);
  check_float_list(r, "activations_alpha");
  check_float_list(r, "activations_beta");
  a.clip = read_clip(r);
  if (sequence)
    a.direction = r.choice<RnnDirection>("direction", {{"forward", RnnDirection::kForward},
                                                       {"reverse", RnnDirection::kReverse},
                                                       {"bidirectional", RnnDirection::kBidirectional}});
  if (gru) a.linear_before_reset = r.boolean_or("linear_before_reset", false);
  if (op == OpKind::kLSTMCell && r.version() == 1) {
    a.input_forget = r.boolean_or("input_forget", false);
    // The spec's gate order is fico. OpenVINO's reference refuses any other weights_format and its
    // CPU plugin ignores the attribute (reads fico), so octet takes only fico.
    const char* format = "weights_format";
    if (r.has(format) && lower(trim(r.str(format))) != "fico") {
      const std::string v = lower(trim(r.str(format)));
      if (v != "icof" && v != "ifco" && v != "ifoc" && v != "iofc")
        r.fail(format, "is not one of: fico, icof, ifco, ifoc, iofc");
      raise(ErrorCode::kUnsupported,
            "{}: attribute 'weights_format' = '{}': octet reads LSTMCell-1 weights in the spec's gate order "
            "fico only (OpenVINO's reference refuses other orders; its CPU plugin ignores the attribute)",
            r.node().describe(), v);
    }
    r.accept({format});
  }
  return a;
}

}  // namespace octet
