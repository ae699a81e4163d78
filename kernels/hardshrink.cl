/* kernels/hardshrink.cl: hardshrink f(x) = |x| > λ ? x : 0 (p0 = λ >= 0). The zero is x*0:
 * f is odd, so f(-0) = -0 and f(-0.3) = -0 (the catalogue's rule for odd functions; PyTorch
 * writes +0), and a NaN goes through the product (quiet).
 * Kink convention (PyTorch): f' = |x| > λ ? 1 : 0, so 0 at ±λ (where f jumps).
 * From y: y != 0 <=> |x| > λ (λ >= 0). */
static inline realv hardshrink_fwd(realv x, clact_p p) {
  realv l = RV(p.p0);
  return x > l || x < -l ? x : x * RV(0.0f);
}
static inline realv hardshrink_bwd(realv x, realv dy, clact_p p) {
  realv l = RV(p.p0);
  return dy * (isnan(x) ? x + x : (x > l || x < -l ? RV(1.0f) : RV(0.0f)));
}
static inline realv hardshrink_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * (isnan(y) ? y + y : (y != RV(0.0f) ? RV(1.0f) : RV(0.0f)));
}
CLACT_ELEMENTWISE(hardshrink)
CLACT_ELEMENTWISE_FROM_Y(hardshrink)
