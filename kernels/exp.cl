/* kernels/exp.cl: exp: e^x; f' = e^x; from y: y. No kink.
 * float: e^x = 2^k (1 + s) in single float (exp_s), 1 + s rounded once and scaled: within about
 * 0.8 ulp for normal results (bound 2), one more rounding for subnormal ones. exp(-inf) = +0,
 * exp(+inf) = +inf, exp(+-0) = 1.
 * Backward: dy e^x for every dy (dy e^x can be finite where e^x is not: up to x = 192; x is
 * clamped at about 230, beyond which any nonzero finite dy overflows): (1 + s) 2^ka (|ka| <= 64)
 * rounded once, times dy rounded once, the rest of the power of two applied last, so neither a
 * large dy times a subnormal e^x nor a tiny dy times an overflowing e^x goes wrong.
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
/* e^x = 2^k (1 + s), s = e^r - 1 rounded about once, by the prelude's clact_exps (clamped to
 * [-200, 120]: below, dy e^x < 2^128 e^-200 < 2^-160 rounds to 0). Above 120, where dy e^x can
 * still be a float (2^-149 e^192 = 2^128), x is first lowered by 160 ln 2: x - 160 CLACT_LN2_HI
 * is exact (160 CLACT_LN2_HI has 23 bits; Sterbenz for x in (120, 221]), 160 CLACT_LN2_LO goes
 * into clact_exps' low part and k moves by 160 (as clact_exp_wide). NaN stays in s. */
static inline realv exp_s(realv x, intv *k) {
  intv big = x > 120.0f;
  realv h = big ? x - RV(160.0f * CLACT_LN2_HI) : x;
  realv s = clact_exps(h, big ? RV(-160.0f * CLACT_LN2_LO) : RV(0.0f), k);
  *k = *k + (big ? (intv)160 : (intv)0);
  return s;
}
/* 1 + s rounded once, 2^k applied last (clact_ldexp: one more rounding only for a subnormal
 * result). Without exp_s's lowering above 120: e^x overflows from 88.73 on, and clact_exps'
 * clamp at 120 (k = 173) already gives +inf. */
static inline realv exp_fwd(realv x, clact_p p) {
  (void)p;
  intv k;
  realv s = clact_exps(x, RV(0.0f), &k);
  return clact_ldexp(RV(1.0f) + s, k);
}
/* dy (1 + s) 2^k with 2^k in two parts: 2^ka, |ka| <= 64, on 1 + s (one rounding, a normal
 * result), then the product with dy (one rounding: a float times a factor in [2^-64, 2^66) is
 * finite where the result is, and normal where the result is, for k >= -64), then 2^(k - ka) by
 * clact_ldexp (exact, or one more rounding for a subnormal result). So a large dy times a
 * subnormal e^x and a tiny dy times an overflowing e^x both come out right. A zero or infinite
 * dy keeps its sign (the factor is > 0; NaN for a NaN x). This is the prelude's clact_mul_pow2
 * with an upper clamp as well: k reaches 333 here (exp_s), where 2^k is not a float. */
static inline realv exp_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  intv k;
  realv s = exp_s(x, &k);
  intv ka = clamp(k, (intv)(-64), (intv)64);
  realv p2 = clact_pow2i(ka);
  realv dx = clact_ldexp(dy * fma(p2, s, p2), k - ka);
  return isinf(x) ? dy * (x > 0.0f ? x : RV(0.0f)) : dx;
}
static inline realv exp_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * y;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(exp)
CLACT_ELEMENTWISE_FROM_Y(exp)
