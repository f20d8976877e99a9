// One hand-made malformed .npy per rejection rule (bad-inputs.md row 30), plus the header forms
// the strict parser must still accept.
#include "tests/unit/io/npy_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;

std::string dict(const std::string& descr, const std::string& order, const std::string& shape) {
  return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }";
}

TEST(NpyReject, BadMagic) {
  Bytes b = npy_v1("<f4", "(1,)", 4);
  b[5] = 'Z';
  expect_rejected(b, {"bad magic"});
  b = npy_v1("<f4", "(1,)", 4);
  b[0] = 0x92;
  expect_rejected(b, {"bad magic"});
  expect_rejected(Bytes{}, {"bad magic"});
  expect_rejected(Bytes{0x93, 'N', 'U'}, {"bad magic"});
}

TEST(NpyReject, TruncatedPrefix) {
  expect_rejected(Bytes{0x93, 'N', 'U', 'M', 'P', 'Y', 1}, {"truncated"});
  expect_rejected(Bytes{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x10}, {"truncated"});
  expect_rejected(Bytes{0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0x10, 0, 0}, {"truncated"});
}

TEST(NpyReject, UnsupportedVersion) {
  const std::string h = dict("<f4", "False", "(1,)") + "\n";
  expect_rejected(npy_bytes(4, h, Bytes(4)), {"version 4.0"});
  expect_rejected(npy_bytes(0, h, Bytes(4)), {"version 0.0"});
  expect_rejected(npy_bytes(1, h, Bytes(4), 1), {"version 1.1"});
}

TEST(NpyReject, HeaderLengthPastEndOfFile) {
  Bytes b = npy_v1("<f4", "(1,)", 0);
  b[8] = 0xff;  // header_len 0x??ff: far more than the file holds
  expect_rejected(b, {"runs past the end"});
}

TEST(NpyReject, HugeHeaderLengthV2V3) {
  for (int major : {2, 3}) {
    Bytes b = npy_bytes(major, dict("<f4", "False", "(1,)"), Bytes(4));
    b[8] = b[9] = b[10] = b[11] = 0xff;  // 4 GiB: must fail before anything is allocated
    expect_rejected(b, {"exceeds", "cap"});
  }
}

TEST(NpyReject, HeaderCapHoldsEvenWhenTheFileIsLargeEnough) {
  // A valid dict padded with spaces to one byte over the cap, in a file that really holds it.
  std::string h = dict("<f4", "False", "(1,)");
  h.append(kMaxNpyHeaderBytes + 1 - h.size() - 1, ' ');
  h += '\n';
  ASSERT_EQ(h.size(), kMaxNpyHeaderBytes + 1);
  expect_rejected(npy_bytes(2, h, Bytes(4)), {"exceeds"});
  // One byte less is accepted.
  h.erase(h.size() - 2, 1);
  EXPECT_EQ(parse(npy_bytes(2, h, Bytes(4))).shape(), Dims{1});
}

TEST(NpyReject, UnparsableDict) {
  const char* bad[] = {
      "",                                                               // empty header
      "[('descr', '<f4')]",                                             // not a dict
      "{'descr' '<f4', 'fortran_order': False, 'shape': (1,), }",       // missing ':'
      "{'descr': '<f4' 'fortran_order': False, 'shape': (1,), }",       // missing ','
      "{'descr': '<f4, 'fortran_order': False, 'shape': (1,), }",       // quote mismatch
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), ",       // unterminated dict
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }x",     // trailing garbage
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }}",     // trailing brace
      "{descr: '<f4', 'fortran_order': False, 'shape': (1,), }",        // unquoted key
      "{'descr': '<f4', 'fortran_order': false, 'shape': (1,), }",      // not Python's False
      "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }",          // not a bool
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1), }",       // (1) is an int
      "{'descr': '<f4', 'fortran_order': False, 'shape': [1], }",       // list, not a tuple
      "{'descr': '<f4', 'fortran_order': False, 'shape': 1, }",         // bare int
      "{'descr': '<f4', 'fortran_order': False, 'shape': (,), }",       // empty element
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,,), }",     // double comma
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1 1), }",     // missing comma
      "{'descr': '<f\\x34', 'fortran_order': False, 'shape': (1,), }",  // escape sequence
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,),, }",     // double comma in dict
      "{, 'descr': '<f4', 'fortran_order': False, 'shape': (1,) }",     // leading comma
      "\n{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",    // newline before dict
  };
  for (const char* h : bad) expect_rejected(npy_bytes(1, h, Bytes(4)), {"unparsable .npy header"});
}

