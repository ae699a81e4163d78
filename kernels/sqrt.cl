/* kernels/sqrt.cl: sqrt f(x) = √x, NaN for x < 0 (and -inf); IEEE's √-0 = -0; √+inf = +inf.
 * Correctly rounded where the device rounds sqrt correctly (the host asks for it with
 * -cl-fp32-correctly-rounded-divide-sqrt when the device supports it).
 * f' = 1/(2√x); at x = ±0 it is +inf (the one-sided limit, for -0 too: PyTorch's dy/(2y) would
 * give -inf there), so dx = dy * inf. Elsewhere dx = dy/(2√x), computed on dy/4 (for
 * |dy| >= 1) and scaled back: the two roundings can carry a value just below the overflow
 * threshold onto 2^126 (scaled), which is returned as ±FLT_MAX rather than ±inf (within an ulp
 * of the exact value whichever side of the threshold it is).
 * From y: dy/(2y), dy * inf at y = ±0. */
#if defined(CLACT_DTYPE_F64)
static inline realv sqrt_fwd(realv x, clact_p p) {
  (void)p;
  return isnan(x) ? x + x : sqrt(x);
}
static inline realv sqrt_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return x == RV(0.0) ? dy * RV(INFINITY) : dy / (RV(2.0) * sqrt(x));
}
static inline realv sqrt_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return y == RV(0.0) ? dy * RV(INFINITY) : dy / (y + y);
}
#else
static inline realv sqrt_fwd(realv x, clact_p p) {
  (void)p;
  return isnan(x) ? x + x : sqrt(x);
}
static inline realv sqrt_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv sc = fabs(dy) >= RV(1.0f) ? RV(0.25f) : RV(1.0f);
  realv rs = (dy * sc) / (RV(2.0f) * sqrt(x));
  realv r = fabs(rs) == RV(0x1p126f) ? copysign(RV(FLT_MAX), rs) : rs / sc;
  return x == RV(0.0f) ? dy * RV(INFINITY) : r;
}
static inline realv sqrt_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  return y == RV(0.0f) ? dy * RV(INFINITY) : dy / (y + y);
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(sqrt)
CLACT_ELEMENTWISE_FROM_Y(sqrt)
