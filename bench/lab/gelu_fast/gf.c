/* bench/lab/gelu_fast/gf.c: host emulation (float, fmaf, no contraction) of float32 gelu forward
 * candidates, swept over float32 bit patterns against the library's double reference.
 * K mode (gelu_k): what kernels/gelu.cl does, operation for operation (kvse.c checks the two
 * bit for bit): one piece, t = |x| clamped to 14.5, Phi(-t) = e^(-t^2/2) Q(t), Q = w G(w),
 * w = 1/(1 + c tr), tr = (t + SHIFTER) - SHIFTER (a multiple of 2^-16 for 128), so that 1 + c tr
 * and the division's residual are exact; t - tr and the residual corrected by
 * Q'(t) = t Q - 1/sqrt(2 pi); the last NCOMP Horner steps compensated; e^(-t^2/2) = 2^k (1 + s)
 * from the exact pair t^2 (EXPAIR 1: 1 + r + el, r + el not rounded); m = t Q (1 + s) with t Q
 * as a pair; x < 0: -m 2^k, x >= 0: x - m 2^k.
 * Other modes (tried, not kept; NOTES.md): a near piece for |x| < T0, f = x (h + hl) with
 * h = 1/2 + x S(x^2) (fits.sollya), and the far piece from P(w) (w_ files, fitw.sollya), w G(w)
 * (g_ files, fitg.sollya) or G in v = w - W0 (v_ files, fitv.sollya).
 * Coefficients are read at run time (fit.sh's files: hex floats, one per line, c_0 first; lines
 * that start with '#' are skipped).
 * Build: gcc -O2 -march=native -ffp-contract=off -Iinclude bench/lab/gelu_fast/gf.c \
 *          -o /tmp/gf build-hB/libclact.a -lOpenCL -lm -lpthread
 * Run:   /tmp/gf STRIDE WFILE C T0 SFILE|K [VARIANT [NCOMP [FAST2 [PAIRFIN [SHIFTER [EXPAIR]]]]]]
 *        STRIDE 1 = all 2^32 patterns, OFFSET=n in the environment starts at pattern n (an odd
 *        offset or stride reaches the low bits of t: with STRIDE 256 every t in [0.5, 1) is a
 *        multiple of 2^-16 and t - tr is 0); VARIANT 1: no correction of w's rounding; FAST2:
 *        Fast2Sum in the compensated steps; PAIRFIN (near/far modes): t Q (1 + s) from pairs.
 *        The kernel: /tmp/gf 1 g_0.34375_0_10.txt 0.34375 0 K 0 1 0 0 128 1
 *        /tmp/gf horner WFILE C T0   (the float evaluation error of Q alone, along t) */
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
#define RSQRT2PI 0x1.988454p-2f
static float pow2i(int k) {
  return asf((uint32_t)(k + 127) << 23);
}

static float W[32], S[32];
static int nw, ns, variant, gform, pairfin;
static int expair;            /* gelu_k: e^X's r + sl kept unrounded */
static float shifter = 16.0f; /* 32 for c = 3/16, 64 for c = 5/16: 1 + c tr exact */
static float W0;              /* v_ files: Horner in v = w - W0 (exact by Sterbenz) */
static float cc, T0, TMAX = 14.5f;

static int load(const char *fn, float *c) {
  FILE *f = fopen(fn, "r");
  if (!f) {
    perror(fn);
    exit(2);
  }
  char line[256];
  int n = 0;
  while (fgets(line, sizeof line, f))
    if (line[0] != '#' && line[0] != '\n')
      c[n++] = strtof(line, 0);
  fclose(f);
  return n - 1; /* degree */
}

/* e^(h + lo) = 2^k (1 + s), h in [-106, 0] (no clamps needed there); kf by one fma */
static float exps(float h, float lo, int *k) {
  float sh = fmaf(h, LOG2E, 0x1.8p23f);
  float kf = sh - 0x1.8p23f;
  float r1 = fmaf(-kf, LN2_HI, h);
  float r = r1 + fmaf(-kf, LN2_LO, lo);
  float q = fmaf(0x1.a262bp-13f, r, 0x1.6d2e0ep-10f);
  q = fmaf(q, r, 0x1.110ff4p-7f);
  q = fmaf(q, r, 0x1.555502p-5f);
  q = fmaf(q, r, 0x1.555556p-3f);
  q = fmaf(q, r, 0x1p-1f);
  *k = (int)asu(sh) - 0x4b400000;
  return fmaf(r * r, q, r);
}

