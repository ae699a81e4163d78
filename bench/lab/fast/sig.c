/* bench/lab/fast/sig.c: host emulation (float, fmaf, no contraction) of cheaper logistic-family
 * kernels, swept over float32 bit patterns against the library's double reference.
 * Build: gcc -O2 -march=native -ffp-contract=off -Iinclude bench/lab/fast/sig.c \
 *          -o bench/lab/fast/sig build/libclact.a -lOpenCL -lm -lpthread
 * Run:   bench/lab/fast/sig FUNC STRIDE VARIANT (FUNC: sigf silf sigb silb; STRIDE 1 = all 2^32;
 *        VARIANT 3 is what kernels/sigmoid.cl and silu.cl do, 1 and 2 the uncorrected quotient
 *        tried first: 2.31 ulp for sigmoid, over its bound of 2). */
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

/* e^h = 2^k (1 + s), h clamped to [-200, 120] (NaN stays); as kernels/common.clh clact_exps
 * with lo = 0. */
static float exps(float h, int *k) {
  h = h < -200.0f ? -200.0f : h;
  h = h > 120.0f ? 120.0f : h;
  float sh = h * LOG2E + 0x1.8p23f;
  float kf = sh - 0x1.8p23f;
  float r1 = fmaf(-kf, LN2_HI, h);
  float r = r1 + fmaf(-kf, LN2_LO, 0.0f);
  float q = fmaf(C7, r, C6);
  q = fmaf(q, r, C5);
  q = fmaf(q, r, C4);
  q = fmaf(q, r, C3);
  q = fmaf(q, r, C2);
  *k = (int)asu(sh) - 0x4b400000;
  return fmaf(r * r, q, r);
}

/* variant 2: keep r's rounding error (as the prelude's exp_core) */
static float exps2(float h, int *k) {
  h = h < -200.0f ? -200.0f : h;
  h = h > 120.0f ? 120.0f : h;
  float sh = h * LOG2E + 0x1.8p23f;
  float kf = sh - 0x1.8p23f;
  float r1 = fmaf(-kf, LN2_HI, h);
  float c = -kf * LN2_LO;
  float r = r1 + c;
  float re = (r1 - r) + c;
  float q = fmaf(C7, r, C6);
  q = fmaf(q, r, C5);
  q = fmaf(q, r, C4);
  q = fmaf(q, r, C3);
  q = fmaf(q, r, C2);
  *k = (int)asu(sh) - 0x4b400000;
  return r + fmaf(r * r, q, re);
}

static int variant = 1;

/* n / (1 + e^z): d = 1 + 2^k (1 + s) formed by one fma; k > 64 scaled by 2^-64. */
static float n_over_1pe(float n, float z) {
  int k;
  float s = variant == 2 ? exps2(z, &k) : exps(z, &k);
  int big = k > 64;
  int kb = big ? k - 64 : k;
  kb = kb < -60 ? -60 : kb;
  float p = pow2i(kb);
  float one = big ? 0x1p-64f : 1.0f;
  float d = fmaf(p, s, p + one);
  float q = n / d;
  return big ? q * 0x1p-64f : q;
}

/* 1 / (1 + e^z) with the rounding error of d kept (d + dl exact) and one residual correction. */
static float n_inv_1pe(float n, float z) {
  int k;
  float s = exps(z, &k);
  int big = k > 64;
  int kb = big ? k - 64 : k;
  kb = kb < -60 ? -60 : kb;
  float p = pow2i(kb);
  float one = big ? 0x1p-64f : 1.0f;
  float a = p + one;
  float al = p >= one ? (p - a) + one : (one - a) + p; /* Fast2Sum, larger first */
  float b = p * s;                                     /* exact */
  float d = a + b;
  float dl = ((a - d) + b) + al; /* Fast2Sum (|a| >= |b|) */
  float q = 1.0f / d;
  float rho = fmaf(-q, d, 1.0f);
  float qc = fmaf(fmaf(-q, dl, rho), q, q);
  float nq = n * qc;
  return big ? nq * 0x1p-64f : nq;
}

static float sigf(float x) {
  return variant == 3 ? n_inv_1pe(1.0f, -x) : n_over_1pe(1.0f, -x);
}
static float silf(float x) {
  /* x / (1 + e^-x); x < -104 and -inf: -0 ... reference says? big |x| */
  float xc = x < -200.0f ? -200.0f : x;
  float r = variant == 3 ? n_inv_1pe(xc, -xc) : n_over_1pe(xc, -xc);
  return x > 20.0f ? x : r;
}

