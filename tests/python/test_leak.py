"""No leak across 200 compile/infer/free cycles: the resident set stays flat."""

from __future__ import annotations

import gc

import numpy as np

import octet
from conftest import ZOO

CYCLES = 200


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def cycle(path, x) -> None:
    model = octet.compile_model(path, device="CPU")
    request = model.create_infer_request()
    request.infer([x])
    request.close()
    model.close()


def test_compile_infer_free_cycles_keep_rss_flat() -> None:
    path = ZOO / "mlp_fp32" / "model.xml"
    shape = octet.compile_model(path, device="CPU").inputs[0].shape
    x = np.ones(shape, np.float32)
    for _ in range(20):  # warm-up: allocator pools, oneDNN primitive caches, thread pools
        cycle(path, x)
    gc.collect()
    before = rss_kib()
    for _ in range(CYCLES):
        cycle(path, x)
    gc.collect()
    grown = rss_kib() - before
    # A leak of one model per cycle (its weights and plans, >= tens of KiB) would add megabytes.
    assert grown < 2048, f"RSS grew by {grown} KiB over {CYCLES} cycles"