/* as exps, but e^(h + lo) = 2^k (1 + r + *sl): r's rounding error kept (as clact_exp_core) and
 * r + sl not rounded */
static float exps_pair(float h, float lo, int *k, float *sl) {
  float sh = fmaf(h, LOG2E, 0x1.8p23f);
  float kf = sh - 0x1.8p23f;
  float r1 = fmaf(-kf, LN2_HI, h);
  float c = fmaf(-kf, LN2_LO, lo);
  float r = r1 + c;
  float re = (r1 - r) + c;
  float q = fmaf(0x1.a262bp-13f, r, 0x1.6d2e0ep-10f);
  q = fmaf(q, r, 0x1.110ff4p-7f);
  q = fmaf(q, r, 0x1.555502p-5f);
  q = fmaf(q, r, 0x1.555556p-3f);
  q = fmaf(q, r, 0x1p-1f);
  *k = (int)asu(sh) - 0x4b400000;
  *sl = fmaf(r * r, q, re);
  return r;
}

/* Q(t) = P(w(t)) (or w G(w)) as qh + *ql, w's rounding corrected to first order. ncomp: the
 * last ncomp Horner steps compensated (TwoProd, and TwoSum (fast2 = 0) or Fast2Sum (fast2 = 1),
 * errors summed in pe as in g.c's WC variants). */
static int ncomp, fast2;
static float pw2(float tf, float *ql) {
  float q = cc * tf;
  float dh = 1.0f + q;
  float a = q > 1.0f ? q : 1.0f, b = q > 1.0f ? 1.0f : q;
  float dl = (a - dh) + b; /* Fast2Sum, larger first */
  float w = 1.0f / dh;
  float rho = fmaf(-w, dl, fmaf(-w, dh, 1.0f)); /* 1 - w (dh + dl), exact to ~2^-48 */
  float p = W[nw], pe = 0.0f, wv = w;
  w = w - W0;
  for (int i = nw - 1; i >= 0; i--) {
    if (i < ncomp) {
      float ph = p * w, pl = fmaf(p, w, -ph);
      float sum = ph + W[i], se;
      if (fast2) {
        se = (W[i] - sum) + ph;
      } else {
        float bb = sum - ph;
        se = (ph - (sum - bb)) + (W[i] - bb);
      }
      pe = fmaf(pe, w, pl + se);
      p = sum;
    } else {
      p = fmaf(p, w, W[i]);
    }
  }
  w = wv;
  if (gform) { /* the file holds G = Q/w: Q = w G, as a pair */
    float m = w * p;
    pe = fmaf(w, p, -m) + w * pe;
    p = m;
  }
  /* P(w/(1 - rho)) ~ P + P'(w) w rho, P'(w) w = Q'(t) dt/dw w = (1/sqrt(2pi) - t P) dh / c */
  float cor = fmaf(-tf, p, RSQRT2PI);
  if (variant == 1) {
    *ql = 0.0f;
    return p;
  }
  *ql = fmaf(cor, (rho * dh) * (1.0f / cc), pe);
  return p;
}
static float pw(float tf) {
  float ql, qh = pw2(tf, &ql);
  return qh + ql;
}

