/* kernels/hardtanh.cl: hardtanh f(x) = min(max(x, min_val), max_val) (p0 = min_val <= p1 =
 * max_val; infinite bounds allowed), without fmin/fmax: NaN in -> quiet NaN out. Inside the
 * bounds (bounds included) x passes through unchanged, so f(-0) = -0 even when min_val = 0.
 * Kink convention (PyTorch): f' = min_val < x < max_val ? 1 : 0, 0 at both bounds.
 * From y: min_val < y < max_val <=> min_val < x < max_val. */
static inline realv hardtanh_fwd(realv x, clact_p p) {
  realv r = x < RV(p.p0) ? RV(p.p0) : (x > RV(p.p1) ? RV(p.p1) : x);
  return isnan(x) ? x + x : r;
}
static inline realv hardtanh_bwd(realv x, realv dy, clact_p p) {
  return dy * (isnan(x) ? x + x : (x > RV(p.p0) && x < RV(p.p1) ? RV(1.0f) : RV(0.0f)));
}
static inline realv hardtanh_bwd_y(realv y, realv dy, clact_p p) {
  return hardtanh_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(hardtanh)
CLACT_ELEMENTWISE_FROM_Y(hardtanh)
