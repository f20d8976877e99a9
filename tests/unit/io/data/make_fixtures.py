"""Writes the small .npy fixtures for tests/unit/io with real numpy (run with /work/main/.venv/bin/python).

The unit tests hard-code the values below, so the files are an independent reference for the
reader (and, byte for byte, for the writer)."""
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))


def save(name, array, version=None):
    path = os.path.join(here, name)
    if version is None:
        np.save(path, array)
    else:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, array, version=version)


save("f8_2x2.npy", np.array([[0.0, -2.5], [1e300, 3.141592653589793]], dtype="<f8"))
save("f4_2x3.npy", (np.arange(6, dtype="<f4") * 0.5 - 1).reshape(2, 3))
save("f2_4.npy", np.array([1.0, -2.0, 0.5, 65504.0], dtype="<f2"))
save("i8_3.npy", np.array([-(2**63), 2**63 - 1, -1], dtype="<i8"))
save("i4_1x2x2.npy", np.array([-(2**31), 2**31 - 1, 0, 7], dtype="<i4").reshape(1, 2, 2))
save("i2_3.npy", np.array([-32768, 32767, -5], dtype="<i2"))
save("i1_scalar.npy", np.array(-7, dtype="i1"))
save("u8_3.npy", np.array([2**64 - 1, 0, 42], dtype="<u8"))
save("u4_2.npy", np.array([2**32 - 1, 1], dtype="<u4"))
save("u2_3.npy", np.array([65535, 0, 300], dtype="<u2"))
save("u1_2x2.npy", np.array([[0, 255], [128, 1]], dtype="u1"))
save("b1_5.npy", np.array([True, False, True, True, False]))
save("f4_0x3.npy", np.zeros((0, 3), dtype="<f4"))
save("i4_2x0.npy", np.zeros((2, 0), dtype="<i4"))
save("f4_2x2_v2.npy", np.array([[1, 2], [3, 4]], dtype="<f4"), version=(2, 0))
save("i2_3_v3.npy", np.array([-1, 0, 1], dtype="<i2"), version=(3, 0))
# Files numpy writes that octet must refuse.
save("bad_fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
save("bad_big_endian.npy", np.array([1, 2], dtype=">i4"))
save("bad_complex.npy", np.array([1j], dtype="<c8"))
