/* host/cli/bench_structured.c: `clact bench` for the structured operations: forward and
 * backward of one operation at its default shape (softmax family 4096 x 4096; GLU family
 * 8192 x 2*11008, a LLaMA-7B MLP row), each row measured against the copy kernel (clact_copy,
 * the same dtype and the input's element count n = rows * cols) timed in the same run, right
 * before it. Uses only the public API (the command's rule), so it can be linked alone.
 *
 * Bytes counted, per input element, from the output width w of rows of cols: forward
 * 1 + w / cols (read x, write y), backward 2 + w / cols (read x or y, read dy, write dx):
 * softmax family, sparsemax, rrelu_train 2 and 3; GLU family 1.5 and 2.5; crelu 3 and 4; maxout
 * (k = 2) 1.5 and 2.5; the copy moves 2. ratio = GB/s / copy GB/s.
 * Gelem/s counts input elements. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec t;
  timespec_get(&t, TIME_UTC);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct sb_stats {
  double first_ms, median_ms, min_ms, max_ms;
  int host_clock; /* some launch had no profiling info */
} sb_stats;

typedef struct sb_bufs {
  cl_mem a, b, c;
  size_t rows, cols;
} sb_bufs;

static int is_glu(clact_structured op) {
  const clact_structured_info *si = clact_structured_get_info(op);
  return si->out_div == 2 && si->out_param < 0;
}

/* The output row width at the default parameters (0 if cols does not give one). */
static size_t out_width(clact_structured op, size_t cols) {
  size_t w = 0;
  return clact_structured_out_width(op, NULL, cols, &w) == CLACT_SUCCESS ? w : 0;
}

/* what: 0 copy, 1 forward, 2 backward */

static clact_status launch(clact_context *ctx, clact_structured op, clact_dtype dtype,
                           const sb_bufs *b, int what, cl_event *ev) {
  clact_tensor ta = {b->a, 0, 0}, tb = {b->b, 0, 0}, tc = {b->c, 0, 0};
  if (what == 0)
    return clact_copy(ctx, dtype, b->rows * b->cols, b->a, 0, b->b, 0, ev);
  if (what == 1)
    return clact_rows_forward(ctx, op, dtype, NULL, b->rows, b->cols, ta, tb, ev);
  if (!clact_structured_get_info(op)->backward_from_y) /* from x (a) and dy (b) */
    return clact_rows_backward(ctx, op, dtype, NULL, b->rows, b->cols, ta, tb, tc, ev);
  return clact_rows_backward(ctx, op, dtype, NULL, b->rows, b->cols, tb, ta, tc, ev);
}

static clact_status timed(clact_context *ctx, clact_structured op, clact_dtype dtype,
                          const sb_bufs *b, int what, double *ms, int *host_clock) {
  cl_event ev = NULL;
  double t0 = now_s();
  clact_status st = launch(ctx, op, dtype, b, what, &ev);
  if (st != CLACT_SUCCESS)
    return st;
  cl_int err = clWaitForEvents(1, &ev);
  double t1 = now_s();
  cl_ulong start = 0, end = 0;
  if (err == CL_SUCCESS &&
      clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof start, &start, NULL) ==
          CL_SUCCESS &&
      clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof end, &end, NULL) == CL_SUCCESS &&
      end > start) {
    *ms = (double)(end - start) * 1e-6;
  } else {
    *ms = (t1 - t0) * 1e3;
    *host_clock = 1;
  }
  clReleaseEvent(ev);
  return (clact_status)err;
}

