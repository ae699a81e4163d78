#define _POSIX_C_SOURCE 200809L
/* sweep.c: exhaustive float32 checker of clact_math.clh (host build, math_host.c) against the
 * double reference (ref.h), with the metrics of ACCURACY.md.
 *
 *   sweep FUNC DIR [-s STRIDE] [-p P0 P1] [-t THREADS]
 *     FUNC  sigmoid|tanh|softplus|elu|silu|gelu|gelu_tanh|all, or helpers (exp, expm1 alone)
 *     DIR   fwd|bwd|bwd_y|all, or specials (NaN, sNaN, +-inf, +-FLT_MAX, +-1, +-FLT_MIN, +-2^-149,
 *           +-0, each with dy in {+-1, FLT_MAX, 1e30, 1e-30, 2^-149, +-inf, NaN, +-0})
 *     -s    test every STRIDE-th bit pattern only (default 1: all 2^32)
 *     -p    parameters p0 p1 (default: softplus beta=1 threshold=20, elu alpha=1)
 *
 * fwd:   every x; ulp error |y - r| / 2^(max(e,-125)-24), e = frexp exponent of r.
 * bwd:   pass A every x with dy = 1; pass B every 16th x (one per 16 consecutive patterns, chosen
 *        by a hash) with a pseudo-random dy (random sign, exponent in [-20,20]) and with each dy of
 *        {FLT_MAX, 1e30, 1e-30, 2^-149, +inf, -inf, NaN, -0}. Error in units of the bound:
 *        |dx - dx_ref| / (ulp(dx_ref) + 2^-24 |dy| M(x)); ACCURACY.md allows 4.
 * bwd_y: the same from every y (pass B over the function's output range only).
 * Histogram buckets {0, <=0.5, <=1, <=2, <=4, >4}. Class errors (NaN vs number, inf vs finite,
 * wrong sign of an exact zero) are counted apart and printed; an infinite result where the
 * reference is finite counts as +-2^128 (IEEE overflow), so a correct overflow near FLT_MAX is
 * measured, not failed. Exit status 1 on any class error or a bound exceeded.
 * From-y variants are defined on the function's output range (sigmoid [0,1], tanh [-1,1],
 * softplus [0,inf), elu [-alpha,inf)): pass A runs every y with dy = 1 (the literal formula,
 * overflowing where it does), pass B and the specials only y in that range. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "math_host.h"
#include "ref.h"

typedef struct {
  double maxerr;
  uint32_t arg;
  float argdy, got;
  double ref;
  uint64_t hist[6];
  uint64_t n, nclass;
  uint32_t class_arg;
  float class_dy, class_got;
  double class_ref;
  double maxulp; /* bwd pass A: plain ulp error, for information */
  uint32_t maxulp_arg;
} stats;

