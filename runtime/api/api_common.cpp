// C API: version, status names, the thread-local last error, element types and compile options.
#include <cstring>
#include <string>

#include "runtime/api/api_internal.h"

namespace octet::api {
namespace {

thread_local std::string t_last_error;

}  // namespace

octet_status to_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return OCTET_ERROR_INVALID_ARGUMENT;
    case ErrorCode::kNotFound: return OCTET_ERROR_NOT_FOUND;
    case ErrorCode::kModel: return OCTET_ERROR_MODEL;
    case ErrorCode::kUnsupported: return OCTET_ERROR_UNSUPPORTED;
    case ErrorCode::kParameterMismatch: return OCTET_ERROR_PARAMETER_MISMATCH;
    case ErrorCode::kDevice: return OCTET_ERROR_DEVICE;
    case ErrorCode::kOutOfMemory: return OCTET_ERROR_OUT_OF_MEMORY;
    case ErrorCode::kOutOfDeviceMemory: return OCTET_ERROR_OUT_OF_DEVICE_MEMORY;
    case ErrorCode::kKernelBuildFailed: return OCTET_ERROR_KERNEL_BUILD_FAILED;
    case ErrorCode::kDeviceLost: return OCTET_ERROR_DEVICE_LOST;
    case ErrorCode::kTimeout: return OCTET_ERROR_TIMEOUT;
    case ErrorCode::kRequestBusy: return OCTET_ERROR_REQUEST_BUSY;
    case ErrorCode::kInternal: return OCTET_ERROR_INTERNAL;
  }
  return OCTET_ERROR_INTERNAL;
}

octet_status fail(octet_status status, const char* message) noexcept {
  try {
    t_last_error = message;
  } catch (...) {
    // Keeping the status matters more than the message when even that copy fails.
    t_last_error.clear();
  }
  return status;
}

void clear_error() noexcept {
  t_last_error.clear();
}

ElementType to_element_type(octet_element_type type, const char* function) {
  // A C caller may pass any int (99, say). Loading such a value as the C++ enum is undefined
  // behaviour (UBSan's -fsanitize=enum flags it), so look at the bytes as an int first.
  int raw = 0;
  static_assert(sizeof raw == sizeof type, "octet_element_type is int-sized");
  std::memcpy(&raw, &type, sizeof raw);
  switch (raw) {
    case OCTET_TYPE_F64: return ElementType::kF64;
    case OCTET_TYPE_F32: return ElementType::kF32;
    case OCTET_TYPE_F16: return ElementType::kF16;
    case OCTET_TYPE_BF16: return ElementType::kBF16;
    case OCTET_TYPE_I64: return ElementType::kI64;
    case OCTET_TYPE_I32: return ElementType::kI32;
    case OCTET_TYPE_I16: return ElementType::kI16;
    case OCTET_TYPE_I8: return ElementType::kI8;
    case OCTET_TYPE_U64: return ElementType::kU64;
    case OCTET_TYPE_U32: return ElementType::kU32;
    case OCTET_TYPE_U16: return ElementType::kU16;
    case OCTET_TYPE_U8: return ElementType::kU8;
    case OCTET_TYPE_I4: return ElementType::kI4;
    case OCTET_TYPE_U4: return ElementType::kU4;
    case OCTET_TYPE_U1: return ElementType::kU1;
    case OCTET_TYPE_BOOLEAN: return ElementType::kBoolean;
    case OCTET_TYPE_UNDEFINED: break;
  }
  raise(ErrorCode::kInvalidArgument, "{}: invalid element type {}", function, raw);
}

octet_element_type from_element_type(ElementType type) {
  switch (type) {
    case ElementType::kF64: return OCTET_TYPE_F64;
    case ElementType::kF32: return OCTET_TYPE_F32;
    case ElementType::kF16: return OCTET_TYPE_F16;
    case ElementType::kBF16: return OCTET_TYPE_BF16;
    case ElementType::kI64: return OCTET_TYPE_I64;
    case ElementType::kI32: return OCTET_TYPE_I32;
    case ElementType::kI16: return OCTET_TYPE_I16;
    case ElementType::kI8: return OCTET_TYPE_I8;
    case ElementType::kU64: return OCTET_TYPE_U64;
    case ElementType::kU32: return OCTET_TYPE_U32;
    case ElementType::kU16: return OCTET_TYPE_U16;
    case ElementType::kU8: return OCTET_TYPE_U8;
    case ElementType::kI4: return OCTET_TYPE_I4;
    case ElementType::kU4: return OCTET_TYPE_U4;
    case ElementType::kU1: return OCTET_TYPE_U1;
    case ElementType::kBoolean: return OCTET_TYPE_BOOLEAN;
    case ElementType::kUndefined: break;
  }
  return OCTET_TYPE_UNDEFINED;
}

Dims to_dims(const int64_t* dims, size_t rank, const char* function) {
  if (rank > 0 && dims == nullptr)
    raise(ErrorCode::kInvalidArgument, "{}: dims is NULL with rank {}", function, rank);
  if (rank > 64) raise(ErrorCode::kInvalidArgument, "{}: rank {} exceeds 64", function, rank);
  Dims result(dims, dims + rank);
  for (size_t i = 0; i < rank; ++i) {
    if (result[i] < 0 || result[i] > kMaxDim)
      raise(ErrorCode::kInvalidArgument, "{}: dim {} is {} (must be in [0, 2^40])", function, i, result[i]);
  }
  return result;
}

