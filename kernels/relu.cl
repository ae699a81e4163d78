/* kernels/relu.cl: relu f(x) = x > 0 ? x : 0, NaN kept (no fmax: its NaN behaviour drops it).
 * relu(-0) = +0. Kink convention (PyTorch): relu'(0) = 0. From y: y > 0 <=> x > 0. */
static inline realv relu_fwd(realv x, clact_p p) {
  (void)p;
  return x > RV(0.0f) ? x : (x <= RV(0.0f) ? RV(0.0f) : x + x);
}
static inline realv relu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return dy * (x > RV(0.0f) ? RV(1.0f) : (x <= RV(0.0f) ? RV(0.0f) : x));
}
static inline realv relu_bwd_y(realv y, realv dy, clact_p p) {
  return relu_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(relu)
CLACT_ELEMENTWISE_FROM_Y(relu)
