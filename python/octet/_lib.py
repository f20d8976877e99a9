"""ctypes declarations of octet's C API (runtime/include/octet/octet.h) and the loaded library.

The library is found in this order: $OCTET_LIBRARY (a path to liboctet.so, e.g. a build tree's
build/lib/liboctet.so), then liboctet.so.1 next to this file (what `pip install .` puts there).
ctypes releases the GIL around every foreign call, so compile and inference run without it.
"""

from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, Structure, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint32, c_uint64, c_void_p
from pathlib import Path

# Must match OCTET_ABI_VERSION of octet.h: the structs below mirror that version's layout.
ABI_VERSION = 1

# octet_status values.
OK = 0
INVALID_ARGUMENT = 1
NOT_FOUND = 2
MODEL = 3
UNSUPPORTED = 4
PARAMETER_MISMATCH = 5
DEVICE = 6
OUT_OF_MEMORY = 7
OUT_OF_DEVICE_MEMORY = 8
KERNEL_BUILD_FAILED = 9
DEVICE_LOST = 10
TIMEOUT = 11
REQUEST_BUSY = 12
INTERNAL = 13

# octet_element_type values.
TYPE_F64 = 1
TYPE_F32 = 2
TYPE_F16 = 3
TYPE_BF16 = 4
TYPE_I64 = 5
TYPE_I32 = 6
TYPE_I16 = 7
TYPE_I8 = 8
TYPE_U64 = 9
TYPE_U32 = 10
TYPE_U16 = 11
TYPE_U8 = 12
TYPE_I4 = 13
TYPE_U4 = 14
TYPE_U1 = 15
TYPE_BOOLEAN = 16


class DeviceInfo(Structure):
    _fields_ = [
        ("name", c_char_p),
        ("type", c_int),
        ("full_name", c_char_p),
        ("vendor", c_char_p),
        ("platform", c_char_p),
        ("driver_version", c_char_p),
        ("opencl_c_version", c_char_p),
        ("compute_units", c_uint32),
        ("global_memory_bytes", c_uint64),
        ("max_alloc_bytes", c_uint64),
        ("local_memory_bytes", c_uint64),
        ("fp16", c_int),
        ("int_dot_product", c_int),
        ("dot4", c_int),
    ]


class PortInfo(Structure):
    _fields_ = [("name", c_char_p), ("type", c_int), ("rank", c_size_t), ("dims", POINTER(c_int64))]


class NodeAssignment(Structure):
    _fields_ = [
        ("node_name", c_char_p),
        ("op", c_char_p),
        ("backend", c_char_p),
        ("impl", c_char_p),
        ("precision", c_char_p),
        ("note", c_char_p),
    ]


handle = c_void_p
status = c_int

# name: (restype, argtypes). Every function that returns octet_status is checked by the callers.
_SIGNATURES = {
    "octet_version": (c_char_p, []),
    "octet_abi_version": (c_int, []),
    "octet_status_string": (c_char_p, [c_int]),
    "octet_last_error": (c_char_p, []),
    "octet_element_type_name": (c_char_p, [c_int]),
    "octet_device_count": (status, [POINTER(c_size_t)]),
    "octet_device_get_info": (status, [c_size_t, POINTER(DeviceInfo)]),
    "octet_device_unavailable_reason": (c_char_p, []),
    "octet_model_read": (status, [c_char_p, c_char_p, POINTER(handle)]),
    "octet_model_destroy": (None, [handle]),
    "octet_model_input_count": (status, [handle, POINTER(c_size_t)]),
    "octet_model_input": (status, [handle, c_size_t, POINTER(PortInfo)]),
    "octet_model_reshape": (status, [handle, c_char_p, POINTER(c_int64), c_size_t]),
    "octet_model_compile": (status, [handle, c_char_p, POINTER(c_char_p), POINTER(handle)]),
    "octet_compiled_model_destroy": (None, [handle]),
    "octet_compiled_model_device": (status, [handle, POINTER(c_char_p), POINTER(c_char_p)]),
    "octet_compiled_model_input_count": (status, [handle, POINTER(c_size_t)]),
    "octet_compiled_model_input": (status, [handle, c_size_t, POINTER(PortInfo)]),
    "octet_compiled_model_output_count": (status, [handle, POINTER(c_size_t)]),
    "octet_compiled_model_output": (status, [handle, c_size_t, POINTER(PortInfo)]),
    "octet_compiled_model_find_input": (status, [handle, c_char_p, POINTER(c_size_t)]),
    "octet_compiled_model_find_output": (status, [handle, c_char_p, POINTER(c_size_t)]),
    "octet_compiled_model_assignment_count": (status, [handle, POINTER(c_size_t)]),
    "octet_compiled_model_assignment": (status, [handle, c_size_t, POINTER(NodeAssignment)]),
    "octet_compiled_model_memory": (status, [handle, POINTER(c_uint64), POINTER(c_uint64)]),
    "octet_compiled_model_create_request": (status, [handle, POINTER(handle)]),
    "octet_infer_request_destroy": (None, [handle]),
    "octet_infer_request_set_input": (status, [handle, c_char_p, handle]),
    "octet_infer_request_infer": (status, [handle]),
    "octet_infer_request_get_output_by_index": (status, [handle, c_size_t, POINTER(handle)]),
    "octet_tensor_create_from_host_ptr": (status, [c_int, POINTER(c_int64), c_size_t, c_void_p, POINTER(handle)]),
    "octet_tensor_destroy": (None, [handle]),
    "octet_tensor_data": (status, [handle, POINTER(c_void_p)]),
    "octet_tensor_type": (status, [handle, POINTER(c_int)]),
    "octet_tensor_shape": (status, [handle, POINTER(c_size_t), POINTER(POINTER(c_int64))]),
    "octet_tensor_byte_size": (status, [handle, POINTER(c_size_t)]),
}


def library_path() -> Path:
    """The liboctet this package loads: $OCTET_LIBRARY, else the one installed next to it."""
    override = os.environ.get("OCTET_LIBRARY")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent / "liboctet.so.1"


def _load() -> ctypes.CDLL:
    path = library_path()
    if not path.exists():
        raise ImportError(
            f"octet: the library {path} does not exist (set OCTET_LIBRARY to a built liboctet.so, "
            "or install the package with `pip install .`)"
        )
    lib = ctypes.CDLL(str(path))
    for name, (restype, argtypes) in _SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    abi = lib.octet_abi_version()
    if abi != ABI_VERSION:
        raise ImportError(f"octet: {path} has C ABI version {abi}, this package needs {ABI_VERSION}")
    return lib


lib = _load()


def text(value: bytes | None) -> str:
    """A C string from the library as str ('' for NULL)."""
    return value.decode("utf-8", "replace") if value else ""
