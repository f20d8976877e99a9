// Placement report from octet_compiled_model_assignment: backend, kernel, precision and notes.
#include "tools/cli/placement.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "tools/cli/table.h"

namespace octet::cli {
namespace {

bool is_quantized(const std::string& precision) {
  return precision.rfind("int8", 0) == 0 ||
         precision.rfind("int4", 0) == 0;  // "int8 (i8 act)", "int4 weights"
}

}  // namespace

bool is_onednn_reference(const std::string& impl) {
  return impl.rfind("onednn", 0) == 0 && impl.find("ref") != std::string::npos;
}

void print_placement(octet_compiled_model_t compiled, bool full, std::FILE* out) {
  const char* device = nullptr;
  check(octet_compiled_model_device(compiled, &device, nullptr), "device");
  const std::vector<octet_node_assignment> nodes = assignments(compiled);
  std::map<std::string, size_t> by_precision;
  std::vector<const octet_node_assignment*> fallbacks, quantized;
  for (const octet_node_assignment& a : nodes) {
    ++by_precision[a.precision[0] ? a.precision : "-"];
    if (std::string(a.backend) != device) fallbacks.push_back(&a);
    if (is_quantized(a.precision)) quantized.push_back(&a);
  }
  std::string mix;
  for (const auto& [precision, n] : by_precision)
    mix += fmt::format("{}{} {}", mix.empty() ? "" : ", ", n, precision);
  fmt::print(out, "Placement on {}: {} nodes ({}); {} on {}, {} fell back\n", device, nodes.size(), mix,
             nodes.size() - fallbacks.size(), device, fallbacks.size());
  std::vector<const octet_node_assignment*> slow;
  for (const octet_node_assignment& a : nodes)
    if (is_onednn_reference(a.impl)) slow.push_back(&a);
  if (!slow.empty()) {
    fmt::print(out, "  WARNING: {} node(s) run oneDNN reference implementations (no jit kernel; slow):\n",
               slow.size());
    Table table({"Node", "Op", "Backend", "Kernel"});
    for (const octet_node_assignment* a : slow) table.add_row({a->node_name, a->op, a->backend, a->impl});
    table.print(out, "    ");
  }
  if (full) {
    Table table({"Node", "Op", "Backend", "Kernel", "Precision", "Note"});
    for (const octet_node_assignment& a : nodes)
      table.add_row({a.node_name, a.op, a.backend, a.impl, a.precision, a.note});
    table.print(out, "  ");
    return;
  }
  if (!fallbacks.empty()) {
    fmt::print(out, "  Fell back from {}:\n", device);
    Table table({"Node", "Op", "Backend", "Kernel", "Why"});
    for (const octet_node_assignment* a : fallbacks)
      table.add_row({a->node_name, a->op, a->backend, a->impl, a->note});
    table.print(out, "    ");
  }
  if (quantized.empty()) {
    fmt::print(out, "  No node runs int8/int4 kernels\n");
    return;
  }
  fmt::print(out, "  Quantized kernels ({} of {} nodes):\n", quantized.size(), nodes.size());
  Table table({"Node", "Op", "Backend", "Kernel", "Precision"});
  for (const octet_node_assignment* a : quantized)
    table.add_row({a->node_name, a->op, a->backend, a->impl, a->precision});
  table.print(out, "    ");
}

}  // namespace octet::cli
