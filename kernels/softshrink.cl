/* kernels/softshrink.cl: softshrink f(x) = x - λ (x > λ); x + λ (x < -λ); 0 otherwise
 * (p0 = λ >= 0). The subtraction is one correctly rounded operation; it is never 0 outside
 * [-λ, λ]. The zero in the middle is x*0: f is odd, so f(-0) = -0 and f(-0.3) = -0, and a NaN
 * goes through the product (quiet). f(±inf) = ±inf.
 * Kink convention (PyTorch): f' = |x| > λ ? 1 : 0, so 0 at ±λ.
 * From y: y != 0 <=> |x| > λ. */
static inline realv softshrink_fwd(realv x, clact_p p) {
  realv l = RV(p.p0);
  return x > l ? x - l : (x < -l ? x + l : x * RV(0.0f));
}
static inline realv softshrink_bwd(realv x, realv dy, clact_p p) {
  realv l = RV(p.p0);
  return dy * (isnan(x) ? x + x : (x > l || x < -l ? RV(1.0f) : RV(0.0f)));
}
static inline realv softshrink_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return dy * (isnan(y) ? y + y : (y != RV(0.0f) ? RV(1.0f) : RV(0.0f)));
}
CLACT_ELEMENTWISE(softshrink)
CLACT_ELEMENTWISE_FROM_Y(softshrink)
