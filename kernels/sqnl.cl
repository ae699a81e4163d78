/* kernels/sqnl.cl: sqnl f(x) = sign(x) * (|x| > 2 ? 1 : |x| - x²/4), the catalogue's four
 * pieces written once on a = |x| (f is odd, so f(-0) = -0 and f(±inf) = ±1).
 * Accuracy: a - a²/4 = fma(-a/4, a, a) is rounded once (a/4 is exact), so the forward is
 * correctly rounded. Derivative: 1 - |x|/2 inside, 0 for |x| > 2; the pieces meet at |x| = 2
 * with f' = 0 from both sides (C1), so there is no kink to choose. From y: f' = √(1 - |y|)
 * (1 - |y| = (1 - |x|/2)² inside, 0 outside). */
static inline realv sqnl_fwd(realv x, clact_p p) {
  (void)p;
  realv a = fabs(x);
  realv g = fma(RV(-0.25f) * a, a, a);
  return copysign(a > RV(2.0f) ? RV(1.0f) : g, x);
}
static inline realv sqnl_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv a = fabs(x);
  return dy * (a > RV(2.0f) ? RV(0.0f) : RV(1.0f) - RV(0.5f) * a);
}
static inline realv sqnl_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * sqrt(RV(1.0f) - fabs(y));
}
CLACT_ELEMENTWISE(sqnl)
CLACT_ELEMENTWISE_FROM_Y(sqnl)
