// RandomUniform-8 reference values. Expectations are OpenVINO 2026.4's: the spec's examples, and for the
// cases OpenVINO's CPU plugin computes in another type (f16/bf16 as f32, i64 as i32) the values of
// OpenVINO's core reference (ov::op::v8::RandomUniform::evaluate, run from Python), bit patterns listed.
#include <climits>

#include "tests/unit/reference/ref_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;

// A one-element tensor of a float type from the bit pattern of that type (f32: 32 bits).
Tensor float_bits(ET type, uint32_t bits) {
  Tensor t(type, Dims{});
  if (type == ET::kF32)
    std::memcpy(t.data(), &bits, 4);
  else
    t.data_as<uint16_t>()[0] = static_cast<uint16_t>(bits);
  return t;
}
Tensor f32_scalar(float v) {
  return f32({}, {v});
}

Tensor run(ET type, const char* alignment, uint64_t global_seed, uint64_t op_seed, Dims shape, Tensor lo,
           Tensor hi) {
  OpCase c(OpKind::kRandomUniform, 8);
  c.attr("output_type", element_type_name(type))
      .attr("global_seed", std::to_string(global_seed))
      .attr("op_seed", std::to_string(op_seed))
      .attr("alignment", alignment);
  c.in(i64({static_cast<int64_t>(shape.size())}, shape)).in(std::move(lo)).in(std::move(hi));
  return c.run1();
}

// The output's raw bit patterns (16 bits for f16/bf16, 32 for f32).
std::vector<uint32_t> bits_of(const Tensor& t) {
  std::vector<uint32_t> v(static_cast<size_t>(t.element_count()));
  for (size_t i = 0; i < v.size(); ++i) {
    if (t.type() == ET::kF32)
      std::memcpy(&v[i], t.data_as<uint8_t>() + 4 * i, 4);
    else
      v[i] = t.data_as<uint16_t>()[i];
  }
  return v;
}

TEST(RandomUniformRef, SpecExamplesTensorflow) {
  // Example 1 of the RandomUniform-8 specification (global_seed 150, op_seed 10, f32, [0, 1)).
  expect_floats(run(ET::kF32, "tensorflow", 150, 10, {3, 3}, f32_scalar(0), f32_scalar(1)), {3, 3},
                {0.7011236f, 0.30539632f, 0.93931055f, 0.9456035f, 0.11694777f, 0.50770056f, 0.5197197f,
                 0.22727466f, 0.991374f});
  // Example 3 (global_seed 80, op_seed 100, i32 in [50, 100)).
  expect_ints(run(ET::kI32, "tensorflow", 80, 100, {2, 3}, i32({}, {50}), i32({}, {100})), ET::kI32, {2, 3},
              {65, 70, 56, 59, 82, 92});
}

TEST(RandomUniformRef, TensorflowF32IsOneFusedMultiplyAdd) {
  // OpenVINO's CPU plugin (what the zoo compares with) rounds unit * range + min once; its core
  // reference would give 0x3f557d08, 0xc04351a8, 0xbf5ca208, 0x3fb69fec, 0xbfb44c04, 0xc01bc34a.
  EXPECT_EQ(bits_of(run(ET::kF32, "tensorflow", 7, 0, {6}, f32_scalar(-3.5f), f32_scalar(2.25f))),
            (std::vector<uint32_t>{0x3f557d06, 0xc04351a8, 0xbf5ca209, 0x3fb69fec, 0xbfb44c05, 0xc01bc349}));
}

