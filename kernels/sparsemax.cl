/* kernels/sparsemax.cl: sparsemax along the rows of a matrix (Martins & Astudillo 2016), the
 * Euclidean projection of the row onto the probability simplex: y_i = max(x_i - tau, 0) with
 * tau such that the y of the row sum to 1. A row per work-item, CLACT_VW consecutive elements
 * at a time as one vector.
 *
 * Forward, in the coordinates d_j = x_j - m (m = the row max; d_j carried exactly as a pair by
 * TwoSum; only d_j > -1 can be in the support, and there no overflow), tau' = tau - m in [-1, 0):
 * Newton's method on f(t) = sum_j max(d_j - t, 0) - 1 (convex, decreasing, piecewise linear)
 * from t = -1, where f >= 0: t <- (sum over S(t) of d_j - 1) / |S(t)|, S(t) = {j : d_j > t},
 * which is the support-size fixed point of Michelot's algorithm. The iterates increase to tau'
 * and the support shrinks until it stays the same (at most |S| passes over the row; 6-14 on
 * random rows up to 2^20). No sort. First in plain float (cheap passes), then from there in
 * double-float (TwoSum per lane, tails in a second float, t as a pair (th, tl)) until the
 * support is stable again (usually 2 passes); y_i = (d_i - t) rounded once.
 * Special rows: NaN anywhere -> NaN row; all -inf -> NaN row; c entries +inf -> 1/c at each of
 * them, 0 elsewhere (the limit as they grow together).
 * Backward from y: S = {i : y_i > 0}, v = sum over S of dy_j / |S| (double-float),
 * dx_i = dy_i - v on S (one rounding), +0 elsewhere; NaN anywhere in y or dy -> NaN row. */
#define SP_VW ((ulong)CLACT_VW)

/* lane indices 0, 1, ..., VW-1 */
static inline intv sp_lanes(void) {
  int a[CLACT_VW];
  for (int k = 0; k < CLACT_VW; k++)
    a[k] = k;
#if CLACT_VW == 1
  return a[0];
#else
  return V(vload)(0, a);
#endif
}

/* Lanes j + k <= last are valid (k the lane): a mask (-1/0 on vectors, 1/0 on scalars). */
static inline intv sp_valid(ulong j, ulong last) {
  long rem = (long)last - (long)j;
  int r = (int)clamp(rem, -1L, (long)CLACT_VW);
  return sp_lanes() <= (intv)r;
}

/* Elements j .. j+VW-1 of a row (those beyond `last` read element `last`). */
static inline realv sp_load(__global const store_t *p, ulong j, ulong last) {
  if (j + SP_VW - 1 <= last)
    return LOADV(p + j);
  raw_t a[CLACT_VW];
  for (uint k = 0; k < CLACT_VW; k++)
    a[k] = p[min(j + k, last)];
  return LOADV(a);
}

static inline void sp_store(__global store_t *p, ulong j, ulong last, realv v) {
  if (j + SP_VW - 1 <= last) {
    STOREV(v, p + j);
    return;
  }
  raw_t a[CLACT_VW];
  STOREV(v, a);
  for (uint k = 0; k < CLACT_VW; k++)
    if (j + k <= last)
      p[j + k] = a[k];
}

/* TwoSum whose error term is 0 where the sum or an intermediate is not finite. */
static inline realv sp_two_sum(realv a, realv b, realv *e) {
  realv s = clact_two_sum(a, b, e);
  *e = isfinite(*e) ? *e : RV(0.0f);
  return s;
}

static inline float sp_two_sum1(float a, float b, float *e) {
  float s = a + b;
  float bb = s - a;
  float r = (a - (s - bb)) + (b - bb);
  *e = isfinite(r) ? r : 0.0f;
  return s;
}

/* a double-float sum per lane and a count */
typedef struct sp_accv {
  realv h, l;
  uintv c;
} sp_accv;

static inline void sp_add(sp_accv *a, realv t, realv tl, intv use) {
  realv e;
  realv s = sp_two_sum(a->h, use ? t : RV(0.0f), &e);
  a->l = a->l + (e + (use ? tl : RV(0.0f)));
  a->h = s;
  a->c += use ? (uintv)1u : (uintv)0u;
}