/* dy * 2^k * g, the power applied in two steps below 2^-64 (as the prelude's clact_mul_pow2) */
static float ldexpf2(float v, int k) {
  k = k < -252 ? -252 : k;
  k = k > 254 ? 254 : k;
  int k1 = k / 2;
  return v * pow2i(k1) * pow2i(k - k1);
}
static float mul_pow2(float dy, float g, int k) {
  int ka = k < -64 ? -64 : k;
  return ldexpf2(dy * (g * pow2i(ka)), k - ka);
}

/* sigma'(x) = E / (1 + E)^2, E = e^-|x| = 2^k (1 + s) */
static float sigb(float x, float dy) {
  int k;
  float s = exps(-fabsf(x), &k);
  int kb = k < -60 ? -60 : k;
  float p = pow2i(kb);
  float d = fmaf(p, s, p + 1.0f);
  float q = 1.0f / d;
  if (variant == 4) {
    float a = p + 1.0f;
    float al = (1.0f - a) + p;
    float b = p * s;
    float dd = a + b;
    float dl = ((a - dd) + b) + al;
    q = 1.0f / dd;
    float rho = fmaf(-q, dd, 1.0f);
    q = fmaf(fmaf(-q, dl, rho), q, q);
  }
  float g = ((1.0f + s) * q) * q;
  float dx = mul_pow2(dy, g, k);
  return isinf(x) ? dy * 0.0f : dx;
}

/* silu'(x) = z < 0: E (d + x) / d^2; z >= 0: (d + x E) / d^2; d = 1 + E */
static float silb(float x, float dy) {
  float xc = x < -200.0f ? -200.0f : x;
  xc = xc > 200.0f ? 200.0f : xc;
  int k;
  float s = exps(-fabsf(xc), &k);
  int kb = k < -60 ? -60 : k;
  float p = pow2i(kb);
  float d = fmaf(p, s, p + 1.0f);
  float q = 1.0f / d;
  float e = p * (1.0f + s);
  float gn = ((1.0f + s) * ((d + xc) * q)) * q;
  float gp = fmaf(xc, e, d) * q * q;
  float dx = xc < 0.0f ? mul_pow2(dy, gn, k) : dy * gp;
  return (isinf(x) && x < 0.0f) ? dy * 0.0f : dx;
}

/* mish = x tanh(softplus x). x >= 0 (e = e^-x): x (1 + 2e)/(1 + 2e + 2e^2);
 * x < 0 (e = e^x = 2^k m): x m (2 + e) / (2 + e (2 + e)) times 2^k. */
static float mishf(float x) {
  float xc = x < -200.0f ? -200.0f : x;
  int k;
  float s = exps(-fabsf(xc), &k);
  int kb = k < -60 ? -60 : k;
  float p = pow2i(kb);
  float e = fmaf(p, s, p);
  /* x < 0 */
  float a = variant >= 5 ? fmaf(p, s, 2.0f + p) : 2.0f + e;
  float fn = variant >= 4 ? ldexpf2(xc * (fmaf(s, a, a) / fmaf(e, a, 2.0f)), k)
                          : ldexpf2((fmaf(xc, s, xc) * a) / fmaf(e, a, 2.0f), k);
  /* x >= 0 */
  float num = fmaf(2.0f, e, 1.0f);
  float den = fmaf(2.0f * e, e, num);
  float fp = (x * num) / den;
  fp = x >= 20.0f ? x : fp;
  float f = x < 0.0f ? fn : fp;
  return x == 0.0f ? x : f;
}

/* variant 6: pairs and one corrected quotient (g = N/D as q0 + c), x g rounded once.
 * x < 0: g = E A / (w A + 2), A = 2 + w, w = 2^kb E, f = x g 2^k;
 * x >= 0: g = (1 + 2e) / (1 + 2e + 2e^2), e = 2^kb E; E = 1 + s exact as a pair. */
