/* bench/lab/fast/sp.c: host emulation (float, fmaf, no contraction) of a cheaper float32 softplus
 * and log_sigmoid forward (log1p(e^z)/beta with one exponential without the pair tail, one
 * log1p polynomial, no quotient), swept over float32 bit patterns against the library's double
 * reference. Modelled on sig.c. Variant 1677 is what kernels/common.clh clact_softplus_s does
 * (bit for bit on PoCL); NOTES.md has the errors of the others.
 * Build: gcc -O2 -march=native -ffp-contract=off -Iinclude bench/lab/fast/sp.c \
 *          -o bench/lab/fast/sp build/libclact.a -lOpenCL -lm -lpthread
 * Run:   bench/lab/fast/sp FUNC STRIDE VARIANT [BETA [THRESHOLD]]  (FUNC: softplus log_sigmoid;
 *        STRIDE 1 = all 2^32; VARIANT: see sp_fwd; SP_SIGN=1 or -1: the max over x > 0 or
 *        x <= 0 only) */
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

static int variant = 1;

/* log1p(u) = u + u^2 G(u), u in [-1/4, 1/2]: 9 coefficients (u^2..u^10, rel. error of log1p
 * 2^-26.5) or 10 (u^2..u^11, 2^-29); fpminimax, float coefficients (c2 = -1/2 exactly). */
static const float G9[9] = {-0x1p-1f,       0x1.55557ep-2f,  -0x1.00006cp-2f,
                            0x1.9978a2p-3f, -0x1.54ee82p-3f, 0x1.27a03p-3f,
                            -0x1.0cd8bp-3f, 0x1.b4b376p-4f,  -0x1.8749a6p-5f};
/* the same on [-0.1465, 0.7072] (variant 256: k = 0 lanes take u = s/2): 10 coefficients,
 * rel. error of log1p 2^-28.5 */
static const float H10[10] = {-0x1p-1f,        0x1.55554ep-2f, -0x1.ffff6p-3f,  0x1.99a048p-3f,
                              -0x1.55a7e2p-3f, 0x1.24d2fp-3f,  -0x1.ef93dcp-4f, 0x1.6f803ep-4f,
                              -0x1.8107aap-5f, 0x1.88e394p-7f};
/* kernels/common.clh's CLACT_LOG1P_C2..C12 (bench/lab/math/gen_coeffs.sollya): 11 coefficients
 * on [-1/4, 1/2], rel. error 2^-31.5 (variant 512) */
static const float G11[11] = {-0x1p-1f,        0x1.555554p-2f, -0x1.000004p-2f, 0x1.999b38p-3f,
                              -0x1.55547ep-3f, 0x1.2448ecp-3f, -0x1.ff4a4p-4f,  0x1.d0839cp-4f,
                              -0x1.b353d4p-4f, 0x1.5670cap-4f, -0x1.1a395ep-5f};
static const float G10[10] = {-0x1p-1f,        0x1.555556p-2f, -0x1.00004cp-2f, 0x1.9999ap-3f,
                              -0x1.55276cp-3f, 0x1.243e96p-3f, -0x1.03c59ap-3f, 0x1.df94c8p-4f,
                              -0x1.7f1b3ap-4f, 0x1.4920d4p-5f};

/* softplus forward: x when z = beta x > th (the exact z), else X + log1p(w)/beta, w = e^-|z| =
 * 2^k (1 + s), X = x for z > 0, 0 for z <= 0. (A first version, one polynomial for log1p on
 * all of [0, 1], is described in NOTES.md only.)
 * log1p(w): w > 1/2 (k = 0, or k = -1 with s > 0): ln 2 + log1p(u) + ul, u + ul = (w - 1)/2
 * exactly, u = s/2 (k = 0) or (s - 1)/4; w <= 1/2: u = w, log1p(w)/2^k = (m + ml)(1 + u G(u)),
 * m + ml = 1 + s exactly. One Horner scheme for both. L = A + B (Fast2Sum), times 1/beta as
 * ib + ibl (uniform), then X + that with one TwoSum, scaled by 2^k last where z <= 0.
 * Variant bits: 1 = keep r's rounding error in s; 4 = the 10-coefficient G (else 9); 8 = TwoSum
 * replaced by a plain sum; 16 = ul dropped; 32 = ml not divided by 1 + w;
 * 64 = e^r - 1 as a pair s + sl (as clact_exp_dd; implies the r error kept); 128 = L/beta as
 * A ib + C by one fma (zneg), zpos x + that with a TwoSum (or plain with 8); 256 = the split
 * by k: k = 0 takes ln 2 + log1p(s/2), k < 0 log1p(w) (H10); 512 = the prelude's 11
 * coefficients; 1024 = u = (w - 1)/2, ul = ml p/2. */
