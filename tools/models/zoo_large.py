"""Bench models for --large (tests/zoo/_large/, never committed): a ResNet-50 topology at 224x224 and a
BERT-base-sized encoder (12 layers, hidden 768, seq 128), each fp32 and int8 (nncf.quantize)."""

import time

import numpy as np
import nncf
import openvino.opset1 as o1
import openvino.opset8 as o8

from zoo_common import Rng, describe_quantization, make_model, name_output, save_case
from zoo_models import conv_bias, const, encoder_block, layer_norm, quantize


def _bottleneck(x, rng, cin, width, stride, name):
    cout = width * 4
    h = o1.relu(conv_bias(x, rng, cin, width, 1, 1, f"{name}/conv1"), name=f"{name}/relu1")
    h = o1.relu(conv_bias(h, rng, width, width, 3, stride, f"{name}/conv2"), name=f"{name}/relu2")
    h = conv_bias(h, rng, width, cout, 1, 1, f"{name}/conv3")
    # Keep the residual branch small so 16 blocks of random weights do not blow up activations.
    h = o1.multiply(h, const(np.float32(0.2)), name=f"{name}/scale")
    sc = x if (stride == 1 and cin == cout) else conv_bias(x, rng, cin, cout, 1, stride, f"{name}/down")
    return o1.relu(o1.add(h, sc, name=f"{name}/add"), name=f"{name}/out")


def build_resnet50(seed=50):
    rng = Rng(seed)
    x = o1.parameter([1, 3, 224, 224], np.float32, name="input")
    name_output(x, "input")
    w = rng.weight([64, 3, 7, 7])
    h = o1.convolution(x, const(w, "stem/weights"), [2, 2], [3, 3], [3, 3], [1, 1], name="stem")
    h = o1.relu(o1.add(h, const(rng.normal([1, 64, 1, 1], 0.1)), name="stem/add"), name="stem/relu")
    h = o8.max_pool(h, [2, 2], [1, 1], [1, 1], [1, 1], [3, 3], name="stem/pool").output(0)
    cin = 64
    for s, (blocks, width) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)]):
        for b in range(blocks):
            h = _bottleneck(h, rng, cin, width, 2 if (b == 0 and s > 0) else 1, f"layer{s + 1}.{b}")
            cin = width * 4
    gap = o1.reduce_mean(h, const(np.array([2, 3], np.int64)), True, name="gap")
    flat = o1.reshape(gap, const(np.array([1, -1], np.int64)), False, name="flatten")
    fc = o1.matmul(flat, const(rng.normal([1000, 2048], 2048 ** -0.5), "fc/weights"), False, True, name="fc")
    logits = o1.add(fc, const(rng.normal([1000], 0.01)), name="fc/add")
    name_output(logits, "logits")
    return make_model([logits], [x], "resnet50")


def build_bert_base(seed=110, layers=12, hidden=768, heads=12, seq=128, vocab=30522):
    rng = Rng(seed)
    ids = o1.parameter([1, seq], np.int64, name="input_ids")
    mask = o1.parameter([1, seq], np.int64, name="attention_mask")
    name_output(ids, "input_ids")
    name_output(mask, "attention_mask")
    emb = o8.gather(const(rng.normal([vocab, hidden], 0.02), "embeddings/word"), ids,
                    const(np.int64(0)), name="embeddings/gather")
    emb = o1.add(emb, const(rng.normal([1, seq, hidden], 0.02), "embeddings/position"), name="embeddings/add")
    h = layer_norm(emb, rng, hidden, "embeddings/ln")
    m = o1.convert(mask, "f32", name="mask/convert")
    m = o1.multiply(o1.subtract(const(np.float32(1.0)), m, name="mask/invert"), const(np.float32(-10000.0)),
                    name="mask/scale")
    m = o1.unsqueeze(m, const(np.array([1, 2], np.int64)), name="mask/unsqueeze")
    for i in range(layers):
        h = encoder_block(h, rng, seq, hidden, heads, 4 * hidden, f"encoder{i}", mask=m)
    name_output(h, "last_hidden_state")
    return make_model([h], [ids, mask], "bert_base")


def _bert_inputs(rng, seq=128, vocab=30522):
    ids = rng.g.integers(0, vocab, size=[1, seq]).astype(np.int64)
    n = int(rng.g.integers(seq // 2, seq + 1))
    mask = (np.arange(seq) < n).astype(np.int64).reshape(1, seq)
    return {"input_ids": ids, "attention_mask": mask}


def generate_large(out, calib=2, only=None):
    out.mkdir(parents=True, exist_ok=True)
    jobs = {
        "resnet50_fp32": lambda: save_case(build_resnet50(), out / "resnet50_fp32", seed=50),
        "resnet50_int8": lambda: _int8(build_resnet50(), out / "resnet50_int8", 50, calib, None, None),
        "bert_base_fp32": lambda: save_case(build_bert_base(), out / "bert_base_fp32", seed=110,
                                            inputs=_bert_inputs(Rng(110))),
        "bert_base_int8": lambda: _int8(build_bert_base(), out / "bert_base_int8", 110, calib,
                                        nncf.ModelType.TRANSFORMER, _bert_inputs(Rng(110))),
    }
    for name, f in jobs.items():
        if only and name not in only:
            continue
        t = time.time()
        f()
        print(f"{name}: {time.time() - t:.0f} s")


def _int8(model, path, seed, calib, model_type, inputs):
    samples = None
    if inputs is not None:
        rng = Rng(seed + 7)
        samples = [_bert_inputs(rng) for _ in range(calib)]
    q, how = quantize(model, seed, model_type=model_type, n=calib, samples=samples)
    if samples is not None:
        how["calibration"] = "random token ids, prefix attention masks"
    return save_case(q, path, seed=seed, inputs=inputs, quantization=describe_quantization(q, how))
