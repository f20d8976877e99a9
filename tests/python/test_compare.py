"""octet.compare reports equal the CLI's `octet compare --json` for the same arguments."""

from __future__ import annotations

import json

import numpy as np
import pytest

import octet
from conftest import ZOO, run_cli, zoo_inputs

# Wall-clock times differ between two runs; everything else must be equal.
TIMES = ("first_inference_ms",)


def without_times(report: dict) -> dict:
    report = json.loads(json.dumps(report))
    for side in ("device", "reference"):
        for key in TIMES:
            report.get(side, {}).pop(key, None)
    return report


def cli_json(*args: str) -> dict:
    done = run_cli("compare", *args, "--json", "-", check=False)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_device_against_cpu_with_layers(gpu: str) -> None:
    path = ZOO / "cnn_int8" / "model.xml"
    inputs = ZOO / "cnn_int8" / "inputs"
    report = octet.compare(path, device=gpu, reference="CPU", inputs=inputs, layers=True)
    expected = cli_json("-m", str(path), "-d", gpu, "--ref_d", "CPU", "-i", str(inputs), "--layers")
    assert without_times(json.loads(report.to_json())) == without_times(expected)
    assert report.verdict == expected["verdict"] == "PASS" and bool(report)
    assert report.first_divergence["kind"] == "none"
    assert len(report.rows) == len(expected["tensors"]) > 1
    assert report.outputs["prob"].tolerance == expected["tensors"][0]["tolerance"]["text"]
    assert report.placement["device"] == gpu
    assert "PASS" in report.text


def test_stored_references_and_tolerances() -> None:
    """Against OpenVINO's two stored references, with given tolerances."""
    model_dir = ZOO / "transformer_int8"
    path = model_dir / "model.xml"
    refs = [model_dir / "ref", model_dir / "ref_literal"]
    report = octet.compare(path, device="CPU", ref_outputs=refs, inputs=model_dir / "inputs", atol=1e-3, rtol=0.0)
    expected = cli_json("-m", str(path), "-d", "CPU", "--zoo", "--ref", str(refs[0]), "--ref", str(refs[1]),
                        "--atol", "0.001", "--rtol", "0.0")
    got = without_times(json.loads(report.to_json()))
    want = without_times(expected)
    # The CLI names the inputs' source; --zoo and -i DIR read the same files.
    assert [i["name"] for i in got.pop("inputs")] == [i["name"] for i in want.pop("inputs")]
    assert got == want
    assert all(r.rule == "given" for r in report.rows)


def test_arrays_as_inputs_and_references_and_a_failing_verdict() -> None:
    """numpy dicts for inputs and reference outputs; a reference that is off fails like the CLI."""
    model_dir = ZOO / "mlp_fp32"
    path = model_dir / "model.xml"
    inputs = zoo_inputs(model_dir)
    outputs = octet.compile_model(path, device="CPU")(inputs)
    good = octet.compare(path, device="CPU", inputs=inputs, ref_outputs=outputs)
    assert good.verdict == "PASS" and all(r.max_abs == 0 for r in good.rows)
    off = {k: v + np.float32(1.0) for k, v in outputs.items()}
    bad = octet.compare(path, device="CPU", inputs=inputs, ref_outputs=off)
    assert bad.verdict == "FAIL" and not bad and bad.passed == 0
    assert all(r.result.startswith("FAIL") and r.max_abs == pytest.approx(1.0, rel=1e-3) for r in bad.rows)


def test_compare_errors_carry_the_cli_message(tmp_path) -> None:
    with pytest.raises(octet.ModelError, match="no_such_model") as err:
        octet.compare(tmp_path / "no_such_model.xml", device="CPU")
    assert err.value.status_name == "OCTET_ERROR_NOT_FOUND"
    with pytest.raises(octet.DeviceError, match="GPU.99"):
        octet.compare(ZOO / "mlp_fp32" / "model.xml", device="GPU.99")
    with pytest.raises(octet.InputError, match="precision"):
        octet.compare(ZOO / "mlp_fp32" / "model.xml", device="CPU", precision="bogus")
