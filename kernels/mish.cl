/* kernels/mish.cl: mish: x tanh(softplus(x)); f' = tanh(sp) + x sigma(x) sech^2(sp). No kink;
 * f(-0) = -0 (x g(x)), f(-inf) = -0, f(+inf) = +inf, f'(-inf) = 0, f'(+inf) = 1.
 * With w = e^x: (1 + w)^2 = 1 + n, n = w (w + 2), so tanh(sp(x)) = n/(n + 2) and sech^2(sp) =
 * 4(n + 1)/(n + 2)^2, sigma = w/(1 + w); in e = e^-|x| = 2^k (m + ml) there is no cancellation:
 *   x < 0:  f = x 2^k m (2 + e)/(2 + e (2 + e))
 *           f' = 2^k m [(2 + e)(2 + n) + 4x(1 + e)]/(2 + n)^2,  n = e (2 + e)
 *   x >= 0: f = x (1 + 2e)/(1 + 2e + 2e^2)
 *           f' = [(1 + 2e)(1 + 2e + 2e^2) + 4x e^2 (1 + e)]/(1 + 2e + 2e^2)^2.
 * float32 forward: these forms with w = e^-|x| (x < 0 as pairs, x >= 0 plain), one quotient
 * corrected by its residual, the power of two last (no subnormal intermediate where the result
 * is normal; for x < -112 the result rounds to -0): see mish_fwd below. f' < 0 has its root at
 * x = -1.1924 inside the bracket of the x < 0 form, an exact-pair cancellation (the bound's M,
 * the sum of the magnitudes of the two terms, covers what remains). x >= 20: f = x
 * (1 - tanh(sp) < 2^-57). The float32 backward uses plain roundings instead (see mish_bwd). */
#if defined(CLACT_DTYPE_F64)
/* x < 0: w = e^x = m 2^k, n = w(w + 2): f = x n/(n + 2) = x m (w + 2)/(n + 2) 2^k,
 * f' = w[(w + 2)(n + 2) + 4x(1 + w)]/(n + 2)^2; x >= 0: e = e^-x: f = x(1 + 2e)/(1 + 2e + 2e^2),
 * f' = [(1 + 2e)(1 + 2e + 2e^2) + 4x e^2(1 + e)]/(1 + 2e + 2e^2)^2 */
static inline realv mish_fwd(realv x, clact_p p) {
  (void)p;
  realv k;
  realv m = clact_d_expk(-fabs(x), RV(0.0), &k);
  realv w = clact_d_ldexp(m, k);
  realv n = w * (w + RV(2.0));
  realv neg = clact_d_mul_pow2(x, (m * (w + RV(2.0))) / (n + RV(2.0)), k);
  realv c = fma(RV(2.0), w, RV(1.0));
  realv pos = (x * c) / fma(RV(2.0) * w, w, c);
  realv r = x < RV(0.0) ? neg : pos;
  r = isinf(x) ? (x > RV(0.0) ? x : RV(-0.0)) : r;
  return isnan(x) ? x + x : r;
}
static inline realv mish_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv k;
  realv m = clact_d_expk(-fabs(x), RV(0.0), &k);
  realv w = clact_d_ldexp(m, k);
  realv n = w * (w + RV(2.0));
  realv n2 = n + RV(2.0);
  realv xc = x < RV(-1.0e4) ? RV(-1.0e4) : x; /* (the result is 0 there: no overflow of 4x) */
  realv gn = (m * fma(w + RV(2.0), n2, RV(4.0) * xc * (RV(1.0) + w))) / (n2 * n2);
  realv neg = clact_d_mul_pow2(dy, gn, k);
  realv c = fma(RV(2.0), w, RV(1.0));
  realv d = fma(RV(2.0) * w, w, c);
  realv xe = x * w; /* x e (0 where e underflows) */
  realv gp = fma(c, d, RV(4.0) * xe * w * (RV(1.0) + w)) / (d * d);
  realv r = x < RV(0.0) ? neg : dy * gp;
  r = isinf(x) ? (x > RV(0.0) ? dy : dy * RV(0.0)) : r;
  return isnan(x) ? x + x : r;
}
#else
/* float: one exponential and one corrected quotient (bench/lab/fast/NOTES.md, 2026-11-30;
 * bench/lab/fast/mf.c variant 219 does these operations in the same order). mish(x) = x N/D:
 *   x < 0, w = e^x:   N = w (2 + w), D = 2 + N (N and D as pairs: N's product error and E's
 *                     rounding error kept, D's by Fast2Sum);
 *   x >= 0, w = e^-x: N = 1 + 2w, D = fma(2w, w, N) (plain: the quotient damps their errors).
 * e^-|x| = 2^k E, E = 1 + s (clact_exp_rt: r's rounding error kept, s rounded once), El = E's
 * rounding error,
 * w = 2^kb (E + El), kb = max(k, -40): below, w is invisible next to 2 and 1 and only scales N,
 * and no intermediate is subnormal. One reciprocal of Dh, the quotient q0 = Nh/Dh corrected once
 * by its exact residual and the low parts, x q rounded once (fma), 2^(k - kb) last for x < 0
 * (k - kb >= -122: x is clamped at -112, where the result already rounds to -0; subnormal
 * results are rounded twice, the first time at 24 bits). x >= 20: f = x (1 - tanh(sp) < 2^-57),
 * which also takes +inf; f(-0) = -0 by the last select. */
