/* host/check_structured.c: clact_check_rows, the verification of the structured operations
 * against the double-precision reference of host/ref_structured.c (float64: its long double
 * forms; bounds: docs/structured.md).
 * Used by the CTest programs (tests/test_structured.c) and by `clact check`. */
#include "storage.h"
#include "structured_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- storage formats on the host ------------------------------------------------------------ */
typedef struct fmt {
  size_t esize;
  int p, emin;     /* precision in bits; frexp exponent of the smallest normal */
  double overflow; /* |v| from which RNE gives infinity */
  uint64_t poison; /* a NaN that no kernel stores (they store the canonical quiet NaN) */
  double u;        /* unit roundoff */
} fmt;

static const fmt fmts[4] = {
    {4, 24, -125, 0x1.ffffffp127, 0x7FA1A1A1u, 0x1p-24},
    {2, 11, -13, 65520.0, 0x7D5Au, 0x1p-11},
    {2, 8, -125, 0x1.ffp127, 0x7FA1u, 0x1p-8},
    {8, 53, -1021, INFINITY, 0x7FF4DEADBEEF0001ull, 0x1p-53}, /* a signaling NaN: never stored */
};

/* float64 (ACCURACY.md): relative error <= 2^-45, with the floor 2^-1022 (as float32's unit
 * stops at the smallest subnormal): judged in units of 2^-45 max(|ref|, 2^-1022) plus the
 * operation's own terms (docs/structured.md, "float64"), bound 1. */
#define F64_REL 0x1p-45
#define F64_FLOOR 0x1p-1022
#define U64 0x1p-53

static int is16(clact_dtype dt) {
  return dt == CLACT_F16 || dt == CLACT_BF16;
}

static double f64_unit(double ref) {
  double r = fabs(ref);
  return F64_REL * (r > F64_FLOOR ? r : F64_FLOOR);
}

