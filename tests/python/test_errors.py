"""Every error class provoked through the package: each carries the C API's message and none
crashes the interpreter."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import octet
from conftest import ZOO, zoo_inputs

CNN = ZOO / "cnn_int8"


def test_bad_paths(tmp_path) -> None:
    with pytest.raises(octet.ModelError, match="nothing_here") as err:
        octet.compile_model(tmp_path / "nothing_here.xml", device="CPU")
    assert err.value.status_name == "OCTET_ERROR_NOT_FOUND"
    with pytest.raises(octet.ModelError):  # a directory (bad-inputs row 1)
        octet.compile_model(tmp_path, device="CPU")
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")  # a 0-byte model (row 1)
    with pytest.raises(octet.ModelError):
        octet.compile_model(empty, device="CPU")


def _copy_model(tmp_path, xml: bytes):
    path = tmp_path / "model.xml"
    path.write_bytes(xml)
    shutil.copy(CNN / "model.bin", tmp_path / "model.bin")
    return path


def test_malformed_ir(tmp_path) -> None:
    xml = (CNN / "model.xml").read_bytes()
    cases = {
        "not xml (row 3)": b"this is not xml",
        "truncated xml (row 3)": xml[: len(xml) // 2],
        "missing <edges> (row 6)": xml[: xml.index(b"<edges>")] + xml[xml.index(b"</edges>") + 8 :],
        "unknown op (row 11)": xml.replace(b'type="Convolution"', b'type="NoSuchOp"', 1),
    }
    for what, text in cases.items():
        with pytest.raises(octet.ModelError) as err:
            octet.compile_model(_copy_model(tmp_path, text), device="CPU")
        assert str(err.value), what
        assert err.value.status_name in ("OCTET_ERROR_MODEL", "OCTET_ERROR_UNSUPPORTED"), what
    (tmp_path / "model.bin").unlink()  # weights missing (row 2)
    (tmp_path / "model.xml").write_bytes(xml)
    with pytest.raises(octet.ModelError):
        octet.compile_model(tmp_path / "model.xml", device="CPU")


def test_bad_inputs() -> None:
    model = octet.compile_model(CNN / "model.xml", device="CPU")
    x = zoo_inputs(CNN)["input"]
    with pytest.raises(octet.InputError, match="input") as err:  # unknown name: lists the valid ones
        model({"no_such_input": x})
    assert "input" in str(err.value) and err.value.status_name == "OCTET_ERROR_NOT_FOUND"
    with pytest.raises(octet.InputError) as err:  # wrong shape: the C API names both
        model({"input": x[:, :2]})
    assert err.value.status_name == "OCTET_ERROR_PARAMETER_MISMATCH"
    assert "[1,3,32,32]" in str(err.value).replace(" ", "")
    with pytest.raises(octet.InputError, match="f32"):  # overflowing float64 would become inf
        model({"input": np.full(x.shape, 1e300)})
    with pytest.raises(octet.InputError):  # not numbers at all
        model({"input": np.full(x.shape, "a")})
    with pytest.raises(octet.InputError):  # list of the wrong length
        model([x, x])
    with pytest.raises(octet.InputError):
        model.create_infer_request().get_output("no_such_output")
    ints = octet.compile_model(ZOO / "ops" / "abs_i8" / "model.xml", device="CPU")
    shape = ints.inputs[0].shape
    with pytest.raises(octet.InputError, match="i8"):  # fractions into an i8 input
        ints({"x": np.full(shape, 0.5, np.float32)})
    with pytest.raises(octet.InputError):  # out of i8's range
        ints({"x": np.full(shape, 300, np.int32)})
    assert ints({"x": np.full(shape, -3, np.int64)})["y"].tolist() == np.full(shape, 3).tolist()


def test_bad_device_and_options() -> None:
    with pytest.raises(octet.DeviceError, match="GPU.99"):
        octet.compile_model(CNN / "model.xml", device="GPU.99")
    with pytest.raises(octet.InputError, match="precision"):
        octet.compile_model(CNN / "model.xml", device="CPU", precision="bogus")
    with pytest.raises(octet.InputError):
        octet.compile_model(CNN / "model.xml", device="CPU", shapes={"input": [1, 3, 0, -5]})
    with pytest.raises(octet.InputError):
        octet.compile_model(CNN / "model.xml", device="CPU", shapes={"nope": [1]})


def test_runtime_errors() -> None:
    model = octet.compile_model(CNN / "model.xml", device="CPU")
    request = model.create_infer_request()
    request.close()
    with pytest.raises(octet.InputError, match="closed"):
        request.infer()
    assert issubclass(octet.RequestBusyError, octet.RuntimeError)
    assert issubclass(octet.RuntimeError, RuntimeError) and issubclass(octet.InputError, ValueError)
    for cls in (octet.ModelError, octet.UnsupportedError, octet.InputError, octet.DeviceError, octet.RuntimeError):
        assert issubclass(cls, octet.Error)
