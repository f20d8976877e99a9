#!/usr/bin/env python3
"""Writes docs/op-coverage.md: for every op version octet implements (host/graph/ops.def), which kernel
runs it on the CPU backend (oneDNN, octet's own, or the spec-exact reference) and on the OpenCL device
(or why it falls back to the CPU), as octet itself reports when it compiles the OpenVINO-generated zoo
cases (`octet info -m CASE -d DEVICE --json`), or that octet folds it at compile time (when no case runs it
but cases hold it in their IR while neither placement report has a node of it: its inputs were constants
or static shapes); then every OpenVINO opset op octet does not implement, with the reason from
host/graph/declined_ops.def where there is one. Nothing in the table is written by hand: rerun after
changing ops or kernels.

Usage: tools/coverage/op_coverage.py [--octet build/bin/octet] [--out docs/op-coverage.md] [--jobs 2]"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def read_ops_def():
    """[(enum name, IR type, [versions])] for every op an IR can name."""
    ops = []
    text = (ROOT / "host/graph/ops.def").read_text()
    for m in re.finditer(r'^OCTET_OP\((\w+), "([^"]*)", "([^"]*)", \w+\)', text, re.M):
        if m.group(3):
            ops.append((m.group(1), m.group(2), [int(v) for v in m.group(3).split(",")]))
    return ops


def read_openvino_ops():
    """{type: [(version, opsets text)]} from OpenVINO's opset tables."""
    rows = defaultdict(list)
    for m in re.finditer(r'^OCTET_OV_OP\("(\w+)", (\d+), "([^"]*)"\)',
                         (ROOT / "host/graph/openvino_opsets.def").read_text(), re.M):
        rows[m.group(1)].append((int(m.group(2)), m.group(3)))
    return rows


def read_declined():
    text = (ROOT / "host/graph/declined_ops.def").read_text()
    return {m.group(1): m.group(2) for m in re.finditer(r'OCTET_DECLINED\("(\w+)",\s*"((?:[^"\\]|\\.)*)"', text)}


def placement(octet, model, device):
    env = dict(os.environ)
    proc = subprocess.run([octet, "info", "-m", str(model), "-d", device, "--json"], capture_output=True,
                          text=True, env=env, timeout=600)
    if proc.returncode != 0:
        return None, proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"
    info = json.loads(proc.stdout)
    return info, None


def classify_cpu(kernel):
    if kernel == "ref":
        return "reference"
    if kernel.startswith("onednn") or kernel.startswith("dnnl"):
        return "oneDNN"
    return "octet"


TYPE_TOKEN = re.compile(r"(?<![a-z0-9])(boolean|bf16|f16|f32|f64|[iu](?:4|8|16|32|64))(?![a-z0-9])")


