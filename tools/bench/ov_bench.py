#!/usr/bin/env python3
"""octet's CPU backend (via cpu_bench) against OpenVINO's CPU plugin on the same IR, the same machine and
the same thread count, in one run, alternating, with speed ratios for batch-1 latency and throughput.

    .venv/bin/python tools/bench/ov_bench.py --cpu-bench build/bin/cpu_bench [--threads 2]
        [--mode latency|throughput|both] [--rounds 3] [--streams S] [--niter 100] [--time 0] [--warmup 10]
        [--precision fast|reference] [--large] [--real] [--per-layer] [--json FILE] [MODEL_DIR ...]

Both sides read the same model.xml and the same inputs (inputs/*.npy of each zoo case). For every
model and mode there are --rounds rounds, each running OpenVINO and then octet (OV, octet, OV, octet,
...), so that load from other work on the machine falls on both sides alike; each side's figure is
the median over its rounds, and "paired" is the median of the rounds' own ratios (each round's two
sides ran back to back). OpenVINO compiles once per model and mode; octet's side is one cpu_bench
process per round (its compile is not timed).

  latency:    one synchronous request; the median latency of --niter timed runs (and at least --time
              seconds of them) after --warmup.
              OpenVINO: PERFORMANCE_HINT=LATENCY, INFERENCE_NUM_THREADS=--threads.
              octet: cpu_bench --streams 1 with OMP_NUM_THREADS=--threads.
  throughput: --niter inferences in all (and at least --time seconds) over concurrent requests;
              fps = inferences / wall time.
              OpenVINO: PERFORMANCE_HINT=THROUGHPUT, NUM_STREAMS=--streams (default: the thread count,
              one thread per stream), INFERENCE_NUM_THREADS=--threads, an AsyncInferQueue of
              OPTIMAL_NUMBER_OF_INFER_REQUESTS requests, each warmed up --warmup times.
              octet: cpu_bench --streams S with OMP_NUM_THREADS=--threads (one request per stream, run
              by its own thread with --threads / S OpenMP threads); cpu_bench also checks that every
              stream's outputs are byte-equal to a sequential run's. OpenVINO's rate is marked * where
              its requests were busy under 80% of the wall time: on models of tens of microseconds
              Python's dispatch of AsyncInferQueue requests, not the plugin, is then the limit.

--per-layer instead matches octet's per-node times with OpenVINO's profiling info by layer name and
lists the layers more than 3x slower than OpenVINO's, and the worst ten overall (ov_per_layer.py).

The ratio is octet's speed over OpenVINO's in both modes (latency: OV ms / octet ms; throughput:
octet fps / OV fps), so > 1 means octet is faster. OpenVINO runs with INFERENCE_PRECISION_HINT=f32
(octet computes float ops in f32; int8 layers stay int8 on both sides). OpenVINO is a tool-side
dependency only (.venv from tools/setup.sh --python).
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[2]


def zoo_models(large, real=False):
    roots = [ROOT / "tests" / "zoo"] + ([ROOT / "tests" / "zoo" / "real"] if real else []) + \
        ([ROOT / "tests" / "zoo" / "_large"] if large else [])
    dirs = []
    for root in roots:
        if root.exists():
            dirs += sorted(p for p in root.iterdir() if (p / "model.xml").exists())
    return dirs


def ov_inputs(model_dir):
    import openvino as ov

    info = json.loads((model_dir / "model_info.json").read_text())
    return {entry["name"]: ov.Tensor(np.load(model_dir / entry["file"])) for entry in info["inputs"]}


class OvModel:
    """One model compiled for one mode; each call of round() is one timed round."""

    def __init__(self, model_dir, mode, threads, streams):
        import openvino as ov

        config = {"INFERENCE_PRECISION_HINT": "f32"}
        if mode == "latency":
            config["PERFORMANCE_HINT"] = "LATENCY"
        else:
            config["PERFORMANCE_HINT"] = "THROUGHPUT"
            config["NUM_STREAMS"] = streams
        if threads:
            config["INFERENCE_NUM_THREADS"] = threads
        start = time.perf_counter()
        self.compiled = ov.Core().compile_model(str(model_dir / "model.xml"), "CPU", config)
        self.compile_ms = (time.perf_counter() - start) * 1e3
        self.mode = mode
        inputs = ov_inputs(model_dir)
        if mode == "latency":
            self.request = self.compiled.create_infer_request()
            for name, tensor in inputs.items():
                self.request.set_tensor(name, tensor)
        else:
            self.nireq = int(self.compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))
            self.streams = int(self.compiled.get_property("NUM_STREAMS"))
            self.queue = ov.AsyncInferQueue(self.compiled, self.nireq)
            for i in range(len(self.queue)):
                for name, tensor in inputs.items():
                    self.queue[i].set_tensor(name, tensor)
            self.latencies = []
            self.queue.set_callback(lambda request, _: self.latencies.append(request.latency))

    def round(self, niter, seconds, warmup):
        if self.mode == "latency":
            return self._latency(niter, seconds, warmup)
        return self._throughput(niter, seconds, warmup)

    def _latency(self, niter, seconds, warmup):
        for _ in range(warmup):
            self.request.infer()
        times = []
        begin = time.perf_counter()
        while len(times) < niter or time.perf_counter() - begin < seconds:
            start = time.perf_counter()
            self.request.infer()
            times.append((time.perf_counter() - start) * 1e3)
        times.sort()
        return {"median_ms": times[len(times) // 2], "min_ms": times[0], "count": len(times)}

    def _throughput(self, niter, seconds, warmup):
        for _ in range(warmup * len(self.queue)):
            self.queue.start_async()
        self.queue.wait_all()
        self.latencies.clear()
        count = 0
        start = time.perf_counter()
        while count < niter or time.perf_counter() - start < seconds:
            self.queue.start_async()
            count += 1
        self.queue.wait_all()
        wall_ms = (time.perf_counter() - start) * 1e3
        times = sorted(self.latencies)
        fps = 1e3 * count / wall_ms
        # The share of the wall time the requests spent inferring: well under 1 when Python's dispatch
        # of requests, not the plugin, limits OpenVINO's rate (models of tens of microseconds).
        busy = fps * float(np.mean(times)) / (1e3 * self.nireq)
        return {"fps": fps, "wall_ms": wall_ms, "median_ms": times[len(times) // 2], "busy": busy,
                "count": count, "nireq": self.nireq, "streams": self.streams}


def octet_round(cpu_bench, model_dir, mode, threads, streams, niter, seconds, warmup, precision):
    env = dict(os.environ)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    cmd = [str(cpu_bench), "--json", "--precision", precision, "--niter", str(niter), "--time", str(seconds), "--warmup", str(warmup),
           "--streams", str(streams if mode == "throughput" else 1), str(model_dir)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def figure(row, mode):
    return row["median_ms"] if mode == "latency" else row["fps"]


def number(value):
    """Nine characters: ms with three decimals, large fps without."""
    return f"{value:9.3f}" if value < 1e4 else f"{value:9.0f}"


def spread(values):
    """max/min - 1 over the rounds, in percent: how noisy the machine was."""
    return 100 * (max(values) / min(values) - 1)


def bench_model(args, model, mode):
    ov_model = OvModel(model, mode, args.threads, args.streams)
    load = os.getloadavg()[0]  # other work on the machine when the rounds began (1-minute average)
    rounds = []
    for _ in range(args.rounds):
        ov_row = ov_model.round(args.niter, args.time, args.warmup)
        oc_row = octet_round(args.cpu_bench, model, mode, args.threads, args.streams, args.niter, args.time,
                             args.warmup, args.precision)
        rounds.append({"openvino": ov_row, "octet": oc_row})
    ov_values = [figure(r["openvino"], mode) for r in rounds]
    oc_values = [figure(r["octet"], mode) for r in rounds]
    ov_median, oc_median = float(np.median(ov_values)), float(np.median(oc_values))

    def speed(oc, ov):  # octet's speed over OpenVINO's: > 1 when octet is faster
        return ov / oc if mode == "latency" else oc / ov

    # Each round's two sides ran back to back, so their ratio sees the same load on the machine.
    paired = float(np.median([speed(oc, ov) for oc, ov in zip(oc_values, ov_values)]))
    dispatch_bound = mode == "throughput" and float(np.median([r["openvino"]["busy"] for r in rounds])) < 0.8
    last = rounds[-1]["octet"]
    return {"model": model.name, "mode": mode, "unit": "ms" if mode == "latency" else "fps",
            "octet": oc_median, "openvino": ov_median, "ratio": speed(oc_median, ov_median), "paired_ratio": paired,
            "dispatch_bound": dispatch_bound, "octet_spread_pct": spread(oc_values),
            "openvino_spread_pct": spread(ov_values), "ov_compile_ms": ov_model.compile_ms, "load": load,
            "quantized": f"{last['quantized_linear_ops']}/{last['linear_ops']}", "rounds": rounds}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*", type=Path, help="zoo case directories (default: every zoo model)")
    ap.add_argument("--cpu-bench", type=Path, default=ROOT / "build" / "bin" / "cpu_bench")
    ap.add_argument("--threads", type=int, default=0, help="threads for both sides (0: each side's default)")
    ap.add_argument("--mode", choices=["latency", "throughput", "both"], default="both")
    ap.add_argument("--rounds", type=int, default=3, help="alternating OpenVINO/octet rounds per model and mode")
    ap.add_argument("--streams", type=int, default=0,
                    help="throughput streams on both sides (default: --threads, else the CPU count)")
    ap.add_argument("--niter", type=int, default=100, help="timed inferences per round (all streams together)")
    ap.add_argument("--time", type=float, default=0,
                    help="each round also runs at least this many seconds (for models of microseconds)")
    ap.add_argument("--warmup", type=int, default=10, help="untimed inferences per request before each round")
    ap.add_argument("--precision", choices=["fast", "reference"], default="fast", help="octet's precision")
    ap.add_argument("--large", action="store_true", help="also tests/zoo/_large (python tools/models/make_zoo.py --large-only)")
    ap.add_argument("--real", action="store_true", help="also the real-architecture models (tests/zoo/real)")
    ap.add_argument("--per-layer", action="store_true",
                    help="per-layer times against OpenVINO's profiling info instead of whole-model speed")
    ap.add_argument("--json", type=Path, help="also write every row, with each round's figures, to this file")
    args = ap.parse_args()
    if not args.cpu_bench.exists():
        sys.exit(f"ov_bench: {args.cpu_bench} not found (build the cpu_bench target, or pass --cpu-bench)")
    args.streams = args.streams or args.threads or os.cpu_count()
    modes = ["latency", "throughput"] if args.mode == "both" else [args.mode]
    models = args.models or zoo_models(args.large, args.real)
    if args.per_layer:
        return per_layer_main(args, models)
    print(f"threads: {args.threads or 'default'}  throughput streams: {args.streams}  niter: {args.niter}  time: {args.time} s  "
          f"warmup: {args.warmup}  rounds: {args.rounds} (alternating OV, octet)  octet precision: {args.precision}")
    print("latency in ms (median of the per-round medians), throughput in fps (median over rounds); "
          "speed = octet speed / OV speed, > 1: octet faster; paired = median over rounds of each round's speed; spread = max/min - 1 over the rounds; "
          "load = the machine's 1-minute load average as the model's rounds began")
    header = f"{'model':24} {'mode':10} {'octet':>9} {'OV':>9} {'unit':4} {'speed':>6} {'paired':>6}   {'spread octet/OV':>15}  load   quantized"
    print(header)
    print("-" * len(header))
    rows = []
    for model in models:
        for mode in modes:
            try:
                row = bench_model(args, model, mode)
            except Exception as e:  # keep going: one model's failure should not hide the others
                print(f"{model.name:24} {mode:10} error: {e}")
                continue
            rows.append(row)
            mark = "*" if row["dispatch_bound"] else " "
            print(f"{model.name:24} {mode:10} {number(row['octet'])} {number(row['openvino'])}{mark}{row['unit']:4} "
                  f"{row['ratio']:6.2f} {row['paired_ratio']:6.2f}   {row['octet_spread_pct']:6.1f}%/{row['openvino_spread_pct']:5.1f}%  {row['load']:4.1f}   "
                  f"{row['quantized']}")
            sys.stdout.flush()
    if any(r["dispatch_bound"] for r in rows):
        print("* OpenVINO's requests were busy under 80% of the wall time: Python's AsyncInferQueue dispatch, not "
              "the plugin, bounds its throughput there, so that ratio favours octet")
    for mode in modes:
        for label, keep in (("", lambda r: True), (" without *", lambda r: not r["dispatch_bound"])):
            ratios = [r["ratio"] for r in rows if r["mode"] == mode and keep(r)]
            if ratios and (not label or any(r["dispatch_bound"] for r in rows if r["mode"] == mode)):
                geo = float(np.exp(np.mean(np.log(ratios))))
                print(f"geometric mean speed octet/OV, {mode}{label}: {geo:.2f} over {len(ratios)} models "
                      "(> 1: octet faster)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


def per_layer_main(args, models):
    import ov_per_layer

    print(f"per layer, octet precision {args.precision}, threads: {args.threads or 'default'}, fastest of "
          f"{args.niter} runs per node on each side")
    reports = []
    for model in models:
        try:
            report = ov_per_layer.per_layer(args, model)
        except Exception as e:  # keep going: one model's failure should not hide the others
            print(f"{model.name}: error: {e}")
            continue
        reports.append(report)
        ov_per_layer.print_report(report, sys.stdout)
        sys.stdout.flush()
    print(f"\nworst ten layers over all models (octet time / OpenVINO time, layers of >= {ov_per_layer.MIN_US:g} us):")
    for r in ov_per_layer.worst_overall(reports):
        print(f"  {r['model']:22} {r['layer'][:36]:36} {r['ov_type']:14} OV {r['ov_us']:8.1f} us  octet "
              f"{r['octet_us']:8.1f} us  {r['ratio']:6.2f}x  {', '.join(r['octet_nodes'])[:70]}")
    slow = sum(len(r["slow"]) for r in reports)
    print(f"layers more than 3x slower than OpenVINO's (and >= {ov_per_layer.MIN_US:g} us): {slow} over "
          f"{len(reports)} models")
    if args.json:
        args.json.write_text(json.dumps(reports, indent=1))


if __name__ == "__main__":
    main()
