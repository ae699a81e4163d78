/* bench/compare_onednn.c: clact against oneDNN's float32 eltwise primitives on the same
 * machine, in the same run, interleaved (built only when oneDNN is found; never required).
 *
 * For every activation both libraries have: forward, backward (from x) and, where oneDNN has a
 * *_use_dst_for_bwd algorithm, backward from y. Both sides run out of place on n elements with
 * the same inputs (x uniform in [-8, 8], dy in [-2, 2]); each side's buffers are written once
 * before timing. oneDNN is timed with the host clock around one execute + stream wait, clact with
 * profiling events; each measurement is the median of `reps` launches after a warm-up, and the
 * two sides alternate in rounds (the machine is shared and noisy: alternation keeps them under
 * the same conditions); the ratio printed is clact's G elements/s over oneDNN's (> 1: clact
 * faster), from the medians of the per-round figures.
 * oneDNN threads: its OpenMP runtime, OMP_NUM_THREADS (default: all cores).
 *
 * Usage: compare_onednn [--n N] [--rounds R] [--device P:D] [ID...] */
#include "clact.h"

#include <oneapi/dnnl/dnnl.h>

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

/* ---- oneDNN side -------------------------------------------------------------------------- */
typedef struct onednn {
  dnnl_engine_t engine;
  dnnl_stream_t stream;
  dnnl_memory_desc_t md;
  dnnl_memory_t x, y, dy, dx;
} onednn;

static void onednn_init(onednn *o, size_t n, const float *x, const float *dy) {
  CHECK_DNNL(dnnl_engine_create(&o->engine, dnnl_cpu, 0));
  CHECK_DNNL(dnnl_stream_create(&o->stream, o->engine, dnnl_stream_default_flags));
  dnnl_dims_t dims = {(dnnl_dim_t)n};
  CHECK_DNNL(dnnl_memory_desc_init_by_tag(&o->md, 1, dims, dnnl_f32, dnnl_a));
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

/* The primitive of one direction (0 fwd, 1 bwd, 2 bwd from y) and its arguments. */
typedef struct onednn_job {
  dnnl_primitive_t prim;
  dnnl_exec_arg_t args[3];
  int nargs;
} onednn_job;

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
    j->args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, o->x};
    j->args[1] = (dnnl_exec_arg_t){DNNL_ARG_DST, o->y};
    j->nargs = 2;
  } else {
    if (dnnl_eltwise_backward_desc_init(&bd, alg, &o->md, &o->md, pr->alpha, pr->beta) !=
        dnnl_success) {
      CHECK_DNNL(dnnl_primitive_desc_destroy(fpd));
      return -1;
    }
    CHECK_DNNL(dnnl_primitive_desc_create(&pd, &bd, NULL, o->engine, fpd));
    CHECK_DNNL(dnnl_primitive_desc_destroy(fpd));
    /* from y: the forward output, computed once by the forward primitive of that algorithm */
    j->args[0] = (dnnl_exec_arg_t){dir == 2 ? DNNL_ARG_DST : DNNL_ARG_SRC, dir == 2 ? o->y : o->x};
    j->args[1] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, o->dy};
    j->args[2] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_SRC, o->dx};
    j->nargs = 3;
  }
  CHECK_DNNL(dnnl_primitive_create(&j->prim, pd));
  CHECK_DNNL(dnnl_primitive_desc_destroy(pd));
  return 0;
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

static double clact_time(device *d, clact_activation act, int dir, size_t n) {
  cl_event ev;
  if (dir == 0)
    CHECK_CLACT(clact_forward(d->ctx, act, CLACT_F32, NULL, n, d->x, 0, d->y, 0, &ev));
  else if (dir == 1)
    CHECK_CLACT(clact_backward(d->ctx, act, CLACT_F32, NULL, n, d->x, 0, d->dy, 0, d->dx, 0, &ev));
  else
    CHECK_CLACT(
        clact_backward_from_y(d->ctx, act, CLACT_F32, NULL, n, d->y, 0, d->dy, 0, d->dx, 0, &ev));
  clWaitForEvents(1, &ev);
  cl_ulong a = 0, b = 0;
  clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
  clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
  clReleaseEvent(ev);
  return (double)(b - a) * 1e-9;
}