def condense_gpu(entries):
    """One cell per op: kernels that differ only by element types are one line with a variant count,
    and the type declines of the float kernels are one line listing the types."""
    kernels, type_declines, other = {}, {}, set()
    for e in entries:
        m = re.match(r"CPU fallback: (input \d+|output) is (\w+), (OpenCL float kernels (?:take|write) f32)$", e)
        if m:
            type_declines.setdefault(m.group(3), set()).add(m.group(2))
        elif e.startswith("OpenCL "):
            kernels.setdefault(TYPE_TOKEN.sub("{T}", e[len("OpenCL "):]), set()).add(e[len("OpenCL "):])
        else:
            other.add(e)
    cells = []
    for pattern, names in sorted(kernels.items()):
        cells.append("OpenCL " + (", ".join(sorted(names)) if len(names) <= 3
                                  else f"{pattern} ({len(names)} type variants)"))
    cells += sorted(other)
    for reason, types in sorted(type_declines.items()):
        cells.append(f"CPU fallback for {', '.join(sorted(types))} ({reason})")
    return "; ".join(cells)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--octet", default=str(ROOT / "build/bin/octet"))
    ap.add_argument("--out", default=str(ROOT / "docs/op-coverage.md"))
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    cases = json.loads((ROOT / "tests/zoo/ops/cases.json").read_text())["cases"]
    models = [(name, ROOT / "tests/zoo/ops" / name / "model.xml") for name in cases]

    # (op name, version) -> {"cases": n, "cpu": {class: set(kernels)}, "gpu": {kernel or reason}}
    seen = defaultdict(lambda: {"cases": set(), "cpu": defaultdict(set), "gpu": set(), "gpu_cases": 0,
                                "folded": set()})
    failures = []

    def survey(item):
        name, xml = item
        cpu, cpu_err = placement(args.octet, xml, "CPU")
        gpu, gpu_err = placement(args.octet, xml, "GPU")
        return name, cpu, cpu_err, gpu, gpu_err

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for name, cpu, cpu_err, gpu, gpu_err in pool.map(survey, models):
            if cpu is None:
                failures.append(f"{name}: CPU: {cpu_err}")
                continue
            versions = {(o["op"], o["version"]) for o in cpu["op_versions"]}
            by_op = defaultdict(set)
            for op, v in versions:
                by_op[op].add(v)
            for node in cpu["placement"]:
                for v in by_op.get(node["op"], []):
                    entry = seen[(node["op"], v)]
                    entry["cases"].add(name)
                    entry["cpu"][classify_cpu(node["kernel"])].add(node["kernel"])
            if gpu is None:
                failures.append(f"{name}: GPU: {gpu_err}")
                continue
            # In the IR, on no device: folded into a constant before kernels were chosen.
            placed = {node["op"] for node in cpu["placement"]} | {node["op"] for node in gpu["placement"]}
            for op, v in versions:
                if op not in placed:
                    seen[(op, v)]["folded"].add(name)
            for node in gpu["placement"]:
                for v in by_op.get(node["op"], []):
                    entry = seen[(node["op"], v)]
                    if node["backend"].startswith("GPU"):
                        entry["gpu"].add("OpenCL " + node["kernel"])
                    else:
                        note = node.get("note", "")
                        reason = note.split(": ", 1)[1] if ": " in note else note
                        entry["gpu"].add("CPU fallback: " + reason.split(";")[0])

    ops = read_ops_def()
    ov_ops = read_openvino_ops()
    declined = read_declined()
    implemented_types = {ir.lower() for _, ir, _ in ops} | {name.lower() for name, _, _ in ops}

    lines = ["# Op coverage", "",
             "Generated by `tools/coverage/op_coverage.py` from octet's own placement report (`octet info -m CASE "
             "-d CPU|GPU --json`) on every OpenVINO-generated single-op case in tests/zoo/ops, so it shows what the "
             "code does, not what it intends. CPU: the kernel kinds the fast precision chose (oneDNN, octet's own, "
             "or the spec-exact reference evaluator; every op also has the reference). OpenCL: the kernels PoCL ran, "
             "or the reason a node fell back to the CPU (a fallback may depend on the attributes or types of a "
             "case). \"Folded at compile time (constant inputs)\": the cases hold the op in their IR, but octet "
             "computes it while compiling (its inputs are constants or static shapes), so no kernel runs it. "
             "Do not edit by hand.", "",
             "| Op | Version | Zoo cases | CPU (fast precision) | OpenCL |", "|---|---|---|---|---|"]
    no_case = []
    for name, ir_type, versions in ops:
        for v in versions:
            e = seen.get((name, v)) or seen.get((ir_type, v))  # MVN1 reports itself as MVN
            if not e or not e["cases"]:
                if name in ("Parameter", "Result", "Constant"):
                    lines.append(f"| {name} | {v} | — | graph structure (no kernel) | graph structure (no kernel) |")
                elif name == "ShapeOf":  # static shapes: always folded to a constant before kernels are chosen
                    lines.append(f"| {name} | {v} | — | folded at compile time | folded at compile time |")
                elif e and e["folded"]:  # every case that holds it lets octet fold it
                    folded = "folded at compile time (constant inputs)"
                    lines.append(f"| {name} | {v} | {len(e['folded'])} | {folded} | {folded} |")
                else:
                    no_case.append(f"{name}-{v}")
                    lines.append(f"| {name} | {v} | 0 | reference (no zoo case) | — |")
                continue
            cpu = "; ".join(f"{k} ({', '.join(sorted(ks))})" if k != "reference" else "reference"
                            for k, ks in sorted(e["cpu"].items()))
            gpu = condense_gpu(e["gpu"]) or "—"
            lines.append(f"| {name} | {v} | {len(e['cases'])} | {cpu} | {gpu} |")
    lines += ["", "## OpenVINO opset ops octet does not implement", "",
              "From OpenVINO's opset tables (host/graph/openvino_opsets.def). A reason comes from "
              "host/graph/declined_ops.def (octet's IR reader gives the same reason when it refuses the op); "
              "no reason means not implemented yet.", "", "| Op | OpenVINO versions (opsets) | Reason |", "|---|---|---|"]
    for ov_type in sorted(ov_ops, key=str.lower):
        if ov_type.lower() in implemented_types:
            continue
        vers = ", ".join(f"{v} ({o})" for v, o in sorted(ov_ops[ov_type]))
        lines.append(f"| {ov_type} | {vers} | {declined.get(ov_type, 'not implemented yet')} |")
    if failures:
        lines += ["", "## Cases octet could not compile", ""] + [f"- {f}" for f in failures]
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}: {sum(len(v) for _, _, v in ops)} op versions, {len(no_case)} without a zoo case, "
          f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
