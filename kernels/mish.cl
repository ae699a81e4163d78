/* kernels/mish.cl: mish: x tanh(softplus(x)); f' = tanh(sp) + x sigma(x) sech^2(sp). No kink;
 * f(-0) = -0 (x g(x)), f(-inf) = -0, f(+inf) = +inf, f'(-inf) = 0, f'(+inf) = 1.
 * With w = e^x: (1 + w)^2 = 1 + n, n = w (w + 2), so tanh(sp(x)) = n/(n + 2) and sech^2(sp) =
 * 4(n + 1)/(n + 2)^2, sigma = w/(1 + w); in e = e^-|x| = 2^k (m + ml) there is no cancellation:
 *   x < 0:  f = x 2^k m (2 + e)/(2 + e (2 + e))
 *           f' = 2^k m [(2 + e)(2 + n) + 4x(1 + e)]/(2 + n)^2,  n = e (2 + e)
 *   x >= 0: f = x (1 + 2e)/(1 + 2e + 2e^2)
 *           f' = [(1 + 2e)(1 + 2e + 2e^2) + 4x e^2 (1 + e)]/(1 + 2e + 2e^2)^2.
 * Every sum and product is a pair, one pair quotient at the end, the power of two last (no
 * subnormal intermediate for x < -87; for x < -200 the result is -0 or below a float). f' < 0
 * has its root at x = -1.1924 inside the bracket of the x < 0 form, an exact-pair cancellation
 * (the bound's M, the sum of the magnitudes of the two terms, covers what remains). x >= 20: f = x
 * (1 - tanh(sp) < 2^-57). */
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
/* float: g = tanh(sp(x)) as one corrected quotient of pairs, N/D = q0 + c, and f = x g rounded
 * once (bench/lab/fast/sig.c `mishf` variant 6: 1.01 ulp over every 256th pattern, against
 * 3.24 for plain roundings). E = 1 + s exactly as a pair (e^-|x| = 2^k E, clact_exps), w = 2^kb E
 * with kb = max(k, -60) (below, w is invisible next to 2 and 1):
 *   x < 0:  g 2^-k = E A / (w A + 2), A = 2 + w;  f = x g, the 2^k applied last
 *   x >= 0: g = (1 + 2w) / (1 + 2w + 2w^2);  x >= 20: f = x. */
static inline realv mish_fwd(realv x, clact_p p) {
  (void)p;
  realv xc = x < -200.0f ? RV(-200.0f) : x;
  intv k;
  realv s = clact_exps(-fabs(xc), RV(0.0f), &k);
  realv eh = 1.0f + s, el = (1.0f - eh) + s; /* Fast2Sum, |s| < 1 */
  realv pb = clact_pow2_60(k);
  realv w = pb * eh, wl = pb * el;
  /* x < 0: N = E A, D = 2 + w A (Fast2Sums: 2 >= w, and 2 >= w A's exponent) */
  realv ah = 2.0f + w, al = ((2.0f - ah) + w) + wl;
  realv nh = eh * ah, nl = fma(eh, ah, -nh) + fma(eh, al, el * ah);
  realv wah = w * ah, wal = fma(w, ah, -wah) + fma(w, al, wl * ah);
  realv dh = 2.0f + wah, dl = ((2.0f - dh) + wah) + wal;
  /* x >= 0: N = 1 + 2w, D = N + 2w^2 */
  realv pe;
  realv ph = clact_two_sum(RV(1.0f), 2.0f * w, &pe);
  realv pl = pe + 2.0f * wl;
  realv qh = (2.0f * w) * w, ql = fma(2.0f * w, w, -qh) + 4.0f * w * wl;
  realv qe;
  realv Dh = clact_two_sum(ph, qh, &qe);
  realv Dl = qe + (pl + ql);
  intv neg = x < 0.0f;
  realv Nh = neg ? nh : ph, Nl = neg ? nl : pl;
  Dh = neg ? dh : Dh;
  Dl = neg ? dl : Dl;
  realv r = 1.0f / Dh;
  realv q0 = Nh * r;
  realv res = fma(-q0, Dh, Nh); /* exact */
  res = fma(-q0, Dl, res + Nl);
  realv c = res * r;
  /* x g 2^k: x 2^ka exact (ka >= -64), one rounding, then 2^(k - ka) (subnormal results) */
  intv ka = neg ? (k < -64 ? (intv)(-64) : k) : (intv)0;
  realv xs = xc * clact_pow2i(ka);
  realv f = clact_ldexp(fma(xs, q0, xs * c), neg ? k - ka : (intv)0);
  f = x >= 20.0f ? x : f;
  return x == 0.0f ? x : f;
}

