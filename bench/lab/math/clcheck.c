/* clcheck.c: the PoCL build of clact_math.clh against its host build (math_host.c), bit for bit.
 *   clcheck [-P PRELUDE] [-naive] [VW ...]      (default: prelude_stub.clh, VW 1 8 16)
 * -naive: instead, the forward error of the built-in versions (lab_kernels.cl, LAB_NAIVE) and of
 *         clact_math.clh on the same inputs against ref.h, for comparison.
 * ~4.2 M inputs: specials and thresholds, random subnormals, random bit patterns, every 2048th
 * bit pattern, random values in [-25, 25]; dy: the special set {FLT_MAX, 1e30, 1e-30, 2^-149,
 * +-inf, NaN, -0} one time in 8, otherwise random sign and exponent in [-20, 20] (some +-120).
 * Every fwd, bwd and bwd_y kernel, with the default parameters and a second set. Results must be
 * bit-identical; two NaNs count as equal (payloads are not specified) and are reported apart. */
#include "cl_util.h"
#include "math_host.h"
#include "ref.h"
#include <float.h>
#include <math.h>
#include <stdint.h>

static float fb(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}
static uint32_t bf(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}
static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static const char *names[7] = {"sigmoid", "tanh", "softplus", "elu", "silu", "gelu", "gelu_tanh"};
static const int has_y[7] = {1, 1, 1, 1, 0, 0, 0};

