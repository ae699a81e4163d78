/* bench/compare_onednn.c: clact against oneDNN's float32 eltwise and softmax primitives on the
 * same machine, in the same run, interleaved (built only when oneDNN is found; never required).
 *
 * For every activation both libraries have: forward, backward (from x) and, where oneDNN has a
 * *_use_dst_for_bwd algorithm, backward from y, on n elements. Then softmax and log_softmax:
 * clact's row API (clact_rows_forward/backward) against oneDNN's softmax v2
 * (dnnl_softmax_accurate, dnnl_softmax_log) along axis 1 of a rows x cols tensor (format ab),
 * forward and backward from y (oneDNN's backward takes dst, as clact's does).
 * Both sides run out of place with the same inputs (x uniform in [-8, 8], dy in [-2, 2], y the
 * forward output); each side's buffers are written once before timing. Before anything is
 * timed, the row operations' outputs are compared (forward on x, then backward from the same y,
 * clact's, on both sides): the max relative difference is printed, and over 1e-4 (on elements
 * above 1e-30 in magnitude) the program stops with status 5. The backward's is also printed
 * relative to the magnitude of the terms dx is computed from (backward_scale), and that one is
 * the one checked: where they cancel, dx relative to itself differs by up to a few percent
 * between two correct float results. oneDNN is not exact: this only checks that both compute
 * the same function.
 * oneDNN is timed with the host clock around one execute + stream wait, clact with profiling
 * events; each measurement is the median of `reps` launches after a warm-up, and the two sides
 * alternate in rounds (the machine is shared and noisy: alternation keeps them under the same
 * conditions); the ratio printed is clact's G elements/s over oneDNN's (> 1: clact faster),
 * from the medians of the per-round figures. Elements: n, or rows * cols for the row operations.
 * oneDNN threads: its OpenMP runtime, OMP_NUM_THREADS (default: all cores).
 *
 * Usage: compare_onednn [--n N] [--rows R] [--cols C] [--rounds K] [--device P:D] [ID...]
 * (ids: the eltwise activations below, softmax, log_softmax; none: all of them, in that order) */
#include "clact.h"

#include <oneapi/dnnl/dnnl.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct pair {
  const char *clact;          /* activation id */
  dnnl_alg_kind_t fwd, bwd_y; /* bwd_y: 0 when oneDNN has no use-dst variant */
  float alpha, beta;          /* oneDNN parameters giving clact's defaults */
} pair;

static const pair pairs[] = {
    {"relu", dnnl_eltwise_relu, dnnl_eltwise_relu_use_dst_for_bwd, 0.0f, 0.0f},
    {"leaky_relu", dnnl_eltwise_relu, 0, 0.01f, 0.0f},
    {"relu6", dnnl_eltwise_clip_v2, dnnl_eltwise_clip_v2_use_dst_for_bwd, 0.0f, 6.0f},
    {"hardtanh", dnnl_eltwise_clip_v2, dnnl_eltwise_clip_v2_use_dst_for_bwd, -1.0f, 1.0f},
    {"gelu", dnnl_eltwise_gelu_erf, 0, 0.0f, 0.0f},
    {"gelu_tanh", dnnl_eltwise_gelu_tanh, 0, 0.0f, 0.0f},
    {"tanh", dnnl_eltwise_tanh, dnnl_eltwise_tanh_use_dst_for_bwd, 0.0f, 0.0f},
    {"sigmoid", dnnl_eltwise_logistic, dnnl_eltwise_logistic_use_dst_for_bwd, 0.0f, 0.0f},
    {"elu", dnnl_eltwise_elu, dnnl_eltwise_elu_use_dst_for_bwd, 1.0f, 0.0f},
    {"silu", dnnl_eltwise_swish, 0, 1.0f, 0.0f},
    {"swish", dnnl_eltwise_swish, 0, 1.0f, 0.0f}, /* x sigma(beta x), clact's beta = 1 */
    {"mish", dnnl_eltwise_mish, 0, 0.0f, 0.0f},
    {"softplus", dnnl_eltwise_soft_relu, 0, 0.0f, 0.0f},
    {"log_sigmoid", dnnl_eltwise_logsigmoid, 0, 0.0f, 0.0f},
    {"hardswish", dnnl_eltwise_hardswish, 0, 0.0f, 0.0f},
    {"abs", dnnl_eltwise_abs, 0, 0.0f, 0.0f},
    {"square", dnnl_eltwise_square, 0, 0.0f, 0.0f},
    {"sqrt", dnnl_eltwise_sqrt, dnnl_eltwise_sqrt_use_dst_for_bwd, 0.0f, 0.0f},
    {"exp", dnnl_eltwise_exp, dnnl_eltwise_exp_use_dst_for_bwd, 0.0f, 0.0f},
    {"log", dnnl_eltwise_log, 0, 0.0f, 0.0f},
    {"round", dnnl_eltwise_round, 0, 0.0f, 0.0f},
    {"affine", dnnl_eltwise_linear, 0, 1.0f, 0.0f},
    {"pow", dnnl_eltwise_pow, 0, 1.0f, 1.0f}, /* alpha x^beta, clact's defaults 1 and 1 */
};

