"""octet: run OpenVINO IR models (FP32, FP16-compressed, NNCF INT8/INT4) on OpenCL GPUs and on a
spec-exact oneDNN CPU backend, and compare the two.

    import octet
    print(octet.devices())
    model = octet.compile_model("model.xml", device="GPU")
    outputs = model({"input": image})            # dict name -> numpy array
    report = octet.compare("model.xml", device="GPU", reference="CPU", layers=True)

A thin layer over octet's C API (liboctet, loaded with ctypes; $OCTET_LIBRARY overrides which
file) and, for compare, the octet CLI: behaviour and messages are theirs. Errors raise
octet.Error subclasses. Thread safety: a CompiledModel may be called from many threads at once;
an InferRequest serves one thread at a time; the GIL is released during compile and inference.
"""

from . import _lib
from ._errors import (
    DeviceError,
    Error,
    InputError,
    ModelError,
    RequestBusyError,
    RuntimeError,
    UnsupportedError,
)
from .compare import CompareReport, TensorRow, compare
from .model import (
    CompiledModel,
    Device,
    InferRequest,
    Placement,
    Port,
    compile_model,
    device_unavailable_reason,
    devices,
)

__version__ = "0.1.0"


def library_version() -> str:
    """The version of the liboctet actually loaded ("MAJOR.MINOR.PATCH")."""
    return _lib.text(_lib.lib.octet_version())


__all__ = [
    "CompareReport",
    "CompiledModel",
    "Device",
    "DeviceError",
    "Error",
    "InferRequest",
    "InputError",
    "ModelError",
    "Placement",
    "Port",
    "RequestBusyError",
    "RuntimeError",
    "TensorRow",
    "UnsupportedError",
    "compare",
    "compile_model",
    "device_unavailable_reason",
    "devices",
    "library_version",
]
