/* kernels/log_sigmoid.cl: log_sigmoid: log sigma(x) = min(x, 0) - log1p(e^-|x|) = -softplus(-x);
 * f' = sigma(-x); from y: 1 - e^y = -expm1(y). No kink; f(-inf) = -inf, f(+inf) = -0 (log sigma
 * is negative everywhere and tends to 0 from below; for large x the result -e^-x rounds to -0
 * too), f'(-inf) = 1, f'(+inf) = 0.
 * Forward: the prelude's softplus body with beta = 1 (clact_softplus_s, ~1 ulp) at -x, negated;
 * f(-inf) = -(inf + y) = -inf.
 * Backward: sigma(-x) as one pair quotient with dy applied before the last power of two (a large
 * dy times a subnormal sigma(-x) stays right). From y: -expm1(y) (clact_expm1, no cancellation,
 * y in [-inf, 0]). */
#if defined(CLACT_DTYPE_F64)
static inline realv log_sigmoid_fwd(realv x, clact_p p) {
  (void)p;
  realv t = exp(-fabs(x));
  realv r = x > RV(0.0) ? -log1p(t) : x - log1p(t);
  return isnan(x) ? x + x : r;
}
/* sigma(-x) */
static inline realv log_sigmoid_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv dx = clact_d_xsigmoid(dy, -x, RV(0.0));
  return isinf(x) && x > RV(0.0) ? dy * RV(0.0) : (isnan(x) ? x + x : dx);
}
static inline realv log_sigmoid_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * -expm1(y);
}
#else
static inline realv log_sigmoid_fwd(realv x, clact_p p) {
  (void)p;
  return -clact_softplus_s(-x, -x, RV(0.0f), RV(1.0f), RV(0.0f), 1);
}

static inline realv log_sigmoid_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv dx = clact_dy_sigmoid(-x, RV(0.0f), dy);
  return (isinf(x) & (x > 0.0f)) ? dy * 0.0f : dx;
}

static inline realv log_sigmoid_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * -clact_expm1(y, RV(0.0f));
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(log_sigmoid)
CLACT_ELEMENTWISE_FROM_Y(log_sigmoid)
