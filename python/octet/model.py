"""Devices, compiled models and infer requests over the C API, shaped like OpenVINO's Python API.

Thread-safety contract (the C API's, see octet.h): a CompiledModel may be shared by any number of
threads; calling it (`model(inputs)`) from several threads at once is safe and runs the
inferences concurrently, each on an infer request of its own taken from a pool. An InferRequest is
for one thread at a time: using one from two threads at once raises RequestBusyError instead of
blocking. The GIL is released during every C call (compile, set_input, infer, get_output).
"""

from __future__ import annotations

import ctypes
import os
import threading
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence, Union

import numpy as np

from . import _lib
from ._errors import DeviceError, InputError, ModelError, check
from ._tensor import as_input_array, numpy_dtype, to_numpy, type_name, wrap

PathLike = Union[str, "os.PathLike[str]"]
Inputs = Union[Mapping[str, Any], Sequence[Any], None]


@dataclass(frozen=True)
class Device:
    """One device octet can run on (the fields of `octet devices`)."""

    name: str  # "CPU", "GPU.0": what compile_model accepts
    type: str  # "CPU" or "GPU"
    full_name: str
    vendor: str
    platform: str  # OpenCL platform; "" for the CPU
    driver_version: str
    opencl_c_version: str
    compute_units: int
    global_memory_bytes: int
    max_alloc_bytes: int
    local_memory_bytes: int
    fp16: bool  # cl_khr_fp16
    int_dot_product: bool
    dot4: bool  # the int8 kernels use a DOT4 instruction


def devices() -> list[Device]:
    """The devices octet can run on: the CPU first, then each OpenCL GPU ("GPU.0", ...).
    With no OpenCL device only the CPU is listed; device_unavailable_reason() says why."""
    count = ctypes.c_size_t()
    check(_lib.lib.octet_device_count(ctypes.byref(count)), "devices", DeviceError)
    result = []
    for i in range(count.value):
        info = _lib.DeviceInfo()
        check(_lib.lib.octet_device_get_info(i, ctypes.byref(info)), f"device {i}", DeviceError)
        result.append(
            Device(
                name=_lib.text(info.name),
                type="GPU" if info.type == 1 else "CPU",
                full_name=_lib.text(info.full_name),
                vendor=_lib.text(info.vendor),
                platform=_lib.text(info.platform),
                driver_version=_lib.text(info.driver_version),
                opencl_c_version=_lib.text(info.opencl_c_version),
                compute_units=info.compute_units,
                global_memory_bytes=info.global_memory_bytes,
                max_alloc_bytes=info.max_alloc_bytes,
                local_memory_bytes=info.local_memory_bytes,
                fp16=bool(info.fp16),
                int_dot_product=bool(info.int_dot_product),
                dot4=bool(info.dot4),
            )
        )
    return result


def device_unavailable_reason() -> str:
    """Why no GPU is listed ("" when one is), e.g. the OpenCL loader's error."""
    return _lib.text(_lib.lib.octet_device_unavailable_reason())


@dataclass(frozen=True)
class Port:
    """An input or output of a compiled model."""

    name: str
    element_type: str  # octet's name: "f32", "i8", ...
    dtype: np.dtype | None  # numpy dtype; None for packed (i4/u4/u1) and bf16 tensors
    shape: tuple[int, ...]
    index: int

    def __repr__(self) -> str:
        return f"<Port '{self.name}' {self.element_type} {list(self.shape)}>"


@dataclass(frozen=True)
class Placement:
    """Where one node runs and why (octet_node_assignment)."""

    node: str
    op: str
    backend: str  # "CPU", "GPU.0"
    impl: str  # kernel implementation
    precision: str  # "f32", "int8", ...
    note: str  # why not on the primary device / not int8; "" otherwise


def _port(info: _lib.PortInfo, index: int) -> Port:
    return Port(
        name=_lib.text(info.name),
        element_type=type_name(info.type),
        dtype=numpy_dtype(info.type),
        shape=tuple(info.dims[i] for i in range(info.rank)),
        index=index,
    )


def _ports(handle: int, count_fn: Any, get_fn: Any, what: str) -> list[Port]:
    count = ctypes.c_size_t()
    check(count_fn(handle, ctypes.byref(count)), what)
    ports = []
    for i in range(count.value):
        info = _lib.PortInfo()
        check(get_fn(handle, i, ctypes.byref(info)), what)
        ports.append(_port(info, i))
    return ports


def _option_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