/* The lanes combined, lane 0 first: the sum as a normalised pair (*sh, *sl) and the count. */
static inline uint sp_lanes_total(sp_accv a, float *sh, float *sl) {
  float h[CLACT_VW], l[CLACT_VW];
  uint c[CLACT_VW];
#if CLACT_VW == 1
  h[0] = a.h;
  l[0] = a.l;
  c[0] = a.c;
#else
  V(vstore)(a.h, 0, h);
  V(vstore)(a.l, 0, l);
  V(vstore)(a.c, 0, c);
#endif
  float H = h[0], L = l[0];
  uint C = c[0];
  for (int k = 1; k < CLACT_VW; k++) {
    float e;
    H = sp_two_sum1(H, h[k], &e);
    L = (L + l[k]) + e;
    C += c[k];
  }
  int fin = isfinite(H);
  float hh = fin ? H + L : H;
  float ll = L - (hh - H);
  *sh = hh;
  *sl = fin && isfinite(hh) ? ll : 0.0f;
  return C;
}

static inline uint sp_lanes_count(uintv c) {
  uint a[CLACT_VW];
#if CLACT_VW == 1
  a[0] = c;
#else
  V(vstore)(c, 0, a);
#endif
  uint s = 0;
  for (int k = 0; k < CLACT_VW; k++)
    s += a[k];
  return s;
}

/* (dh + dl) - (th + tl), rounded once */
static inline realv sp_minus(realv dh, realv dl, float th, float tl) {
  realv e;
  realv s = sp_two_sum(dh, RV(-th), &e);
  return s + (e + (dl - RV(tl)));
}

/* The pair quotient (ah + al) / K for a count K (exact in float). */
static inline float sp_div(float ah, float al, uint k, float *ql) {
  float kf = convert_float(k);
  float a = ah + al;
  float alo = al - (a - ah);
  float q = a / kf;
  float r = fma(-q, kf, a); /* exact */
  float lo = (r + alo) / kf;
  *ql = isfinite(q) ? lo : 0.0f;
  return q;
}

