"""8 Python threads sharing one compiled model give what a sequential run gives, and one request
used from two threads at once is refused (RequestBusyError), never corrupted."""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import octet
from conftest import ZOO

THREADS = 8
RUNS_PER_THREAD = 4


def _check_shared_model(device: str) -> None:
    model = octet.compile_model(ZOO / "cnn_int8" / "model.xml", device=device)
    shape = model.inputs[0].shape
    rng = np.random.default_rng(7)
    inputs = [rng.uniform(-1, 1, shape).astype(np.float32) for _ in range(THREADS * RUNS_PER_THREAD)]
    sequential = [model([x])["prob"].tobytes() for x in inputs]
    start = threading.Barrier(THREADS)

    def worker(t: int) -> list[bytes]:
        start.wait()
        return [model([inputs[t * RUNS_PER_THREAD + k]])["prob"].tobytes() for k in range(RUNS_PER_THREAD)]

    with ThreadPoolExecutor(THREADS) as pool:
        concurrent = [out for outs in pool.map(worker, range(THREADS)) for out in outs]
    assert concurrent == sequential
    assert len(set(sequential)) == len(sequential)  # the inputs differ, so must the outputs


def test_eight_threads_share_a_model_on_the_cpu() -> None:
    _check_shared_model("CPU")


def test_eight_threads_share_a_model_on_the_device(gpu: str) -> None:
    _check_shared_model(gpu)


def test_one_request_two_threads_is_busy_not_corrupt() -> None:
    model = octet.compile_model(ZOO / "real" / "unet_fp32" / "model.xml", device="CPU")
    x = np.ones(model.inputs[0].shape, np.float32)
    request = model.create_infer_request()
    expected = request.infer([x])
    results, errors = [], []

    def worker() -> None:
        for _ in range(20):
            try:
                results.append(request.infer([x]))
            except octet.RequestBusyError as err:
                errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) + len(errors) == 40
    for out in results:
        for name, array in out.items():
            assert array.tobytes() == expected[name].tobytes()
    for err in errors:
        assert err.status_name == "OCTET_ERROR_REQUEST_BUSY"


def test_the_gil_is_free_during_inference() -> None:
    """While one thread is inside one octet inference, Python code runs in another. A thread that
    held the GIL through the C call would leave no timestamp of the other thread in the middle of the
    call (each timestamp is taken with the GIL held; the other thread can only have run up to
    one switch interval, set to 1 ms here, after the call's start time was taken and before its end
    time is)."""
    def one_threaded_inference(side: int) -> tuple[float, float, list[float]]:
        shape = [1, 3, side, side]
        model = octet.compile_model(ZOO / "real" / "unet_fp32" / "model.xml", device="CPU", shapes={"input": shape})
        request = model.create_infer_request()
        request.set_input("input", np.ones(shape, np.float32))
        request.infer()  # the first inference sets up what later ones reuse
        span: list[float] = []
        done = threading.Event()

        def infer_once() -> None:
            span.append(time.perf_counter())
            assert octet._lib.lib.octet_infer_request_infer(request._handle) == 0
            span.append(time.perf_counter())
            done.set()

        ticks: list[float] = []
        interval = sys.getswitchinterval()
        sys.setswitchinterval(0.001)
        try:
            thread = threading.Thread(target=infer_once)
            thread.start()
            while not done.is_set():
                ticks.append(time.perf_counter())
            thread.join()
        finally:
            sys.setswitchinterval(interval)
        return span[0], span[1], ticks

    # The U-Net at the smallest of 128, 256, 512, 1024 pixels square where the inference takes over
    # 50 ms (its time varies several-fold with the machine and its load).
    for side in (128, 256, 512, 1024):
        start, end, ticks = one_threaded_inference(side)
        if end - start > 0.05:
            break
    assert end - start > 0.05, f"the inference ({1000 * (end - start):.1f} ms) was too short to tell"
    # The middle half: after the GIL handover at the start, before the one at the end.
    middle = sum(start + (end - start) / 4 < t < end - (end - start) / 4 for t in ticks)
    assert middle > 100, f"{middle} Python steps ran in the middle of a {1000 * (end - start):.1f} ms inference"
