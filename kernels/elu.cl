/* kernels/elu.cl: elu(x) = x > 0 ? x : α expm1(x) (p0 = α). Branch convention: at x = 0 the
 * x <= 0 branch is selected, so elu'(0) = α. From y (α > 0): x > 0 ? 1 : y + α. */
static inline realv elu_fwd(realv x, clact_p p) {
  return x > RV(0.0f) ? x : p.p0 * expm1(x);
}
static inline realv elu_bwd(realv x, realv dy, clact_p p) {
  return x > RV(0.0f) ? dy : dy * (p.p0 * exp(x));
}
static inline realv elu_bwd_y(realv y, realv dy, clact_p p) {
  return y > RV(0.0f) ? dy : dy * (y + p.p0);
}
CLACT_ELEMENTWISE(elu)
CLACT_ELEMENTWISE_FROM_Y(elu)
