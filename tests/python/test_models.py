"""Every main zoo model through compile_model(...)(inputs) on the CPU and the OpenCL device gives
the bytes `octet run` writes for the same model, device and inputs."""

from __future__ import annotations

import json

import numpy as np
import pytest

import octet
from conftest import ZOO, cli_outputs, stem, zoo_inputs, zoo_models


@pytest.mark.parametrize("name", zoo_models())
def test_outputs_equal_cli_run(name: str, device: str, tmp_path) -> None:
    model_dir = ZOO / name
    model = octet.compile_model(model_dir / "model.xml", device=device)
    assert model.device.startswith(device.split(".")[0])
    outputs = model(zoo_inputs(model_dir))
    expected = cli_outputs(model_dir, device, tmp_path)
    assert [p.name for p in model.outputs] == list(outputs)
    assert sorted(stem(n) for n in outputs) == sorted(expected)
    for out_name, array in outputs.items():
        reference = expected[stem(out_name)]
        assert array.dtype == reference.dtype and array.shape == reference.shape, out_name
        assert array.tobytes() == reference.tobytes(), f"{name} {out_name} on {device} differs from octet run"


@pytest.mark.parametrize("name", ["abs_f16", "abs_i8", "abs_u8", "abs_i32", "abs_i64"])
def test_element_types_in_and_out(name: str, tmp_path) -> None:
    """f16, i8, u8, i32, i64 (f32: every model above) in and out, against octet run and against
    OpenVINO's outputs (ref/, exact for Abs)."""
    model_dir = ZOO / "ops" / name
    info = json.loads((model_dir / "model_info.json").read_text())
    model = octet.compile_model(model_dir / "model.xml", device="CPU")
    inputs = zoo_inputs(model_dir)
    assert model.inputs[0].dtype == inputs["x"].dtype
    outputs = model(inputs)
    expected = cli_outputs(model_dir, "CPU", tmp_path)
    openvino = np.load(model_dir / info["outputs"][0]["file"])
    for out_name, array in outputs.items():
        assert array.dtype == openvino.dtype
        assert array.tobytes() == expected[stem(out_name)].tobytes()
        assert array.tobytes() == openvino.tobytes()


def test_dynamic_model_with_shapes(tmp_path) -> None:
    """shapes= fixes a dynamic input as `-shape` does."""
    model_dir = ZOO / "dynamic" / "dyn_reshape_heads"
    info = json.loads((model_dir / "model_info.json").read_text())
    run_shape = info["inputs"][0]["run_shape"]
    model = octet.compile_model(model_dir / "model.xml", device="CPU", shapes={"x": run_shape})
    assert model.inputs[0].shape == tuple(run_shape)
    outputs = model(zoo_inputs(model_dir))
    expected = cli_outputs(model_dir, "CPU", tmp_path, "-shape", f"x[{','.join(map(str, run_shape))}]")
    for out_name, array in outputs.items():
        assert array.tobytes() == expected[stem(out_name)].tobytes()


def test_infer_request_reuse_and_list_inputs() -> None:
    model_dir = ZOO / "cnn_int8"
    model = octet.compile_model(model_dir / "model.xml", device="CPU")
    x = zoo_inputs(model_dir)["input"]
    first = model([x])["prob"]
    request = model.create_infer_request()
    request.set_input("input", x)
    out = request.infer()
    assert out["prob"].tobytes() == first.tobytes()
    assert request.results["prob"].tobytes() == first.tobytes()
    assert request.get_output(0).tobytes() == first.tobytes()
    # Outputs belong to the caller: changing one changes nothing the request gives next.
    out["prob"][:] = 0
    assert request.get_output("prob").tobytes() == first.tobytes()
    # A non-contiguous or float64 array is converted; the values (exact in f32) give the same result.
    assert model([np.asfortranarray(x)])["prob"].tobytes() == first.tobytes()
    assert model({"input": x.astype(np.float64)})["prob"].tobytes() == first.tobytes()


def test_contiguous_input_of_the_right_dtype_is_not_copied() -> None:
    from octet._tensor import as_input_array

    x = np.zeros((2, 3), np.float32)
    assert as_input_array("x", x, octet._lib.TYPE_F32) is x
    y = as_input_array("x", np.zeros((2, 3), np.int8), octet._lib.TYPE_F32)
    assert y.dtype == np.float32 and y.flags.c_contiguous


def test_devices_match_octet_devices() -> None:
    from conftest import run_cli

    listed = run_cli("devices").stdout
    found = octet.devices()
    assert found[0].name == "CPU" and found[0].type == "CPU"
    for d in found:
        assert d.name in listed and d.full_name in listed
    assert octet.library_version() == octet.__version__