static float fbits(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}
static uint64_t mix(uint64_t z) { /* splitmix64 finaliser */
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* ulp unit of a reference value (floor 2^-149) */
static double unit_of(double r) {
  int e;
  if (r == 0 || isinf(r))
    e = -125;
  else
    frexp(r, &e);
  if (e < -125)
    e = -125;
  return ldexp(1.0, e - 24);
}

/* Compare a float result with a double reference. Returns 0 if the class is right and sets *abs
 * to |y - r| (inf counted as 2^128 when r is finite); returns 1 on a class error. zsign: a zero
 * result for an exact zero reference must have its sign (forward; backward checks dy = 0 apart). */
static int compare(float y, double r, double *abs, int zsign) {
  *abs = 0;
  if (isnan(r))
    return !isnan(y);
  if (isnan(y))
    return 1;
  if (isinf(r))
    return !(isinf(y) && (y > 0) == (r > 0));
  /* at or beyond the overflow threshold of float rounding (2^128 - 2^103) inf is right; a finite
   * y is measured (near the threshold FLT_MAX can be within the bound) */
  if (fabs(r) >= 0x1.ffffffp127 && isinf(y) && (y > 0) == (r > 0))
    return 0;
  double yy = isinf(y) ? copysign(0x1p128, y) : (double)y;
  if (r == 0 && y == 0)
    return zsign && !signbit(y) != !signbit(r);
  *abs = fabs(yy - r);
  return 0;
}

static void account(stats *s, double err, uint32_t arg, float dy, float got, double ref) {
  int b = err == 0 ? 0 : err <= 0.5 ? 1 : err <= 1 ? 2 : err <= 2 ? 3 : err <= 4 ? 4 : 5;
  s->hist[b]++;
  s->n++;
  if (err > s->maxerr) {
    s->maxerr = err;
    s->arg = arg;
    s->argdy = dy;
    s->got = got;
    s->ref = ref;
  }
}
static void class_fail(stats *s, uint32_t arg, float dy, float got, double ref) {
  s->n++;
  if (s->nclass++ == 0) {
    s->class_arg = arg;
    s->class_dy = dy;
    s->class_got = got;
    s->class_ref = ref;
  }
}
static void merge(stats *a, const stats *b) {
  if (b->maxerr > a->maxerr) {
    a->maxerr = b->maxerr;
    a->arg = b->arg;
    a->argdy = b->argdy;
    a->got = b->got;
    a->ref = b->ref;
  }
  if (b->maxulp > a->maxulp) {
    a->maxulp = b->maxulp;
    a->maxulp_arg = b->maxulp_arg;
  }
  for (int i = 0; i < 6; i++)
    a->hist[i] += b->hist[i];
  a->n += b->n;
  if (b->nclass && !a->nclass) {
    a->class_arg = b->class_arg;
    a->class_dy = b->class_dy;
    a->class_got = b->class_got;
    a->class_ref = b->class_ref;
  }
  a->nclass += b->nclass;
}

enum { D_FWD, D_BWD, D_BWDY };
typedef struct {
  int f, dir, tid, nthreads;
  uint64_t stride;
  float p[4];
  stats A, B;
} job;

static const float dyset[8] = {FLT_MAX, 1e30f, 1e-30f, 0x1p-149f, INFINITY, -INFINITY, NAN, -0.0f};

/* expected dx for one dy given f'(x) (double) and M */
static double ref_dx(int f, int dir, float x, float dy, double fp, const float *p) {
  if (isnan(dy) || isnan(x))
    return NAN;
  if (fp == 0 && dir == D_BWD && isfinite(x) && (isinf(dy) || dy == 0)) {
    /* f'(x) underflowed in double: only its sign is needed here */
    int sg = ref_bwd_tail_sign(f, x, p[0]);
    return (double)dy * (sg > 0 ? 1.0 : sg < 0 ? -1.0 : 0.0);
  }
  return (double)dy * fp;
}

static void one_bwd(job *J, stats *s, uint32_t xb, float dy, double fp, double M, int passA) {
  const host_fns *h = &host_table[J->f];
  float x = fbits(xb);
  float dx = J->dir == D_BWD ? h->bwd(x, dy, J->p) : h->bwd_y(x, dy, J->p);
  double r = ref_dx(J->f, J->dir, x, dy, fp, J->p);
  double ad;
  /* a zero result from a zero dy must have the sign of dy * f'(x) */
  if (dy == 0 && isfinite(x) && !isnan(r) && !isnan(dx)) {
    int sg = fp > 0 ? 1 : fp < 0 ? -1 : ref_bwd_tail_sign(J->f, x, J->p[0]);
    if (J->dir == D_BWDY)
      sg = fp > 0 ? 1 : fp < 0 ? -1 : (signbit(fp) ? -1 : 1);
    int want_neg = (signbit(dy) != 0) != (sg < 0);
    if (dx != 0 || (signbit(dx) != 0) != want_neg) {
      class_fail(s, xb, dy, dx, r);
      return;
    }
    account(s, 0, xb, dy, dx, r);
    return;
  }
  if (compare(dx, r, &ad, 0)) {
    class_fail(s, xb, dy, dx, r);
    return;
  }
  double den = unit_of(r) + 0x1p-24 * fabs((double)dy) * M;
  double err = ad == 0 ? 0 : ad / den;
  account(s, err, xb, dy, dx, r);
  if (passA && !isnan(r) && !isinf(r)) {
    double u = ad / unit_of(r);
    if (u > s->maxulp) {
      s->maxulp = u;
      s->maxulp_arg = xb;
    }
  }
}

static void *worker(void *arg) {
  job *J = arg;
  const host_fns *h = &host_table[J->f];
  const uint64_t block = 1ull << 22;
  for (uint64_t b0 = (uint64_t)J->tid * block; b0 < (1ull << 32); b0 += block * J->nthreads) {
    for (uint64_t i = b0; i < b0 + block; i++) {
      if (J->stride > 1 && (mix(i) % J->stride) != 0)
        continue;
      uint32_t xb = (uint32_t)i;
      float x = fbits(xb);
      if (J->dir == D_FWD) {
        float y = h->fwd(x, J->p);
        double r = ref_fwd(J->f, x, J->p[0], J->p[1]);
        double ad;
        if (compare(y, r, &ad, 1)) {
          class_fail(&J->A, xb, 0, y, r);
          continue;
        }
        account(&J->A, ad == 0 ? 0 : ad / unit_of(r), xb, 0, y, r);
        continue;
      }
      double M = 0, fp;
      if (J->dir == D_BWD)
        fp = ref_bwd(J->f, x, J->p[0], J->p[1], &M);
      else
        fp = isnan(x) ? NAN : ref_bwd_y(J->f, x, J->p[0], J->p[1], &M);
      one_bwd(J, &J->A, xb, 1.0f, fp, M, 1);
      /* pass B: one x in every 16 consecutive patterns */
      uint64_t hsh = mix(i >> 4);
      if ((i & 15) != (hsh & 15))
        continue;
      if (J->dir == D_BWDY && !ref_y_in_domain(J->f, x, J->p[0]) && !isnan(x))
        continue;
      uint64_t h2 = mix(hsh);
      int ex = (int)(h2 % 41) - 20;
      float dy = ldexpf(1.0f + (float)((h2 >> 8) & 0x7fffff) * 0x1p-23f, ex);
      if (h2 >> 63)
        dy = -dy;
      one_bwd(J, &J->B, xb, dy, fp, M, 0);
      for (int k = 0; k < 8; k++)
        one_bwd(J, &J->B, xb, dyset[k], fp, M, 0);
    }
  }
  return NULL;
}

static void print_stats(const char *what, const stats *s, int dir) {
  printf("  %-34s n=%" PRIu64 "  max %.4g %s at x=%a (%.9g)", what, s->n, s->maxerr,
         dir == D_FWD ? "ulp" : "units", fbits(s->arg), (double)fbits(s->arg));
  if (dir != D_FWD)
    printf(" dy=%g", (double)s->argdy);
  printf(" got %.9g ref %.17g\n", (double)s->got, s->ref);
  printf("    hist {0: %" PRIu64 ", <=0.5: %" PRIu64 ", <=1: %" PRIu64 ", <=2: %" PRIu64
         ", <=4: %" PRIu64 ", >4: %" PRIu64 "}",
         s->hist[0], s->hist[1], s->hist[2], s->hist[3], s->hist[4], s->hist[5]);
  if (s->maxulp > 0)
    printf("  (max plain ulp %.3g at x=%.9g)", s->maxulp, (double)fbits(s->maxulp_arg));
  printf("\n");
  if (s->nclass)
    printf("    CLASS ERRORS %" PRIu64 ", first x=%a dy=%g got %a ref %.17g\n", s->nclass,
           fbits(s->class_arg), (double)s->class_dy, (double)s->class_got, s->class_ref);
}

static const double bound_fwd[F_COUNT] = {2, 2, 2, 2, 4, 4, 4};

/* The special inputs: forward values printed (and checked: class, exact limits, signed zeros,
 * ulp bound), backward and from-y at each with every dy of a special set. */
static int specials(int f, const float *p) {
  static const uint32_t xs[] = {0x7fc00000u, 0x7f800001u, 0xff800000u, 0xff7fffffu, 0xbf800000u,
                                0x80800000u, 0x80000001u, 0x80000000u, 0x00000000u, 0x00000001u,
                                0x00800000u, 0x3f800000u, 0x7f7fffffu, 0x7f800000u};
  static const float dys[] = {1.0f,     -1.0f,     FLT_MAX, 1e30f, 1e-30f, 0x1p-149f,
                              INFINITY, -INFINITY, NAN,     0.0f,  -0.0f};
  const host_fns *h = &host_table[f];
  int bad = 0;
  printf("%s specials p0=%g p1=%g\n  fwd:", ref_names[f], (double)p[0], (double)p[1]);
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    float x = fbits(xs[i]), y = h->fwd(x, p);
    double r = ref_fwd(f, x, p[0], p[1]), ad;
    int c = compare(y, r, &ad, 1);
    int e = !c && ad / unit_of(r) > bound_fwd[f];
    printf(" f(%g)=%g%s", (double)x, (double)y, c || e ? "(FAIL)" : "");
    bad |= c | e;
  }
  printf("\n");
  for (int d = D_BWD; d <= D_BWDY; d++) {
    if (d == D_BWDY && !ref_has_y[f])
      continue;
    job J;
    memset(&J, 0, sizeof J);
    J.f = f;
    J.dir = d;
    memcpy(J.p, p, sizeof J.p);
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
      float x = fbits(xs[i]);
      if (d == D_BWDY && !isnan(x) && !ref_y_in_domain(f, x, p[0]))
        continue;
      double M = 0, fp = d == D_BWD ? ref_bwd(f, x, p[0], p[1], &M)
                                    : (isnan(x) ? NAN : ref_bwd_y(f, x, p[0], p[1], &M));
      for (size_t j = 0; j < sizeof dys / sizeof dys[0]; j++) {
        uint64_t before = J.B.nclass;
        double mb = J.B.maxerr;
        one_bwd(&J, &J.B, xs[i], dys[j], fp, M, 0);
        if (J.B.nclass != before || (J.B.maxerr > 4 && mb <= 4)) {
          float dx = d == D_BWD ? h->bwd(x, dys[j], p) : h->bwd_y(x, dys[j], p);
          printf("  %s FAIL x=%g dy=%g dx=%g\n", d == D_BWD ? "bwd" : "bwd_y", (double)x,
                 (double)dys[j], (double)dx);
        }
      }
    }
    printf("  %s: %" PRIu64 " (x, dy) pairs, %" PRIu64 " class errors, max %.3g units\n",
           d == D_BWD ? "bwd" : "bwd_y", J.B.n, J.B.nclass, J.B.maxerr);
    bad |= J.B.nclass != 0 || J.B.maxerr > 4;
  }
  return bad;
}