TEST(NpyReject, NonAsciiAndControlBytesInHeader) {
  expect_rejected(npy_bytes(3, "{'descr': '<f4\xc3\xa9', 'fortran_order': False, 'shape': (1,), }", Bytes(4)),
                  {"unparsable"});
  std::string with_nul = dict("<f4", "False", "(1,)");
  with_nul.insert(3, 1, '\0');
  expect_rejected(npy_bytes(1, with_nul, Bytes(4)), {"unparsable"});
  std::string nul_padding = dict("<f4", "False", "(1,)") + std::string(3, '\0');
  expect_rejected(npy_bytes(1, nul_padding, Bytes(4)), {"after the dict"});
}

TEST(NpyReject, MissingUnknownAndDuplicateKeys) {
  expect_rejected(npy_bytes(1, "{'descr': '<f4', 'shape': (1,), }", Bytes(4)),
                  {"missing key 'fortran_order'"});
  expect_rejected(npy_bytes(1, "{'fortran_order': False, 'shape': (1,), }", Bytes(4)),
                  {"missing key 'descr'"});
  expect_rejected(npy_bytes(1, "{'descr': '<f4', 'fortran_order': False}", Bytes(4)),
                  {"missing key 'shape'"});
  expect_rejected(npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", Bytes(4)),
                  {"unknown key 'x'"});
  expect_rejected(
      npy_bytes(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", Bytes(4)),
      {"duplicate key 'descr'"});
  expect_rejected(
      npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'shape': (2,)}", Bytes(8)),
      {"duplicate key 'shape'"});
  expect_rejected(
      npy_bytes(1, "{'fortran_order': False, 'descr': '<f4', 'fortran_order': True, 'shape': (1,)}",
                Bytes(4)),
      {"duplicate key 'fortran_order'"});
}

