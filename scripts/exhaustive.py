#!/usr/bin/env python3
"""scripts/exhaustive.py: the all-2^32 float32 verification, run a few activations at a time.

Every activation and direction takes 5-8 hours on the 2-core machines this project runs on,
more than one sitting; this script keeps the results of each activation in
docs/exhaustive/<id>.json (the output of `clact check --exhaustive --json <id>` plus the run's
date and the hash of the sources its kernels are built from), skips activations whose result is
current, and writes docs/exhaustive.md, the table of every result, from those files.

  scripts/exhaustive.py run [--build DIR] [--budget MINUTES] [ID...]
      runs the activations given (none: every elementwise activation, in registry order) whose
      result is missing or stale, one at a time, and stops starting new ones once the budget
      (default: none) is spent; then rewrites docs/exhaustive.md.
  scripts/exhaustive.py table [--build DIR]
      only rewrites docs/exhaustive.md (it needs the build for the list of activations).
  scripts/exhaustive.py status [--build DIR]
      prints each activation's state: current, stale (its kernel or the prelude changed since
      the run) or missing.

  scripts/exhaustive.py [--build DIR] --at COMMIT carry ID...
      keeps the results of activations whose kernels changed without changing their results
      (a refactor): the record must be of COMMIT's kernels (its kernel_sha256 is their hash);
      `clact check --exhaustive --digest` then runs exactly the inputs of the exhaustive check
      through COMMIT's kernels and through the working tree's (CLACT_KERNEL_DIR, the same
      build), and `clact check ID` runs the layout checks and a strided check on the working
      tree's. When every row's digest and count agree and that check passes, the record takes
      the current hash and a "carried" entry (date, the commit and hash it came from, the
      results compared, the time). Minutes instead of the hours of a rerun.

  scripts/exhaustive.py migrate [--at COMMIT]
      rewrites results recorded under the first hash scheme (the SHA-256 of kernels/<id>.cl and
      kernels/common.clh) under the current one, from the same files: the working tree's, or
      those of COMMIT where the run was made (results whose first hash does not match them are
      left alone).

A result is current when the hash of the float32 code its kernels are built from equals the one
recorded with it (kernel_sha256). That code is the prelude followed by kernels/<id>.cl,
preprocessed as the host builds it for float32 (-DCLACT_DTYPE_F32=1, every vector width the
checker uses: 1, 2, 4, 8, 16), cut into its top-level definitions, of which only those the
kernels reach are kept: the __kernel functions, every declaration that is not a function
(types, pragmas, constants) and, transitively, the functions these name. So a change to a
prelude helper that an activation does not call, or to the half/bfloat16 code, leaves its result
current; any change to code it runs (macros included: they are expanded) makes it stale. The
input generator kernels/gen_exhaustive.cl is hashed whole. The reference and the checker are not
in the hash: they are held by their own tests (golden vectors, the checker-catches tests); a
change to them calls for a rerun by hand (delete docs/exhaustive/).
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "docs", "exhaustive")
TABLE = os.path.join(ROOT, "docs", "exhaustive.md")


def clact(build):
    return os.path.join(build if os.path.isabs(build) else os.path.join(ROOT, build), "clact")


def activations(build):
    """The elementwise activations, in registry order."""
    out = subprocess.run([clact(build), "list", "--json"], check=True, capture_output=True,
                         text=True).stdout
    return [a["id"] for a in json.loads(out) if a.get("kind") == "elementwise"]


def source_hash(act):
    """The first scheme's hash (whole files); `migrate` and results not yet migrated use it."""
    h = hashlib.sha256()
    for rel in (os.path.join("kernels", act + ".cl"), os.path.join("kernels", "common.clh")):
        with open(os.path.join(ROOT, rel), "rb") as f:
            h.update(rel.encode() + b"\0" + f.read() + b"\0")
    return h.hexdigest()


WIDTHS = (1, 2, 4, 8, 16)
TOKEN = re.compile(r"[A-Za-z_]\w*|\.?\d(?:[eEpP][+-]|[\w.])*|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|\S")


def preprocess(act, width, defaults=True):
    """The float32 program's text after the preprocessor, as the host builds it on PoCL (which
    divides correctly rounded: CLACT_CR_DIVIDE) for the default parameters (CLACT_DEFAULT_PARAMS,
    host/program.c: what the sweep over every input runs) or for other ones."""
    parts = []
    for name in ("common.clh", act + ".cl"):
        with open(os.path.join(ROOT, "kernels", name)) as f:
            parts.append(f.read())
    p = subprocess.run(["cpp", "-P", "-undef", "-nostdinc", "-x", "c", "-DCLACT_DTYPE_F32=1",
                        f"-DCLACT_VW={width}", "-DCLACT_BLEND=0", "-DCLACT_BIAS=0",
                        "-DCLACT_CR_DIVIDE=1"] + (["-DCLACT_DEFAULT_PARAMS=1"] if defaults else [])
                       + ["-"],
                       input="\n".join(parts), capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"cpp failed on kernels/{act}.cl (width {width}):\n{p.stderr}")
    return p.stdout


