/* kernels/bipolar_sigmoid.cl: bipolar_sigmoid: (1 - e^-x)/(1 + e^-x) = tanh(x/2); f' = (1 - y^2)/2
 * = 2 sigma'(x); from y: (1 - y)(1 + y)/2. Odd (f(-0) = -0), no kink, f(+-inf) = +-1,
 * f'(+-inf) = 0.
 * Forward: the prelude's tanh (~0.6 ulp) at x/2 (exact, except for a subnormal x, where the
 * rounded x/2 is the correctly rounded result). Backward: 2 sigma'(x) as a pair quotient with
 * dy applied before the last power of two (clact_mul_pow2), as sigmoid's. From y: (1 - y)(1 + y),
 * one factor exact for |y| >= 1/2, halved exactly; bipolar_sigmoid from y knows nothing beyond
 * |x| ~ 18 (y rounds to +-1, dx = 0). */
#if defined(CLACT_DTYPE_F64)
static inline realv bipolar_sigmoid_fwd(realv x, clact_p p) {
  (void)p;
  return tanh(RV(0.5) * x);
}
/* 2 sigma(x) sigma(-x) */
static inline realv bipolar_sigmoid_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv k, t;
  realv g = clact_d_sigmoid_d(x, RV(0.0), &k, &t);
  realv dx = clact_d_mul_pow2(dy, g, k + RV(1.0));
  return isinf(x) ? dy * RV(0.0) : (isnan(x) ? x + x : dx);
}
static inline realv bipolar_sigmoid_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * (((RV(1.0) - y) * (RV(1.0) + y)) * RV(0.5));
}
#else
static inline realv bipolar_sigmoid_fwd(realv x, clact_p p) {
  (void)p;
  return clact_tanh(0.5f * x);
}

static inline realv bipolar_sigmoid_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  intv k;
  realv g = clact_sigmoid_d(x, RV(0.0f), &k);
  realv dx = clact_mul_pow2(dy, g, k + 1);
  return isinf(x) ? dy * 0.0f : dx;
}

static inline realv bipolar_sigmoid_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * (0.5f * ((1.0f - y) * (1.0f + y)));
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(bipolar_sigmoid)
CLACT_ELEMENTWISE_FROM_Y(bipolar_sigmoid)
