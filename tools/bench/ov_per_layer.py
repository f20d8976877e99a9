"""Per-layer times of octet's CPU backend against OpenVINO's CPU plugin (ov_bench.py --per-layer).

OpenVINO side: the model compiled with PERF_COUNT (latency hint, f32 inference precision, the same
thread count), --niter synchronous runs after --warmup; per layer the fastest real_time over the runs
(single runs are noisy on a shared machine). octet side: `cpu_bench -pc --json`, which reports per
node the fastest time over its runs in the same way.

Matching is by layer name. An octet node takes the OpenVINO layer of the same name, else the
OpenVINO layer whose name is the longest '/'-separated prefix of its own (octet names the nodes it
adds after the layer they serve, e.g. `conv1/codes_nhwc`); octet nodes matched to one layer are
summed. OpenVINO fuses some layers into others (status NOT_RUN / OPTIMIZED_OUT, zero time): work
octet does in such a layer has no OpenVINO counterpart and is listed apart, as are OpenVINO-only
layers (its reorders). Totals of both sides come with it, so nothing is hidden.

OpenVINO reports whole microseconds, so a layer under 1 us reads 0: ratios divide by at least 1 us,
and a layer counts as "more than 3x slower" only when octet also spends at least MIN_US on it
(differences of a few microseconds are below what either side's timer resolves).
"""
import json
import os
import subprocess
from pathlib import Path

import numpy as np

RESOLUTION_US = 1.0
MIN_US = 5.0


def openvino_layers(model_dir, threads, niter, warmup):
    import openvino as ov

    config = {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY", "PERF_COUNT": True}
    if threads:
        config["INFERENCE_NUM_THREADS"] = threads
    compiled = ov.Core().compile_model(str(model_dir / "model.xml"), "CPU", config)
    request = compiled.create_infer_request()
    info = json.loads((model_dir / "model_info.json").read_text())
    for entry in info["inputs"]:
        request.set_tensor(entry["name"], ov.Tensor(np.load(model_dir / entry["file"])))
    for _ in range(warmup):
        request.infer()
    layers = {}
    for _ in range(niter):
        request.infer()
        for p in request.get_profiling_info():
            us = p.real_time.total_seconds() * 1e6
            ran = str(p.status).endswith("EXECUTED")
            entry = layers.setdefault(p.node_name, {"type": p.node_type, "exec": p.exec_type, "us": us, "ran": ran})
            entry["us"] = min(entry["us"], us)
    return layers


def octet_nodes(cpu_bench, model_dir, threads, niter, warmup, precision):
    env = dict(os.environ)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    cmd = [str(cpu_bench), "--json", "-pc", "--precision", precision, "--niter", str(niter), "--warmup",
           str(warmup), str(model_dir)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])["nodes"]


def owner(name, ov_names):
    """The OpenVINO layer an octet node belongs to: same name, else the longest '/'-prefix."""
    if name in ov_names:
        return name
    parts = name.split("/")
    for n in range(len(parts) - 1, 0, -1):
        prefix = "/".join(parts[:n])
        if prefix in ov_names:
            return prefix
    return None


def match(ov, nodes):
    rows, octet_only = {}, []
    for node in nodes:
        layer = owner(node["name"], ov)
        if layer is None or not ov[layer]["ran"]:
            octet_only.append({"node": node["name"], "octet_type": node["type"], "octet_exec": node["exec"],
                               "octet_us": node["us"], "openvino": "fused into another layer" if layer else "no layer"})
            continue
        row = rows.setdefault(layer, {"layer": layer, "ov_type": ov[layer]["type"], "ov_exec": ov[layer]["exec"],
                                      "ov_us": ov[layer]["us"], "octet_us": 0.0, "octet_nodes": []})
        row["octet_us"] += node["us"]
        row["octet_nodes"].append(f"{node['name']} ({node['exec']})")
    for row in rows.values():
        row["ratio"] = row["octet_us"] / max(row["ov_us"], RESOLUTION_US)
    ov_only = [{"layer": name, "ov_type": l["type"], "ov_exec": l["exec"], "ov_us": l["us"]}
               for name, l in ov.items() if l["ran"] and name not in rows]
    return sorted(rows.values(), key=lambda r: -r["ratio"]), octet_only, ov_only


def per_layer(args, model_dir, slow_factor=3.0):
    ov = openvino_layers(model_dir, args.threads, args.niter, args.warmup)
    nodes = octet_nodes(args.cpu_bench, model_dir, args.threads, args.niter, args.warmup, args.precision)
    rows, octet_only, ov_only = match(ov, nodes)
    return {"model": model_dir.name, "rows": rows, "octet_only": octet_only, "ov_only": ov_only,
            "octet_total_us": sum(n["us"] for n in nodes),
            "ov_total_us": sum(l["us"] for l in ov.values() if l["ran"]),
            "slow": [r for r in rows if r["ratio"] > slow_factor and r["octet_us"] >= MIN_US]}


def print_report(report, out, top=10):
    m = report["model"]
    print(f"\n{m}: octet {report['octet_total_us'] / 1e3:.3f} ms in all nodes, OpenVINO "
          f"{report['ov_total_us'] / 1e3:.3f} ms in all layers (per-node minima over the runs)", file=out)
    print(f"  {'layer':40} {'OV type/exec':34} {'OV us':>9} {'octet us':>9} {'ratio':>6}  octet nodes", file=out)
    for r in report["rows"][:top]:
        print(f"  {r['layer'][:40]:40} {(r['ov_type'] + '/' + r['ov_exec'])[:34]:34} {r['ov_us']:9.1f} "
              f"{r['octet_us']:9.1f} {r['ratio']:6.2f}  {', '.join(r['octet_nodes'])[:90]}", file=out)
    if report["octet_only"]:
        us = sum(n["octet_us"] for n in report["octet_only"])
        print(f"  octet work with no OpenVINO layer of its own ({len(report['octet_only'])} nodes, {us:.1f} us): "
              + ", ".join(f"{n['node']} {n['octet_us']:.1f}" for n in report["octet_only"][:8]), file=out)
    if report["ov_only"]:
        us = sum(n["ov_us"] for n in report["ov_only"])
        print(f"  OpenVINO-only layers ({len(report['ov_only'])}, {us:.1f} us): "
              + ", ".join(f"{n['layer']} {n['ov_us']:.1f}" for n in report["ov_only"][:8]), file=out)
    print(f"  layers more than 3x slower than OpenVINO's (and >= {MIN_US:g} us): {len(report['slow'])}", file=out)


def worst_overall(reports, n=10):
    rows = [{**r, "model": rep["model"]} for rep in reports for r in rep["rows"] if r["octet_us"] >= MIN_US]
    return sorted(rows, key=lambda r: -r["ratio"])[:n]
