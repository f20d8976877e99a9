// Error type used inside octet; the C API turns it into an octet_status and a last-error message.
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace octet {

// Mirrors the public octet_status values (runtime/include/octet/octet.h) one to one.
enum class ErrorCode {
  kInvalidArgument,    // bad argument to an API call
  kNotFound,           // file, input name or device that does not exist
  kModel,              // malformed or inconsistent model (xml, bin, graph)
  kUnsupported,        // valid model, but an op/type/attribute octet cannot run
  kParameterMismatch,  // run-time input of the wrong name, rank, dims or type
  kDevice,             // OpenCL error that is not one of the specific ones below
  kOutOfMemory,        // host allocation failure or memory budget exceeded
  kOutOfDeviceMemory,  // device allocation failure
  kKernelBuildFailed,  // OpenCL program build failure
  kDeviceLost,
  kTimeout,
  kRequestBusy,
  kInternal,  // a bug in octet
};

const char* error_code_name(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message) : std::runtime_error(std::move(message)), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// Throws an Error whose message is formatted with {fmt}.
template <typename... Args>
[[noreturn]] void raise(ErrorCode code, fmt::format_string<Args...> format, Args&&... args) {
  throw Error(code, fmt::format(format, std::forward<Args>(args)...));
}

// Re-throws `error` with `context` in front of its message, keeping the code.
[[noreturn]] void rethrow_with_context(const Error& error, const std::string& context);

}  // namespace octet