/* The row operations: clact's structured id and oneDNN's softmax v2 algorithm. */
typedef struct row_pair {
  const char *clact;
  dnnl_alg_kind_t alg;
} row_pair;

static const row_pair row_pairs[] = {
    {"softmax", dnnl_softmax_accurate},
    {"log_softmax", dnnl_softmax_log},
};

#define CHECK_DNNL(call)                                                                           \
  do {                                                                                             \
    dnnl_status_t s_ = (call);                                                                     \
    if (s_ != dnnl_success) {                                                                      \
      fprintf(stderr, "oneDNN: %s failed (status %d)\n", #call, (int)s_);                          \
      exit(4);                                                                                     \
    }                                                                                              \
  } while (0)

#define CHECK_CLACT(call)                                                                          \
  do {                                                                                             \
    clact_status s_ = (call);                                                                      \
    if (s_ != CLACT_SUCCESS) {                                                                     \
      fprintf(stderr, "clact: %s: %s\n", #call, clact_status_string(s_));                          \
      exit(4);                                                                                     \
    }                                                                                              \
  } while (0)

static double now_s(void) {
  struct timespec t;
  timespec_get(&t, TIME_UTC);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* x uniform in [-8, 8], dy in [-2, 2]: the same n values for the same n on every run. */
static void fill_inputs(float *x, float *dy, size_t n) {
  unsigned long long s = 0x5EEDull;
  for (size_t i = 0; i < n; i++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    x[i] = (float)((double)(s >> 11) * 0x1p-53 * 16.0 - 8.0);
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    dy[i] = (float)((double)(s >> 11) * 0x1p-53 * 4.0 - 2.0);
  }
}

static int wanted(const char *id, const char *const *only, int nonly) {
  int w = nonly == 0;
  for (int k = 0; k < nonly; k++)
    w |= strcmp(only[k], id) == 0;
  return w;
}

/* ---- oneDNN side -------------------------------------------------------------------------- */
typedef struct onednn {
  dnnl_engine_t engine;
  dnnl_stream_t stream;
  dnnl_memory_desc_t md;
  dnnl_memory_t x, y, dy, dx;
} onednn;

/* A 1-D tensor of n elements (format a) or a 2-D rows x cols one (format ab). */
static void onednn_init(onednn *o, int ndims, const dnnl_dim_t *shape, const float *x,
                        const float *dy) {
  CHECK_DNNL(dnnl_engine_create(&o->engine, dnnl_cpu, 0));
  CHECK_DNNL(dnnl_stream_create(&o->stream, o->engine, dnnl_stream_default_flags));
  dnnl_dims_t dims = {0};
  size_t n = 1;
  for (int i = 0; i < ndims; i++) {
    dims[i] = shape[i];
    n *= (size_t)shape[i];
  }
  CHECK_DNNL(
      dnnl_memory_desc_init_by_tag(&o->md, ndims, dims, dnnl_f32, ndims == 1 ? dnnl_a : dnnl_ab));
  dnnl_memory_t *m[] = {&o->x, &o->y, &o->dy, &o->dx};
  for (int i = 0; i < 4; i++)
    CHECK_DNNL(dnnl_memory_create(m[i], &o->md, o->engine, DNNL_MEMORY_ALLOCATE));
  void *h;
  CHECK_DNNL(dnnl_memory_get_data_handle(o->x, &h));
  memcpy(h, x, n * sizeof *x);
  CHECK_DNNL(dnnl_memory_get_data_handle(o->dy, &h));
  memcpy(h, dy, n * sizeof *dy);
  CHECK_DNNL(dnnl_memory_get_data_handle(o->y, &h));
  memset(h, 0, n * sizeof *x); /* touched once, like every other buffer */
  CHECK_DNNL(dnnl_memory_get_data_handle(o->dx, &h));
  memset(h, 0, n * sizeof *x);
}

static void onednn_fini(onednn *o) {
  dnnl_memory_destroy(o->x);
  dnnl_memory_destroy(o->y);
  dnnl_memory_destroy(o->dy);
  dnnl_memory_destroy(o->dx);
  dnnl_stream_destroy(o->stream);
  dnnl_engine_destroy(o->engine);
}

/* The primitive of one direction (0 fwd, 1 bwd, 2 bwd from y) and its arguments. */
typedef struct onednn_job {
  dnnl_primitive_t prim;
  dnnl_exec_arg_t args[3];
  int nargs;
  char impl[64]; /* the implementation oneDNN chose, e.g. "jit:avx2" */
} onednn_job;

/* Takes (and destroys) the primitive descriptor. */
static void onednn_job_finish(onednn_job *j, dnnl_primitive_desc_t pd) {
  const char *impl = "?";
  if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl) != dnnl_success)
    impl = "?";
  snprintf(j->impl, sizeof j->impl, "%s", impl);
  CHECK_DNNL(dnnl_primitive_create(&j->prim, pd));
  CHECK_DNNL(dnnl_primitive_desc_destroy(pd));
}

/* The arguments of a forward (x -> y) and of a backward from x or from y (dy -> dx). */
static void job_args(onednn_job *j, const onednn *o, int dir) {
  if (dir == 0) {
    j->args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, o->x};
    j->args[1] = (dnnl_exec_arg_t){DNNL_ARG_DST, o->y};
    j->nargs = 2;
    return;
  }
  j->args[0] = (dnnl_exec_arg_t){dir == 2 ? DNNL_ARG_DST : DNNL_ARG_SRC, dir == 2 ? o->y : o->x};
  j->args[1] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, o->dy};
  j->args[2] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_SRC, o->dx};
  j->nargs = 3;
}