float gelu_nw(float x) {
  float t = fabsf(x);
  /* near */
  float tn = t < 0x1p-32f ? 0x1p-32f : t;
  float y = tn * tn;
  float sv = S[ns];
  for (int i = ns - 1; i >= 0; i--)
    sv = fmaf(sv, y, S[i]);
  float h = fmaf(x, sv, 0.5f);
  float hl = fmaf(x, sv, 0.5f - h); /* 0.5 - h exact (h in [0.3, 0.7]) */
  float fnear = fmaf(x, h, x * hl);
  /* far */
  float tf = t < T0 ? T0 : t;
  tf = tf > TMAX ? TMAX : tf;
  float ql, p = pw2(tf, &ql);
  float sh = tf * tf, sl = fmaf(tf, tf, -sh);
  int k;
  float s = exps(-0.5f * sh, -0.5f * sl, &k);
  float fn;
  if (pairfin) { /* t (qh + ql) (1 + s) with one final rounding and a small one */
    float tq = tf * p, tql = fmaf(tf, p, -tq) + tf * ql;
    fn = tq + fmaf(tq, s, fmaf(tql, s, tql));
    p = p + ql;
  } else {
    p = p + ql;
    fn = tf * fmaf(p, s, p);
  }
  float g = fmaf(p, s, p); /* Phi(-t) 2^-k */
  float fneg = (fn * pow2i(k + 64)) * -0x1p-64f;
  int kc = k < -60 ? -60 : k;
  float fpos = fmaf(-x, g * pow2i(kc), x);
  float f = x < 0.0f ? fneg : fpos;
  f = t < T0 ? fnear : f;
  return x > 5.5f ? x : f;
}

/* The kernel candidate (kernels/gelu.cl's float32 forward, operation for operation): one piece,
 * Q = w G(w) with w = 1/(1 + c tr), tr = t rounded to a multiple of 2^-19 so that 1 + c tr is
 * exact; the rounding of w and t - tr are corrected together, to first order, by
 * Q'(t) = t Q - 1/sqrt(2 pi). No near piece (T0 = 0). */
float gelu_k(float x) {
  float t = fabsf(x);
  float tm = t > TMAX ? TMAX : t;
  float tf = tm < 0x1p-32f ? 0x1p-32f : tm; /* no subnormal t^2 */
  float tr = (tf + shifter) - shifter;      /* multiple of 2^-19 (shifter 16) */
  float dt = tf - tr;                       /* exact */
  float dh = fmaf(tr, cc, 1.0f);            /* exact */
  float w = 1.0f / dh;
  float rho = fmaf(-w, dh, 1.0f); /* exact: 1/dh = w (1 + rho + ...) */
  float p = W[nw];
  for (int i = nw - 1; i >= ncomp; i--)
    p = fmaf(p, w, W[i]);
  float pe = 0.0f;
  for (int i = ncomp - 1; i >= 0; i--) { /* compensated steps (TwoProd, TwoSum) */
    float ph = p * w, pl = fmaf(p, w, -ph);
    float sum = ph + W[i], bb = sum - ph;
    float se = (ph - (sum - bb)) + (W[i] - bb);
    pe = fmaf(pe, w, pl + se);
    p = sum;
  }
  float qh = w * p;
  float ql = fmaf(w, p, -qh);
  ql = fmaf(w, pe, ql);
  /* Q(tf) ~ Q(tr) + Q'(dt - rho dh / c), Q(tr) = w_exact G(w_exact) */
  float e = fmaf(-rho, dh * (1.0f / cc), dt);
  float cor = fmaf(tf, qh, -RSQRT2PI);
  ql = fmaf(cor, e, ql);
  float sh = tf * tf, sl = fmaf(tf, tf, -sh);
  int k;
  float tq = tm * qh;
  float tql = fmaf(tm, ql, fmaf(tm, qh, -tq));
  float fn;
  if (expair) { /* e^X = 2^k (1 + r + el), r + el not rounded */
    float el, r = exps_pair(-0.5f * sh, -0.5f * sl, &k, &el);
    fn = tq + fmaf(tq, r, fmaf(tq, el, fmaf(tql, r + el, tql)));
  } else {
    float s = exps(-0.5f * sh, -0.5f * sl, &k);
    fn = tq + fmaf(tq, s, fmaf(tql, s, tql)); /* t Phi(-t) 2^-k */
  }
  float fe = fn * pow2i(k + 64);
  float fneg = fe * -0x1p-64f;
  float fpos = fmaf(fe, -0x1p-64f, x);
  float f = signbit(x) ? fneg : fpos;
  return x > 5.5f ? x : f;
}
static int use_k;

