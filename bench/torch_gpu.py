#!/usr/bin/env python3
"""bench/torch_gpu.py: PyTorch's own activation kernels timed on one device, the way `clact bench`
times clact's, so that the two can be set side by side on the same GPU.

  torch_gpu.py run [--device cuda] [--n N ...] [--dtype f32,f16,bf16,f64] [--csv FILE]
  torch_gpu.py compare CLACT.csv TORCH.csv [--n N] [--dtype T]

`run` times, for each activation PyTorch has as one fused kernel (ATen's forward op and, where
it has one, its backward op: gelu_backward, sigmoid_backward, ...), the device time per launch:
CUDA events around a batch of launches, the median of several batches, after a warm-up. Inputs
as in `clact bench`: x uniform in [-8, 8], dy in [-2, 2], y = the forward output. GB/s counts
the elements moved as clact does (forward 2, backward 3) times the element size; the ratio is to
PyTorch's own copy (y.copy_(x)) of the same n and dtype, measured right before each row. The
CSV has a header line and one line per row.

`compare` joins a `clact bench --csv` file (scripts/gpu-bench.sh's sweep.csv or dtypes.csv) with
a `run` CSV on activation, direction, dtype and n, and prints a markdown table with clact /
PyTorch (G elements/s) for each row both have.

Composite PyTorch functions (softsign, tanhshrink: several kernels) and the directions PyTorch
computes through autograd are left out: they are not one kernel to compare with one kernel.
"""
import argparse
import csv
import statistics
import sys

# id -> (forward(x), backward or None, direction of the backward)
# The backward takes (dy, x, y) and calls ATen's fused backward op.
def _ops(torch):
    F = torch.nn.functional
    A = torch.ops.aten
    return {
        "relu": (F.relu, lambda dy, x, y: A.threshold_backward(dy, x, 0.0), "backward"),
        "leaky_relu": (lambda x: F.leaky_relu(x, 0.01),
                       lambda dy, x, y: A.leaky_relu_backward(dy, x, 0.01, False), "backward"),
        "sigmoid": (torch.sigmoid, lambda dy, x, y: A.sigmoid_backward(dy, y), "backward_from_y"),
        "tanh": (torch.tanh, lambda dy, x, y: A.tanh_backward(dy, y), "backward_from_y"),
        "gelu": (F.gelu, lambda dy, x, y: A.gelu_backward(dy, x), "backward"),
        "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"),
                      lambda dy, x, y: A.gelu_backward(dy, x, approximate="tanh"), "backward"),
        "silu": (F.silu, lambda dy, x, y: A.silu_backward(dy, x), "backward"),
        "elu": (F.elu, lambda dy, x, y: A.elu_backward(dy, 1.0, 1.0, 1.0, False, x), "backward"),
        "selu": (F.selu, lambda dy, x, y: A.elu_backward(dy, 1.6732632423543772,
                                                         1.0507009873554805, 1.0, False, x),
                 "backward"),
        "celu": (F.celu, lambda dy, x, y: A.elu_backward(dy, 1.0, 1.0, 1.0, False, x), "backward"),
        "softplus": (F.softplus, lambda dy, x, y: A.softplus_backward(dy, x, 1.0, 20.0),
                     "backward"),
        # forward: the op F.logsigmoid calls; its buffer (empty on CUDA) feeds the backward
        "log_sigmoid": (A.log_sigmoid_forward,
                        lambda dy, x, y: A.log_sigmoid_backward(dy, x, y[1]), "backward"),
        "mish": (F.mish, lambda dy, x, y: A.mish_backward(dy, x), "backward"),
        "relu6": (F.relu6, lambda dy, x, y: A.hardtanh_backward(dy, x, 0.0, 6.0), "backward"),
        "hardtanh": (F.hardtanh, lambda dy, x, y: A.hardtanh_backward(dy, x, -1.0, 1.0),
                     "backward"),
        "threshold": (lambda x: F.threshold(x, 0.0, 0.0),
                      lambda dy, x, y: A.threshold_backward(dy, x, 0.0), "backward"),
        "hardsigmoid": (F.hardsigmoid, lambda dy, x, y: A.hardsigmoid_backward(dy, x), "backward"),
        "hardswish": (F.hardswish, lambda dy, x, y: A.hardswish_backward(dy, x), "backward"),
        "softshrink": (lambda x: F.softshrink(x, 0.5),
                       lambda dy, x, y: A.softshrink_backward(dy, x, 0.5), "backward"),
        "hardshrink": (lambda x: F.hardshrink(x, 0.5),
                       lambda dy, x, y: A.hardshrink_backward(dy, x, 0.5), "backward"),
        "exp": (torch.exp, None, None),
        "log": (torch.log, None, None),
        "abs": (torch.abs, None, None),
        "sqrt": (torch.sqrt, None, None),
        "round": (torch.round, None, None),
        "arctan": (torch.atan, None, None),
        "arsinh": (torch.asinh, None, None),
        "sinc": (torch.sinc, None, None),
    }


DTYPES = {"f32": "float32", "f16": "float16", "bf16": "bfloat16", "f64": "float64"}
SIZE = {"f32": 4, "f16": 2, "bf16": 2, "f64": 8}