static float two_sum(float a, float b, float *e) {
  float s = a + b, bb = s - a;
  *e = (a - (s - bb)) + (b - bb);
  return s;
}
static float mish6(float x) {
  float xc = x < -200.0f ? -200.0f : x;
  int k;
  float s = exps(-fabsf(xc), &k);
  float eh = 1.0f + s, el = (1.0f - eh) + s;
  int kb = k < -60 ? -60 : k;
  float p = pow2i(kb);
  float w = p * eh, wl = p * el;
  /* x < 0 */
  float ah = 2.0f + w, al = ((2.0f - ah) + w) + wl;
  float nh = eh * ah, nl = fmaf(eh, ah, -nh) + fmaf(eh, al, el * ah);
  float ww = w * ah, wwl = fmaf(w, ah, -ww) + fmaf(w, al, wl * ah);
  float dh = 2.0f + ww, dl = ((2.0f - dh) + ww) + wwl;
  /* x >= 0 */
  float pe;
  float ph = two_sum(1.0f, 2.0f * w, &pe);
  float pl = pe + 2.0f * wl;
  float qh = 2.0f * w * w, ql = fmaf(2.0f * w, w, -qh) + 4.0f * w * wl;
  float qe;
  float Dh = two_sum(ph, qh, &qe);
  float Dl = qe + (pl + ql);
  int neg = x < 0.0f;
  float Nh = neg ? nh : ph, Nl = neg ? nl : pl;
  Dh = neg ? dh : Dh;
  Dl = neg ? dl : Dl;
  float r = 1.0f / Dh;
  float q0 = Nh * r;
  float res = fmaf(-q0, Dh, Nh);
  res = fmaf(-q0, Dl, res + Nl);
  float c = res * r;
  int ka = neg ? (k < -64 ? -64 : k) : 0;
  float xs = xc * pow2i(ka);
  float f = ldexpf2(fmaf(xs, q0, xs * c), neg ? k - ka : 0);
  f = x >= 20.0f ? x : f;
  return x == 0.0f ? x : f;
}

/* mish' = [n (n + 2) + 4x w (1 + w)] / (n + 2)^2, w = e^x, n = w (w + 2), with plain roundings:
 * x < 0: E [A D + 4x (1 + w)] / D^2 times 2^k (A = 2 + w, D = 2 + w A, w = 2^kb E);
 * x >= 0 (e = e^-x): [N P + 4x e^2 (1 + e)] / P^2, N = 1 + 2e, P = N + 2e^2. */
static float mishb(float x, float dy) {
  float xc = x < -200.0f ? -200.0f : x > 200.0f ? 200.0f : x;
  int k;
  float s = exps(-fabsf(xc), &k);
  int kb = k < -60 ? -60 : k;
  float p = pow2i(kb);
  float E = 1.0f + s;
  float w = p * E;
  float A = 2.0f + w;
  float D = fmaf(w, A, 2.0f);
  float Bn = fmaf(A, D, 4.0f * xc * (1.0f + w));
  float El = (1.0f - E) + s; /* E's rounding error (Fast2Sum) */
  float gn = variant == 2   ? (E * Bn / D) / D
             : variant == 3 ? fmaf(E, Bn, El * Bn) / (D * D)
                            : (E * Bn) / (D * D);
  float N = fmaf(2.0f, w, 1.0f);
  float P = fmaf(2.0f * w, w, N);
  float Bp = fmaf(N, P, 4.0f * xc * w * w * (1.0f + w));
  float gp = variant == 2 ? (Bp / P) / P : Bp / (P * P);
  if (variant == 5) { /* the products expanded as polynomials in w: 4 + small, one rounding */
    float AD = fmaf(w, fmaf(w, 4.0f + w, 6.0f), 4.0f);                /* (2 + w)(2 + w(2 + w)) */
    float D2 = fmaf(w, fmaf(w, fmaf(w, 4.0f + w, 8.0f), 8.0f), 4.0f); /* (2 + w(2 + w))^2 */
    float x4 = 4.0f * xc;
    float B = AD + fmaf(x4, w, x4);
    float g5 = fmaf(E, B, El * B) / D2;
    float NP = fmaf(w, fmaf(w, fmaf(4.0f, w, 6.0f), 4.0f), 1.0f); /* (1+2e)(1+2e+2e^2) */
    float P2 = fmaf(w, fmaf(w, fmaf(w, fmaf(4.0f, w, 8.0f), 8.0f), 4.0f), 1.0f); /* P^2 */
    float Bq = NP + x4 * w * fmaf(w, w, w);
    float gq = Bq / P2;
    float dx5 = xc < 0.0f ? mul_pow2(dy, g5, k) : dy * (getenv("MB_POS1") ? gp : gq);
    return (isinf(x) && x < 0.0f) ? dy * 0.0f : dx5;
  }
  if (variant == 4) { /* the arithmetic in double from the float s: the error of s alone */
    double Ed = 1.0 + (double)s, wd = ldexp(Ed, k), Ad = 2 + wd, Dd = wd * Ad + 2;
    double g = wd * (Ad * Dd + 4.0 * xc * (1 + wd)) / (Dd * Dd);
    if (xc >= 0) {
      double Nd = 1 + 2 * wd, Pd = Nd + 2 * wd * wd;
      g = (Nd * Pd + 4.0 * xc * wd * wd * (1 + wd)) / (Pd * Pd);
    }
    return (float)(dy * g);
  }
  float dx = xc < 0.0f ? mul_pow2(dy, gn, k) : dy * gp;
  return (isinf(x) && x < 0.0f) ? dy * 0.0f : dx;
}

