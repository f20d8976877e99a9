// Input loading for the CLI: resolves each -i value to (input name, source) and reads it through the
// C API (strict .npy reader, exact-size raw reader).
#include "tools/cli/inputs.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cctype>
#include <cstring>
#include <map>

namespace octet::cli {
namespace {

bool is_directory(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

std::vector<std::string> split_spaces(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool parse_random(const std::string& text, uint64_t default_seed, uint64_t* seed) {
  if (text == "random") {
    *seed = default_seed;
    return true;
  }
  if (text.rfind("random:", 0) != 0) return false;
  const std::string digits = text.substr(7);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 19)
    usage_error(fmt::format("-i {}: expected random or random:<seed>", text));
  *seed = std::stoull(digits);
  return true;
}

// What fills one input.
struct Source {
  std::string path;  // empty: random
  uint64_t seed = 0;
};

Tensor read_file(const Port& port, const std::string& path) {
  octet_tensor_t tensor = nullptr;
  if (ends_with(path, ".npy")) {
    check(octet_tensor_read_npy(path.c_str(), &tensor), fmt::format("input '{}'", port.name));
  } else if (ends_with(path, ".bin") || ends_with(path, ".raw")) {
    for (int64_t d : port.dims)
      if (d < 0)
        usage_error(fmt::format("input '{}': a raw file needs a static shape; give -shape", port.name));
    check(octet_tensor_read_raw(path.c_str(), port.type, port.dims.data(), port.dims.size(), &tensor),
          fmt::format("input '{}'", port.name));
  } else {
    usage_error(fmt::format("input '{}': '{}' is neither .npy nor raw .bin", port.name, path));
  }
  return Tensor(tensor);
}

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint16_t float_to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const int32_t exponent = static_cast<int32_t>((x >> 23) & 0xff) - 127 + 15;
  uint32_t mantissa = x & 0x7fffffu;
  if (exponent <= 0) {  // the generator's values are >= 2^-24 or exactly 0: subnormal or zero
    if (exponent < -10) return static_cast<uint16_t>(sign);
    mantissa |= 0x800000u;
    return static_cast<uint16_t>(sign | (mantissa >> (14 - exponent)));
  }
  return static_cast<uint16_t>(sign | (exponent << 10) | (mantissa >> 13));
}

}  // namespace

Tensor random_tensor(const Port& port, uint64_t seed) {
  for (int64_t d : port.dims)
    if (d < 0)
      usage_error(
          fmt::format("input '{}' has a dynamic shape {}; give -shape", port.name, shape_string(port.dims)));
  octet_tensor_t raw = nullptr;
  check(octet_tensor_create(port.type, port.dims.data(), port.dims.size(), nullptr, &raw),
        fmt::format("input '{}'", port.name));
  Tensor tensor(raw);
  void* data = nullptr;
  size_t count = 0, bytes = 0;
  check(octet_tensor_data(raw, &data), "tensor data");
  check(octet_tensor_element_count(raw, &count), "tensor size");
  check(octet_tensor_byte_size(raw, &bytes), "tensor size");
  uint64_t state = seed;
  for (char c : port.name) state = state * 131 + static_cast<unsigned char>(c);
  auto next_unit = [&] { return static_cast<float>(splitmix64(state) >> 40) / float(1 << 24) * 2.0f - 1.0f; };
  auto next_small = [&] { return static_cast<int64_t>(splitmix64(state) % 8); };
  for (size_t i = 0; i < count; ++i) {
    switch (port.type) {
      case OCTET_TYPE_F64: static_cast<double*>(data)[i] = next_unit(); break;
      case OCTET_TYPE_F32: static_cast<float*>(data)[i] = next_unit(); break;
      case OCTET_TYPE_F16: static_cast<uint16_t*>(data)[i] = float_to_half(next_unit()); break;
      case OCTET_TYPE_BF16: {
        const float f = next_unit();
        uint32_t x;
        std::memcpy(&x, &f, 4);
        static_cast<uint16_t*>(data)[i] = static_cast<uint16_t>(x >> 16);
        break;
      }
      case OCTET_TYPE_I64: static_cast<int64_t*>(data)[i] = next_small(); break;
      case OCTET_TYPE_U64: static_cast<uint64_t*>(data)[i] = next_small(); break;
      case OCTET_TYPE_I32: static_cast<int32_t*>(data)[i] = static_cast<int32_t>(next_small()); break;
      case OCTET_TYPE_U32: static_cast<uint32_t*>(data)[i] = static_cast<uint32_t>(next_small()); break;
      case OCTET_TYPE_I16: static_cast<int16_t*>(data)[i] = static_cast<int16_t>(next_small()); break;
      case OCTET_TYPE_U16: static_cast<uint16_t*>(data)[i] = static_cast<uint16_t>(next_small()); break;
      case OCTET_TYPE_I8: static_cast<int8_t*>(data)[i] = static_cast<int8_t>(next_small()); break;
      case OCTET_TYPE_U8: static_cast<uint8_t*>(data)[i] = static_cast<uint8_t>(next_small()); break;
      case OCTET_TYPE_BOOLEAN: static_cast<uint8_t*>(data)[i] = static_cast<uint8_t>(next_small() & 1); break;
      default: {  // packed sub-byte types: random bytes
        auto* b = static_cast<uint8_t*>(data);
        for (size_t j = 0; j < bytes; ++j) b[j] = static_cast<uint8_t>(splitmix64(state));
        i = count;
        break;
      }
    }
  }
  return tensor;
}

std::vector<InputTensor> load_inputs(octet_model_t model, const std::vector<Port>& inputs,
                                     const RunOptions& options) {
  std::map<std::string, Source> chosen;
  std::vector<std::string> unnamed_files;
  uint64_t random_seed = options.seed;  // "random[:seed]" changes it for every input left over
  auto assign = [&](const Port& port, Source source) {
    if (chosen.count(port.name)) usage_error(fmt::format("-i: input '{}' is given twice", port.name));
    chosen[port.name] = std::move(source);
  };
  auto from_folder = [&](const std::string& folder, const char* flag) {
    for (const Port& p : inputs) {
      const std::string npy = folder + "/" + file_stem(p.name) + ".npy";
      const std::string bin = folder + "/" + file_stem(p.name) + ".bin";
      if (exists(npy)) {
        assign(p, {npy});
      } else if (exists(bin)) {
        assign(p, {bin});
      } else {
        failure(fmt::format("{}: folder '{}' has no {}.npy (or .bin) for input '{}'", flag, folder,
                            file_stem(p.name), p.name));
      }
    }
  };

  for (const std::string& value : options.inputs) {
    for (const std::string& item : split_spaces(value)) {
      uint64_t seed = 0;
      if (parse_random(item, options.seed, &seed)) {
        random_seed = seed;
      } else if (is_directory(item)) {
        from_folder(item, "-i");
      } else if (exists(item) && item.find(':') == std::string::npos) {
        unnamed_files.push_back(item);
      } else if (item.find(':') != std::string::npos) {
        // "name:source"; names may themselves contain ':' ("input:0"), so try every split point.
        const Port* port = nullptr;
        std::string rest;
        for (size_t colon = item.find(':'); colon != std::string::npos; colon = item.find(':', colon + 1)) {
          port = try_find_input(model, inputs, item.substr(0, colon), "-i");
          if (port) {
            rest = item.substr(colon + 1);
            break;
          }
        }
        if (!port) {
          if (exists(item)) {
            unnamed_files.push_back(item);
            continue;
          }
          find_input(model, inputs, item.substr(0, item.find(':')), "-i");  // throws, listing valid names
        }
        uint64_t named_seed = 0;
        if (parse_random(rest, options.seed, &named_seed)) {
          assign(*port, {"", named_seed});
        } else {
          if (!exists(rest)) failure(fmt::format("-i {}: no file '{}'", item, rest));
          assign(*port, {rest});
        }
      } else {
        failure(fmt::format("-i {}: no such file or folder", item));
      }
    }
  }
  for (const std::string& file : unnamed_files) {
    const Port* next = nullptr;
    for (const Port& p : inputs)
      if (!chosen.count(p.name) && !next) next = &p;
    if (!next) usage_error(fmt::format("-i {}: every input already has data", file));
    assign(*next, {file});
  }
  if (options.zoo) {
    const std::string folder = directory_of(options.model) + "/inputs";
    for (const Port& p : inputs) {
      const std::string npy = folder + "/" + file_stem(p.name) + ".npy";
      if (chosen.count(p.name)) continue;
      if (!exists(npy)) failure(fmt::format("--zoo: no '{}' for input '{}'", npy, p.name));
      chosen[p.name] = {npy};
    }
  }

  std::vector<InputTensor> result;
  for (const Port& p : inputs) {
    auto it = chosen.find(p.name);
    const Source source = it != chosen.end() ? it->second : Source{"", random_seed};
    InputTensor input;
    input.name = p.name;
    if (source.path.empty()) {
      input.source = fmt::format("random (seed {})", source.seed);
      input.tensor = random_tensor(p, source.seed);
    } else {
      input.source = source.path;
      input.tensor = read_file(p, source.path);
    }
    result.push_back(std::move(input));
  }
  return result;
}

void set_inputs(octet_infer_request_t request, const std::vector<InputTensor>& inputs) {
  for (const InputTensor& input : inputs)
    check(octet_infer_request_set_input(request, input.name.c_str(), input.tensor.get()),
          fmt::format("input '{}' from {}", input.name, input.source));
}

}  // namespace octet::cli
