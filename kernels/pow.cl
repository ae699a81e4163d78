/* kernels/pow.cl: pow, alpha = p0 != 0, beta = p1 (any finite floats): f = alpha x^beta;
 * f' = alpha beta x^(beta - 1) (0 for beta = 0, where f is the constant alpha).
 * x^beta follows C's pow (IEEE 754), which PyTorch's pow also does: x < 0 with beta an integer
 * gives the signed power (negative for odd beta), x < 0 with beta not an integer gives NaN; x^0 = 1
 * for every x but NaN (NaN in gives NaN out, beta = 0 included); 0^beta = +0 (beta > 0) or +inf
 * (beta < 0), with the sign of x for odd integer beta; (+-inf)^beta likewise (x^beta's limits:
 * -inf^beta = -inf for odd beta > 0, +inf for any other beta > 0, and zeros for beta < 0). The
 * derivative uses the same rules for x^(beta - 1) (beta - 1 is an integer, of the other parity,
 * exactly when beta is one). No kink except at x = 0, where x^(beta-1) is 0, 1 or infinite as
 * above (alpha beta 0^0 = alpha for beta = 1).
 * |x|^beta = e^(beta ln|x|): ln|x| as a pair (clact_log_dd, 2^-30 relative or better), beta times
 * it as a pair, e^ of the pair from clact_exp_wide (x^beta can be a float times alpha far beyond
 * 2^128), alpha's mantissa times the result's (one rounding) and the powers of two last: error
 * about |beta ln x| 2^-30 + 0.5 ulp, at most ~1.5 ulp since |beta ln x| < 104 wherever the result
 * is a nonzero float. alpha = 0 is rejected (alpha times an overflowing x^beta would be 0 or NaN).
 * Backward: alpha beta x^(beta - 1) the same way, beta - 1 as an exact pair, the mantissas of
 * alpha, beta and dy multiplied and the power of two applied last (clact_mul_scaled). */
#if defined(CLACT_DEFAULT_PARAMS)
/* alpha = beta = 1, the defaults (a program of their own, host/program.c): f = x^1 = x for every
 * x (zeros and infinities included; NaN stays NaN), f' = x^0 = 1 for every x but NaN. */
static inline realv pow_fwd(realv x, clact_p p) {
  (void)p;
  return x;
}
static inline realv pow_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return isnan(x) ? x + x : dy;
}
#elif defined(CLACT_DTYPE_F64)
/* alpha x^beta with the built-in pow (IEEE special cases); beta = 0: alpha. f' = alpha beta
 * x^(beta - 1) (0 for beta = 0). NaN in, NaN out. */
/* x^b for finite nonzero x as |x| = m 2^e (m in [1, 2), e from the bits): m^b 2^(eb), eb as
 * an exact pair split into an integer n and a fraction f: pow(m, b) exp2(f) 2^n (PoCL's double
 * pow gave wrong results for |x| far from 1: 1e-231^1, -DBL_MAX^1). Sign and NaN of x < 0 as
 * IEEE pow; 0, infinities and NaN from the built-in. */
static inline realv pow_sub(realv x, real b) {
  realv a = fabs(x);
  intv sub = a < RV(0x1p-1022);
  realv as = sub ? a * RV(0x1p64) : a;
  uintv bits = AS_UINTV(as);
  realv e = CONVERT_REALV(AS_INTV((bits >> 52) & (uintv)0x7FF)) - RV(1023.0);
  e = sub ? e - RV(64.0) : e;
  realv m = AS_REALV((bits & (uintv)0x000FFFFFFFFFFFFFul) | (uintv)0x3FF0000000000000ul);
  realv tl;
  realv th = clact_two_prod(e, RV(b), &tl);
  realv n = rint(th);
  realv f = (th - n) + tl;
  realv r = clact_d_ldexp(pow(m, RV(b)) * exp2(f), n);
  real bi = rint(b);
  int isint = bi == b;
  int odd = isint && fabs(bi) < 0x1p53 && fmod(bi, 2.0) != 0.0;
  realv neg = isint ? (odd ? -r : r) : RV(NAN);
  r = x < RV(0.0) ? neg : r;
  return a == RV(0.0) || isinf(a) || isnan(a) ? pow(x, RV(b)) : r;
}
static inline realv pow_fwd(realv x, clact_p p) {
  realv r = p.p1 == 0.0 ? RV(p.p0) : RV(p.p0) * pow_sub(x, p.p1);
  return isnan(x) ? x + x : r;
}
static inline realv pow_bwd(realv x, realv dy, clact_p p) {
  realv q = pow_sub(x, p.p1 - 1.0);
  realv g = RV(p.p0 * p.p1) * q;
  realv r = p.p1 == 0.0 ? dy * RV(0.0) : dy * g;
  /* f' beyond the doubles at a finite x: dy = 0 gives 0 */
  r = isinf(g) && !isinf(x) && x != RV(0.0) && dy == RV(0.0) ? dy * RV(0.0) : r;
  /* f' below the doubles at a finite x != 0 (q = +-0): dy = +-inf gives +-inf */
  realv sg = copysign(RV(1.0), q) * RV(p.p0 * p.p1 > 0.0 ? 1.0 : -1.0);
  r = q == RV(0.0) && !isinf(x) && x != RV(0.0) && isinf(dy) && p.p1 != 0.0 ? dy * sg : r;
  return isnan(x) ? x + x : r;
}
#else

