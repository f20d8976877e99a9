"""Single-op zoo cases of RandomUniform-8 (issue 11 close-out), registered into zoo_ops.CASES: both
alignments (TensorFlow's Philox4x32-10, PyTorch's MT19937), every output type the CPU plugin computes as
the spec does (f32, i32; i64 for PyTorch bounds within uint32), several seeds (global seed above 32 bits,
op_seed alone, global_seed alone), shapes of 1, prime and larger element counts, and bounds given as
constants (octet then folds the op at compile time) or as model inputs (the op runs as a kernel).

Where OpenVINO's CPU plugin departs from the op specification and from OpenVINO's own core reference
(ov::op::v8::RandomUniform::evaluate), there is no zoo case; tests/unit/reference/random_test.cpp checks
octet against the core reference's values instead. Measured with OpenVINO 2026.4.1:
- f16 and bf16 outputs: the plugin generates f32 values (23 random mantissa bits) and converts them, where
  the spec takes 10 (f16) or 7 (bf16) random bits and computes in the type;
- i64 outputs: the plugin generates i32 values (one word each), where the spec takes two words per value
  (TensorFlow alignment, or PyTorch alignment with a bound past uint32);
- i32 bounds whose difference overflows int32 (e.g. the full int32 range): the plugin's range wraps to -1
  and every value becomes minval;
- a scalar output (empty shape input): the plugin returns an unset value."""

import numpy as np
import openvino.opset8 as o8

from zoo_ops import C, P, case, model_of

I32, I64 = np.int32, np.int64
TF, PT = "tensorflow", "pytorch"


def _ru(name, shape, out_type, lo, hi, global_seed, op_seed, alignment=TF, bounds_as_inputs=False,
        shape_type=I64):
    dtype = {"f32": np.float32, "i32": I32, "i64": I64}[out_type]

    @case(name)
    def _(r):
        lo_v, hi_v = np.array(lo, dtype), np.array(hi, dtype)
        if bounds_as_inputs:
            lo_n, hi_n = P([], "minval", dtype), P([], "maxval", dtype)
            params, inputs = [lo_n, hi_n], {"minval": lo_v, "maxval": hi_v}
        else:
            lo_n, hi_n = C(lo_v), C(hi_v)
            params, inputs = [], None
        y = o8.random_uniform(C(np.array(shape, shape_type)), lo_n, hi_n, out_type, global_seed, op_seed,
                              alignment)
        return model_of(y, params), inputs


# TensorFlow alignment (the default): Philox4x32-10, key = global_seed, counter = op_seed.
_ru("random_uniform_tf_f32_spec_example", [3, 3], "f32", 0.0, 1.0, 150, 10)
_ru("random_uniform_tf_f32_one", [1], "f32", -2.0, 5.0, 1, 0)
_ru("random_uniform_tf_f32_prime_inputs", [2, 3, 7], "f32", -3.5, 2.25, 7, 0, bounds_as_inputs=True)
_ru("random_uniform_tf_f32_op_seed_only", [13], "f32", -1.0, 1.0, 0, 77, shape_type=I32)
_ru("random_uniform_tf_f32_large_seed_inputs", [4, 1031], "f32", -100.0, 1e4, 12345678901, 3,
    bounds_as_inputs=True)
_ru("random_uniform_tf_i32_spec_example", [2, 3], "i32", 50, 100, 80, 100)
_ru("random_uniform_tf_i32_negative_inputs", [37], "i32", -1000, -3, 9, 2, bounds_as_inputs=True)
_ru("random_uniform_tf_i32_wide_range", [5, 211], "i32", -1000000000, 1100000000, 31, 4)
# PyTorch alignment: MT19937 seeded with global_seed (op_seed unused).
_ru("random_uniform_pt_f32_one", [1], "f32", 0.0, 1.0, 3, 0, PT)
_ru("random_uniform_pt_f32_prime_inputs", [3, 5, 7], "f32", -1.3, 3.7, 42, 0, PT, bounds_as_inputs=True)
_ru("random_uniform_pt_f32_past_state", [1301], "f32", -0.5, 0.5, 2**33 + 5, 9, PT)  # > 624 words: regenerates
_ru("random_uniform_pt_i32", [29], "i32", -7, 1000, 42, 0, PT)
_ru("random_uniform_pt_i64_small_bounds", [31], "i64", -50, 50, 42, 1, PT, bounds_as_inputs=True)

NOTES = {}
