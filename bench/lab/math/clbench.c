/* clbench.c: PoCL timing of clact_math.clh against the built-in versions and a copy kernel, all in
 * one run (the machine is shared: compare ratios, not absolute numbers).
 *   clbench [-P PRELUDE] [-n LOG2N] [-r REPS] [-x FILE -k K1,K2,..] [VW ...]
 *   (default n = 2^24, 25 reps, VW 8 16; -x appends a source file and -k times only the listed
 *   one-input kernels of it, against k_copy: for experiments)
 * local size 256; x uniform in [-10, 10], dy in [-1, 1]; median kernel time from profiling events
 * after 3 warm-up launches; G elements/s and the ratio to copy (fwd: 1 in 1 out) or copy2 (bwd:
 * 2 in 1 out). Kernels are interleaved round-robin so that noise hits all of them alike. */
#include "cl_util.h"
#include <math.h>
#include <stdint.h>

static int cmpd(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static const char *fn[7] = {"sigmoid", "tanh", "softplus", "elu", "silu", "gelu", "gelu_tanh"};
static const int has_y[7] = {1, 1, 1, 1, 0, 0, 0};

typedef struct {
  char name[48];
  cl_kernel k;
  int two, ref; /* two inputs; ref: index of the kernel it is compared with */
  double t[128];
} kent;

int main(int argc, char **argv) {
  const char *prelude = "prelude_stub.clh";
  int vws[8], nvw = 0, lg = 24, reps = 25;
  const char *only = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-P") && i + 1 < argc)
      prelude = argv[++i];
    else if (!strcmp(argv[i], "-n") && i + 1 < argc)
      lg = atoi(argv[++i]);
    else if (!strcmp(argv[i], "-r") && i + 1 < argc)
      reps = atoi(argv[++i]);
    else if (!strcmp(argv[i], "-x") && i + 1 < argc)
      lab_extra_file = argv[++i];
    else if (!strcmp(argv[i], "-k") && i + 1 < argc)
      only = argv[++i];
    else if (nvw < 8)
      vws[nvw++] = atoi(argv[i]);
  }
  if (!nvw) {
    vws[0] = 8;
    vws[1] = 16;
    nvw = 2;
  }
  if (reps > 128)
    reps = 128;
  size_t n = (size_t)1 << lg;
  float *x = malloc(n * 4), *dy = malloc(n * 4);
  uint64_t r = 88172645463325252ull;
  for (size_t i = 0; i < n; i++) {
    r ^= r << 13, r ^= r >> 7, r ^= r << 17;
    x[i] = (float)((double)(r >> 11) * 0x1p-53 * 20 - 10);
    dy[i] = (float)((double)(r & 0xffffff) * 0x1p-24 * 2 - 1);
  }
  lab_cl c;
  lab_cl_init(&c, 1);
  char dname[256];
  clGetDeviceInfo(c.dev, CL_DEVICE_NAME, sizeof dname, dname, NULL);
  cl_int err;
  cl_mem bx = clCreateBuffer(c.ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n * 4, x, &err);
  CK(err);
  cl_mem bdy = clCreateBuffer(c.ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n * 4, dy, &err);
  CK(err);
  cl_mem bo = clCreateBuffer(c.ctx, CL_MEM_READ_WRITE, n * 4, NULL, &err);
  CK(err);
  printf("clbench: device %s, n = 2^%d, local 256, median of %d runs (after 3 warm-up)\n", dname,
         lg, reps);
  for (int v = 0; v < nvw; v++) {
    cl_program prog = lab_build(&c, prelude, vws[v], "-DLAB_NAIVE");
    kent ks[64];
    int nk = 0;
#define ADD(nm, two_, ref_)                                                                        \
  do {                                                                                             \
    snprintf(ks[nk].name, sizeof ks[nk].name, "%s", nm);                                           \
    ks[nk].k = clCreateKernel(prog, nm, &err);                                                     \
    CK(err);                                                                                       \
    ks[nk].two = two_;                                                                             \
    ks[nk].ref = ref_;                                                                             \
    nk++;                                                                                          \
  } while (0)
    ADD("k_copy", 0, -1);
    ADD("k_copy2", 1, -1);
    if (only) {
      char buf[1024];
      snprintf(buf, sizeof buf, "%s", only);
      for (char *t = strtok(buf, ","); t; t = strtok(NULL, ","))
        ADD(t, 0, 0);
    }
    for (int f = 0; f < 7 && !only; f++) {
      char b[48];
      snprintf(b, sizeof b, "k_%s_fwd", fn[f]);
      ADD(b, 0, 0);
      snprintf(b, sizeof b, "n_%s_fwd_k", fn[f]);
      ADD(b, 0, 0);
      snprintf(b, sizeof b, "k_%s_bwd", fn[f]);
      ADD(b, 1, 1);
      snprintf(b, sizeof b, "n_%s_bwd_k", fn[f]);
      ADD(b, 1, 1);
      if (has_y[f]) {
        snprintf(b, sizeof b, "k_%s_bwd_y", fn[f]);
        ADD(b, 1, 1);
      }
    }
    cl_uint nn = (cl_uint)n;
    for (int i = 0; i < nk; i++) {
      float p0 = strstr(ks[i].name, "softplus") || strstr(ks[i].name, "elu") ? 1.0f : 0.0f;
      float p1 = strstr(ks[i].name, "softplus") ? 20.0f : 0.0f;
      int a = 0;
      CK(clSetKernelArg(ks[i].k, a++, sizeof bx, &bx));
      if (ks[i].two)
        CK(clSetKernelArg(ks[i].k, a++, sizeof bdy, &bdy));
      CK(clSetKernelArg(ks[i].k, a++, sizeof bo, &bo));
      CK(clSetKernelArg(ks[i].k, a++, sizeof nn, &nn));
      CK(clSetKernelArg(ks[i].k, a++, sizeof p0, &p0));
      CK(clSetKernelArg(ks[i].k, a++, sizeof p1, &p1));
    }
    size_t local = 256, items = n / (size_t)vws[v];
    size_t global = (items + local - 1) / local * local;
    for (int rep = -3; rep < reps; rep++)
      for (int i = 0; i < nk; i++) {
        cl_event e;
        CK(clEnqueueNDRangeKernel(c.q, ks[i].k, 1, NULL, &global, &local, 0, NULL, &e));
        CK(clWaitForEvents(1, &e));
        cl_ulong t0, t1;
        clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_START, sizeof t0, &t0, NULL);
        clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_END, sizeof t1, &t1, NULL);
        clReleaseEvent(e);
        if (rep >= 0)
          ks[i].t[rep] = (double)(t1 - t0) * 1e-9;
      }
    printf("VW=%d\n  %-22s %9s %9s %9s\n", vws[v], "kernel", "ms", "Gelem/s", "vs copy");
    double med[64];
    for (int i = 0; i < nk; i++) {
      qsort(ks[i].t, (size_t)reps, sizeof(double), cmpd);
      med[i] = ks[i].t[reps / 2];
    }
    for (int i = 0; i < nk; i++) {
      printf("  %-22s %9.3f %9.3f", ks[i].name, med[i] * 1e3, (double)n / med[i] * 1e-9);
      if (ks[i].ref >= 0)
        printf(" %8.2fx", med[ks[i].ref] / med[i]);
      printf("\n");
      clReleaseKernel(ks[i].k);
    }
    clReleaseProgram(prog);
  }
  return 0;
}
