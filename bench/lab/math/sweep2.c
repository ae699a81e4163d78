#define _POSIX_C_SOURCE 200809L
/* sweep2.c: host sweeps of the second half of the shared math section of kernels/common.clh (log,
 * atan, asinh, sin/cos, the scaling helpers) and of the issue-3 kernels, compiled from the same
 * sources as C (shim2.h), against glibc's double functions (helpers) or the library's double
 * reference (activations; link build/libclact.a).
 *
 *   sweep2 helper NAME [-s STRIDE] [-t THREADS]
 *     NAME: sincos | log | atan | asinh | expm1 | expwide | scale
 *   sweep2 act ID fwd|bwd|bwd_y [-s STRIDE] [-t THREADS] [-p P0 [P1 [P2 [P3]]]]
 *     every STRIDE-th float32 bit pattern (default 1: all 2^32); bwd with dy = 1 and, for one x in
 *     16, a random dy and dy in {FLT_MAX, 1e30, 1e-30, 2^-149, +-inf}; bwd_y from y = RN(f(x)).
 * Errors: forward in ulp of the reference (ACCURACY.md); backward in units of
 * ulp(dx_ref) + 2^-24 |dy| M(x). Class errors (NaN vs number, inf vs finite, sign of an exact
 * zero forward) are counted apart. Exit status 1 on a class error or a bound exceeded. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "shim2.h"
#include "shared_math.gen.h"
#include "kernels_host.gen.h"

#include "clact.h"

static float fbits(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}
static uint64_t mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static double unit_of(double r) {
  int e = -125;
  if (r != 0 && isfinite(r)) {
    frexp(r, &e);
    if (e < -125)
      e = -125;
  }
  return ldexp(1.0, e - 24);
}

/* ---- statistics ---- */
#define NW 4
typedef struct {
  double e[NW];
  float at[NW], atdy[NW], got[NW];
  double ref[NW];
  uint64_t n[NW], nclass[NW];
  float cx[NW], cdy[NW], cgot[NW];
  double cref[NW];
} stats;
static void acc(stats *s, int w, double err, float x, float dy, float got, double ref) {
  s->n[w]++;
  if (err > s->e[w] || s->n[w] == 1) {
    if (err >= s->e[w]) {
      s->e[w] = err;
      s->at[w] = x;
      s->atdy[w] = dy;
      s->got[w] = got;
      s->ref[w] = ref;
    }
  }
}
static void cls(stats *s, int w, float x, float dy, float got, double ref) {
  if (s->nclass[w]++ == 0)
    s->cx[w] = x, s->cdy[w] = dy, s->cgot[w] = got, s->cref[w] = ref;
}
static void merge(stats *a, const stats *b) {
  for (int w = 0; w < NW; w++) {
    if (b->e[w] > a->e[w])
      a->e[w] = b->e[w], a->at[w] = b->at[w], a->atdy[w] = b->atdy[w], a->got[w] = b->got[w],
      a->ref[w] = b->ref[w];
    a->n[w] += b->n[w];
    if (b->nclass[w] && !a->nclass[w])
      a->cx[w] = b->cx[w], a->cdy[w] = b->cdy[w], a->cgot[w] = b->cgot[w], a->cref[w] = b->cref[w];
    a->nclass[w] += b->nclass[w];
  }
}

/* forward-style comparison: 0 ok (err set), 1 class error */
static int fcmp(float y, double r, double *err, int zsign) {
  *err = 0;
  if (isnan(r) || isnan(y))
    return !(isnan(r) && isnan(y));
  if (isinf(r))
    return !(isinf(y) && (y > 0) == (r > 0));
  if (isinf(y))
    return !(__builtin_fabs(r) >= 0x1.ffffffp127 && (y > 0) == (r > 0));
  if (r == 0 && y == 0)
    return zsign && !signbit(y) != !signbit(r);
  *err = __builtin_fabs((double)y - r) / unit_of(r);
  return 0;
}