static int run(int f, int dir, uint64_t stride, const float *p, int nthreads) {
  job J[16];
  pthread_t th[16];
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int t = 0; t < nthreads; t++) {
    memset(&J[t], 0, sizeof J[t]);
    J[t].f = f;
    J[t].dir = dir;
    J[t].tid = t;
    J[t].nthreads = nthreads;
    J[t].stride = stride;
    memcpy(J[t].p, p, sizeof J[t].p);
    pthread_create(&th[t], NULL, worker, &J[t]);
  }
  for (int t = 0; t < nthreads; t++)
    pthread_join(th[t], NULL);
  for (int t = 1; t < nthreads; t++) {
    merge(&J[0].A, &J[t].A);
    merge(&J[0].B, &J[t].B);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  static const char *dn[] = {"fwd", "bwd", "bwd_y"};
  printf("%s %s p0=%g p1=%g stride=%" PRIu64 " (%.0f s)\n", ref_names[f], dn[dir], (double)p[0],
         (double)p[1], stride, (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec));
  int bad = 0;
  if (dir == D_FWD) {
    print_stats("all x", &J[0].A, dir);
    bad = J[0].A.nclass || J[0].A.maxerr > bound_fwd[f];
  } else {
    print_stats(dir == D_BWD ? "pass A: all x, dy=1" : "pass A: all y, dy=1", &J[0].A, dir);
    print_stats(dir == D_BWD ? "pass B: x/16, random dy + dy set" : "pass B: y/16 in range, dy",
                &J[0].B, dir);
    bad = J[0].A.nclass || J[0].B.nclass || J[0].A.maxerr > 4 || J[0].B.maxerr > 4;
  }
  fflush(stdout);
  return bad;
}

