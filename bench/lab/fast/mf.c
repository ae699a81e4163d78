/* bench/lab/fast/mf.c: float emulation (float, fmaf, no contraction) of a cheaper mish forward,
 * operation for operation as kernels/mish.cl's float32 mish_fwd (VARIANT 219), swept against
 * the library's double reference over the patterns OFFSET + i STRIDE.
 * Build: gcc -O2 -march=native -ffp-contract=off -Iinclude bench/lab/fast/mf.c \
 *          -o /tmp/mf build-hC/libclact.a -lOpenCL -lm -lpthread
 * Run:   /tmp/mf STRIDE OFFSET VARIANT (STRIDE 1 = all 2^32; VARIANT a mask of the corrections
 *        kept: 1 r's rounding error in s, 2 E's rounding error, 4 A = 2 + w's error (x < 0),
 *        8 the product errors of N (x < 0), 16 D's low part (x < 0), 32 the low parts of N and D
 *        (x >= 0), 64 the quotient corrected by its residual (else N/D rounded), 128 x >= 0's
 *        D by one fma, 256 x >= 0's N by TwoSum alone; 127 = all pairs, 219 = the kernel
 *        since it shares clact_exp_rt, 218 the kernel before; without 1, r and s are single
 *        fma roundings). Counts > 2.5 ulp, and
 *        wrong classes (NaN, inf, the sign of zero at x = +-0 and +-inf). */
#include "clact.h"
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float asf(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}
static uint32_t asu(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}
#define LOG2E 0x1.715476p+0f
#define LN2_HI 0x1.62e43p-1f
#define LN2_LO -0x1.05c61p-29f
#define C2 0x1p-1f
#define C3 0x1.555556p-3f
#define C4 0x1.555502p-5f
#define C5 0x1.110ff4p-7f
#define C6 0x1.6d2e0ep-10f
#define C7 0x1.a262bp-13f

static float pow2i(int k) {
  return asf((uint32_t)(k + 127) << 23);
}

static int variant = 127;
#define V(b) (variant & (b))

/* mish(x) = x N/D: x < 0, w = e^x: N = w (2 + w), D = 2 + N; x >= 0, w = e^-x: N = 1 + 2w,
 * D = N + 2w^2. w = 2^kb E, E = 1 + s (+ El), kb = max(k, -40); N and D as pairs, one
 * reciprocal corrected by the exact residual, x q rounded once, 2^(k - kb) last (x < 0). */
static float mish_m(float x) {
  float xc = x < -112.0f ? -112.0f : x; /* below, the result rounds to -0 */
  xc = xc > 112.0f ? 112.0f : xc;       /* (x >= 20 is selected away) */
  float h = -fabsf(xc);
  float sh = fmaf(h, LOG2E, 0x1.8p23f);
  float kf = sh - 0x1.8p23f;
  float r1 = fmaf(-kf, LN2_HI, h); /* exact */
  float c = -kf * LN2_LO;
  float r = V(1) ? r1 + c : fmaf(-kf, LN2_LO, r1);
  float re = V(1) ? (r1 - r) + c : 0.0f;
  float q = fmaf(C7, r, C6);
  q = fmaf(q, r, C5);
  q = fmaf(q, r, C4);
  q = fmaf(q, r, C3);
  q = fmaf(q, r, C2);
  float s = V(1) ? r + fmaf(r * r, q, re) : fmaf(r * r, q, r);
  int k = (int)asu(sh) - 0x4b400000;
  float E = 1.0f + s;
  float El = V(2) ? (1.0f - E) + s : 0.0f;
  int kb = k < -40 ? -40 : k;
  float p = pow2i(kb);
  float w = p * E, wl = p * El;
  /* x < 0 */
  float A = 2.0f + w;
  float Al = V(4) ? ((2.0f - A) + w) + wl : 0.0f;
  float nh = w * A;
  float nl = V(8) ? fmaf(w, A, -nh) + fmaf(w, Al, wl * A) : 0.0f;
  float dh = 2.0f + nh;
  float dl = V(16) ? ((2.0f - dh) + nh) + nl : 0.0f;
  /* x >= 0 */
  float w2 = 2.0f * w;
  float ph = 1.0f + w2;
  float pl = 0.0f, th = w2 * w, tl = 0.0f;
  if (V(32) || V(256)) {
    float bb = ph - 1.0f;
    pl = ((1.0f - (ph - bb)) + (w2 - bb)) + 2.0f * wl; /* TwoSum */
  }
  if (V(32))
    tl = fmaf(w2, w, -th) + 2.0f * w2 * wl;
  float Dh = V(128) ? fmaf(w2, w, ph) : ph + th;
  float Dl = V(32) ? (((ph - Dh) + th) + (pl + tl)) : V(256) ? pl : 0.0f; /* Fast2Sum, ph > th */
  int neg = x < 0.0f;
  float Nh = neg ? nh : ph, Nl = neg ? nl : pl;
  Dh = neg ? dh : Dh;
  Dl = neg ? dl : Dl;
  float g0, gc;
  if (V(64)) {
    float rr = 1.0f / Dh;
    g0 = Nh * rr;
    float res = fmaf(-g0, Dh, Nh);
    res = fmaf(-g0, Dl, res + Nl);
    gc = res * rr;
  } else {
    g0 = Nh / Dh;
    gc = 0.0f;
  }
  float f = fmaf(xc, g0, xc * gc) * pow2i(neg ? k - kb : 0);
  f = x >= 20.0f ? x : f;
  return x == 0.0f ? x : f;
}

static double gmax[2], gat[2];
static uint64_t gover[2];
static uint64_t stride, offset;
static clact_activation act;

static void *work(void *arg) {
  long t = (long)arg;
  double mx = 0, at = 0;
  uint64_t over = 0;
  double pr[CLACT_MAX_PARAMS] = {1, 1, 1, 1};
  for (uint64_t i = offset + (uint64_t)t * stride; i < (1ull << 32); i += 2 * stride) {
    float x = asf((uint32_t)i);
    float got = mish_m(x);
    if (isnan(x)) {
      if (!isnan(got))
        over++;
      continue;
    }
    double ref = clact_reference_forward(act, (double)x, pr);
    double e = clact_ulp_error_f32(got, ref);
    if (((x == 0 || isinf(x)) && (got != ref || !signbit(got) != !signbit(ref))) ||
        !isinf(ref) != !isinf(got))
      e = 1e9;
    if (e > mx) {
      mx = e;
      at = x;
    }
    if (e > 2.5)
      over++;
  }
  gmax[t] = mx;
  gat[t] = at;
  gover[t] = over;
  return 0;
}

int main(int argc, char **argv) {
  stride = argc > 1 ? strtoull(argv[1], 0, 0) : 256;
  offset = argc > 2 ? strtoull(argv[2], 0, 0) : 0;
  variant = argc > 3 ? atoi(argv[3]) : 127;
  clact_lookup("mish", &act);
  pthread_t th[2];
  for (long i = 0; i < 2; i++)
    pthread_create(&th[i], 0, work, (void *)i);
  for (int i = 0; i < 2; i++)
    pthread_join(th[i], 0);
  int b = gmax[0] > gmax[1] ? 0 : 1;
  printf("mish v%d stride %llu offset %llu: max %.4f ulp at %.9g, over 2.5 (or wrong class): "
         "%llu\n",
         variant, (unsigned long long)stride, (unsigned long long)offset, gmax[b], gat[b],
         (unsigned long long)(gover[0] + gover[1]));
  return 0;
}
