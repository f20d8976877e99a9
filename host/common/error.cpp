// Names for error codes and context chaining.
#include "host/common/error.h"

namespace octet {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kModel: return "bad model";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kParameterMismatch: return "parameter mismatch";
    case ErrorCode::kDevice: return "device error";
    case ErrorCode::kOutOfMemory: return "out of memory";
    case ErrorCode::kOutOfDeviceMemory: return "out of device memory";
    case ErrorCode::kKernelBuildFailed: return "kernel build failed";
    case ErrorCode::kDeviceLost: return "device lost";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kRequestBusy: return "request busy";
    case ErrorCode::kInternal: return "internal error";
  }
  return "unknown error";
}

void rethrow_with_context(const Error& error, const std::string& context) {
  throw Error(error.code(), context + ": " + error.what());
}

}  // namespace octet