class InferRequest:
    """One set of input and output buffers of a compiled model; reuse it for repeated inferences.
    Used by one thread at a time (another thread gets RequestBusyError)."""

    def __init__(self, compiled: "CompiledModel") -> None:
        handle = _lib.handle()
        check(_lib.lib.octet_compiled_model_create_request(compiled._handle, ctypes.byref(handle)), "create request")
        self._handle: int | None = handle.value
        self._model = compiled  # keeps the ports; the C API keeps the compiled model itself alive
        self._results: dict[str, np.ndarray] = {}

    def __del__(self) -> None:
        self.close()

    def close(self) -> None:
        """Frees the request now (it is also freed when garbage collected)."""
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            _lib.lib.octet_infer_request_destroy(handle)

    def __enter__(self) -> "InferRequest":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _live(self) -> int:
        if not self._handle:
            raise InputError("the infer request is closed")
        return self._handle

    def set_input(self, name: str | int, value: Any) -> None:
        """Sets input `name` (any tensor or Parameter name, or its index) from a numpy array (or
        anything numpy.asarray takes). A C-contiguous array of the input's dtype is read in place;
        others are converted, or InputError where conversion would lose data. The request keeps a
        copy, so the array may change afterwards."""
        port = self._model._input(name)
        array = as_input_array(port.name, value, _lib_type(port))
        tensor = wrap(array)
        try:
            check(_lib.lib.octet_infer_request_set_input(self._live(), port.name.encode(), tensor), f"input '{port.name}'")
        finally:
            _lib.lib.octet_tensor_destroy(tensor)

    def set_inputs(self, inputs: Inputs) -> None:
        """Sets several inputs: a dict name -> array, or a list/tuple of arrays in input order."""
        for key, value in self._model._input_items(inputs):
            self.set_input(key, value)

    def infer(self, inputs: Inputs = None) -> dict[str, np.ndarray]:
        """Sets `inputs` (if given), runs one inference and returns every output as a new numpy
        array, in a dict keyed by output name (the model's outputs first, in order)."""
        if inputs is not None:
            self.set_inputs(inputs)
        check(_lib.lib.octet_infer_request_infer(self._live()), "inference", InputError)
        self._results = {port.name: self.get_output(port.index) for port in self._model.outputs}
        return dict(self._results)

    def get_output(self, key: str | int) -> np.ndarray:
        """Output `key` (name or index) of the last inference, as a new numpy array."""
        port = self._model._output(key)
        tensor = _lib.handle()
        check(
            _lib.lib.octet_infer_request_get_output_by_index(self._live(), port.index, ctypes.byref(tensor)),
            f"output '{port.name}'",
        )
        try:
            return to_numpy(tensor.value, port.name)
        finally:
            _lib.lib.octet_tensor_destroy(tensor.value)

    @property
    def results(self) -> dict[str, np.ndarray]:
        """The outputs of the last infer() (empty before the first)."""
        return dict(self._results)


_TYPE_BY_NAME: dict[str, int] = {}


def _lib_type(port: Port) -> int:
    if not _TYPE_BY_NAME:
        for value in range(1, 17):
            _TYPE_BY_NAME[type_name(value)] = value
    return _TYPE_BY_NAME[port.element_type]