/* gelu' = Phi(x) + x phi(x) from Phi(-t) = e^(-t^2/2) P(w), w = 1/(1 + t/4) (bench/lab/gelu_fast
 * variant WC4: w corrected, the last 4 Horner steps compensated), phi(t) e^(t^2/2) = 1/sqrt(2 pi):
 * f'(-t) = e^(-t^2/2) (P - t/sqrt(2 pi)) = g 2^k;  x < 0: dy g 2^k;  x >= 0: dy (1 - g 2^k). */
static const float GW[13] = {0x1.5a6482p-22f, 0x1.98797ep-4f,  0x1.991d18p-4f, 0x1.7a1a1ep-4f,
                             0x1.6596c2p-4f,  0x1.53544cp-5f,  0x1.87da2ap-4f, -0x1.d514c2p-5f,
                             0x1.37dc14p-4f,  -0x1.47c0a4p-7f, -0x1.c69a2p-5f, 0x1.377874p-5f,
                             -0x1.f94e52p-8f}; /* degree 12 on t in [0, 20] (fit 2^-32.2) */
static float exps_lo(float h, float lo, int *k) {
  float hc = h < -200.0f ? -200.0f : h;
  hc = hc > 120.0f ? 120.0f : hc;
  lo = hc == h ? lo : 0.0f;
  float sh = hc * LOG2E + 0x1.8p23f;
  float kf = sh - 0x1.8p23f;
  float r1 = fmaf(-kf, LN2_HI, hc);
  float r = r1 + fmaf(-kf, LN2_LO, lo);
  float q = fmaf(C7, r, C6);
  q = fmaf(q, r, C5);
  q = fmaf(q, r, C4);
  q = fmaf(q, r, C3);
  q = fmaf(q, r, C2);
  *k = (int)asu(sh) - 0x4b400000;
  return fmaf(r * r, q, r);
}
static float gelub(float x, float dy) {
  float t = fabsf(x);
  t = t > 20.0f ? 20.0f : t;
  float q4 = 0.25f * t, dh = 1.0f + q4;
  float dl = q4 > 1.0f ? (q4 - dh) + 1.0f : (1.0f - dh) + q4;
  float w = 1.0f / dh;
  float wl = w * fmaf(-w, dl, fmaf(-w, dh, 1.0f));
  float p = GW[12], dp = 0.0f, pe = 0.0f;
  int ncomp = variant; /* steps compensated */
  for (int i = 11; i >= 0; i--) {
    dp = fmaf(dp, w, p);
    if (i < ncomp) {
      float ph = p * w, pl = fmaf(p, w, -ph);
      float sum = ph + GW[i], bb = sum - ph;
      pe = fmaf(pe, w, pl + ((ph - (sum - bb)) + (GW[i] - bb)));
      p = sum;
    } else {
      p = fmaf(p, w, GW[i]);
    }
  }
  p = p + fmaf(dp, wl, pe);
  float sh = t * t, sl = fmaf(t, t, -sh);
  int k;
  float s = exps_lo(-0.5f * sh, -0.5f * sl, &k);
  float eh = 1.0f + s, el = (1.0f - eh) + s;
  float c = fmaf(-t, 0x1.988454p-2f, p); /* P - t/sqrt(2 pi) */
  float g = fmaf(eh, c, el * c);
  int kb = k < -60 ? -60 : k;
  float dx = x < 0.0f ? mul_pow2(dy, g, k) : dy * (1.0f - g * pow2i(kb));
  return isinf(x) ? dy * (x > 0.0f ? 1.0f : 0.0f) : dx;
}

