/* kernels/tanhshrink.cl: tanhshrink: x - tanh x; f' = tanh^2 x. Odd (f(-0) = -0), no kink,
 * f(+-inf) = +-inf, f'(+-inf) = 1.
 * |x| < 3/4: x - tanh x cancels (it is x^3/3 to first order), so a series is used:
 * x^3 (1/3 + x^2 R(x^2)) (2^-30.5 relative on |x| < 1, gen_coeffs2.sollya), x^3 as an exact pair
 * and 1/3 as a pair, one final rounding (the float x^2 R term, up to 22% of the result, adds its
 * roundings). |x| >= 3/4: |x| - tanh|x| with tanh as a pair quotient (1 - e)/(1 + e),
 * e = e^-2|x| = 2^k (m + ml), and the difference by TwoSum: the pair carries e^-2x to ~2^-27
 * relative (the float tail of the exp near the ends of its reduction), magnified by
 * tanh x/(x - tanh x) <= 5.5 from 3/4 on. The switch at 3/4 balances the two: within 1.13 ulp
 * (host sweep of every 16th float).
 * Backward: (dy t) t with t = tanh x (~0.6 ulp): no overflow (|t| <= 1) and a tiny t^2 does not
 * underflow before dy scales it. */
#if defined(CLACT_DTYPE_F64)
/* |x| < 1/2: the Taylor series of x - tanh x (terms x^3 .. x^39: 2^-60); beyond, x - tanh x */
static inline realv tanhshrink_fwd(realv x, clact_p p) {
  (void)p;
  realv z = x * x;
  realv s = RV(-0x1.2efe8db3aff1fp-24);
  s = fma(s, z, RV(0x1.75cde6563fed9p-23));
  s = fma(s, z, RV(-0x1.cd299de4ae6bbp-22));
  s = fma(s, z, RV(0x1.1c77df95c1c0dp-20));
  s = fma(s, z, RV(-0x1.5ef2da474e5b7p-19));
  s = fma(s, z, RV(0x1.b0f72d3ee24e9p-18));
  s = fma(s, z, RV(-0x1.0b132d39a6050p-16));
  s = fma(s, z, RV(0x1.497d8eea25259p-15));
  s = fma(s, z, RV(-0x1.967e18afcafadp-14));
  s = fma(s, z, RV(0x1.f57d7734d1664p-13));
  s = fma(s, z, RV(-0x1.3558248036744p-11));
  s = fma(s, z, RV(0x1.7da36452b75e3p-10));
  s = fma(s, z, RV(-0x1.d6d3d0e157de0p-9));
  s = fma(s, z, RV(0x1.226e355e6c23dp-7));
  s = fma(s, z, RV(-0x1.664f4882c10fap-6));
  s = fma(s, z, RV(0x1.ba1ba1ba1ba1cp-5));
  s = fma(s, z, RV(-0x1.1111111111111p-3));
  s = fma(s, z, RV(0x1.5555555555555p-2));
  realv small = (x * z) * s;
  realv r = fabs(x) < RV(0.5) ? small : x - tanh(x);
  return isinf(x) ? x : r;
}
static inline realv tanhshrink_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv t = tanh(x);
  return (dy * t) * t;
}
#else
#define CLACT_TSHRINK_R0 -0x1.11111p-3f
#define CLACT_TSHRINK_R1 0x1.ba1ae4p-5f
#define CLACT_TSHRINK_R2 -0x1.663b84p-6f
#define CLACT_TSHRINK_R3 0x1.217ac8p-7f
#define CLACT_TSHRINK_R4 -0x1.ca0018p-9f
#define CLACT_TSHRINK_R5 0x1.4a44e4p-10f
#define CLACT_TSHRINK_R6 -0x1.6cfa9ap-12f
#define CLACT_TSHRINK_R7 0x1.ab6fa2p-15f
#define CLACT_THIRD_H 0x1.555556p-2f
#define CLACT_THIRD_L -0x1.555556p-27f

static inline realv tanhshrink_fwd(realv x, clact_p p) {
  (void)p;
  realv a = fabs(x);
  /* small: a^3 (1/3 + z R(z)), z = a^2; below 2^-20 on a 2^40 a (a^3 and the tails of the
   * products stay normal), scaled back by 2^-120 with the one rounding */
  intv tiny = a < 0x1p-20f;
  realv as = tiny ? a * 0x1p40f : a;
  realv zl;
  realv z = clact_two_prod(as, as, &zl);
  realv cl;
  realv ch = clact_two_prod(z, as, &cl);
  cl = fma(zl, as, cl);           /* as^3 = ch + cl */
  realv zp = tiny ? RV(0.0f) : z; /* the true a^2: below 2^-40, z R(z) is invisible */
  realv r = fma(RV(CLACT_TSHRINK_R7), zp, RV(CLACT_TSHRINK_R6));
  r = fma(r, zp, RV(CLACT_TSHRINK_R5));
  r = fma(r, zp, RV(CLACT_TSHRINK_R4));
  r = fma(r, zp, RV(CLACT_TSHRINK_R3));
  r = fma(r, zp, RV(CLACT_TSHRINK_R2));
  r = fma(r, zp, RV(CLACT_TSHRINK_R1));
  r = fma(r, zp, RV(CLACT_TSHRINK_R0));
  realv small =
      fma(ch, RV(CLACT_THIRD_H), fma(ch, fma(zp, r, RV(CLACT_THIRD_L)), cl * CLACT_THIRD_H));
  small = tiny ? clact_ldexp(small, (intv)(-120)) : small;
  /* large: a - tanh a, tanh a = (1 - e)/(1 + e) as a pair */
  realv ac = a > 20.0f ? RV(20.0f) : a;
  intv k;
  realv ml;
  realv m = clact_exp_dd(-2.0f * ac, RV(0.0f), &k, &ml);
  realv pk = clact_pow2i(k);
  realv eh = m * pk;
  realv el = ml * pk;
  realv nh = 1.0f - eh;
  realv nl = ((1.0f - nh) - eh) - el;
  realv dh = 1.0f + eh;
  realv dl = ((1.0f - dh) + eh) + el;
  realv q = nh / dh;
  realv ql = (fma(-q, dh, nh) + fma(-q, dl, nl)) / dh;
  realv se;
  realv s = clact_two_sum(a, -q, &se);
  realv big = s + (se - ql);
  big = a < INFINITY ? big : a;
  realv res = a < 0.75f ? small : big;
  return copysign(res, x);
}

static inline realv tanhshrink_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv t = clact_tanh(x);
  return (dy * t) * t;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(tanhshrink)
