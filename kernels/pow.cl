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
CLACT_ELEMENTWISE(pow)