static uint64_t stride = 16, offset; /* OFFSET=n in the environment: patterns n + i STRIDE */
static double gmax[2][3];
static float gat[2][3];
static uint64_t over[2];
static void *work(void *a) {
  long id = (long)a;
  clact_activation act;
  clact_lookup("gelu", &act);
  double p[4] = {0};
  for (uint64_t b = offset + (uint64_t)id * stride; b <= 0xFFFFFFFFull; b += 2 * stride) {
    float x = asf((uint32_t)b);
    double ref = clact_reference_forward(act, (double)x, p);
    float g = use_k ? gelu_k(x) : gelu_nw(x);
    if (isnan(x)) {
      if (!isnan(g))
        over[id]++;
      continue;
    }
    double e = clact_ulp_error_f32(g, ref);
    if (ref == 0.0 && g == 0.0 && !signbit(g) != !signbit(ref))
      e = INFINITY; /* wrong sign of zero */
    int r = fabsf(x) < T0 ? 0 : (x < 0 ? 1 : 2);
    if (!(e <= 3.0))
      over[id]++;
    if (e > gmax[id][r] || isnan(e)) {
      gmax[id][r] = isnan(e) ? INFINITY : e;
      gat[id][r] = x;
    }
  }
  return NULL;
}

static void horner(void) {
  double worst = 0, wt = 0;
  for (float t = T0; t < TMAX; t = nextafterf(t, 100.0f)) {
    long double q = (long double)cc * t, wd = 1.0L / (1.0L + q), pd = W[nw];
    for (int i = nw - 1; i >= 0; i--)
      pd = pd * (wd - W0) + W[i];
    if (gform)
      pd *= wd;
    double e = fabs(pw(t) - (double)pd) / ldexp(1.0, ilogb((double)pd) - 23);
    if (e > worst) {
      worst = e;
      wt = t;
    }
  }
  printf("float P(w) against P(exact w): max %.3f ulp at t = %g\n", worst, wt);
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: gf STRIDE|horner WFILE C T0 [SFILE [VARIANT]]\n");
    return 2;
  }
  nw = load(argv[2], W);
  cc = strtof(argv[3], 0);
  T0 = strtof(argv[4], 0);
  variant = argc > 6 ? atoi(argv[6]) : 0;
  ncomp = argc > 7 ? atoi(argv[7]) : 0;
  fast2 = argc > 8 ? atoi(argv[8]) : 0;
  pairfin = argc > 9 ? atoi(argv[9]) : 0;
  if (argc > 10)
    shifter = strtof(argv[10], 0);
  expair = argc > 11 ? atoi(argv[11]) : 0;
  gform = strstr(argv[2], "g_") != NULL || strstr(argv[2], "v_") != NULL; /* Q = w G(w) */
  if (strstr(argv[2], "v_"))
    W0 = strtof(strrchr(argv[2], '_') + 1, 0);
  if (strcmp(argv[1], "horner") == 0) {
    horner();
    return 0;
  }
  stride = strtoull(argv[1], 0, 10);
  if (getenv("OFFSET"))
    offset = strtoull(getenv("OFFSET"), 0, 10);
  use_k = strcmp(argv[5], "K") == 0; /* the kernel candidate, gelu_k */
  if (use_k) {
    argv[5] = argv[2]; /* no near piece */
    T0 = 0.0f;
  }
  ns = load(argv[5], S);
  pthread_t th[2];
  for (long i = 0; i < 2; i++)
    pthread_create(&th[i], 0, work, (void *)i);
  for (int i = 0; i < 2; i++)
    pthread_join(th[i], 0);
  const char *nm[3] = {"near", "far x<0", "far x>0"};
  for (int r = 0; r < 3; r++) {
    int b = gmax[1][r] > gmax[0][r];
    printf("  %-8s max %.4f ulp at %.9g\n", nm[r], gmax[b][r], gat[b][r]);
  }
  printf("stride %llu: over 3 ulp (or wrong class): %llu\n", (unsigned long long)stride,
         (unsigned long long)(over[0] + over[1]));
  return 0;
}