/* |x|^(bh + bl) = 2^k (m + ml) for finite x != 0 */
static inline realv pow_core(realv ax, realv bh, realv bl, intv *k, realv *ml) {
  realv ll;
  realv lh = clact_log_dd(ax, RV(0.0f), (intv)0, &ll);
  realv zh = bh * lh;
  realv zl = fma(bh, lh, -zh) + fma(bh, ll, bl * lh);
  zl = isinf(zh) ? RV(0.0f) : zl;
  return clact_exp_wide(zh, zl, k, ml);
}

/* x^b for the special x (0, inf): 0 or inf by the sign of b, negative for x < 0 and odd b */
static inline realv pow_special(realv x, realv b, intv odd) {
  realv ax = fabs(x);
  realv r = (ax == 0.0f) == (b > 0.0f) ? RV(0.0f) : RV(INFINITY);
  return odd ? copysign(r, x) : r;
}

static inline realv pow_fwd(realv x, clact_p p) {
  realv al = RV(p.p0), be = RV(p.p1);
  realv ab = fabs(be);
  intv isint = (ab >= 0x1p23f) | (((ab + 0x1p23f) - 0x1p23f) == ab);
  intv odd = isint & (ab < 0x1p24f) & ((CONVERT_INTV(ab < 0x1p24f ? ab : RV(0.0f)) & 1) != 0);
  realv ax = fabs(x);
  intv k;
  realv ml;
  realv m = pow_core(ax, be, RV(0.0f), &k, &ml);
  intv ea;
  realv am = clact_frexp(al, &ea);
  realv sam = (x < 0.0f) & odd ? -am : am;
  realv f = clact_ldexp_wide(fma(sam, m, sam * ml), k + ea);
  realv sp = al * pow_special(x, be, odd);
  f = (ax == 0.0f) | isinf(ax) ? sp : f;
  f = ((x < 0.0f) & !isint & !isinf(x)) ? RV(NAN) : f;
  f = be == 0.0f ? al : f;
  return isnan(x) ? x + x : f;
}

static inline realv pow_bwd(realv x, realv dy, clact_p p) {
  realv al = RV(p.p0), be = RV(p.p1);
  realv ab = fabs(be);
  intv isint = (ab >= 0x1p23f) | (((ab + 0x1p23f) - 0x1p23f) == ab);
  intv odd = isint & (ab < 0x1p24f) & ((CONVERT_INTV(ab < 0x1p24f ? ab : RV(0.0f)) & 1) != 0);
  intv odd1 = isint & !odd; /* beta - 1 odd (the real beta - 1: for even beta >= 2^24 too) */
  realv b1l;
  realv b1 = clact_two_sum(be, RV(-1.0f), &b1l);
  realv ax = fabs(x);
  intv k;
  realv ml;
  realv m = pow_core(ax, b1, b1l, &k, &ml);
  intv ea, eb;
  realv am = clact_frexp(al, &ea);
  realv bm = clact_frexp(be, &eb);
  realv cl;
  realv ch = clact_two_prod(am, bm, &cl); /* |alpha beta| = 2^(ea+eb) (ch + cl), signed */
  realv sg = (x < 0.0f) & odd1 ? RV(-1.0f) : RV(1.0f);
  realv g = sg * fma(ch, m, fma(ch, ml, cl * m));
  realv dx = clact_mul_scaled(dy, g, k + ea + eb);
  /* x = 0 or +-inf: x^(beta - 1) is 0, 1 or +-inf, times alpha beta (scaled: it may overflow
   * where dy times it does not) */
  realv sp = b1 == 0.0f ? RV(1.0f) : pow_special(x, b1, odd1);
  realv dsp = clact_mul_scaled(dy, ch * sp, ea + eb);
  dx = (ax == 0.0f) | isinf(ax) ? dsp : dx;
  dx = ((x < 0.0f) & !isint & !isinf(x)) ? RV(NAN) : dx;
  dx = be == 0.0f ? dy * 0.0f : dx; /* f = alpha, a constant */
  return isnan(x) ? x + x : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(pow)
