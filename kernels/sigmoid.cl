/* kernels/sigmoid.cl: σ(x) = 1/(1+e^-x); σ' = σ(x)σ(-x); from y: y(1-y).
 * float: σ = 1/(1 + e^-x) by the prelude's clact_n_inv_1pe (an exact pair denominator and one
 * corrected reciprocal: ~0.93 ulp over every 64th float32; subnormal results rounded about once);
 * σ' = e^-|x|/(1 + e^-|x|)^2 with plain roundings (~2.6 units of the backward bound), dy applied
 * before the last power of two, so a large dy times a subnormal σ'(x) stays right. From y: y(1-y)
 * <= 1/4 is formed first so that dy times it overflows only where the result does; for y in [0,1]
 * the error is <= 1.5 ulp. */
#if defined(CLACT_DTYPE_F64)
static inline realv sigmoid_fwd(realv x, clact_p p) {
  (void)p;
  return clact_d_sigmoid(x);
}
static inline realv sigmoid_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv k, t;
  realv g = clact_d_sigmoid_d(x, RV(0.0), &k, &t);
  realv dx = clact_d_mul_pow2(dy, g, k);
  return isinf(x) ? dy * RV(0.0) : (isnan(x) ? x + x : dx);
}
static inline realv sigmoid_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * (y * (RV(1.0) - y));
}
#else
static inline realv sigmoid_fwd(realv x, clact_p p) {
  (void)p;
  return clact_n_inv_1pe(RV(1.0f), -x, RV(0.0f));
}
static inline realv sigmoid_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  intv k;
  realv g = clact_sigmoid_dk(x, &k);
  realv dx = clact_mul_pow2(dy, g, k);
  return isinf(x) ? dy * 0.0f : dx; /* f'(+-inf) = 0 */
}

static inline realv sigmoid_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * (y * (1.0f - y));
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(sigmoid)
CLACT_ELEMENTWISE_FROM_Y(sigmoid)
