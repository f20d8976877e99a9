"""octet.compare: `octet compare` from Python, with the CLI's own report.

The comparison (tolerance rules, statistics, first diverging layer, placement) is written once, in
the octet CLI over the C API; this module runs the CLI that ships inside the package
(octet/bin/octet, or $OCTET_CLI) with `--json -` and wraps its JSON report, so a Python report is
the CLI's report by construction. numpy inputs and reference outputs are handed over as .npy files
in a temporary folder. The GIL is free while the CLI runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence, Union

import numpy as np

from . import _lib
from ._errors import _BY_STATUS, DeviceError, Error, InputError, ModelError

PathLike = Union[str, "os.PathLike[str]"]


def cli_path() -> Path:
    """The octet CLI octet.compare runs: $OCTET_CLI, else the one installed in the package."""
    override = os.environ.get("OCTET_CLI")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent / "bin" / "octet"


def _file_stem(name: str) -> str:
    # The CLI's file_stem(): [^A-Za-z0-9_.-] becomes '_' (tools/cli/cli.cpp).
    return "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in name)


@dataclass(frozen=True)
class TensorRow:
    """One compared tensor: the columns of the CLI's table (see `octet compare --help`)."""

    name: str
    kind: str  # "output" or "layer"
    element_type: str
    shape: tuple[int, ...]
    passed: bool
    result: str  # "ok", "FAIL", "FAIL (type/shape differ)", ...
    max_abs: float | None
    mean_abs: float | None
    max_rel: float | None
    cosine: float | None
    max_steps: float | None  # max abs / quantization step (own grid, else nearest upstream)
    within_percent: float | None
    tolerance: str | None  # "1e-04, 1e-04", "exact", "1 step 0.035", ...
    rule: str | None  # "float", "exact", "grid", "quantized" or "given"
    nan: tuple[int, int] | None  # device, reference
    inf: tuple[int, int] | None
    zero: tuple[int, int] | None
    worst: dict[str, Any] | None  # {"index": [...], "device": x, "reference": y}
    raw: dict[str, Any]  # the CLI's JSON entry, every field


def _row(entry: dict[str, Any]) -> TensorRow:
    pair = lambda key: tuple(entry[key]) if key in entry else None  # noqa: E731
    return TensorRow(
        name=entry["name"],
        kind=entry["kind"],
        element_type=entry["element_type"],
        shape=tuple(entry["shape"]),
        passed=bool(entry["pass"]),
        result=entry["result"],
        max_abs=entry.get("max_abs"),
        mean_abs=entry.get("mean_abs"),
        max_rel=entry.get("max_rel"),
        cosine=entry.get("cosine"),
        max_steps=entry.get("max_steps"),
        within_percent=entry.get("within_percent"),
        tolerance=entry.get("tolerance", {}).get("text"),
        rule=entry.get("rule"),
        nan=pair("nan"),
        inf=pair("inf"),
        zero=pair("zero"),
        worst=entry.get("worst"),
        raw=entry,
    )


class CompareReport:
    """The result of octet.compare: the CLI's report (`octet compare --json`) as an object.

    verdict: "PASS" or "FAIL"; passed/total: tensors within tolerance; rows: per-tensor rows
    (model outputs first, then layers with layers=True); outputs: the output rows by name;
    first_divergence: the first layer outside tolerance and whether it is a kernel error of that
    layer or propagated (layers=True only); placement: nodes per backend and precision, and the
    fallbacks with their reasons; text: the CLI's human-readable report.
    """

    def __init__(self, data: dict[str, Any], text: str) -> None:
        self.data = data
        self.text = text
        self.verdict: str = data["verdict"]
        self.passed: int = data["passed"]
        self.total: int = data["total"]
        self.rows: list[TensorRow] = [_row(t) for t in data["tensors"]]
        self.outputs: dict[str, TensorRow] = {r.name: r for r in self.rows if r.kind == "output"}
        self.first_divergence: dict[str, Any] | None = data.get("first_divergence")
        self.placement: dict[str, Any] = data["placement"]
        self.fallbacks: list[dict[str, Any]] = data["placement"]["fallbacks"]

    def __bool__(self) -> bool:
        return self.verdict == "PASS"

    def __repr__(self) -> str:
        return f"<CompareReport {self.verdict}: {self.passed} of {self.total} tensors within tolerance>"

    def __str__(self) -> str:
        return self.text

    def to_json(self, **dump_args: Any) -> str:
        """The report as JSON, the content of `octet compare --json`."""
        return json.dumps(self.data, **dump_args)


