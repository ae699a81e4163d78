/* kernels/bipolar_step.cl: bipolar_step f(x) = x < 0 ? -1 : 1.
 * Signed zero: -0 is not < 0, so f(±0) = 1 (the catalogue's formula, not sign(x)). NaN in ->
 * quiet NaN out. Derivative: 0 everywhere, the jump at 0 included, as dx = dy * 0 (dy = ±inf
 * gives NaN, a NaN x gives NaN). From y: the same 0. */
static inline realv bipolar_step_fwd(realv x, clact_p p) {
  (void)p;
  return isnan(x) ? x + x : (x < RV(0.0f) ? RV(-1.0f) : RV(1.0f));
}
static inline realv bipolar_step_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return dy * clact_nan_or(x, RV(0.0f));
}
static inline realv bipolar_step_bwd_y(realv y, realv dy, clact_p p) {
  return bipolar_step_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(bipolar_step)
CLACT_ELEMENTWISE_FROM_Y(bipolar_step)