int main(int argc, char **argv) {
  const char *prelude = "prelude_stub.clh";
  int vws[8], nvw = 0, naive = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-P") && i + 1 < argc)
      prelude = argv[++i];
    else if (!strcmp(argv[i], "-naive"))
      naive = 1;
    else if (nvw < 8)
      vws[nvw++] = atoi(argv[i]);
  }
  if (!nvw) {
    vws[0] = 1;
    vws[1] = 8;
    vws[2] = 16;
    nvw = 3;
  }
  /* inputs */
  size_t cap = 1u << 23, n = 0;
  float *x = malloc(cap * 4), *dy = malloc(cap * 4);
  static const float sp[] = {0.0f,        0x1p-149f,
                             0x1p-148f,   0x1.8p-148f,
                             0x1p-127f,   0x1.fffffcp-127f,
                             0x1p-126f,   0x1.000002p-126f,
                             0x1p-100f,   0x1p-64f,
                             0x1p-25f,    0x1p-24f,
                             1e-8f,       1e-4f,
                             0.25f,       0.3465736f,
                             0.34657359f, 0.5f,
                             0.6931472f,  0.75f,
                             0.7517915f,  1.0f,
                             1.2784645f,  1.75f,
                             2.0f,        2.625f,
                             3.0f,        3.5f,
                             5.0f,        5.4f,
                             8.0f,        9.01f,
                             10.0f,       11.0f,
                             14.2f,       14.4f,
                             16.0f,       17.33f,
                             19.9f,       20.0f,
                             20.000002f,  30.0f,
                             40.0f,       44.0f,
                             64.0f,       87.3f,
                             88.7f,       89.0f,
                             93.0f,       100.0f,
                             103.97f,     104.0f,
                             150.0f,      192.0f,
                             200.0f,      201.0f,
                             1e4f,        1e19f,
                             1.9e19f,     1e30f,
                             FLT_MAX,     INFINITY};
  for (size_t i = 0; i < sizeof sp / sizeof sp[0]; i++)
    for (int d = -3; d <= 3; d++)
      for (int s = 0; s < 2; s++) {
        uint32_t b = bf(sp[i]);
        if (isinf(sp[i]) && d)
          continue;
        b = (uint32_t)((int64_t)b + d);
        x[n++] = s ? -fb(b) : fb(b);
      }
  uint32_t nans[] = {0x7fc00000u, 0xffc00000u, 0x7f800001u, 0x7fa00000u, 0xffffffffu};
  for (int i = 0; i < 5; i++)
    x[n++] = fb(nans[i]);
  for (int i = 0; i < (1 << 19); i++)
    x[n++] = fb((uint32_t)(next() & 0x807fffffu));
  for (int i = 0; i < (1 << 20); i++)
    x[n++] = fb((uint32_t)next());
  for (uint64_t b = 977; b < (1ull << 32); b += 2048)
    x[n++] = fb((uint32_t)b);
  for (int i = 0; i < (1 << 19); i++)
    x[n++] = (float)((double)(next() >> 11) * 0x1p-53 * 50 - 25);
  while (n % 16)
    x[n++] = 1.0f;
  static const float dset[8] = {FLT_MAX, 1e30f, 1e-30f, 0x1p-149f, INFINITY, -INFINITY, NAN, -0.0f};
  for (size_t i = 0; i < n; i++) {
    uint64_t r = next();
    if ((r & 7) == 0)
      dy[i] = dset[(r >> 3) & 7];
    else {
      int e = (int)((r >> 8) % 41) - 20;
      if (((r >> 20) & 31) == 0)
        e = (r >> 25) & 1 ? 120 : -120;
      float v = ldexpf(1.0f + (float)((r >> 32) & 0x7fffff) * 0x1p-23f, e);
      dy[i] = (r >> 63) ? -v : v;
    }
  }
  printf("clcheck: %zu inputs, prelude %s\n", n, prelude);

  lab_cl c;
  lab_cl_init(&c, 0);
  char dname[256];
  clGetDeviceInfo(c.dev, CL_DEVICE_NAME, sizeof dname, dname, NULL);
  printf("device: %s\n", dname);
  cl_int err;
  cl_mem bx = clCreateBuffer(c.ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n * 4, x, &err);
  CK(err);
  cl_mem bdy = clCreateBuffer(c.ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n * 4, dy, &err);
  CK(err);
  cl_mem bo = clCreateBuffer(c.ctx, CL_MEM_WRITE_ONLY, n * 4, NULL, &err);
  CK(err);
  float *dev = malloc(n * 4), *host = malloc(n * 4);
  static const float params[2][7][2] = {
      {{0, 0}, {0, 0}, {1, 20}, {1, 0}, {0, 0}, {0, 0}, {0, 0}},
      {{0, 0}, {0, 0}, {3, 5}, {1.6732632f, 0}, {0, 0}, {0, 0}, {0, 0}},
  };
  int bad = 0;
  if (naive) {
    cl_program prog = lab_build(&c, prelude, vws[0], "-DLAB_NAIVE");
    for (int f = 0; f < 7; f++)
      for (int w = 0; w < 2; w++) {
        char kn[64];
        snprintf(kn, sizeof kn, w ? "k_%s_fwd" : "n_%s_fwd_k", names[f]);
        cl_kernel k = clCreateKernel(prog, kn, &err);
        CK(err);
        cl_uint nn = (cl_uint)n;
        float p[4] = {params[0][f][0], params[0][f][1], 0, 0};
        CK(clSetKernelArg(k, 0, sizeof bx, &bx));
        CK(clSetKernelArg(k, 1, sizeof bo, &bo));
        CK(clSetKernelArg(k, 2, sizeof nn, &nn));
        CK(clSetKernelArg(k, 3, sizeof(float), &p[0]));
        CK(clSetKernelArg(k, 4, sizeof(float), &p[1]));
        size_t local = 256, items = n / (size_t)vws[0];
        size_t global = (items + local - 1) / local * local;
        CK(clEnqueueNDRangeKernel(c.q, k, 1, NULL, &global, &local, 0, NULL, NULL));
        CK(clEnqueueReadBuffer(c.q, bo, CL_TRUE, 0, n * 4, dev, 0, NULL, NULL));
        clReleaseKernel(k);
        double worst = 0, wx = 0;
        size_t ncls = 0;
        for (size_t i = 0; i < n; i++) {
          double r = ref_fwd(f, x[i], p[0], p[1]);
          if (isnan(r) || isnan(dev[i])) {
            ncls += isnan(r) != isnan(dev[i]);
            continue;
          }
          if (isinf(r) || isinf(dev[i])) {
            ncls += !(isinf(r) && dev[i] == r) && !(fabs(r) >= 0x1.ffffffp127 && isinf(dev[i]));
            continue;
          }
          int e;
          frexp(r, &e);
          if (r == 0 || e < -125)
            e = -125;
          double u = fabs((double)dev[i] - r) / ldexp(1.0, e - 24);
          if (u > worst)
            worst = u, wx = x[i];
        }
        printf("VW=%d %-10s fwd %-8s max %.4g ulp at x=%.9g, %zu class errors\n", vws[0], names[f],
               w ? "clact" : "built-in", worst, wx, ncls);
      }
    return 0;
  }
  for (int v = 0; v < nvw; v++) {
    cl_program prog = lab_build(&c, prelude, vws[v], NULL);
    for (int f = 0; f < 7; f++)
      for (int d = 0; d < 3; d++)
        for (int ps = 0; ps < 2; ps++) {
          if (d == 2 && !has_y[f])
            continue;
          if (ps == 1 && f != 2 && f != 3)
            continue;
          static const char *dn[3] = {"fwd", "bwd", "bwd_y"};
          char kn[64];
          snprintf(kn, sizeof kn, "k_%s_%s", names[f], dn[d]);
          cl_kernel k = clCreateKernel(prog, kn, &err);
          CK(err);
          cl_uint nn = (cl_uint)n;
          float p[4] = {params[ps][f][0], params[ps][f][1], 0, 0};
          int a = 0;
          CK(clSetKernelArg(k, a++, sizeof bx, &bx));
          if (d)
            CK(clSetKernelArg(k, a++, sizeof bdy, &bdy));
          CK(clSetKernelArg(k, a++, sizeof bo, &bo));
          CK(clSetKernelArg(k, a++, sizeof nn, &nn));
          CK(clSetKernelArg(k, a++, sizeof(float), &p[0]));
          CK(clSetKernelArg(k, a++, sizeof(float), &p[1]));
          size_t local = 256, items = n / (size_t)vws[v];
          size_t global = (items + local - 1) / local * local;
          CK(clEnqueueNDRangeKernel(c.q, k, 1, NULL, &global, &local, 0, NULL, NULL));
          CK(clEnqueueReadBuffer(c.q, bo, CL_TRUE, 0, n * 4, dev, 0, NULL, NULL));
          clReleaseKernel(k);
          const host_fns *h = &host_table[f];
          for (size_t i = 0; i < n; i++)
            host[i] = d == 0   ? h->fwd(x[i], p)
                      : d == 1 ? h->bwd(x[i], dy[i], p)
                               : h->bwd_y(x[i], dy[i], p);
          size_t mism = 0, bothnan = 0, first = 0;
          for (size_t i = 0; i < n; i++) {
            if (isnan(dev[i]) && isnan(host[i])) {
              bothnan++;
              continue;
            }
            if (bf(dev[i]) != bf(host[i]) && !mism++)
              first = i;
          }
          printf("VW=%-2d %-10s %-5s p=(%g,%g): %s  %zu mismatches, %zu NaN pairs", vws[v],
                 names[f], dn[d], (double)p[0], (double)p[1], mism ? "DIFFERENT" : "bit-identical",
                 mism, bothnan);
          if (mism)
            printf("  first x=%a dy=%a dev=%a host=%a", (double)x[first], (double)dy[first],
                   (double)dev[first], (double)host[first]);
          printf("\n");
          bad |= mism != 0;
        }
    clReleaseProgram(prog);
  }
  return bad;
}