static clact_status measure(clact_context *ctx, clact_structured op, clact_dtype dtype,
                            const sb_bufs *b, int what, double time_s, sb_stats *s) {
  enum { MAXT = 4096 };
  double *t = malloc(MAXT * sizeof *t);
  if (!t)
    return (clact_status)CL_OUT_OF_HOST_MEMORY;
  memset(s, 0, sizeof *s);
  clact_status st = timed(ctx, op, dtype, b, what, &s->first_ms, &s->host_clock);
  size_t k = 0;
  double start = now_s();
  while (st == CLACT_SUCCESS && k < MAXT && (k < 5 || now_s() - start < time_s))
    st = timed(ctx, op, dtype, b, what, &t[k++], &s->host_clock);
  if (st == CLACT_SUCCESS) {
    qsort(t, k, sizeof *t, cmp_double);
    s->min_ms = t[0];
    s->max_ms = t[k - 1];
    s->median_ms = k % 2 ? t[k / 2] : 0.5 * (t[k / 2 - 1] + t[k / 2]);
  }
  free(t);
  return st;
}

/* The default shape of an operation's benchmark: softmax family and crelu 4096 x 4096, GLU
 * family 8192 x 2*11008 (LLaMA-7B's MLP: 11008 wide, tokens 8192). */
static void default_shape(clact_structured op, size_t *rows, size_t *cols) {
  *rows = is_glu(op) ? 8192 : 4096;
  *cols = is_glu(op) ? 2 * 11008 : 4096;
}

