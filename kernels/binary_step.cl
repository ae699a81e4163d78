/* kernels/binary_step.cl: binary_step (heaviside) f(x) = x < 0 ? 0 : 1.
 * Signed zero: -0 is not < 0, so f(±0) = 1; f(-inf) = +0, f(+inf) = 1. NaN in -> quiet NaN out.
 * Derivative: 0 everywhere, the jump at 0 included (PyTorch's heaviside has no gradient; the
 * catalogue's f' = 0), carried as dx = dy * 0 so dy = ±inf gives NaN and a NaN x gives NaN.
 * From y: the same 0 (y is 0, 1 or NaN). */
static inline realv binary_step_fwd(realv x, clact_p p) {
  (void)p;
  return isnan(x) ? x + x : (x < RV(0.0f) ? RV(0.0f) : RV(1.0f));
}
static inline realv binary_step_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return dy * clact_nan_or(x, RV(0.0f));
}
static inline realv binary_step_bwd_y(realv y, realv dy, clact_p p) {
  return binary_step_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(binary_step)
CLACT_ELEMENTWISE_FROM_Y(binary_step)