static inline realv mish_fwd(realv x, clact_p p) {
  (void)p;
  realv xc = x < -112.0f ? RV(-112.0f) : x;
  xc = xc > 112.0f ? RV(112.0f) : xc; /* (x >= 20 is selected away; keeps the reduction finite) */
  intv k;
  realv t;
  realv r = clact_exp_rt(-fabs(xc), RV(0.0f), &k, &t);
  realv s = r + t;
  realv E = 1.0f + s;
  realv El = (1.0f - E) + s; /* Fast2Sum */
  intv kb = k < -40 ? (intv)(-40) : k;
  realv pw = clact_pow2i(kb);
  realv w = pw * E, wl = pw * El;
  /* x < 0: N = w A, A = 2 + w (rounded), D = 2 + N */
  realv A = 2.0f + w;
  realv nh = w * A;
  realv nl = fma(w, A, -nh) + wl * A;
  realv dh = 2.0f + nh;
  realv dl = ((2.0f - dh) + nh) + nl; /* Fast2Sum (nh < 4) */
  /* x >= 0 */
  realv w2 = 2.0f * w;
  realv ph = 1.0f + w2;
  realv Ph = fma(w2, w, ph);
  intv neg = x < 0.0f;
  realv Nh = neg ? nh : ph, Nl = neg ? nl : RV(0.0f);
  realv Dh = neg ? dh : Ph, Dl = neg ? dl : RV(0.0f);
  realv rr = 1.0f / Dh;
  realv g0 = Nh * rr;
  realv res = fma(-g0, Dh, Nh); /* exact */
  res = fma(-g0, Dl, res + Nl);
  realv gc = res * rr;
  realv f = fma(xc, g0, xc * gc) * clact_pow2i(neg ? k - kb : (intv)0);
  f = x >= 20.0f ? x : f;
  return x == 0.0f ? x : f;
}

/* float: f' = [n (n + 2) + 4x w (1 + w)] / (n + 2)^2 with plain roundings (bench/lab/fast/sig.c
 * `mishb` variant 5 with the plain x >= 0 form: 1.84 units over every 256th pattern, 1.88 over
 * every 64th, bound 4). x < 0 (w = 2^kb E as in mish_fwd): E [A D + 4x (1 + w)] / D^2 times 2^k,
 * with A D = 4 + w (6 + w (4 + w)) and D^2 = 4 + w (8 + w (8 + w (4 + w))) as polynomials in w
 * (4 plus a small part: one rounding each, where the products of the rounded A and D took
 * three) and E's rounding error kept in the last product; x >= 0 (e = e^-x = w):
 * [N P + 4x e^2 (1 + e)] / P^2, N = 1 + 2e, P = N + 2e^2. The root of f' at x = -1.19 cancels
 * in the bracket: the bound's M covers it. */
static inline realv mish_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv xc = x < -200.0f ? RV(-200.0f) : x;
  xc = xc > 200.0f ? RV(200.0f) : xc;
  intv k;
  realv s = clact_exps(-fabs(xc), RV(0.0f), &k);
  realv e = 1.0f + s, el = (1.0f - e) + s; /* Fast2Sum */
  realv w = clact_pow2_60(k) * e;
  realv x4 = 4.0f * xc;
  /* x < 0 */
  realv ad = fma(w, fma(w, 4.0f + w, RV(6.0f)), RV(4.0f));
  realv d2 = fma(w, fma(w, fma(w, 4.0f + w, RV(8.0f)), RV(8.0f)), RV(4.0f));
  realv b = ad + fma(x4, w, x4);
  realv gn = fma(e, b, el * b) / d2;
  /* x >= 0 */
  realv n = fma(RV(2.0f), w, RV(1.0f));
  realv pp = fma(2.0f * w, w, n);
  realv bp = fma(n, pp, x4 * w * w * (1.0f + w));
  realv gp = bp / (pp * pp);
  realv dx = xc < 0.0f ? clact_mul_pow2(dy, gn, k) : dy * gp;
  return (isinf(x) && x < 0.0f) ? dy * 0.0f : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(mish)