/* ---- helpers ---- */
enum { H_SINCOS, H_LOG, H_ATAN, H_ASINH, H_EXPM1, H_EXPWIDE, H_SCALE };
static const char *hnames[] = {"sincos", "log", "atan", "asinh", "expm1", "expwide", "scale"};
static const char *hwhat[][NW] = {
    {"sin rounded (ulp)", "sin pair (2^-24 rel)", "cos rounded (ulp)", "cos pair (2^-24 rel)"},
    {"log rounded (ulp)", "log pair (2^-24 rel)", "log pair, xl != 0 (2^-24 rel)", "-"},
    {"atan rounded (ulp)", "atan pair (2^-24 rel)", "-", "-"},
    {"asinh (ulp)", "-", "-", "-"},
    {"expm1 2^s(h+l) (2^-24 rel)", "expm1 rounded (ulp)", "-", "-"},
    {"exp_wide 2^k(m+ml) (2^-24 rel)", "-", "-", "-"},
    {"ldexp_wide (ulp)", "mul_scaled (ulp)", "-", "-"},
};

typedef struct {
  int what, tid, nt;
  uint64_t stride;
  stats s;
  /* act mode */
  int act, dir;
  float p[4];
  h2_fwd fwd;
  h2_bwd bwd;
} job;

static void rel(stats *s, int w, double v, double r, float x) {
  if (isnan(r) || isinf(r) || r == 0)
    return;
  acc(s, w, __builtin_fabs(v / r - 1) * 0x1p24, x, 0, (float)v, r);
}

static void helper_one(job *J, uint64_t i) {
  stats *s = &J->s;
  float x = fbits((uint32_t)i);
  double err;
  switch (J->what) {
  case H_SINCOS: {
    float sl, ch, cl;
    float sh = clact_sincos(x, &sl, &ch, &cl);
    double rs = sin((double)x), rc = cos((double)x);
    if (fcmp(sh, rs, &err, 1))
      cls(s, 0, x, 0, sh, rs);
    else
      acc(s, 0, err, x, 0, sh, rs);
    if (fcmp(ch, rc, &err, 0))
      cls(s, 2, x, 0, ch, rc);
    else
      acc(s, 2, err, x, 0, ch, rc);
    if (isfinite(x)) {
      rel(s, 1, (double)sh + sl, rs, x);
      rel(s, 3, (double)ch + cl, rc, x);
    }
    break;
  }
  case H_LOG: {
    if (!(x > 0) || isinf(x))
      return;
    float lo;
    float h = clact_log_dd(x, 0.0f, 0, &lo);
    double r = log((double)x);
    if (fcmp(h, r, &err, 0))
      cls(s, 0, x, 0, h, r);
    else
      acc(s, 0, err, x, 0, h, r);
    rel(s, 1, (double)h + lo, r, x);
    int e;
    frexp(x, &e);
    float xl = (float)ldexp((double)(mix(i) >> 11) * 0x1p-53 - 0.5, e - 24);
    h = clact_log_dd(x, xl, 0, &lo);
    r = log((double)x + xl);
    if (x > 0x1p-120f)
      rel(s, 2, (double)h + lo, r, x);
    break;
  }
  case H_ATAN: {
    float lo;
    float h = clact_atan_dd(x, &lo);
    double r = atan((double)x);
    if (fcmp(h, r, &err, 1))
      cls(s, 0, x, 0, h, r);
    else
      acc(s, 0, err, x, 0, h, r);
    if (isfinite(x) && __builtin_fabs(x) > 0x1p-100f)
      rel(s, 1, (double)h + lo, r, x);
    break;
  }
  case H_ASINH: {
    float h = clact_asinh(x);
    double r = asinh((double)x);
    if (fcmp(h, r, &err, 1))
      cls(s, 0, x, 0, h, r);
    else
      acc(s, 0, err, x, 0, h, r);
    break;
  }
  case H_EXPM1: {
    if (!(x <= 199.9f))
      return;
    int k;
    float l;
    float h = clact_expm1_scaled(x, 0.0f, &k, &l);
    double r = expm1((double)x);
    rel(s, 0, ldexp((double)h + l, k), r, x);
    float y = clact_ldexp_wide(h + l, k);
    if (fcmp(y, r, &err, 0))
      cls(s, 1, x, 0, y, r);
    else
      acc(s, 1, err, x, 0, y, r);
    break;
  }
  case H_EXPWIDE: {
    if (!(x <= 199.9f && x >= -310.0f))
      return;
    int k;
    float ml;
    float m = clact_exp_wide(x, 0.0f, &k, &ml);
    rel(s, 0, ldexp((double)m + ml, k), exp((double)x), x);
    break;
  }
  case H_SCALE: {
    uint64_t h = mix(i);
    int k = (int)(h % 601) - 300;
    double r = ldexp((double)x, k);
    float y = clact_ldexp_wide(x, k);
    if (fcmp(y, (double)(float)r, &err, 1))
      cls(s, 0, x, 0, y, r);
    else
      acc(s, 0, err > 0 ? __builtin_fabs((double)y - r) / unit_of(r) : 0, x, 0, y, r);
    float b = fbits((uint32_t)(h >> 32));
    r = ldexp((double)x * b, k);
    y = clact_mul_scaled(x, b, k);
    if (fcmp(y, r, &err, 1))
      cls(s, 1, x, b, y, r);
    else
      acc(s, 1, err, x, b, y, r);
    break;
  }
  }
}

