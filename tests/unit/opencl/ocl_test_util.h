// Helpers for OpenCL op tests: a shared backend (tests skip without a device), single-node graphs
// and a runner that checks guard bytes and compares against the spec-exact reference.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "host/graph/graph.h"
#include "runtime/opencl/opencl_backend.h"

namespace octet {
namespace test {

// The backend on the default device, or nullptr when there is no OpenCL device. Released when
// the test program's global tear-down runs, before main returns (see release_before_exit).
std::shared_ptr<OpenClBackend> shared_backend();

// Runs `release` in gtest's global tear-down, before main returns: OpenCL objects kept in
// function-level statics must not be released by static destructors after main, when some
// drivers have already torn down their own state and abort.
void release_before_exit(std::function<void()> release);

// Sets an environment variable for the scope of a test (nullptr unsets it), restoring the old value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    had_ = old != nullptr;
    if (had_) saved_ = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ScopedEnv(const char* name, const std::string& value) : ScopedEnv(name, value.c_str()) {}
  ~ScopedEnv() {
    if (had_)
      setenv(name_, saved_.c_str(), 1);
    else
      unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::string saved_;
  bool had_ = false;
};

#define OCTET_REQUIRE_OPENCL(var)             \
  auto var = ::octet::test::shared_backend(); \
  if (!var) GTEST_SKIP() << "no OpenCL device: " << ::octet::opencl_unavailable_reason()

// Deterministic values in [lo, hi).
Tensor random_tensor(Dims shape, uint32_t seed, float lo = -1.0f, float hi = 1.0f);
Tensor i64_tensor(const std::vector<int64_t>& values, Dims shape);

// A graph holding one node under test; inputs are Parameters or Constants.
class OpCase {
 public:
  explicit OpCase(OpKind op, int version = 1);
  OpCase& input(Tensor value, bool constant = false);
  OpCase& attr(const std::string& key, const std::string& value);
  // Infers the node's outputs (shape inference), so it is ready to compile.
  Node& finish();
  Node& node() { return *node_; }
  const std::vector<Tensor>& inputs() const { return inputs_; }

 private:
  Graph graph_;
  Node* node_;
  std::vector<Tensor> inputs_;
};

// Compiles and runs the node on the device with poisoned outputs surrounded by guard bytes;
// fails the test on a guard overwrite. Returns the outputs.
std::vector<Tensor> run_on_device(OpenClBackend& backend, const Node& node,
                                  const std::vector<Tensor>& inputs);

// Runs on the device and compares every output with evaluate_reference: floats within
// 1e-4 * max|ref| (+1e-6), other types exactly. `what` names the case in failure messages.
void expect_matches_reference(OpCase& c, const std::string& what);

}  // namespace test
}  // namespace octet
