/* kernels/sparsemax.cl: sparsemax along the rows of a matrix (Martins & Astudillo 2016), the
 * Euclidean projection of the row onto the probability simplex: y_i = max(x_i - tau, 0) with
 * tau such that the y of the row sum to 1. Two shapes, as the softmax family's: a row per
 * work-item (clact_sparsemax_fwd/bwd) and a work-group of CLACT_WG per row
 * (clact_sparsemax_fwd_long/bwd_long, -DCLACT_WG from the host), work-item lid taking the
 * vectors at lid*VW, (lid + WG)*VW, ...; each work-item takes CLACT_VW consecutive elements at
 * a time as one vector. The same passes run in both shapes; the long kernels combine each
 * pass's per-work-item results by the fixed-order tree reductions of kernels/rows.clh
 * (reproducible run to run; the shapes may differ in the last bit).
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
 * Loads, stores, lanes, TwoSum, double-float sums, reductions and output blending:
 * kernels/rows.clh. */

static inline void sp_add(row_accv *a, realv t, realv tl, intv use) {
  realv e;
  realv s = row_two_sum(a->h, use ? t : RV(0.0f), &e);
  a->l = a->l + (e + (use ? tl : RV(0.0f)));
  a->h = s;
  a->c += use ? (uintv)1u : (uintv)0u;
}

