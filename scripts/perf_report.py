#!/usr/bin/env python3
"""scripts/perf_report.py RAW_DIR [OLD.md]: docs/performance.md (on stdout) from the files that
scripts/perf-report.sh writes into RAW_DIR: f32.json, dtypes.json, sweep.json, host.json
(clact bench --json) and onednn.txt (bench/compare_onednn's table, optional). The hand-written
sections of OLD.md (the file being replaced), between the lines <!-- notes --> and
<!-- /notes -->, are kept, after the header; scripts/performance-notes.md goes at the end."""
import json
import os
import re
import sys

# Activations whose arithmetic is a few operations per element: bandwidth-bound on any device,
# so their target is >= 0.9 of the copy kernel (issue 7). Their backward_from_y rows too, and
# every backward_from_y row (a product of y-terms and dy).
CHEAP = {"identity", "relu", "leaky_relu", "brelu", "relu6", "hardtanh", "threshold",
         "binary_step", "bipolar_step", "softshrink", "hardshrink", "abs", "affine", "round",
         "rrelu", "plu", "hardsigmoid"}


def load(raw, name):
    path = os.path.join(raw, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def onednn(raw):
    """{(activation, direction): (clact, onednn, ratio)} and the header line."""
    path = os.path.join(raw, "onednn.txt")
    if not os.path.exists(path):
        return {}, None
    rows, header = {}, None
    with open(path) as f:
        for line in f:
            if line.startswith("clact ") and " vs oneDNN " in line:
                header = line.strip()
            m = re.match(r"^(\w+)\s+(forward|backward|backward_from_y)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", line)
            if m:
                rows[(m.group(1), m.group(2))] = tuple(float(m.group(i)) for i in (3, 4, 5))
    return rows, header


def fmt(v, digits=2):
    return "–" if v is None else f"{v:.{digits}f}"


def hand_notes(path):
    """The block from <!-- notes --> to <!-- /notes --> (markers included) of an earlier report,
    or None."""
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read()
    m = re.search(r"^<!-- notes -->\n.*?^<!-- /notes -->\n", text, re.S | re.M)
    return m.group(0) if m else None


def main():
    raw = sys.argv[1]
    f32 = load(raw, "f32.json")
    if not f32:
        sys.exit("perf_report: no f32.json in " + raw)
    dtypes, sweep, host = load(raw, "dtypes.json"), load(raw, "sweep.json"), load(raw, "host.json")
    dn, dn_header = onednn(raw)
    out = []
    w = out.append
    w("# Performance\n")
    w("Measured by `scripts/perf-report.sh build` (raw JSON and text in `build/perf/`), which runs "
      "`clact bench` (DESIGN.md's protocol: buffers written once before timing, compile time "
      "apart, warm-up, launches timed one by one with profiling events, the median; every row "
      "measured right after a copy kernel of the same dtype and n, so its ratio to copy compares "
      "two figures taken under the same conditions) and `bench/compare_onednn` (clact and oneDNN "
      "alternating in rounds on the same inputs). The machine is shared and noisy: compare the "
      "ratios, not G elements/s across runs.\n")
    w(f"- Device: {f32['device']} ({f32.get('platform', '?')}, driver {f32['driver']}, "
      f"{f32.get('device_version', '')}); clact {f32['clact']}, vector width "
      f"{f32.get('vector_width', '?')}; {f32.get('target_s', '?')} s per measurement.")
    if dn_header:
        w(f"- oneDNN: `{dn_header}`; OMP_WAIT_POLICY=passive (an idle oneDNN thread does not spin "
          "while clact runs). oneDNN is timed by the host clock around execute + wait, clact by "
          "profiling events; at n = 2^24 a launch's overhead is under 1% of its time.")
    w("")
    kept = hand_notes(sys.argv[2]) if len(sys.argv) > 2 else None
    if kept:
        w(kept)

    # ---- float32, every activation ----
    res = f32["results"]
    n = res[0]["n"] if res else 0
    w(f"## float32, every activation (n = {n})\n")
    w("GB/s counts the registry's elements moved (forward 2, backward 3) x 4 bytes. "
      "'target' is the issue's: >= 0.9 of copy for the cheap (bandwidth-bound) rows, "
      ">= 1.0 x oneDNN where oneDNN has the function.\n")
    w("| activation | direction | G elem/s | GB/s | x copy | oneDNN G elem/s | x oneDNN | target met |")
    w("|---|---|---|---|---|---|---|---|")
    met = missed = 0
    misses = []
    for r in res:
        key = (r["activation"], r["direction"])
        d = dn.get(key)
        cheap = r["activation"] in CHEAP or r["direction"] == "backward_from_y"
        verdicts = []
        if cheap:
            verdicts.append(r["ratio_to_copy"] >= 0.9)
        if d:
            verdicts.append(d[2] >= 1.0)
        verdict = "–" if not verdicts else ("yes" if all(verdicts) else "**no**")
        if verdicts:
            if all(verdicts):
                met += 1
            else:
                missed += 1
                misses.append(r["activation"] + " " + r["direction"])
        w(f"| {r['activation']} | {r['direction']} | {r['gelem_per_s']:.3f} | {r['gb_per_s']:.1f} | "
          f"{r['ratio_to_copy']:.2f} | {fmt(d[1] if d else None, 3)} | "
          f"{fmt(d[2] if d else None)} | {verdict} |")
    w("")
    w(f"Targets: met by {met} rows, missed by {missed}"
      + (f" ({', '.join(misses)})." if misses else "."))
    w("")

    if dn:
        w("## clact / oneDNN, float32 (bench/compare_onednn)\n")
        w("Each row: the medians of rounds in which both libraries ran the same inputs one after "
          "the other (clact's figure here is from this interleaved run, not the table above).\n")
        w("| activation | direction | clact G elem/s | oneDNN G elem/s | clact / oneDNN |")
        w("|---|---|---|---|---|")
        for (a, dname), (c, o, ratio) in dn.items():
            w(f"| {a} | {dname} | {c:.3f} | {o:.3f} | {ratio:.2f} |")
        w("")

    if dtypes:
        w("## Storage types (n = 2^24)\n")
        w("The same element count in float32, half and bfloat16: bytes halve for 16-bit, so a "
          "bandwidth-bound kernel's G elements/s would double; 'x copy' is against the copy "
          "kernel of the same dtype.\n")
        w("| activation | direction | dtype | G elem/s | GB/s | x copy | copy GB/s |")
        w("|---|---|---|---|---|---|---|")
        for r in dtypes["results"]:
            w(f"| {r['activation']} | {r['direction']} | {r['dtype']} | {r['gelem_per_s']:.3f} | "
              f"{r['gb_per_s']:.1f} | {r['ratio_to_copy']:.2f} | {r['copy_gb_per_s']:.1f} |")
        w("")

    if sweep:
        w("## Sizes (float32, --sweep)\n")
        w("Launch overhead dominates the small sizes; from about 2^20 the bandwidth (or the "
          "arithmetic) regime shows. First-call cost (build or program-cache load, then the first "
          "launch) is in the JSON (compile_ms, first_ms).\n")
        sizes = sorted({r["n"] for r in sweep["results"]})
        w("| activation | direction | " + " | ".join(f"2^{s.bit_length() - 1}" for s in sizes) + " |")
        w("|---|---|" + "---|" * len(sizes))
        rows = {}
        for r in sweep["results"]:
            rows.setdefault((r["activation"], r["direction"]), {})[r["n"]] = r["gelem_per_s"]
        for (a, dname), by_n in rows.items():
            w(f"| {a} | {dname} | " + " | ".join(fmt(by_n.get(s), 3) for s in sizes) + " |")
        w("\n(G elements/s.)\n")
        w("Cold start, first size: " + "; ".join(
            f"{r['activation']} {r['direction']} {r['compile_ms']:.1f} ms build + {r['first_ms']:.2f} ms first launch"
            for r in sweep["results"] if r["n"] == sizes[0]) + ".\n")

    if host:
        w("## Host arrays (clact_forward_host etc., --host)\n")
        w("The arrays live in host memory; on this device (it shares host memory) they are used "
          "in place with CL_MEM_USE_HOST_PTR. 'host / device' = device-resident median time over "
          "the host-array call's median (host clock around the whole call, buffer wrapping and "
          "synchronisation included); the target is >= 0.8.\n")
        w("| activation | direction | device ms | host-array ms | host / device |")
        w("|---|---|---|---|---|")
        for r in host["results"]:
            if "host_ms" in r:
                w(f"| {r['activation']} | {r['direction']} | {r['median_ms']:.3f} | {r['host_ms']:.3f} | "
                  f"{r['host_ratio']:.2f} |")
        w("")
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "performance-notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            w(f.read())
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