static inline realv mish_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv xc = x < -200.0f ? RV(-200.0f) : x;
  xc = xc > 200.0f ? RV(200.0f) : xc;
  intv k;
  realv ml;
  realv m = clact_exp_dd(-fabs(xc), RV(0.0f), &k, &ml);
  realv pv = clact_pow2_60(k);
  realv eh = m * pv, el = ml * pv;
  /* x < 0: A = 2 + e, n = e A, D = 2 + n, B = A D + 4x (1 + e); g = m B / D^2 (times 2^k) */
  realv ae;
  realv ah = clact_two_sum(RV(2.0f), eh, &ae);
  realv al = ae + el;
  realv nl;
  realv nh = clact_two_prod(eh, ah, &nl);
  nl = nl + fma(eh, al, el * ah);
  realv de;
  realv dh = clact_two_sum(RV(2.0f), nh, &de);
  realv dl = de + nl;
  realv adl;
  realv adh = clact_two_prod(ah, dh, &adl);
  adl = adl + fma(ah, dl, al * dh); /* A D */
  realv oe;
  realv oh = clact_two_sum(RV(1.0f), eh, &oe);
  realv ol = oe + el; /* 1 + e */
  realv x4 = 4.0f * xc;
  realv tl;
  realv th = clact_two_prod(x4, oh, &tl);
  tl = fma(x4, ol, tl); /* 4x (1 + e) */
  realv se;
  realv sh = clact_two_sum(adh, th, &se);
  realv sl = se + (adl + tl); /* B */
  realv bl;
  realv bh = clact_two_prod(m, sh, &bl);
  bl = bl + fma(m, sl, ml * sh); /* m B */
  realv d2l;
  realv d2 = clact_two_prod(dh, dh, &d2l);
  d2l = fma(2.0f * dh, dl, d2l);
  realv gneg = clact_div_dd(bh, bl, d2, d2l);
  realv dneg = clact_mul_pow2(dy, gneg, k);
  dneg = isinf(x) ? dy * 0.0f : dneg;
  /* x >= 0: C = 1 + 2e, E = C + 2e^2, g = (C E + 4x e^2 (1 + e)) / E^2 */
  realv ce;
  realv chh = clact_two_sum(RV(1.0f), 2.0f * eh, &ce);
  realv cll = ce + 2.0f * el;
  realv ql;
  realv qh = clact_two_prod(eh, eh, &ql);
  ql = fma(2.0f * eh, el, ql); /* e^2 */
  realv ee;
  realv eeh = clact_two_sum(chh, 2.0f * qh, &ee);
  realv eel = ee + (cll + 2.0f * ql);
  realv cel;
  realv ceh = clact_two_prod(chh, eeh, &cel);
  cel = cel + fma(chh, eel, cll * eeh); /* C E */
  realv w = (x4 * qh) * (oh + ol);      /* 4x e^2 (1 + e): at most 2^-24 of C E above x = 9 */
  realv pe;
  realv ph = clact_two_sum(ceh, w, &pe);
  realv pl = pe + cel;
  realv e2l;
  realv e2 = clact_two_prod(eeh, eeh, &e2l);
  e2l = fma(2.0f * eeh, eel, e2l);
  realv dpos = dy * clact_div_dd(ph, pl, e2, e2l);
  return x < 0.0f ? dneg : dpos;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(mish)