/* Returns 0, or -1 when oneDNN has no such primitive (e.g. no backward of round). */
static int onednn_job_create(onednn *o, const pair *pr, int dir, onednn_job *j) {
  dnnl_eltwise_desc_t fd, bd;
  dnnl_alg_kind_t alg = dir == 2 ? pr->bwd_y : pr->fwd;
  CHECK_DNNL(
      dnnl_eltwise_forward_desc_init(&fd, dnnl_forward_training, alg, &o->md, pr->alpha, pr->beta));
  dnnl_primitive_desc_t fpd, pd;
  CHECK_DNNL(dnnl_primitive_desc_create(&fpd, &fd, NULL, o->engine, NULL));
  if (dir == 0) {
    pd = fpd;
  } else {
    if (dnnl_eltwise_backward_desc_init(&bd, alg, &o->md, &o->md, pr->alpha, pr->beta) !=
        dnnl_success) {
      CHECK_DNNL(dnnl_primitive_desc_destroy(fpd));
      return -1;
    }
    CHECK_DNNL(dnnl_primitive_desc_create(&pd, &bd, NULL, o->engine, fpd));
    CHECK_DNNL(dnnl_primitive_desc_destroy(fpd));
    /* from y: the forward output, computed once by the forward primitive of that algorithm */
  }
  job_args(j, o, dir);
  onednn_job_finish(j, pd);
  return 0;
}

/* Softmax v2 along axis 1 of the rows x cols tensor: forward (dir 0) or backward from y, the
 * forward's dst (dir 2). The forward is a training one, as the backward's hint must be (softmax
 * keeps no workspace: the same kernel as inference). */
static void onednn_rows_job_create(onednn *o, const row_pair *rp, int dir, onednn_job *j) {
  dnnl_softmax_v2_desc_t fd, bd;
  CHECK_DNNL(
      dnnl_softmax_v2_forward_desc_init(&fd, dnnl_forward_training, rp->alg, &o->md, &o->md, 1));
  dnnl_primitive_desc_t fpd, pd;
  CHECK_DNNL(dnnl_primitive_desc_create(&fpd, &fd, NULL, o->engine, NULL));
  if (dir == 0) {
    pd = fpd;
  } else {
    CHECK_DNNL(dnnl_softmax_v2_backward_desc_init(&bd, rp->alg, &o->md, &o->md, &o->md, 1));
    CHECK_DNNL(dnnl_primitive_desc_create(&pd, &bd, NULL, o->engine, fpd));
    CHECK_DNNL(dnnl_primitive_desc_destroy(fpd));
  }
  job_args(j, o, dir == 0 ? 0 : 2);
  onednn_job_finish(j, pd);
}