/* ---- exhaustive test of the helpers (sweep helpers) ---- */
typedef struct {
  int tid, nthreads;
  double e[5];
  uint32_t at[5];
  uint64_t hist[5][6];
  uint64_t nclass[5];
} hjob;
static const char *hname[5] = {"exp_dd (hi=x, lo=0): rel. error of 2^k(m+ml), units of 2^-24",
                               "exp_dd (hi=x, lo in +-ulp(x)/2): rel. error, units of 2^-24",
                               "exp rounded to float: ulp error",
                               "expm1 (clact_expm1, lo=0): ulp error",
                               "expm1_dd (x in [-40,0]): rel. error of eh+el, units of 2^-24"};
static void hacc(hjob *J, int w, double err, uint32_t xb) {
  int b = err == 0 ? 0 : err <= 0.5 ? 1 : err <= 1 ? 2 : err <= 2 ? 3 : err <= 4 ? 4 : 5;
  J->hist[w][b]++;
  if (err > J->e[w])
    J->e[w] = err, J->at[w] = xb;
}
static void *hworker(void *arg) {
  hjob *J = arg;
  const uint64_t block = 1ull << 22;
  for (uint64_t b0 = (uint64_t)J->tid * block; b0 < (1ull << 32); b0 += block * J->nthreads)
    for (uint64_t i = b0; i < b0 + block; i++) {
      uint32_t xb = (uint32_t)i;
      float x = fbits(xb);
      if (isnan(x))
        continue;
      double ad;
      if (x >= -200 && x < 88.72f) {
        double r = exp((double)x);
        hacc(J, 0, fabs(hx_exp_dd(x, 0) / r - 1) * 0x1p24, xb);
        /* a lo of at most half an ulp of x, pseudo-random */
        int e;
        frexp(x, &e);
        double lo = ldexp(((double)(mix(i) >> 11) * 0x1p-53 - 0.5), e - 24);
        float lof = (float)lo;
        double r2 = exp((double)x + (double)lof);
        hacc(J, 1, fabs(hx_exp_dd(x, lof) / r2 - 1) * 0x1p24, xb);
      }
      double r = exp((double)x);
      float y = hx_exp(x);
      if (compare(y, r, &ad, 1))
        J->nclass[2]++;
      else
        hacc(J, 2, ad / unit_of(r), xb);
      r = expm1((double)x);
      y = hx_expm1(x);
      if (compare(y, r, &ad, 1))
        J->nclass[3]++;
      else
        hacc(J, 3, ad / unit_of(r), xb);
      if (x >= -40 && x <= 0 && x != 0) {
        r = expm1((double)x);
        hacc(J, 4, fabs(hx_expm1_dd(x) / r - 1) * 0x1p24, xb);
      }
    }
  return NULL;
}
static int helpers(int nthreads) {
  hjob J[16];
  pthread_t th[16];
  for (int t = 0; t < nthreads; t++) {
    memset(&J[t], 0, sizeof J[t]);
    J[t].tid = t;
    J[t].nthreads = nthreads;
    pthread_create(&th[t], NULL, hworker, &J[t]);
  }
  for (int t = 0; t < nthreads; t++)
    pthread_join(th[t], NULL);
  for (int t = 1; t < nthreads; t++)
    for (int w = 0; w < 5; w++) {
      if (J[t].e[w] > J[0].e[w])
        J[0].e[w] = J[t].e[w], J[0].at[w] = J[t].at[w];
      for (int b = 0; b < 6; b++)
        J[0].hist[w][b] += J[t].hist[w][b];
      J[0].nclass[w] += J[t].nclass[w];
    }
  printf("helpers, every float x (exp: x in [-200, 88.72) for the pair; all x for the float)\n");
  for (int w = 0; w < 5; w++) {
    uint64_t *h = J[0].hist[w];
    printf("  %-62s max %.4g at x=%.9g  hist {0: %" PRIu64 ", <=0.5: %" PRIu64 ", <=1: %" PRIu64
           ", <=2: %" PRIu64 ", <=4: %" PRIu64 ", >4: %" PRIu64 "}%s\n",
           hname[w], J[0].e[w], (double)fbits(J[0].at[w]), h[0], h[1], h[2], h[3], h[4], h[5],
           J[0].nclass[w] ? " CLASS ERRORS" : "");
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && !strcmp(argv[1], "helpers"))
    return helpers(2);
  if (argc < 3) {
    fprintf(stderr,
            "usage: sweep FUNC|all fwd|bwd|bwd_y|all|specials [-s STRIDE] [-p P0 P1] [-t N]\n");
    return 2;
  }
  uint64_t stride = 1;
  int nthreads = 2, havep = 0;
  float p[4] = {0, 0, 0, 0};
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "-s") && i + 1 < argc)
      stride = strtoull(argv[++i], 0, 0);
    else if (!strcmp(argv[i], "-t") && i + 1 < argc)
      nthreads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "-p") && i + 2 < argc) {
      p[0] = strtof(argv[++i], 0);
      p[1] = strtof(argv[++i], 0);
      havep = 1;
    }
  }
  if (nthreads < 1 || nthreads > 16)
    nthreads = 2;
  if (!strcmp(argv[1], "helpers"))
    return helpers(nthreads);
  int bad = 0;
  for (int f = 0; f < F_COUNT; f++) {
    if (strcmp(argv[1], "all") && strcmp(argv[1], ref_names[f]))
      continue;
    float q[4] = {p[0], p[1], 0, 0};
    if (!havep) {
      q[0] = f == F_SOFTPLUS || f == F_ELU ? 1.0f : 0.0f;
      q[1] = f == F_SOFTPLUS ? 20.0f : 0.0f;
    }
    if (!strcmp(argv[2], "specials")) {
      bad |= specials(f, q);
      continue;
    }
    for (int d = 0; d < 3; d++) {
      static const char *dn[] = {"fwd", "bwd", "bwd_y"};
      if (strcmp(argv[2], "all") && strcmp(argv[2], dn[d]))
        continue;
      if (d == D_BWDY && !ref_has_y[f])
        continue;
      bad |= run(f, d, stride, q, nthreads);
    }
  }
  return bad;
}