static float sp_fwd(float x, float beta, float th, int unit, int nothresh) {
  float ib = 1.0f / beta;
  float ibl = ib * fmaf(-ib, beta, 1.0f); /* ib + ibl = 1/beta to ~2^-48 */
  float zh = beta * x;
  float zl = fmaf(beta, x, -zh);
  if (unit)
    zh = x, zl = 0.0f;
  int big = (zh > th) | ((zh == th) & (zl > 0.0f));
  if (nothresh)
    big = 0;
  int pos = zh > 0.0f;
  float h = -fabsf(zh);
  float lo = pos ? -zl : zl;
  /* e^h = 2^k (1 + s), h clamped at -200 (NaN stays) */
  float hc = h < -200.0f ? -200.0f : h;
  lo = hc == h ? lo : 0.0f;
  float sh = fmaf(hc, LOG2E, 0x1.8p23f); /* k = rint(hc log2 e), exactly */
  float kf = sh - 0x1.8p23f;
  float r1 = fmaf(-kf, LN2_HI, hc);
  float c = fmaf(-kf, LN2_LO, lo);
  float r = r1 + c;
  float re = (r1 - r) + c;
  float q = fmaf(C7, r, C6);
  q = fmaf(q, r, C5);
  q = fmaf(q, r, C4);
  q = fmaf(q, r, C3);
  q = fmaf(q, r, C2);
  float s, sl = 0.0f;
  if (variant & 64) { /* e^r - 1 = s + sl, as clact_exp_dd */
    float t = fmaf(r * r, q, re);
    s = r + t;
    sl = (r - s) + t;
  } else
    s = (variant & 1) ? r + fmaf(r * r, q, re) : fmaf(r * r, q, r);
  int k = (int)asu(sh) - 0x4b400000;
  float m = 1.0f + s;
  float ml = ((1.0f - m) + s) + sl; /* Fast2Sum */
  int k1 = k < -100 ? -100 : k;
  float p = pow2i(k1);
  float w = m * p;
  int up = (variant & 256) ? k == 0 : w > 0.5f;
  float hp = 0.5f * p;
  float a = hp - 0.5f;
  float uu = fmaf(s, hp, a);      /* (w - 1)/2: s/2 (k = 0, exact) or (s - 1)/4 */
  float ul = fmaf(s, hp, a - uu); /* its rounding error, exact (a - uu by Sterbenz) */
  ul = fmaf(sl, hp, ul);
  if (variant & 16)
    ul = 0.0f;
  if (variant & 1024) { /* w - 1 exact for w >= 1/2; the tail of w is ml p */
    uu = (w - 1.0f) * 0.5f;
    ul = 0.5f * ml * p;
  }
  if (variant & 256) {
    uu = 0.5f * s;
    ul = 0.5f * sl;
  }
  float u = up ? uu : w;
  const float *G = (variant & 512) ? G11 : (variant & 256) ? H10 : (variant & 4) ? G10 : G9;
  int ng = (variant & 512) ? 11 : (variant & (4 | 256)) ? 10 : 9;
  float g = G[ng - 1];
  for (int i = ng - 2; i >= 0; i--)
    g = fmaf(g, u, G[i]);
  float pu = u * g; /* log1p(u) = u (1 + pu) */
  /* L 2^-kl = c0 + v + (vt + v pu): up: ln2 + u + (ul + ln2_lo); else m + ml (1 - u/2) */
  float c0 = up ? LN2_HI : 0.0f;
  float v = up ? u : m;
  float vt = up ? ul + LN2_LO : ((variant & 32) ? ml : ml * fmaf(-0.5f, u, 1.0f));
  float A = c0 + v;
  float e = (c0 - A) + v; /* Fast2Sum, |c0| >= |v| or c0 = 0 */
  float B = e + fmaf(v, pu, vt);
  float pl = up ? 1.0f : p;
  int k2 = k - k1 < -126 ? -126 : k - k1;
  float res;
  if (variant & 128) {
    /* L 2^-kl / beta = A ib + C, C = B ib + A ibl (one rounding, |C| < ~0.3 A ib) */
    float Ap = A * pl;
    float Cp = (unit ? B : fmaf(B, ib, A * ibl)) * pl;
    int k2a = (k - k1) >> 1; /* two halves: a normal result can lie below 2^-126 y */
    float rneg = (unit ? Ap + Cp : fmaf(Ap, ib, Cp)) * pow2i(k2a) * pow2i(k - k1 - k2a);
    float rpos;
    if (variant & 8) {
      rpos = x + (unit ? Ap + Cp : fmaf(Ap, ib, Cp));
    } else {
      float Yh = unit ? Ap : Ap * ib;
      float E1 = unit ? 0.0f : fmaf(Ap, ib, -Yh);
      float S = x + Yh;
      float bb = S - x;
      float e2 = (x - (S - bb)) + (Yh - bb);
      rpos = S + (e2 + (E1 + Cp));
    }
    res = pos ? rpos : rneg;
    res = x == INFINITY ? x : res;
    return big ? x : res;
  }
  /* (A + B)(ib + ibl) */
  float Yh, Yl;
  if (unit) {
    Yh = A;
    Yl = B;
  } else {
    Yh = A * ib;
    Yl = fmaf(A, ib, -Yh) + fmaf(B, ib, A * ibl);
  }
  float P = Yh * pl;
  float Pl = Yl * pl;
  float X = pos ? x : 0.0f;
  float R;
  if (variant & 8) {
    R = X + (P + Pl);
  } else {
    float S = X + P;
    float bb = S - X;
    float e2 = (X - (S - bb)) + (P - bb);
    R = S + (e2 + Pl);
  }
  k2 = pos ? 0 : k2;
  res = R * pow2i(k2);
  res = X == INFINITY ? X : res;
  return big ? x : res;
}

