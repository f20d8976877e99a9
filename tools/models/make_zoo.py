#!/usr/bin/env python3
"""Generates the OpenVINO/NNCF model zoo used as independent references by octet's tests: small whole
models (tests/zoo/<name>/), real-architecture models converted from ONNX (tests/zoo/real/<arch>_<form>/),
single-op models (tests/zoo/ops/<case>/) and, with --large, bench models
(tests/zoo/_large/, not committed). Every case holds model.xml/.bin, inputs/*.npy, ref/*.npy (OpenVINO
CPU outputs at f32 precision) and model_info.json. Deterministic: fixed seeds and canonical node names."""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import zoo_check  # noqa: E402
from zoo_common import cpu_has_vnni, versions  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "zoo", help="zoo root directory")
    ap.add_argument("--only", nargs="*", help="generate only these model / op-case names")
    ap.add_argument("--skip-main", action="store_true", help="do not generate the whole models")
    ap.add_argument("--skip-ops", action="store_true", help="do not generate the single-op cases")
    ap.add_argument("--skip-dynamic", action="store_true",
                    help="do not generate the dynamic-shape models (tests/zoo/dynamic)")
    ap.add_argument("--skip-real", action="store_true",
                    help="do not generate the real-architecture models converted from ONNX (tests/zoo/real)")
    ap.add_argument("--real", action="store_true",
                    help="generate only the real-architecture models (same as --skip-main --skip-ops)")
    ap.add_argument("--keep-onnx", type=Path, help="write the real models' ONNX files into this folder")
    ap.add_argument("--large", action="store_true", help="also generate bench models into <out>/_large")
    ap.add_argument("--large-only", action="store_true", help="only generate the bench models")
    ap.add_argument("--large-calib", type=int, default=2, help="calibration samples for --large int8")
    ap.add_argument("--verify", action="store_true",
                    help="regenerate into a temporary folder and compare byte for byte with --out")
    args = ap.parse_args()
    if args.verify:
        return verify(args.out)
    if args.real:
        args.skip_main = args.skip_ops = args.skip_dynamic = True
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    if not cpu_has_vnni():
        print("make_zoo: WARNING: this CPU has no VNNI; OpenVINO's int8 references will carry int16 "
              "saturation of u8*s8 pair sums and differ from exact integer arithmetic", file=sys.stderr)

    if not args.large_only:
        if not args.skip_main:
            import zoo_models
            zoo_models.generate_main(out, args.only)
        if not args.skip_ops:
            import zoo_ops
            zoo_ops.generate_ops(out / "ops", args.only)
        if not args.skip_dynamic:
            import zoo_dynamic
            zoo_dynamic.generate_dynamic(out / "dynamic", args.only)
        if not args.skip_real:
            import zoo_real
            zoo_real.generate_real(out / "real", args.only, args.keep_onnx)
        if not (args.skip_main and args.skip_real):
            import make_literal_refs
            for model_dir in make_literal_refs.int8_models(out):
                if not args.only or model_dir.name in args.only:
                    make_literal_refs.write_literal_reference(model_dir)
        report = zoo_check.check_zoo(out)
        if not args.only:
            (out / "index.json").write_text(json.dumps({"versions": versions(), **report}, indent=1) + "\n")
        if report["unsupported"]:
            print("ops not in host/graph/ops.def:", report["unsupported"], file=sys.stderr)
    if args.large or args.large_only:
        import zoo_large
        zoo_large.generate_large(out / "_large", args.large_calib, args.only)


def verify(committed):
    import filecmp
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, __file__, "--out", tmp], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

        def files(root):
            return {p.relative_to(root).as_posix() for p in Path(root).rglob("*")
                    if p.is_file() and not p.relative_to(root).as_posix().startswith("_large/")}

        a, b = files(committed), files(tmp)
        bad = sorted(a ^ b) + sorted(f for f in a & b if not filecmp.cmp(Path(committed) / f, Path(tmp) / f,
                                                                          shallow=False))
    for f in bad:
        print("differs:", f)
    print(f"{len(a)} files, {len(bad)} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
