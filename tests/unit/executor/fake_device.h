// A fake non-host backend for executor tests: opaque handles, a kernel for Relu only, live-handle
// counting, an optional single-allocation cap, and a gate that can hold a kernel mid-run (to test
// kRequestBusy deterministically).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "runtime/backend.h"

namespace octet {
namespace test {

class FakeDevice : public Backend {
 public:
  struct Handle {
    std::shared_ptr<std::vector<uint8_t>> storage;
    size_t offset = 0;
    uint8_t* data() const { return storage->data() + offset; }
  };

  std::string name() const override { return "FAKE.0"; }
  std::string description() const override { return "fake device"; }
  bool is_host() const override { return false; }
  Support supports(const Node& node) const override {
    if (node.op == OpKind::kRelu) return Support::yes();
    return Support::no("only Relu on the fake device");
  }
  std::unique_ptr<Kernel> compile(const Node& node) override { return std::make_unique<ReluKernel>(this); }
  std::unique_ptr<ExecContext> create_context() override { return std::make_unique<ExecContext>(); }
  size_t max_allocation_bytes() const override { return max_allocation_; }
  void* allocate(size_t bytes) override {
    if (bytes > max_allocation_) throw std::runtime_error("allocation above the fake device's cap");
    {
      std::lock_guard<std::mutex> lock(mutex_);
      allocation_sizes_.push_back(bytes);
    }
    ++live_;
    return new Handle{std::make_shared<std::vector<uint8_t>>(bytes), 0};
  }
  void release(void* handle) override {
    if (!handle) return;
    --live_;
    delete static_cast<Handle*>(handle);
  }
  void* sub_buffer(void* allocation, size_t offset, size_t bytes) override {
    auto* base = static_cast<Handle*>(allocation);
    if (offset + bytes > base->storage->size()) throw std::runtime_error("sub_buffer out of range");
    ++live_;
    return new Handle{base->storage, offset};
  }
  void upload(ExecContext&, void* handle, const void* src, size_t bytes) override {
    ++uploads_;
    std::memcpy(static_cast<Handle*>(handle)->data(), src, bytes);
  }
  void download(ExecContext&, void* handle, void* dst, size_t bytes) override {
    ++downloads_;
    std::memcpy(dst, static_cast<Handle*>(handle)->data(), bytes);
  }
  void finish(ExecContext&) override {}
  size_t weight_bytes() const override { return 0; }

  // While closed, kernels signal `entered` and wait for open().
  void close_gate() {
    std::lock_guard<std::mutex> lock(mutex_);
    gate_open_ = false;
    entered_ = false;
  }
  void open_gate() {
    std::lock_guard<std::mutex> lock(mutex_);
    gate_open_ = true;
    cv_.notify_all();
  }
  void wait_entered() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return entered_; });
  }

  std::atomic<int> live_{0}, uploads_{0}, downloads_{0};
  size_t max_allocation_ = SIZE_MAX;      // what max_allocation_bytes() reports and allocate() enforces
  std::vector<size_t> allocation_sizes_;  // every allocate() so far

 private:
  class ReluKernel : public Kernel {
   public:
    explicit ReluKernel(FakeDevice* device) : device_(device) {}
    void enqueue(ExecContext&, const std::vector<BufferView>& in,
                 const std::vector<BufferView>& out) override {
      {
        std::unique_lock<std::mutex> lock(device_->mutex_);
        device_->entered_ = true;
        device_->cv_.notify_all();
        device_->cv_.wait(lock, [&] { return device_->gate_open_; });
      }
      const auto* src = reinterpret_cast<const float*>(static_cast<Handle*>(in[0].handle)->data());
      auto* dst = reinterpret_cast<float*>(static_cast<Handle*>(out[0].handle)->data());
      for (size_t i = 0; i < out[0].bytes / sizeof(float); ++i) dst[i] = src[i] > 0 ? src[i] : 0.0f;
    }
    std::string impl_name() const override { return "fake_relu"; }

   private:
    FakeDevice* device_;
  };

  std::mutex mutex_;
  std::condition_variable cv_;
  bool gate_open_ = true, entered_ = false;
};

}  // namespace test
}  // namespace octet
