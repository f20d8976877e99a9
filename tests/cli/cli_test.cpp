// Runs the octet binary as a user would and checks its output and exit codes: `info` against the
// model_info.json OpenVINO wrote, `run` outputs against OpenVINO's reference .npy files, `compare`
// GPU (PoCL) vs CPU, and the CLI rows of bad-inputs.md (28, 31, 32).
#include <gtest/gtest.h>
#include <octet/octet.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
const fs::path kZoo = OCTET_ZOO_DIR;
const std::string kCli = OCTET_CLI_PATH;

struct CliResult {
  int code = -1;
  std::string out, err;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path scratch_dir() {
  const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  for (char& c : name)
    if (c == '/') c = '_';
  fs::path dir = fs::temp_directory_path() / ("octet_cli_test_" + std::to_string(getpid())) / name;
  fs::create_directories(dir);
  return dir;
}

// Runs `octet <args>` through the shell (args are already quoted where needed), after `prefix`
// ("env NAME=value", "timeout 60").
CliResult run_cli(const std::string& args, const std::string& prefix = "") {
  const fs::path dir = scratch_dir();
  const fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
  const std::string command = (prefix.empty() ? "" : prefix + " ") + "'" + kCli + "' " + args + " >'" +
                              out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(command.c_str());
  CliResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

std::string model(const std::string& name) {
  return "'" + (kZoo / name / "model.xml").string() + "'";
}

bool has_opencl_device() {
  static const bool found = run_cli("devices").out.find("GPU.0") != std::string::npos;
  return found;
}

std::vector<float> read_f32_npy(const fs::path& path) {
  octet_tensor_t tensor = nullptr;
  EXPECT_EQ(octet_tensor_read_npy(path.c_str(), &tensor), OCTET_OK) << path << ": " << octet_last_error();
  if (!tensor) return {};
  octet_element_type type = OCTET_TYPE_UNDEFINED;
  size_t count = 0;
  void* data = nullptr;
  EXPECT_EQ(octet_tensor_type(tensor, &type), OCTET_OK);
  EXPECT_EQ(type, OCTET_TYPE_F32) << path;
  EXPECT_EQ(octet_tensor_element_count(tensor, &count), OCTET_OK);
  EXPECT_EQ(octet_tensor_data(tensor, &data), OCTET_OK);
  std::vector<float> values(static_cast<const float*>(data), static_cast<const float*>(data) + count);
  octet_tensor_destroy(tensor);
  return values;
}

std::vector<int64_t> read_i64_npy(const fs::path& path) {
  octet_tensor_t tensor = nullptr;
  EXPECT_EQ(octet_tensor_read_npy(path.c_str(), &tensor), OCTET_OK) << path << ": " << octet_last_error();
  if (!tensor) return {};
  octet_element_type type = OCTET_TYPE_UNDEFINED;
  size_t count = 0;
  void* data = nullptr;
  EXPECT_EQ(octet_tensor_type(tensor, &type), OCTET_OK);
  EXPECT_EQ(type, OCTET_TYPE_I64) << path;
  EXPECT_EQ(octet_tensor_element_count(tensor, &count), OCTET_OK);
  EXPECT_EQ(octet_tensor_data(tensor, &data), OCTET_OK);
  std::vector<int64_t> values(static_cast<const int64_t*>(data), static_cast<const int64_t*>(data) + count);
  octet_tensor_destroy(tensor);
  return values;
}

// ---- info ---------------------------------------------------------------------------------------

class InfoMatchesOpenVino : public testing::TestWithParam<const char*> {};

TEST_P(InfoMatchesOpenVino, InputsOutputsAndOpHistogram) {
  const std::string name = GetParam();
  const CliResult r = run_cli("info --json -m " + model(name));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto ours = nlohmann::json::parse(r.out);
  const auto theirs = nlohmann::json::parse(read_text(kZoo / name / "model_info.json"));
  for (const char* side : {"inputs", "outputs"}) {
    ASSERT_EQ(ours[side].size(), theirs[side].size()) << side;
    for (size_t i = 0; i < ours[side].size(); ++i) {
      EXPECT_EQ(ours[side][i]["name"], theirs[side][i]["name"]) << side << " " << i;
      EXPECT_EQ(ours[side][i]["shape"], theirs[side][i]["shape"]) << side << " " << i;
      EXPECT_EQ(ours[side][i]["element_type"], theirs[side][i]["element_type"]) << side << " " << i;
    }
  }
  // OpenVINO's "ops_by_version" is "<type>/opset<N>" -> count; octet's op names are OpenVINO's.
  std::map<std::string, int> by_version;
  for (const auto& entry : ours["op_versions"])
    by_version[entry["op"].get<std::string>() + "/opset" + std::to_string(entry["version"].get<int>())] +=
        entry["count"].get<int>();
  std::map<std::string, int> expected;
  for (const auto& [key, count] : theirs["ops_by_version"].items()) expected[key] = count.get<int>();
  EXPECT_EQ(by_version, expected);
  int nodes = 0;
  for (const auto& [key, count] : expected) nodes += count;
  EXPECT_EQ(ours["node_count"].get<int>(), nodes);
}

INSTANTIATE_TEST_SUITE_P(Zoo, InfoMatchesOpenVino,
                         testing::Values("cnn_int8", "cnn_fp16c", "mlp_fp32", "transformer_int8",
                                         "matmul_int4_asym_g32"));

TEST(Info, TextTables) {
  const CliResult r = run_cli("info -m " + model("cnn_int8"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("input  f32   [1,3,32,32]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("prob  f32   [1,10]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FakeQuantize            1      8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Softmax                 8      1"), std::string::npos) << r.out;
}

TEST(Info, WithoutAModelListsTheDevices) {
  const CliResult r = run_cli("info");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, run_cli("devices").out);
  EXPECT_NE(r.out.find("CPU     oneDNN"), std::string::npos) << r.out;
  EXPECT_EQ(run_cli("info --json").code, 2);
}

TEST(Info, PlacementWithDevice) {
  const CliResult r = run_cli("info -d CPU -m " + model("cnn_int8"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Placement on CPU"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("QuantizedConvolution"), std::string::npos) << r.out;
}

// A dilated MaxPool-8 whose indices nothing reads: the plain max pooling it becomes in fast
// precision is a case oneDNN has only its reference implementation for (no zoo model has one).
fs::path dilated_pool_model() {
  const fs::path dir = scratch_dir();
  std::ofstream(dir / "model.bin", std::ios::binary).flush();
  std::ofstream(dir / "model.xml") << R"(<?xml version="1.0"?>
<net name="pool" version="11">
  <layers>
    <layer id="0" name="x" type="Parameter" version="opset1">
      <data shape="1,3,9,10" element_type="f32"/>
      <output><port id="0" precision="FP32" names="x"><dim>1</dim><dim>3</dim><dim>9</dim><dim>10</dim></port></output>
    </layer>
    <layer id="1" name="pool" type="MaxPool" version="opset8">
      <data strides="2,1" dilations="2,1" pads_begin="1,0" pads_end="2,1" kernel="3,2" rounding_type="floor"
            auto_pad="explicit" index_element_type="i32" axis="0"/>
      <input><port id="0" precision="FP32"><dim>1</dim><dim>3</dim><dim>9</dim><dim>10</dim></port></input>
      <output>
        <port id="1" precision="FP32" names="y"><dim>1</dim><dim>3</dim><dim>4</dim><dim>10</dim></port>
        <port id="2" precision="I32"><dim>1</dim><dim>3</dim><dim>4</dim><dim>10</dim></port>
      </output>
    </layer>
    <layer id="2" name="out" type="Result" version="opset1">
      <input><port id="0" precision="FP32"><dim>1</dim><dim>3</dim><dim>4</dim><dim>10</dim></port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="1" to-port="0"/>
    <edge from-layer="1" from-port="1" to-layer="2" to-port="0"/>
  </edges>
</net>
)";
  return dir / "model.xml";
}

TEST(Info, WarnsAboutOneDnnReferenceImplementations) {
  const std::string m = "'" + dilated_pool_model().string() + "'";
  const CliResult info = run_cli("info -d CPU -m " + m);
  ASSERT_EQ(info.code, 0) << info.err;
  EXPECT_NE(info.out.find("WARNING: 1 node(s) run oneDNN reference implementations"), std::string::npos)
      << info.out;
  const CliResult json = run_cli("info -d CPU --json -m " + m);
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_NE(json.out.find("\"onednn_reference\": true"), std::string::npos) << json.out;
  const CliResult bench = run_cli("bench -d CPU -niter 2 -pc -m " + m);
  ASSERT_EQ(bench.code, 0) << bench.err;
  EXPECT_NE(bench.out.find("WARNING: oneDNN reference implementations (no jit kernel; slow)"),
            std::string::npos)
      << bench.out;
  // A model with jit kernels only says nothing.
  const CliResult clean = run_cli("info -d CPU -m " + model("cnn_int8"));
  ASSERT_EQ(clean.code, 0) << clean.err;
  EXPECT_EQ(clean.out.find("WARNING"), std::string::npos) << clean.out;
}

// ---- run ----------------------------------------------------------------------------------------

void expect_close(const std::vector<float>& actual, const std::vector<float>& expected, double atol,
                  double rtol) {
  ASSERT_EQ(actual.size(), expected.size());
  ASSERT_GT(actual.size(), 1u);
  for (size_t i = 0; i < actual.size(); ++i)
    EXPECT_LE(std::fabs(double(actual[i]) - expected[i]), atol + rtol * std::fabs(expected[i]))
        << "element " << i;
}

TEST(Run, WritesOutputsMatchingOpenVino) {
  const fs::path out = scratch_dir() / "outputs";
  const CliResult r = run_cli("run -d CPU --precision reference --zoo -m " + model("cnn_fp32") + " -o '" +
                              out.string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  expect_close(read_f32_npy(out / "prob.npy"), read_f32_npy(kZoo / "cnn_fp32" / "ref" / "prob.npy"), 1e-5,
               1e-4);
}

TEST(Run, ExplicitNamedInputOnOpenCl) {
  if (!has_opencl_device()) GTEST_SKIP() << "no OpenCL device";
  const fs::path out = scratch_dir() / "outputs";
  const fs::path input = kZoo / "mlp_fp32" / "inputs" / "x.npy";
  const CliResult r = run_cli("run -d GPU -m " + model("mlp_fp32") + " -i 'x:" + input.string() + "' -o '" +
                              out.string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  expect_close(read_f32_npy(out / "y.npy"), read_f32_npy(kZoo / "mlp_fp32" / "ref" / "y.npy"), 1e-4, 1e-3);
}

TEST(Run, RawBinOfTheRightSize) {
  const fs::path dir = scratch_dir();
  const std::vector<float> x = read_f32_npy(kZoo / "mlp_fp32" / "inputs" / "x.npy");
  {
    std::ofstream bin(dir / "x.bin", std::ios::binary);
    bin.write(reinterpret_cast<const char*>(x.data()), std::streamsize(x.size() * sizeof(float)));
  }
  const CliResult r = run_cli("run -d CPU --precision reference -m " + model("mlp_fp32") + " -i '" +
                              (dir / "x.bin").string() + "' -o '" + (dir / "out").string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  expect_close(read_f32_npy(dir / "out" / "y.npy"), read_f32_npy(kZoo / "mlp_fp32" / "ref" / "y.npy"), 1e-4,
               1e-3);
}

// ---- compare ------------------------------------------------------------------------------------

TEST(Compare, CnnInt8OpenClAgainstCpu) {
  if (!has_opencl_device()) GTEST_SKIP() << "no OpenCL device";
  const CliResult r = run_cli("compare -m " + model("cnn_int8") + " -d GPU -ref_d CPU --zoo --layers");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("PASS"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("prob"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Layers ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Quantized kernels"), std::string::npos) << r.out;
}

// Issue 13 section 4: against OpenVINO's stored outputs, a tensor computed from quantized data is
// judged by the quantized models' bound (unet_int8's output is float after quantized layers; since
// its Concat-fed convolutions run in int8 as OpenVINO's do, it is within 1.2e-7 of OpenVINO, so a
// float tolerance below that shows the explicit tolerance deciding), a float-only model by the float
// tolerance, and the header says which rule decided each output.
TEST(Compare, QuantizedOutputsGetTheQuantizedBoundAndSaySo) {
  const fs::path unet = kZoo / "real" / "unet_int8";
  CliResult r = run_cli("compare -d CPU --zoo -m " + model("real/unet_int8") + " --ref '" +
                        (unet / "ref").string() + "'");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("mask_logits: computed from quantized data"), std::string::npos) << r.out;
  // The float tolerance still decides when asked for explicitly, and then this output fails.
  r = run_cli("compare -d CPU --zoo --atol 1e-9 --rtol 1e-9 -m " + model("real/unet_int8") + " --ref '" +
              (unet / "ref").string() + "'");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  const fs::path fp32 = kZoo / "real" / "unet_fp32";
  r = run_cli("compare -d CPU --zoo -m " + model("real/unet_fp32") + " --ref '" + (fp32 / "ref").string() +
              "'");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("mask_logits: float path"), std::string::npos) << r.out;
}

// Issue 13 section 4: a second stored reference, OpenVINO's literal run (every FakeQuantize output
// observed, tools/models/make_literal_refs.py). On cnn_int8 OpenVINO's fused int8 kernels depart
// from the model by 2.3e-3 while its literal run and octet agree to float rounding: with a tolerance
// between the two, the output fails against ref/ alone and passes with ref_literal/ added, and the
// report says octet follows the literal run. The stored files are OpenVINO's, not octet's.
TEST(Compare, ASecondReferenceSaysWhichOneOctetFollows) {
  const fs::path dir = kZoo / "cnn_int8";
  const std::string base = "compare -d CPU --zoo --atol 1e-5 --rtol 0 -m " + model("cnn_int8") + " --ref '" +
                           (dir / "ref").string() + "'";
  CliResult r = run_cli(base);
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  r = run_cli(base + " --ref '" + (dir / "ref_literal").string() + "'");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("follows " + (dir / "ref_literal").string()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS (" + (dir / "ref_literal").string() + ")"), std::string::npos) << r.out;
  // Where both references agree the report says so rather than picking one.
  const fs::path t = kZoo / "transformer_int8";
  r = run_cli("compare -d CPU --zoo -m " + model("transformer_int8") + " --ref '" + (t / "ref").string() +
              "' --ref '" + (t / "ref_literal").string() + "'");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("(equally close)"), std::string::npos) << r.out;
}

TEST(Compare, DumpWritesBothSides) {
  const fs::path dump = scratch_dir() / "dump";
  const CliResult r =
      run_cli("compare -m " + model("mlp_fp32") + " -d CPU -ref_d CPU --precision reference --zoo --dump '" +
              dump.string() + "'");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const std::vector<float> openvino = read_f32_npy(kZoo / "mlp_fp32" / "ref" / "y.npy");
  expect_close(read_f32_npy(dump / "device" / "y.npy"), openvino, 1e-4, 1e-3);
  expect_close(read_f32_npy(dump / "reference" / "y.npy"), openvino, 1e-4, 1e-3);
}

// int8 kernels and the spec-exact float FakeQuantize differ by quantization rounding, so with zero
// tolerance the comparison must fail with exit code 1 and say so.
TEST(Compare, MismatchExitsWithOne) {
  const CliResult r =
      run_cli("compare -m " + model("cnn_int8") +
              " -d CPU -ref_d CPU --precision fast --ref_precision reference --zoo --atol 0 --rtol 0");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL"), std::string::npos) << r.out;
}

// --ref DIR: OpenVINO's stored outputs as the reference, with the same table and verdict.
TEST(Compare, AgainstStoredOpenVinoOutputs) {
  const std::string ref = (kZoo / "cnn_fp32" / "ref").string();
  const CliResult r =
      run_cli("compare -m " + model("cnn_fp32") + " -d CPU --precision reference --zoo --ref '" + ref +
              "' --atol 1e-4 --rtol 1e-3");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("stored outputs"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("prob"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS: 1 of 1"), std::string::npos) << r.out;
}

// --ref-outputs (alias of --ref) and --json -: OpenVINO's prob with element 3 moved by 0.5 against
// the CPU's spec-exact run; mean abs and cosine are checked against values computed here from the
// OpenVINO file (the CPU matches OpenVINO to ~1e-6, far inside the 1e-3 slack used).
TEST(Compare, JsonReportWithMeanAbsAndCosine) {
  const fs::path dir = scratch_dir() / "ref";
  fs::create_directories(dir);
  std::vector<float> prob = read_f32_npy(kZoo / "cnn_fp32" / "ref" / "prob.npy");
  ASSERT_EQ(prob.size(), 10u);
  octet_tensor_t tensor = nullptr;
  ASSERT_EQ(octet_tensor_read_npy((kZoo / "cnn_fp32" / "ref" / "prob.npy").c_str(), &tensor), OCTET_OK);
  void* data = nullptr;
  ASSERT_EQ(octet_tensor_data(tensor, &data), OCTET_OK);
  static_cast<float*>(data)[3] += 0.5f;
  ASSERT_EQ(octet_tensor_write_npy(tensor, (dir / "prob.npy").c_str()), OCTET_OK);
  octet_tensor_destroy(tensor);
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < prob.size(); ++i) {
    const double b = prob[i] + (i == 3 ? 0.5 : 0.0);
    dot += prob[i] * b, na += double(prob[i]) * prob[i], nb += b * b;
  }
  const CliResult r =
      run_cli("compare -m " + model("cnn_fp32") + " -d CPU --precision reference --zoo --ref-outputs '" +
              dir.string() + "' --json -");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);  // stdout is only the JSON
  EXPECT_EQ(j["verdict"], "FAIL");
  EXPECT_EQ(j["passed"], 0);
  ASSERT_EQ(j["tensors"].size(), 1u);
  const nlohmann::json& t = j["tensors"][0];
  EXPECT_EQ(t["name"], "prob");
  EXPECT_EQ(t["kind"], "output");
  EXPECT_FALSE(t["pass"].get<bool>());
  EXPECT_NEAR(t["max_abs"].get<double>(), 0.5, 1e-3);
  EXPECT_NEAR(t["mean_abs"].get<double>(), 0.05, 1e-3);
  EXPECT_NEAR(t["cosine"].get<double>(), dot / std::sqrt(na * nb), 1e-3);
  EXPECT_EQ(t["worst"]["index"], (std::vector<int>{0, 3}));
  EXPECT_EQ(t["within"], 9);
  EXPECT_EQ(j["placement"]["device"], "CPU");
  EXPECT_NE(r.err.find("FAIL: 0 of 1"), std::string::npos) << r.err;  // the table went to stderr
}

// --layers / --layers all: every intermediate tensor, and with zero tolerance the int8 kernels differ
// from the spec-exact float reference somewhere, so a first divergence is named (exit code 1).
TEST(Compare, LayersAllNamesTheFirstDivergence) {
  const std::string base =
      "compare -m " + model("cnn_int8") +
      " -d CPU -ref_d CPU --precision fast --ref_precision reference --zoo --atol 0 --rtol 0";
  const fs::path json = scratch_dir() / "report.json";
  const CliResult r = run_cli(base + " --layers all --json '" + json.string() + "'");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("first divergence at "), std::string::npos) << r.out;
  const nlohmann::json j = nlohmann::json::parse(read_text(json));
  const std::string layer = j["first_divergence"]["layer"];
  EXPECT_NE(j["first_divergence"]["kind"], "none");
  EXPECT_NE(r.out.find("first divergence at " + layer), std::string::npos) << r.out;
  // The named layer is a failing tensor and no tensor listed before it (intermediate ones come in
  // execution order) failed, unless it was not compared.
  bool seen = false;
  for (const auto& t : j["tensors"]) {
    if (t["kind"] != "layer") continue;
    if (t["name"] == layer) {
      EXPECT_FALSE(t["pass"].get<bool>());
      seen = true;
      break;
    }
    EXPECT_TRUE(t["pass"].get<bool>()) << t["name"] << " fails before " << layer;
  }
  EXPECT_TRUE(seen || j["first_divergence"]["kind"] != "layer") << j.dump(1);
  const CliResult plain = run_cli(base + " --layers");
  EXPECT_EQ(plain.code, 1);
  EXPECT_NE(plain.out.find("first divergence at " + layer), std::string::npos) << plain.out;
  EXPECT_EQ(run_cli(base + " --layers some").code, 2);
}

// A quantized layer with fused ops (a convolution with its BatchNorm, Relu and output FakeQuantize)
// shows its value under the last fused op's name, so --layers compares it with the reference's
// tensor of that name rather than the pre-fusion convolution output of the base op's name (which
// made every such layer FAIL against the reference precision: 0 after the Relu vs the raw sum).
// With the default rules (a grid tensor whose layer reads quantized data may also meet the
// quantized bound; compressed weights count as quantized data although the reference precision
// folds them into f32 constants) the fast and reference precisions agree on every layer of the
// zoo's int8 and compressed-weight models.
TEST(Compare, FusedLayersMatchTheReferencePrecisionByName) {
  for (const char* m :
       {"real/densenet_int8", "real/yolo_fpn_int8", "real/inception_int8", "real/shufflenet_v2_int8",
        "real/googlenet_stem_int8", "real/bert_tiny_int8", "real/unet_int8", "cnn_int8", "transformer_int8",
        "matmul_int8_asym", "matmul_int4_asym_g32", "wdec_conv_int8_asym"}) {
    const CliResult r =
        run_cli("compare -m " + model(m) +
                " -d CPU -ref_d CPU --precision fast --ref_precision reference --zoo --layers");
    EXPECT_EQ(r.code, 0) << m << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("PASS"), std::string::npos) << m;
  }
  const nlohmann::json j = nlohmann::json::parse(
      run_cli("compare -m " + model("real/densenet_int8") +
              " -d CPU -ref_d CPU --precision fast --ref_precision reference --zoo --layers --json -")
          .out);
  bool fused_output = false;
  for (const auto& t : j["tensors"]) {
    EXPECT_NE(t["name"], "multiply.2") << "the 1x1 convolution's own output does not exist after fusion";
    fused_output = fused_output || t["name"] == "/features.denseblock1.denselayer1/relu2/Relu/fq_output_0";
  }
  EXPECT_TRUE(fused_output) << j.dump(1);
  const CliResult weights = run_cli("compare -m " + model("matmul_int8_asym") +
                                    " -d CPU -ref_d CPU --precision fast --ref_precision reference --zoo");
  EXPECT_NE(weights.out.find("y: computed from quantized data (compressed weights of fc2)"),
            std::string::npos)
      << weights.out;
}

// An int8 tensor's error is shown in quantization steps next to the "1 step" tolerance.
TEST(Compare, QuantizedTensorsShowSteps) {
  const CliResult r =
      run_cli("compare -m " + model("cnn_int8") +
              " -d CPU -ref_d CPU --precision fast --ref_precision reference --zoo --layers --json -");
  const nlohmann::json j = nlohmann::json::parse(r.out);
  size_t with_steps = 0;
  for (const auto& t : j["tensors"]) {
    if (!t.contains("quant_step")) continue;
    ++with_steps;
    EXPECT_NEAR(t["max_steps"].get<double>(), t["max_abs"].get<double>() / t["quant_step"].get<double>(),
                1e-9);
  }
  EXPECT_GT(with_steps, 0u) << j.dump(1);
  EXPECT_NE(r.err.find("Steps"), std::string::npos) << r.err;
}

TEST(Compare, StoredOutputThatDiffersFails) {
  // OpenVINO's prob with one element moved by 0.5: far outside any tolerance.
  const fs::path dir = scratch_dir() / "ref";
  fs::create_directories(dir);
  octet_tensor_t tensor = nullptr;
  ASSERT_EQ(octet_tensor_read_npy((kZoo / "cnn_fp32" / "ref" / "prob.npy").c_str(), &tensor), OCTET_OK);
  void* data = nullptr;
  ASSERT_EQ(octet_tensor_data(tensor, &data), OCTET_OK);
  static_cast<float*>(data)[3] += 0.5f;
  ASSERT_EQ(octet_tensor_write_npy(tensor, (dir / "prob.npy").c_str()), OCTET_OK);
  octet_tensor_destroy(tensor);
  CliResult r = run_cli("compare -m " + model("cnn_fp32") + " -d CPU --precision reference --zoo --ref '" +
                        dir.string() + "'");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL: 0 of 1"), std::string::npos) << r.out;
  // A folder without any output's .npy is a usage error.
  r = run_cli("compare -m " + model("cnn_fp32") + " -d CPU --zoo --ref '" +
              (kZoo / "cnn_fp32" / "inputs").string() + "'");
  EXPECT_EQ(r.code, 2) << r.out << r.err;
}

// --guard and --timeout reach the OpenCL backend (the device line says so) and the run still matches.
TEST(Run, GuardAndTimeoutOnOpenCl) {
  if (!has_opencl_device()) GTEST_SKIP() << "no OpenCL device";
  const fs::path out = scratch_dir() / "outputs";
  const CliResult r = run_cli("run -d GPU --guard --timeout 60000 --zoo -m " + model("mlp_fp32") + " -o '" +
                              out.string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("guard mode"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("timeout 60000 ms"), std::string::npos) << r.out;
  expect_close(read_f32_npy(out / "y.npy"), read_f32_npy(kZoo / "mlp_fp32" / "ref" / "y.npy"), 1e-4, 1e-3);
  EXPECT_EQ(run_cli("run -d GPU --timeout -5 -m " + model("mlp_fp32")).code, 2);
}

// ---- bench and devices --------------------------------------------------------------------------

TEST(Bench, SummaryAndPerLayerTable) {
  const CliResult r = run_cli("bench -m " + model("cnn_int8") + " -d CPU -niter 3 -pc -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Count:      3 iterations"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Throughput:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("EXECUTED  QuantizedConvolution"), std::string::npos) << r.out;
}

// -nireq 2 -niter 6: six inferences in all from two requests; -json_stats carries the same figures.
TEST(Bench, TwoRequestsAndJsonStats) {
  const fs::path json = scratch_dir() / "stats.json";
  const CliResult r = run_cli("bench -m " + model("cnn_int8") +
                              " -d CPU -niter 6 -nireq 2 -pc -q -json_stats '" + json.string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("2 infer requests"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Count:      6 iterations"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Peak device memory:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\r'), std::string::npos) << "progress bar drawn into a file";
  const nlohmann::json j = nlohmann::json::parse(read_text(json));
  EXPECT_EQ(j["count"], 6);
  EXPECT_EQ(j["nireq"], 2);
  EXPECT_GT(j["throughput_fps"].get<double>(), 0);
  EXPECT_LE(j["latency_ms"]["min"].get<double>(), j["latency_ms"]["max"].get<double>());
  EXPECT_GT(j["memory_bytes"]["weights"].get<double>(), 0);
  bool conv = false;
  for (const auto& layer : j["per_layer"]) conv = conv || layer["layer_type"] == "QuantizedConvolution";
  EXPECT_TRUE(conv) << j.dump(1);
  EXPECT_EQ(run_cli("bench -m " + model("cnn_int8") + " -d CPU -niter 1 -nireq 0").code, 2);
}

TEST(Devices, ListsTheCpu) {
  const CliResult r = run_cli("devices");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("CPU     oneDNN"), std::string::npos) << r.out;
}

// ---- bad inputs (bad-inputs.md rows 28, 31, 32) and usage errors --------------------------------

TEST(BadInputs, Row28UnknownInputNameListsValidNames) {
  const fs::path input = kZoo / "cnn_int8" / "inputs" / "input.npy";
  CliResult r = run_cli("run -d CPU -m " + model("cnn_int8") + " -i 'data:" + input.string() + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no input 'data'; valid input names: 'input'"), std::string::npos) << r.err;
  r = run_cli("run -d CPU -m " + model("cnn_int8") + " -shape 'data[1,3,32,32]'");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no input 'data'; valid input names: 'input'"), std::string::npos) << r.err;
}

TEST(BadInputs, Row31RawBinOfTheWrongSize) {
  const fs::path bin = scratch_dir() / "short.bin";
  std::ofstream(bin, std::ios::binary) << std::string(100, '\0');
  const CliResult r = run_cli("run -d CPU -m " + model("cnn_int8") + " -i 'input:" + bin.string() + "'");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("expected 12288 bytes ([1,3,32,32] x f32), got 100"), std::string::npos) << r.err;
}

TEST(BadInputs, Row27WrongElementTypeIsNotReinterpreted) {
  const fs::path npy = scratch_dir() / "i32.npy";
  const int64_t dims[4] = {1, 3, 32, 32};
  octet_tensor_t tensor = nullptr;
  ASSERT_EQ(octet_tensor_create(OCTET_TYPE_I32, dims, 4, nullptr, &tensor), OCTET_OK);
  ASSERT_EQ(octet_tensor_write_npy(tensor, npy.c_str()), OCTET_OK);
  octet_tensor_destroy(tensor);
  const CliResult r = run_cli("run -d CPU -m " + model("cnn_int8") + " -i '" + npy.string() + "'");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("expected f32 [1,3,32,32], got i32 [1,3,32,32]"), std::string::npos) << r.err;
}

TEST(BadInputs, Row32MalformedShapesAreUsageErrors) {
  for (const char* shape : {"[1,3,", "[a]", "[1..0]", "[[1]]", "[1,,3]", "input[1,3,32,32", "", "[1,3]]",
                            "[-1]", "[?]", "[1,3][1,3]", "input[1],input[1]", "[99999999999999999]"}) {
    const CliResult r = run_cli("run -d CPU -m " + model("cnn_int8") + " -shape '" + shape + "'");
    EXPECT_EQ(r.code, 2) << shape;
    EXPECT_NE(r.err.find("-shape"), std::string::npos) << shape << ": " << r.err;
  }
}

TEST(BadInputs, ShapeTheModelCannotTakeFailsAtCompile) {
  const CliResult r = run_cli("run -d CPU -m " + model("cnn_int8") + " -shape '[2,3,32,32]'");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("cannot compile"), std::string::npos) << r.err;
}

// ---- integer element types ----------------------------------------------------------------------

// An i64 Divide with m_pythondiv (ops/divide_floor_i64): the CLI writes i64 outputs, and they are the
// floored quotients computed here (OpenVINO's CPU plugin truncates, so its stored output is not used).
TEST(Run, IntegerDivideFloorsThroughTheCli) {
  const fs::path dir = kZoo / "ops" / "divide_floor_i64";
  const std::vector<int64_t> a = read_i64_npy(dir / "inputs" / "a.npy"),
                             b = read_i64_npy(dir / "inputs" / "b.npy");
  ASSERT_EQ(a.size(), b.size());
  std::vector<int64_t> want;
  bool parted = false;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_NE(b[i], 0);
    const int64_t q = a[i] / b[i];
    const bool floor_differs = a[i] % b[i] != 0 && (a[i] < 0) != (b[i] < 0);
    parted = parted || floor_differs;
    want.push_back(floor_differs ? q - 1 : q);
  }
  EXPECT_TRUE(parted) << "no element where floor and truncation differ";
  std::vector<std::string> devices = {"CPU"};
  if (has_opencl_device()) devices.push_back("GPU");  // an i64 Divide falls back to the CPU there
  for (const std::string& device : devices) {
    const fs::path out = scratch_dir() / ("int_" + device);
    const CliResult r = run_cli("run -d " + device + " -m '" + (dir / "model.xml").string() + "' --zoo -o '" +
                                out.string() + "'");
    ASSERT_EQ(r.code, 0) << device << ": " << r.err;
    EXPECT_EQ(read_i64_npy(out / "y.npy"), want) << device;
  }
}

// ---- dynamic input dims (tests/zoo/dynamic): -shape makes the shape subgraphs fold -----------------

// x[?,4,3,5] flattened with Reshape(x, Concat(Gather(ShapeOf(x), [0]), [-1])) and a MatMul: run with
// the batch OpenVINO ran it with, outputs against OpenVINO's.
TEST(Run, DynamicBatchModelWithShape) {
  const fs::path dir = kZoo / "dynamic" / "dyn_flatten_batch";
  const fs::path out = scratch_dir() / "outputs";
  const CliResult r =
      run_cli("run -d CPU -m '" + (dir / "model.xml").string() + "' -shape 'x[3,4,3,5]' -i '" +
              (dir / "inputs" / "x.npy").string() + "' -o '" + out.string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  expect_close(read_f32_npy(out / "y.npy"), read_f32_npy(dir / "ref" / "y.npy"), 1e-5, 1e-4);
}

TEST(Run, DynamicBatchModelWithoutShapeNamesTheInput) {
  const fs::path dir = kZoo / "dynamic" / "dyn_flatten_batch";
  const CliResult r = run_cli("run -d CPU -m '" + (dir / "model.xml").string() + "' -i '" +
                              (dir / "inputs" / "x.npy").string() + "'");
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("give a static shape for parameter 'x' ([?,4,3,5])"), std::string::npos) << r.err;
}

// A Reshape target computed from an input's values cannot fold for any shape: the error names the
// layer, the input and the path from the model input.
TEST(Run, ValueDependentShapeNamesLayerInputAndPath) {
  const fs::path dir = kZoo / "dynamic" / "value_dependent_reshape";
  const CliResult r =
      run_cli("run -d CPU -m '" + (dir / "model.xml").string() + "' -shape 'x[2,12],rows[1]'");
  EXPECT_EQ(r.code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("layer 'reshape'"), std::string::npos) << r.err;
  EXPECT_NE(
      r.err.find("input 1 (target shape) must be constant: it depends on the values of model input 'rows' "
                 "through 'rows_plus_zero' -> 'target'"),
      std::string::npos)
      << r.err;
}

TEST(BadInputs, UsageErrors) {
  EXPECT_EQ(run_cli("").code, 2);
  EXPECT_EQ(run_cli("frobnicate").code, 2);
  EXPECT_EQ(run_cli("run").code, 2);  // -m is required
  EXPECT_EQ(run_cli("bench -m " + model("cnn_int8") + " -niter abc").code, 2);
  EXPECT_EQ(run_cli("run -m " + model("cnn_int8") + " --precision sloppy").code, 2);
  EXPECT_EQ(run_cli("--help").code, 0);
}

// Exit code 3 for everything that goes wrong at run time (missing files, unreadable models), in every
// subcommand; 1 stays reserved for a comparison outside tolerance.
TEST(ExitCodes, RuntimeErrorsExitWithThree) {
  EXPECT_EQ(run_cli("run -m " + model("cnn_int8") + " -i /nonexistent.npy").code, 3);
  for (const char* command : {"info", "run", "compare", "bench -niter 1"}) {
    const CliResult missing = run_cli(std::string(command) + " -d CPU -m /nonexistent/model.xml");
    EXPECT_EQ(missing.code, 3) << command << ": " << missing.err;
    EXPECT_NE(missing.err.find("/nonexistent/model.xml"), std::string::npos) << missing.err;
  }
  const fs::path bad = scratch_dir() / "bad.xml";
  std::ofstream(bad) << "<net name='x' version='11'><layers><layer";
  EXPECT_EQ(run_cli("info -m '" + bad.string() + "'").code, 3);
  EXPECT_EQ(run_cli("compare -d CPU -m " + model("cnn_fp32") + " --zoo --ref /nonexistent_dir").code, 3);
}

// ---- hostile environments (issue 12) ---------------------------------------------------------------

TEST(HostileEnvironment, BadValuesOfOctetVariablesAreRefusedNotIgnored) {
  const std::string run = "run -m " + model("cnn_int8") + " --zoo -o '" + scratch_dir().string() + "'";
  CliResult r = run_cli(run + " -d CPU", "env OCTET_MEMORY_LIMIT_MB=abc");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("OCTET_MEMORY_LIMIT_MB='abc'"), std::string::npos) << r.err;
  r = run_cli(run + " -d CPU", "env OCTET_MEMORY_LIMIT_MB=0");
  EXPECT_EQ(r.code, 3);
  r = run_cli(run + " -d GPU", "env OCTET_GUARD=2");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("OCTET_GUARD='2' is not a flag"), std::string::npos) << r.err;
  r = run_cli(run + " -d GPU", "env OCTET_OPENCL_TIMEOUT_MS=-5");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("OCTET_OPENCL_TIMEOUT_MS='-5'"), std::string::npos) << r.err;
  // Valid spellings still work.
  EXPECT_EQ(run_cli(run + " -d GPU", "env OCTET_GUARD=true OCTET_MEMORY_LIMIT_MB=4096").code, 0);
}

// A valid but small OCTET_MEMORY_LIMIT_MB is a budget: a plan above it is refused at compile with
// an out-of-memory status naming the need and the budget, on both devices (bad-inputs row 21).
TEST(HostileEnvironment, SmallMemoryLimitRefusesAPlanAboveIt) {
  const std::string run = "run -m " + model("real/unet_fp32") + " -i random --shape 'input[4,3,64,64]' -o '" +
                          scratch_dir().string() + "'";
  for (const char* device : {"CPU", "GPU"}) {
    CliResult r = run_cli(run + " -d " + device, "env OCTET_MEMORY_LIMIT_MB=1");
    EXPECT_EQ(r.code, 3) << device << ": " << r.err;
    EXPECT_NE(r.err.find("OCTET_ERROR_OUT_OF_MEMORY"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("above the memory budget of 1 MiB"), std::string::npos) << r.err;
    // The same run fits a budget of 64 MiB.
    EXPECT_EQ(run_cli(run + " -d " + device, "env OCTET_MEMORY_LIMIT_MB=64").code, 0) << device;
  }
}

// ASan and TSan builds (tools/sanitize.sh): gcc defines __SANITIZE_*__, clang has __has_feature.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kShadowSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kShadowSanitizer = true;
#else
constexpr bool kShadowSanitizer = false;
#endif
#else
constexpr bool kShadowSanitizer = false;
#endif

// Issue 12, section 3: under a tight address-space limit (ulimit -v) oneDNN's JIT code generation
// segfaulted and PoCL crashed writing a program binary. octet now checks a margin of address space
// before calling into them: every limit ends in success or a clean error, never a signal. (Limits
// below what the shared libraries need to load, or to start PoCL's and OpenMP's threads, fail before
// octet runs and are out of reach: bad-inputs.md row 43 in README.md.)
TEST(HostileEnvironment, TightAddressSpaceGivesAStatusNotASignal) {
  if (kShadowSanitizer)
    GTEST_SKIP() << "ASan/TSan reserve terabytes of shadow memory: no binary of this build starts under "
                    "ulimit -v (the release build runs this test)";
  const std::string run =
      "run -m " + model("transformer_int8") + " --zoo -o '" + scratch_dir().string() + "'";
  int clean_errors = 0;
  for (int kib = 52000; kib <= 100000; kib += 4000) {
    const CliResult r = run_cli(run + " -d CPU", "ulimit -v " + std::to_string(kib) + ";");
    EXPECT_TRUE(r.code == 0 || r.code == 3) << "ulimit -v " << kib << ": exit " << r.code << "\n" << r.err;
    if (r.code == 3) {
      ++clean_errors;
      EXPECT_NE(r.err.find("OUT_OF_MEMORY"), std::string::npos) << kib << ": " << r.err;
    }
  }
  EXPECT_GT(clean_errors, 0) << "no limit in the sweep was tight enough to exercise the check";
  const fs::path cache = scratch_dir() / "cache";
  for (int kib = 500000; kib <= 800000; kib += 150000) {
    fs::remove_all(cache);  // octet builds every program and writes its binary again
    const CliResult r = run_cli(run + " -d GPU --cache_dir '" + cache.string() + "'",
                                "ulimit -v " + std::to_string(kib) + ";");
    EXPECT_TRUE(r.code == 0 || r.code == 3) << "ulimit -v " << kib << " GPU: exit " << r.code << "\n"
                                            << r.err;
  }
}

TEST(HostileEnvironment, AnEmptyPoclCacheDirNeverReachesTheDriver) {
  // PoCL aborts the process when POCL_CACHE_DIR is set but empty; octet stays away from OpenCL then.
  CliResult r = run_cli("devices", "env POCL_CACHE_DIR=");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("CPU     oneDNN"), std::string::npos) << r.out;
  EXPECT_NE((r.out + r.err).find("POCL_CACHE_DIR is set but empty"), std::string::npos) << r.out << r.err;
  r = run_cli("run -d CPU -m " + model("cnn_int8") + " --zoo -o '" + scratch_dir().string() + "'",
              "env POCL_CACHE_DIR=");
  EXPECT_EQ(r.code, 0) << r.err;
}

// OCTET_CACHE_DIR is honoured when it names a usable directory and only switches the disk cache off
// when it cannot be one (a regular file, a path below a file): the run itself never fails for it.
TEST(HostileEnvironment, BadOctetCacheDirOnlyDisablesTheDiskCache) {
  const fs::path dir = scratch_dir() / "env_cache";
  fs::remove_all(dir);
  const std::string run = "run -d GPU -m " + model("cnn_fp32") + " --zoo -o '" + scratch_dir().string() + "'";
  CliResult r = run_cli(run, "env OCTET_CACHE_DIR='" + dir.string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) entries += e.is_regular_file() ? 1 : 0;
  EXPECT_GT(entries, 0u) << "no program written to " << dir;
  const fs::path file = scratch_dir() / "env_cache_file";
  std::ofstream(file) << "not a directory";
  for (const fs::path& bad : {file, file / "below"}) {
    r = run_cli(run, "env OCTET_CACHE_DIR='" + bad.string() + "'");
    EXPECT_EQ(r.code, 0) << bad << ": " << r.err;
  }
  EXPECT_EQ(fs::file_size(file), std::string("not a directory").size());
}

TEST(HostileEnvironment, AFifoGivenAsModelOrInputFailsInsteadOfBlocking) {
  const fs::path fifo = scratch_dir() / "pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // `timeout` turns a hang into exit status 124 rather than a stuck test run.
  CliResult r = run_cli("info -m '" + fifo.string() + "'", "timeout 60");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("FIFO"), std::string::npos) << r.err;
  const fs::path npy_fifo = scratch_dir() / "pipe.npy";
  ASSERT_EQ(mkfifo(npy_fifo.c_str(), 0600), 0);
  r = run_cli("run -d CPU -m " + model("cnn_int8") + " -i 'input:" + npy_fifo.string() + "'", "timeout 60");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("FIFO"), std::string::npos) << r.err;
}

