/* host/cli/channel_cli.c: the per-channel activations (include/clact/channel.h) in `clact list`,
 * `clact check` and `clact bench` (the functions of channel_cli.h). Public API only. */
#include "channel_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- list ------------------------------------------------------------------------------- */
static const char *const summaries[CLACT_CHANNEL_COUNT] = {
    "x > 0 ? x : w_c x, one weight per channel (or one shared)",
    "max(0, x) + sum_s a_s[c] max(0, b_s[c] - x), S hinges (1..8)"};
static const char *const fwd_bounds[CLACT_CHANNEL_COUNT] = {"correctly rounded",
                                                            "1 ulp + (S+1) u M"};
static const char *const bwd_bounds[CLACT_CHANNEL_COUNT] = {
    "dx correctly rounded; dw 1 ulp + (4 + 4 n u) u sum|dy x|",
    "dx 1 ulp + (S+1) u |dy| M'; da, db 1 ulp + (4 + 4 n u) u sum|terms|"};

void cli_channel_list(FILE *f) {
  fprintf(f,
          "\n%d per-channel operations (N x C x inner tensors, channel axis 1; weights in the "
          "dtype of x; docs/channel.md):\n\n",
          (int)CLACT_CHANNEL_COUNT);
  fprintf(f, "%-13s %-20s %-48s %s\n", "operation", "forward bound", "directions", "what");
  for (int k = 0; k < CLACT_CHANNEL_COUNT; k++) {
    fprintf(f, "%-13s %-20s %-48s %s\n", clact_channel_name((clact_channel_op)k), fwd_bounds[k],
            "forward, backward (dx, weight gradients)", summaries[k]);
    fprintf(f, "    backward bound %s\n", bwd_bounds[k]);
  }
  fprintf(f, "(u: 2^-24, 2^-53 for f64; M: the sum of the magnitudes of the terms; n: the terms "
             "of one sum; 16-bit results: the rounding of the float result)\n");
}

void cli_channel_list_json(FILE *f, int leading_comma) {
  for (int k = 0; k < CLACT_CHANNEL_COUNT; k++) {
    if (leading_comma || k > 0)
      fputs(",\n", f);
    fputs("  {", f);
    cli_json_key(f, "id", 1);
    cli_json_string(f, clact_channel_name((clact_channel_op)k));
    cli_json_key(f, "kind", 0);
    cli_json_string(f, "channel");
    cli_json_key(f, "summary", 0);
    cli_json_string(f, summaries[k]);
    cli_json_key(f, "directions", 0);
    fputs("[\"forward\", \"backward\"]", f);
    cli_json_key(f, "parameters", 0);
    fputs(k == CLACT_CH_PRELU ? "[{\"name\": \"w\", \"count\": \"C or 1\"}]"
                              : "[{\"name\": \"a\", \"count\": \"S x C\"}, "
                                "{\"name\": \"b\", \"count\": \"S x C\"}, "
                                "{\"name\": \"hinges\", \"min\": 1, \"max\": 8}]",
          f);
    cli_json_key(f, "bound", 0);
    cli_json_string(f, fwd_bounds[k]);
    cli_json_key(f, "backward_bound", 0);
    cli_json_string(f, bwd_bounds[k]);
    fputs("}", f);
  }
}

void cli_channel_split(char **names, int nnames, clact_channel_op *ops, size_t *nops, char **rest,
                       int *nrest) {
  *nops = 0;
  *nrest = 0;
  for (int i = 0; i < nnames; i++) {
    clact_channel_op op;
    if (clact_channel_lookup(names[i], &op) == CLACT_SUCCESS) {
      int seen = 0;
      for (size_t k = 0; k < *nops; k++)
        seen |= ops[k] == op;
      if (!seen)
        ops[(*nops)++] = op;
    } else {
      rest[(*nrest)++] = names[i];
    }
  }
}

