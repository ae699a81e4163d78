/* kernels/abs.cl: abs f(x) = |x|; abs(-0) = +0; NaN in -> quiet NaN out (fabs alone would keep a
 * signaling NaN signaling). Kink convention (PyTorch): f' = sgn(x) with f'(±0) = 0. No from-y
 * variant (|x| forgets the sign). */
static inline realv abs_fwd(realv x, clact_p p) {
  (void)p;
  return isnan(x) ? x + x : fabs(x);
}
static inline realv abs_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv s = x > RV(0.0f) ? RV(1.0f) : (x < RV(0.0f) ? RV(-1.0f) : RV(0.0f));
  return dy * (isnan(x) ? x + x : s);
}
CLACT_ELEMENTWISE(abs)
