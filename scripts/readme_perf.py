#!/usr/bin/env python3
"""scripts/readme_perf.py RAW_DIR [README.md]: the README's performance table, from the files
scripts/perf-report.sh writes into RAW_DIR (f32.json: clact bench --json; onednn.txt:
bench/compare_onednn, optional). Rewrites the lines between <!-- perf-table --> and
<!-- /perf-table --> in README.md; everything else is left as it is.

Rows: every activation oneDNN also has (its ratio from compare_onednn's interleaved rounds) and
the bandwidth-bound ones (perf_report.CHEAP: their target is 0.9 of copy), forward and backward;
GB/s and the ratio to copy from clact bench, whose every row is measured right after a copy
kernel of the same size."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import perf_report  # noqa: E402  (the loaders and the CHEAP set)

BEGIN, END = "<!-- perf-table -->", "<!-- /perf-table -->"


def table(raw):
    f32 = perf_report.load(raw, "f32.json")
    if not f32:
        sys.exit("readme_perf: no f32.json in " + raw)
    dn, header = perf_report.onednn(raw)
    out = [f"Measured on {f32['device']} ({f32.get('platform', '?')} {f32['driver']}, vector width "
           f"{f32.get('vector_width', '?')}), float32, "
           f"n = {f32['results'][0]['n'] if f32['results'] else 0}: `clact bench --json` and "
           "`bench/compare_onednn` (steps 1 and 5 of scripts/perf-report.sh)"
           + (f"; oneDNN: `{header}`" if header else "; oneDNN not measured (libdnnl-dev absent)")
           + ". Each ratio compares two figures of one run (the machine is shared and noisy).",
           "",
           "| activation | direction | G elem/s | GB/s | x copy | x oneDNN |",
           "|---|---|---|---|---|---|"]
    for r in f32["results"]:
        key = (r["activation"], r["direction"])
        if key not in dn and r["activation"] not in perf_report.CHEAP:
            continue
        if r["activation"] == "identity":
            continue
        vs = dn.get(key)
        out.append(f"| {r['activation']} | {r['direction']} | {r['gelem_per_s']:.2f} | "
                   f"{r['gb_per_s']:.1f} | {r['ratio_to_copy']:.2f} | "
                   f"{perf_report.fmt(vs[2] if vs else None)} |")
    out += sixteen_bit(raw)
    return out


def sixteen_bit(raw):
    """The half and bfloat16 rows of dtypes.json (relu: bound by memory; gelu, silu: by
    arithmetic): G elements/s, the ratio to the copy kernel of the same dtype, and to float32's
    element rate in the same run (about 2 where memory is the limit: half the bytes)."""
    d = perf_report.load(raw, "dtypes.json")
    if not d:
        return []
    f32 = {(r["activation"], r["direction"]): r["gelem_per_s"]
           for r in d["results"] if r["dtype"] == "f32"}
    rows = [r for r in d["results"] if r["dtype"] in ("f16", "bf16")]
    if not rows:
        return []
    out = ["", "Half and bfloat16 (`clact bench relu gelu silu --dtype all`, step 2; computed in "
           "float32, stored in 16 bits): x copy is against the copy kernel of the same dtype, "
           "x f32 against float32's elements per second in the same run.",
           "",
           "| activation | direction | dtype | G elem/s | x copy | x f32 |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        base = f32.get((r["activation"], r["direction"]))
        out.append(f"| {r['activation']} | {r['direction']} | {r['dtype']} | "
                   f"{r['gelem_per_s']:.2f} | {r['ratio_to_copy']:.2f} | "
                   f"{perf_report.fmt(r['gelem_per_s'] / base if base else None)} |")
    return out


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: readme_perf.py RAW_DIR [README.md]")
    readme = sys.argv[2] if len(sys.argv) == 3 else os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")
    with open(readme) as f:
        text = f.read()
    if BEGIN not in text or END not in text or text.index(BEGIN) > text.index(END):
        sys.exit(f"readme_perf: {readme} has no {BEGIN} ... {END} section")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    body = "\n".join(table(sys.argv[1]))
    with open(readme + ".tmp", "w") as f:
        f.write(head + BEGIN + "\n" + body + "\n" + END + tail)
    os.replace(readme + ".tmp", readme)


if __name__ == "__main__":
    main()
