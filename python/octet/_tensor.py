"""Conversions between numpy arrays and octet tensors (octet_tensor_t)."""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np

from . import _lib
from ._errors import InputError, UnsupportedError, check

# octet element type <-> numpy dtype, for every type numpy can hold as is.
_TO_NUMPY = {
    _lib.TYPE_F64: np.dtype(np.float64),
    _lib.TYPE_F32: np.dtype(np.float32),
    _lib.TYPE_F16: np.dtype(np.float16),
    _lib.TYPE_I64: np.dtype(np.int64),
    _lib.TYPE_I32: np.dtype(np.int32),
    _lib.TYPE_I16: np.dtype(np.int16),
    _lib.TYPE_I8: np.dtype(np.int8),
    _lib.TYPE_U64: np.dtype(np.uint64),
    _lib.TYPE_U32: np.dtype(np.uint32),
    _lib.TYPE_U16: np.dtype(np.uint16),
    _lib.TYPE_U8: np.dtype(np.uint8),
    _lib.TYPE_BOOLEAN: np.dtype(np.bool_),
}
_FROM_NUMPY = {dtype: t for t, dtype in _TO_NUMPY.items()}


def type_name(element_type: int) -> str:
    """octet's name of an element type: "f32", "i8", ..."""
    return _lib.text(_lib.lib.octet_element_type_name(element_type))


def numpy_dtype(element_type: int) -> np.dtype | None:
    """The numpy dtype of an octet element type; None for packed and bf16 types."""
    return _TO_NUMPY.get(element_type)


def _loses_data(source: np.ndarray, converted: np.ndarray) -> bool:
    """Whether converting `source` to `converted`'s dtype changed a value beyond float rounding:
    an integer out of range, a fraction dropped, a finite float overflowing."""
    if source.dtype.kind == "f" and converted.dtype.kind == "f":
        return bool(np.any(np.isfinite(source) != np.isfinite(converted)))
    with np.errstate(all="ignore"):
        back = converted.astype(source.dtype)
    if source.dtype.kind in "fc":
        return not np.array_equal(back, source, equal_nan=True)
    return not np.array_equal(back, source)


def as_input_array(name: str, value: Any, element_type: int) -> np.ndarray:
    """`value` as a C-contiguous array of the input's dtype: the array itself when it already is
    one (no copy), else a converted copy; InputError when the conversion would lose data."""
    dtype = _TO_NUMPY.get(element_type)
    if dtype is None:
        raise UnsupportedError(f"input '{name}': element type {type_name(element_type)} has no numpy dtype")
    array = np.asarray(value)
    if array.dtype == dtype:
        return np.ascontiguousarray(array)
    if array.dtype.kind not in "biuf":
        raise InputError(f"input '{name}': numpy dtype {array.dtype} cannot be converted to {type_name(element_type)}")
    if np.can_cast(array.dtype, dtype, casting="safe"):
        return np.ascontiguousarray(array, dtype=dtype)
    with np.errstate(all="ignore"):
        converted = np.ascontiguousarray(array.astype(dtype))
    if _loses_data(array, converted):
        raise InputError(
            f"input '{name}' expects {type_name(element_type)}: converting the given {array.dtype} array "
            f"would change its values (out of range, fractional or overflowing); convert it explicitly"
        )
    return converted


def wrap(array: np.ndarray) -> int:
    """An octet tensor over `array`'s memory (no copy); the caller destroys it before the array
    goes away. The array must be C-contiguous and of a dtype octet has."""
    element_type = _FROM_NUMPY[array.dtype]
    dims = (ctypes.c_int64 * max(array.ndim, 1))(*array.shape)
    tensor = _lib.handle()
    # A zero-size array may have no buffer; octet refuses NULL, so give it a valid dummy address.
    pointer = array.ctypes.data if array.size else ctypes.addressof(ctypes.c_int64())
    check(
        _lib.lib.octet_tensor_create_from_host_ptr(element_type, dims, array.ndim, pointer, ctypes.byref(tensor)),
        "input tensor",
    )
    return tensor.value


def to_numpy(tensor: int, name: str) -> np.ndarray:
    """A new numpy array (owned by the caller) holding a copy of `tensor`'s data."""
    element_type = ctypes.c_int()
    rank = ctypes.c_size_t()
    dims = ctypes.POINTER(ctypes.c_int64)()
    data = ctypes.c_void_p()
    size = ctypes.c_size_t()
    check(_lib.lib.octet_tensor_type(tensor, ctypes.byref(element_type)), f"output '{name}'")
    check(_lib.lib.octet_tensor_shape(tensor, ctypes.byref(rank), ctypes.byref(dims)), f"output '{name}'")
    check(_lib.lib.octet_tensor_data(tensor, ctypes.byref(data)), f"output '{name}'")
    check(_lib.lib.octet_tensor_byte_size(tensor, ctypes.byref(size)), f"output '{name}'")
    dtype = _TO_NUMPY.get(element_type.value)
    if dtype is None:
        raise UnsupportedError(f"output '{name}': element type {type_name(element_type.value)} has no numpy dtype")
    array = np.empty(tuple(dims[i] for i in range(rank.value)), dtype=dtype)
    if array.nbytes != size.value:
        raise InputError(f"output '{name}': {size.value} bytes for shape {array.shape} of {dtype}")
    if size.value:
        ctypes.memmove(array.ctypes.data, data.value, size.value)
    return array