int main(int argc, char **argv) {
  size_t n = (size_t)1 << 24;
  int rounds = 7, reps = 9;
  const char *device_spec = NULL;
  const char *only[64];
  int nonly = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--n") == 0 && i + 1 < argc)
      n = (size_t)strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
      rounds = atoi(argv[++i]);
    else if (strcmp(argv[i], "--device") == 0 && i + 1 < argc)
      device_spec = argv[++i];
    else if (argv[i][0] != '-' && nonly < 64)
      only[nonly++] = argv[i];
    else {
      fprintf(stderr, "usage: compare_onednn [--n N] [--rounds R] [--device P:D] [ID...]\n");
      return 2;
    }
  }
  if (n == 0 || rounds < 1 || rounds > 100) {
    fprintf(stderr, "compare_onednn: --n must be >= 1 and --rounds in [1, 100]\n");
    return 2;
  }
  float *x = malloc(n * sizeof *x), *dy = malloc(n * sizeof *dy);
  if (!x || !dy)
    return 4;
  unsigned long long s = 0x5EEDull;
  for (size_t i = 0; i < n; i++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    x[i] = (float)((double)(s >> 11) * 0x1p-53 * 16.0 - 8.0);
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    dy[i] = (float)((double)(s >> 11) * 0x1p-53 * 4.0 - 2.0);
  }
  onednn o;
  onednn_init(&o, n, x, dy);
  device d;
  CHECK_CLACT(clact_context_create(&d.ctx, device_spec));
  cl_int err;
  cl_context c = clact_context_cl(d.ctx);
  d.x = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, x, &err);
  d.dy = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, dy, &err);
  d.y = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, x, &err);
  d.dx = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, dy, &err);
  const dnnl_version_t *v = dnnl_version();
  char dev[256] = "?";
  clGetDeviceInfo(clact_context_device(d.ctx), CL_DEVICE_NAME, sizeof dev - 1, dev, NULL);
  printf("clact %s on %s vs oneDNN %d.%d.%d (cpu, %s threads), f32, n = %zu, %d rounds of %d "
         "launches\n\n",
         clact_version(), dev, v->major, v->minor, v->patch,
         getenv("OMP_NUM_THREADS") ? getenv("OMP_NUM_THREADS") : "all", n, rounds, reps);
  printf("%-12s %-16s %14s %14s %8s\n", "activation", "direction", "clact Gelem/s",
         "oneDNN Gelem/s", "ratio");
  static const char *const dirs[3] = {"forward", "backward", "backward_from_y"};
  for (size_t pi = 0; pi < sizeof pairs / sizeof pairs[0]; pi++) {
    const pair *pr = &pairs[pi];
    clact_activation act;
    int wanted = nonly == 0;
    for (int k = 0; k < nonly; k++)
      wanted |= strcmp(only[k], pr->clact) == 0;
    if (!wanted || clact_lookup(pr->clact, &act) != CLACT_SUCCESS)
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
        CHECK_CLACT(clact_forward(d.ctx, act, CLACT_F32, NULL, n, d.x, 0, d.y, 0, NULL));
      }
      double cl_rate[100], dn_rate[100], t[64];
      for (int w = 0; w < 3; w++) { /* warm-up (and compile) */
        onednn_time(&o, &j);
        clact_time(&d, act, dir, n);
      }
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < reps; k++)
          t[k] = onednn_time(&o, &j);
        dn_rate[r] = (double)n / median(t, reps) * 1e-9;
        for (int k = 0; k < reps; k++)
          t[k] = clact_time(&d, act, dir, n);
        cl_rate[r] = (double)n / median(t, reps) * 1e-9;
      }
      double cm = median(cl_rate, rounds), dm = median(dn_rate, rounds);
      printf("%-12s %-16s %14.3f %14.3f %8.2f\n", pr->clact, dirs[dir], cm, dm, cm / dm);
      fflush(stdout);
      dnnl_primitive_destroy(j.prim);
    }
  }
  dnnl_memory_destroy(o.x);
  dnnl_memory_destroy(o.y);
  dnnl_memory_destroy(o.dy);
  dnnl_memory_destroy(o.dx);
  dnnl_stream_destroy(o.stream);
  dnnl_engine_destroy(o.engine);
  clReleaseMemObject(d.x);
  clReleaseMemObject(d.y);
  clReleaseMemObject(d.dy);
  clReleaseMemObject(d.dx);
  clact_context_destroy(d.ctx);
  free(x);
  free(dy);
  return 0;
}