def top_level_items(text):
    """(name, is_function, tokens) for each top-level definition or declaration; directive
    lines the preprocessor keeps (#pragma) are items of their own."""
    items, cur, depth = [], [], 0
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            items.append((None, False, line.split()))
            continue
        for tok in TOKEN.findall(line):
            cur.append(tok)
            if tok == "{":
                depth += 1
            elif tok == "}":
                depth -= 1
            if depth != 0 or tok not in ("}", ";"):
                continue
            head = cur[:cur.index("{")] if "{" in cur else cur
            is_fn = "(" in head and "=" not in head[:head.index("(")]
            if tok == "}" and not is_fn:
                continue  # a struct or an initialiser: the item ends at its ';'
            name = head[head.index("(") - 1] if is_fn and head.index("(") > 0 else None
            items.append((name, is_fn and "__kernel" not in head and "kernel" not in head, cur))
            cur = []
    if cur or depth:
        raise RuntimeError("unbalanced braces in the preprocessed kernel")
    return items


def reachable_tokens(text):
    """The tokens of the items the kernels reach, in source order."""
    items = top_level_items(text)
    by_name = {}
    for i, (name, is_fn, _) in enumerate(items):
        if is_fn:
            by_name.setdefault(name, []).append(i)
    keep = {i for i, (_, is_fn, _) in enumerate(items) if not is_fn}
    todo = list(keep)
    while todo:
        for tok in items[todo.pop()][2]:
            for j in by_name.get(tok, ()):
                if j not in keep:
                    keep.add(j)
                    todo.append(j)
    return [tok for i in sorted(keep) for tok in items[i][2]]