static double gmax[64];
static double gat[64];
static uint64_t gover[64];
static uint64_t hist[64][6];
static int func;
static uint64_t stride;
static clact_activation act;
static float beta = 1.0f, thr = 20.0f;
static int signsel; /* SP_SIGN=1: max over x > 0 only, -1: x <= 0 only */

static void *work(void *arg) {
  long t = (long)arg;
  double mx = 0, at = 0;
  uint64_t over = 0;
  double p[CLACT_MAX_PARAMS] = {beta, thr, 0, 0};
  for (uint64_t i = (uint64_t)t * stride; i < (1ull << 32); i += 2 * stride) {
    float x = asf((uint32_t)i);
    float got = func == 0 ? sp_fwd(x, beta, thr, 0, 0) : -sp_fwd(-x, 1.0f, 0.0f, 1, 1);
    double ref = clact_reference_forward_at(act, (double)x, p, 0);
    double e = clact_ulp_error_f32(got, ref);
    if (isnan(x) && isnan(got))
      e = 0;
    if (e > mx && (signsel == 0 || (signsel > 0) == (x > 0))) {
      mx = e;
      at = x;
    }
    hist[t][e == 0 ? 0 : e <= 0.5 ? 1 : e <= 1 ? 2 : e <= 1.5 ? 3 : e <= 2 ? 4 : 5]++;
    if (e > 2.0)
      over++;
  }
  gmax[t] = mx;
  gat[t] = at;
  gover[t] = over;
  return 0;
}

int main(int argc, char **argv) {
  const char *f = argc > 1 ? argv[1] : "softplus";
  stride = argc > 2 ? strtoull(argv[2], 0, 0) : 256;
  variant = argc > 3 ? atoi(argv[3]) : 1;
  beta = argc > 4 ? strtof(argv[4], 0) : 1.0f;
  thr = argc > 5 ? strtof(argv[5], 0) : 20.0f;
  func = strcmp(f, "softplus") ? 1 : 0;
  signsel = getenv("SP_SIGN") ? atoi(getenv("SP_SIGN")) : 0;
  clact_lookup(func ? "log_sigmoid" : "softplus", &act);
  pthread_t th[2];
  for (long i = 0; i < 2; i++)
    pthread_create(&th[i], 0, work, (void *)i);
  for (int i = 0; i < 2; i++)
    pthread_join(th[i], 0);
  int b = gmax[0] > gmax[1] ? 0 : 1;
  printf(
      "%s v%d beta %g th %g stride %llu: max %.4f ulp at %.9g (%a), over 2: %llu; hist "
      "0/.5/1/1.5/2/>2: %llu %llu %llu %llu %llu %llu\n",
      f, variant, beta, thr, (unsigned long long)stride, gmax[b], gat[b], gat[b],
      (unsigned long long)(gover[0] + gover[1]), (unsigned long long)(hist[0][0] + hist[1][0]),
      (unsigned long long)(hist[0][1] + hist[1][1]), (unsigned long long)(hist[0][2] + hist[1][2]),
      (unsigned long long)(hist[0][3] + hist[1][3]), (unsigned long long)(hist[0][4] + hist[1][4]),
      (unsigned long long)(hist[0][5] + hist[1][5]));
  return 0;
}
