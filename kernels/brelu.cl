/* kernels/brelu.cl: bipolar relu. Element index i (within the call) even: relu(x); odd:
 * -relu(-x), which is x for x < 0 and -0 for x >= 0 (relu's +0 negated). NaN kept.
 * Kink convention (PyTorch's relu'(0) = 0 on both branches): even f'(0) = 0, odd f'(0) = 0.
 * From y: even y > 0 <=> x > 0; odd y < 0 <=> x < 0 (y = -0 for every x >= 0). */
static inline realv brelu_fwd(realv x, clact_p p) {
  (void)p;
  realv even = x <= RV(0.0f) ? RV(0.0f) : x; /* NaN passes (relu_fwd) */
  realv odd = x >= RV(0.0f) ? RV(-0.0f) : x;
  return clact_odd_lanes() ? odd : even;
}
static inline realv brelu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv even = x > RV(0.0f) ? RV(1.0f) : (x <= RV(0.0f) ? RV(0.0f) : x);
  realv odd = x < RV(0.0f) ? RV(1.0f) : (x >= RV(0.0f) ? RV(0.0f) : x);
  return dy * (clact_odd_lanes() ? odd : even);
}
static inline realv brelu_bwd_y(realv y, realv dy, clact_p p) {
  return brelu_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(brelu)
CLACT_ELEMENTWISE_FROM_Y(brelu)