TEST(NpyReject, UnsupportedDescr) {
  for (const char* d : {"<c8", "<f16", "|O", "<U5", "<M8[ns]", "float32", "<f3", "|V4", "<b2", "", "f4"})
    expect_rejected(npy_v1(d, "(1,)", 4), {"unsupported dtype"});
  // Byte order must be explicit for multi-byte types.
  for (const char* d : {"|f4", "=f4", "=i8", "|u2"})
    expect_rejected(npy_v1(d, "(1,)", 8), {"unsupported dtype"});
  // A structured dtype is a list, not a string.
  expect_rejected(
      npy_bytes(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", Bytes(4)),
      {"expected a quoted string"});
}

TEST(NpyReject, BigEndian) {
  for (const char* d : {">f4", ">f8", ">f2", ">i8", ">i4", ">i2", ">u8", ">u4", ">u2"})
    expect_rejected(npy_v1(d, "(1,)", 8), {"big-endian", d});
}

TEST(NpyReject, FortranOrder) {
  expect_rejected(npy_bytes(1, dict("<f4", "True", "(2, 3)"), Bytes(24)), {"fortran_order True"});
  // Even where the layout would be identical, the rule is the rule.
  expect_rejected(npy_bytes(1, dict("<f4", "True", "(3,)"), Bytes(12)), {"fortran_order True"});
}

TEST(NpyReject, NegativeDim) {
  expect_rejected(npy_v1("<f4", "(-1,)", 4), {"negative dimension"});
  expect_rejected(npy_v1("<f4", "(2, -3)", 0), {"negative dimension"});
}

TEST(NpyReject, NonIntegerDim) {
  for (const char* s : {"(2.5,)", "(2.0,)", "(1e3,)", "(0x10,)", "(True,)", "(None,)", "('2',)", "(2j,)",
                        "(+2,)", "(007,)", "(2_0,)"})
    expect_rejected(npy_v1("<f4", s, 8), {"unparsable"});
}

TEST(NpyReject, ShapeProductOverflow) {
  // Each dim within the per-dim cap, the product far beyond int64.
  expect_rejected(npy_v1("<f4", "(1099511627776, 1099511627776)", 4), {"more than 2^40 elements"});
  expect_rejected(npy_v1("<f4", "(65536, 65536, 65536, 65536, 65536)", 4), {"more than 2^40 elements"});
  // A single dim that would overflow int64 while being parsed.
  expect_rejected(npy_v1("<f4", "(123456789012345678901234567890,)", 4), {"exceeds 2^40"});
}

TEST(NpyReject, HugeDeclaredShapeIsCheckedAgainstTheFileBeforeAllocating) {
  // 2^40 doubles would be 8 TiB: the data-size check must fire, not an allocation.
  expect_rejected(npy_v1("<f8", "(1099511627776,)", 16), {"data is 16 bytes", "needs 8796093022208"});
}

TEST(NpyReject, TooManyDims) {
  std::string shape = "(";
  for (int i = 0; i < 65; ++i) shape += "1, ";
  expect_rejected(npy_v1("<f4", shape + ")", 4), {"more than 64 dimensions"});
}

TEST(NpyReject, DataShorterOrLonger) {
  expect_rejected(npy_v1("<f4", "(3, 4)", 40), {"'x.npy': data is 40 bytes, shape [3,4] of <f4 needs 48"});
  expect_rejected(npy_v1("<f4", "(3, 4)", 49), {"data is 49 bytes, shape [3,4] of <f4 needs 48"});
  expect_rejected(npy_v1("<i8", "()", 0), {"data is 0 bytes, shape [] of <i8 needs 8"});
  expect_rejected(npy_v1("|u1", "(0,)", 1), {"data is 1 bytes, shape [0] of |u1 needs 0"});
}

TEST(NpyAccept, FlexibleButValidHeaders) {
  const char* good[] = {
      "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",                   // any order, no comma
      "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}",           // double quotes
      " \t{ 'descr' : '<f4' ,\n 'fortran_order' :False,'shape':( 2 ,3 , ) , }\r\n",  // whitespace
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",               // Python 2 longs
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }                \n",
  };
  for (const char* h : good) {
    SCOPED_TRACE(h);
    const Tensor t = parse(npy_bytes(1, h, Bytes(24)));
    EXPECT_EQ(t.type(), ET::kF32);
    EXPECT_EQ(t.shape(), (Dims{2, 3}));
  }
}

TEST(NpyAccept, ByteOrderFreeOneByteTypes) {
  for (const char* d : {"|u1", "<u1", "=u1"}) EXPECT_EQ(parse(npy_v1(d, "(2,)", 2)).type(), ET::kU8) << d;
  for (const char* d : {"|i1", "<i1", "=i1"}) EXPECT_EQ(parse(npy_v1(d, "(2,)", 2)).type(), ET::kI8) << d;
  for (const char* d : {"|b1", "<b1", "=b1"})
    EXPECT_EQ(parse(npy_v1(d, "(2,)", 2)).type(), ET::kBoolean) << d;
}

TEST(NpyAccept, BooleanBytesAreNormalisedToZeroOrOne) {
  Bytes b = npy_v1("|b1", "(4,)", 0);
  b.insert(b.end(), {0, 1, 2, 0xff});
  const Tensor t = parse(b);
  const uint8_t* p = t.data_as<uint8_t>();
  EXPECT_EQ(std::vector<uint8_t>(p, p + 4), (std::vector<uint8_t>{0, 1, 1, 1}));
}

TEST(NpyAccept, DataIsCopiedVerbatim) {
  Bytes b = npy_v1("<i2", "(3,)", 0);
  b.insert(b.end(), {0x01, 0x00, 0xff, 0xff, 0x00, 0x80});
  const Tensor t = parse(b);
  const int16_t* p = t.data_as<int16_t>();
  EXPECT_EQ(std::vector<int16_t>(p, p + 3), (std::vector<int16_t>{1, -1, -32768}));
}

}  // namespace
}  // namespace octet::test