/* A float32 kernel result from its bits. */
static float bits_f32(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

/* ulp of the format at an exact value (ACCURACY.md: never below the smallest subnormal) */
static double fmt_ulp(const fmt *f, double ref) {
  int e = 0;
  frexp(ref, &e);
  if (ref == 0 || e < f->emin)
    e = f->emin;
  return ldexp(1.0, e - f->p);
}

/* Whether got has the class the exact value rounds to: NaN, +-inf, or a number. For f16/bf16,
 * an infinity is also the right class where the exact value lies within one float32 ulp below
 * the format's overflow tie (65520 for half): the float32 kernel's result, correctly rounded,
 * can then be the tie itself, and its round-to-nearest-even is infinity. ACCURACY.md's two
 * 16-bit rules ("RNE of the float32 result", "within 1 ulp of the exact value") cannot both hold
 * there; the stored value follows the first, as the elementwise checker's overflow_tie does. */
static int same_class(const fmt *f, double got, double ref) {
  if (isnan(ref) || isnan(got))
    return isnan(ref) && isnan(got);
  int ref_inf = fabs(ref) >= f->overflow;
  int tie = f->esize == 2 && isinf(got) && (got > 0) == (ref > 0) &&
            fabs(ref) >= f->overflow - ldexp(1.0, ilogb(f->overflow) - 23);
  if (ref_inf || isinf(got))
    return tie || (ref_inf && isinf(got) && (got > 0) == (ref > 0));
  return 1;
}

/* ---- inputs ------------------------------------------------------------------------------- */
static uint64_t next(uint64_t *s) { /* splitmix64 */
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double unif(uint64_t *s) { /* [0, 1) */
  return (double)(next(s) >> 11) * 0x1p-53;
}

#define KINDS 10
/* Row r of the input: kind 0 (typical) for row 0, then the kinds in turn (docs/structured.md). */
static void fill_row(clact_structured op, clact_dtype dt, size_t r, size_t n, uint64_t *s,
                     double *x) {
  int kind = (int)(r % KINDS);
  int f64 = dt == CLACT_F64;
  double big = dt == CLACT_F16 ? 65504.0 : f64 ? DBL_MAX : FLT_MAX;
  size_t at = (size_t)(next(s) % n);
  for (size_t j = 0; j < n; j++) {
    double v;
    switch (kind) {
    case 1: /* wide: results down to subnormals (float64: e^-760 .. e^10) */
      v = f64 ? -760.0 + 770.0 * unif(s) : -120.0 + 130.0 * unif(s);
      break;
    case 2: /* a dominant element: log_softmax of it is tiny */
      v = j == at ? 0.0 : (f64 ? -40.0 : -20.0) - 4.0 * unif(s);
      break;
    case 3: /* ties, several maxima */
      v = (double)(next(s) % 4) * 0.75 - 1.0;
      break;
    case 4: /* -inf entries among finite ones */
      v = j % 3 == 1 ? -INFINITY : 8.0 * unif(s) - 4.0;
      break;
    case 5: /* all -inf: NaN */
      v = -INFINITY;
      break;
    case 6: /* one NaN: NaN */
      v = j == at ? NAN : 4.0 * unif(s) - 2.0;
      break;
    case 7: /* a +inf: NaN */
      v = j == at ? INFINITY : 4.0 * unif(s) - 2.0;
      break;
    case 8: { /* huge magnitudes: x - m beyond the float range */
      uint64_t c = next(s) % 4;
      v = c == 0 ? big : c == 1 ? -big : (unif(s) - 0.5) * big;
      break;
    }
    case 9: /* constant: 1/n */
      v = 0.375;
      break;
    default: /* typical; sparsemax: a narrow band, a support of about n^(3/4) elements */
      v = op == CLACT_S_SPARSEMAX ? 0.5 + 2.0 * unif(s) / sqrt((double)n) : 8.0 * unif(s) - 4.0;
    }
    x[j] = clact__in_format(dt, v);
  }
}

/* ---- device runs -------------------------------------------------------------------------- */
typedef struct layout {
  size_t off, pitch;
} layout;

static size_t layout_elems(layout l, size_t rows) {
  return l.off + rows * l.pitch;
}

/* Host matrix (rows x cols floats) -> raw buffer image with a layout; padding = poison. */
static void *pack(clact_dtype dt, const double *m, size_t rows, size_t cols, layout l) {
  const fmt *f = &fmts[dt];
  size_t total = layout_elems(l, rows);
  void *b = malloc(total * f->esize);
  if (!b)
    return NULL;
  for (size_t i = 0; i < total; i++)
    clact__put_raw(b, f->esize, i, f->poison);
  if (m)
    for (size_t r = 0; r < rows; r++)
      for (size_t c = 0; c < cols; c++)
        clact__put_raw(b, f->esize, l.off + r * l.pitch + c, clact__to_raw(dt, m[r * cols + c]));
  return b;
}

static cl_mem make_buffer(clact_context *ctx, const void *img, size_t bytes, cl_int *err) {
  return clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, bytes,
                        (void *)img, err);
}

/* One launch: inputs as host images, the output image (poisoned, same layout lo) read back
 * into `out`. in_place: the output is in0's buffer (layout l0 then). */
static clact_status run(clact_context *ctx, clact_structured op, clact_direction dir,
                        clact_dtype dt, size_t rows, size_t cols, const void *img0, layout l0,
                        const void *img1, layout l1, layout lo, int shape, int in_place,
                        void *out) {
  const fmt *f = &fmts[dt];
  cl_int err = CL_SUCCESS;
  cl_mem b0 = NULL, b1 = NULL, bo = NULL;
  clact_status st = CLACT_SUCCESS;
  size_t n0 = layout_elems(l0, rows) * f->esize;
  b0 = make_buffer(ctx, img0, n0, &err);
  if (err == CL_SUCCESS && dir == CLACT_BACKWARD)
    b1 = make_buffer(ctx, img1, layout_elems(l1, rows) * f->esize, &err);
  void *poisoned = NULL;
  if (err == CL_SUCCESS && !in_place) {
    poisoned = pack(dt, NULL, rows, cols, lo);
    if (!poisoned)
      err = CL_OUT_OF_HOST_MEMORY;
    else
      bo = make_buffer(ctx, poisoned, layout_elems(lo, rows) * f->esize, &err);
  }
  if (err != CL_SUCCESS) {
    st = (clact_status)err;
  } else {
    clact_tensor t0 = {b0, l0.off, l0.pitch}, t1 = {b1, l1.off, l1.pitch};
    clact_tensor to = in_place ? t0 : (clact_tensor){bo, lo.off, lo.pitch};
    st = clact__rows_launch(ctx, op, dir, dt, NULL, rows, cols, &t0,
                            dir == CLACT_BACKWARD ? &t1 : NULL, &to, NULL, shape, NULL);
    if (st == CLACT_SUCCESS)
      st = (clact_status)clEnqueueReadBuffer(clact_context_queue(ctx), in_place ? b0 : bo, CL_TRUE,
                                             0, layout_elems(in_place ? l0 : lo, rows) * f->esize,
                                             out, 0, NULL, NULL);
  }
  free(poisoned);
  if (b0)
    clReleaseMemObject(b0);
  if (b1)
    clReleaseMemObject(b1);
  if (bo)
    clReleaseMemObject(bo);
  return st;
}

/* ---- judging ------------------------------------------------------------------------------ */
typedef struct judge {
  clact_check_result *res;
  const char *what;
  int digits; /* of the values in the message: 0 = 9 (float formats), 17 for f64 */
} judge;

static void note(judge *j, double err, int fail, size_t r, size_t c, double x, double dy,
                 double got, double ref) {
  clact_check_result *res = j->res;
  res->count++;
  double e = isnan(err) || isinf(err) ? INFINITY : err;
  int bin = e == 0 ? 0 : e <= 0.5 ? 1 : e <= 1 ? 2 : e <= 2 ? 3 : e <= 4 ? 4 : 5;
  res->histogram[bin]++;
  if (fail)
    res->failures++;
  if ((fail && res->failures == 1) || (!res->failures && e > res->max_err)) {
    res->worst_x = x;
    res->worst_dy = dy;
    res->worst_got = got;
    res->worst_ref = ref;
  }
  if (e > res->max_err)
    res->max_err = e;
  if (fail && res->failures == 1)
    snprintf(res->message, sizeof res->message,
             "%s: row %zu col %zu: in %.*g dy %.*g: got %.*g, reference %.17g", j->what, r, c,
             j->digits ? j->digits : 9, x, j->digits ? j->digits : 9, dy, j->digits ? j->digits : 9,
             got, ref);
}

/* ---- the GLU family ----------------------------------------------------------------------- */
/* One element's input value: specials, a wide exponent range, typical values. */
static double glu_value(clact_dtype dt, uint64_t *s) {
  static const float specials[] = {0.0f,    -0.0f, INFINITY, -INFINITY, NAN,   1e30f,
                                   -1e30f,  7.0f,  -7.0f,    8.0f,      -8.0f, 1e-40f,
                                   -3e-39f, 1.0f,  -1.0f,    20.0f};
  /* float64: its own extremes (subnormal, near DBL_MAX, gates where phi is subnormal) */
  static const double specials64[] = {0.0,    -0.0,  INFINITY, -INFINITY, NAN,     1e300,
                                      -1e300, 7.0,   -7.0,     0x1p-1060, -3e-310, 1.0,
                                      -1.0,   -38.5, -745.5,   40.0};
  int f64 = dt == CLACT_F64;
  uint64_t k = next(s) % 16;
  double v;
  if (k == 0)
    v = f64 ? specials64[next(s) % (sizeof specials64 / sizeof specials64[0])]
            : specials[next(s) % (sizeof specials / sizeof specials[0])];
  else if (k <= 3)
    v = ldexp(unif(s) + 0.5, (int)(next(s) % 61) - 30) * (next(s) % 2 ? -1 : 1);
  else
    v = 16.0 * unif(s) - 8.0;
  return clact__in_format(dt, v);
}

/* The float64 unit of a GLU result (docs/structured.md, bound 1). y and da, s phi(g) (s = a,
 * a + 1 in the gpt-oss form, dy), judged against s phi unrounded: the larger of ACCURACY.md's
 * 2^-45 max(|y|, 2^-1022) and phi's own float64 bound times |s| (a subnormal phi times a large
 * s keeps only phi's absolute accuracy, as in float32), plus the product's rounding, phi's double
 * reference's and a + 1's in the gpt-oss form. dg, phi'(g) dy' with dy' = fl(dy a) rounded alike
 * in kernel and reference: the elementwise float64 backward rule (2^-45 max(|ref|, 2^-1022) +
 * 4 u |dy'| M(g) + |dy'| 2^-1060 for a subnormal phi', check.c) plus the reference's last
 * rounding. */
static long double glu_unit64(int is_g, int oss, double ref, double s, double phi, double mag,
                              double dya) {
  if (is_g)
    return (long double)f64_unit(ref) + 4 * U64 * mag + fabs(dya) * 0x1p-1060 + U64 * fabs(ref);
  long double ph = fabs(phi) > F64_FLOOR ? fabs(phi) : F64_FLOOR;
  long double prop = F64_REL * fabsl((long double)s) * ph, own = f64_unit(ref);
  return (prop > own ? prop : own) + (2 + oss) * U64 * fabsl((long double)ref);
}

/* Runs one configuration (mode 0-2 packed, 3 separate gate; p the resolved parameters) and judges
 * it; in place (dx over x, dgate over gate) must give the same bits. */
static clact_status glu_run(clact_context *ctx, clact_structured op, clact_direction dir,
                            clact_dtype dt, const clact_params *params, int mode, size_t rows,
                            size_t d, uint64_t *seed, clact_check_result *res) {
  const fmt *f = &fmts[dt];
  double p[CLACT_MAX_PARAMS];
  clact_status st = clact__structured_params(op, params, dt, p);
  if (st != CLACT_SUCCESS)
    return st;
  int gated = mode == 3, bwd = dir == CLACT_BACKWARD;
  size_t xw = gated ? d : 2 * d;
  layout lx = {3, xw + 5}, lg = {2, d + 4}, ldy = {2, d + 1};
  layout lo0 = bwd ? (layout){4, xw + 3} : (layout){1, d + 2}, lo1 = {5, d + 1};
  size_t ow = bwd ? xw : d;
  double *xv = calloc(rows * xw, sizeof *xv), *gv = calloc(rows * d, sizeof *gv);
  double *dyv = calloc(rows * d, sizeof *dyv);
  void *ix = NULL, *ig = NULL, *idy = NULL, *po0 = NULL, *po1 = NULL, *o0 = NULL, *o1 = NULL,
       *o0_32 = NULL, *o1_32 = NULL, *ip0 = NULL, *ip1 = NULL;
  if (!xv || !gv || !dyv) {
    st = (clact_status)CL_OUT_OF_HOST_MEMORY;
    goto done;
  }
  for (size_t i = 0; i < rows * xw; i++)
    xv[i] = glu_value(dt, seed);
  for (size_t i = 0; i < rows * d; i++) {
    gv[i] = glu_value(dt, seed);
    uint64_t k = next(seed) % 8;
    dyv[i] = clact__in_format(dt, k == 0   ? 0.0
                                  : k == 1 ? 1e6 * (unif(seed) - 0.5)
                                           : 4.0 * unif(seed) - 2.0);
  }
  /* the runs: the format under test, then float32 on the same values (16-bit: RNE rule), then
   * in place */
  for (int pass32 = 0; pass32 <= 2 && st == CLACT_SUCCESS; pass32++) {
    clact_dtype rd = pass32 == 1 ? CLACT_F32 : dt;
    if (pass32 == 1 && !is16(dt))
      continue;
    int in_place = pass32 == 2;
    if (in_place && !bwd && !gated)
      break; /* y (d wide) cannot be x (2d wide) exactly */
    const fmt *rf = &fmts[rd];
    free(ix);
    free(ig);
    free(idy);
    free(po0);
    free(po1);
    ix = pack(rd, xv, rows, xw, lx);
    ig = gated ? pack(rd, gv, rows, d, lg) : NULL;
    idy = bwd ? pack(rd, dyv, rows, d, ldy) : NULL;
    po0 = pack(rd, NULL, rows, ow, lo0);
    po1 = gated && bwd ? pack(rd, NULL, rows, d, lo1) : NULL;
    if (!ix || (gated && !ig) || (bwd && !idy) || !po0 || (gated && bwd && !po1)) {
      st = (clact_status)CL_OUT_OF_HOST_MEMORY;
      break;
    }
    if (!gated) /* the gate half lives in x: write g at its positions */
      for (size_t r = 0; r < rows; r++)
        for (size_t i = 0; i < d; i++) {
          size_t gpos = mode == 0 ? d + i : mode == 1 ? i : 2 * i;
          clact__put_raw(ix, rf->esize, lx.off + r * lx.pitch + gpos,
                         clact__to_raw(rd, gv[r * d + i]));
        }
    cl_int err = CL_SUCCESS;
    cl_mem bx = make_buffer(ctx, ix, layout_elems(lx, rows) * rf->esize, &err), bg = NULL,
           bdy = NULL, bo0 = NULL, bo1 = NULL;
    if (gated && err == CL_SUCCESS)
      bg = make_buffer(ctx, ig, layout_elems(lg, rows) * rf->esize, &err);
    if (bwd && err == CL_SUCCESS)
      bdy = make_buffer(ctx, idy, layout_elems(ldy, rows) * rf->esize, &err);
    if (err == CL_SUCCESS && !in_place)
      bo0 = make_buffer(ctx, po0, layout_elems(lo0, rows) * rf->esize, &err);
    if (err == CL_SUCCESS && !in_place && gated && bwd)
      bo1 = make_buffer(ctx, po1, layout_elems(lo1, rows) * rf->esize, &err);
    if (err == CL_SUCCESS) {
      clact_tensor tx = {bx, lx.off, lx.pitch}, tg = {bg, lg.off, lg.pitch};
      clact_tensor tdy = {bdy, ldy.off, ldy.pitch};
      clact_tensor t0 = in_place ? tx : (clact_tensor){bo0, lo0.off, lo0.pitch};
      clact_tensor t1 = in_place ? tg : (clact_tensor){bo1, lo1.off, lo1.pitch};
      st = clact__glu_launch(ctx, op, dir, rd, params, rows, gated ? d : 2 * d, &tx,
                             gated ? &tg : NULL, bwd ? &tdy : NULL, &t0, gated && bwd ? &t1 : NULL,
                             NULL, NULL);
      void **dst0 = pass32 == 0 ? &o0 : pass32 == 1 ? &o0_32 : &ip0;
      void **dst1 = pass32 == 0 ? &o1 : pass32 == 1 ? &o1_32 : &ip1;
      layout l0 = in_place ? lx : lo0, l1 = in_place ? lg : lo1;
      *dst0 = malloc(layout_elems(l0, rows) * rf->esize);
      if (gated && bwd)
        *dst1 = malloc(layout_elems(l1, rows) * rf->esize);
      if (st == CLACT_SUCCESS && (!*dst0 || (gated && bwd && !*dst1)))
        st = (clact_status)CL_OUT_OF_HOST_MEMORY;
      if (st == CLACT_SUCCESS)
        st = (clact_status)clEnqueueReadBuffer(clact_context_queue(ctx), in_place ? bx : bo0,
                                               CL_TRUE, 0, layout_elems(l0, rows) * rf->esize,
                                               *dst0, 0, NULL, NULL);
      if (st == CLACT_SUCCESS && gated && bwd)
        st = (clact_status)clEnqueueReadBuffer(clact_context_queue(ctx), in_place ? bg : bo1,
                                               CL_TRUE, 0, layout_elems(l1, rows) * rf->esize,
                                               *dst1, 0, NULL, NULL);
    } else {
      st = (clact_status)err;
    }
    cl_mem all[5] = {bx, bg, bdy, bo0, bo1};
    for (int k = 0; k < 5; k++)
      if (all[k])
        clReleaseMemObject(all[k]);
  }
  if (st != CLACT_SUCCESS)
    goto done;
  /* judging: every output position; padding untouched */
  const clact_structured_info *info = clact_structured_get_info(op);
  double bphi = clact_accuracy_ulp(clact_get_info(clact__glu_act(op))->accuracy);
  int oss = op == CLACT_S_SWIGLU && p[2] > 0;
  /* y = s phi (s = a, or a + 1 in the gpt-oss form; da: s = dy): phi's own error, bphi ulp of
   * float32 at phi, times |s|, plus the rounding of the product (and of a + 1):
   * |got - ref| <= b0 ulp(ref) + bphi |s| ulp32(phi); judged in units of
   * ulp(ref) + bphi |s| ulp32(phi) / b0, bound b0 (16-bit: ulp of the format). */
  double b0 = 1.0 + oss;
  double b1 = dt == CLACT_F32 ? 9.0 : 4.0; /* dg: units of ulp + u |dy a| M */
  int f64 = dt == CLACT_F64;
  if (f64) /* float64: units of the whole bound (docs/structured.md) */
    b0 = b1 = 1.0;
  if (b0 > res->bound)
    res->bound = b0;
  if (bwd && b1 > res->bound)
    res->bound = b1;
  char what[96];
  static const char *const modes[4] = {"gate second half", "gate first half", "gate interleaved",
                                       "separate gate"};
  snprintf(what, sizeof what, "%s %s, %s%s", info->name, clact_direction_name(dir), modes[mode],
           oss ? ", gpt-oss form" : "");
  judge j = {res, what, f64 ? 17 : 0};
  for (size_t r = 0; r < rows; r++) {
    for (size_t c = 0; c < lo0.pitch; c++) {
      size_t i0 = lo0.off + r * lo0.pitch + c;
      uint64_t raw = clact__get_raw(o0, f->esize, i0);
      if (c >= ow) {
        if (raw != f->poison && ++res->failures == 1)
          snprintf(res->message, sizeof res->message, "%s: padding at row %zu col %zu written",
                   what, r, c);
        continue;
      }
      /* which element and which output this position is */
      size_t i;
      int is_g = 0;
      if (!bwd || gated) {
        i = c;
      } else if (mode == 0) {
        i = c % d;
        is_g = c >= d;
      } else if (mode == 1) {
        i = c % d;
        is_g = c < d;
      } else {
        i = c / 2;
        is_g = c % 2 == 0;
      }
      size_t apos = gated ? i : mode == 0 ? i : mode == 1 ? d + i : 2 * i + 1;
      double a = xv[r * xw + apos], g = gv[r * d + i], t = bwd ? dyv[r * d + i] : 0;
      double ref0 = 0, ref1 = 0, mag = 0, phi = 0;
      clact__ref_set_f64(f64);
      clact__ref_glu(op, p, dir, a, g, t, &ref0, &ref1, &mag, &phi);
      clact__ref_set_f64(0);
      double rv = is_g ? ref1 : ref0;
      double got = clact__from_raw(dt, raw);
      /* s times a phi(g) that float may hold as 0 (below 2^-148): inf s gives NaN or inf */
      double aeff = oss ? (a > p[2] ? p[2] : (a < -p[2] ? -p[2] : a)) + 1 : a;
      double sv = bwd ? t : aeff;
      /* float64: phi within its absolute bound (2^-45 2^-1022) of 0 may be 0 or a subnormal of
       * either sign, so inf s gives NaN or an infinity of either sign */
      int ambiguous = !is_g && isinf(sv) &&
                      (f64 ? fabs(phi) <= F64_REL * F64_FLOOR && (isnan(got) || isinf(got))
                           : fabs(phi) < 0x1p-148 && isnan(got));
      int fail = 0;
      double err = 0;
      if (raw == f->poison || (!ambiguous && !same_class(f, got, rv))) {
        fail = 1;
        err = INFINITY;
      } else if (!(isnan(rv) || isinf(got) || ambiguous)) {
        double unit = is_g ? fmt_ulp(f, rv) + f->u * mag
                           : fmt_ulp(f, rv) + bphi * fabs(sv) * fmt_ulp(&fmts[0], phi) / b0;
        err = fabs(got - rv) / unit;
        if (f64) { /* glu_unit64: phi's (or phi''s) own bound, the products' roundings */
          long double diff = fabsl((long double)got - rv);
          /* y, da: against s phi unrounded (long double), where the double reference's rounding
           * of a subnormal product would be half a subnormal step of its own */
          if (!is_g && rv != 0 && isfinite(rv))
            diff = fabsl((long double)got - (long double)sv * phi);
          err = (double)(diff / glu_unit64(is_g, oss, rv, sv, phi, mag, t * aeff));
        }
        fail = !(err <= (is_g ? b1 : b0));
      }
      if (!fail && is16(dt) &&
          clact__to_raw(dt, bits_f32((uint32_t)clact__get_raw(o0_32, 4, i0))) != raw) {
        fail = 1;
        err = INFINITY;
      }
      if (!fail && ip0) { /* in place: the same bits at x's layout */
        size_t ipos = lx.off + r * lx.pitch + c;
        if (clact__get_raw(ip0, f->esize, ipos) != raw) {
          fail = 1;
          err = INFINITY;
        }
      }
      note(&j, err, fail, r, c, is_g ? g : a, t, got, rv);
    }
    if (gated && bwd) /* dgate */
      for (size_t c = 0; c < lo1.pitch; c++) {
        size_t i1 = lo1.off + r * lo1.pitch + c;
        uint64_t raw = clact__get_raw(o1, f->esize, i1);
        if (c >= d) {
          if (raw != f->poison && ++res->failures == 1)
            snprintf(res->message, sizeof res->message,
                     "%s: dgate padding at row %zu col %zu written", what, r, c);
          continue;
        }
        double ref0 = 0, ref1 = 0, mag = 0;
        clact__ref_set_f64(f64);
        clact__ref_glu(op, p, dir, xv[r * xw + c], gv[r * d + c], dyv[r * d + c], &ref0, &ref1,
                       &mag, NULL);
        clact__ref_set_f64(0);
        double got = clact__from_raw(dt, raw);
        int fail = 0;
        double err = 0;
        if (raw == f->poison || !same_class(f, got, ref1)) {
          fail = 1;
          err = INFINITY;
        } else if (!(isnan(ref1) || isinf(got))) {
          err = fabs(got - ref1) / (fmt_ulp(f, ref1) + f->u * mag);
          if (f64)
            err = (double)(fabsl((long double)got - ref1) /
                           glu_unit64(1, 0, ref1, 0, 0, mag, dyv[r * d + c] * xv[r * xw + c]));
          fail = !(err <= b1);
        }
        if (!fail && is16(dt) &&
            clact__to_raw(dt, bits_f32((uint32_t)clact__get_raw(o1_32, 4, i1))) != raw)
          fail = 1, err = INFINITY;
        if (!fail && ip1 && clact__get_raw(ip1, f->esize, lg.off + r * lg.pitch + c) != raw)
          fail = 1, err = INFINITY;
        note(&j, err, fail, r, c, gv[r * d + c], dyv[r * d + c], got, ref1);
      }
  }
done:
  free(xv);
  free(gv);
  free(dyv);
  void *bufs[] = {ix, ig, idy, po0, po1, o0, o1, o0_32, o1_32, ip0, ip1};
  for (size_t k = 0; k < sizeof bufs / sizeof bufs[0]; k++)
    free(bufs[k]);
  return st;
}

/* The GLU family: rows x cols (= 2d) inputs; every gate position and the separate gate tensor
 * (only the given one when `params` sets "gate"), and for swiglu also the gpt-oss form
 * (beta 1.702, limit 7, interleaved). */
static clact_status check_glu(clact_context *ctx, clact_structured op, clact_direction dir,
                              clact_dtype dtype, const clact_params *params, size_t rows,
                              size_t cols, clact_check_result *res) {
  if (cols % 2)
    return CLACT_ERROR_INVALID_VALUE;
  size_t d = cols / 2;
  uint64_t s = res->seed;
  clact_status st = CLACT_SUCCESS;
  int given = params && (params->set & 1u);
  for (int mode = 0; mode < 4 && st == CLACT_SUCCESS; mode++) {
    if (given && mode != (int)params->value[0])
      continue;
    clact_params pm = params ? *params : clact_params_default();
    pm.set &= ~1u; /* the gate position is the mode's */
    if (mode < 3) {
      pm.set |= 1u;
      pm.value[0] = mode;
    }
    st = glu_run(ctx, op, dir, dtype, &pm, mode, rows, d, &s, res);
  }
  if (st == CLACT_SUCCESS && op == CLACT_S_SWIGLU && !params) {
    clact_params oss = clact_params_default();
    oss.set = 7u;
    oss.value[0] = 2;
    oss.value[1] = 1.702;
    oss.value[2] = 7.0;
    st = glu_run(ctx, op, dir, dtype, &oss, 2, rows, d, &s, res);
  }
  if (st != CLACT_SUCCESS)
    return st;
  return res->failures ? CLACT_ERROR_CHECK_FAILED : CLACT_SUCCESS;
}

/* ---- crelu --------------------------------------------------------------------------------- */
/* The runs of a check of crelu, maxout or rrelu_train (rows x cols inputs xv in layout lx; dy
 * of width dyw in ldy for the backward; outputs of width ow in lo): out[0] the output buffer
 * read back whole (padding too) after the call in dt, out[1] after the call in float32 (16-bit
 * dt only), out[2] after the call in place over x (only where the output has x's width; the
 * buffer of x). Runs not made stay NULL; the caller frees them. */
static clact_status run_three(clact_context *ctx, clact_structured op, clact_direction dir,
                              clact_dtype dt, const clact_params *params, size_t rows, size_t cols,
                              const double *xv, layout lx, const double *dyv, size_t dyw,
                              layout ldy, size_t ow, layout lo, void *out[3]) {
  int bwd = dir == CLACT_BACKWARD;
  clact_status st = CLACT_SUCCESS;
  for (int run = 0; run < 3 && st == CLACT_SUCCESS; run++) {
    clact_dtype rd = run == 1 ? CLACT_F32 : dt;
    if ((run == 1 && !is16(dt)) || (run == 2 && ow != cols))
      continue; /* in place only where the output has x's width */
    const fmt *rf = &fmts[rd];
    void *ix = pack(rd, xv, rows, cols, lx), *idy = bwd ? pack(rd, dyv, rows, dyw, ldy) : NULL;
    void *po = pack(rd, NULL, rows, ow, lo);
    layout lr = run == 2 ? lx : lo;
    out[run] = malloc(layout_elems(lr, rows) * rf->esize);
    cl_int err = ix && (!bwd || idy) && po && out[run] ? CL_SUCCESS : CL_OUT_OF_HOST_MEMORY;
    cl_mem bx = NULL, bdy = NULL, bo = NULL;
    if (err == CL_SUCCESS)
      bx = make_buffer(ctx, ix, layout_elems(lx, rows) * rf->esize, &err);
    if (err == CL_SUCCESS && bwd)
      bdy = make_buffer(ctx, idy, layout_elems(ldy, rows) * rf->esize, &err);
    if (err == CL_SUCCESS && run != 2)
      bo = make_buffer(ctx, po, layout_elems(lo, rows) * rf->esize, &err);
    st = (clact_status)err;
    if (st == CLACT_SUCCESS) {
      clact_tensor tx = {bx, lx.off, lx.pitch}, tdy = {bdy, ldy.off, ldy.pitch};
      clact_tensor to = run == 2 ? tx : (clact_tensor){bo, lo.off, lo.pitch};
      const clact_tensor *pdy = bwd ? &tdy : NULL;
      st = op == CLACT_S_CRELU
               ? clact__crelu_launch(ctx, dir, rd, params, rows, cols, &tx, pdy, &to, NULL, NULL)
               : clact__ew_launch(ctx, op, dir, rd, params, rows, cols, &tx, pdy, &to, NULL, NULL);
      if (st == CLACT_SUCCESS)
        st = (clact_status)clEnqueueReadBuffer(clact_context_queue(ctx), run == 2 ? bx : bo,
                                               CL_TRUE, 0, layout_elems(lr, rows) * rf->esize,
                                               out[run], 0, NULL, NULL);
    }
    cl_mem all[3] = {bx, bdy, bo};
    for (int k = 0; k < 3; k++)
      if (all[k])
        clReleaseMemObject(all[k]);
    free(ix);
    free(idy);
    free(po);
  }
  return st;
}

/* rows x cols inputs (specials, wide range, typical), dy mixed the same way: results must equal
 * the exact values (every result is exact: a value, its negation, a 0 or NaN); f16/bf16 also
 * RNE of the float32 kernel's result; padding untouched; backward in place (dx over x). */
static clact_status check_crelu(clact_context *ctx, clact_direction dir, clact_dtype dt,
                                size_t rows, size_t cols, clact_check_result *res) {
  if (rows == 0 || cols == 0) /* (clact_check_rows rejects these before) */
    return CLACT_ERROR_INVALID_VALUE;
  const fmt *f = &fmts[dt];
  int bwd = dir == CLACT_BACKWARD;
  uint64_t seed = res->seed;
  layout lx = {3, cols + 5}, ldy = {2, 2 * cols + 1};
  layout lo = bwd ? (layout){4, cols + 3} : (layout){1, 2 * cols + 2};
  size_t ow = bwd ? cols : 2 * cols;
  double *xv = calloc(rows * cols, sizeof *xv), *dyv = calloc(rows * 2 * cols, sizeof *dyv);
  void *out[3] = {NULL, NULL, NULL}; /* dt, float32, in place */
  clact_status st = xv && dyv ? CLACT_SUCCESS : (clact_status)CL_OUT_OF_HOST_MEMORY;
  for (size_t i = 0; st == CLACT_SUCCESS && i < rows * cols; i++)
    xv[i] = glu_value(dt, &seed);
  for (size_t i = 0; st == CLACT_SUCCESS && i < rows * 2 * cols; i++)
    dyv[i] = glu_value(dt, &seed);
  if (st == CLACT_SUCCESS)
    st = run_three(ctx, CLACT_S_CRELU, dir, dt, NULL, rows, cols, xv, lx, dyv, 2 * cols, ldy, ow,
                   lo, out);
  char what[64];
  snprintf(what, sizeof what, "crelu %s", clact_direction_name(dir));
  judge j = {res, what, dt == CLACT_F64 ? 17 : 0};
  for (size_t r = 0; st == CLACT_SUCCESS && r < rows; r++)
    for (size_t c = 0; c < lo.pitch; c++) {
      size_t i = lo.off + r * lo.pitch + c;
      uint64_t raw = clact__get_raw(out[0], f->esize, i);
      if (c >= ow) {
        if (raw != f->poison && ++res->failures == 1)
          snprintf(res->message, sizeof res->message, "%s: padding at row %zu col %zu written",
                   what, r, c);
        continue;
      }
      size_t e = bwd ? c : c % cols; /* the element of x */
      double x = xv[r * cols + e], dl = bwd ? dyv[r * 2 * cols + e] : 0;
      double dr = bwd ? dyv[r * 2 * cols + cols + e] : 0, r0 = 0, r1 = 0;
      clact__ref_crelu(dir, x, dl, dr, &r0, &r1);
      double rv = !bwd && c >= cols ? r1 : r0, got = clact__from_raw(dt, raw), err = 0;
      int fail = raw == f->poison || !same_class(f, got, rv);
      if (!fail && !isnan(rv) && !isinf(got)) {
        err = fabs(got - rv) / fmt_ulp(f, rv);
        fail = err != 0;
      }
      if (!fail && is16(dt) &&
          clact__to_raw(dt, bits_f32((uint32_t)clact__get_raw(out[1], 4, i))) != raw)
        fail = 1;
      if (!fail && out[2] && clact__get_raw(out[2], f->esize, lx.off + r * lx.pitch + c) != raw)
        fail = 1;
      note(&j, fail ? INFINITY : err, fail, r, c, x, dl, got, rv);
    }
  free(xv);
  free(dyv);
  for (int k = 0; k < 3; k++)
    free(out[k]);
  if (st != CLACT_SUCCESS)
    return st;
  return res->failures ? CLACT_ERROR_CHECK_FAILED : CLACT_SUCCESS;
}

/* ---- maxout and rrelu_train ---------------------------------------------------------------- */
/* The exact result of output element c of row r (a float: a copy of an input, +0, or one
 * product rounded once in float), with p the resolved parameters. */
static double ew_ref(clact_structured op, clact_direction dir, clact_dtype dt, const double *p,
                     const double *xr, const double *dyr, const size_t *arg, size_t r, size_t cols,
                     size_t c) {
  if (op == CLACT_S_MAXOUT) { /* arg: the argmax of each group of the row */
    size_t k = (size_t)p[0], j = dir == CLACT_FORWARD ? c : c / k;
    if (dir == CLACT_FORWARD)
      return xr[j * k + arg[j]];
    return c % k == arg[j] ? dyr[j] : 0.0;
  }
  float a = clact__rrelu_slope((uint64_t)r * cols + c, (float)p[0], (float)p[1], (uint64_t)p[2]);
  if (dt == CLACT_F64) { /* the float32 slope, the product in double */
    double x = xr[c], dy = dyr[c];
    if (dir == CLACT_FORWARD) {
      volatile double ax = (double)a * x;
      return x > 0 || isnan(x) ? x : (a > 0 ? (double)ax : -0.0);
    }
    volatile double ad = (double)a * dy;
    return isnan(x) ? x : (x > 0 ? dy : (double)ad);
  }
  float x = (float)xr[c], dy = (float)dyr[c];
  if (dir == CLACT_FORWARD) {
    volatile float ax = a * x;
    return x > 0 || isnan(x) ? x : (a > 0 ? (float)ax : -0.0f);
  }
  volatile float ad = a * dy;
  return isnan(x) ? x : (x > 0 ? dy : (float)ad);
}

/* One parameter set: rows x cols inputs (specials, a wide range, typical values; maxout also
 * many ties among a few values and signed zeros), dy mixed the same way; the stored results
 * must equal the format's rounding of the exact float results bit for bit (so also RNE of the
 * float32 kernel's result), padding untouched, in place (dx over x; y over x where the widths
 * agree) bit-identical. */
static clact_status ew_run(clact_context *ctx, clact_structured op, clact_direction dir,
                           clact_dtype dt, const clact_params *params, size_t rows, size_t cols,
                           uint64_t *seed, clact_check_result *res) {
  const fmt *f = &fmts[dt];
  double p[CLACT_MAX_PARAMS];
  clact_status st = clact__structured_params(op, params, dt, p);
  size_t w = cols;
  if (st == CLACT_SUCCESS)
    st = clact__out_width(op, p, cols, &w);
  if (st != CLACT_SUCCESS)
    return st;
  int bwd = dir == CLACT_BACKWARD;
  size_t ow = bwd ? cols : w;
  layout lx = {3, cols + 5}, ldy = {2, w + 1};
  layout lo = bwd ? (layout){4, cols + 3} : (layout){1, w + 2};
  double *xv = calloc(rows * cols, sizeof *xv), *dyv = calloc(rows * w, sizeof *dyv);
  void *out[3] = {NULL, NULL, NULL}; /* dt, float32, in place */
  st = xv && dyv ? CLACT_SUCCESS : (clact_status)CL_OUT_OF_HOST_MEMORY;
  static const float few[] = {-1.0f, 0.0f, -0.0f, 0.5f, 1.0f, 2.0f};
  for (size_t i = 0; st == CLACT_SUCCESS && i < rows * cols; i++)
    xv[i] = op == CLACT_S_MAXOUT && next(seed) % 2 ? clact__in_format(dt, few[next(seed) % 6])
                                                   : glu_value(dt, seed);
  for (size_t i = 0; st == CLACT_SUCCESS && i < rows * w; i++)
    dyv[i] = glu_value(dt, seed);
  if (st == CLACT_SUCCESS)
    st = run_three(ctx, op, dir, dt, params, rows, cols, xv, lx, dyv, w, ldy, ow, lo, out);
  char what[160];
  if (op == CLACT_S_MAXOUT)
    snprintf(what, sizeof what, "maxout %s, k = %g", clact_direction_name(dir), p[0]);
  else
    snprintf(what, sizeof what, "rrelu_train %s, lower %.9g upper %.9g seed %.17g",
             clact_direction_name(dir), p[0], p[1], p[2]);
  judge j = {res, what, dt == CLACT_F64 ? 17 : 0};
  size_t k = op == CLACT_S_MAXOUT ? (size_t)p[0] : 1;
  size_t *arg = op == CLACT_S_MAXOUT ? malloc(w * sizeof *arg) : NULL;
  double *grp = op == CLACT_S_MAXOUT ? malloc(k * sizeof *grp) : NULL;
  if (st == CLACT_SUCCESS && op == CLACT_S_MAXOUT && (!arg || !grp))
    st = (clact_status)CL_OUT_OF_HOST_MEMORY;
  for (size_t i = 0; st == CLACT_SUCCESS && i < lo.off; i++)
    if (clact__get_raw(out[0], f->esize, i) != f->poison && ++res->failures == 1)
      snprintf(res->message, sizeof res->message, "%s: written before the offset", what);
  for (size_t r = 0; st == CLACT_SUCCESS && r < rows; r++) {
    for (size_t g = 0; arg && g < w; g++) {
      for (size_t t = 0; t < k; t++)
        grp[t] = xv[r * cols + g * k + t];
      arg[g] = clact__ref_maxout_arg(grp, k);
    }
    for (size_t c = 0; c < lo.pitch; c++) {
      size_t i = lo.off + r * lo.pitch + c;
      uint64_t raw = clact__get_raw(out[0], f->esize, i);
      if (c >= ow) {
        if (raw != f->poison && ++res->failures == 1)
          snprintf(res->message, sizeof res->message, "%s: padding at row %zu col %zu written",
                   what, r, c);
        continue;
      }
      double rv = ew_ref(op, dir, dt, p, xv + r * cols, dyv + r * w, arg, r, cols, c);
      double got = clact__from_raw(dt, raw);
      /* NaN: any quiet NaN (ACCURACY.md); else the exact bits, sign of zero included */
      int fail = isnan(rv) ? !isnan(got) || raw == f->poison : raw != clact__to_raw(dt, rv);
      if (!fail && is16(dt) &&
          clact__to_raw(dt, bits_f32((uint32_t)clact__get_raw(out[1], 4, i))) != raw)
        fail = 1;
      if (!fail && out[2] && clact__get_raw(out[2], f->esize, lx.off + r * lx.pitch + c) != raw)
        fail = 1;
      double in = op == CLACT_S_MAXOUT && !bwd ? xv[r * cols + c * (size_t)p[0]] : xv[r * cols + c];
      double d = !bwd ? 0 : op == CLACT_S_MAXOUT ? dyv[r * w + c / (size_t)p[0]] : dyv[r * w + c];
      note(&j, fail ? INFINITY : 0.0, fail, r, c, in, d, got, rv);
      if (fail && res->failures == 1 && out[2] && raw == clact__to_raw(dt, rv))
        snprintf(res->message, sizeof res->message,
                 "%s: in place differs from out of place at row %zu col %zu", what, r, c);
    }
  }
  free(arg);
  free(grp);
  free(xv);
  free(dyv);
  for (int q = 0; q < 3; q++)
    free(out[q]);
  return st;
}

/* maxout: k = 2 (the default), 1, 3, 5 and cols (the whole row) where they divide cols,
 * or only the given k; rrelu_train: the defaults (seed 0), lower 0 and upper 1 with the largest
 * seed (2^53 - 1: both key words), a constant slope, and a seed above 2^32; or only the given
 * parameters. */
static clact_status check_ew(clact_context *ctx, clact_structured op, clact_direction dir,
                             clact_dtype dt, const clact_params *params, size_t rows, size_t cols,
                             clact_check_result *res) {
  uint64_t s = res->seed;
  clact_status st = CLACT_SUCCESS;
  if (params && params->set)
    st = ew_run(ctx, op, dir, dt, params, rows, cols, &s, res);
  else if (op == CLACT_S_MAXOUT) {
    const size_t ks[] = {2, 1, 3, 5, cols};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0] && st == CLACT_SUCCESS; i++) {
      int seen = 0;
      for (size_t q = 0; q < i; q++)
        seen |= ks[q] == ks[i];
      if (seen || cols % ks[i] != 0 || ks[i] > 16777216)
        continue;
      clact_params pm = clact_params_default();
      pm.set = 1u;
      pm.value[0] = (double)ks[i];
      st = ew_run(ctx, op, dir, dt, &pm, rows, cols, &s, res);
    }
  } else {
    static const double sets[4][3] = {{1.0 / 8.0, 1.0 / 3.0, 0.0},
                                      {0.0, 1.0, 9007199254740991.0},
                                      {0.25, 0.25, 12345.0},
                                      {0.1, 0.9, 4294967303.0}};
    for (int i = 0; i < 4 && st == CLACT_SUCCESS; i++) {
      clact_params pm = clact_params_default();
      pm.set = 7u;
      for (int q = 0; q < 3; q++)
        pm.value[q] = sets[i][q];
      st = ew_run(ctx, op, dir, dt, &pm, rows, cols, &s, res);
    }
  }
  if (st != CLACT_SUCCESS)
    return st;
  return res->failures ? CLACT_ERROR_CHECK_FAILED : CLACT_SUCCESS;
}

