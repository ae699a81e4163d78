/* kernels/sparse_sigmoid.cl: sparse_sigmoid f(x) = 0 (x <= -1); (x+1)/2 (-1 < x < 1); 1 (x >= 1).
 * (x + 1)*0.5 is one rounding and an exact halving: correctly rounded. f(x <= -1) = +0; NaN in ->
 * quiet NaN out (through the middle formula).
 * Kink convention (no PyTorch function; JAX's where() gradient, the branch selected):
 * f' = -1 < x < 1 ? 1/2 : 0, so 0 at ±1. From y: 0 < y < 1 ? 1/2 : 0 (an x just below 1 whose
 * y rounds to 1 reads as the flat branch: y has lost that information). */
static inline realv sparse_sigmoid_fwd(realv x, clact_p p) {
  (void)p;
  realv m = (x + RV(1.0f)) * RV(0.5f);
  return x <= RV(-1.0f) ? RV(0.0f) : (x >= RV(1.0f) ? RV(1.0f) : m);
}
static inline realv sparse_sigmoid_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return dy * (isnan(x) ? x + x : (x > RV(-1.0f) && x < RV(1.0f) ? RV(0.5f) : RV(0.0f)));
}
static inline realv sparse_sigmoid_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * (isnan(y) ? y + y : (y > RV(0.0f) && y < RV(1.0f) ? RV(0.5f) : RV(0.0f)));
}
CLACT_ELEMENTWISE(sparse_sigmoid)
CLACT_ELEMENTWISE_FROM_Y(sparse_sigmoid)
