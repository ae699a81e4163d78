/* kernels/exp.cl: exp: e^x; f' = e^x; from y: y. No kink.
 * float: e^x = 2^k (1 + s) in single float (exp_s), 1 + s rounded once and scaled: within about
 * 0.8 ulp for normal results (bound 2), one more rounding for subnormal ones. exp(-inf) = +0,
 * exp(+inf) = +inf, exp(+-0) = 1.
 * Backward: dy e^x for every dy, for x up to 199.9 (beyond any float: dy e^x can be finite where
 * e^x is not), dy's mantissa times 1 + s rounded once and the power of two applied last, so
 * neither a large dy times a subnormal e^x nor a tiny dy times an overflowing e^x goes wrong.
 * f'(-inf) = 0, f'(+inf) = +inf, applied literally (dy = 0 there gives NaN, as dy = +-inf at
 * -inf). From y: dy y, one rounding. */
#if defined(CLACT_DTYPE_F64)
static inline realv exp_fwd(realv x, clact_p p) {
  (void)p;
  return exp(x);
}
static inline realv exp_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv k;
  realv m = clact_d_expk(x, RV(0.0), &k);
  realv dx = clact_d_mul_pow2(dy, m, k);
  return isinf(x) ? dy * exp(x) : (isnan(x) ? x + x : dx);
}
static inline realv exp_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * y;
}
#else
/* e^x = 2^k (1 + s) for x clamped to [-310, 199.9] (beyond, every result below is 0 or
 * infinite: e^-310 < 2^-447, e^199.9 > 2^288, and dy e^x with dy >= 2^-149 overflows from
 * x > 192), k = rint(x/ln 2) by the 1.5*2^23 shifter, r = x - k ln 2 (the first fma exact: k
 * ln2_hi and x are multiples of 2^-24 and |r| < 1/2; the tail's error is below 2^-38 for
 * |k| <= 447), s = e^r - 1 by the prelude's polynomial, rounded about once (|s| < 0.42). NaN
 * stays in s. The prelude's clact_exps is the same reduction clamped to [-200, 120], too narrow
 * for the backward (dy = 2^-149 times e^150 is 2^67); it is not widened there because that would
 * change the code, and so void the exhaustive records, of the activations that use it. */
static inline realv exp_s(realv x, intv *k) {
  realv h = x < -310.0f ? RV(-310.0f) : x;
  h = h > 199.9f ? RV(199.9f) : h;
  realv sh = fma(h, RV(CLACT_LOG2E), RV(0x1.8p23f));
  realv kf = sh - 0x1.8p23f;
  realv r = fma(-kf, RV(CLACT_LN2_HI), h) + (-kf) * RV(CLACT_LN2_LO);
  realv q = fma(RV(CLACT_EXP_C7), r, RV(CLACT_EXP_C6));
  q = fma(q, r, RV(CLACT_EXP_C5));
  q = fma(q, r, RV(CLACT_EXP_C4));
  q = fma(q, r, RV(CLACT_EXP_C3));
  q = fma(q, r, RV(CLACT_EXP_C2));
  *k = AS_INTV(sh) - 0x4b400000; /* bits of 1.5*2^23 */
  return fma(r * r, q, r);
}
/* 1 + s rounded once, 2^k applied last (clact_ldexp: one more rounding only for a subnormal
 * result). */
static inline realv exp_fwd(realv x, clact_p p) {
  (void)p;
  intv k;
  realv s = exp_s(x, &k);
  return clact_ldexp(RV(1.0f) + s, k);
}
/* dy = md 2^ed (md in [1/2, 1), subnormal dy too), md (1 + s) rounded once by the fma and
 * 2^(ed + k) applied last. A zero or infinite dy is multiplied by 1 + s instead (> 0, or NaN
 * for a NaN x): fma(inf, s, inf) would be NaN for s < 0, and fma(-0, s, -0) +0 for s < 0. */
static inline realv exp_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  intv k, ed;
  realv s = exp_s(x, &k);
  realv md = clact_frexp(dy, &ed);
  realv v = md == 0.0f || isinf(md) ? md * (RV(1.0f) + s) : fma(md, s, md);
  realv dx = clact_ldexp(v, ed + k);
  return isinf(x) ? dy * (x > 0.0f ? x : RV(0.0f)) : dx;
}
static inline realv exp_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * y;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(exp)
CLACT_ELEMENTWISE_FROM_Y(exp)
