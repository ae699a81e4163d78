/* kernels/sparsemax.cl: sparsemax along the rows of a matrix (Martins & Astudillo 2016), the
 * Euclidean projection of the row onto the probability simplex: y_i = max(x_i - tau, 0) with
 * tau such that the y of the row sum to 1. A row per work-item, CLACT_VW consecutive elements
 * at a time as one vector.
 * Every format runs the same code on `real` (common.clh): float for f32, f16 and bf16, double
 * for f64 (CLACT_DTYPE_F64), where "float" and "double-float" below read double and
 * double-double.
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
 * dx_i = dy_i - v on S (one rounding), +0 elsewhere; NaN anywhere in y or dy -> NaN row.
 * Loads, stores, lanes, TwoSum and output blending: kernels/rows.clh. */

/* a double-float (f64: double-double) sum per lane and a count */
typedef struct sp_accv {
  realv h, l;
  uintv c;
} sp_accv;

static inline void sp_add(sp_accv *a, realv t, realv tl, intv use) {
  realv e;
  realv s = row_two_sum(a->h, use ? t : RV(0.0f), &e);
  a->l = a->l + (e + (use ? tl : RV(0.0f)));
  a->h = s;
  a->c += use ? (uintv)1u : (uintv)0u;
}

/* The lanes combined, lane 0 first: the sum as a normalised pair (*sh, *sl) and the count. */
static inline cnt_t sp_lanes_total(sp_accv a, real *sh, real *sl) {
  real h[CLACT_VW], l[CLACT_VW];
  cnt_t c[CLACT_VW];
#if CLACT_VW == 1
  h[0] = a.h;
  l[0] = a.l;
  c[0] = a.c;
#else
  V(vstore)(a.h, 0, h);
  V(vstore)(a.l, 0, l);
  V(vstore)(a.c, 0, c);
#endif
  real H = h[0], L = l[0];
  cnt_t C = c[0];
  for (int k = 1; k < CLACT_VW; k++) {
    real e;
    H = row_two_sum1(H, h[k], &e);
    L = (L + l[k]) + e;
    C += c[k];
  }
  int fin = isfinite(H);
  real hh = fin ? H + L : H;
  real ll = L - (hh - H);
  *sh = hh;
  *sl = fin && isfinite(hh) ? ll : (real)0;
  return C;
}

static inline cnt_t sp_lanes_count(uintv c) {
  cnt_t a[CLACT_VW];
#if CLACT_VW == 1
  a[0] = c;
#else
  V(vstore)(c, 0, a);
#endif
  cnt_t s = 0;
  for (int k = 0; k < CLACT_VW; k++)
    s += a[k];
  return s;
}

/* (dh + dl) - (th + tl), rounded once */
static inline realv sp_minus(realv dh, realv dl, real th, real tl) {
  realv e;
  realv s = row_two_sum(dh, RV(-th), &e);
  return s + (e + (dl - RV(tl)));
}

/* The pair quotient (ah + al) / K for a count K (K converted exactly up to 2^24 in float, 2^53
 * in double). */
static inline real sp_div(real ah, real al, cnt_t k, real *ql) {
  real kf = (real)k;
  real a = ah + al;
  real alo = al - (a - ah);
  real q = a / kf;
  real r = fma(-q, kf, a); /* exact */
  real lo = (r + alo) / kf;
  *ql = isfinite(q) ? lo : (real)0;
  return q;
}

