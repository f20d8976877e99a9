// Strict parser of -shape arguments ("[1,3,224,224]", "data[1,3,224,224],mask[1,128]"); anything
// malformed is a usage error (exit code 2, bad-inputs.md row 32).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace octet::cli {

struct ShapeSpec {
  std::string name;  // empty: every input
  std::vector<int64_t> dims;
};

// Parses one -shape value; throws CliError(kExitUsage) naming the value and the offending position.
std::vector<ShapeSpec> parse_shape_arg(const std::string& text);
// All -shape values; an input named twice is a usage error.
std::vector<ShapeSpec> parse_shape_args(const std::vector<std::string>& args);

}  // namespace octet::cli
