/* kernels/sinc.cl: sinc: x = 0 ? 1 : sin x / x (unnormalised, as the classic table);
 * f' = x = 0 ? 0 : (x cos x - sin x)/x^2. Even, C-infinity (no kink); f(+-inf) = +0 (the limit,
 * from both sides: +0 by convention), f'(+-inf) = 0.
 * |x| < pi/4: sinc = 1 + x^2 S(x^2) with sin's polynomial (no division, no cancellation).
 * Beyond: sin x as a pair (clact_sincos, exact reduction) divided by the mantissa of x
 * (x = xm 2^e), the quotient corrected by its fma residual and scaled last: one rounding also
 * where the result is subnormal (|x| > 2^126). ~0.6 ulp.
 * Backward: |x| < 1: x Q(x^2) (the series of (x cos x - sin x)/x^2, which cancels to x^3/3 there;
 * 2^-25 relative). Beyond: (cos x - sin x / x)/x, with sin x / x and the difference as pairs and
 * the last quotient and dy scaled by the exponent of x (clact_mul_scaled): the roots of f'
 * (tan x = x: 4.4934, 7.7253, ...) are cancellations the bound's M = |cos x/x| + |sin x/x^2|
 * covers. */
#if defined(CLACT_DTYPE_F64)
/* sin x / x (1 at 0, +0 at +-inf); f' = (cos x - sin x/x)/x, below |x| = 1 by its series
 * sum (-1)^n 2n x^(2n-1)/(2n+1)! (the formula cancels to -x/3) */
static inline realv sinc_fwd(realv x, clact_p p) {
  (void)p;
  realv r = sin(x) / x;
  r = x == RV(0.0) ? RV(1.0) : r;
  return isinf(x) ? RV(0.0) : r;
}
static inline realv sinc_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv z = x * x;
  realv s = RV(20.0 / 51090942171709440000.0);
  s = fma(s, z, RV(-18.0 / 121645100408832000.0));
  s = fma(s, z, RV(16.0 / 355687428096000.0));
  s = fma(s, z, RV(-14.0 / 1307674368000.0));
  s = fma(s, z, RV(12.0 / 6227020800.0));
  s = fma(s, z, RV(-10.0 / 39916800.0));
  s = fma(s, z, RV(8.0 / 362880.0));
  s = fma(s, z, RV(-6.0 / 5040.0));
  s = fma(s, z, RV(4.0 / 120.0));
  s = fma(s, z, RV(-2.0 / 6.0));
  realv small = x * s;
  realv big = (cos(x) - sin(x) / x) / x;
  realv g = fabs(x) < RV(1.0) ? small : big;
  g = isinf(x) ? RV(0.0) : g;
  return dy * g;
}
#else
#define CLACT_SINCD_Q0 -0x1.555556p-2f
#define CLACT_SINCD_Q1 0x1.111156p-5f
#define CLACT_SINCD_Q2 -0x1.3831f2p-10f
#define CLACT_SINCD_Q3 0x1.7bdd2p-16f
#define CLACT_SINCD_Q4 -0x1.11ed6ep-21f

static inline realv sinc_fwd(realv x, clact_p p) {
  (void)p;
  realv z = x * x;
  realv s = fma(RV(CLACT_SIN_S3), z, RV(CLACT_SIN_S2));
  s = fma(s, z, RV(CLACT_SIN_S1));
  s = fma(s, z, RV(CLACT_SIN_S0));
  realv small = fma(z, s, RV(1.0f));
  realv sl, ch, cl;
  realv sh = clact_sincos(x, &sl, &ch, &cl);
  intv e;
  realv xm = clact_frexp(x, &e);
  realv q = sh / xm;
  q = q + (fma(-q, xm, sh) + sl) / xm;
  realv big = clact_ldexp(q, -e);
  big = isinf(x) ? RV(0.0f) : big;
  return fabs(x) < 0x1.921fb6p-1f ? small : big;
}

static inline realv sinc_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv z = x * x;
  realv q = fma(RV(CLACT_SINCD_Q4), z, RV(CLACT_SINCD_Q3));
  q = fma(q, z, RV(CLACT_SINCD_Q2));
  q = fma(q, z, RV(CLACT_SINCD_Q1));
  q = fma(q, z, RV(CLACT_SINCD_Q0));
  realv small = (dy * x) * q; /* |x| < 1: dy x does not overflow; f' may be subnormal */
  realv sl, ch, cl;
  realv sh = clact_sincos(x, &sl, &ch, &cl);
  intv e;
  realv xm = clact_frexp(x, &e);
  /* s/x = (sh + sl)/xm 2^-e as a pair */
  realv u = sh / xm;
  realv ul = (fma(-u, xm, sh) + sl) / xm;
  realv uh = clact_ldexp(u, -e);
  realv ull = clact_ldexp(ul, -e);
  realv be;
  realv bh = clact_two_sum(ch, -uh, &be);
  realv bl = be + (cl - ull); /* cos x - sin x / x */
  realv v = bh / xm;
  v = v + (fma(-v, xm, bh) + bl) / xm;
  realv big = clact_mul_scaled(dy, v, -e);
  big = isinf(x) ? dy * 0.0f : big;
  return fabs(x) < 1.0f ? small : big;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(sinc)
