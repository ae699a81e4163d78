/* kernels/exp.cl: exp: e^x; f' = e^x; from y: y. No kink.
 * e^x = 2^k (m + ml) (clact_exp_dd, ~2^-30), m + ml rounded and scaled: within 0.5 ulp + 2^-6 for
 * normal results, one more rounding for subnormal ones (<= 1 ulp). exp(-inf) = +0,
 * exp(+inf) = +inf, exp(+-0) = 1.
 * Backward: dy e^x for every dy: e^x from clact_exp_wide (e^x up to e^199.9, beyond any float:
 * dy e^x can be finite where e^x is not), the mantissas of dy and e^x multiplied and the power of
 * two applied last (clact_mul_scaled), so neither a large dy times a subnormal e^x nor a tiny dy
 * times an overflowing e^x goes wrong. f'(-inf) = 0, f'(+inf) = +inf, applied literally (dy = 0
 * there gives NaN, as dy = +-inf at -inf). From y: dy y, one rounding. */
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
static inline realv exp_fwd(realv x, clact_p p) {
  (void)p;
  intv k;
  realv ml;
  realv m = clact_exp_dd(x, RV(0.0f), &k, &ml);
  return clact_ldexp(m + ml, k);
}

static inline realv exp_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  intv k;
  realv ml;
  realv m = clact_exp_wide(x, RV(0.0f), &k, &ml);
  realv dx = clact_mul_scaled(dy, m + ml, k);
  return isinf(x) ? dy * (x > 0.0f ? x : RV(0.0f)) : dx;
}

static inline realv exp_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * y;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(exp)
CLACT_ELEMENTWISE_FROM_Y(exp)