int cli_bench_structured_shape(clact_context *ctx, const char *id, clact_dtype dtype, size_t rows,
                               size_t cols, double time_s, FILE *out) {
  clact_structured op;
  if (!ctx || !id || !out)
    return CLI_EXIT_USAGE;
  if (clact_structured_lookup(id, &op) != CLACT_SUCCESS) {
    fprintf(stderr, "clact bench: unknown structured operation '%s' (see clact list)\n", id);
    return CLI_EXIT_INPUT;
  }
  size_t w = out_width(op, cols);
  if (!(time_s > 0) || time_s > 60 || rows == 0 || cols == 0 || rows > SIZE_MAX / 8 / cols ||
      w == 0 || w > 2 * cols) {
    fprintf(stderr, "clact bench: bad time or shape for %s\n", id);
    return CLI_EXIT_USAGE;
  }
  if (clact_context_supports(ctx, dtype) != CLACT_SUCCESS) {
    fprintf(stderr, "clact bench: %s is not supported for %s on this device\n",
            clact_dtype_name(dtype), id);
    return CLI_EXIT_DEVICE;
  }
  size_t n = rows * cols, es = clact_dtype_size(dtype);
  sb_bufs b = {NULL, NULL, NULL, rows, cols};
  cl_int err = CL_SUCCESS;
  cl_context cl = clact_context_cl(ctx);
  b.a = clCreateBuffer(cl, CL_MEM_READ_WRITE, n * es, NULL, &err);
  if (err == CL_SUCCESS)
    b.b = clCreateBuffer(cl, CL_MEM_READ_WRITE, /* y, dy: rows x w (crelu: twice as wide) */
                         rows * (w > cols ? w : cols) * es, NULL, &err);
  if (err == CL_SUCCESS)
    b.c = clCreateBuffer(cl, CL_MEM_READ_WRITE, n * es, NULL, &err);
  clact_status st = (clact_status)err;
  /* inputs: x in [-4, 4) (pseudo-random), then y = softmax-family forward of it as backward's
   * input, dy the same values as x */
  if (st == CLACT_SUCCESS) {
    void *h = malloc(n * es);
    if (!h) {
      st = (clact_status)CL_OUT_OF_HOST_MEMORY;
    } else {
      uint32_t s = 12345u;
      for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        float v = (float)(s >> 8) * 0x1p-21f - 4.0f;
        uint32_t bits;
        memcpy(&bits, &v, 4);
        if (es == 8) {
          double d = v; /* f64: the same values */
          memcpy((char *)h + 8 * i, &d, 8);
        } else if (es == 4) {
          memcpy((char *)h + 4 * i, &bits, 4);
        } else { /* truncated to 16 bits: a value of the format (half: 0 below 2^-14) */
          uint32_t a = bits & 0x7FFFFFFFu;
          uint16_t hb = (uint16_t)(bits >> 16);
          if (dtype == CLACT_F16)
            hb = a < 0x38800000u ? (uint16_t)0
                                 : (uint16_t)(((bits >> 16) & 0x8000u) | ((a - 0x38000000u) >> 13));
          memcpy((char *)h + 2 * i, &hb, 2);
        }
      }
      st = (clact_status)clEnqueueWriteBuffer(clact_context_queue(ctx), b.a, CL_TRUE, 0, n * es, h,
                                              0, NULL, NULL);
      free(h);
    }
  }
  double compile_ms = 0;
  if (st == CLACT_SUCCESS) { /* the first forward pays for compilation (or the cache) */
    double t0 = now_s();
    st = launch(ctx, op, dtype, &b, 1, NULL);
    if (st == CLACT_SUCCESS)
      st = (clact_status)clFinish(clact_context_queue(ctx));
    compile_ms = (now_s() - t0) * 1e3;
  }
  int rc = CLI_EXIT_OK;
  if (st == CLACT_SUCCESS) {
    fprintf(out,
            "clact %s bench of %s, %s, rows x cols = %zu x %zu; target %g s per measurement; "
            "ratio = GB/s / copy GB/s (same dtype, rows*cols elements) measured just "
            "before\n\n",
            clact_version(), id, clact_dtype_name(dtype), rows, cols, time_s);
    fprintf(out, "%-14s  %-15s  %-5s  %12s  %10s  %8s  %9s  %9s  %9s  %8s  %8s  %9s  %5s\n",
            "activation", "direction", "dtype", "rows x cols", "compile ms", "first ms",
            "median ms", "min ms", "max ms", "Gelem/s", "GB/s", "copy GB/s", "ratio");
    /* a whole copy measurement, discarded, warms the device up */
    sb_stats warm;
    st = measure(ctx, op, dtype, &b, 0, time_s, &warm);
    for (int what = 1; what <= 2 && st == CLACT_SUCCESS; what++) {
      sb_stats copy, s;
      st = measure(ctx, op, dtype, &b, 0, time_s, &copy);
      if (st == CLACT_SUCCESS)
        st = measure(ctx, op, dtype, &b, what, time_s, &s);
      if (st != CLACT_SUCCESS)
        break;
      /* per input element: forward x + y (w / cols), backward x or y, dy and dx */
      double ratio = (double)w / (double)cols;
      double moved = what == 1 ? 1.0 + ratio : 2.0 + ratio;
      double gelem = (double)n / (s.median_ms * 1e6);
      double gbs = moved * (double)n * (double)es / (s.median_ms * 1e6);
      double copy_gbs = 2.0 * (double)n * (double)es / (copy.median_ms * 1e6);
      char shape[48];
      snprintf(shape, sizeof shape, "%zux%zu", rows, cols);
      fprintf(out,
              "%-14s  %-15s  %-5s  %12s  %10.1f  %8.3f  %9.4f  %9.4f  %9.4f  %8.3f  %8.2f  "
              "%9.2f  %5.2f%s\n",
              id,
              what == 1                                        ? "forward"
              : clact_structured_get_info(op)->backward_from_y ? "backward_from_y"
                                                               : "backward",
              clact_dtype_name(dtype), shape, what == 1 ? compile_ms : 0.0, s.first_ms, s.median_ms,
              s.min_ms, s.max_ms, gelem, gbs, copy_gbs, gbs / copy_gbs,
              s.host_clock || copy.host_clock ? " *" : "");
    }
  }
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "clact bench: %s: %s\n", id, clact_status_string(st));
    rc = CLI_EXIT_DEVICE; /* OpenCL errors, build failures, out of memory */
  }
  if (b.a)
    clReleaseMemObject(b.a);
  if (b.b)
    clReleaseMemObject(b.b);
  if (b.c)
    clReleaseMemObject(b.c);
  return rc;
}

int cli_bench_structured(clact_context *ctx, const char *id, clact_dtype dtype, double time_s,
                         FILE *out) {
  clact_structured op;
  size_t rows = 4096, cols = 4096;
  if (id && clact_structured_lookup(id, &op) == CLACT_SUCCESS)
    default_shape(op, &rows, &cols);
  return cli_bench_structured_shape(ctx, id, dtype, rows, cols, time_s, out);
}
