// Tests for shape helpers (overflow-checked element counts, broadcasting) and strict attribute
// parsing (bad-inputs.md row 14).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "host/common/error.h"
#include "host/graph/attributes.h"
#include "host/graph/shape.h"

namespace octet {
namespace {

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kModel);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(Shape, ElementCount) {
  EXPECT_EQ(element_count({}), 1);
  EXPECT_EQ(element_count({2, 3, 4}), 24);
  EXPECT_EQ(element_count({0, 5}), 0);
  EXPECT_EQ(element_count({1 << 20, 1 << 20}), int64_t{1} << 40);  // exactly the cap
  EXPECT_NE(error_of([] { element_count({1 << 20, (1 << 20) + 1}); }).find("2^40"), std::string::npos);
  EXPECT_NE(error_of([] { element_count({int64_t{1} << 41}); }).find("too large"), std::string::npos);
  // Would wrap int64 without the check: 2^32 * 2^32.
  EXPECT_THROW(element_count({int64_t{1} << 32, int64_t{1} << 32}), Error);
  EXPECT_NE(error_of([] { element_count({2, -1}); }).find("not static"), std::string::npos);
  EXPECT_THROW(element_count({2, -5}), Error);
}

TEST(Shape, HelpersAndAxes) {
  EXPECT_EQ(to_string({1, -1, 3}), "[1,?,3]");
  EXPECT_EQ(to_string({}), "[]");
  EXPECT_TRUE(is_static({1, 2}));
  EXPECT_FALSE(is_static({1, -1}));
  EXPECT_EQ(row_major_strides({2, 3, 4}), (Dims{12, 4, 1}));
  EXPECT_EQ(row_major_strides({}), Dims{});
  EXPECT_EQ(normalize_axis(-1, 3), 2);
  EXPECT_EQ(normalize_axis(0, 3), 0);
  EXPECT_EQ(normalize_axis(-3, 3), 0);
  EXPECT_THROW(normalize_axis(3, 3), Error);
  EXPECT_THROW(normalize_axis(-4, 3), Error);
  EXPECT_THROW(normalize_axis(0, 0), Error);
  EXPECT_NE(error_of([] { normalize_axis(-100000, 4, "axis"); }).find("-100000"), std::string::npos);
}

TEST(Shape, Broadcast) {
  EXPECT_EQ(broadcast_shapes({2, 1, 4}, {3, 1}), (Dims{2, 3, 4}));
  EXPECT_EQ(broadcast_shapes({3, 1}, {2, 1, 4}), (Dims{2, 3, 4}));
  EXPECT_EQ(broadcast_shapes({}, {}), Dims{});
  EXPECT_EQ(broadcast_shapes({5}, {}), Dims{5});
  EXPECT_EQ(broadcast_shapes({1}, {0}), Dims{0});
  EXPECT_EQ(broadcast_shapes({1, -1}, {3, 1}), (Dims{3, -1}));
  EXPECT_EQ(broadcast_shapes({-1}, {1}), Dims{-1});
  const std::string msg = error_of([] { broadcast_shapes({2, 3}, {4, 3}); });
  EXPECT_NE(msg.find("[2,3]"), std::string::npos);
  EXPECT_NE(msg.find("[4,3]"), std::string::npos);
  EXPECT_THROW(broadcast_shapes({2}, {0}), Error);
}

TEST(Attributes, StrictIntegers) {
  EXPECT_EQ(parse_int64("42"), 42);
  EXPECT_EQ(parse_int64(" 42 "), 42);
  EXPECT_EQ(parse_int64("+5"), 5);
  EXPECT_EQ(parse_int64("-0"), 0);
  EXPECT_EQ(parse_int64("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(parse_int64("9223372036854775807"), std::numeric_limits<int64_t>::max());
  for (const char* bad :
       {"3x", "", " ", "1e99", "nan", "1.0", "0x10", "9223372036854775808", "--1", "1 2", "+"})
    EXPECT_EQ(parse_int64(bad), std::nullopt) << bad;
}

TEST(Attributes, StrictDoubles) {
  EXPECT_EQ(parse_double("1.5"), 1.5);
  EXPECT_EQ(parse_double("1e-5"), 1e-5);
  EXPECT_EQ(parse_double("1e99"), 1e99);
  EXPECT_EQ(parse_double("+2.5"), 2.5);
  EXPECT_EQ(parse_double(" 3 "), 3.0);
  const auto neg_zero = parse_double("-0");
  ASSERT_TRUE(neg_zero);
  EXPECT_TRUE(std::signbit(*neg_zero));
  for (const char* bad : {"nan", "NaN", "inf", "-inf", "1e999", "3x", "", "0x1p3", "1e", "1,5", "1.5f"})
    EXPECT_EQ(parse_double(bad), std::nullopt) << bad;
}

TEST(Attributes, Booleans) {
  EXPECT_EQ(parse_bool("true"), true);
  EXPECT_EQ(parse_bool("TRUE"), true);
  EXPECT_EQ(parse_bool("1"), true);
  EXPECT_EQ(parse_bool("False"), false);
  EXPECT_EQ(parse_bool("0"), false);
  for (const char* bad : {"yes", "", "2", "truee"}) EXPECT_EQ(parse_bool(bad), std::nullopt) << bad;
}

TEST(Attributes, AccessorsNameOwnerKeyAndValue) {
  Attributes a;
  a.set_owner("layer 'conv1' (id 5)");
  a.set("k", "3x");
  a.set("n", "7");
  a.set("f", "nan");
  a.set("b", "yes");
  a.set("list", "1, 2,3");
  a.set("brackets", "[4,5]");
  a.set("empty", "");
  a.set("bad_list", "1,x");
  a.set("hole", "1,,2");
  a.set("trailing", "1,2,");
  a.set("mode", " SAME_UPPER ");
  const std::string msg = error_of([&] { a.i64("k"); });
  EXPECT_NE(msg.find("layer 'conv1' (id 5)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'k'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'3x'"), std::string::npos) << msg;
  EXPECT_NE(error_of([&] { a.i64("missing"); }).find("required but missing"), std::string::npos);
  EXPECT_EQ(a.i64("n"), 7);
  EXPECT_EQ(a.i64_or("missing", -3), -3);
  EXPECT_THROW(a.i64_or("k", 0), Error);  // present but malformed is not "missing"
  EXPECT_THROW(a.f64("f"), Error);
  EXPECT_EQ(a.f64_or("missing", 0.25), 0.25);
  EXPECT_THROW(a.boolean("b"), Error);
  EXPECT_EQ(a.i64_list("list"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(a.i64_list("brackets"), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(a.i64_list("empty"), std::vector<int64_t>{});
  EXPECT_NE(error_of([&] { a.i64_list("bad_list"); }).find("'1,x'"), std::string::npos);
  EXPECT_THROW(a.i64_list("hole"), Error);
  EXPECT_THROW(a.i64_list("trailing"), Error);
  EXPECT_EQ(a.i64_list_or("missing", {9}), std::vector<int64_t>{9});
  EXPECT_EQ(a.enumeration("mode", {"same_upper", "valid"}), "same_upper");
  const std::string enum_msg = error_of([&] { a.enumeration("n", {"same_upper", "valid"}); });
  EXPECT_NE(enum_msg.find("same_upper, valid"), std::string::npos) << enum_msg;
  EXPECT_EQ(a.enumeration_or("missing", {"x"}, "x"), "x");
  EXPECT_EQ(a.str_or("missing", "d"), "d");
  a.set("long", std::string(500, '7') + "x");
  EXPECT_LT(error_of([&] { a.i64("long"); }).size(), 200u);  // long values are cut in messages
}

}  // namespace
}  // namespace octet