__kernel void clact_sparsemax_fwd(__global const store_t *x, ulong xo, ulong xp,
                                  __global store_t *y, ulong yo, ulong yp, ulong rows,
                                  ulong cols CLACT_BLEND_ARGS) {
  const ulong r = get_global_id(0);
  if (r >= rows)
    return;
  __global const store_t *xr = x + xo + r * xp;
  __global store_t *yr = y + yo + r * yp;
  const ulong last = cols - 1;
  /* pass 1: the max, NaN and +inf counts */
  realv mv = RV(-INFINITY);
  uintv nnan = (uintv)0u, ninf = (uintv)0u;
  for (ulong j = 0; j < cols; j += ROW_VW) {
    realv v = row_load(xr, 1, j, cols);
    intv use = row_valid(j, last);
    mv = fmax(mv, use ? v : RV(-INFINITY));
    nnan += (use & isnan(v)) ? (uintv)1u : (uintv)0u;
    ninf += (use & (v == RV(INFINITY))) ? (uintv)1u : (uintv)0u;
  }
  real mm[CLACT_VW];
#if CLACT_VW == 1
  mm[0] = mv;
#else
  V(vstore)(mv, 0, mm);
#endif
  real m = mm[0];
  for (int k = 1; k < CLACT_VW; k++)
    m = fmax(m, mm[k]);
  cnt_t cnan = sp_lanes_count(nnan), cinf = sp_lanes_count(ninf);
  if (cnan > 0 || m == -INFINITY || cinf > 0) {
    realv inf_share = RV((real)1 / (real)cinf);
    for (ulong j = 0; j < cols; j += ROW_VW) {
      realv v = row_load(xr, 1, j, cols);
      realv out = cinf > 0 && cnan == 0 ? (v == RV(INFINITY) ? inf_share : RV(0.0f)) : RV(NAN);
      row_store(yr, 1, j, cols, out, ROW_BL);
    }
    return;
  }
  /* Newton in plain float (f64: double) from t = -1 (cheap passes) until the support stays the
   * same: an approximate tau */
  real tf = -1;
  cnt_t kprev = 0;
  for (ulong it = 0; it <= cols; it++) {
    realv sv = RV(0.0f);
    uintv cv = (uintv)0u;
    for (ulong j = 0; j < cols; j += ROW_VW) {
      realv d = row_load(xr, 1, j, cols) - RV(m);
      intv in = row_valid(j, last) & (d > RV(tf));
      sv += in ? d : RV(0.0f);
      cv += in ? (uintv)1u : (uintv)0u;
    }
    real sa[CLACT_VW];
#if CLACT_VW == 1
    sa[0] = sv;
#else
    V(vstore)(sv, 0, sa);
#endif
    real S = sa[0];
    for (int k = 1; k < CLACT_VW; k++)
      S += sa[k];
    cnt_t k = sp_lanes_count(cv);
    if (k == kprev)
      break;
    kprev = k;
    real tn = (S - (real)1) / (real)k;
    tf = tn > tf ? tn : tf;
  }
  /* Newton in double-float (f64: double-double) from there. Its first step lands at or below the
   * root whichever side tf is on (f is convex: the tangent lies below it); from then on the
   * iterates increase to tau' and the support shrinks until it stays the same (usually 2 passes).
   */
  real th = tf, tl = 0;
  kprev = 0;
  for (ulong it = 0; it <= cols; it++) {
    sp_accv a;
    a.h = RV(0.0f);
    a.l = RV(0.0f);
    a.c = (uintv)0u;
    for (ulong j = 0; j < cols; j += ROW_VW) {
      realv dl;
      realv dh = row_two_sum(row_load(xr, 1, j, cols), RV(-m), &dl);
      intv in = row_valid(j, last) & (sp_minus(dh, dl, th, tl) > RV(0.0f));
      sp_add(&a, dh, dl, in);
    }
    real sh, sl;
    cnt_t k = sp_lanes_total(a, &sh, &sl);
    if (k == kprev)
      break;
    /* t = (S - 1) / K, non-decreasing after the first step */
    real e;
    real ah = row_two_sum1(sh, (real)-1, &e);
    real nl;
    real nh = sp_div(ah, e + sl, k, &nl);
    if (kprev == 0 || nh > th || (nh == th && nl > tl)) {
      th = nh;
      tl = nl;
    }
    kprev = k;
  }
  for (ulong j = 0; j < cols; j += ROW_VW) {
    realv v = row_load(xr, 1, j, cols);
    realv dl;
    realv dh = row_two_sum(v, RV(-m), &dl);
    realv out = sp_minus(dh, dl, th, tl);
    row_store(yr, 1, j, cols, out > RV(0.0f) ? out : RV(0.0f), ROW_BL);
  }
}

__kernel void clact_sparsemax_bwd(__global const store_t *y, ulong yo, ulong yp,
                                  __global const store_t *dy, ulong dyo, ulong dyp,
                                  __global store_t *dx, ulong dxo, ulong dxp, ulong rows,
                                  ulong cols CLACT_BLEND_ARGS) {
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
  for (ulong j = 0; j < cols; j += ROW_VW) {
    realv v = row_load(yr, 1, j, cols), g = row_load(dyr, 1, j, cols);
    intv use = row_valid(j, last);
    nnan += (use & (isnan(v) | isnan(g))) ? (uintv)1u : (uintv)0u;
    sp_add(&a, g, RV(0.0f), use & (v > RV(0.0f)));
  }
  real sh, sl;
  cnt_t k = sp_lanes_total(a, &sh, &sl);
  real vl = 0, vh = 0;
  if (k > 0)
    vh = sp_div(sh, sl, k, &vl);
  cnt_t cnan = sp_lanes_count(nnan);
  for (ulong j = 0; j < cols; j += ROW_VW) {
    realv v = row_load(yr, 1, j, cols), g = row_load(dyr, 1, j, cols);
    realv out = v > RV(0.0f) ? sp_minus(g, RV(0.0f), vh, vl) : RV(0.0f);
    row_store(dxr, 1, j, cols, cnan > 0 ? RV(NAN) : out, ROW_BL);
  }
}
