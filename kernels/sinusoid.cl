/* kernels/sinusoid.cl: sinusoid: sin x; f' = cos x. Odd (f(-0) = -0), no kink; sin and cos of
 * +-inf have no limit: NaN.
 * clact_sincos: the exact Payne-Hanek reduction for every float (integer arithmetic on a 96-bit
 * window of 2/pi) and minimax polynomials on [-pi/4, pi/4]: within 0.73 ulp over all 2^32 inputs.
 * Backward: dy (ch + cl), cos as a pair, one fma. */
#if defined(CLACT_DTYPE_F64)
static inline realv sinusoid_fwd(realv x, clact_p p) {
  (void)p;
  return sin(x);
}
static inline realv sinusoid_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return dy * cos(x);
}
#else
static inline realv sinusoid_fwd(realv x, clact_p p) {
  (void)p;
  realv sl, ch, cl;
  return clact_sincos(x, &sl, &ch, &cl);
}

static inline realv sinusoid_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv sl, ch, cl;
  clact_sincos(x, &sl, &ch, &cl);
  return isinf(dy) ? dy * ch : fma(dy, ch, dy * cl);
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(sinusoid)
