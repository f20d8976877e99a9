// Writer/reader round trips for every dtype numpy has, the atomic file writer, the types numpy
// cannot hold, file-level errors, and the exact-size raw .bin reader.
#include "tests/unit/io/npy_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;

// A tensor whose bytes are 0, 7, 14, ... (mod 256), so every byte position is distinguishable.
Tensor patterned(ET type, const Dims& shape) {
  Tensor t(type, shape);
  auto* p = t.data_as<uint8_t>();
  for (size_t i = 0; i < t.byte_size(); ++i) p[i] = static_cast<uint8_t>(i * 7);
  if (type == ET::kBoolean) {
    for (size_t i = 0; i < t.byte_size(); ++i) p[i] = i % 3 == 1;
  }
  return t;
}

void expect_same(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.type(), b.type());
  EXPECT_EQ(a.shape(), b.shape());
  ASSERT_EQ(a.byte_size(), b.byte_size());
  if (a.byte_size()) {
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.byte_size()), 0);
  }
}

const ET kNumpyTypes[] = {ET::kF64, ET::kF32, ET::kF16, ET::kI64, ET::kI32, ET::kI16,
                          ET::kI8,  ET::kU64, ET::kU32, ET::kU16, ET::kU8,  ET::kBoolean};

TEST(NpyRoundTrip, EveryDtypeAndSeveralShapes) {
  for (ET type : kNumpyTypes) {
    for (const Dims& shape :
         {Dims{}, Dims{1}, Dims{5}, Dims{2, 3}, Dims{2, 1, 3, 4}, Dims{0}, Dims{3, 0, 2}}) {
      SCOPED_TRACE(std::string(element_type_name(type)) + " " + to_string(shape));
      const Tensor t = patterned(type, shape);
      const Bytes b = serialize_npy(t);
      EXPECT_EQ(b[6], 1);  // version 1.0
      const size_t header_len = b[8] | (b[9] << 8);
      EXPECT_EQ((10 + header_len) % 64, 0u);  // data 64-byte aligned
      EXPECT_EQ(b.size(), 10 + header_len + t.byte_size());
      expect_same(parse(b), t);
    }
  }
}

TEST(NpyRoundTrip, DescrWritten) {
  const std::pair<ET, const char*> expected[] = {
      {ET::kF64, "'<f8'"}, {ET::kF32, "'<f4'"}, {ET::kF16, "'<f2'"}, {ET::kI64, "'<i8'"},
      {ET::kI32, "'<i4'"}, {ET::kI16, "'<i2'"}, {ET::kI8, "'|i1'"},  {ET::kU64, "'<u8'"},
      {ET::kU32, "'<u4'"}, {ET::kU16, "'<u2'"}, {ET::kU8, "'|u1'"},  {ET::kBoolean, "'|b1'"}};
  for (const auto& [type, descr] : expected) {
    const Bytes b = serialize_npy(Tensor(type, {2}));
    const std::string text(b.begin(), b.end());
    EXPECT_NE(text.find(std::string("{'descr': ") + descr + ", 'fortran_order': False, 'shape': (2,), }"),
              std::string::npos)
        << text;
  }
}

TEST(NpyRoundTrip, FileWriteReplacesAtomicallyAndLeavesNoTempFiles) {
  TempDir dir;
  const std::string path = dir.file("out.npy");
  write_bytes(path, Bytes(1000, 0xaa));  // an older, longer file to be replaced
  for (ET type : kNumpyTypes) {
    const Tensor t = patterned(type, {3, 5});
    write_npy_file(path, t);
    expect_same(read_npy_file(path), t);
    EXPECT_EQ(read_bytes(path), serialize_npy(t));
  }
  EXPECT_EQ(dir.entry_count(), 1u);
}

TEST(NpyRoundTrip, LargerThanTheHeaderPrefix) {
  // More data than the reader's first read of the capped header prefix.
  TempDir dir;
  const Tensor t = patterned(ET::kF32, {300, 100});
  write_npy_file(dir.file("big.npy"), t);
  expect_same(read_npy_file(dir.file("big.npy")), t);
}

TEST(NpyRoundTrip, VeryLongHeaderSwitchesToVersion2) {
  // numpy's rule: when the padded header exceeds 65535 bytes the u16 length cannot hold it.
  Tensor t(ET::kU8, Dims(22000, 1));
  const Bytes b = serialize_npy(t);
  EXPECT_EQ(b[6], 2);
  const size_t header_len = b[8] | (b[9] << 8) | (b[10] << 16) | (size_t{b[11]} << 24);
  EXPECT_GT(header_len, 65535u);
  EXPECT_EQ((12 + header_len) % 64, 0u);
  EXPECT_EQ(b.size(), 12 + header_len + 1);
  EXPECT_EQ(b[12 + header_len - 1], '\n');
}

TEST(NpyRoundTrip, TypesNumpyCannotHoldAreUnsupported) {
  TempDir dir;
  for (ET type : {ET::kI4, ET::kU4, ET::kU1, ET::kBF16}) {
    SCOPED_TRACE(element_type_name(type));
    const Tensor t(type, {8});
    expect_error([&] { serialize_npy(t); }, ErrorCode::kUnsupported, {element_type_name(type)});
    expect_error([&] { write_npy_file(dir.file("x.npy"), t); }, ErrorCode::kUnsupported, {});
  }
  EXPECT_EQ(dir.entry_count(), 0u);
  expect_error([] { serialize_npy(Tensor()); }, ErrorCode::kInvalidArgument, {"undefined"});
}

TEST(NpyFiles, MissingFileIsNotFound) {
  TempDir dir;
  expect_error([&] { read_npy_file(dir.file("nope.npy")); }, ErrorCode::kNotFound, {"nope.npy"});
}

