/* kernels/hardswish.cl: hardswish f(x) = x * hardsigmoid(x) = x * max(0, min(1, αx + β))
 * (p0 = α > 0, p1 = β; PyTorch's 1/6 and 1/2 as float32). NaN in -> quiet NaN out;
 * f(-inf) = -0, f(+inf) = +inf; a zero result has the sign of x (f(-0) = -0, f(x) = -0 where
 * αx + β <= 0 and x < 0), as x*g(x) with g >= +0.
 * Branches on the exact v = αx + β as kernels/hardsigmoid.cl (RN(v) decides unless it is
 * exactly 0 or 1, then the exact sign of v - k: the prelude's clact_hard_sides): v < 0 -> ±0;
 * v > 1 -> x; otherwise x*v, with v carried as a double-float (TwoProduct αx, TwoSum with β)
 * and x*v as TwoProduct plus the low part, all at a scale (2^64 on v, 2^-64 on x beyond 2^40)
 * that keeps the low parts inside the float32 range: about half an ulp.
 * Kink convention: PyTorch's 0 (x < -3); x/3 + 1/2 (-3 <= x <= 3); 1 (x > 3), generalised:
 * f' = v < 0 ? 0 : (v <= 1 ? 2αx + β : 1), 2αx + β rounded once, at the scale 2^64 so that a
 * tiny f' keeps its digits; dy f' is then formed without early overflow or underflow (see
 * hardswish_bwd), and dy = ±inf gives ±inf wherever f' != 0. No from-y variant (f is not
 * monotonic). */
/* The branches' tests on the rounded z = RN(αx + β) and, at a tie, the exact side: v < 0
 * (below) and v > 1 (above). */
static inline intv hardswish_below(realv z, realv s0) {
  return z < RV(0.0f) || (z == RV(0.0f) && s0 < RV(0.0f));
}
static inline intv hardswish_above(realv z, realv s1) {
  return z > RV(1.0f) || (z == RV(1.0f) && s1 > RV(0.0f));
}
/* The forward's result: ±0 below, x above, else mid (x v); a zero result with x's sign, NaN in
 * -> quiet NaN out. */
static inline realv hardswish_pick(realv x, realv z, realv s0, realv s1, realv mid) {
  realv zero = copysign(RV(0.0f), x);
  realv r = hardswish_below(z, s0) ? zero : (hardswish_above(z, s1) ? x : mid);
  r = r == RV(0.0f) ? zero : r;
  return isnan(x) ? x + x : r;
}
#if defined(CLACT_DEFAULT_PARAMS) && !defined(CLACT_DTYPE_F64)
#define HARDSWISH_SIDES clact_hard_sides_default /* the defaults' program, below */
#else
#define HARDSWISH_SIDES clact_hard_sides
#endif
/* sc f'(x): 0 below, sc above, else 2αx + β at the scale sc (1 or 2^64: 2α sc and β sc are
 * exact) rounded once; NaN for a NaN x. */
static inline realv hardswish_slope(realv x, realv al, realv be, realv sc) {
  realv z = fma(al, x, be);
  realv s1;
  realv s0 = HARDSWISH_SIDES(x, al, be, &s1);
  realv d = hardswish_below(z, s0)
                ? RV(0.0f)
                : (hardswish_above(z, s1) ? sc : fma((al + al) * sc, x, be * sc));
  return isnan(x) ? x + x : d;
}
#if defined(CLACT_DEFAULT_PARAMS) && !defined(CLACT_DTYPE_F64)
/* The default α = RN(1/6), β = 1/2 (a program of its own, host/program.c): no scalings, and
 * the sides from one fma (clact_hard_sides_default).
 * Forward: v = αx + β as s + c: αx = ph + pl (TwoProduct; pl is exact wherever a nonzero x v
 * needs it), ph + β = s + se (Fast2Sum), c = se + pl rounded; x v = fma(x, s, x c), one main
 * rounding (about half an ulp); the same bits as the general path.
 * Backward: f' = 2αx + β rounded once is 0 or at least 2^-48 in magnitude (the same multiple)
 * and at most 3/2, so dy f' is one rounding, with no scaling against early overflow or
 * underflow. bench/lab/hardswish. */
static inline realv hardswish_fwd(realv x, clact_p p) {
  realv al = RV(p.p0), be = RV(p.p1);
  realv z = fma(al, x, be);
  realv pl, s1;
  realv ph = clact_two_prod(al, x, &pl);
  realv s = be + ph;
  realv se = ph - (s - be); /* Fast2Sum: |ph| <= 1/2 = β wherever mid is used */
  realv mid = fma(x, s, x * (se + pl));
  realv s0 = HARDSWISH_SIDES(x, al, be, &s1);
  return hardswish_pick(x, z, s0, s1, mid);
}
static inline realv hardswish_bwd(realv x, realv dy, clact_p p) {
  return dy * hardswish_slope(x, RV(p.p0), RV(p.p1), RV(1.0f));
}
#else
static inline realv hardswish_fwd(realv x, clact_p p) {
  realv al = RV(p.p0), be = RV(p.p1);
  realv z = fma(al, x, be);
  realv s1;
  realv s0 = HARDSWISH_SIDES(x, al, be, &s1);
  /* 2^64 v = w + vl: α 2^64 x = ph + pl, + β 2^64 (TwoSums); the scaling keeps the low parts
   * in the float32 range where x v matters */
  realv as = al * RV(0x1p64f), bs = be * RV(0x1p64f);
  realv pl, qe, we;
  realv ph = clact_two_prod(as, x, &pl);
  realv q = clact_two_sum(ph, bs, &qe);
  realv w = clact_two_sum(q, pl, &we);
  realv vl = we + qe;
  /* x v = xs (w + vl) sc: xs w = yh + yl (TwoProduct), one final rounding */
  realv big = fabs(x) > RV(0x1p40f) ? RV(1.0f) : RV(0.0f);
  realv xs = big != RV(0.0f) ? x * RV(0x1p-64f) : x;
  realv yl;
  realv yh = clact_two_prod(xs, w, &yl);
  realv m = yh + fma(xs, vl, yl);
  realv mid = big != RV(0.0f) ? m : m * RV(0x1p-64f);
  return hardswish_pick(x, z, s0, s1, mid);
}
static inline realv hardswish_bwd(realv x, realv dy, clact_p p) {
  realv ds = hardswish_slope(x, RV(p.p0), RV(p.p1), RV(0x1p64f)); /* 2^64 f' */
  /* dx = (dy ds) 2^-64; where dy ds overflows (dy finite), dx/4 = (dy 2^-66) ds instead, scaled
   * back by 4 (a value of exactly 2^126 there may be the rounding of one just below the overflow
   * threshold, and is returned as ±FLT_MAX) */
  realv pr = dy * ds;
  realv t = (dy * RV(0x1p-66f)) * ds;
  realv hi = fabs(t) == RV(0x1p126f) ? copysign(RV(FLT_MAX), t) : t * RV(4.0f);
  return isinf(pr) && !isinf(dy) ? hi : pr * RV(0x1p-64f);
}
#endif
CLACT_ELEMENTWISE(hardswish)
