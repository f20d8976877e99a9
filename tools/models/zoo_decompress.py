"""Weight-decompression models (tests/zoo/wdec_*): single MatMul / Gather / Convolution layers whose
weights NNCF's `compress_weights` (or OpenVINO's opset API directly) stores as integer codes with an f16
decompression chain: Convert(codes -> f16) [-> Subtract(f16 zero point)] -> Multiply(f16 scale)
[-> Reshape] -> Convert(-> f32). OpenVINO's CPU plugin computes that chain in f32; octet's reference
precision computes it literally in f16 (ir-spec). tests/unit/onednn/decompression_test.cpp checks fast
precision against these references at compare's default f32 tolerance and reference precision against a
chain computed in f16 by the test. Single layers keep the literal check independent and small."""

import numpy as np
import nncf
import openvino as ov
import openvino.opset1 as o1
import openvino.opset8 as o8

from zoo_common import Rng, describe_quantization, make_model, name_output, save_case
from zoo_models import compress, const

W = nncf.CompressWeightsMode


def matmul_layer(seed, m=4, k=256, n=64, transpose_b=True):
    rng = Rng(seed)
    x = o1.parameter([1, m, k], np.float32, name="x")
    name_output(x, "x")
    w = rng.normal([n, k] if transpose_b else [k, n], (1.0 / k) ** 0.5)
    y = o1.matmul(x, const(w, "fc/weights"), False, transpose_b, name="fc")
    name_output(y, "y")
    return make_model([y], [x], "wdec_matmul")


def gather_layer(seed, rows=96, dim=64, ids=11):
    rng = Rng(seed)
    idx = o1.parameter([1, ids], np.int64, name="ids")
    name_output(idx, "ids")
    table = rng.normal([rows, dim], 1.0)
    y = o8.gather(const(table, "emb"), idx, const(np.array(0, np.int64)), 0, name="emb/gather")
    name_output(y, "y")
    return make_model([y], [idx], "wdec_gather")


def conv_layer(seed, cin=16, cout=32, size=10):
    rng = Rng(seed)
    x = o1.parameter([1, cin, size, size], np.float32, name="x")
    name_output(x, "x")
    w = rng.weight([cout, cin, 3, 3])
    y = o1.convolution(x, const(w, "conv/weights"), [1, 1], [1, 1], [1, 1], [1, 1], name="conv")
    name_output(y, "y")
    return make_model([y], [x], "wdec_conv")


def opset_chain(seed, codes_type, group=None, zero_point=True, m=4, k=256, n=48):
    """MatMul whose weights are an explicitly built f16 chain: codes of `codes_type` ([n, k], or
    [n, k/group, group] with a Reshape), zero point given straight as an f16 constant (no Convert)
    and the scale as Multiply's first input."""
    rng = Rng(seed)
    x = o1.parameter([1, m, k], np.float32, name="x")
    name_output(x, "x")
    lo, hi = {"u8": (0, 255), "i8": (-128, 127), "u4": (0, 15), "i4": (-8, 7)}[codes_type]
    shape = [n, k] if group is None else [n, k // group, group]
    side = [n, 1] if group is None else [n, k // group, 1]
    codes = rng.g.integers(lo, hi + 1, size=shape)
    c = ov.op.Constant(getattr(ov.Type, codes_type), ov.Shape(shape), codes.flatten().tolist())
    c.set_friendly_name("fc/weights")
    h = o1.convert(c, "f16", name="fc/weights/convert")
    if zero_point:
        zp = rng.g.integers(lo, hi + 1, size=side).astype(np.float16)
        h = o1.subtract(h, const(zp, "fc/weights/zero_point"), name="fc/weights/subtract")
    spread = max(abs(lo), hi)
    scale = (rng.g.uniform(0.5, 1.5, size=side) / spread / np.sqrt(k)).astype(np.float16)
    h = o1.multiply(const(scale, "fc/weights/scale"), h, name="fc/weights/multiply")
    if group is not None:
        h = o1.reshape(h, const(np.array([n, k], np.int64)), False, name="fc/weights/reshape")
    h = o1.convert(h, "f32", name="fc/weights/to_f32")
    y = o1.matmul(x, h, False, True, name="fc")
    name_output(y, "y")
    return make_model([y], [x], "wdec_opset")


def cases():
    """name -> (builder of the compressed model, quantization description)."""
    nncf_cases = {
        "wdec_matmul_int8_sym": (lambda: matmul_layer(21), W.INT8_SYM, None),
        "wdec_matmul_int8_asym": (lambda: matmul_layer(22), W.INT8_ASYM, None),
        "wdec_matmul_int4_sym_g32": (lambda: matmul_layer(23), W.INT4_SYM, 32),
        "wdec_matmul_int4_asym_g64": (lambda: matmul_layer(24), W.INT4_ASYM, 64),
        "wdec_matmul_int4_asym_g128": (lambda: matmul_layer(25), W.INT4_ASYM, 128),
        "wdec_matmul_int4_sym_channel": (lambda: matmul_layer(26), W.INT4_SYM, -1),
        "wdec_matmul_int4_asym_channel": (lambda: matmul_layer(27), W.INT4_ASYM, -1),
        # transpose_b = false: NNCF groups along K in the [K, N] layout ([K/g, g, N] codes)
        "wdec_matmul_kn_int4_asym_g32": (lambda: matmul_layer(28, transpose_b=False), W.INT4_ASYM, 32),
        "wdec_matmul_kn_int8_asym": (lambda: matmul_layer(29, transpose_b=False), W.INT8_ASYM, None),
        "wdec_gather_int8_asym": (lambda: gather_layer(30), W.INT8_ASYM, None),
        "wdec_gather_int4_sym_g32": (lambda: gather_layer(31), W.INT4_SYM, 32),
        "wdec_conv_int8_asym": (lambda: conv_layer(32), W.INT8_ASYM, None),
        "wdec_conv_int8_sym": (lambda: conv_layer(33), W.INT8_SYM, None),
    }
    out = {}
    for name, (build, mode, gs) in nncf_cases.items():
        def make(build=build, mode=mode, gs=gs):
            c, how = compress(build(), mode, gs)
            return c, describe_quantization(c, how)
        out[name] = make
    for name, (seed, *args) in {"wdec_opset_u8_channel": (40, "u8", None, True),
                                "wdec_opset_i8_channel": (41, "i8", None, False),
                                "wdec_opset_u4_g16": (42, "u4", 16, True),
                                "wdec_opset_i4_g64": (43, "i4", 64, False)}.items():
        def make(seed=seed, args=args):
            model = opset_chain(seed, *args)
            how = {"tool": "openvino opset API", "codes": args[0], "group_size": args[1],
                   "zero_point": args[2], "chain": "f16"}
            return model, describe_quantization(model, how)
        out[name] = make
    return out


def generate_decompress(out, only=None):
    """Writes tests/zoo/wdec_* under `out`; returns {name: info}."""
    infos = {}
    for name, make in cases().items():
        if only and name not in only:
            continue
        model, quantization = make()
        infos[name] = save_case(model, out / name, seed=20, quantization=quantization)
    return infos