def _save(folder: Path, arrays: Mapping[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, value in arrays.items():
        np.save(folder / (_file_stem(name) + ".npy"), np.ascontiguousarray(np.asarray(value)))


def compare(
    path: PathLike,
    device: str = "GPU",
    reference: str = "CPU",
    ref_outputs: PathLike | Mapping[str, Any] | Sequence[PathLike] | None = None,
    inputs: PathLike | Mapping[str, Any] | None = None,
    layers: bool = False,
    atol: float | None = None,
    rtol: float | None = None,
    precision: str = "fast",
    ref_precision: str | None = None,
    shapes: Mapping[str, Sequence[int]] | None = None,
    cache_dir: PathLike | None = None,
    seed: int | None = None,
) -> CompareReport:
    """Runs the model on `device` and compares every output (every layer with layers=True)
    against `reference` (a device) or against stored outputs, as `octet compare` does.

    ref_outputs: a folder of <output>.npy files (e.g. OpenVINO's), a list of such folders (an
        output passes against any), or a dict output name -> array; replaces `reference`.
    inputs: a folder of <input>.npy, a dict input name -> array or file path, or None for the
        CLI's seeded random inputs.
    atol/rtol: override the per-type tolerances. precision/ref_precision: "fast" or "reference".
    Returns a CompareReport (a FAIL verdict is a result, not an exception); raises ModelError,
    InputError or DeviceError with the CLI's message when the comparison cannot run.
    """
    cli = cli_path()
    if not cli.exists():
        raise Error(f"octet.compare needs the octet CLI: {cli} does not exist (set OCTET_CLI)")
    with tempfile.TemporaryDirectory(prefix="octet-compare-") as scratch_dir:
        scratch = Path(scratch_dir)
        args = [os.fspath(cli), "compare", "-m", os.fspath(path), "-d", device, "--precision", precision]
        if ref_outputs is None:
            args += ["--ref_d", reference]
        elif isinstance(ref_outputs, Mapping):
            _save(scratch / "ref", ref_outputs)
            args += ["--ref", os.fspath(scratch / "ref")]
        elif isinstance(ref_outputs, (str, os.PathLike)):
            args += ["--ref", os.fspath(ref_outputs)]
        else:
            for folder in ref_outputs:
                args += ["--ref", os.fspath(folder)]
        if isinstance(inputs, Mapping):
            for name, value in inputs.items():
                if isinstance(value, (str, os.PathLike)):
                    source = os.fspath(value)
                else:
                    source = os.fspath(scratch / "inputs" / (_file_stem(name) + ".npy"))
                    _save(scratch / "inputs", {name: value})
                args += ["-i", f"{name}:{source}"]
        elif inputs is not None:
            args += ["-i", os.fspath(inputs)]
        if layers:
            args.append("--layers")
        if atol is not None:
            args += ["--atol", repr(float(atol))]
        if rtol is not None:
            args += ["--rtol", repr(float(rtol))]
        if ref_precision is not None:
            args += ["--ref_precision", ref_precision]
        for name, shape in (shapes or {}).items():
            args += ["-shape", f"{name}[{','.join(str(int(d)) for d in shape)}]"]
        if cache_dir is not None:
            args += ["--cache_dir", os.fspath(cache_dir)]
        if seed is not None:
            args += ["--seed", str(int(seed))]
        args += ["--json", "-"]
        done = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    # Exit codes: 0 pass, 1 tensors outside tolerance (both give a report), 2 usage, 3 runtime.
    if done.returncode in (0, 1) and done.stdout.strip():
        return CompareReport(json.loads(done.stdout), done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("Run with --help")]
    message = lines[-1] if lines else f"octet compare exited {done.returncode}"
    raise _cli_error(done.returncode, message)


def _cli_error(exit_code: int, message: str) -> Error:
    """The Error subclass for a failed CLI run: its message names the C API status
    ("octet: error: cannot read model: OCTET_ERROR_NOT_FOUND: ...")."""
    if message.startswith("octet: error: "):
        message = message[len("octet: error: ") :]
    if exit_code == 2:
        return InputError(f"compare: {message}")
    found = re.search(r"OCTET_ERROR_[A-Z_]+", message)
    status = _STATUS_BY_NAME.get(found.group(0), 0) if found else 0
    if message.startswith("cannot read model"):
        lookup: type[Error] = ModelError
    elif status == _lib.NOT_FOUND and message.startswith("cannot compile"):
        lookup = DeviceError
    else:
        lookup = InputError if status else ModelError
    return _BY_STATUS.get(status, lookup)(f"compare: {message}", status)


_STATUS_BY_NAME = {_lib.text(_lib.lib.octet_status_string(s)): s for s in range(1, 14)}