def kernel_hash(act):
    h = hashlib.sha256()
    for width in WIDTHS:
        h.update(f"width {width}\0".encode())
        tokens = reachable_tokens(preprocess(act, width))
        h.update(" ".join(tokens).encode() + b"\0")
        # a kernel with a path of its own for the default parameters: the general path too (the
        # run checks the registry's other parameter sets with it); unchanged hashes otherwise
        general = reachable_tokens(preprocess(act, width, defaults=False))
        if general != tokens:
            h.update(b"general\0" + " ".join(general).encode() + b"\0")
    with open(os.path.join(ROOT, "kernels", "gen_exhaustive.cl"), "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def result_path(act):
    return os.path.join(RESULTS, act + ".json")


def load(act):
    try:
        with open(result_path(act)) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def state(act):
    r = load(act)
    if r is None:
        return "missing"
    if "kernel_sha256" in r:
        return "current" if r["kernel_sha256"] == kernel_hash(act) else "stale"
    return "current" if r.get("source_sha256") == source_hash(act) else "stale"


def kernels_at(at):
    """A temporary folder holding COMMIT's kernels/ (git archive)."""
    tmp = tempfile.mkdtemp()
    tar = subprocess.run(["git", "-C", ROOT, "archive", at, "kernels"], check=True,
                         capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", tmp], input=tar, check=True)
    return tmp


def hash_in(act, root):
    """kernel_hash of the kernels under root/kernels."""
    global ROOT
    here, ROOT = ROOT, root
    try:
        return kernel_hash(act)
    finally:
        ROOT = here


def digests(build, act, kernel_dir):
    """[(direction, dtype, count, digest)] of `clact check --exhaustive --digest` with the
    kernels of kernel_dir."""
    env = dict(os.environ, CLACT_KERNEL_DIR=kernel_dir)
    p = subprocess.run([clact(build), "check", "--exhaustive", "--digest", "--json", act],
                       env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"clact check --digest {act} exited {p.returncode}:\n{p.stderr}")
    return [(r["direction"], r["dtype"], r["count"], r["digest"])
            for r in json.loads(p.stdout)["results"]]


def carry(build, acts, at):
    """Records of `at`'s kernels kept for the working tree's where the results are the same bits
    on every input of the exhaustive check (see the module's help). Returns True when every
    activation given ended current."""
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", at], check=True, capture_output=True,
                            text=True).stdout.strip()
    src = kernels_at(commit)
    try:
        ok = carry_each(build, acts, at, commit, src)
    finally:
        shutil.rmtree(src)
    return ok


def carry_each(build, acts, at, commit, src):
    ok = True
    for act in acts:
        r, st = load(act), state(act)
        if st == "current":
            print(f"{act}: current, nothing to carry")
            continue
        if r is None or "kernel_sha256" not in r or r["kernel_sha256"] != hash_in(act, src):
            print(f"{act}: no record of {at}'s kernels: not carried (run it)")
            ok = False
            continue
        t0 = time.time()
        old = digests(build, act, os.path.join(src, "kernels"))
        new = digests(build, act, os.path.join(ROOT, "kernels"))
        if old != new:
            diff = [f"{o[0]} {o[1]}" for o, n in zip(old, new) if o != n] or ["the rows"]
            print(f"{act}: results differ from {at}'s ({', '.join(diff)}): not carried (run it)")
            ok = False
            continue
        env = dict(os.environ, CLACT_KERNEL_DIR=os.path.join(ROOT, "kernels"))
        p = subprocess.run([clact(build), "check", act], env=env, capture_output=True, text=True)
        if p.returncode != 0:
            print(f"{act}: clact check failed on the working tree's kernels:\n{p.stdout}")
            ok = False
            continue
        wall = time.time() - t0
        r.setdefault("carried", []).append({
            "date": datetime.date.today().isoformat(),
            "from_commit": commit,
            "from_kernel_sha256": r["kernel_sha256"],
            "rows": len(new),
            "results": sum(c for _, _, c, _ in new),
            "wall_s": round(wall, 1),
        })
        r["kernel_sha256"] = kernel_hash(act)
        with open(result_path(act), "w") as f:
            json.dump(r, f, indent=1)
            f.write("\n")
        print(f"{act}: carried from {commit[:12]} ({len(new)} rows, "
              f"{sum(c for _, _, c, _ in new)} results bit-identical) in {wall:.0f} s", flush=True)
    return ok


def migrate(build, at=None):
    """Results of the first scheme get the current scheme's hash of the same files: the working
    tree's, or with `at` those of that commit (a run made there, recorded later)."""
    global ROOT
    acts, here = activations(build), ROOT
    tmp = kernels_at(at) if at else None
    if tmp:
        ROOT = tmp
    try:
        hashes = {}
        for act in acts:
            r = load(act)
            if (r is not None and "kernel_sha256" not in r
                    and r.get("source_sha256") == source_hash(act)):
                hashes[act] = kernel_hash(act)
    finally:
        ROOT = here
        if tmp:
            shutil.rmtree(tmp)
    for act, sha in hashes.items():
        r = load(act)
        del r["source_sha256"]
        r = {"id": r["id"], "date": r["date"], "kernel_sha256": sha, **r}
        with open(result_path(act), "w") as f:
            json.dump(r, f, indent=1)
            f.write("\n")
        print(f"{act}: migrated")


def run_one(build, act):
    """Runs the exhaustive check of one activation; returns True when it passed."""
    sha = kernel_hash(act)
    t0 = time.time()
    p = subprocess.run([clact(build), "check", "--exhaustive", "--json", act],
                       capture_output=True, text=True)
    wall = time.time() - t0
    if p.returncode not in (0, 1):  # 1: a check failed, still a result to keep
        sys.stderr.write(f"{act}: clact check exited {p.returncode}\n{p.stderr}")
        return False
    report = json.loads(p.stdout)
    record = {
        "id": act,
        "date": datetime.date.today().isoformat(),
        "kernel_sha256": sha,
        "wall_s": round(wall, 1),
        "report": report,
    }
    os.makedirs(RESULTS, exist_ok=True)
    with open(result_path(act), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print(f"{act}: {'passed' if p.returncode == 0 else 'FAILED'} in {wall:.0f} s", flush=True)
    return p.returncode == 0


def fmt_num(v):
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return f"{v:.9g}"


PYTORCH = os.path.join(ROOT, "docs", "pytorch.md")


def pytorch_cells():
    """{(activation, direction): cell} of docs/pytorch.md's table (bench/compare_pytorch
    --markdown: PyTorch's float32 formulas measured in clact's units), and its stride."""
    cells, cols, stride = {}, None, None
    try:
        with open(PYTORCH) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return cells, stride
    for line in lines:
        m = re.search(r"every (\d+)(?:-th|th) float32", line)
        if m and stride is None:
            stride = int(m.group(1))
        if not line.startswith("|"):
            cols = None  # a table ends; the next one has its own header
            continue
        row = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]  # not at \|
        if row[0] == "activation":
            cols = row
        elif cols and not row[0].startswith("---") and len(row) == len(cols):
            for d, name in (("forward", "PyTorch fwd: max ulp (at x)"),
                            ("backward", "PyTorch bwd: max (at x)")):
                if name in cols:
                    cells[(row[0], d)] = row[cols.index(name)]
    return cells, stride


def write_table(build):
    acts = activations(build)
    torch, stride = pytorch_cells()
    rows, pending, seconds = [], [], 0.0
    for act in acts:
        r, st = load(act), state(act)
        if r is None or st != "current":
            pending.append(f"{act} ({st})")
            continue
        seconds += r["wall_s"]
        for res in r["report"]["results"]:
            if res.get("dtype", "f32") != "f32":
                continue
            w = res.get("worst", {})
            d = res.get("direction")
            at = ("y = " if d == "backward_from_y" else "x = ") + fmt_num(w.get("x"))
            if d != "forward" and w.get("dy") is not None:
                at += ", dy = " + fmt_num(w.get("dy"))
            err = res.get("max_error")
            bound = "bit-exact" if res.get("bit_exact") else f"≤ {fmt_num(res.get('bound'))}"
            if d == "forward" and not res.get("bit_exact"):
                bound += " ulp"
            hist = "{" + ", ".join(str(v) for v in res.get("histogram", [])) + "}"
            run = r["date"]
            if r.get("carried"):
                run += f" (kept {r['carried'][-1]['date']}: same bits, `carry`)"
            rows.append(f"| {act} | {d} | {bound} | "
                        f"{fmt_num(err)} | {torch.get((act, d), '–')} | {at} | "
                        f"{res.get('count')} | {res.get('failures')} | {hist} | {run} |")
    with open(TABLE, "w") as f:
        f.write("# Every float32 input: the exhaustive verification\n\n")
        f.write("Generated by `scripts/exhaustive.py table` from docs/exhaustive/*.json, the "
                "output of `clact check --exhaustive --json ID` (PoCL 3.1 on this project's "
                "2-core machine): all 2^32 float32 inputs forward; backward and from y over the "
                "2^32 inputs twice (dy = 1 and a pseudo-random dy per input); plus the "
                "registry's other parameter sets, the edge lists, random inputs and the layout "
                "checks. Forward errors in ulp; backward in units of ulp(dx_ref) + u|dy|M(x) "
                "(docs/accuracy.md). A row is listed only while the float32 code its kernels run "
                "(kernels/ID.cl and the prelude helpers it reaches, preprocessed) is unchanged "
                "since the run (its SHA-256 is kept with the result; scripts/exhaustive.py), or "
                "was shown to give the same bits on every input of the run (`exhaustive.py "
                "carry`: `clact check --exhaustive --digest` through both versions; the row then "
                "says when it was kept). The PyTorch column is PyTorch's float32 formula for the "
                "same function and direction where PyTorch has one (its backward with dy = 1, from "
                "y where PyTorch computes it so), measured in the same units by "
                "`bench/compare_pytorch` against the same reference"
                + (f", over every {stride}th float32 pattern" if stride and stride > 1 else "")
                + " ([pytorch.md](pytorch.md)).\n\n")
        f.write(f"{len(acts) - len(pending)} of {len(acts)} activations verified, "
                f"{seconds / 3600:.1f} hours of wall time on the shared machine.\n\n")
        f.write("| activation | direction | bound | max error | PyTorch's formula: max (at) | at "
                "| results | failures | histogram {0, ≤0.5, ≤1, ≤2, ≤4, >4} | run |\n")
        f.write("|---|---|---|---|---|---|---|---|---|---|\n")
        f.write("\n".join(rows) + ("\n" if rows else ""))
        f.write("\nNot yet verified over all inputs (missing: never run; stale: the kernel or "
                "the prelude code it reaches changed since): " + (", ".join(pending) or "none") + ".\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["run", "table", "status", "migrate", "carry"])
    ap.add_argument("ids", nargs="*")
    ap.add_argument("--build", default="build")
    ap.add_argument("--budget", type=float, default=0.0, help="minutes; 0 = no limit")
    ap.add_argument("--at", help="migrate, carry: the commit whose kernels the runs used")
    a = ap.parse_intermixed_args()  # options before or after the command and its ids
    if a.command == "status":
        for act in activations(a.build):
            print(act, state(act))
        return 0
    if a.command == "migrate":
        migrate(a.build, a.at)
        write_table(a.build)
        return 0
    if a.command == "carry":
        if not a.at or not a.ids:
            ap.error("carry needs --at COMMIT (before the command) and the activations")
        ok = carry(a.build, a.ids, a.at)
        write_table(a.build)
        return 0 if ok else 1
    if a.command == "run":
        acts = a.ids or activations(a.build)
        t0, ok = time.time(), True
        for act in acts:
            if state(act) == "current":
                continue
            if a.budget and time.time() - t0 > a.budget * 60:
                print(f"budget spent; stopping before {act}")
                break
            ok = run_one(a.build, act) and ok
            write_table(a.build)
        write_table(a.build)
        return 0 if ok else 1
    write_table(a.build)
    return 0


if __name__ == "__main__":
    sys.exit(main())