/* ---- check ------------------------------------------------------------------------------ */
typedef struct shape {
  size_t n, c, inner;
  unsigned hinges; /* apl; prelu: 0, or 1 = shared weight */
  int full;        /* 0: also in --quick */
} shape;

static const shape prelu_shapes[] = {
    {1, 1, 1, 0, 0}, {2, 3, 33, 0, 0}, {2, 3, 33, 1, 0}, {4, 64, 4096, 0, 1}, {8, 4, 131072, 0, 1}};
static const shape apl_shapes[] = {
    {1, 1, 1, 1, 0}, {2, 3, 33, 1, 0}, {2, 5, 33, 8, 0}, {2, 64, 4096, 3, 1}, {8, 4, 131072, 8, 1}};
#define NSHAPES 5

const char *cli_channel_shapes_text(int quick) {
  return quick ? "N x C x inner 1x1x1, 2x3x33 (prelu also shared; apl S = 1 and 8)"
               : "N x C x inner 1x1x1, 2x3x33 (prelu also shared; apl S = 1 and 8), 4x64x4096 "
                 "(apl 2x64x4096, S = 3), 8x4x131072 (apl S = 8)";
}

static void merge(clact_check_result *t, const clact_check_result *r, const shape *s) {
  int first_failure = r->failures && !t->failures;
  if (first_failure || (!t->failures && r->max_err > t->max_err)) {
    t->worst_x = r->worst_x;
    t->worst_dy = r->worst_dy;
    t->worst_got = r->worst_got;
    t->worst_ref = r->worst_ref;
  }
  if (first_failure || !t->failures)
    snprintf(t->message, sizeof t->message, "%zux%zux%zu: %.200s", s->n, s->c, s->inner,
             r->message);
  if (r->max_err > t->max_err || isnan(r->max_err))
    t->max_err = r->max_err;
  t->count += r->count;
  t->failures += r->failures;
  for (int b = 0; b < CLACT_HISTOGRAM_BINS; b++)
    t->histogram[b] += r->histogram[b];
}

clact_status cli_check_channel(clact_context *ctx, clact_channel_op op, clact_direction dir,
                               clact_dtype dtype, uint64_t seed, int quick,
                               clact_check_result *total) {
  memset(total, 0, sizeof *total);
  total->seed = seed;
  total->bound = 1.0;
  if ((unsigned)op >= CLACT_CHANNEL_COUNT)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  const shape *shapes = op == CLACT_CH_PRELU ? prelu_shapes : apl_shapes;
  for (int k = 0; k < NSHAPES; k++) {
    const shape *s = &shapes[k];
    if (quick && s->full)
      continue;
    clact_check_result r;
    unsigned hinges = op == CLACT_CH_APL ? s->hinges : 0;
    int shared = op == CLACT_CH_PRELU && s->hinges == 1;
    clact_status st =
        clact_check_channel(ctx, op, dir, dtype, hinges, shared, s->n, s->c, s->inner, seed, &r);
    if (st != CLACT_SUCCESS && st != CLACT_ERROR_CHECK_FAILED)
      return st;
    merge(total, &r, s);
  }
  return total->failures ? CLACT_ERROR_CHECK_FAILED : CLACT_SUCCESS;
}

