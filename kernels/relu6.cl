/* kernels/relu6.cl: relu6 f(x) = min(max(0, x), 6), without fmin/fmax (their NaN behaviour
 * drops the NaN): NaN in -> quiet NaN out. relu6(-0) = +0 (the max(0, x) of relu).
 * Kink convention (PyTorch, hardtanh(0, 6)): f' = 0 < x < 6 ? 1 : 0, so f'(0) = f'(6) = 0.
 * From y: 0 < y < 6 <=> 0 < x < 6. */
static inline realv relu6_fwd(realv x, clact_p p) {
  (void)p;
  return x > RV(0.0f) ? (x < RV(6.0f) ? x : RV(6.0f)) : (x <= RV(0.0f) ? RV(0.0f) : x + x);
}
static inline realv relu6_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return dy * (isnan(x) ? x + x : (x > RV(0.0f) && x < RV(6.0f) ? RV(1.0f) : RV(0.0f)));
}
static inline realv relu6_bwd_y(realv y, realv dy, clact_p p) {
  return relu6_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(relu6)
CLACT_ELEMENTWISE_FROM_Y(relu6)
