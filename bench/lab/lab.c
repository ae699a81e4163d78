/* bench/lab/lab.c: a throw-away timing harness for kernel variants (llm.c style).
 * Usage: lab FILE.cl KERNEL VW LOCAL N [BUILD_OPTIONS]
 * The kernel takes (const float *x, float *y, ulong n); each work-item does VW elements.
 * Prints the median kernel time (profiling events) and G elements/s. Validation of a variant
 * against the reference is done by the library's checker before a variant is adopted. */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: lab FILE.cl KERNEL VW LOCAL N [OPTIONS]\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 3;
  static char src[1 << 20];
  size_t len = fread(src, 1, sizeof src - 1, f);
  fclose(f);
  src[len] = 0;
  unsigned vw = (unsigned)atoi(argv[3]);
  size_t local = (size_t)atol(argv[4]);
  size_t n = (size_t)atol(argv[5]);
  char opts[1024];
  snprintf(opts, sizeof opts, "-cl-std=CL1.2 -DVW=%u %s", vw, argc > 6 ? argv[6] : "");
  cl_platform_id pl;
  cl_device_id dev;
  cl_int err;
  clGetPlatformIDs(1, &pl, NULL);
  clGetDeviceIDs(pl, CL_DEVICE_TYPE_ALL, 1, &dev, NULL);
  cl_context ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &err);
  cl_command_queue q = clCreateCommandQueue(ctx, dev, CL_QUEUE_PROFILING_ENABLE, &err);
  const char *s = src;
  cl_program p = clCreateProgramWithSource(ctx, 1, &s, NULL, &err);
  if (clBuildProgram(p, 1, &dev, opts, NULL, NULL) != CL_SUCCESS) {
    static char log[1 << 16];
    clGetProgramBuildInfo(p, dev, CL_PROGRAM_BUILD_LOG, sizeof log, log, NULL);
    fprintf(stderr, "%s\n", log);
    return 4;
  }
  cl_kernel k = clCreateKernel(p, argv[2], &err);
  if (err) { fprintf(stderr, "kernel %d\n", err); return 4; }
  float *h = malloc(n * sizeof *h);
  for (size_t i = 0; i < n; i++) h[i] = (float)((double)(i % 1000) / 50.0 - 10.0);
  cl_mem x = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * 4, h, &err);
  cl_mem y = clCreateBuffer(ctx, CL_MEM_READ_WRITE, n * 4, NULL, &err);
  cl_ulong nn = n;
  clSetKernelArg(k, 0, sizeof x, &x);
  clSetKernelArg(k, 1, sizeof y, &y);
  clSetKernelArg(k, 2, sizeof nn, &nn);
  size_t items = (n + vw - 1) / vw;
  size_t global = (items + local - 1) / local * local;
  double t[64];
  int reps = 25;
  for (int r = -3; r < reps; r++) {
    cl_event e;
    clEnqueueNDRangeKernel(q, k, 1, NULL, &global, &local, 0, NULL, &e);
    clWaitForEvents(1, &e);
    cl_ulong a, b;
    clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL);
    clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL);
    clReleaseEvent(e);
    if (r >= 0) t[r] = (double)(b - a) * 1e-9;
  }
  qsort(t, (size_t)reps, sizeof t[0], cmp);
  clEnqueueReadBuffer(q, y, CL_TRUE, 0, n * 4, h, 0, NULL, NULL);
  printf("%-28s vw=%-2u local=%-4zu n=%zu median %.3f ms  %.2f Gelem/s  y[123]=%g\n", argv[2], vw,
         local, n, t[reps / 2] * 1e3, (double)n / t[reps / 2] * 1e-9, (double)h[123]);
  return 0;
}