int cli_channel_check_all(clact_context *ctx, const clact_channel_op *ops, size_t nops,
                          const clact_dtype *dtypes, size_t ndtypes, uint64_t seed, int quick,
                          FILE *out, size_t *passed, size_t *failed, size_t *errors) {
  int rc = CLI_EXIT_OK;
  if (nops)
    fprintf(out,
            "(per-channel operations: %s; max_err is |got - ref| / bound: <= 1 passes; "
            "docs/channel.md)\n",
            cli_channel_shapes_text(quick));
  for (size_t d = 0; d < ndtypes; d++) {
    if (clact_context_supports(ctx, dtypes[d]) != CLACT_SUCCESS)
      continue;
    for (size_t k = 0; k < nops; k++)
      for (int dir = 0; dir < 2; dir++) {
        clact_direction di = dir ? CLACT_BACKWARD : CLACT_FORWARD;
        clact_check_result r;
        clact_status st = cli_check_channel(ctx, ops[k], di, dtypes[d], seed, quick, &r);
        const char *name = clact_channel_name(ops[k]), *dn = clact_direction_name(di),
                   *tn = clact_dtype_name(dtypes[d]);
        if (st != CLACT_SUCCESS && st != CLACT_ERROR_CHECK_FAILED) {
          fprintf(out, "%-6s  %-14s  %-15s  %-5s  %s\n", "ERROR", name, dn, tn,
                  clact_status_string(st));
          (*errors)++;
          rc = CLI_EXIT_DEVICE;
          continue;
        }
        fprintf(out, "%-6s  %-14s  %-15s  %-5s  %9.3g  %-9s  %10llu  %8llu  %s\n",
                st == CLACT_SUCCESS ? "PASS" : "FAIL", name, dn, tn, r.max_err, "1 (B)",
                (unsigned long long)r.count, (unsigned long long)r.failures, r.message);
        fflush(out);
        if (st == CLACT_SUCCESS) {
          (*passed)++;
        } else {
          (*failed)++;
          if (rc == CLI_EXIT_OK)
            rc = CLI_EXIT_FAIL;
        }
      }
  }
  return rc;
}

/* ---- bench ------------------------------------------------------------------------------ */
typedef struct bufs {
  cl_mem x, y, dy, w, b, dw, db;
  size_t total, wcount;
} bufs;

static void release(bufs *b) {
  cl_mem all[] = {b->x, b->y, b->dy, b->w, b->b, b->dw, b->db};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    if (all[i])
      clReleaseMemObject(all[i]);
}