static double ulpf(double r) {
  int e = -125;
  if (r != 0 && isfinite(r)) {
    frexp(r, &e);
    if (e < -125)
      e = -125;
  }
  return ldexp(1.0, e - 24);
}

static double bwd_err(float got, double dy, double d, double mag) {
  double ref = dy * d;
  if (isnan(ref) || isnan(got))
    return isnan(ref) && isnan(got) ? 0 : INFINITY;
  if (isinf(ref) || isinf(got))
    return (double)got == ref ? 0 : INFINITY;
  return fabs(got - ref) / (ulpf(ref) + 0x1p-24 * fabs(dy) * mag);
}

static float hdy(uint64_t i) { /* a pseudo-random dy of any magnitude in [2^-20, 2^20] */
  uint64_t h = i * 0x9E3779B97F4A7C15ull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  float m = 1.0f + (float)(h & 0xFFFFFF) * 0x1p-24f;
  int e = (int)((h >> 24) % 41) - 20;
  return ((h >> 40) & 1 ? -m : m) * pow2i(e);
}

static double gmax[64];
static double gat[64];
static uint64_t gover[64];
static int func;
static uint64_t stride;
static clact_activation act;

static void *work(void *arg) {
  long t = (long)arg;
  double mx = 0, at = 0;
  uint64_t over = 0;
  double p[CLACT_MAX_PARAMS] = {1, 1, 1, 1};
  for (uint64_t i = (uint64_t)t * stride; i < (1ull << 32); i += 2 * stride) {
    float x = asf((uint32_t)i);
    if (isnan(x))
      continue;
    double e;
    if (func == 0 || func == 1 || func == 4) { /* forward; 2, 3, 5 backward */
      float got = func == 0 ? sigf(x) : func == 1 ? silf(x) : variant == 6 ? mish6(x) : mishf(x);
      double ref = clact_reference_forward(act, (double)x, p);
      e = clact_ulp_error_f32(got, ref);
    } else {
      float dy = (i >> 8) & 1 ? hdy(i) : 1.0f;
      float got = func == 2   ? sigb(x, dy)
                  : func == 3 ? silb(x, dy)
                  : func == 5 ? mishb(x, dy)
                              : gelub(x, dy);
      double mag;
      double dref = clact_reference_derivative(act, (double)x, p, &mag);
      e = bwd_err(got, dy, dref, mag);
    }
    if (e > mx) {
      mx = e;
      at = x;
    }
    if (e > (func < 2 ? 2.0 : 4.0) || (func == 4 && e > 4.0))
      over++;
  }
  gmax[t] = mx;
  gat[t] = at;
  gover[t] = over;
  return 0;
}

int main(int argc, char **argv) {
  const char *f = argc > 1 ? argv[1] : "sigf";
  stride = argc > 2 ? strtoull(argv[2], 0, 0) : 256;
  variant = argc > 3 ? atoi(argv[3]) : 1;
  func = !strcmp(f, "sigf")    ? 0
         : !strcmp(f, "silf")  ? 1
         : !strcmp(f, "sigb")  ? 2
         : !strcmp(f, "silb")  ? 3
         : !strcmp(f, "mishb") ? 5
         : !strcmp(f, "gelub") ? 6
                               : 4;
  clact_lookup(func == 6                ? "gelu"
               : func == 4 || func == 5 ? "mish"
               : func == 1 || func == 3 ? "silu"
                                        : "sigmoid",
               &act);
  pthread_t th[2];
  for (long i = 0; i < 2; i++)
    pthread_create(&th[i], 0, work, (void *)i);
  for (int i = 0; i < 2; i++)
    pthread_join(th[i], 0);
  int b = gmax[0] > gmax[1] ? 0 : 1;
  printf("%s v%d stride %llu: max %.4f ulp at %.9g, over 2: %llu\n", f, variant,
         (unsigned long long)stride, gmax[b], gat[b], (unsigned long long)(gover[0] + gover[1]));
  return 0;
}