// `octet tune` end to end on PoCL (the core forced, one parameter set per shape: cheap), the next
// `info -d` using the stored sets, and its usage errors.
TEST(Tune, StoresWinnersThatInfoShows) {
  EXPECT_EQ(run_cli("tune -d GPU").code, 2);  // -m is required
  EXPECT_EQ(run_cli("tune -d CPU -m " + model("cnn_int8")).code, 2);
  if (!has_opencl_device()) GTEST_SKIP() << "no OpenCL device";
  const fs::path cache = scratch_dir() / "cache";
  const std::string env = "env OCTET_QIMPL=tiled OCTET_CACHE_DIR='" + cache.string() + "'";
  const CliResult r = run_cli("tune -d GPU --budget 30 --max_candidates 1 -m " + model("cnn_int8"), env);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("conv3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("default kept"), std::string::npos) << r.out;   // one set: the default
  EXPECT_NE(r.out.find("skipped: runs"), std::string::npos) << r.out;  // dw2 is depthwise
  EXPECT_NE(r.out.find("stored in"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(cache / "tuning.tsv"));
  const CliResult info = run_cli("info -d GPU -m " + model("cnn_int8"), env);
  ASSERT_EQ(info.code, 0) << info.err;
  EXPECT_NE(info.out.find(" tuned"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("DOT4    "), std::string::npos) << info.out;
  // Without a directory for the results: a clear error, exit 3.
  const CliResult none = run_cli("tune -d GPU --budget 1 -m " + model("cnn_int8"), "env -u OCTET_CACHE_DIR");
  EXPECT_EQ(none.code, 3);
  EXPECT_NE(none.err.find("cache_dir"), std::string::npos) << none.err;
}

}  // namespace
