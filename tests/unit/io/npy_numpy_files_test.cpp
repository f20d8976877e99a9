// Reads .npy files written by real numpy (data/make_fixtures.py) and checks the values it saved;
// the writer must reproduce numpy's bytes exactly.
#include <cstdint>
#include <limits>

#include "tests/unit/io/npy_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;

template <typename T>
std::vector<T> values(const Tensor& t) {
  const T* p = t.data_as<T>();
  return std::vector<T>(p, p + t.element_count());
}

// Reads the fixture from disk and from memory; both must agree.
Tensor read_fixture(const std::string& name, ET type, const Dims& shape) {
  const Tensor t = read_npy_file(fixture(name));
  EXPECT_EQ(t.type(), type) << name;
  EXPECT_EQ(t.shape(), shape) << name;
  const Bytes file = read_bytes(fixture(name));
  const Tensor m = parse_npy(file.data(), file.size(), name);
  EXPECT_EQ(m.type(), type);
  EXPECT_EQ(m.shape(), shape);
  EXPECT_EQ(m.byte_size(), t.byte_size());
  if (m.byte_size() == t.byte_size() && t.byte_size()) {
    EXPECT_EQ(std::memcmp(m.data(), t.data(), t.byte_size()), 0) << name;
  }
  return t;
}

TEST(NpyNumpyFiles, Floats) {
  EXPECT_EQ(values<double>(read_fixture("f8_2x2.npy", ET::kF64, {2, 2})),
            (std::vector<double>{0.0, -2.5, 1e300, 3.141592653589793}));
  EXPECT_EQ(values<float>(read_fixture("f4_2x3.npy", ET::kF32, {2, 3})),
            (std::vector<float>{-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 1.5f}));
  // fp16 bit patterns of 1, -2, 0.5 and 65504 (the largest finite half).
  EXPECT_EQ(values<uint16_t>(read_fixture("f2_4.npy", ET::kF16, {4})),
            (std::vector<uint16_t>{0x3c00, 0xc000, 0x3800, 0x7bff}));
}

TEST(NpyNumpyFiles, SignedIntegers) {
  EXPECT_EQ(
      values<int64_t>(read_fixture("i8_3.npy", ET::kI64, {3})),
      (std::vector<int64_t>{std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), -1}));
  EXPECT_EQ(values<int32_t>(read_fixture("i4_1x2x2.npy", ET::kI32, {1, 2, 2})),
            (std::vector<int32_t>{std::numeric_limits<int32_t>::min(), 2147483647, 0, 7}));
  EXPECT_EQ(values<int16_t>(read_fixture("i2_3.npy", ET::kI16, {3})),
            (std::vector<int16_t>{-32768, 32767, -5}));
}

TEST(NpyNumpyFiles, ScalarShape) {
  const Tensor t = read_fixture("i1_scalar.npy", ET::kI8, {});
  EXPECT_EQ(t.element_count(), 1);
  EXPECT_EQ(values<int8_t>(t), (std::vector<int8_t>{-7}));
}

TEST(NpyNumpyFiles, UnsignedIntegersAndBool) {
  EXPECT_EQ(values<uint64_t>(read_fixture("u8_3.npy", ET::kU64, {3})),
            (std::vector<uint64_t>{std::numeric_limits<uint64_t>::max(), 0, 42}));
  EXPECT_EQ(values<uint32_t>(read_fixture("u4_2.npy", ET::kU32, {2})),
            (std::vector<uint32_t>{4294967295u, 1}));
  EXPECT_EQ(values<uint16_t>(read_fixture("u2_3.npy", ET::kU16, {3})),
            (std::vector<uint16_t>{65535, 0, 300}));
  EXPECT_EQ(values<uint8_t>(read_fixture("u1_2x2.npy", ET::kU8, {2, 2})),
            (std::vector<uint8_t>{0, 255, 128, 1}));
  EXPECT_EQ(values<uint8_t>(read_fixture("b1_5.npy", ET::kBoolean, {5})),
            (std::vector<uint8_t>{1, 0, 1, 1, 0}));
}

TEST(NpyNumpyFiles, ZeroSize) {
  const Tensor a = read_fixture("f4_0x3.npy", ET::kF32, {0, 3});
  EXPECT_EQ(a.element_count(), 0);
  EXPECT_EQ(a.byte_size(), 0u);
  const Tensor b = read_fixture("i4_2x0.npy", ET::kI32, {2, 0});
  EXPECT_EQ(b.element_count(), 0);
}

TEST(NpyNumpyFiles, Versions2And3) {
  EXPECT_EQ(read_bytes(fixture("f4_2x2_v2.npy"))[6], 2);
  EXPECT_EQ(read_bytes(fixture("i2_3_v3.npy"))[6], 3);
  EXPECT_EQ(values<float>(read_fixture("f4_2x2_v2.npy", ET::kF32, {2, 2})),
            (std::vector<float>{1.0f, 2.0f, 3.0f, 4.0f}));
  EXPECT_EQ(values<int16_t>(read_fixture("i2_3_v3.npy", ET::kI16, {3})), (std::vector<int16_t>{-1, 0, 1}));
}

TEST(NpyNumpyFiles, RejectsWhatNumpyWritesButOctetCannotRun) {
  expect_error([] { read_npy_file(fixture("bad_fortran.npy")); }, ErrorCode::kInvalidArgument,
               {"bad_fortran.npy", "fortran_order"});
  expect_error([] { read_npy_file(fixture("bad_big_endian.npy")); }, ErrorCode::kInvalidArgument,
               {"bad_big_endian.npy", "big-endian", ">i4"});
  expect_error([] { read_npy_file(fixture("bad_complex.npy")); }, ErrorCode::kInvalidArgument,
               {"bad_complex.npy", "unsupported dtype", "<c8"});
}

TEST(NpyNumpyFiles, WriterMatchesNumpyBytesForHandBuiltTensor) {
  Tensor t(ET::kF32, {2, 3});
  const float v[] = {-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 1.5f};
  std::memcpy(t.data(), v, sizeof(v));
  EXPECT_EQ(serialize_npy(t), read_bytes(fixture("f4_2x3.npy")));

  Tensor s(ET::kI8, {});
  *s.data_as<int8_t>() = -7;
  EXPECT_EQ(serialize_npy(s), read_bytes(fixture("i1_scalar.npy")));
}

TEST(NpyNumpyFiles, WriterMatchesNumpyBytesForEveryV1Fixture) {
  for (const char* name :
       {"f8_2x2.npy", "f4_2x3.npy", "f2_4.npy", "i8_3.npy", "i4_1x2x2.npy", "i2_3.npy", "i1_scalar.npy",
        "u8_3.npy", "u4_2.npy", "u2_3.npy", "u1_2x2.npy", "b1_5.npy", "f4_0x3.npy", "i4_2x0.npy"}) {
    SCOPED_TRACE(name);
    const Bytes numpy_bytes = read_bytes(fixture(name));
    ASSERT_GE(numpy_bytes.size(), 128u);
    EXPECT_EQ(serialize_npy(read_npy_file(fixture(name))), numpy_bytes);
  }
}

}  // namespace
}  // namespace octet::test