static inline cnt_t sp_lanes_count(uintv c) {
  cnt_t a[CLACT_VW];
  ROW_VSTORE(c, a);
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

/* ---- the row passes, over the vectors at j0, j0 + step, ... -------------------------------- */
/* The max (lanes combined) and the counts of NaN and +inf entries. */
static inline real sp_pass_max(__global const store_t *xr, ulong j0, ulong step, ulong cols,
                               cnt_t *cnan, cnt_t *cinf) {
  const ulong last = cols - 1;
  realv mv = RV(-INFINITY);
  uintv nnan = (uintv)0u, ninf = (uintv)0u;
  for (ulong j = j0; j < cols; j += step) {
    realv v = row_load(xr, 1, j, cols);
    intv use = row_valid(j, last);
    mv = fmax(mv, use ? v : RV(-INFINITY));
    nnan += (use & isnan(v)) ? (uintv)1u : (uintv)0u;
    ninf += (use & (v == RV(INFINITY))) ? (uintv)1u : (uintv)0u;
  }
  *cnan = sp_lanes_count(nnan);
  *cinf = sp_lanes_count(ninf);
  return row_lanes_max(mv);
}

/* The special rows' outputs: NaN, or 1/cinf at the +inf entries and 0 elsewhere. */
static inline void sp_pass_special(__global const store_t *xr, __global store_t *yr, ulong j0,
                                   ulong step, ulong cols, cnt_t cnan, cnt_t cinf, row_bl bl) {
  realv inf_share = RV((real)1 / (real)cinf);
  for (ulong j = j0; j < cols; j += step) {
    realv v = row_load(xr, 1, j, cols);
    realv out = cinf > 0 && cnan == 0 ? (v == RV(INFINITY) ? inf_share : RV(0.0f)) : RV(NAN);
    row_store(yr, 1, j, cols, out, bl);
  }
}

/* A plain float (f64: double) Newton pass at t = tf: the sum over S(tf) of d_j (lanes summed
 * in order) in *s, |S(tf)| returned. */
static inline cnt_t sp_pass_plain(__global const store_t *xr, ulong j0, ulong step, ulong cols,
                                  real m, real tf, real *s) {
  const ulong last = cols - 1;
  realv sv = RV(0.0f);
  uintv cv = (uintv)0u;
  for (ulong j = j0; j < cols; j += step) {
    realv d = row_load(xr, 1, j, cols) - RV(m);
    intv in = row_valid(j, last) & (d > RV(tf));
    sv += in ? d : RV(0.0f);
    cv += in ? (uintv)1u : (uintv)0u;
  }
  real sa[CLACT_VW];
  ROW_VSTORE(sv, sa);
  real S = sa[0];
  for (int k = 1; k < CLACT_VW; k++)
    S += sa[k];
  *s = S;
  return sp_lanes_count(cv);
}

/* A double-float Newton pass at t = (th, tl): the sum over S(t) of the pairs d_j and |S(t)|,
 * the lanes combined. */
static inline row_acc sp_pass_pair(__global const store_t *xr, ulong j0, ulong step, ulong cols,
                                   real m, real th, real tl) {
  const ulong last = cols - 1;
  row_accv a = row_accv_zero();
  for (ulong j = j0; j < cols; j += step) {
    realv dl;
    realv dh = row_two_sum(row_load(xr, 1, j, cols), RV(-m), &dl);
    intv in = row_valid(j, last) & (sp_minus(dh, dl, th, tl) > RV(0.0f));
    sp_add(&a, dh, dl, in);
  }
  return row_lanes_acc(a);
}

/* The double-float Newton step from the pass's sum sh + sl over k elements: t = (S - 1) / K,
 * kept only where it does not decrease after the first step (kprev 0). */
static inline void sp_step(real sh, real sl, cnt_t k, cnt_t kprev, real *th, real *tl) {
  real e;
  real ah = row_two_sum1(sh, (real)-1, &e);
  real nl;
  real nh = sp_div(ah, e + sl, k, &nl);
  if (kprev == 0 || nh > *th || (nh == *th && nl > *tl)) {
    *th = nh;
    *tl = nl;
  }
}

static inline void sp_pass_out(__global const store_t *xr, __global store_t *yr, ulong j0,
                               ulong step, ulong cols, real m, real th, real tl, row_bl bl) {
  for (ulong j = j0; j < cols; j += step) {
    realv v = row_load(xr, 1, j, cols);
    realv dl;
    realv dh = row_two_sum(v, RV(-m), &dl);
    realv out = sp_minus(dh, dl, th, tl);
    row_store(yr, 1, j, cols, out > RV(0.0f) ? out : RV(0.0f), bl);
  }
}

/* Backward: the sum of dy over the support and its size (lanes combined), the NaN count. */
static inline row_acc sb_pass_sum(__global const store_t *yr, __global const store_t *dyr, ulong j0,
                                  ulong step, ulong cols, cnt_t *cnan) {
  const ulong last = cols - 1;
  row_accv a = row_accv_zero();
  uintv nnan = (uintv)0u;
  for (ulong j = j0; j < cols; j += step) {
    realv v = row_load(yr, 1, j, cols), g = row_load(dyr, 1, j, cols);
    intv use = row_valid(j, last);
    nnan += (use & (isnan(v) | isnan(g))) ? (uintv)1u : (uintv)0u;
    sp_add(&a, g, RV(0.0f), use & (v > RV(0.0f)));
  }
  *cnan = sp_lanes_count(nnan);
  return row_lanes_acc(a);
}

/* The mean over the support (sum a.h + a.l over a.c elements) as a pair (0 for an empty
 * support). */
static inline real sb_mean(row_acc a, real *ql) {
  real sl;
  real sh = row_acc_total(a, &sl);
  cnt_t k = a.c;
  real vl = 0, vh = 0;
  if (k > 0)
    vh = sp_div(sh, sl, k, &vl);
  *ql = vl;
  return vh;
}

static inline void sb_pass_out(__global const store_t *yr, __global const store_t *dyr,
                               __global store_t *dxr, ulong j0, ulong step, ulong cols, real vh,
                               real vl, cnt_t cnan, row_bl bl) {
  for (ulong j = j0; j < cols; j += step) {
    realv v = row_load(yr, 1, j, cols), g = row_load(dyr, 1, j, cols);
    realv out = v > RV(0.0f) ? sp_minus(g, RV(0.0f), vh, vl) : RV(0.0f);
    row_store(dxr, 1, j, cols, cnan > 0 ? RV(NAN) : out, bl);
  }
}

/* ---- a row per work-item ------------------------------------------------------------------ */
__kernel void clact_sparsemax_fwd(__global const store_t *x, ulong xo, ulong xp,
                                  __global store_t *y, ulong yo, ulong yp, ulong rows,
                                  ulong cols CLACT_BLEND_ARGS) {
  const ulong r = get_global_id(0);
  if (r >= rows)
    return;
  __global const store_t *xr = x + xo + r * xp;
  __global store_t *yr = y + yo + r * yp;
  /* pass 1: the max, NaN and +inf counts */
  cnt_t cnan, cinf;
  real m = sp_pass_max(xr, 0, ROW_VW, cols, &cnan, &cinf);
  if (cnan > 0 || m == -INFINITY || cinf > 0) {
    sp_pass_special(xr, yr, 0, ROW_VW, cols, cnan, cinf, ROW_BL);
    return;
  }
  /* Newton in plain float (f64: double) from t = -1 (cheap passes) until the support stays the
   * same: an approximate tau */
  real tf = -1;
  cnt_t kprev = 0;
  for (ulong it = 0; it <= cols; it++) {
    real S;
    cnt_t k = sp_pass_plain(xr, 0, ROW_VW, cols, m, tf, &S);
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
    row_acc a = sp_pass_pair(xr, 0, ROW_VW, cols, m, th, tl);
    real sl;
    real sh = row_acc_total(a, &sl);
    if (a.c == kprev)
      break;
    sp_step(sh, sl, a.c, kprev, &th, &tl);
    kprev = a.c;
  }
  sp_pass_out(xr, yr, 0, ROW_VW, cols, m, th, tl, ROW_BL);
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
  cnt_t cnan;
  real vl;
  real vh = sb_mean(sb_pass_sum(yr, dyr, 0, ROW_VW, cols, &cnan), &vl);
  sb_pass_out(yr, dyr, dx + dxo + r * dxp, 0, ROW_VW, cols, vh, vl, cnan, ROW_BL);
}

/* ---- a work-group per row: the same passes, each work-item's results combined by
 * row_reduce_max / row_reduce_acc (every work-item gets the same totals, so the loops' exits
 * are uniform across the work-group) ----------------------------------------------------------- */
#ifndef CLACT_WG
#error "CLACT_WG must be defined by the host"
#endif

__kernel __attribute__((reqd_work_group_size(CLACT_WG, 1, 1))) void
clact_sparsemax_fwd_long(__global const store_t *x, ulong xo, ulong xp, __global store_t *y,
                         ulong yo, ulong yp, ulong rows, ulong cols CLACT_BLEND_ARGS) {
  __local real lh[CLACT_WG], ll[CLACT_WG];
  __local cnt_t lc[CLACT_WG];
  const ulong r = get_group_id(0);
  const ulong j0 = (ulong)get_local_id(0) * ROW_VW, step = (ulong)CLACT_WG * ROW_VW;
  (void)rows;
  __global const store_t *xr = x + xo + r * xp;
  __global store_t *yr = y + yo + r * yp;
  cnt_t cnan, cinf;
  real m = row_reduce_max(lh, sp_pass_max(xr, j0, step, cols, &cnan, &cinf));
  /* the counts: +inf exactly (c), NaN as a sum of reals (only > 0 matters) */
  row_acc q = {(real)cnan, (real)0, cinf};
  q = row_reduce_acc(lh, ll, lc, q);
  if (q.h > 0 || m == -INFINITY || q.c > 0) {
    sp_pass_special(xr, yr, j0, step, cols, q.h > 0 ? 1 : 0, q.c, ROW_BL);
    return;
  }
  real tf = -1;
  cnt_t kprev = 0;
  for (ulong it = 0; it <= cols; it++) {
    row_acc p;
    p.c = sp_pass_plain(xr, j0, step, cols, m, tf, &p.h);
    p.l = 0;
    p = row_reduce_acc(lh, ll, lc, p);
    if (p.c == kprev)
      break;
    kprev = p.c;
    real tn = ((p.h + p.l) - (real)1) / (real)p.c;
    tf = tn > tf ? tn : tf;
  }
  real th = tf, tl = 0;
  kprev = 0;
  for (ulong it = 0; it <= cols; it++) {
    row_acc a = row_reduce_acc(lh, ll, lc, sp_pass_pair(xr, j0, step, cols, m, th, tl));
    real sl;
    real sh = row_acc_total(a, &sl);
    if (a.c == kprev)
      break;
    sp_step(sh, sl, a.c, kprev, &th, &tl);
    kprev = a.c;
  }
  sp_pass_out(xr, yr, j0, step, cols, m, th, tl, ROW_BL);
}

__kernel __attribute__((reqd_work_group_size(CLACT_WG, 1, 1))) void
clact_sparsemax_bwd_long(__global const store_t *y, ulong yo, ulong yp, __global const store_t *dy,
                         ulong dyo, ulong dyp, __global store_t *dx, ulong dxo, ulong dxp,
                         ulong rows, ulong cols CLACT_BLEND_ARGS) {
  __local real lh[CLACT_WG], ll[CLACT_WG];
  __local cnt_t lc[CLACT_WG];
  const ulong r = get_group_id(0);
  const ulong j0 = (ulong)get_local_id(0) * ROW_VW, step = (ulong)CLACT_WG * ROW_VW;
  (void)rows;
  __global const store_t *yr = y + yo + r * yp;
  __global const store_t *dyr = dy + dyo + r * dyp;
  cnt_t cnan;
  row_acc a = row_reduce_acc(lh, ll, lc, sb_pass_sum(yr, dyr, j0, step, cols, &cnan));
  real nan_any = row_reduce_max(lh, (real)cnan);
  real vl;
  real vh = sb_mean(a, &vl);
  sb_pass_out(yr, dyr, dx + dxo + r * dxp, j0, step, cols, vh, vl, nan_any > 0 ? 1 : 0, ROW_BL);
}