/* ---- activations ---- */
typedef struct {
  const char *name;
  h2_fwd fwd;
  h2_bwd bwd, bwd_y;
} host_act;
#define ACT(id)                                                                                    \
  { #id, hw_##id##_fwd, hw_##id##_bwd, NULL }
#define ACTY(id)                                                                                   \
  { #id, hw_##id##_fwd, hw_##id##_bwd, hw_##id##_bwd_y }
static const host_act acts[] = {HOST_ACTS};

static const float dyset[6] = {FLT_MAX, 1e30f, 1e-30f, 0x1p-149f, INFINITY, -INFINITY};

static void bwd_one(job *J, int w, float x, float dy, double d, double mag) {
  stats *s = &J->s;
  float dx = J->bwd(x, dy, J->p);
  double r = (double)dy * d;
  if (isnan(r) || isnan(dx) || isinf(r) || isinf(dx)) {
    if (isinf(dy) && __builtin_fabs(d) <= 4 * 0x1p-24 * mag && (isinf(dx) || isnan(dx)))
      return;
    double err;
    if (fcmp(dx, r, &err, 0))
      cls(s, w, x, dy, dx, r);
    return;
  }
  double err =
      __builtin_fabs((double)dx - r) / (unit_of(r) + 0x1p-24 * __builtin_fabs((double)dy) * mag);
  acc(s, w, err, x, dy, dx, r);
}

static void act_one(job *J, uint64_t i) {
  float x = fbits((uint32_t)i);
  double p[4] = {J->p[0], J->p[1], J->p[2], J->p[3]};
  if (J->dir == 0) {
    float y = J->fwd(x, J->p);
    double r = clact_reference_forward((clact_activation)J->act, x, p), err;
    if (fcmp(y, r, &err, 1))
      cls(&J->s, 0, x, 0, y, r);
    else
      acc(&J->s, 0, err, x, 0, y, r);
    return;
  }
  double mag = 0, d;
  if (J->dir == 2) {
    x = (float)clact_reference_forward((clact_activation)J->act, x, p);
    d = clact_reference_derivative_from_y((clact_activation)J->act, x, p, &mag);
  } else
    d = clact_reference_derivative((clact_activation)J->act, x, p, &mag);
  bwd_one(J, 0, x, 1.0f, d, mag);
  uint64_t h = mix(i >> 4);
  if ((i & 15) != (h & 15))
    return;
  uint64_t h2 = mix(h);
  float dy = ldexpf(1.0f + (float)((h2 >> 8) & 0x7fffff) * 0x1p-23f, (int)(h2 % 81) - 40);
  bwd_one(J, 1, x, (h2 >> 63) ? -dy : dy, d, mag);
  for (int k = 0; k < 6; k++)
    bwd_one(J, 2, x, dyset[k], d, mag);
}

static void *worker(void *arg) {
  job *J = arg;
  const uint64_t block = 1ull << 20;
  for (uint64_t b0 = (uint64_t)J->tid * block; b0 < (1ull << 32); b0 += block * J->nt)
    for (uint64_t i = b0; i < b0 + block; i++) {
      if (J->stride > 1 && mix(i ^ 0xabcdef) % J->stride != 0)
        continue;
      if (J->what >= 0)
        helper_one(J, i);
      else
        act_one(J, i);
    }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: sweep2 helper NAME [-s N] [-t N] | sweep2 act ID fwd|bwd|bwd_y [-s N] "
                    "[-t N] [-p P...]\n");
    return 2;
  }
  job proto;
  memset(&proto, 0, sizeof proto);
  proto.what = -1;
  proto.stride = 1;
  int nt = 2, argi;
  const char *names[NW];
  if (!strcmp(argv[1], "helper")) {
    for (int h = 0; h <= H_SCALE; h++)
      if (!strcmp(argv[2], hnames[h]))
        proto.what = h;
    if (proto.what < 0)
      return fprintf(stderr, "unknown helper\n"), 2;
    memcpy(names, hwhat[proto.what], sizeof names);
    argi = 3;
  } else {
    if (argc < 4)
      return 2;
    clact_activation a;
    if (clact_lookup(argv[2], &a) != CLACT_SUCCESS)
      return fprintf(stderr, "unknown activation\n"), 2;
    proto.act = (int)a;
    int found = 0;
    for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++)
      if (acts[k].name && !strcmp(acts[k].name, clact_name(a))) {
        proto.fwd = acts[k].fwd;
        proto.dir = !strcmp(argv[3], "fwd") ? 0 : !strcmp(argv[3], "bwd") ? 1 : 2;
        proto.bwd = proto.dir == 2 ? acts[k].bwd_y : acts[k].bwd;
        found = 1;
      }
    if (!found || !proto.bwd)
      return fprintf(stderr, "not compiled in (or no from-y variant)\n"), 2;
    double def[4];
    clact_params_resolve(a, NULL, def);
    for (int k = 0; k < 4; k++)
      proto.p[k] = (float)def[k];
    static const char *an[] = {"all x, dy = 1", "x/16, random dy", "x/16, extreme dy", "-"};
    static const char *af[] = {"all x (ulp)", "-", "-", "-"};
    memcpy(names, proto.dir ? an : af, sizeof names);
    argi = 4;
  }
  for (int i = argi; i < argc; i++) {
    if (!strcmp(argv[i], "-s") && i + 1 < argc)
      proto.stride = strtoull(argv[++i], 0, 0);
    else if (!strcmp(argv[i], "-t") && i + 1 < argc)
      nt = atoi(argv[++i]);
    else if (!strcmp(argv[i], "-p")) {
      for (int k = 0; k < 4 && i + 1 < argc; k++) {
        char *end;
        float v = strtof(argv[i + 1], &end);
        if (end == argv[i + 1] || *end)
          break;
        proto.p[k] = v;
        i++;
      }
    }
  }
  if (nt < 1 || nt > 16)
    nt = 2;
  job J[16];
  pthread_t th[16];
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int t = 0; t < nt; t++) {
    J[t] = proto;
    J[t].tid = t;
    J[t].nt = nt;
    pthread_create(&th[t], NULL, worker, &J[t]);
  }
  for (int t = 0; t < nt; t++)
    pthread_join(th[t], NULL);
  for (int t = 1; t < nt; t++)
    merge(&J[0].s, &J[t].s);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  stats *s = &J[0].s;
  printf("%s %s%s%s p=(%g, %g, %g, %g) stride %" PRIu64 " (%.0f s)\n", argv[1], argv[2],
         proto.what < 0 ? " " : "", proto.what < 0 ? argv[3] : "", (double)proto.p[0],
         (double)proto.p[1], (double)proto.p[2], (double)proto.p[3], proto.stride,
         (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
  int bad = 0;
  double bound = 4;
  if (proto.what < 0 && proto.dir == 0) {
    clact_activation a = (clact_activation)proto.act;
    bound = clact_accuracy_ulp(clact_get_info(a)->accuracy);
    if (bound == 0)
      bound = 0.5;
  }
  for (int w = 0; w < NW; w++) {
    if (!strcmp(names[w], "-"))
      continue;
    printf("  %-34s n=%-11" PRIu64 " max %.4g at x=%a (%.9g) dy=%g got %.9g ref %.17g\n", names[w],
           s->n[w], s->e[w], (double)s->at[w], (double)s->at[w], (double)s->atdy[w],
           (double)s->got[w], s->ref[w]);
    if (s->nclass[w])
      printf("    CLASS ERRORS %" PRIu64 ": first x=%a dy=%g got %a ref %.17g\n", s->nclass[w],
             (double)s->cx[w], (double)s->cdy[w], (double)s->cgot[w], s->cref[w]);
    bad |= s->nclass[w] != 0 || (proto.what < 0 && s->e[w] > bound);
  }
  return bad;
}