class CompiledModel:
    """A model compiled for one device. Call it with inputs to run one inference; share it across
    threads freely (each concurrent call uses its own infer request)."""

    def __init__(self, handle: int, path: str) -> None:
        self._handle: int | None = handle
        self.path = path
        self.inputs: list[Port] = _ports(
            handle, _lib.lib.octet_compiled_model_input_count, _lib.lib.octet_compiled_model_input, "inputs"
        )
        self.outputs: list[Port] = _ports(
            handle, _lib.lib.octet_compiled_model_output_count, _lib.lib.octet_compiled_model_output, "outputs"
        )
        device, note = ctypes.c_char_p(), ctypes.c_char_p()
        check(_lib.lib.octet_compiled_model_device(handle, ctypes.byref(device), ctypes.byref(note)), "device")
        self.device: str = _lib.text(device.value)
        self.device_note: str = _lib.text(note.value)  # AUTO: why this device
        self._idle: list[InferRequest] = []
        self._lock = threading.Lock()

    def __del__(self) -> None:
        self.close()

    def close(self) -> None:
        """Frees the compiled model now (also done when garbage collected). Requests created from
        it stay usable: the C API keeps what they need alive."""
        for request in getattr(self, "_idle", []):
            request.close()
        self._idle = []
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            _lib.lib.octet_compiled_model_destroy(handle)

    def __enter__(self) -> "CompiledModel":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<CompiledModel {self.path} on {self.device}: inputs {self.inputs}, outputs {self.outputs}>"

    def _live(self) -> int:
        if not self._handle:
            raise InputError("the compiled model is closed")
        return self._handle

    def _input(self, key: str | int) -> Port:
        if isinstance(key, int):
            if not 0 <= key < len(self.inputs):
                raise InputError(f"input index {key} out of range: the model has {len(self.inputs)} inputs")
            return self.inputs[key]
        index = ctypes.c_size_t()
        check(_lib.lib.octet_compiled_model_find_input(self._live(), str(key).encode(), ctypes.byref(index)), "input")
        return self.inputs[index.value]

    def _output(self, key: str | int) -> Port:
        if isinstance(key, int):
            if not 0 <= key < len(self.outputs):
                raise InputError(f"output index {key} out of range: the model has {len(self.outputs)} outputs")
            return self.outputs[key]
        index = ctypes.c_size_t()
        check(_lib.lib.octet_compiled_model_find_output(self._live(), str(key).encode(), ctypes.byref(index)), "output")
        return self.outputs[index.value]

    def _input_items(self, inputs: Inputs) -> Iterable[tuple[str | int, Any]]:
        if inputs is None:
            return []
        if isinstance(inputs, Mapping):
            return list(inputs.items())
        if isinstance(inputs, np.ndarray):  # one array: the only input
            inputs = [inputs]
        items = list(inputs)
        if len(items) != len(self.inputs):
            raise InputError(f"{len(items)} inputs given in a list; the model has {len(self.inputs)}: "
                             + ", ".join(p.name for p in self.inputs))
        return list(enumerate(items))

    def input(self, key: str | int = 0) -> Port:
        """The input `key` addresses: index, or any tensor or Parameter name the C API accepts."""
        return self._input(key)

    def output(self, key: str | int = 0) -> Port:
        """The output `key` addresses: index, tensor name, Result name or "<layer>.<n>"."""
        return self._output(key)

    def create_infer_request(self) -> InferRequest:
        """A new infer request (buffers for one inference at a time)."""
        self._live()
        return InferRequest(self)

    def __call__(self, inputs: Inputs = None) -> dict[str, np.ndarray]:
        """Runs one inference: `inputs` is a dict name -> array or a list of arrays in input order;
        returns a dict output name -> new numpy array. Safe to call from several threads at once."""
        with self._lock:
            request = self._idle.pop() if self._idle else None
        if request is None:
            request = self.create_infer_request()
        try:
            return request.infer(inputs)
        finally:
            with self._lock:
                if self._handle:
                    self._idle.append(request)

    def infer(self, inputs: Inputs = None) -> dict[str, np.ndarray]:
        """The same as calling the model."""
        return self(inputs)

    @property
    def placement(self) -> list[Placement]:
        """Where each node runs and why (fallbacks from the GPU to the CPU carry a note)."""
        handle = self._live()
        count = ctypes.c_size_t()
        check(_lib.lib.octet_compiled_model_assignment_count(handle, ctypes.byref(count)), "placement")
        result = []
        for i in range(count.value):
            a = _lib.NodeAssignment()
            check(_lib.lib.octet_compiled_model_assignment(handle, i, ctypes.byref(a)), "placement")
            result.append(Placement(*(_lib.text(getattr(a, f)) for f, _ in _lib.NodeAssignment._fields_)))
        return result

    @property
    def memory(self) -> dict[str, int]:
        """Weight bytes held on the device and planned activation bytes per request."""
        weights, activations = ctypes.c_uint64(), ctypes.c_uint64()
        check(_lib.lib.octet_compiled_model_memory(self._live(), ctypes.byref(weights), ctypes.byref(activations)),
              "memory")
        return {"weight_bytes": weights.value, "activation_peak_bytes": activations.value}


def compile_model(
    path: PathLike,
    device: str = "GPU",
    precision: str = "fast",
    shapes: Mapping[str, Sequence[int]] | None = None,
    cache_dir: PathLike | None = None,
    config: Mapping[str, Any] | None = None,
) -> CompiledModel:
    """Reads an OpenVINO IR (model.xml, weights in model.bin beside it) and compiles it.

    device: "CPU", "GPU" (= "GPU.0"), "GPU.<n>" or "AUTO" (the first GPU, else the CPU).
    precision: "fast" (int8 kernels where the graph is quantized) or "reference" (spec-exact).
    shapes: {input name: shape} fixing the inputs of a dynamic model before compiling.
    cache_dir: OpenCL program cache folder (default $OCTET_CACHE_DIR or none).
    config: further compile options of octet.h, e.g. {"cpu_fallback": False, "all_layers": True,
        "extra_outputs": ["conv1"], "guard": True, "timeout_ms": 5000, "fp16": True}.

    Raises ModelError (missing file, malformed IR), UnsupportedError, InputError (bad shape or
    option), DeviceError (unknown device, OpenCL failure). The GIL is released while compiling.
    """
    model = _lib.handle()
    path_text = os.fspath(path)
    check(_lib.lib.octet_model_read(path_text.encode(), None, ctypes.byref(model)), path_text, ModelError)
    try:
        for name, shape in (shapes or {}).items():
            dims = [int(d) for d in shape]
            array = (ctypes.c_int64 * max(len(dims), 1))(*dims)
            check(_lib.lib.octet_model_reshape(model.value, str(name).encode(), array, len(dims)), f"shape of '{name}'")
        options = {"precision": precision}
        if cache_dir is not None:
            options["cache_dir"] = os.fspath(cache_dir)
        options.update(config or {})
        encoded = [f"{k}={_option_value(v)}".encode() for k, v in options.items()]
        option_array = (ctypes.c_char_p * (len(encoded) + 1))(*encoded, None)
        compiled = _lib.handle()
        status = _lib.lib.octet_model_compile(model.value, str(device).encode(), option_array, ctypes.byref(compiled))
        # NOT_FOUND at compile is an unknown device; INVALID_ARGUMENT a bad option or shape.
        check(status, f"{path_text} on {device}", DeviceError if status == _lib.NOT_FOUND else InputError)
    finally:
        _lib.lib.octet_model_destroy(model.value)
    return CompiledModel(compiled.value, path_text)