TEST(RandomUniformRef, TensorflowF16Bf16I64) {
  // f16: 10 random mantissa bits, then (u * (max - min)) + min with each step rounded to f16.
  EXPECT_EQ(bits_of(run(ET::kF16, "tensorflow", 11, 5, {9}, float_bits(ET::kF16, float_to_half(-3.0f)),
                        float_bits(ET::kF16, float_to_half(2.7f)))),
            (std::vector<uint32_t>{0x4046, 0xc19c, 0x3a48, 0x385c, 0xb940, 0xc07c, 0xb6c8, 0x3f4c, 0xbea8}));
  EXPECT_EQ(bits_of(run(ET::kBF16, "tensorflow", 11, 5, {9}, float_bits(ET::kBF16, 0xc040),
                        float_bits(ET::kBF16, 0x4030))),
            (std::vector<uint32_t>{0xbfe5, 0xbfb7, 0xbf9a, 0x4028, 0xbfac, 0xc029, 0x3f0c, 0x3fb8, 0x4002}));
  // i64: two words per value (the second the high half), modulo a range wider than 32 bits.
  expect_ints(run(ET::kI64, "tensorflow", 80, 100, {5}, i64({}, {-1000}), i64({}, {(int64_t{1} << 40) + 7})),
              ET::kI64, {5}, {489022745352, 840721275690, 304511928065, 212998887023, 1063426091048});
}

TEST(RandomUniformRef, Pytorch) {
  // MT19937 seeded with global_seed; op_seed is unused.
  EXPECT_EQ(bits_of(run(ET::kF32, "pytorch", 42, 0, {7}, f32_scalar(-1.3f), f32_scalar(3.7f))),
            (std::vector<uint32_t>{0x4047204d, 0x405199ed, 0x3f1d4400, 0x405fc71f, 0x3f26f946, 0x3fda2c4c,
                                   0xbc8c6400}));
  EXPECT_EQ(bits_of(run(ET::kF32, "pytorch", 42, 99, {7}, f32_scalar(-1.3f), f32_scalar(3.7f)))[0],
            0x4047204du);
  EXPECT_EQ(bits_of(run(ET::kF16, "pytorch", 42, 0, {7}, float_bits(ET::kF16, float_to_half(-1.3f)),
                        float_bits(ET::kF16, float_to_half(3.7f)))),
            (std::vector<uint32_t>{0x3dcc, 0x4086, 0x3a66, 0x3f70, 0x3dd6, 0x3d7e, 0x41d2}));
  EXPECT_EQ(bits_of(run(ET::kBF16, "pytorch", 42, 0, {7}, float_bits(ET::kBF16, 0xbfa0),
                        float_bits(ET::kBF16, 0x4070))),
            (std::vector<uint32_t>{0x3f3e, 0x4010, 0x3f0c, 0xbf7a, 0x3f52, 0x3e0c, 0x401b}));
  // i64 with both bounds within uint32: one word per value; otherwise two, the first the high half.
  expect_ints(run(ET::kI64, "pytorch", 42, 0, {6}, i64({}, {-50}), i64({}, {50})), ET::kI64, {6},
              {-8, 17, 26, -36, -24, -15});
  expect_ints(run(ET::kI64, "pytorch", 42, 0, {4}, i64({}, {3}), i64({}, {int64_t{1} << 40})), ET::kI64, {4},
              {441526641482, 395972688666, 458652123174, 810047435041});
}

TEST(RandomUniformRef, ScalarOutputAndFullI32Range) {
  // OpenVINO's CPU plugin leaves a scalar output unset and wraps a range past int32 to -1 (every value
  // minval); these are its core reference's values.
  EXPECT_EQ(bits_of(run(ET::kF32, "tensorflow", 5, 5, {}, f32_scalar(10.0f), f32_scalar(10.5f))),
            (std::vector<uint32_t>{0x41213cee}));
  expect_ints(run(ET::kI32, "tensorflow", 31, 4, {6}, i32({}, {INT32_MIN}), i32({}, {INT32_MAX})), ET::kI32,
              {6}, {1074342608, 280006464, 823473880, -97541858, -953659025, -1126392435});
}

TEST(RandomUniformRef, EmptyOutputAndBadRange) {
  const Tensor t = run(ET::kF32, "tensorflow", 1, 1, {0, 3}, f32_scalar(0), f32_scalar(1));
  EXPECT_EQ(t.element_count(), 0);
  try {
    run(ET::kI32, "tensorflow", 1, 1, {2}, i32({}, {5}), i32({}, {5}));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kModel);
    EXPECT_NE(std::string(e.what()).find("minval 5 must be less than maxval 5"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace octet::test
