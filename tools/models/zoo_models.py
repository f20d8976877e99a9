"""Builders for the small whole-model zoo (CNN, MLP, transformer block, weight-compressed MatMul stacks)
and the NNCF quantization / weight-compression steps applied to them."""

import numpy as np
import nncf
import openvino as ov
import openvino.opset1 as o1
import openvino.opset6 as o6
import openvino.opset7 as o7
import openvino.opset8 as o8

from zoo_common import Rng, canonicalize_names, describe_quantization, make_model, name_output, save_case

CALIB_SAMPLES = 10


def const(arr, name=None):
    c = o1.constant(np.asarray(arr))
    if name:
        c.set_friendly_name(name)
    return c


def conv_bias(x, rng, cin, cout, k, stride, name, groups=1):
    pad = k // 2
    if groups == 1:
        w = rng.weight([cout, cin, k, k])
        y = o1.convolution(x, const(w, f"{name}/weights"), [stride] * 2, [pad] * 2, [pad] * 2, [1, 1],
                           name=name)
    else:
        w = rng.weight([groups, cout // groups, cin // groups, k, k])
        y = o1.group_convolution(x, const(w, f"{name}/weights"), [stride] * 2, [pad] * 2, [pad] * 2,
                                 [1, 1], name=name)
    b = rng.normal([1, cout, 1, 1], 0.1)
    return o1.add(y, const(b, f"{name}/bias"), name=f"{name}/add")


def linear(x, rng, k, n, name, bias=True, scale=None):
    w = rng.normal([n, k], scale if scale is not None else (1.0 / k) ** 0.5)
    y = o1.matmul(x, const(w, f"{name}/weights"), False, True, name=name)
    if bias:
        y = o1.add(y, const(rng.normal([n], 0.05), f"{name}/bias"), name=f"{name}/add")
    return y


def build_cnn(seed=1):
    rng = Rng(seed)
    x = o1.parameter([1, 3, 32, 32], np.float32, name="input")
    name_output(x, "input")
    c1 = o1.relu(conv_bias(x, rng, 3, 16, 3, 2, "conv1"), name="conv1/relu")  # 16x16
    dw = o1.clamp(conv_bias(c1, rng, 16, 16, 3, 1, "dw2", groups=16), 0.0, 6.0, name="dw2/relu6")
    pw = conv_bias(dw, rng, 16, 16, 1, 1, "pw2")
    res = o1.relu(o1.add(pw, c1, name="res2/add"), name="res2/relu")
    mp = o1.max_pool(res, [2, 2], [0, 0], [0, 0], [2, 2], name="pool2")  # 8x8
    c3 = o1.relu(conv_bias(mp, rng, 16, 32, 3, 1, "conv3"), name="conv3/relu")
    c4 = o1.relu(conv_bias(c3, rng, 32, 64, 3, 2, "conv4"), name="conv4/relu")  # 4x4
    gap = o1.reduce_mean(c4, const(np.array([2, 3], np.int64)), True, name="gap")
    flat = o1.reshape(gap, const(np.array([1, -1], np.int64)), False, name="flatten")
    logits = linear(flat, rng, 64, 10, "fc")
    prob = o8.softmax(logits, 1, name="prob")
    name_output(prob, "prob")
    return make_model([prob], [x], "cnn")


def build_mlp(seed=2):
    rng = Rng(seed)
    x = o1.parameter([4, 64], np.float32, name="x")
    name_output(x, "x")
    h = x
    for i, (k, n) in enumerate([(64, 128), (128, 128), (128, 64)]):
        h = o1.relu(linear(h, rng, k, n, f"fc{i}", scale=(2.0 / k) ** 0.5), name=f"fc{i}/relu")
    y = linear(h, rng, 64, 16, "fc_out")
    name_output(y, "y")
    return make_model([y], [x], "mlp")


def layer_norm(x, rng, hidden, name):
    axes = const(np.array([-1], np.int64))
    n = o6.mvn(x, axes, True, 1e-5, "inside_sqrt", name=f"{name}/mvn")
    g = const(1.0 + rng.normal([hidden], 0.05), f"{name}/gamma")
    b = const(rng.normal([hidden], 0.05), f"{name}/beta")
    return o1.add(o1.multiply(n, g, name=f"{name}/mul"), b, name=f"{name}/add")


def encoder_block(x, rng, seq, hidden, heads, ffn, name, mask=None):
    hd = hidden // heads

    def split_heads(t, tag):
        r = o1.reshape(t, const(np.array([0, 0, heads, hd], np.int64)), True, name=f"{name}/{tag}/split")
        return o1.transpose(r, const(np.array([0, 2, 1, 3], np.int64)), name=f"{name}/{tag}/heads")

    q = split_heads(linear(x, rng, hidden, hidden, f"{name}/q"), "q")
    k = split_heads(linear(x, rng, hidden, hidden, f"{name}/k"), "k")
    v = split_heads(linear(x, rng, hidden, hidden, f"{name}/v"), "v")
    s = o1.matmul(q, k, False, True, name=f"{name}/qk")
    s = o1.divide(s, const(np.float32(np.sqrt(hd))), name=f"{name}/scale")
    if mask is not None:
        s = o1.add(s, mask, name=f"{name}/mask")
    p = o8.softmax(s, -1, name=f"{name}/softmax")
    ctx = o1.matmul(p, v, False, False, name=f"{name}/pv")
    ctx = o1.transpose(ctx, const(np.array([0, 2, 1, 3], np.int64)), name=f"{name}/merge")
    ctx = o1.reshape(ctx, const(np.array([0, 0, hidden], np.int64)), True, name=f"{name}/merge/reshape")
    attn = linear(ctx, rng, hidden, hidden, f"{name}/o")
    h = layer_norm(o1.add(attn, x, name=f"{name}/res1"), rng, hidden, f"{name}/ln1")
    f = o7.gelu(linear(h, rng, hidden, ffn, f"{name}/ffn1"), "erf", name=f"{name}/gelu")
    f = linear(f, rng, ffn, hidden, f"{name}/ffn2")
    return layer_norm(o1.add(f, h, name=f"{name}/res2"), rng, hidden, f"{name}/ln2")


def build_transformer(seed=3, seq=16, hidden=64, heads=4):
    rng = Rng(seed)
    x = o1.parameter([1, seq, hidden], np.float32, name="hidden")
    name_output(x, "hidden")
    y = encoder_block(x, rng, seq, hidden, heads, 4 * hidden, "enc0")
    name_output(y, "out")
    return make_model([y], [x], "transformer")


def build_matmul_stack(seed=4):
    rng = Rng(seed)
    x = o1.parameter([1, 4, 256], np.float32, name="x")
    name_output(x, "x")
    h = o1.relu(linear(x, rng, 256, 256, "fc0"), name="fc0/relu")
    h = o1.relu(linear(h, rng, 256, 128, "fc1"), name="fc1/relu")
    y = linear(h, rng, 128, 64, "fc2")
    name_output(y, "y")
    return make_model([y], [x], "matmul_stack")


def calibration(model, seed, n=CALIB_SAMPLES):
    rng = Rng(seed + 7)
    (port,) = model.inputs  # multi-input models pass their own samples
    return [rng.uniform([int(d) for d in port.get_shape()], -2.0, 2.0) for _ in range(n)]


def quantize(model, seed, model_type=None, n=CALIB_SAMPLES, samples=None):
    samples = samples if samples is not None else calibration(model, seed, n)
    kw = {"subset_size": len(samples)}
    if model_type is not None:
        kw["model_type"] = model_type
    # Names first: NNCF derives its node names from the ones it finds.
    q = nncf.quantize(canonicalize_names(model), nncf.Dataset(samples), **kw)
    how = {"tool": "nncf.quantize", "subset_size": len(samples), "calibration_seed": seed + 7,
           "model_type": str(model_type) if model_type is not None else None,
           "calibration": "uniform(-2,2) samples of the input shape"}
    return q, how


def compress(model, mode, group_size=None):
    kw = {"mode": mode}
    if group_size is not None:
        kw.update(group_size=group_size, ratio=1.0, all_layers=True)
    c = nncf.compress_weights(canonicalize_names(model), **kw)
    how = {"tool": "nncf.compress_weights", "mode": str(mode), "group_size": group_size,
           "ratio": 1.0 if group_size else None, "all_layers": True if group_size else None}
    return c, how


def generate_main(out, only=None):
    """Writes the whole-model zoo under `out`; returns {name: info}."""
    jobs = {}

    def job(name):
        def deco(f):
            jobs[name] = f
            return f
        return deco

    @job("cnn_fp32")
    def _():
        return save_case(build_cnn(1), out / "cnn_fp32", seed=1)

    @job("cnn_fp16c")
    def _():
        return save_case(build_cnn(1), out / "cnn_fp16c", seed=1, compress_to_fp16=True)

    @job("cnn_int8")
    def _():
        q, how = quantize(build_cnn(1), 1)
        return save_case(q, out / "cnn_int8", seed=1, quantization=describe_quantization(q, how))

    @job("mlp_fp32")
    def _():
        return save_case(build_mlp(2), out / "mlp_fp32", seed=2)

    @job("transformer_fp32")
    def _():
        return save_case(build_transformer(3), out / "transformer_fp32", seed=3)

    @job("transformer_int8")
    def _():
        q, how = quantize(build_transformer(3), 3, model_type=nncf.ModelType.TRANSFORMER)
        return save_case(q, out / "transformer_int8", seed=3, quantization=describe_quantization(q, how))

    W = nncf.CompressWeightsMode
    for name, mode, gs in [("matmul_int8_sym", W.INT8_SYM, None), ("matmul_int8_asym", W.INT8_ASYM, None),
                           ("matmul_int4_sym_g32", W.INT4_SYM, 32), ("matmul_int4_asym_g32", W.INT4_ASYM, 32),
                           ("matmul_int4_sym_g128", W.INT4_SYM, 128),
                           ("matmul_int4_asym_g128", W.INT4_ASYM, 128)]:
        def make(name=name, mode=mode, gs=gs):
            c, how = compress(build_matmul_stack(4), mode, gs)
            return save_case(c, out / name, seed=4, quantization=describe_quantization(c, how))
        jobs[name] = make

    infos = {}
    for name, f in jobs.items():
        if only and name not in only:
            continue
        infos[name] = f()
    return infos
