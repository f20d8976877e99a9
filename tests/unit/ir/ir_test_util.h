// Helpers for the IR reader tests: small hand-written IRs, byte builders and error expectations.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/ir/ir_reader.h"

namespace octet::test {

// Parameter x [1,4] f32 -> ReLU -> Result, v11, tensor names "x" and "y".
inline const char* kReluIr = R"(<?xml version="1.0"?>
<net name="relu_model" version="11">
  <layers>
    <layer id="0" name="x" type="Parameter" version="opset1">
      <data shape="1,4" element_type="f32"/>
      <output><port id="0" precision="FP32" names="x"><dim>1</dim><dim>4</dim></port></output>
    </layer>
    <layer id="1" name="relu" type="ReLU" version="opset1">
      <input><port id="0" precision="FP32"><dim>1</dim><dim>4</dim></port></input>
      <output><port id="1" precision="FP32" names="y"><dim>1</dim><dim>4</dim></port></output>
    </layer>
    <layer id="2" name="out" type="Result" version="opset1">
      <input><port id="0" precision="FP32"><dim>1</dim><dim>4</dim></port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="1" to-port="0"/>
    <edge from-layer="1" from-port="1" to-layer="2" to-port="0"/>
  </edges>
</net>
)";

// Parameter x [4] f32 + Const c [4] f32 (offset 0, size 16) -> Add -> Result.
inline const char* kAddConstIr = R"(<?xml version="1.0"?>
<net name="add_model" version="11">
  <layers>
    <layer id="0" name="x" type="Parameter" version="opset1">
      <data shape="4" element_type="f32"/>
      <output><port id="0" precision="FP32" names="x"><dim>4</dim></port></output>
    </layer>
    <layer id="1" name="c" type="Const" version="opset1">
      <data element_type="f32" shape="4" offset="0" size="16"/>
      <output><port id="0" precision="FP32"><dim>4</dim></port></output>
    </layer>
    <layer id="2" name="add" type="Add" version="opset1">
      <data auto_broadcast="numpy"/>
      <input><port id="0" precision="FP32"><dim>4</dim></port><port id="1" precision="FP32"><dim>4</dim></port></input>
      <output><port id="2" precision="FP32" names="sum"><dim>4</dim></port></output>
    </layer>
    <layer id="3" name="out" type="Result" version="opset1">
      <input><port id="0" precision="FP32"><dim>4</dim></port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
    <edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>
    <edge from-layer="2" from-port="2" to-layer="3" to-port="0"/>
  </edges>
</net>
)";

// `text` with the first occurrence of `from` replaced; fails the test when `from` is absent, so a
// mutation that silently did nothing cannot make a bad-input test pass.
inline std::string with(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "mutation target not found: " << from;
    return text;
  }
  return text.replace(at, from.size(), to);
}

inline std::shared_ptr<const std::vector<uint8_t>> bytes(std::vector<uint8_t> data) {
  return std::make_shared<const std::vector<uint8_t>>(std::move(data));
}

template <typename T>
void append(std::vector<uint8_t>& out, std::initializer_list<T> values) {
  for (T v : values) {
    const size_t at = out.size();
    out.resize(at + sizeof(T));
    std::memcpy(out.data() + at, &v, sizeof(T));
  }
}

// 16 bytes: f32 {1, -2, 0.5, 3}.
inline std::shared_ptr<const std::vector<uint8_t>> add_weights() {
  std::vector<uint8_t> b;
  append<float>(b, {1.0f, -2.0f, 0.5f, 3.0f});
  return bytes(std::move(b));
}

inline Graph read(const std::string& xml, std::shared_ptr<const std::vector<uint8_t>> bin = nullptr) {
  return read_ir_memory(xml, std::move(bin), "test.xml");
}

// Runs `fn`, expecting an octet::Error with `code` whose message contains every one of `parts`.
inline void expect_error(const std::function<void()>& fn, ErrorCode code,
                         std::initializer_list<std::string> parts) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(error_code_name(e.code()), std::string(error_code_name(code))) << e.what();
    for (const auto& p : parts)
      EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << "'" << p << "' not in: " << e.what();
    return;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected octet::Error, got std::exception: " << e.what();
    return;
  }
  ADD_FAILURE() << "expected an octet::Error (" << error_code_name(code) << "), but nothing was thrown";
}

inline void expect_model_error(const std::string& xml, std::initializer_list<std::string> parts,
                               std::shared_ptr<const std::vector<uint8_t>> bin = nullptr) {
  expect_error([&] { read(xml, bin); }, ErrorCode::kModel, parts);
}

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("octet_ir_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(file(name), std::ios::binary) << content;
    return file(name);
  }
  std::string write(const std::string& name, const std::vector<uint8_t>& content) const {
    std::ofstream out(file(name), std::ios::binary);
    out.write(reinterpret_cast<const char*>(content.data()), static_cast<std::streamsize>(content.size()));
    return file(name);
  }

 private:
  std::filesystem::path path_;
};

// One Const layer feeding its own Result, for const_model().
struct ConstSpec {
  std::string name;
  std::string element_type;   // IR spelling, e.g. "f32"
  std::string shape;          // <data shape=...>, e.g. "2, 3"
  std::vector<int64_t> dims;  // port dims
  size_t offset = 0;
  size_t size = 0;
  std::string precision;  // port precision, "" for none
};

// A v11 IR made of Const -> Result pairs (layer ids 2k and 2k+1).
inline std::string const_model(const std::vector<ConstSpec>& consts, int version = 11) {
  std::string layers, edges;
  for (size_t k = 0; k < consts.size(); ++k) {
    const ConstSpec& c = consts[k];
    std::string dims;
    for (int64_t d : c.dims) dims += "<dim>" + std::to_string(d) + "</dim>";
    const std::string precision = c.precision.empty() ? "" : " precision=\"" + c.precision + "\"";
    layers += "<layer id=\"" + std::to_string(2 * k) + "\" name=\"" + c.name +
              "\" type=\"Const\" version=\"opset1\">" + "<data element_type=\"" + c.element_type +
              "\" shape=\"" + c.shape + "\" offset=\"" + std::to_string(c.offset) + "\" size=\"" +
              std::to_string(c.size) + "\"/>" + "<output><port id=\"0\"" + precision + " names=\"" + c.name +
              "\">" + dims + "</port></output></layer>\n";
    layers += "<layer id=\"" + std::to_string(2 * k + 1) + "\" name=\"" + c.name +
              "_result\" type=\"Result\" version=\"opset1\"><input><port id=\"0\">" + dims +
              "</port></input></layer>\n";
    edges += "<edge from-layer=\"" + std::to_string(2 * k) + "\" from-port=\"0\" to-layer=\"" +
             std::to_string(2 * k + 1) + "\" to-port=\"0\"/>\n";
  }
  return "<?xml version=\"1.0\"?>\n<net name=\"consts\" version=\"" + std::to_string(version) +
         "\">\n<layers>\n" + layers + "</layers>\n<edges>\n" + edges + "</edges>\n</net>\n";
}

inline const Node* find_node(const Graph& g, const std::string& name) {
  for (const auto& n : g.nodes())
    if (n->name == name) return n.get();
  return nullptr;
}

}  // namespace octet::test
