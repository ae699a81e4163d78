/* kernels/sparse_plus.cl: sparse_plus f(x) = 0 (x <= -1); (x+1)²/4 (-1 < x < 1); x (x >= 1).
 * f(x <= -1) = +0; NaN in -> quiet NaN out (through the middle formula).
 * Accuracy: x + 1 = s + se exactly (FastTwoSum, |x| < 1), (s + se)² = s² + 2 s se to first
 * order with s² = sh + sl exact: one rounding of the sum, then the exact /4.
 * C1: the pieces meet with equal slopes (0 at -1, 1 at 1), no kink to choose: f' = 0; (x+1)/2;
 * 1. From y: f' = y >= 1 ? 1 : √y ((x+1)/2 = √y in the middle, 0 = √0 at the left). */
static inline realv sparse_plus_fwd(realv x, clact_p p) {
  (void)p;
  realv s = x + RV(1.0f);
  realv se = x - (s - RV(1.0f)); /* x + 1 = s + se */
  realv sl;
  realv sh = clact_two_prod(s, s, &sl);
  realv m = (sh + (sl + (s + s) * se)) * RV(0.25f);
  return x <= RV(-1.0f) ? RV(0.0f) : (x >= RV(1.0f) ? x : m);
}
static inline realv sparse_plus_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv m = (x + RV(1.0f)) * RV(0.5f);
  return dy * (x <= RV(-1.0f) ? RV(0.0f) : (x >= RV(1.0f) ? RV(1.0f) : m));
}
static inline realv sparse_plus_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * (y >= RV(1.0f) ? RV(1.0f) : sqrt(y));
}
CLACT_ELEMENTWISE(sparse_plus)
CLACT_ELEMENTWISE_FROM_Y(sparse_plus)