/* what: 0 copy, 1 forward, 2 backward (dx and the weight gradients) */
static clact_status launch(clact_context *ctx, clact_channel_op op, clact_dtype dtype,
                           const bufs *b, size_t n, size_t c, size_t inner, unsigned hinges,
                           int what) {
  clact_channel_params p = {op == CLACT_CH_APL ? hinges : 0, 0, b->w, 0, b->b, 0};
  clact_channel_grads g = {b->dw, 0, op == CLACT_CH_APL ? b->db : NULL, 0, 0};
  if (what == 0)
    return clact_copy(ctx, dtype, b->total, b->x, 0, b->y, 0, NULL);
  if (what == 1)
    return clact_channel_forward(ctx, op, dtype, &p, n, c, inner, b->x, 0, b->y, 0, NULL);
  return clact_channel_backward(ctx, op, dtype, &p, n, c, inner, b->x, 0, b->dy, 0, b->y, 0, &g,
                                NULL);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

#define MAX_RUNS 1000

/* The median of timed runs (ms) after one warm-up, until time_s is spent (3 runs at least). */
static clact_status measure(clact_context *ctx, clact_channel_op op, clact_dtype dtype,
                            const bufs *b, size_t n, size_t c, size_t inner, unsigned hinges,
                            int what, double time_s, double *median_ms, double *min_ms) {
  static double t[MAX_RUNS];
  cl_command_queue q = clact_context_queue(ctx);
  clact_status st = launch(ctx, op, dtype, b, n, c, inner, hinges, what);
  if (st == CLACT_SUCCESS)
    st = (clact_status)clFinish(q);
  int runs = 0;
  double start = cli_now();
  while (st == CLACT_SUCCESS && runs < MAX_RUNS && (runs < 3 || cli_now() - start < time_s)) {
    double t0 = cli_now();
    st = launch(ctx, op, dtype, b, n, c, inner, hinges, what);
    if (st == CLACT_SUCCESS)
      st = (clact_status)clFinish(q);
    t[runs++] = (cli_now() - t0) * 1e3;
  }
  if (st != CLACT_SUCCESS)
    return st;
  qsort(t, (size_t)runs, sizeof t[0], cmp_double);
  *median_ms = t[runs / 2];
  *min_ms = t[0];
  return CLACT_SUCCESS;
}

int cli_channel_bench(clact_context *ctx, clact_channel_op op, clact_dtype dtype, size_t n,
                      size_t c, size_t inner, unsigned hinges, double time_s, FILE *out) {
  if ((unsigned)op >= CLACT_CHANNEL_COUNT)
    return CLI_EXIT_INPUT;
  if (!(time_s > 0 && time_s <= 60))
    return CLI_EXIT_USAGE;
  if (n == 0 && c == 0 && inner == 0) {
    n = 16;
    c = 64;
    inner = 16384;
  }
  if (hinges == 0)
    hinges = 8;
  if (n == 0 || c == 0 || inner == 0 || c > SIZE_MAX / n || inner > SIZE_MAX / (n * c) ||
      hinges > CLACT_APL_MAX_HINGES)
    return CLI_EXIT_USAGE;
  if (clact_context_supports(ctx, dtype) != CLACT_SUCCESS)
    return cli_report_status("bench", "channel", CLACT_ERROR_UNSUPPORTED_DTYPE, ctx);
  size_t es = clact_dtype_size(dtype);
  bufs b;
  memset(&b, 0, sizeof b);
  b.total = n * c * inner;
  b.wcount = op == CLACT_CH_APL ? hinges * c : c;
  if (b.total > SIZE_MAX / es)
    return CLI_EXIT_USAGE;
  cl_context cx = clact_context_cl(ctx);
  cl_int err = CL_SUCCESS;
  cl_mem *big[] = {&b.x, &b.y, &b.dy}, *small[] = {&b.w, &b.b, &b.dw, &b.db};
  for (int i = 0; i < 3 && err == CL_SUCCESS; i++)
    *big[i] = clCreateBuffer(cx, CL_MEM_READ_WRITE, b.total * es, NULL, &err);
  for (int i = 0; i < 4 && err == CL_SUCCESS; i++)
    *small[i] = clCreateBuffer(cx, CL_MEM_READ_WRITE, b.wcount * es, NULL, &err);
  /* inputs: x and dy in [-2, 2), weights 0.25 (a: 0.25, b: 0.5); written as bytes of dtype */
  cl_command_queue q = clact_context_queue(ctx);
  if (err == CL_SUCCESS) {
    size_t chunk = 1 << 20, cn = chunk < b.total ? chunk : b.total;
    unsigned char *h = malloc(cn * es);
    if (!h)
      err = CL_OUT_OF_HOST_MEMORY;
    for (size_t i = 0; h && i < cn; i++) {
      float f = (float)((double)(i * 2654435761u % 4096) / 1024.0 - 2.0);
      if (es == 4) {
        memcpy(h + 4 * i, &f, 4);
      } else if (es == 8) {
        double d = f;
        memcpy(h + 8 * i, &d, 8);
      } else { /* bf16 and f16 alike: a pattern of small values is enough for timing */
        uint16_t v = (uint16_t)(dtype == CLACT_BF16 ? 0x3E80u + (i % 64) : 0x3400u + (i % 64));
        memcpy(h + 2 * i, &v, 2);
      }
    }
    for (size_t off = 0; err == CL_SUCCESS && off < b.total; off += cn) {
      size_t m = b.total - off < cn ? b.total - off : cn;
      err = clEnqueueWriteBuffer(q, b.x, CL_TRUE, off * es, m * es, h, 0, NULL, NULL);
      if (err == CL_SUCCESS)
        err = clEnqueueWriteBuffer(q, b.dy, CL_TRUE, off * es, m * es, h, 0, NULL, NULL);
    }
    for (int i = 0; err == CL_SUCCESS && i < 2; i++)
      err = clEnqueueWriteBuffer(q, *small[i], CL_TRUE, 0, (b.wcount < cn ? b.wcount : cn) * es, h,
                                 0, NULL, NULL);
    free(h);
  }
  if (err != CL_SUCCESS) {
    release(&b);
    return cli_report_status("bench", "buffers", (clact_status)err, ctx);
  }
  /* the columns of the elementwise and row benches where they apply */
  fprintf(out,
          "clact %s bench of %s, %s, N x C x inner = %zu x %zu x %zu; target %g s per "
          "measurement; ratio = GB/s / copy GB/s (same dtype and element count) measured just "
          "before\n\n",
          clact_version(), clact_channel_name(op), clact_dtype_name(dtype), n, c, inner, time_s);
  fprintf(out, "%-14s  %-15s  %-5s  %-20s  %9s  %9s  %8s  %8s  %9s  %5s\n", "activation",
          "direction", "dtype", "N x C x inner", "median ms", "min ms", "Gelem/s", "GB/s",
          "copy GB/s", "ratio");
  int rc = CLI_EXIT_OK;
  for (int what = 1; what <= 2 && rc == CLI_EXIT_OK; what++) {
    double cmed, cmin, med, mn;
    clact_status st = measure(ctx, op, dtype, &b, n, c, inner, hinges, 0, time_s / 4, &cmed, &cmin);
    if (st == CLACT_SUCCESS)
      st = measure(ctx, op, dtype, &b, n, c, inner, hinges, what, time_s / 4, &med, &mn);
    if (st != CLACT_SUCCESS) {
      rc = cli_report_status("bench", clact_channel_name(op), st, ctx);
      break;
    }
    double bytes = (double)b.total * (double)es * (what == 1 ? 2 : 3);
    double gbs = bytes / (med * 1e-3) * 1e-9,
           copy_gbs = 2.0 * (double)b.total * (double)es / (cmed * 1e-3) * 1e-9;
    char dims[80];
    if (op == CLACT_CH_APL)
      snprintf(dims, sizeof dims, "%zux%zux%zu S=%u", n, c, inner, hinges);
    else
      snprintf(dims, sizeof dims, "%zux%zux%zu", n, c, inner);
    fprintf(out, "%-14s  %-15s  %-5s  %-20s  %9.4f  %9.4f  %8.3f  %8.2f  %9.2f  %5.2f\n",
            clact_channel_name(op), what == 1 ? "forward" : "backward", clact_dtype_name(dtype),
            dims, med, mn, (double)b.total / (med * 1e6), gbs, copy_gbs, gbs / copy_gbs);
  }
  release(&b);
  return rc;
}

int cli_select_ops(const char *cmd, char **names, int nnames, clact_activation *acts, size_t *nacts,
                   clact_structured *sops, size_t *nsops, clact_channel_op *cops, size_t *ncops) {
  *nacts = *nsops = *ncops = 0;
  char **other = calloc((size_t)nnames + 1, sizeof *other);
  char **rest = calloc((size_t)nnames + 1, sizeof *rest);
  if (!other || !rest) {
    free(other);
    free(rest);
    fprintf(stderr, "clact %s: out of host memory\n", cmd);
    return CLI_EXIT_DEVICE;
  }
  int nother = 0, nrest = 0;
  cli_channel_split(names, nnames, cops, ncops, other, &nother);
  cli_split_structured(other, nother, sops, nsops, rest, &nrest);
  if (nnames == 0) {
    for (int k = 0; k < CLACT_STRUCTURED_COUNT; k++)
      sops[(*nsops)++] = (clact_structured)k;
    for (int k = 0; k < CLACT_CHANNEL_COUNT; k++)
      cops[(*ncops)++] = (clact_channel_op)k;
  }
  int rc = CLI_EXIT_OK;
  if (nnames == 0 || nrest > 0)
    rc = cli_select_activations(cmd, rest, nrest, acts, nacts);
  free(other);
  free(rest);
  return rc;
}
