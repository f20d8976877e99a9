// OpenCL test helpers: device runner with guard bytes, reference comparison.
#include "tests/unit/opencl/ocl_test_util.h"

#include <cmath>
#include <cstring>
#include <mutex>
#include <random>
#include <utility>
#include <vector>

#include "host/common/error.h"
#include "host/reference/evaluate.h"

namespace octet {
namespace test {

namespace {

class ReleaseAtTearDown : public ::testing::Environment {
 public:
  void add(std::function<void()> release) {
    std::lock_guard<std::mutex> lock(mutex_);
    releases_.push_back(std::move(release));
  }
  void TearDown() override {
    std::vector<std::function<void()>> releases;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      releases.swap(releases_);
    }
    for (auto it = releases.rbegin(); it != releases.rend(); ++it) (*it)();
  }

 private:
  std::mutex mutex_;
  std::vector<std::function<void()>> releases_;
};

ReleaseAtTearDown& tear_down() {
  // gtest owns and deletes registered environments; registered once, on first use.
  static ReleaseAtTearDown* env =
      static_cast<ReleaseAtTearDown*>(::testing::AddGlobalTestEnvironment(new ReleaseAtTearDown));
  return *env;
}

// Registered before main, so gtest's global tear-down always includes it.
ReleaseAtTearDown& registered_at_start = tear_down();

}  // namespace

void release_before_exit(std::function<void()> release) {
  tear_down().add(std::move(release));
}

std::shared_ptr<OpenClBackend> shared_backend() {
  static std::shared_ptr<OpenClBackend> backend = []() -> std::shared_ptr<OpenClBackend> {
    if (list_opencl_devices().empty()) return nullptr;
    release_before_exit([] { backend.reset(); });
    return OpenClBackend::create("GPU");
  }();
  return backend;
}

Tensor random_tensor(Dims shape, uint32_t seed, float lo, float hi) {
  Tensor t(ElementType::kF32, std::move(shape));
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  float* p = t.data_as<float>();
  for (int64_t i = 0; i < t.element_count(); ++i) p[i] = dist(gen);
  return t;
}

Tensor i64_tensor(const std::vector<int64_t>& values, Dims shape) {
  Tensor t(ElementType::kI64, std::move(shape));
  if (!values.empty()) std::memcpy(t.data(), values.data(), values.size() * sizeof(int64_t));
  return t;
}

OpCase::OpCase(OpKind op, int version) {
  node_ = graph_.add(op, op_name(op), version);
}

OpCase& OpCase::input(Tensor value, bool constant) {
  std::string name = "in" + std::to_string(inputs_.size());
  Node* src;
  if (constant) {
    src = graph_.add_constant(name, value);
  } else {
    src = graph_.add(OpKind::kParameter, name);
    src->outputs = {Value{value.type(), value.shape(), {name}, false, {}}};
  }
  node_->inputs.push_back({src, 0});
  inputs_.push_back(std::move(value));
  return *this;
}

OpCase& OpCase::attr(const std::string& key, const std::string& value) {
  node_->attrs.set(key, value);
  return *this;
}

Node& OpCase::finish() {
  node_->attrs.set_owner(node_->describe());
  infer_node(*node_);
  return *node_;
}

std::vector<Tensor> run_on_device(OpenClBackend& backend, const Node& node,
                                  const std::vector<Tensor>& inputs) {
  constexpr size_t kGuard = kBufferAlignment;
  constexpr unsigned char kPoison = 0xFF;  // NaN for floats: an unwritten output cannot pass
  std::unique_ptr<Kernel> kernel = backend.compile(node);
  std::unique_ptr<ExecContext> ctx = backend.create_context();
  std::vector<void*> owned;
  std::vector<BufferView> in_views(inputs.size()), out_views(node.outputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (node.input_constant(i)) continue;  // captured at compile
    void* buf = backend.allocate(inputs[i].byte_size());
    owned.push_back(buf);
    backend.upload(*ctx, buf, inputs[i].data(), inputs[i].byte_size());
    in_views[i] = {buf, inputs[i].byte_size()};
  }
  std::vector<void*> arenas;
  std::vector<Tensor> outputs;
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    Tensor t(node.outputs[i].type, node.outputs[i].shape);
    size_t bytes = t.byte_size();
    size_t padded = (bytes + kGuard - 1) / kGuard * kGuard;
    size_t total = kGuard + padded + kGuard;
    void* arena = backend.allocate(total);
    arenas.push_back(arena);
    std::vector<unsigned char> poison(total, kPoison);
    backend.upload(*ctx, arena, poison.data(), total);
    void* view = backend.sub_buffer(arena, kGuard, bytes == 0 ? 4 : bytes);
    owned.push_back(view);
    out_views[i] = {view, bytes};
    outputs.push_back(std::move(t));
  }
  kernel->enqueue(*ctx, in_views, out_views);
  backend.finish(*ctx);
  for (size_t i = 0; i < outputs.size(); ++i) {
    size_t bytes = outputs[i].byte_size();
    size_t total = kGuard + (bytes + kGuard - 1) / kGuard * kGuard + kGuard;
    std::vector<unsigned char> all(total);
    backend.download(*ctx, arenas[i], all.data(), total);
    for (size_t b = 0; b < total; ++b)
      if (b < kGuard || b >= kGuard + bytes) {
        if (all[b] != kPoison) {
          ADD_FAILURE() << node.describe() << ": output " << i << " guard byte " << b << " overwritten ("
                        << kernel->impl_name() << ")";
          break;
        }
      }
    std::memcpy(outputs[i].data(), all.data() + kGuard, bytes);
  }
  for (void* p : owned) backend.release(p);
  for (void* p : arenas) backend.release(p);
  return outputs;
}

void expect_matches_reference(OpCase& c, const std::string& what) {
  auto backend = shared_backend();
  Node& node = c.node();
  Support s = backend->supports(node);
  ASSERT_TRUE(s.ok) << what << ": " << s.reason;
  std::vector<const Tensor*> ptrs;
  for (const Tensor& t : c.inputs()) ptrs.push_back(&t);
  std::vector<Tensor> ref = evaluate_reference(node, ptrs);
  std::vector<Tensor> got = run_on_device(*backend, node, c.inputs());
  ASSERT_EQ(ref.size(), got.size()) << what;
  for (size_t o = 0; o < ref.size(); ++o) {
    ASSERT_EQ(ref[o].shape(), got[o].shape()) << what;
    ASSERT_EQ(ref[o].type(), got[o].type()) << what;
    int64_t n = ref[o].element_count();
    if (is_float(ref[o].type())) {
      double max_ref = 0;
      for (int64_t i = 0; i < n; ++i) max_ref = std::max(max_ref, std::fabs(ref[o].get_as_double(i)));
      double tol = 1e-4 * max_ref + 1e-6;
      int bad = 0;
      for (int64_t i = 0; i < n && bad < 5; ++i) {
        double r = ref[o].get_as_double(i), g = got[o].get_as_double(i);
        bool ok = std::isnan(r) ? std::isnan(g) : (std::isinf(r) ? r == g : std::fabs(r - g) <= tol);
        if (!ok) {
          ++bad;
          ADD_FAILURE() << what << ": output " << o << "[" << i << "] = " << g << ", reference " << r
                        << " (tol " << tol << ", " << backend->compile(node)->impl_name() << ")";
        }
      }
    } else {
      ASSERT_EQ(0, std::memcmp(ref[o].data(), got[o].data(), ref[o].byte_size())) << what << ": output " << o;
    }
  }
}

}  // namespace test
}  // namespace octet
