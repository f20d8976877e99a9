"""octet's exception classes and the mapping from C API status codes to them.

Every exception carries the C API's message (octet_last_error(): file, layer, port, device error)
and the status code it came with, so Python reports exactly what the C API and the CLI report.
"""

from __future__ import annotations

import builtins

from . import _lib


class Error(Exception):
    """Base class of every error octet raises. `status` is the C API's octet_status value (0 for
    errors found in Python before any C call), `status_name` its name ("OCTET_ERROR_MODEL")."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.status_name = _lib.text(_lib.lib.octet_status_string(status)) if status else ""


class ModelError(Error):
    """The model cannot be read: missing file, malformed or inconsistent IR."""


class UnsupportedError(ModelError):
    """A valid model with an op, type or attribute octet cannot run."""


class InputError(Error, ValueError):
    """A bad argument: unknown input or output name, wrong dtype or shape, bad option value."""


class DeviceError(Error):
    """A device failed or does not exist: OpenCL error, device memory, kernel build, device lost,
    timeout."""


class RuntimeError(Error, builtins.RuntimeError):
    """A failure while running: host memory, a busy request, an internal error."""


class RequestBusyError(RuntimeError):
    """The infer request is in use by another thread (requests are single-threaded)."""


_BY_STATUS: dict[int, type[Error]] = {
    _lib.MODEL: ModelError,
    _lib.UNSUPPORTED: UnsupportedError,
    _lib.PARAMETER_MISMATCH: InputError,
    _lib.DEVICE: DeviceError,
    _lib.OUT_OF_DEVICE_MEMORY: DeviceError,
    _lib.KERNEL_BUILD_FAILED: DeviceError,
    _lib.DEVICE_LOST: DeviceError,
    _lib.TIMEOUT: DeviceError,
    _lib.OUT_OF_MEMORY: RuntimeError,
    _lib.REQUEST_BUSY: RequestBusyError,
    _lib.INTERNAL: RuntimeError,
}


def check(status: int, context: str, lookup: type[Error] = InputError) -> None:
    """Raises the Error subclass for `status` unless it is OCTET_OK. NOT_FOUND and INVALID_ARGUMENT
    mean different things per call (a missing model file, an unknown input name, an unknown
    device), so the caller names the class for them in `lookup`."""
    if status == _lib.OK:
        return
    message = _lib.text(_lib.lib.octet_last_error())
    cls = _BY_STATUS.get(status, lookup)
    raise cls(f"{context}: {message}" if context else message, status)