static double onednn_time(onednn *o, onednn_job *j) {
  double t0 = now_s();
  CHECK_DNNL(dnnl_primitive_execute(j->prim, o->stream, j->nargs, j->args));
  CHECK_DNNL(dnnl_stream_wait(o->stream));
  return now_s() - t0;
}

/* ---- clact side --------------------------------------------------------------------------- */
typedef struct device {
  clact_context *ctx;
  cl_mem x, y, dy, dx;
} device;

static void device_init(device *d, clact_context *ctx, size_t n, const float *x, const float *dy) {
  cl_int err[4];
  cl_context c = clact_context_cl(ctx);
  d->ctx = ctx;
  d->x = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, (void *)x, &err[0]);
  d->dy = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, (void *)dy, &err[1]);
  d->y = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, (void *)x, &err[2]);
  d->dx = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, (void *)dy, &err[3]);
  for (int i = 0; i < 4; i++)
    if (err[i] != CL_SUCCESS) {
      fprintf(stderr, "OpenCL: clCreateBuffer of %zu bytes failed (%d)\n", n * 4, (int)err[i]);
      exit(4);
    }
}

static void device_fini(device *d) {
  clReleaseMemObject(d->x);
  clReleaseMemObject(d->y);
  clReleaseMemObject(d->dy);
  clReleaseMemObject(d->dx);
}

/* What clact launches: an elementwise activation on n elements, or a row operation. */
typedef struct clact_job {
  int rows_op; /* 0: act on n elements; 1: op on rows x cols */
  clact_activation act;
  clact_structured op;
  int dir; /* 0 forward, 1 backward (from x), 2 backward from y */
  size_t n, rows, cols;
} clact_job;

static void clact_launch(device *d, const clact_job *j, cl_event *ev) {
  if (j->rows_op) {
    clact_tensor x = {d->x, 0, 0}, y = {d->y, 0, 0}, dy = {d->dy, 0, 0}, dx = {d->dx, 0, 0};
    if (j->dir == 0)
      CHECK_CLACT(clact_rows_forward(d->ctx, j->op, CLACT_F32, NULL, j->rows, j->cols, x, y, ev));
    else /* the softmax family's backward takes y */
      CHECK_CLACT(
          clact_rows_backward(d->ctx, j->op, CLACT_F32, NULL, j->rows, j->cols, y, dy, dx, ev));
  } else if (j->dir == 0) {
    CHECK_CLACT(clact_forward(d->ctx, j->act, CLACT_F32, NULL, j->n, d->x, 0, d->y, 0, ev));
  } else if (j->dir == 1) {
    CHECK_CLACT(
        clact_backward(d->ctx, j->act, CLACT_F32, NULL, j->n, d->x, 0, d->dy, 0, d->dx, 0, ev));
  } else {
    CHECK_CLACT(clact_backward_from_y(d->ctx, j->act, CLACT_F32, NULL, j->n, d->y, 0, d->dy, 0,
                                      d->dx, 0, ev));
  }
}

static double clact_time(device *d, const clact_job *j) {
  cl_event ev;
  clact_launch(d, j, &ev);
  clWaitForEvents(1, &ev);
  cl_ulong a = 0, b = 0;
  clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
  clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
  clReleaseEvent(ev);
  return (double)(b - a) * 1e-9;
}

/* ---- both --------------------------------------------------------------------------------- */
/* Times one direction on both sides in alternating rounds and prints its row of the table;
 * `elems` elements per launch. */
static void compare(const char *id, const char *dir, onednn *o, onednn_job *oj, device *d,
                    const clact_job *cj, double elems, int rounds, int reps) {
  double cl_rate[100], dn_rate[100], t[64];
  for (int w = 0; w < 3; w++) { /* warm-up (and compile) */
    onednn_time(o, oj);
    clact_time(d, cj);
  }
  for (int r = 0; r < rounds; r++) {
    for (int k = 0; k < reps; k++)
      t[k] = onednn_time(o, oj);
    dn_rate[r] = elems / median(t, reps) * 1e-9;
    for (int k = 0; k < reps; k++)
      t[k] = clact_time(d, cj);
    cl_rate[r] = elems / median(t, reps) * 1e-9;
  }
  double cm = median(cl_rate, rounds), dm = median(dn_rate, rounds);
  printf("%-12s %-16s %14.3f %14.3f %8.2f\n", id, dir, cm, dm, cm / dm);
  fflush(stdout);
}

