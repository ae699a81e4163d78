#!/usr/bin/env python3
"""tests/test_exhaustive_hash.py: the exhaustive results' staleness hash (scripts/exhaustive.py,
kernel_hash) on a scratch copy of kernels/: a change that the float32 kernels of an activation
do not run leaves its hash as it was; a change to code they run, macros included, changes it.
Exit 77 (skipped) without a C preprocessor."""
import os
import shutil
import sys
import tempfile

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SRC, "scripts"))
import exhaustive  # noqa: E402

if shutil.which("cpp") is None:
    print("no cpp: skipped")
    sys.exit(77)

ACTS = ("relu", "softplus", "log_sigmoid", "gelu")
# (what, text in kernels/common.clh, replacement, activations whose hash must change)
CASES = (
    ("a comment", "/* log1p(e^z)/beta for z", "/* LOG1P(e^z)/beta for z", ()),
    ("the half-precision conversion", "#define TO_REAL(r) clact_from_f16(r)",
     "#define TO_REAL(r) clact_from_f16((r) + 0)", ()),
    ("softplus's helper", "realv u = up ? (w - 1.0f) * 0.5f : w;",
     "realv u = up ? (w - 1.0f) * 0.25f : w;", ("softplus", "log_sigmoid")),
    ("the store macro", "#define STOREV(v, p) VSTORE_RAW(TO_RAW(v), p)",
     "#define STOREV(v, p) VSTORE_RAW(TO_RAW((v) + 0), p)", ACTS),
)

failures = 0
with tempfile.TemporaryDirectory() as root:
    shutil.copytree(os.path.join(SRC, "kernels"), os.path.join(root, "kernels"))
    exhaustive.ROOT = root
    prelude = os.path.join(root, "kernels", "common.clh")
    with open(prelude) as f:
        original = f.read()
    base = {a: exhaustive.kernel_hash(a) for a in ACTS}
    for what, old, new, changed in CASES:
        if original.count(old) != 1:
            print(f"FAIL {what}: the text to change is not once in common.clh: {old!r}")
            failures += 1
            continue
        with open(prelude, "w") as f:
            f.write(original.replace(old, new))
        for a in ACTS:
            moved = exhaustive.kernel_hash(a) != base[a]
            ok = moved == (a in changed)
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {what}: {a} {'changed' if moved else 'unchanged'}")
        with open(prelude, "w") as f:
            f.write(original)
    if any(exhaustive.kernel_hash(a) != base[a] for a in ACTS):
        print("FAIL the hash is not a function of the text")
        failures += 1
sys.exit(1 if failures else 0)