/* ---- the check ---------------------------------------------------------------------------- */
clact_status clact_check_rows(clact_context *ctx, clact_structured op, clact_direction dir,
                              clact_dtype dtype, const clact_params *params, size_t rows,
                              size_t cols, uint64_t seed, clact_check_result *result) {
  if (!ctx || !result)
    return CLACT_ERROR_NULL_ARGUMENT;
  if ((unsigned)op >= CLACT_STRUCTURED_COUNT)
    return CLACT_ERROR_UNKNOWN_ACTIVATION;
  const clact_structured_info *info = clact_structured_get_info(op);
  if (dir == CLACT_BACKWARD_FROM_Y && info->backward_from_y)
    dir = CLACT_BACKWARD;
  if (dir != CLACT_FORWARD && dir != CLACT_BACKWARD)
    return CLACT_ERROR_INVALID_VALUE;
  /* float64: every operation (docs/structured.md), on devices with cl_khr_fp64 */
  if ((unsigned)dtype >= CLACT_DTYPE_COUNT)
    return CLACT_ERROR_UNSUPPORTED_DTYPE;
  clact_status sst = clact_context_supports(ctx, dtype);
  if (sst != CLACT_SUCCESS)
    return sst;
  double pv[CLACT_MAX_PARAMS];
  clact_status pst = clact__structured_params(op, params, dtype, pv);
  if (pst != CLACT_SUCCESS)
    return pst;
  if (rows == 0 || cols == 0 || rows > SIZE_MAX / 8 / (cols + 8))
    return CLACT_ERROR_INVALID_VALUE;
  memset(result, 0, sizeof *result);
  result->seed = seed ? seed : 1;
  if (clact__glu_act(op) != CLACT_ACTIVATION_COUNT)
    return check_glu(ctx, op, dir, dtype, params, rows, cols, result);
  if (op == CLACT_S_CRELU)
    return check_crelu(ctx, dir, dtype, rows, cols, result);
  if (op == CLACT_S_MAXOUT || op == CLACT_S_RRELU_TRAIN)
    return check_ew(ctx, op, dir, dtype, params, rows, cols, result);
  const fmt *f = &fmts[dtype];
  size_t n = rows * cols;
  layout lx = {3, cols + 5}, ldy = {2, cols + 1}, ly = {1, cols + 2};
  double *x = malloc(n * sizeof *x), *dy = malloc(n * sizeof *dy);
  double *xd = malloc(cols * sizeof *xd), *dyd = malloc(cols * sizeof *dyd);
  double *ref = malloc(n * sizeof *ref), *mag = malloc(n * sizeof *mag);
  void *out = malloc(layout_elems(ly, rows) * f->esize);
  void *out32 = malloc(layout_elems(ly, rows) * 4);
  void *outip = malloc(layout_elems(lx, rows) * f->esize);
  void *img0 = NULL, *img1 = NULL, *img0_32 = NULL, *img1_32 = NULL;
  clact_status st = CLACT_SUCCESS;
  if (!x || !dy || !xd || !dyd || !ref || !mag || !out || !out32 || !outip) {
    st = (clact_status)CL_OUT_OF_HOST_MEMORY;
    goto done;
  }
  uint64_t s = result->seed;
  for (size_t r = 0; r < rows; r++)
    fill_row(op, dtype, r, cols, &s, x + r * cols);
  /* backward: in = y = the forward reference stored in the format, dy mixed */
  int sparse = op == CLACT_S_SPARSEMAX, f64 = dtype == CLACT_F64;
  for (size_t r = 0; r < rows; r++) {
    for (size_t c = 0; c < cols; c++)
      xd[c] = x[r * cols + c];
    if (sparse && f64)
      clact__ref_sparsemax_forward64(xd, cols, ref + r * cols, mag + r * cols);
    else if (sparse)
      clact__ref_sparsemax_forward(xd, cols, ref + r * cols, mag + r * cols);
    else if (f64)
      clact__ref_rows_forward64(op, xd, cols, ref + r * cols);
    else
      clact__ref_rows_forward(op, xd, cols, ref + r * cols);
  }
  if (dir == CLACT_BACKWARD) {
    /* dy: mostly in [-2, 2), some 0, some large; rows of kind 1 (wide) instead take y = twice
     * the forward result (log_softmax: y down to -260, e^y far below FLT_MIN) and up to 16
     * huge dy (a sum near 2^125: e^y sum_j dy_j must not lose its scale; float64: near 2^1021,
     * with y down to -1490). The float formats' scales are float constants. */
    double big = dtype == CLACT_F16 ? 1e4f : f64 ? 1e300 : 1e30f;
    double huge = dtype == CLACT_F16 ? 6e4f : f64 ? 3e306 : 3e36f;
    for (size_t i = 0; i < n; i++) {
      size_t r = i / cols, c = i % cols;
      int wide = r % KINDS == 1;
      x[i] = clact__in_format(dtype, wide ? 2 * ref[i] : ref[i]);
      uint64_t k = next(&s) % 16;
      double v = k == 0 ? 0.0 : k == 1 ? (unif(&s) - 0.5) * big : 4.0 * unif(&s) - 2.0;
      if (wide && c < 16)
        v = (unif(&s) < 0.5 ? -1 : 1) * (double)huge;
      dy[i] = clact__in_format(dtype, v);
    }
    for (size_t r = 0; r < rows; r++) {
      for (size_t c = 0; c < cols; c++) {
        xd[c] = x[r * cols + c];
        dyd[c] = dy[r * cols + c];
      }
      if (sparse && f64)
        clact__ref_sparsemax_backward64(xd, dyd, cols, ref + r * cols, mag + r * cols);
      else if (sparse)
        clact__ref_sparsemax_backward(xd, dyd, cols, ref + r * cols, mag + r * cols);
      else if (f64)
        clact__ref_rows_backward64(op, xd, dyd, cols, ref + r * cols, mag + r * cols);
      else
        clact__ref_rows_backward(op, xd, dyd, cols, ref + r * cols, mag + r * cols);
    }
  }
  img0 = pack(dtype, x, rows, cols, lx);
  img1 = dir == CLACT_BACKWARD ? pack(dtype, dy, rows, cols, ldy) : NULL;
  if (is16(dtype)) { /* the same values in float32, for the RNE(float32 kernel) rule */
    img0_32 = pack(CLACT_F32, x, rows, cols, lx);
    img1_32 = dir == CLACT_BACKWARD ? pack(CLACT_F32, dy, rows, cols, ldy) : NULL;
  }
  if (!img0 || (dir == CLACT_BACKWARD && !img1) ||
      (is16(dtype) && (!img0_32 || (dir == CLACT_BACKWARD && !img1_32)))) {
    st = (clact_status)CL_OUT_OF_HOST_MEMORY;
    goto done;
  }
  /* sparsemax forward: |y - y_ref| <= ulp(y_ref) + abs_n M_i, every format, f64 too with its
   * own abs_n (bound 1 in those units); the softmax family: ulp only */
  double fwd_bound = dtype == CLACT_F32 && !sparse ? clact__ref_rows_forward_ulp(op, cols) : 1.0;
  double abs_n = !sparse ? 0.0
                 : f64   ? clact__ref_sparsemax_abs64(cols)
                         : clact__ref_sparsemax_abs(cols);
  result->bound = dir == CLACT_FORWARD ? fwd_bound : f64 ? 1.0 : 4.0;
  /* float64 (docs/structured.md): forward |y - y_ref| <= 2^-45 max(|y_ref|, 2^-1022) + n^2 u^2
   * |y_ref|, backward |dx - dx_ref| <= 2^-45 max(|dx_ref|, 2^-1022) + (4 + n^2 u) u M_i
   * (u = 2^-53; n^2 u^2: the compensated sum's worst case); judged in units of the bound.
   * sparsemax: forward in the float formats' form above with abs64(n), backward by this rule */
  double nu = (double)cols * U64, sum_rel = nu * nu;
  /* both kernel shapes, whichever the automatic choice */
  const int shapes[2] = {CLACT_ROWS_SHORT, CLACT_ROWS_LONG}, nshapes = 2;
  static const char *const shape_names[2] = {"row per work-item", "work-group per row"};
  for (int si = 0; si < nshapes && st == CLACT_SUCCESS; si++) {
    int shape = shapes[si];
    char what[96];
    snprintf(what, sizeof what, "%s %s, %s", info->name, clact_direction_name(dir),
             shape_names[shape]);
    judge j = {result, what, f64 ? 17 : 0};
    st = run(ctx, op, dir, dtype, rows, cols, img0, lx, img1, ldy, ly, shape, 0, out);
    if (st == CLACT_SUCCESS && is16(dtype))
      st = run(ctx, op, dir, CLACT_F32, rows, cols, img0_32, lx, img1_32, ldy, ly, shape, 0, out32);
    if (st != CLACT_SUCCESS)
      break;
    for (size_t i = 0; i < ly.off; i++)
      if (clact__get_raw(out, f->esize, i) != f->poison && ++result->failures == 1)
        snprintf(result->message, sizeof result->message, "%s: written before the offset", what);
    for (size_t r = 0; r < rows; r++) {
      for (size_t c = 0; c < ly.pitch; c++) {
        size_t i = ly.off + r * ly.pitch + c;
        uint64_t raw = clact__get_raw(out, f->esize, i);
        if (c >= cols) { /* padding: untouched */
          if (raw != f->poison && ++result->failures == 1)
            snprintf(result->message, sizeof result->message,
                     "%s: padding at row %zu col %zu written", what, r, c);
          continue;
        }
        double got = clact__from_raw(dtype, raw), rv = ref[r * cols + c];
        double in0 = x[r * cols + c], d = dir == CLACT_BACKWARD ? dy[r * cols + c] : 0;
        int fail = 0;
        double err;
        if (raw == f->poison || !same_class(f, got, rv)) { /* not written, or wrong class */
          fail = 1;
          err = INFINITY;
        } else if (isnan(rv) || isinf(got)) {
          err = 0;
        } else if (f64 && sparse && dir == CLACT_FORWARD) {
          err = fabs(got - rv) / (fmt_ulp(f, rv) + abs_n * mag[r * cols + c]);
          fail = !(err <= 1.0);
        } else if (f64) {
          double unit = dir == CLACT_FORWARD
                            ? f64_unit(rv) + sum_rel * fabs(rv)
                            : f64_unit(rv) + (4 + (double)cols * nu) * U64 * mag[r * cols + c];
          err = fabs(got - rv) / unit;
          fail = !(err <= 1.0);
        } else if (dir == CLACT_FORWARD) {
          err = fabs(got - rv) / (fmt_ulp(f, rv) + (sparse ? abs_n * mag[r * cols + c] : 0.0));
          fail = !(err <= fwd_bound);
        } else {
          err = fabs(got - rv) / (fmt_ulp(f, rv) + f->u * mag[r * cols + c]);
          fail = !(err <= 4.0);
        }
        if (!fail && is16(dtype)) { /* stored = RNE(float32 kernel result) */
          float k32 = bits_f32((uint32_t)clact__get_raw(out32, 4, i));
          if (clact__to_raw(dtype, k32) != raw) {
            fail = 1;
            err = INFINITY;
          }
        }
        note(&j, err, fail, r, c, in0, d, got, rv);
      }
    }
    if (st != CLACT_SUCCESS)
      break;
    /* in place: bit-identical with the out-of-place result of the same shape */
    st = run(ctx, op, dir, dtype, rows, cols, img0, lx, img1, ldy, lx, shape, 1, outip);
    if (st != CLACT_SUCCESS)
      break;
    for (size_t r = 0; r < rows; r++)
      for (size_t c = 0; c < cols; c++) {
        uint64_t a = clact__get_raw(outip, f->esize, lx.off + r * lx.pitch + c);
        uint64_t b = clact__get_raw(out, f->esize, ly.off + r * ly.pitch + c);
        if (a != b) {
          result->failures++;
          if (result->failures == 1)
            snprintf(result->message, sizeof result->message,
                     "%s: in place differs from out of place at row %zu col %zu", what, r, c);
        }
      }
  }
done:
  free(x);
  free(dy);
  free(xd);
  free(dyd);
  free(ref);
  free(mag);
  free(out);
  free(out32);
  free(outip);
  free(img0);
  free(img1);
  free(img0_32);
  free(img1_32);
  if (st != CLACT_SUCCESS)
    return st;
  return result->failures ? CLACT_ERROR_CHECK_FAILED : CLACT_SUCCESS;
}