/* The largest |a - b| / max(|a|, |b|, scale[i]) over the elements where that maximum is above
 * 1e-30 (a NaN or an infinity on one side only counts as infinite); scale NULL: none (the plain
 * relative difference); *at: its index. */
static double max_rel_diff(const float *a, const float *b, const float *scale, size_t n,
                           size_t *at) {
  double worst = 0;
  *at = 0;
  for (size_t i = 0; i < n; i++) {
    double u = a[i], v = b[i], m = fmax(fabs(u), fabs(v)), r;
    if (scale)
      m = fmax(m, scale[i]);
    if (u == v || (isnan(u) && isnan(v)))
      r = 0;
    else if (isnan(u) || isnan(v) || isinf(m))
      r = INFINITY;
    else if (m > 1e-30)
      r = fabs(u - v) / m;
    else
      r = 0;
    if (r > worst) {
      worst = r;
      *at = i;
    }
  }
  return worst;
}

/* The magnitude of the terms the backward computes dx_i from, with the row sum's own terms:
 * softmax, dx_i = y_i (dy_i - s) with s = sum_j y_j dy_j, |y_i| (|dy_i| + sum_j |y_j dy_j|);
 * log_softmax, dx_i = dy_i - e^y_i S with S = sum_j dy_j, |dy_i| + e^y_i sum_j |dy_j| (sums in
 * double). Where the terms cancel (in dy_i - s, or in the sum itself), dx_i is far below the
 * rounding errors of a float computation, and two correct results may differ in every digit
 * relative to dx_i alone: the check measures the difference relative to these instead. */
static void backward_scale(const row_pair *rp, const float *y, const float *dy, size_t rows,
                           size_t cols, float *scale) {
  int log_form = rp->alg == dnnl_softmax_log;
  for (size_t r = 0; r < rows; r++) {
    const float *yr = y + r * cols, *dyr = dy + r * cols;
    double s = 0;
    for (size_t c = 0; c < cols; c++)
      s += log_form ? fabs(dyr[c]) : fabs((double)yr[c] * dyr[c]);
    for (size_t c = 0; c < cols; c++)
      scale[r * cols + c] = log_form ? (float)(fabs(dyr[c]) + exp(yr[c]) * s)
                                     : (float)(fabs(yr[c]) * (fabs(dyr[c]) + s));
  }
}

static const char *const dirs[3] = {"forward", "backward", "backward_from_y"};

/* Forward on x, then backward from y, on both sides, compared; the backward runs from clact's y
 * on both (copied into oneDNN's dst), so that it is compared alone. Prints the max relative
 * difference (backward: also relative to the magnitude of its terms, backward_scale) and exits
 * with status 5 when the one checked (forward: relative to the result; backward: to its terms)
 * is over 1e-4. dy: the inputs' dy on the host; host, scale: rows * cols floats of scratch. */