TEST(NpyFiles, DirectoryIsNotARegularFile) {
  TempDir dir;
  std::filesystem::create_directory(dir.file("d.npy"));
  expect_error([&] { read_npy_file(dir.file("d.npy")); }, ErrorCode::kInvalidArgument,
               {"not a regular file"});
}

TEST(NpyFiles, ErrorsFromFilesNameThePath) {
  TempDir dir;
  write_bytes(dir.file("short.npy"), npy_v1("<f4", "(3, 4)", 40));
  expect_error([&] { read_npy_file(dir.file("short.npy")); }, ErrorCode::kInvalidArgument,
               {"short.npy': data is 40 bytes, shape [3,4] of <f4 needs 48"});
  write_bytes(dir.file("long.npy"), npy_v1("<f4", "(3, 4)", 52));
  expect_error([&] { read_npy_file(dir.file("long.npy")); }, ErrorCode::kInvalidArgument,
               {"data is 52 bytes"});
  Bytes huge = npy_bytes(2, "{}", {});
  huge[8] = huge[9] = huge[10] = huge[11] = 0xff;
  write_bytes(dir.file("huge.npy"), huge);
  expect_error([&] { read_npy_file(dir.file("huge.npy")); }, ErrorCode::kInvalidArgument,
               {"huge.npy", "cap"});
  write_bytes(dir.file("empty.npy"), {});
  expect_error([&] { read_npy_file(dir.file("empty.npy")); }, ErrorCode::kInvalidArgument, {"bad magic"});
}

TEST(NpyFiles, WriteIntoMissingDirectoryFails) {
  TempDir dir;
  expect_error([&] { write_npy_file(dir.file("no/such/dir/x.npy"), Tensor(ET::kF32, {1})); },
               ErrorCode::kInvalidArgument, {"x.npy"});
  EXPECT_EQ(dir.entry_count(), 0u);
}

TEST(RawFile, ExactSizeReadsTheBytes) {
  TempDir dir;
  const float v[] = {1.5f, -2.0f, 0.25f, 8.0f, 0.0f, -0.0f};
  Bytes b(sizeof(v));
  std::memcpy(b.data(), v, sizeof(v));
  write_bytes(dir.file("in.bin"), b);
  const Tensor t = read_raw_file(dir.file("in.bin"), ET::kF32, {2, 3});
  EXPECT_EQ(t.type(), ET::kF32);
  EXPECT_EQ(t.shape(), (Dims{2, 3}));
  EXPECT_EQ(t.to_float_vector(), (std::vector<float>{1.5f, -2.0f, 0.25f, 8.0f, 0.0f, -0.0f}));
}

TEST(RawFile, WrongSizeNamesBothCounts) {
  TempDir dir;
  write_bytes(dir.file("in.bin"), Bytes(20));
  expect_error(
      [&] {
        read_raw_file(dir.file("in.bin"), ET::kF32, {2, 3});
      },
      ErrorCode::kInvalidArgument, {"in.bin", "expected 24 bytes ([2,3] x f32), got 20"});
  write_bytes(dir.file("in.bin"), Bytes(25));
  expect_error(
      [&] {
        read_raw_file(dir.file("in.bin"), ET::kF32, {2, 3});
      },
      ErrorCode::kInvalidArgument, {"expected 24 bytes ([2,3] x f32), got 25"});
}

TEST(RawFile, PackedSubByteAndScalarAndEmpty) {
  TempDir dir;
  write_bytes(dir.file("i4.bin"), Bytes{0x21, 0xf3});  // i4 elements 1, 2, 3, -1 (low nibble first)
  EXPECT_EQ(read_raw_file(dir.file("i4.bin"), ET::kI4, {4}).to_int64_vector(),
            (std::vector<int64_t>{1, 2, 3, -1}));
  // Three nibbles round up to the same 2 bytes; five need 3.
  EXPECT_EQ(read_raw_file(dir.file("i4.bin"), ET::kI4, {3}).to_int64_vector(),
            (std::vector<int64_t>{1, 2, 3}));
  expect_error([&] { read_raw_file(dir.file("i4.bin"), ET::kI4, {5}); }, ErrorCode::kInvalidArgument,
               {"expected 3 bytes ([5] x i4), got 2"});
  write_bytes(dir.file("b.bin"), Bytes{0, 5});
  EXPECT_EQ(read_raw_file(dir.file("b.bin"), ET::kBoolean, {2}).to_int64_vector(),
            (std::vector<int64_t>{0, 1}));
  write_bytes(dir.file("s.bin"), Bytes{0xfe});
  EXPECT_EQ(read_raw_file(dir.file("s.bin"), ET::kI8, {}).to_int64_vector(), (std::vector<int64_t>{-2}));
  write_bytes(dir.file("e.bin"), {});
  EXPECT_EQ(read_raw_file(dir.file("e.bin"), ET::kF32, {0, 4}).element_count(), 0);
}

TEST(RawFile, BadArguments) {
  TempDir dir;
  expect_error([&] { read_raw_file(dir.file("none.bin"), ET::kF32, {1}); }, ErrorCode::kNotFound,
               {"none.bin"});
  write_bytes(dir.file("x.bin"), Bytes(4));
  expect_error([&] { read_raw_file(dir.file("x.bin"), ET::kF32, {-1}); }, ErrorCode::kInvalidArgument,
               {"x.bin"});
  expect_error(
      [&] {
        read_raw_file(dir.file("x.bin"), ET::kF32, {1 << 30, 1 << 30});
      },
      ErrorCode::kInvalidArgument, {"2^40"});
  expect_error([&] { read_raw_file(dir.file("x.bin"), ET::kUndefined, {1}); }, ErrorCode::kInvalidArgument,
               {"element type"});
}

}  // namespace
}  // namespace octet::test
