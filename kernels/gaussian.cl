/* kernels/gaussian.cl: gaussian: e^(-x^2); f' = -2x e^(-x^2). Even, no kink; f(+-inf) = +0,
 * f'(+-inf) = 0 (dy = +-inf there gives NaN).
 * x^2 as an exact pair (TwoProduct) is the argument of clact_exp_dd (a rounded x^2 would cost up
 * to x^2 ulp): within 0.5 ulp + 2^-6 for normal results, <= 1 ulp for subnormal ones. |x| is
 * clamped at 20 (e^-400 is far below every float, and x^2 stays finite).
 * Backward: g = -2x (m + ml), dy g 2^k with the mantissas multiplied first and the power of two
 * last (clact_mul_scaled): a large dy times a subnormal f' stays right, and for |x| > 20 the tiny
 * f' keeps its sign (dy = +-inf gives +-inf, as the exact f' != 0 demands). */
#if defined(CLACT_DTYPE_F64)
/* e^-(x^2), x^2 as an exact pair; |x| > 40: every result rounds to +-0 (or +-inf for dy = inf) */
static inline realv gaussian_e(realv x, realv *k) {
  realv xc = fabs(x) > RV(40.0) ? RV(40.0) : x;
  realv ql;
  realv qh = clact_two_prod(xc, xc, &ql);
  return clact_d_expk(-qh, -ql, k);
}
static inline realv gaussian_fwd(realv x, clact_p p) {
  (void)p;
  realv k;
  realv m = gaussian_e(x, &k);
  realv r = fabs(x) > RV(40.0) ? RV(0.0) : clact_d_ldexp(m, k);
  return isnan(x) ? x + x : r;
}
static inline realv gaussian_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv k;
  realv m = gaussian_e(x, &k);
  realv dx = clact_d_mul_pow2(dy, RV(-2.0) * x * m, k);
  realv far = isinf(dy) ? dy * copysign(RV(1.0), -x) : dy * copysign(RV(0.0), -x);
  far = isinf(x) ? dy * RV(0.0) : far;
  return fabs(x) > RV(40.0) ? far : (isnan(x) ? x + x : dx);
}
#else
static inline realv gaussian_core(realv x, intv *k, realv *ml) {
  realv a = fabs(x);
  a = a > 20.0f ? RV(20.0f) : a;
  realv sl;
  realv sh = clact_two_prod(a, a, &sl);
  return clact_exp_dd(-sh, -sl, k, ml);
}

static inline realv gaussian_fwd(realv x, clact_p p) {
  (void)p;
  intv k;
  realv ml;
  realv m = gaussian_core(x, &k, &ml);
  return clact_ldexp(m + ml, k);
}

static inline realv gaussian_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  intv k;
  realv ml;
  realv m = gaussian_core(x, &k, &ml);
  realv xc = copysign(fabs(x) > 20.0f ? RV(20.0f) : fabs(x), x);
  realv g = fma(-2.0f * xc, m, -2.0f * xc * ml);
  realv dx = clact_mul_scaled(dy, g, k);
  return isinf(x) ? dy * 0.0f : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(gaussian)