static void check_rows(onednn *o, device *d, const row_pair *rp, clact_structured op, size_t rows,
                       size_t cols, const float *dy, float *host, float *scale) {
  size_t n = rows * cols;
  for (int dir = 0; dir <= 2; dir += 2) {
    onednn_job j;
    onednn_rows_job_create(o, rp, dir, &j);
    clact_job cj = {1, (clact_activation)0, op, dir, n, rows, cols};
    if (dir == 2) /* host: clact's y */
      backward_scale(rp, host, dy, rows, cols, scale);
    clact_launch(d, &cj, NULL);
    cl_int err = clEnqueueReadBuffer(clact_context_queue(d->ctx), dir == 0 ? d->y : d->dx, CL_TRUE,
                                     0, n * sizeof *host, host, 0, NULL, NULL);
    if (err != CL_SUCCESS) {
      fprintf(stderr, "OpenCL: clEnqueueReadBuffer failed (%d)\n", (int)err);
      exit(4);
    }
    onednn_time(o, &j);
    void *h;
    CHECK_DNNL(dnnl_memory_get_data_handle(dir == 0 ? o->y : o->dx, &h));
    const float *ref = h;
    size_t at, at_t = 0;
    double rel = max_rel_diff(host, ref, NULL, n, &at), rel_t = rel;
    printf("check %-12s %-16s max rel diff %.3g at (%zu, %zu): clact %.9g, oneDNN %.9g (%s)\n",
           rp->clact, dirs[dir], rel, at / cols, at % cols, host[at], ref[at], j.impl);
    if (dir == 2) {
      rel_t = max_rel_diff(host, ref, scale, n, &at_t);
      printf("check %-12s %-16s max diff relative to the terms %.3g at (%zu, %zu)\n", rp->clact,
             dirs[dir], rel_t, at_t / cols, at_t % cols);
    }
    if (!(rel_t <= 1e-4)) {
      fprintf(stderr,
              "compare_onednn: clact's and oneDNN's %s %s differ by %.3g relative (> 1e-4) at "
              "row %zu, column %zu: not the same function?\n",
              rp->clact, dirs[dir], rel_t, at_t / cols, at_t % cols);
      exit(5);
    }
    if (dir == 0) {
      CHECK_DNNL(dnnl_memory_get_data_handle(o->y, &h));
      memcpy(h, host, n * sizeof *host);
    }
    dnnl_primitive_destroy(j.prim);
  }
}

