"""Small whole real-architecture models (ShuffleNet-v2 unit, GoogLeNet/AlexNet stem with LRN, Inception
block, DenseNet block, YOLO-style detector with an FPN, BERT-style encoder, U-Net) built as ONNX graphs
(zoo_onnx.py), converted by OpenVINO's ONNX frontend (`ov.convert_model(path)`, as users do) and saved in
three forms: fp32, fp16-compressed (`compress_to_fp16=True`) and NNCF int8 (`nncf.quantize`, default
preset, seeded calibration inputs). Written to tests/zoo/real/<arch>_{fp32,fp16c,int8}/."""

import re
import tempfile
from pathlib import Path

import numpy as np
import nncf
import onnx
import openvino as ov

from zoo_common import Rng, describe_quantization, save_case
from zoo_onnx import Graph

CALIB_SAMPLES = 8


def _shuffle(g, x, c, h, w, groups, scope):
    """torch's channel_shuffle as ONNX exports it: view(b, g, c/g, h, w) -> transpose(1, 2) -> view."""
    r = g.op("Reshape", [x, g.ints(f"{scope}.shape0", [1, groups, c // groups, h, w])], scope)
    t = g.op("Transpose", [r], scope, perm=[0, 2, 1, 3, 4])
    return g.op("Reshape", [t, g.ints(f"{scope}.shape1", [1, c, h, w])], scope)


def build_shufflenet(seed=101):
    """Stem, one stride-2 ShuffleNet-v2 unit (two branches) and one stride-1 unit (channel split), head."""
    g = Graph("shufflenet_v2", seed)
    x = g.input("input", [1, 3, 32, 32])
    s = g.conv_bn_relu(x, 3, 24, 3, "conv1", stride=2)  # 24x16x16
    # Stride-2 unit: branch1 = dw3x3/2 -> BN -> 1x1 -> BN -> ReLU, branch2 = 1x1 -> dw3x3/2 -> 1x1.
    b1 = g.bn(g.conv(s, 24, 24, 3, "stage2.0/branch1/dw", stride=2, groups=24, bias=False), 24,
              "stage2.0/branch1/bn0")
    b1 = g.conv_bn_relu(b1, 24, 24, 1, "stage2.0/branch1/pw")
    b2 = g.conv_bn_relu(s, 24, 24, 1, "stage2.0/branch2/pw0")
    b2 = g.bn(g.conv(b2, 24, 24, 3, "stage2.0/branch2/dw", stride=2, groups=24, bias=False), 24,
              "stage2.0/branch2/bn1")
    b2 = g.conv_bn_relu(b2, 24, 24, 1, "stage2.0/branch2/pw1")
    u = g.op("Concat", [b1, b2], "stage2.0", axis=1)
    u = _shuffle(g, u, 48, 8, 8, 2, "stage2.0/shuffle")
    # Stride-1 unit: x.chunk(2, dim=1) -> Split; the second half goes through the branch.
    x1, x2 = g.op("Split", [u, g.ints("stage2.1.split", [24, 24])], "stage2.1", outputs=2, axis=1)
    b = g.conv_bn_relu(x2, 24, 24, 1, "stage2.1/branch2/pw0")
    b = g.bn(g.conv(b, 24, 24, 3, "stage2.1/branch2/dw", groups=24, bias=False), 24, "stage2.1/branch2/bn1")
    b = g.conv_bn_relu(b, 24, 24, 1, "stage2.1/branch2/pw1")
    u = g.op("Concat", [x1, b], "stage2.1", axis=1)
    u = _shuffle(g, u, 48, 8, 8, 2, "stage2.1/shuffle")
    u = g.conv_bn_relu(u, 48, 64, 1, "conv5")
    g.output(g.op("Gemm", [g.op("Flatten", [g.op("ReduceMean", [u], "gap", axes=[2, 3], keepdims=0)],
                                             "flatten", axis=1),
                           g.init("fc.weight", g.rng.normal([10, 64], 0.125)),
                           g.init("fc.bias", g.rng.normal([10], 0.05))],
                          "fc", outputs=["logits"], transB=1))
    return g.model()


def build_googlenet_stem(seed=102):
    """GoogLeNet's stem (AlexNet-style LRN): conv7x7/2, overlapping maxpool 3x3/2 (ceil), LRN, 1x1, 3x3,
    LRN, maxpool 3x3/2 (floor), then an AlexNet-style classifier (avgpool, two Gemm)."""
    g = Graph("googlenet_stem", seed)
    x = g.input("input", [1, 3, 64, 64])
    y = g.relu(g.conv(x, 3, 16, 7, "conv1", stride=2), "conv1")  # 32x32
    y = g.op("MaxPool", [y], "maxpool1", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)  # 16x16
    y = g.op("LRN", [y], "lrn1", size=5, alpha=1e-4, beta=0.75, bias=2.0)
    y = g.relu(g.conv(y, 16, 16, 1, "conv2"), "conv2")
    y = g.relu(g.conv(y, 16, 48, 3, "conv3"), "conv3")
    y = g.op("LRN", [y], "lrn2", size=3, alpha=0.05, beta=0.75, bias=1.0)
    y = g.op("MaxPool", [y], "maxpool2", kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1])  # 8x8
    y = g.op("AveragePool", [y], "avgpool", kernel_shape=[4, 4], strides=[4, 4])  # 2x2
    y = g.op("Flatten", [y], "flatten", axis=1)
    y = g.relu(g.gemm(y, 192, 64, "classifier.1"), "classifier.2")
    g.output(g.op("Softmax", [g.gemm(y, 64, 10, "classifier.4")], "softmax", outputs=["prob"], axis=1))
    return g.model()


def _inception(g, x, cin, b1, b2r, b2, b3r, b3, b4, scope, double3x3=False, avg_pool=False):
    """Four concatenated branches: 1x1; 1x1->3x3; 1x1->5x5 (or 1x1->3x3->3x3); pool 3x3/1 -> 1x1."""
    y1 = g.conv_bn_relu(x, cin, b1, 1, f"{scope}/branch1")
    y2 = g.conv_bn_relu(g.conv_bn_relu(x, cin, b2r, 1, f"{scope}/branch2.0"), b2r, b2, 3, f"{scope}/branch2.1")
    y3 = g.conv_bn_relu(x, cin, b3r, 1, f"{scope}/branch3.0")
    if double3x3:
        y3 = g.conv_bn_relu(y3, b3r, b3, 3, f"{scope}/branch3.1")
        y3 = g.conv_bn_relu(y3, b3, b3, 3, f"{scope}/branch3.2")
    else:
        y3 = g.conv_bn_relu(y3, b3r, b3, 5, f"{scope}/branch3.1")
    if avg_pool:  # Inception-v3: avg_pool2d(3, 1, 1) counts the padding (count_include_pad=True)
        p = g.op("AveragePool", [x], f"{scope}/branch4.pool", kernel_shape=[3, 3], strides=[1, 1],
                 pads=[1, 1, 1, 1], count_include_pad=1)
    else:
        p = g.op("MaxPool", [x], f"{scope}/branch4.pool", kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1])
    y4 = g.conv_bn_relu(p, cin, b4, 1, f"{scope}/branch4.1")
    return g.op("Concat", [y1, y2, y3, y4], scope, axis=1)


def build_inception(seed=103):
    g = Graph("inception", seed)
    x = g.input("input", [1, 3, 32, 32])
    y = g.conv_bn_relu(x, 3, 32, 3, "stem", stride=2)  # 16x16
    y = _inception(g, y, 32, 16, 16, 24, 4, 8, 8, "inception3a")  # 56
    y = g.op("MaxPool", [y], "maxpool3", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)  # 8x8
    y = _inception(g, y, 56, 16, 16, 24, 8, 16, 8, "inception4a", double3x3=True, avg_pool=True)  # 64
    g.output(g.rename(g.classifier(y, 64, 10), "logits"))
    return g.model()


def build_densenet(seed=104, growth=8):
    """Two dense blocks (BN -> ReLU -> 1x1 -> BN -> ReLU -> 3x3, concatenated) and a transition."""
    g = Graph("densenet", seed)
    x = g.input("input", [1, 3, 32, 32])
    y = g.conv(x, 3, 16, 3, "features.conv0", bias=False)
    c = 16

    def dense_layer(y, c, scope):
        h = g.relu(g.bn(y, c, f"{scope}/norm1"), f"{scope}/relu1")
        h = g.conv(h, c, 4 * growth, 1, f"{scope}/conv1", bias=False)
        h = g.relu(g.bn(h, 4 * growth, f"{scope}/norm2"), f"{scope}/relu2")
        h = g.conv(h, 4 * growth, growth, 3, f"{scope}/conv2", bias=False)
        return g.op("Concat", [y, h], scope, axis=1)

    for i in range(4):
        y = dense_layer(y, c, f"features.denseblock1.denselayer{i + 1}")
        c += growth
    y = g.relu(g.bn(y, c, "features.transition1/norm"), "features.transition1/relu")
    y = g.conv(y, c, c // 2, 1, "features.transition1/conv", bias=False)
    c //= 2
    y = g.op("AveragePool", [y], "features.transition1/pool", kernel_shape=[2, 2], strides=[2, 2])  # 16x16
    for i in range(3):
        y = dense_layer(y, c, f"features.denseblock2.denselayer{i + 1}")
        c += growth
    y = g.relu(g.bn(y, c, "features.norm5"), "features.relu5")
    g.output(g.rename(g.classifier(y, c, 10, "classifier"), "logits"))
    return g.model()


def _silu(g, x, scope):
    return g.op("Mul", [x, g.op("Sigmoid", [x], scope)], scope)


def build_detector(seed=105, classes=4, anchors=3):
    """YOLO-style: SiLU conv backbone (strides 8/16/32), FPN top-down path (Resize nearest and linear,
    Concat), per-level 1x1 heads decoded per anchor (Reshape/Transpose, Sigmoid, Split, grid and anchor
    arithmetic), concatenated and split into three outputs: boxes, objectness, class scores."""
    g = Graph("yolo_fpn", seed)
    x = g.input("images", [1, 3, 64, 64])

    def cbs(y, cin, cout, k, scope, stride=1):
        return _silu(g, g.conv(y, cin, cout, k, f"{scope}/conv", stride=stride), f"{scope}/act")

    y = cbs(x, 3, 8, 3, "model.0", 2)  # 32
    y = cbs(y, 8, 16, 3, "model.1", 2)  # 16
    c3 = cbs(y, 16, 24, 3, "model.2", 2)  # 8
    c4 = cbs(c3, 24, 32, 3, "model.3", 2)  # 4
    c5 = cbs(c4, 32, 48, 3, "model.4", 2)  # 2
    p5 = cbs(c5, 48, 32, 1, "model.5")
    up5 = g.op("Resize", [p5, "", g.init("model.6.scales", np.array([1, 1, 2, 2], np.float32))], "model.6",
               mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor")
    p4 = cbs(g.op("Concat", [up5, c4], "model.7", axis=1), 64, 24, 1, "model.8")
    # Linear up-sampling by target size, as F.interpolate(size=..., mode="bilinear") exports.
    up4 = g.op("Resize", [p4, "", "", g.ints("model.9.sizes", [1, 24, 8, 8])], "model.9", mode="linear",
               coordinate_transformation_mode="pytorch_half_pixel")
    p3 = cbs(g.op("Concat", [up4, c3], "model.10", axis=1), 48, 16, 3, "model.11")
    no = 5 + classes
    anchor_wh = {8: [[10, 13], [16, 30], [33, 23]], 16: [[30, 61], [62, 45], [59, 119]],
                 32: [[116, 90], [156, 198], [373, 326]]}
    decoded = []
    for i, (feat, cin, stride) in enumerate([(p3, 16, 8), (p4, 24, 16), (p5, 32, 32)]):
        hw = 64 // stride
        scope = f"model.12/m.{i}"
        h = g.conv(feat, cin, anchors * no, 1, scope)
        h = g.op("Reshape", [h, g.ints(f"{scope}.shape0", [1, anchors, no, hw, hw])], scope)
        h = g.op("Transpose", [h], scope, perm=[0, 1, 3, 4, 2])  # 1 x A x H x W x no
        h = g.op("Sigmoid", [h], scope)
        xy, wh, conf = g.op("Split", [h, g.ints(f"{scope}.split", [2, 2, no - 4])], scope, outputs=3, axis=4)
        gy, gx = np.meshgrid(np.arange(hw, dtype=np.float32), np.arange(hw, dtype=np.float32), indexing="ij")
        grid = (np.stack([gx, gy], -1) - 0.5).reshape(1, 1, hw, hw, 2).astype(np.float32)
        xy = g.op("Mul", [g.op("Add", [g.op("Mul", [xy, g.scalar(f"{scope}.two", 2.0)], f"{scope}/xy"),
                                       g.init(f"{scope}.grid", grid)], f"{scope}/xy"),
                          g.scalar(f"{scope}.stride", float(stride))], f"{scope}/xy")
        wh2 = g.op("Mul", [wh, g.scalar(f"{scope}.two_wh", 2.0)], f"{scope}/wh")
        wh = g.op("Mul", [g.op("Pow", [wh2, g.scalar(f"{scope}.pow", 2.0)], f"{scope}/wh"),
                          g.init(f"{scope}.anchor_grid",
                                 np.array(anchor_wh[stride], np.float32).reshape(1, anchors, 1, 1, 2))],
                  f"{scope}/wh")
        y = g.op("Concat", [xy, wh, conf], scope, axis=4)
        decoded.append(g.op("Reshape", [y, g.ints(f"{scope}.shape1", [1, -1, no])], scope))
    det = g.op("Concat", decoded, "model.12", axis=1)  # 1 x 252 x 9
    outs = g.op("Split", [det, g.ints("model.12.split", [4, 1, classes])], "model.12", axis=2,
                outputs=["boxes", "objectness", "class_scores"])
    for o in outs:
        g.output(o)
    return g.model()


def build_transformer(seed=106, vocab=100, seq=16, hidden=32, heads=4, ffn=64, layers=2):
    """BERT-style encoder: token Gather embedding, positions from Range over the input length, LayerNorm
    (opset 17), attention with a padding mask (input_ids == 0 -> Where(-1e4, 0)), erf-form GELU, residuals;
    outputs the hidden states and a tanh pooler over the first token."""
    g = Graph("bert_tiny", seed)
    r = g.rng
    ids = g.input("input_ids", [1, seq], np.int64)
    hd = hidden // heads
    emb = g.op("Gather", [g.init("embeddings.word_embeddings.weight", r.normal([vocab, hidden], 0.5)), ids],
               "embeddings/word_embeddings", axis=0)
    # position_ids = arange(input_ids.shape[1]).unsqueeze(0)
    n = g.op("Gather", [g.op("Shape", [ids], "embeddings"), g.scalar("embeddings.dim1", 1, np.int64)],
             "embeddings", axis=0)
    pos = g.op("Range", [g.scalar("embeddings.start", 0, np.int64), n, g.scalar("embeddings.delta", 1, np.int64)],
               "embeddings")
    pos = g.op("Unsqueeze", [pos, g.ints("embeddings.axes0", [0])], "embeddings")
    pe = g.op("Gather", [g.init("embeddings.position_embeddings.weight", r.normal([64, hidden], 0.5)), pos],
              "embeddings/position_embeddings", axis=0)
    h = g.op("Add", [emb, pe], "embeddings")

    def layer_norm(x, scope):
        return g.op("LayerNormalization", [x, g.init(f"{scope}.weight", 1.0 + r.normal([hidden], 0.05)),
                                           g.init(f"{scope}.bias", r.normal([hidden], 0.05))],
                    scope, axis=-1, epsilon=1e-12)

    h = layer_norm(h, "embeddings/LayerNorm")
    # Extended attention mask: (1 - (input_ids != pad)) * -1e4 as Equal/Where, broadcast over heads/queries.
    pad = g.op("Equal", [ids, g.scalar("mask.pad_id", 0, np.int64)], "mask")
    m = g.op("Where", [pad, g.scalar("mask.neg", -10000.0), g.scalar("mask.zero", 0.0)], "mask")
    m = g.op("Unsqueeze", [m, g.ints("mask.axes", [1, 2])], "mask")  # 1 x 1 x 1 x S
    for i in range(layers):
        s = f"encoder.layer.{i}"

        def heads_of(t, tag, perm):
            t = g.op("Reshape", [t, g.ints(f"{s}.{tag}.shape", [1, seq, heads, hd])], f"{s}/attention/{tag}")
            return g.op("Transpose", [t], f"{s}/attention/{tag}", perm=perm)

        q = heads_of(g.linear(h, hidden, hidden, f"{s}/attention/query"), "q", [0, 2, 1, 3])
        k = heads_of(g.linear(h, hidden, hidden, f"{s}/attention/key"), "k", [0, 2, 3, 1])
        v = heads_of(g.linear(h, hidden, hidden, f"{s}/attention/value"), "v", [0, 2, 1, 3])
        a = g.op("MatMul", [q, k], f"{s}/attention")
        a = g.op("Div", [a, g.scalar(f"{s}.scale", float(np.sqrt(hd)))], f"{s}/attention")
        a = g.op("Add", [a, m], f"{s}/attention")
        a = g.op("Softmax", [a], f"{s}/attention", axis=-1)
        c = g.op("MatMul", [a, v], f"{s}/attention/context")
        c = g.op("Transpose", [c], f"{s}/attention/context", perm=[0, 2, 1, 3])
        c = g.op("Reshape", [c, g.ints(f"{s}.ctx.shape", [1, seq, hidden])], f"{s}/attention/context")
        c = g.linear(c, hidden, hidden, f"{s}/attention/output/dense")
        h = layer_norm(g.op("Add", [c, h], f"{s}/attention/output"), f"{s}/attention/output/LayerNorm")
        f = g.linear(h, hidden, ffn, f"{s}/intermediate/dense")
        # GELU as x * 0.5 * (1 + erf(x / sqrt(2))), the exported erf form.
        e = g.op("Erf", [g.op("Div", [f, g.scalar(f"{s}.sqrt2", float(np.sqrt(2.0)))], f"{s}/intermediate")],
                 f"{s}/intermediate")
        e = g.op("Add", [e, g.scalar(f"{s}.one", 1.0)], f"{s}/intermediate")
        f = g.op("Mul", [g.op("Mul", [f, e], f"{s}/intermediate"), g.scalar(f"{s}.half", 0.5)],
                 f"{s}/intermediate")
        f = g.linear(f, ffn, hidden, f"{s}/output/dense")
        h = layer_norm(g.op("Add", [f, h], f"{s}/output"), f"{s}/output/LayerNorm")
    h = g.output(g.rename(h, "last_hidden_state"))
    first = g.op("Gather", [h, g.scalar("pooler.index", 0, np.int64)], "pooler", axis=1)  # 1 x hidden
    g.output(g.op("Tanh", [g.gemm(first, hidden, hidden, "pooler/dense")], "pooler/activation",
                  outputs=["pooler_output"]))
    return g.model()


def build_unet(seed=107):
    """Two-level U-Net: conv-BN-ReLU pairs, MaxPool down, ConvTranspose (k2 s2, and k3 s2 p1 with
    output_padding) and bilinear Resize up, skip Concat, 1x1 head."""
    g = Graph("unet", seed)
    x = g.input("input", [1, 3, 32, 32])

    def double(y, cin, cout, scope):
        return g.conv_bn_relu(g.conv_bn_relu(y, cin, cout, 3, f"{scope}/0"), cout, cout, 3, f"{scope}/1")

    def deconv(y, cin, cout, k, scope, pad=0, out_pad=0):
        w = g.init(f"{scope}.weight", g.rng.weight([cin, cout, k, k], fan_in=cin * k * k // 4))
        b = g.init(f"{scope}.bias", g.rng.normal([cout], 0.05))
        return g.op("ConvTranspose", [y, w, b], scope, kernel_shape=[k, k], strides=[2, 2], pads=[pad] * 4,
                    output_padding=[out_pad] * 2)

    e1 = double(x, 3, 8, "inc")  # 8 x 32
    e2 = double(g.op("MaxPool", [e1], "down1", kernel_shape=[2, 2], strides=[2, 2]), 8, 16, "down1")  # 16
    e3 = double(g.op("MaxPool", [e2], "down2", kernel_shape=[2, 2], strides=[2, 2]), 16, 32, "down2")  # 8
    b = double(g.op("MaxPool", [e3], "down3", kernel_shape=[2, 2], strides=[2, 2]), 32, 32, "bottleneck")  # 4
    u = deconv(b, 32, 32, 2, "up1/up")  # 8
    u = double(g.op("Concat", [e3, u], "up1", axis=1), 64, 16, "up1/conv")
    u = deconv(u, 16, 16, 3, "up2/up", pad=1, out_pad=1)  # 16
    u = double(g.op("Concat", [e2, u], "up2", axis=1), 32, 8, "up2/conv")
    u = g.op("Resize", [u, "", g.init("up3.scales", np.array([1, 1, 2, 2], np.float32))], "up3/up",
             mode="linear", coordinate_transformation_mode="half_pixel")  # 32
    u = double(g.op("Concat", [e1, u], "up3", axis=1), 16, 8, "up3/conv")
    g.output(g.rename(g.conv(u, 8, 2, 1, "outc"), "mask_logits"))
    return g.model()


# Inputs -------------------------------------------------------------------------------------------------

def image(rng, shape):
    """A smooth random image (bilinear up-sampled coarse noise plus fine noise), ImageNet-normalised scale."""
    n, c, h, w = shape
    coarse = rng.normal([n, c, 5, 5], 1.0)
    ys, xs = np.linspace(0, 4, h), np.linspace(0, 4, w)
    y0, x0 = np.minimum(ys.astype(int), 3), np.minimum(xs.astype(int), 3)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    a = coarse[:, :, y0][:, :, :, x0]
    b = coarse[:, :, y0][:, :, :, x0 + 1]
    cc = coarse[:, :, y0 + 1][:, :, :, x0]
    d = coarse[:, :, y0 + 1][:, :, :, x0 + 1]
    img = a * (1 - fy) * (1 - fx) + b * (1 - fy) * fx + cc * fy * (1 - fx) + d * fy * fx
    return (img + rng.normal(shape, 0.2)).astype(np.float32)


def tokens(rng, seq=16, vocab=100):
    """Token ids 1..vocab-1 with a random number (0..seq/2) of trailing pad tokens (id 0)."""
    ids = rng.g.integers(1, vocab, size=[1, seq]).astype(np.int64)
    n_pad = int(rng.g.integers(0, seq // 2 + 1))
    if n_pad:
        ids[0, seq - n_pad:] = 0
    return ids


# name -> (builder, seed, input name, input maker, NNCF model type)
ARCHS = {
    "shufflenet_v2": (build_shufflenet, 101, "input", lambda r: image(r, [1, 3, 32, 32]), None),
    "googlenet_stem": (build_googlenet_stem, 102, "input", lambda r: image(r, [1, 3, 64, 64]), None),
    "inception": (build_inception, 103, "input", lambda r: image(r, [1, 3, 32, 32]), None),
    "densenet": (build_densenet, 104, "input", lambda r: image(r, [1, 3, 32, 32]), None),
    "yolo_fpn": (build_detector, 105, "images", lambda r: image(r, [1, 3, 64, 64]), None),
    "bert_tiny": (build_transformer, 106, "input_ids", tokens, nncf.ModelType.TRANSFORMER),
    "unet": (build_unet, 107, "input", lambda r: image(r, [1, 3, 32, 32]), None),
}


def canonicalize_auto_names(model):
    """Renames every node still carrying an auto-generated `<Type>_<global counter>` name, whatever its
    own type: the frontend's fusions hand such names on (a Convolution named `Multiply_605754` after
    BatchNorm folding, folded Range/Transpose constants), and the counters depend on what the process
    built before. `<type>.<k>` keeps them apart from zoo_common.canonicalize_names' `<type>_<k>`."""
    taken = {op.get_friendly_name() for op in model.get_ordered_ops()}
    counts = {}
    for op in model.get_ordered_ops():
        m = re.fullmatch(r"([A-Z][A-Za-z0-9]*)_\d+", op.get_friendly_name())
        if not m:
            continue
        prefix = m.group(1).lower()
        while True:
            k = counts.get(prefix, 0)
            counts[prefix] = k + 1
            name = f"{prefix}.{k}"
            if name not in taken:
                break
        taken.add(name)
        op.set_friendly_name(name)
    return model


def convert(onnx_model, onnx_dir, name):
    path = Path(onnx_dir) / f"{name}.onnx"
    onnx.save(onnx_model, str(path))
    return canonicalize_auto_names(ov.convert_model(str(path)))


def generate_real(out, only=None, onnx_dir=None):
    """Writes tests/zoo/real/<arch>_{fp32,fp16c,int8}; `onnx_dir` keeps the ONNX files (else a temp dir)."""
    out = Path(out)
    infos = {}
    with tempfile.TemporaryDirectory() as tmp:
        odir = Path(onnx_dir) if onnx_dir else Path(tmp)
        odir.mkdir(parents=True, exist_ok=True)
        for arch, (build, seed, in_name, make_input, model_type) in ARCHS.items():
            names = [f"{arch}_{form}" for form in ("fp32", "fp16c", "int8")]
            if only and not any(n in only or arch in only for n in names):
                continue
            onnx_model = build(seed)
            settings = {"source": "ONNX graph built by tools/models/zoo_real.py", "onnx_opset": 17,
                        "converter": "openvino.convert_model(<file>.onnx)"}
            inputs = {in_name: make_input(Rng(seed + 1))}
            for name, form in zip(names, ("fp32", "fp16c", "int8")):
                if only and name not in only and arch not in only:
                    continue
                model = convert(onnx_model, odir, arch)
                kw = {}
                if form == "fp16c":
                    kw["compress_to_fp16"] = True
                if form == "int8":
                    crng = Rng(seed + 7)
                    samples = [{in_name: make_input(crng)} for _ in range(CALIB_SAMPLES)]
                    qkw = {"subset_size": len(samples)}
                    if model_type is not None:
                        qkw["model_type"] = model_type
                    model = nncf.quantize(model, nncf.Dataset(samples), **qkw)
                    canonicalize_auto_names(model)
                    how = {"tool": "nncf.quantize", "preset": "default", "subset_size": len(samples),
                           "calibration_seed": seed + 7,
                           "model_type": str(model_type) if model_type is not None else None,
                           "calibration": ("random token ids with trailing padding" if in_name == "input_ids"
                                           else "smooth random images (up-sampled coarse noise + fine noise)")}
                    kw["quantization"] = describe_quantization(model, how)
                infos[name] = save_case(model, out / name, inputs=inputs, seed=seed, settings=settings, **kw)
    return infos
