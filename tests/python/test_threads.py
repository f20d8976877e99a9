"""8 Python threads sharing one compiled model give what a sequential run gives, and one request
used from two threads at once is refused (RequestBusyError), never corrupted."""

from __future__ import annotations

import threading
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
