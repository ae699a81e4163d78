/* kernels/square.cl: square f(x) = x*x, one rounding (correctly rounded); f(-0) = +0; NaN in ->
 * quiet NaN out; |x| > 1.8e19 overflows (so does the exact value). Smooth: f' = 2x, applied as
 * (dy*x)*2 so that dx does not overflow where dy*2x is finite. No from-y variant. */
static inline realv square_fwd(realv x, clact_p p) {
  (void)p;
  return x * x;
}
static inline realv square_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return (dy * x) * RV(2.0f);
}
CLACT_ELEMENTWISE(square)