def _time(torch, fn, batches, per_batch):
    """Median device time of one launch of fn(), in seconds: CUDA events around per_batch
    launches, batches times, after a warm-up; the host clock around a synchronize elsewhere."""
    for _ in range(3):
        fn()
    cuda = torch.cuda.is_available()
    times = []
    for _ in range(batches):
        if cuda:
            a = torch.cuda.Event(enable_timing=True)
            b = torch.cuda.Event(enable_timing=True)
            a.record()
            for _ in range(per_batch):
                fn()
            b.record()
            b.synchronize()
            times.append(a.elapsed_time(b) / 1e3 / per_batch)
        else:
            import time
            t = time.perf_counter()
            for _ in range(per_batch):
                fn()
            times.append((time.perf_counter() - t) / per_batch)
    return statistics.median(times)


def cmd_run(args):
    import torch
    dev = torch.device(args.device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        sys.exit("torch_gpu.py: CUDA is not available to this PyTorch")
    name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu"
    ops = _ops(torch)
    ids = args.ids or list(ops)
    unknown = [i for i in ids if i not in ops]
    if unknown:
        sys.exit("torch_gpu.py: no PyTorch kernel listed for: " + ", ".join(unknown))
    dtypes = args.dtype.split(",")
    for t in dtypes:
        if t not in DTYPES:
            sys.exit(f"torch_gpu.py: unknown dtype {t} (f32, f16, bf16, f64)")
    out = open(args.csv, "w", newline="") if args.csv and args.csv != "-" else sys.stdout
    w = csv.writer(out)
    w.writerow(["device", "torch", "activation", "direction", "dtype", "n", "median_s",
                "gelem_per_s", "gb_per_s", "ratio_to_copy"])
    gen = torch.Generator(device=dev).manual_seed(1)
    for t in dtypes:
        dt = getattr(torch, DTYPES[t])
        for n in args.n:
            x = (torch.rand(n, generator=gen, device=dev, dtype=torch.float32) * 16 - 8).to(dt)
            dy = (torch.rand(n, generator=gen, device=dev, dtype=torch.float32) * 4 - 2).to(dt)
            buf = torch.empty_like(x)
            for i in ids:
                fwd, bwd, bdir = ops[i]
                try:
                    y = fwd(x)
                except RuntimeError as e:  # e.g. an op without this dtype on this device
                    print(f"# {i} {t}: {e}".splitlines()[0], file=sys.stderr)
                    continue
                runs = [("forward", lambda: fwd(x), 2)]
                if bwd is not None:
                    runs.append((bdir, lambda: bwd(dy, x, y), 3))
                for direction, fn, moved in runs:
                    copy_s = _time(torch, lambda: buf.copy_(x), args.batches, args.per_batch)
                    try:
                        s = _time(torch, fn, args.batches, args.per_batch)
                    except RuntimeError as e:
                        print(f"# {i} {direction} {t}: {e}".splitlines()[0], file=sys.stderr)
                        continue
                    gbs = n * moved * SIZE[t] / s / 1e9
                    copy_gbs = n * 2 * SIZE[t] / copy_s / 1e9
                    w.writerow([name, torch.__version__, i, direction, t, n, f"{s:.9g}",
                                f"{n / s / 1e9:.4f}", f"{gbs:.2f}", f"{gbs / copy_gbs:.3f}"])
                    out.flush()
            del x, dy, buf
    if out is not sys.stdout:
        out.close()


def _rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def cmd_compare(args):
    ours = _rows(args.clact)
    theirs = {(r["activation"], r["direction"], r["dtype"], r["n"]): r for r in _rows(args.torch)}
    print(f"| activation | direction | dtype | n | clact G el/s | PyTorch G el/s "
          f"| clact ratio to copy | PyTorch ratio to its copy | clact / PyTorch |")
    print("|---|---|---|---|---|---|---|---|---|")
    shown = 0
    for r in ours:
        key = (r["activation"], r["direction"], r["dtype"], r["n"])
        if key not in theirs:
            continue
        if args.n and int(r["n"]) not in args.n:
            continue
        if args.dtype and r["dtype"] not in args.dtype.split(","):
            continue
        p = theirs[key]
        a, b = float(r["gelem_per_s"]), float(p["gelem_per_s"])
        print(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {a:.2f} | {b:.2f} "
              f"| {float(r['ratio_to_copy']):.2f} | {float(p['ratio_to_copy']):.2f} "
              f"| {a / b:.2f} |")
        shown += 1
    if shown == 0:
        sys.exit("torch_gpu.py compare: no row in common")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="time PyTorch's kernels")
    r.add_argument("ids", nargs="*", help="activation ids (default: every one listed)")
    r.add_argument("--device", default="cuda")
    r.add_argument("--n", type=int, nargs="+", default=[1 << 24])
    r.add_argument("--dtype", default="f32")
    r.add_argument("--batches", type=int, default=7)
    r.add_argument("--per-batch", type=int, default=20)
    r.add_argument("--csv", help="write the CSV here (default stdout)")
    c = sub.add_parser("compare", help="clact bench CSV against a run CSV, as markdown")
    c.add_argument("clact")
    c.add_argument("torch")
    c.add_argument("--n", type=int, nargs="*")
    c.add_argument("--dtype")
    args = ap.parse_args()
    (cmd_run if args.cmd == "run" else cmd_compare)(args)


if __name__ == "__main__":
    main()
