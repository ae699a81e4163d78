/* kernels/relu_squared.cl: relu_squared f(x) = relu(x)² = x > 0 ? x*x : 0 (one rounding);
 * f(-0) = +0 as relu; NaN in -> quiet NaN out; x > 1.8e19 overflows to +inf (so does the exact
 * value). C1: no kink (f'(0) = 0 from both sides).
 * Derivative 2 relu(x), applied as (dy*x)*2 so that dx does not overflow where dy*2x is finite.
 * From y: f' = 2√y, as (dy*√y)*2. */
static inline realv relu_squared_fwd(realv x, clact_p p) {
  (void)p;
  return x > RV(0.0f) ? x * x : (x <= RV(0.0f) ? RV(0.0f) : x + x);
}
static inline realv relu_squared_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return x > RV(0.0f) ? (dy * x) * RV(2.0f) : dy * (x <= RV(0.0f) ? RV(0.0f) : x + x);
}
static inline realv relu_squared_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return (dy * sqrt(y)) * RV(2.0f);
}
CLACT_ELEMENTWISE(relu_squared)
CLACT_ELEMENTWISE_FROM_Y(relu_squared)
