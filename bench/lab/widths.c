/* bench/lab/widths.c: median kernel time of copy, forward and backward of one activation at
 * each vector width, interleaved, through the library (profiling events). Lab tool, not a test.
 * Usage: widths ID [N] [DTYPE] (inputs: float32 patterns, read as the dtype's elements) */
#include "clact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static clact_dtype dt = CLACT_F32;

static double run(clact_context *ctx, clact_activation act, int what, size_t n, cl_mem x, cl_mem dy,
                  cl_mem out) {
  double t[31];
  for (int r = -3; r < 31; r++) {
    cl_event e;
    clact_status st = what == 0   ? clact_copy(ctx, dt, n, x, 0, out, 0, &e)
                      : what == 1 ? clact_forward(ctx, act, dt, NULL, n, x, 0, out, 0, &e)
                                  : clact_backward(ctx, act, dt, NULL, n, x, 0, dy, 0, out, 0, &e);
    if (st) {
      fprintf(stderr, "%s\n", clact_status_string(st));
      exit(1);
    }
    clWaitForEvents(1, &e);
    cl_ulong a, b;
    clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
    clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
    clReleaseEvent(e);
    if (r >= 0)
      t[r] = (double)(b - a) * 1e-6;
  }
  qsort(t, 31, sizeof t[0], cmp);
  return t[15];
}

int main(int argc, char **argv) {
  clact_activation act;
  if (argc < 2 || clact_lookup(argv[1], &act))
    return 2;
  size_t n = argc > 2 ? (size_t)atol(argv[2]) : (size_t)1 << 24;
  if (argc > 3 && clact_dtype_lookup(argv[3], &dt))
    return 2;
  clact_context *ctx;
  if (clact_context_create(&ctx, NULL))
    return 4;
  cl_int err;
  cl_mem b[3];
  float *h = malloc(n * 4);
  for (size_t i = 0; i < n; i++)
    h[i] = (float)((double)(i % 4096) / 256.0 - 8.0);
  if (dt == CLACT_F16 || dt == CLACT_BF16) { /* the same values, encoded in the dtype */
    unsigned short *e = (unsigned short *)h;
    for (size_t i = 0; i < n; i++) {
      float v = (float)((double)(i % 4096) / 256.0 - 8.0);
      unsigned u;
      memcpy(&u, &v, 4);
      if (dt == CLACT_BF16) {
        e[i] = (unsigned short)(u >> 16); /* exact: i/256 has few bits */
      } else {
        _Float16 hv = (_Float16)v;
        memcpy(&e[i], &hv, 2);
      }
    }
  }
  for (int i = 0; i < 3; i++) {
    b[i] = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, h,
                          &err);
  }
  unsigned widths[] = {1, 2, 4, 8, 16};
  for (int w = 0; w < 5; w++) {
    clact_context_set_vector_width(ctx, widths[w]);
    double c = run(ctx, act, 0, n, b[0], b[1], b[2]);
    double f = run(ctx, act, 1, n, b[0], b[1], b[2]);
    double c2 = run(ctx, act, 0, n, b[0], b[1], b[2]);
    double g = run(ctx, act, 2, n, b[0], b[1], b[2]);
    printf("%-10s %s vw=%-2u copy %.3f ms  fwd %.3f ms (%.2f Gelem/s, %.2f x copy GB/s)  bwd %.3f "
           "ms (%.2f Gelem/s, %.2f x copy GB/s)\n",
           argv[1], clact_dtype_name(dt), widths[w], (c + c2) / 2, f, n / f * 1e-6, c / f, g,
           n / g * 1e-6, 1.5 * c2 / g);
  }
  clact_context_destroy(ctx);
  return 0;
}
