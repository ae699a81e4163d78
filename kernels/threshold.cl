/* kernels/threshold.cl: threshold f(x) = x > threshold ? x : value (p0 = threshold, p1 = value,
 * PyTorch's order), the comparison on x itself (no rounding involved). NaN in -> quiet NaN out
 * (PyTorch would return value). Signed zero: x passes through above the threshold; otherwise
 * the output is the parameter value as given (so f(-0) = +0 with the defaults, like relu).
 * Kink convention (PyTorch): f' = x > threshold ? 1 : 0, so 0 at the threshold.
 * From y (value <= threshold): y > threshold <=> x > threshold. */
static inline realv threshold_fwd(realv x, clact_p p) {
  return isnan(x) ? x + x : (x > RV(p.p0) ? x : RV(p.p1));
}
static inline realv threshold_bwd(realv x, realv dy, clact_p p) {
  return dy * (isnan(x) ? x + x : (x > RV(p.p0) ? RV(1.0f) : RV(0.0f)));
}
static inline realv threshold_bwd_y(realv y, realv dy, clact_p p) {
  return threshold_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(threshold)
CLACT_ELEMENTWISE_FROM_Y(threshold)