int main(int argc, char **argv) {
  size_t n = (size_t)1 << 24, rows = 4096, cols = 4096;
  int rounds = 7, reps = 9;
  const char *device_spec = NULL;
  const char *only[64];
  int nonly = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--n") == 0 && i + 1 < argc)
      n = (size_t)strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc)
      rows = (size_t)strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--cols") == 0 && i + 1 < argc)
      cols = (size_t)strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
      rounds = atoi(argv[++i]);
    else if (strcmp(argv[i], "--device") == 0 && i + 1 < argc)
      device_spec = argv[++i];
    else if (argv[i][0] != '-' && nonly < 64)
      only[nonly++] = argv[i];
    else {
      fprintf(stderr, "usage: compare_onednn [--n N] [--rows R] [--cols C] [--rounds K] "
                      "[--device P:D] [ID...]\n");
      return 2;
    }
  }
  if (n == 0 || n > SIZE_MAX / 4 || rows == 0 || cols == 0 || rows > SIZE_MAX / 4 / cols ||
      rounds < 1 || rounds > 100) {
    fprintf(stderr, "compare_onednn: --n, --rows and --cols must be >= 1 (and fit in memory), "
                    "--rounds in [1, 100]\n");
    return 2;
  }
  /* which of the two families are wanted (and in this build of clact) */
  int any_elt = 0, any_rows = 0;
  for (size_t pi = 0; pi < sizeof pairs / sizeof pairs[0]; pi++) {
    clact_activation act;
    any_elt |= wanted(pairs[pi].clact, only, nonly) &&
               clact_lookup(pairs[pi].clact, &act) == CLACT_SUCCESS;
  }
  for (size_t pi = 0; pi < sizeof row_pairs / sizeof row_pairs[0]; pi++) {
    clact_structured op;
    any_rows |= wanted(row_pairs[pi].clact, only, nonly) &&
                clact_structured_lookup(row_pairs[pi].clact, &op) == CLACT_SUCCESS;
  }
  size_t rn = rows * cols;
  float *x = NULL, *dy = NULL, *rx = NULL, *rdy = NULL, *rh = NULL, *rs = NULL;
  if (any_elt) {
    x = malloc(n * sizeof *x);
    dy = malloc(n * sizeof *dy);
    if (!x || !dy)
      return 4;
    fill_inputs(x, dy, n);
  }
  if (any_rows) {
    rx = malloc(rn * sizeof *rx);
    rdy = malloc(rn * sizeof *rdy);
    rh = malloc(rn * sizeof *rh);
    rs = malloc(rn * sizeof *rs);
    if (!rx || !rdy || !rh || !rs)
      return 4;
    fill_inputs(rx, rdy, rn);
  }
  clact_context *ctx;
  CHECK_CLACT(clact_context_create(&ctx, device_spec));
  onednn o, ro;
  device d, rd;
  if (any_elt) {
    dnnl_dim_t shape[1] = {(dnnl_dim_t)n};
    onednn_init(&o, 1, shape, x, dy);
    device_init(&d, ctx, n, x, dy);
  }
  if (any_rows) {
    dnnl_dim_t shape[2] = {(dnnl_dim_t)rows, (dnnl_dim_t)cols};
    onednn_init(&ro, 2, shape, rx, rdy);
    device_init(&rd, ctx, rn, rx, rdy);
  }
  const dnnl_version_t *v = dnnl_version();
  char dev[256] = "?";
  clGetDeviceInfo(clact_context_device(ctx), CL_DEVICE_NAME, sizeof dev - 1, dev, NULL);
  printf("clact %s on %s vs oneDNN %d.%d.%d (cpu, %s threads), f32, n = %zu, rows x cols = "
         "%zu x %zu, %d rounds of %d launches\n\n",
         clact_version(), dev, v->major, v->minor, v->patch,
         getenv("OMP_NUM_THREADS") ? getenv("OMP_NUM_THREADS") : "all", n, rows, cols, rounds,
         reps);
  if (any_rows) { /* the row operations' outputs, compared before anything is timed */
    for (size_t pi = 0; pi < sizeof row_pairs / sizeof row_pairs[0]; pi++) {
      clact_structured op;
      if (wanted(row_pairs[pi].clact, only, nonly) &&
          clact_structured_lookup(row_pairs[pi].clact, &op) == CLACT_SUCCESS)
        check_rows(&ro, &rd, &row_pairs[pi], op, rows, cols, rdy, rh, rs);
    }
    printf("\n");
  }
  printf("%-12s %-16s %14s %14s %8s\n", "activation", "direction", "clact Gelem/s",
         "oneDNN Gelem/s", "ratio");
  for (size_t pi = 0; any_elt && pi < sizeof pairs / sizeof pairs[0]; pi++) {
    const pair *pr = &pairs[pi];
    clact_activation act;
    if (!wanted(pr->clact, only, nonly) || clact_lookup(pr->clact, &act) != CLACT_SUCCESS)
      continue; /* not in this build of clact (yet) */
    for (int dir = 0; dir < 3; dir++) {
      if (dir == 2 && (!pr->bwd_y || clact_has_backward_from_y(act, NULL) != CLACT_SUCCESS))
        continue;
      onednn_job j;
      if (onednn_job_create(&o, pr, dir, &j) != 0) {
        printf("%-12s %-16s %14s %14s %8s  (oneDNN has no such primitive)\n", pr->clact, dirs[dir],
               "-", "-", "-");
        continue;
      }
      if (dir == 2) { /* y = f(x) on both sides */
        onednn_job f;
        pair fwd = *pr;
        fwd.fwd = pr->bwd_y;
        (void)onednn_job_create(&o, &fwd, 0, &f); /* a forward always exists */
        onednn_time(&o, &f);
        dnnl_primitive_destroy(f.prim);
        CHECK_CLACT(clact_forward(ctx, act, CLACT_F32, NULL, n, d.x, 0, d.y, 0, NULL));
      }
      clact_job cj = {0, act, (clact_structured)0, dir, n, 0, 0};
      compare(pr->clact, dirs[dir], &o, &j, &d, &cj, (double)n, rounds, reps);
      dnnl_primitive_destroy(j.prim);
    }
  }
  for (size_t pi = 0; any_rows && pi < sizeof row_pairs / sizeof row_pairs[0]; pi++) {
    const row_pair *rp = &row_pairs[pi];
    clact_structured op;
    if (!wanted(rp->clact, only, nonly) || clact_structured_lookup(rp->clact, &op) != CLACT_SUCCESS)
      continue;
    /* y: left by check_rows (clact's, on both sides); each forward rewrites its own side's y
     * with that side's forward output before the backward from y is timed */
    for (int dir = 0; dir <= 2; dir += 2) {
      onednn_job j;
      onednn_rows_job_create(&ro, rp, dir, &j);
      clact_job cj = {1, (clact_activation)0, op, dir, rn, rows, cols};
      compare(rp->clact, dirs[dir], &ro, &j, &rd, &cj, (double)rn, rounds, reps);
      dnnl_primitive_destroy(j.prim);
    }
  }
  if (any_elt) {
    onednn_fini(&o);
    device_fini(&d);
  }
  if (any_rows) {
    onednn_fini(&ro);
    device_fini(&rd);
  }
  clact_context_destroy(ctx);
  free(x);
  free(dy);
  free(rx);
  free(rdy);
  free(rh);
  free(rs);
  return 0;
}
