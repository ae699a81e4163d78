/* kernels/softsign.cl: softsign f(x) = x / (1 + |x|), computed on a = |x| with the sign put
 * back (f is odd: f(-0) = -0, f(±inf) = ±1). Smooth (C1): no kink.
 * Accuracy: 1 + a is carried exactly as d + dl (TwoSum) and the quotient a/(d + dl) is
 * corrected with its fma residual, so the two roundings of a/(1 + a) do not add up (<= 0.5 ulp
 * plus a few 2^-20 ulp). For a >= 2^25 the exact value rounds to 1.
 * Derivative: 1/(1 + |x|)² (not 1 - f²), as dx = (dy * t) * t with t = 1/(1 + |x|) accurate to
 * about half an ulp, which keeps dx from underflowing before the last product.
 * From y: f' = (1 - |y|)². */
#if defined(CLACT_DTYPE_F64)
/* x/(1 + |x|) with 1 + |x| as an exact pair (one correction step) */
static inline realv softsign_fwd(realv x, clact_p p) {
  (void)p;
  realv a = fabs(x);
  realv dl;
  realv d = clact_two_sum(a, RV(1.0), &dl);
  realv q = a / d;
  realv r = fma(-q, d, a) - q * dl;
  realv s = q + r / d;
  return copysign(a >= RV(0x1p60) ? RV(1.0) : s, x);
}
static inline realv softsign_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv t = RV(1.0) / (RV(1.0) + fabs(x));
  return (dy * t) * t;
}
static inline realv softsign_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  realv s = RV(1.0) - fabs(y);
  return (dy * s) * s;
}
#else
static inline realv softsign_fwd(realv x, clact_p p) {
  (void)p;
  realv a = fabs(x);
  realv dl;
  realv d = clact_two_sum(a, RV(1.0f), &dl); /* 1 + a = d + dl exactly */
  realv q = a / d;
  realv r = fma(-q, d, a) - q * dl; /* a - q(d + dl), to first order */
  realv s = q + r / d;
  return copysign(a >= RV(0x1p25f) ? RV(1.0f) : s, x);
}
static inline realv softsign_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv a = fabs(x);
  realv dl;
  realv d = clact_two_sum(a, RV(1.0f), &dl); /* 1 + a = d + dl exactly */
  realv t0 = RV(1.0f) / d;
  realv rt = fma(-t0, d, RV(1.0f)); /* 1/d = t0 (1 + rt) */
  realv t = a >= RV(0x1p25f) ? t0 : fma(t0, rt - dl * t0, t0);
  return (dy * t) * t;
}
static inline realv softsign_bwd_y(realv y, realv dy, clact_p p) {
  (void)p;
  realv s = RV(1.0f) - fabs(y);
  return (dy * s) * s;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(softsign)
CLACT_ELEMENTWISE_FROM_Y(softsign)
