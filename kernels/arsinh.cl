/* kernels/arsinh.cl: arsinh: asinh x = ln(x + sqrt(x^2 + 1)); f' = 1/sqrt(1 + x^2); from y:
 * 1/cosh y. Odd (f(-0) = -0), no kink, f(+-inf) = +-inf, f'(+-inf) = 0.
 * Forward: clact_asinh (series below 1/2, else the log of an exact pair a + sqrt(a^2 + 1)):
 * within 0.56 ulp.
 * Backward: with |x| = a 2^e (a in [1/2, 1) and e > 0, or a = |x| and e = 0 below 1),
 * f' = 2^-e / sqrt(a^2 + 2^-2e): the sum a pair, its square root t from the exact residual
 * (sqrt(S) = t (1 + r), 1/t corrected the same way), dy applied before the power of two. From y:
 * 1/cosh y = 2e/(1 + e^2), e = e^-|y| = 2^k (m + ml), one pair quotient, dy before the power of
 * two (no subnormal intermediate where y > 87). */
#if defined(CLACT_DTYPE_F64)
static inline realv arsinh_fwd(realv x, clact_p p) {
  (void)p;
  return asinh(x);
}
static inline realv arsinh_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv a = fabs(x);
  realv r = a > RV(0x1p27) ? dy / a : dy / sqrt(fma(x, x, RV(1.0)));
  return isnan(x) ? x + x : r;
}
/* 1/cosh y = 2 e^-|y| / (1 + e^-2|y|) */
static inline realv arsinh_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  realv k;
  realv m = clact_d_expk(-fabs(y), RV(0.0), &k);
  realv t = clact_d_ldexp(m, k);
  realv dx = clact_d_mul_pow2(dy, (RV(2.0) * m) / fma(t, t, RV(1.0)), k);
  return isinf(y) ? dy * RV(0.0) : (isnan(y) ? y + y : dx);
}
#else
static inline realv arsinh_fwd(realv x, clact_p p) {
  (void)p;
  return clact_asinh(x);
}

static inline realv arsinh_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  intv es;
  realv dl;
  realv dh = clact_one_plus_sq_scaled(x, &dl, &es); /* (1 + x^2) 2^-2es = dh + dl */
  realv t = sqrt(dh);
  realv r = (fma(-t, t, dh) + dl) / (dh + dh); /* sqrt(d) = t (1 + r) */
  realv it = 1.0f / t;
  realv ir = fma(-it, t, RV(1.0f)); /* 1/t = it (1 + ir) */
  realv g = fma(it, ir - r, it);
  realv dx = clact_mul_pow2(dy, g, -es);
  return isinf(x) ? dy * 0.0f : dx;
}

static inline realv arsinh_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  intv k;
  realv ml;
  realv m = clact_exp_dd(-fabs(y), RV(0.0f), &k, &ml);
  realv pv = clact_pow2_60(k + k); /* e^2 / m^2, invisible next to 1 below 2^-60 */
  realv ql;
  realv qh = clact_two_prod(m, m, &ql);
  ql = fma(2.0f * m, ml, ql);
  realv dh = 1.0f + qh * pv;
  realv dl = ((1.0f - dh) + qh * pv) + ql * pv;
  realv g = clact_div_dd(2.0f * m, 2.0f * ml, dh, dl);
  realv dx = clact_mul_pow2(dy, g, k);
  return isinf(y) ? dy * 0.0f : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(arsinh)
CLACT_ELEMENTWISE_FROM_Y(arsinh)
