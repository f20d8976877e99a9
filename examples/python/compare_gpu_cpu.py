"""Compares the GPU against the CPU layer by layer (`octet compare --layers` from Python) and
prints the verdict, the outputs' statistics and the first layer outside tolerance, if any.

    python examples/python/compare_gpu_cpu.py [model.xml]   # default: tests/zoo/cnn_int8
"""

import sys
from pathlib import Path

import octet

root = Path(__file__).resolve().parents[2]
path = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "tests/zoo/cnn_int8/model.xml"
inputs = path.parent / "inputs"  # the zoo's inputs; None would use seeded random inputs

if not any(d.type == "GPU" for d in octet.devices()):
    sys.exit("no OpenCL device: " + octet.device_unavailable_reason())
report = octet.compare(path, device="GPU", reference="CPU", inputs=inputs if inputs.is_dir() else None, layers=True)
print(repr(report))
for row in report.outputs.values():
    print(f"{row.name}: max abs {row.max_abs:.3g}, cosine {row.cosine:.6f}, tol {row.tolerance} -> {row.result}")
print("first divergence:", report.first_divergence["text"])
print(f"{len(report.fallbacks)} nodes fell back to the CPU")
sys.exit(0 if report else 1)
