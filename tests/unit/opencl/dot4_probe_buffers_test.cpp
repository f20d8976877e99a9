// The DOT4 probe run at device open (exact results, the reason it gives) and the separate-buffers
// debug mode (every tensor its own cl_mem), on whatever OpenCL device is present.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/opencl/ops/quantized.h"
#include "runtime/opencl/program_cache.h"
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

TEST(OpenClDot4Probe, PlainPathIsExactAndTheChoiceHasAReason) {
  OCTET_REQUIRE_OPENCL(backend);
  EXPECT_EQ(dot4_probe(*backend, DotMode::kPlain), "");
  const DeviceInfo& d = backend->device();
  const std::string reason = dot_mode_reason(*backend);
  EXPECT_FALSE(reason.empty());
  if (d.integer_dot_product && !d.dot4_packed) {
    EXPECT_NE(reason.find("without the 4x8-bit packed capability"), std::string::npos) << reason;
  }
  if (!d.dot4_packed && d.nv_compute_capability < 61) {
    EXPECT_EQ(dot_mode(*backend), DotMode::kPlain);
  } else if (dot_mode(*backend) != DotMode::kPlain) {
    EXPECT_NE(reason.find("probe exact"), std::string::npos) << reason;
    EXPECT_EQ(dot4_probe(*backend, dot_mode(*backend)), "");
  }
  EXPECT_NE(backend->description().find("DOT4 "), std::string::npos) << backend->description();
}

// A DOT4 that is off by one somewhere must be caught: the probe runs the kernel source from
// $OCTET_KERNEL_DIR, here a copy whose plain DOT4_SU adds 1.
TEST(OpenClDot4Probe, AWrongDot4IsRefused) {
  OCTET_REQUIRE_OPENCL(backend);
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("octet_dot4_" + std::to_string(::getpid()))).string();
  std::filesystem::create_directories(dir + "/common");
  auto write = [&](const std::string& file, std::string text) { std::ofstream(dir + "/" + file) << text; };
  std::string dot4 = load_kernel_source("common/dot4.clh");
  const std::string plain_su = "#define DOT4_SU(acc, a, b) ((acc) + convert_int4(a) * convert_int4(b))";
  const size_t at = dot4.find(plain_su);
  ASSERT_NE(at, std::string::npos);
  dot4.replace(at, plain_su.size(),
               "#define DOT4_SU(acc, a, b) ((acc) + convert_int4(a) * convert_int4(b) + (int4)(1, 0, 0, 0))");
  write("common/dot4.clh", dot4);
  std::string probe = load_kernel_source("dot4_probe.cl");  // includes expanded: re-include ours
  write("dot4_probe.cl", "#include \"common/dot4.clh\"\n" + probe.substr(probe.find("// out[2i]")));
  setenv("OCTET_KERNEL_DIR", dir.c_str(), 1);
  const std::string why = dot4_probe(*backend, DotMode::kPlain);
  unsetenv("OCTET_KERNEL_DIR");
  std::filesystem::remove_all(dir);
  EXPECT_NE(why.find("DOT4_SU"), std::string::npos) << why;
}

TEST(OpenClSeparateBuffers, EveryViewIsItsOwnAllocation) {
  if (!test::shared_backend()) GTEST_SKIP() << "no OpenCL device";
  BackendOptions o;
  o.separate_buffers = true;
  auto backend = OpenClBackend::create("GPU", o);
  ASSERT_TRUE(backend->separate_buffers());
  EXPECT_NE(backend->description().find("separate buffers"), std::string::npos);
  const size_t before = backend->allocated_bytes();
  void* arena = backend->allocate(4096);
  void* a = backend->sub_buffer(arena, 0, 1000);
  void* b = backend->sub_buffer(arena, 1024, 1000);
  EXPECT_EQ(backend->allocated_bytes(), before + 4096 + 2000);
  // A view is not part of the arena: its writes do not reach the arena, and its parent holds
  // exactly its bytes (an access past it leaves the allocation).
  auto ctx = backend->create_context();
  std::vector<uint8_t> zeros(4096, 0), ones(1000, 1), back(4096, 7);
  backend->upload(*ctx, arena, zeros.data(), zeros.size());
  backend->upload(*ctx, a, ones.data(), ones.size());
  backend->upload(*ctx, b, ones.data(), ones.size());
  backend->download(*ctx, arena, back.data(), back.size());
  EXPECT_EQ(back, zeros);
  cl_mem parent = nullptr;
  size_t parent_size = 0;
  ASSERT_EQ(clGetMemObjectInfo(static_cast<cl_mem>(a), CL_MEM_ASSOCIATED_MEMOBJECT, sizeof parent, &parent,
                               nullptr),
            CL_SUCCESS);
  ASSERT_EQ(clGetMemObjectInfo(parent, CL_MEM_SIZE, sizeof parent_size, &parent_size, nullptr), CL_SUCCESS);
  EXPECT_EQ(parent_size, 1000u);
  EXPECT_NE(parent, static_cast<cl_mem>(arena));
  backend->release(a);
  backend->release(b);
  backend->release(arena);
  EXPECT_EQ(backend->allocated_bytes(), before);
}

}  // namespace
}  // namespace octet
