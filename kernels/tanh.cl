/* kernels/tanh.cl: tanh x; tanh' = sech²x; from y: (1-y)(1+y).
 * |x| < 1/2: odd polynomial (2^-30). Otherwise tanh|x| = (1 - e)/(1 + e), e = e^-2|x| <= e^-1,
 * both as exact pairs (1 - e >= 0.63 has no cancellation), one pair quotient: ~0.6 ulp. The sign
 * is put back last, so tanh(-0) = -0. */
#if defined(CLACT_DTYPE_F64)
static inline realv tanh_fwd(realv x, clact_p p) {
  (void)p;
  return tanh(x);
}
/* sech^2 x = 4 sigma(2x) sigma(-2x) */
static inline realv tanh_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv k, t;
  realv g = clact_d_sigmoid_d(RV(2.0) * x, RV(0.0), &k, &t);
  realv dx = clact_d_mul_pow2(dy, g, k + RV(2.0));
  return isinf(x) ? dy * RV(0.0) : (isnan(x) ? x + x : dx);
}
static inline realv tanh_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * ((RV(1.0) - y) * (RV(1.0) + y));
}
#else

/* |x| < 1/2: x + x^3 P(x^2); else 1 - 2/(1 + e^(2|x|)) (clact_n_inv_1pe), sign restored. */
static inline realv tanh_fwd(realv x, clact_p p) {
  (void)p;
  realv a = fabs(x);
  realv a2 = a * a;
  realv q = fma(RV(CLACT_TANH_C11), a2, RV(CLACT_TANH_C9));
  q = fma(q, a2, RV(CLACT_TANH_C7));
  q = fma(q, a2, RV(CLACT_TANH_C5));
  q = fma(q, a2, RV(CLACT_TANH_C3));
  realv small = fma(a, a2 * q, a);
  realv big = 1.0f - clact_n_inv_1pe(RV(2.0f), 2.0f * a, RV(0.0f));
  return copysign(a < 0.5f ? small : big, x);
}

/* sech^2 x = 4 sigma'(2x) (2x is exact). */
static inline realv tanh_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  intv k;
  realv g = clact_sigmoid_dk(2.0f * x, &k);
  realv dx = clact_mul_pow2(dy, g, k + 2);
  return isinf(x) ? dy * 0.0f : dx;
}

/* (1 - y)(1 + y): one of the two factors is exact for |y| >= 1/2, and the product is free of
 * cancellation; tanh from y knows nothing beyond |x| ~ 9.01 (y rounds to +-1, dx = 0). */
static inline realv tanh_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * ((1.0f - y) * (1.0f + y));
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(tanh)
CLACT_ELEMENTWISE_FROM_Y(tanh)
