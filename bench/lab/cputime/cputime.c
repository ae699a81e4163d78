/* bench/lab/cputime/cputime.c: CPU time (user + system, all of the process's threads, PoCL's
 * workers included) per element of an activation's forward or backward over a fixed number of
 * launches. On a shared, loaded machine the wall-clock medians of `clact bench` swing 2x from
 * run to run; the CPU time a fixed amount of work takes moves far less (it still rises somewhat
 * when another process shares the core's caches), so two kernel versions (CLACT_KERNEL_DIR) can
 * be compared in the same minutes.
 * Build: gcc -O2 -std=gnu11 -Iinclude bench/lab/cputime/cputime.c -o /tmp/cputime \
 *          build/libclact.a -lOpenCL -lm -lpthread
 * Usage: cputime ID fwd|bwd [N] [LAUNCHES] [DTYPE]   (default 2^24 elements, 40 launches,
 *        f32; a row operation such as softmax runs on 4096-wide rows, N/4096 of them; 16-bit
 *        dtypes read the float32 data's bits as pairs of elements) */
#include "clact.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static double cpu_s(void) {
  struct rusage r;
  getrusage(RUSAGE_SELF, &r);
  return (double)r.ru_utime.tv_sec + (double)r.ru_utime.tv_usec * 1e-6 + (double)r.ru_stime.tv_sec +
         (double)r.ru_stime.tv_usec * 1e-6;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: cputime ID fwd|bwd [N] [LAUNCHES]\n");
    return 2;
  }
  size_t n = argc > 3 ? strtoull(argv[3], 0, 0) : (size_t)1 << 24;
  int launches = argc > 4 ? atoi(argv[4]) : 40;
  int bwd = strcmp(argv[2], "bwd") == 0;
  clact_dtype dt = CLACT_F32;
  if (argc > 5 && clact_dtype_lookup(argv[5], &dt) != CLACT_SUCCESS)
    return 2;
  clact_activation act;
  clact_structured op;
  int rows_op = clact_lookup(argv[1], &act) != CLACT_SUCCESS;
  clact_context *ctx;
  if ((rows_op && clact_structured_lookup(argv[1], &op) != CLACT_SUCCESS) ||
      clact_context_create(&ctx, NULL))
    return 3;
  const size_t cols = 4096;
  cl_int e;
  cl_mem b[3];
  float *h = malloc(n * sizeof *h);
  for (size_t i = 0; i < n; i++)
    h[i] = (float)((double)(i * 2654435761u % 1000003u) / 1000003.0 * 16.0 - 8.0);
  for (int i = 0; i < 3; i++) {
    b[i] = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                          n * sizeof *h, h, &e);
    if (e != CL_SUCCESS)
      return 4;
  }
  double t0 = 0;
  for (int it = -3; it < launches; it++) { /* 3 warm-up launches */
    if (it == 0) {
      clFinish(clact_context_queue(ctx));
      t0 = cpu_s();
    }
    clact_status st;
    if (rows_op) {
      clact_tensor t0 = {b[0], 0, 0}, t1 = {b[1], 0, 0}, t2 = {b[2], 0, 0};
      st = bwd ? clact_rows_backward(ctx, op, dt, NULL, n / cols, cols, t0, t1, t2, NULL)
               : clact_rows_forward(ctx, op, dt, NULL, n / cols, cols, t0, t2, NULL);
    } else {
      st = bwd ? clact_backward(ctx, act, dt, NULL, n, b[0], 0, b[1], 0, b[2], 0, NULL)
               : clact_forward(ctx, act, dt, NULL, n, b[0], 0, b[2], 0, NULL);
    }
    if (st != CLACT_SUCCESS)
      return 5;
  }
  clFinish(clact_context_queue(ctx));
  double t = cpu_s() - t0;
  printf("%s %s %s: %.3f CPU ns per element (%d launches of %zu)\n", argv[1], argv[2],
         clact_dtype_name(dt), t * 1e9 / ((double)launches * (double)n), launches, n);
  for (int i = 0; i < 3; i++)
    clReleaseMemObject(b[i]);
  clact_context_destroy(ctx);
  free(h);
  return 0;
}
