#!/usr/bin/env python3
"""octet CPU (fast int8 mode, via cpu_bench) against OpenVINO's CPU plugin on the zoo models, side by
side in one run, with latency ratios.

    .venv/bin/python tools/bench/ov_bench.py --cpu-bench build/bin/cpu_bench [--threads 1] [--niter 100]
        [--large] [MODEL_DIR ...]

Both sides read the same model.xml and the same inputs (inputs/*.npy of each zoo case), run one
request synchronously and report the median of --niter timed runs after warm-up. OpenVINO runs with
INFERENCE_PRECISION_HINT=f32 (octet computes float ops in f32; int8 layers stay int8 on both sides),
PERFORMANCE_HINT=LATENCY and INFERENCE_NUM_THREADS=--threads; cpu_bench gets OMP_NUM_THREADS=--threads
(oneDNN's OpenMP threads). OpenVINO is a tool-side dependency only (.venv from tools/setup.sh --python).
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def zoo_models(large):
    roots = [ROOT / "tests" / "zoo"] + ([ROOT / "tests" / "zoo" / "_large"] if large else [])
    dirs = []
    for root in roots:
        if root.exists():
            dirs += sorted(p for p in root.iterdir() if (p / "model.xml").exists())
    return dirs


def ov_latency(model_dir, threads, niter, warmup):
    import openvino as ov

    core = ov.Core()
    config = {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY"}
    if threads:
        config["INFERENCE_NUM_THREADS"] = threads
    start = time.perf_counter()
    compiled = core.compile_model(str(model_dir / "model.xml"), "CPU", config)
    compile_ms = (time.perf_counter() - start) * 1e3
    info = json.loads((model_dir / "model_info.json").read_text())
    request = compiled.create_infer_request()
    for entry in info["inputs"]:
        request.set_tensor(entry["name"], ov.Tensor(np.load(model_dir / entry["file"])))
    start = time.perf_counter()
    request.infer()
    first_ms = (time.perf_counter() - start) * 1e3
    for _ in range(warmup):
        request.infer()
    times = []
    for _ in range(niter):
        start = time.perf_counter()
        request.infer()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return {"compile_ms": compile_ms, "first_ms": first_ms, "median_ms": times[len(times) // 2], "min_ms": times[0]}


def octet_latency(cpu_bench, model_dir, threads, niter, warmup, precision):
    env = dict(os.environ)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    cmd = [str(cpu_bench), "--json", "--precision", precision, "--niter", str(niter + warmup), str(model_dir)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*", type=Path, help="zoo case directories (default: every zoo model)")
    ap.add_argument("--cpu-bench", type=Path, default=ROOT / "build" / "bin" / "cpu_bench")
    ap.add_argument("--threads", type=int, default=0, help="threads for both sides (0: each side's default)")
    ap.add_argument("--niter", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--precision", choices=["fast", "reference"], default="fast", help="octet's precision")
    ap.add_argument("--large", action="store_true", help="also tests/zoo/_large (python tools/models/make_zoo.py --large-only)")
    ap.add_argument("--json", type=Path, help="also write the rows to this file")
    args = ap.parse_args()
    if not args.cpu_bench.exists():
        sys.exit(f"ov_bench: {args.cpu_bench} not found (build the cpu_bench target, or pass --cpu-bench)")
    models = args.models or zoo_models(args.large)
    rows = []
    print(f"threads: {args.threads or 'default'}  niter: {args.niter}  octet precision: {args.precision}")
    header = (f"{'model':24} {'octet ms':>9} {'OV ms':>9} {'octet/OV':>8}   {'octet min':>9} {'OV min':>9} {'ratio':>6}"
              f"   {'octet 1st':>9} {'OV 1st':>8}   quantized")
    print(header)
    print("-" * len(header))
    for model in models:
        try:
            ov_row = ov_latency(model, args.threads, args.niter, args.warmup)
            oc_row = octet_latency(args.cpu_bench, model, args.threads, args.niter, args.warmup, args.precision)
        except Exception as e:  # keep going: one model's failure should not hide the others
            print(f"{model.name:24} error: {e}")
            continue
        ratio = oc_row["median_ms"] / ov_row["median_ms"]
        rows.append({"model": model.name, "octet": oc_row, "openvino": ov_row, "ratio": ratio})
        print(f"{model.name:24} {oc_row['median_ms']:9.3f} {ov_row['median_ms']:9.3f} {ratio:8.2f}   "
              f"{oc_row['min_ms']:9.3f} {ov_row['min_ms']:9.3f} {oc_row['min_ms'] / ov_row['min_ms']:6.2f}   "
              f"{oc_row['first_ms']:9.2f} {ov_row['first_ms']:8.2f}   "
              f"{oc_row['quantized_linear_ops']}/{oc_row['linear_ops']}")
        sys.stdout.flush()
    if rows:
        geo = float(np.exp(np.mean([np.log(r["ratio"]) for r in rows])))
        print(f"geometric mean octet/OV median latency ratio: {geo:.2f} (< 1: octet faster)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
