"""Checks the generated zoo against octet's op list: every (type, version) written in any model.xml must be
an op that host/graph/ops.def declares, in a version it knows."""

import re
from pathlib import Path

from zoo_common import xml_type_versions

OPS_DEF = Path(__file__).resolve().parents[2] / "host" / "graph" / "ops.def"


def known_ops(path=OPS_DEF):
    ops = {}
    for m in re.finditer(r'OCTET_OP\(\s*\w+\s*,\s*"([^"]*)"\s*,\s*"([^"]*)"\s*,\s*\w+\s*\)', path.read_text()):
        if m.group(1) and re.fullmatch(r"[\d,\s]+", m.group(2)):
            ops.setdefault(m.group(1).lower(), []).extend(int(v) for v in m.group(2).split(","))
    return ops


def supported(type_version, ops):
    t, _, v = type_version.partition("/")
    versions = ops.get(t.lower())
    m = re.fullmatch(r"opset(\d+)", v)
    # OpenVINO's serializer writes each op version as the opset that introduced it, which is how
    # ops.def names the versions octet implements.
    return bool(versions and m and int(m.group(1)) in versions)


def check_zoo(root):
    root = Path(root)
    ops = known_ops()
    models, union = {}, {}
    for xml in sorted(root.rglob("model.xml")):
        rel = xml.parent.relative_to(root).as_posix()
        if rel.startswith("_large"):
            continue
        pairs = xml_type_versions(xml)
        models[rel] = pairs
        for k, n in pairs.items():
            union[k] = union.get(k, 0) + n
    unsupported = sorted({k: 0 for k in union if not supported(k, ops)})
    return {"models": {k: v for k, v in models.items() if not k.startswith("ops/")},
            "type_versions": dict(sorted(union.items())), "unsupported": unsupported}
