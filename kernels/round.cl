/* kernels/round.cl: round f(x) = rint(x), round half to even (PyTorch's round): round(2.5) = 2,
 * round(-0.4) = -0, ±inf and ±0 unchanged; NaN in -> quiet NaN out.
 * f' = 0 everywhere, the jumps included (PyTorch), as dx = dy * 0 (dy = ±inf gives NaN, a NaN x
 * gives NaN). From y: the same 0. */
static inline realv round_fwd(realv x, clact_p p) {
  (void)p;
  return isnan(x) ? x + x : rint(x);
}
static inline realv round_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return dy * clact_nan_or(x, RV(0.0f));
}
static inline realv round_bwd_y(realv y, realv dy, clact_p p) {
  return round_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(round)
CLACT_ELEMENTWISE_FROM_Y(round)