__kernel void clact_sparsemax_fwd(__global const store_t *x, ulong xo, ulong xp,
                                  __global store_t *y, ulong yo, ulong yp, ulong rows, ulong cols) {
  const ulong r = get_global_id(0);
  if (r >= rows)
    return;
  __global const store_t *xr = x + xo + r * xp;
  __global store_t *yr = y + yo + r * yp;
  const ulong last = cols - 1;
  /* pass 1: the max, NaN and +inf counts */
  realv mv = RV(-INFINITY);
  uintv nnan = (uintv)0u, ninf = (uintv)0u;
  for (ulong j = 0; j < cols; j += SP_VW) {
    realv v = sp_load(xr, j, last);
    intv use = sp_valid(j, last);
    mv = fmax(mv, use ? v : RV(-INFINITY));
    nnan += (use & isnan(v)) ? (uintv)1u : (uintv)0u;
    ninf += (use & (v == RV(INFINITY))) ? (uintv)1u : (uintv)0u;
  }
  float mm[CLACT_VW];
#if CLACT_VW == 1
  mm[0] = mv;
#else
  V(vstore)(mv, 0, mm);
#endif
  float m = mm[0];
  for (int k = 1; k < CLACT_VW; k++)
    m = fmax(m, mm[k]);
  uint cnan = sp_lanes_count(nnan), cinf = sp_lanes_count(ninf);
  if (cnan > 0 || m == -INFINITY || cinf > 0) {
    realv inf_share = RV(1.0f / convert_float(cinf));
    for (ulong j = 0; j < cols; j += SP_VW) {
      realv v = sp_load(xr, j, last);
      realv out = cinf > 0 && cnan == 0 ? (v == RV(INFINITY) ? inf_share : RV(0.0f)) : RV(NAN);
      sp_store(yr, j, last, out);
    }
    return;
  }
  /* Newton in plain float from t = -1 (cheap passes) until the support stays the same: an
   * approximate tau */
  float tf = -1.0f;
  uint kprev = 0;
  for (ulong it = 0; it <= cols; it++) {
    realv sv = RV(0.0f);
    uintv cv = (uintv)0u;
    for (ulong j = 0; j < cols; j += SP_VW) {
      realv d = sp_load(xr, j, last) - RV(m);
      intv in = sp_valid(j, last) & (d > RV(tf));
      sv += in ? d : RV(0.0f);
      cv += in ? (uintv)1u : (uintv)0u;
    }
    float sa[CLACT_VW];
#if CLACT_VW == 1
    sa[0] = sv;
#else
    V(vstore)(sv, 0, sa);
#endif
    float S = sa[0];
    for (int k = 1; k < CLACT_VW; k++)
      S += sa[k];
    uint k = sp_lanes_count(cv);
    if (k == kprev)
      break;
    kprev = k;
    float tn = (S - 1.0f) / convert_float(k);
    tf = tn > tf ? tn : tf;
  }
  /* Newton in double-float from there. Its first step lands at or below the root whichever
   * side tf is on (f is convex: the tangent lies below it); from then on the iterates increase
   * to tau' and the support shrinks until it stays the same (usually 2 passes). */
  float th = tf, tl = 0.0f;
  kprev = 0;
  for (ulong it = 0; it <= cols; it++) {
    sp_accv a;
    a.h = RV(0.0f);
    a.l = RV(0.0f);
    a.c = (uintv)0u;
    for (ulong j = 0; j < cols; j += SP_VW) {
      realv dl;
      realv dh = sp_two_sum(sp_load(xr, j, last), RV(-m), &dl);
      intv in = sp_valid(j, last) & (sp_minus(dh, dl, th, tl) > RV(0.0f));
      sp_add(&a, dh, dl, in);
    }
    float sh, sl;
    uint k = sp_lanes_total(a, &sh, &sl);
    if (k == kprev)
      break;
    /* t = (S - 1) / K, non-decreasing after the first step */
    float e;
    float ah = sp_two_sum1(sh, -1.0f, &e);
    float nl;
    float nh = sp_div(ah, e + sl, k, &nl);
    if (kprev == 0 || nh > th || (nh == th && nl > tl)) {
      th = nh;
      tl = nl;
    }
    kprev = k;
  }
  for (ulong j = 0; j < cols; j += SP_VW) {
    realv v = sp_load(xr, j, last);
    realv dl;
    realv dh = sp_two_sum(v, RV(-m), &dl);
    realv out = sp_minus(dh, dl, th, tl);
    sp_store(yr, j, last, out > RV(0.0f) ? out : RV(0.0f));
  }
}

__kernel void clact_sparsemax_bwd(__global const store_t *y, ulong yo, ulong yp,
                                  __global const store_t *dy, ulong dyo, ulong dyp,
                                  __global store_t *dx, ulong dxo, ulong dxp, ulong rows,
                                  ulong cols) {
  const ulong r = get_global_id(0);
  if (r >= rows)
    return;
  __global const store_t *yr = y + yo + r * yp;
  __global const store_t *dyr = dy + dyo + r * dyp;
  __global store_t *dxr = dx + dxo + r * dxp;
  const ulong last = cols - 1;
  sp_accv a;
  a.h = RV(0.0f);
  a.l = RV(0.0f);
  a.c = (uintv)0u;
  uintv nnan = (uintv)0u;
  for (ulong j = 0; j < cols; j += SP_VW) {
    realv v = sp_load(yr, j, last), g = sp_load(dyr, j, last);
    intv use = sp_valid(j, last);
    nnan += (use & (isnan(v) | isnan(g))) ? (uintv)1u : (uintv)0u;
    sp_add(&a, g, RV(0.0f), use & (v > RV(0.0f)));
  }
  float sh, sl;
  uint k = sp_lanes_total(a, &sh, &sl);
  float vl = 0.0f, vh = 0.0f;
  if (k > 0)
    vh = sp_div(sh, sl, k, &vl);
  uint cnan = sp_lanes_count(nnan);
  for (ulong j = 0; j < cols; j += SP_VW) {
    realv v = sp_load(yr, j, last), g = sp_load(dyr, j, last);
    realv out = v > RV(0.0f) ? sp_minus(g, RV(0.0f), vh, vl) : RV(0.0f);
    sp_store(dxr, j, last, cnan > 0 ? RV(NAN) : out);
  }
}