namespace {

bool parse_flag(const std::string& key, const std::string& value) {
  if (value == "true" || value == "1" || value == "yes") return true;
  if (value == "false" || value == "0" || value == "no") return false;
  raise(ErrorCode::kInvalidArgument, "option '{}': expected true or false, got '{}'", key, value);
}

}  // namespace

void apply_option(CompileConfig& config, const std::string& key, const std::string& value) {
  if (key == "precision") {
    if (value == "fast") {
      config.options.precision = Precision::kFast;
    } else if (value == "reference") {
      config.options.precision = Precision::kReference;
    } else {
      raise(ErrorCode::kInvalidArgument, "option 'precision': expected fast or reference, got '{}'", value);
    }
  } else if (key == "fp16") {
    config.options.fp16 = parse_flag(key, value);
  } else if (key == "cache_dir") {
    config.options.cache_dir = value;
  } else if (key == "cpu_fallback") {
    config.allow_cpu_fallback = parse_flag(key, value);
  } else if (key == "guard") {
    config.options.guard = parse_flag(key, value);
  } else if (key == "separate_buffers") {
    config.options.separate_buffers = parse_flag(key, value);
  } else if (key == "timeout_ms") {
    // Digits only: stoll would accept "12abc" or " 12".
    const bool digits =
        !value.empty() && value.size() <= 12 && value.find_first_not_of("0123456789") == std::string::npos;
    if (!digits)
      raise(ErrorCode::kInvalidArgument,
            "option 'timeout_ms': expected milliseconds (a whole number, 0 = wait forever), got '{}'", value);
    config.options.timeout_ms = std::stoll(value);
  } else if (key == "profiling") {
    config.options.profiling = parse_flag(key, value);
  } else if (key == "all_layers") {
    config.all_layers_as_outputs = parse_flag(key, value);
  } else if (key == "extra_outputs") {
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      if (comma > start) config.extra_outputs.push_back(value.substr(start, comma - start));
      start = comma + 1;
    }
  } else {
    raise(ErrorCode::kInvalidArgument,
          "unknown compile option '{}' (valid: precision, fp16, cache_dir, cpu_fallback, profiling, "
          "extra_outputs, all_layers, guard, separate_buffers, timeout_ms)",
          key);
  }
}

}  // namespace octet::api

using namespace octet;
using namespace octet::api;

#define OCTET_STR2(x) #x
#define OCTET_STR(x) OCTET_STR2(x)

extern "C" {

const char* octet_version(void) {
  return OCTET_STR(OCTET_VERSION_MAJOR) "." OCTET_STR(OCTET_VERSION_MINOR) "." OCTET_STR(OCTET_VERSION_PATCH);
}

int octet_abi_version(void) {
  return OCTET_ABI_VERSION;
}

const char* octet_status_string(octet_status status) {
  int raw = 0;  // any int may arrive from C: compare its bytes, never load it as the enum
  std::memcpy(&raw, &status, sizeof raw);
  switch (raw) {
    case OCTET_OK: return "OCTET_OK";
    case OCTET_ERROR_INVALID_ARGUMENT: return "OCTET_ERROR_INVALID_ARGUMENT";
    case OCTET_ERROR_NOT_FOUND: return "OCTET_ERROR_NOT_FOUND";
    case OCTET_ERROR_MODEL: return "OCTET_ERROR_MODEL";
    case OCTET_ERROR_UNSUPPORTED: return "OCTET_ERROR_UNSUPPORTED";
    case OCTET_ERROR_PARAMETER_MISMATCH: return "OCTET_ERROR_PARAMETER_MISMATCH";
    case OCTET_ERROR_DEVICE: return "OCTET_ERROR_DEVICE";
    case OCTET_ERROR_OUT_OF_MEMORY: return "OCTET_ERROR_OUT_OF_MEMORY";
    case OCTET_ERROR_OUT_OF_DEVICE_MEMORY: return "OCTET_ERROR_OUT_OF_DEVICE_MEMORY";
    case OCTET_ERROR_KERNEL_BUILD_FAILED: return "OCTET_ERROR_KERNEL_BUILD_FAILED";
    case OCTET_ERROR_DEVICE_LOST: return "OCTET_ERROR_DEVICE_LOST";
    case OCTET_ERROR_TIMEOUT: return "OCTET_ERROR_TIMEOUT";
    case OCTET_ERROR_REQUEST_BUSY: return "OCTET_ERROR_REQUEST_BUSY";
    case OCTET_ERROR_INTERNAL: return "OCTET_ERROR_INTERNAL";
  }
  return "OCTET_UNKNOWN_STATUS";
}

const char* octet_last_error(void) {
  return t_last_error.c_str();
}

const char* octet_element_type_name(octet_element_type type) {
  int raw = 0;
  std::memcpy(&raw, &type, sizeof raw);
  if (raw <= OCTET_TYPE_UNDEFINED || raw > OCTET_TYPE_BOOLEAN) return "undefined";
  return element_type_name(to_element_type(type, "octet_element_type_name"));
}

octet_status octet_options_create(octet_options_t* options) {
  return guarded([&] {
    require(options, "octet_options_create", "options");
    *options = new octet_options();
  });
}

octet_status octet_options_set(octet_options_t options, const char* key, const char* value) {
  return guarded([&] {
    require(options, "octet_options_set", "options");
    require(key, "octet_options_set", "key");
    require(value, "octet_options_set", "value");
    apply_option(options->config, key, value);
  });
}

void octet_options_destroy(octet_options_t options) {
  delete options;
}

}  // extern "C"
