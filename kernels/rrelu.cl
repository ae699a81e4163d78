/* kernels/rrelu.cl: rrelu in its inference form, leaky_relu with slope s = (lower + upper)/2
 * (p0 = lower, p1 = upper, 0 <= lower <= upper <= 1, upper > 0). The slope is rounded to
 * float32 once, as PyTorch casts it: s = RN((lower + upper)/2), and fl(lower + upper) * 0.5 is
 * that value for every valid pair (the halving is exact or, below 2^-125, the sum was exact).
 * Then f(x) = x > 0 ? x : x*s, correctly rounded; f(-0) = -0, NaN goes through the product.
 * Kink convention (PyTorch's leaky_relu): f'(0) = s. From y (s > 0 always): y > 0 <=> x > 0. */
static inline realv rrelu_slope(clact_p p) {
  return RV((p.p0 + p.p1) * 0.5f);
}
static inline realv rrelu_fwd(realv x, clact_p p) {
  return x > RV(0.0f) ? x : x * rrelu_slope(p);
}
static inline realv rrelu_bwd(realv x, realv dy, clact_p p) {
  return dy * (x > RV(0.0f) ? RV(1.0f) : (x <= RV(0.0f) ? rrelu_slope(p) : x + x));
}
static inline realv rrelu_bwd_y(realv y, realv dy, clact_p p) {
  return rrelu_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(rrelu)
CLACT_ELEMENTWISE_FROM_Y(rrelu)
