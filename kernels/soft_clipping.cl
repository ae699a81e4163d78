/* kernels/soft_clipping.cl: soft_clipping, alpha = p0 in (0, 80]:
 * f = (1/alpha) ln((1 + e^(alpha x))/(1 + e^(alpha (x - 1)))); f' = sigma(alpha x) -
 * sigma(alpha (x - 1)). No kink; f(-inf) = +0, f(+inf) = 1, f'(+-inf) = 0. alpha <= 80 keeps
 * e^alpha a float.
 * The difference of two softplus values cancels (f -> 1 for large x, both tiny for x -> -inf), so
 * with z = alpha (x - 1) (an exact pair: x - 1 by TwoSum, times alpha by TwoProduct) and
 * E = e^alpha - 1, (1 + e^(z+alpha))/(1 + e^z) = 1 + sigma(z) E gives
 *   z <= 0:  f = log1p(sigma(z) E)/alpha
 *   z > 0:   f = 1 - log1p(v)/alpha,  v = (1 - e^-alpha) e^-z / (1 + e^-(z + alpha))
 * with sigma(z), E, v as pairs scaled by powers of two (no subnormal intermediate), log1p of a
 * pair by the prelude's log (u < 2^-20: u - u^2/2, scaled), one final rounding: ~1 ulp.
 * Backward, in the same e = e^-|z| = 2^k (m + ml), A = e^alpha (no cancellation):
 *   z <= 0: f' = E e/((1 + e)(1 + e A)),   z > 0: f' = E e/((e + 1)(e + A)),
 * dy applied before the power of two (clact_mul_scaled). */
#if defined(CLACT_DTYPE_F64)
/* z = alpha (x - 1) as a pair (an error delta in z costs |z| delta relative where f is small);
 * z <= 0 (e = e^z = m 2^k): log1p(sigma(z) E)/alpha, E = expm1(alpha), where sigma E < 2^-30
 * m E/((1 + e) alpha) (1 - s/2) 2^k; z > 0: 1 - log1p(v)/alpha, v = -expm1(-alpha) e^-z/(1 +
 * e^-(z + alpha)). f' = E e/((1 + e)(1 + e A)) (z <= 0), E e/((e + 1)(e + A)) (z > 0, e = e^-z),
 * A = e^alpha. */
static inline realv soft_clipping_z(realv x, realv al, realv *zl) {
  realv dl, pl;
  realv d = clact_two_sum(x, RV(-1.0), &dl);
  realv zh = clact_two_prod(al, d, &pl);
  *zl = fma(al, dl, pl);
  *zl = isinf(zh) ? RV(0.0) : *zl;
  return zh;
}
static inline realv soft_clipping_fwd(realv x, clact_p p) {
  realv al = RV(p.p0);
  realv zl;
  realv zh = soft_clipping_z(x, al, &zl);
  realv E = expm1(al);
  realv k;
  realv m = clact_d_expk(-fabs(zh), zh <= RV(0.0) ? zl : -zl, &k);
  realv e = clact_d_ldexp(m, k);
  realv s = (e / (RV(1.0) + e)) * E;
  realv tiny = clact_d_ldexp(((m * E) / ((RV(1.0) + e) * al)) * fma(RV(-0.5), s, RV(1.0)), k);
  realv neg = s < RV(0x1p-30) ? tiny : log1p(s) / al;
  realv v = (-expm1(-al) * e) / (RV(1.0) + e * exp(-al));
  realv pos = RV(1.0) - log1p(v) / al;
  realv r = zh <= RV(0.0) ? neg : pos;
  r = isinf(x) ? (x > RV(0.0) ? RV(1.0) : RV(0.0)) : r;
  return isnan(x) ? x + x : r;
}
static inline realv soft_clipping_bwd(realv x, realv dy, clact_p p) {
  realv al = RV(p.p0);
  realv zl;
  realv zh = soft_clipping_z(x, al, &zl);
  realv E = expm1(al), A = exp(al);
  realv k;
  realv m = clact_d_expk(-fabs(zh), zh <= RV(0.0) ? zl : -zl, &k);
  realv e = clact_d_ldexp(m, k);
  realv den = zh <= RV(0.0) ? (RV(1.0) + e) * fma(e, A, RV(1.0)) : (e + RV(1.0)) * (e + A);
  realv dx = clact_d_mul_pow2(dy, (E * m) / den, k);
  dx = isinf(x) ? dy * RV(0.0) : dx;
  return isnan(x) ? x + x : dx;
}
#else

/* log1p(2^ku (uh + ul)) = 2^*kk (hi + *lo) for a positive pair (or +0): for u < 2^-20,
 * u - u^2/2 with kk = ku (the next term is below 2^-40 of it; no subnormal u is formed), else the
 * log of the pair 1 + u (kk = 0). */
static inline realv sc_log1p(realv uh, realv ul, intv ku, realv *lo, intv *kk) {
  realv u = clact_ldexp_wide(uh, ku);
  realv ue = clact_ldexp_wide(ul, ku);
  realv we;
  realv wh = clact_two_sum(RV(1.0f), u, &we);
  realv ll;
  realv lh = clact_log_dd(wh, we + ue, (intv)0, &ll);
  intv tiny = u < 0x1p-20f;
  *lo = tiny ? fma(-0.5f * uh, u, ul) : ll;
  *kk = tiny ? ku : (intv)0;
  return tiny ? uh : lh;
}

/* z = alpha (x - 1) as an exact pair */
static inline realv sc_z(realv x, realv al, realv *zl) {
  realv ve;
  realv vh = clact_two_sum(x, RV(-1.0f), &ve);
  realv l;
  realv zh = clact_scaled_pair(vh, al, &l);
  *zl = isinf(zh) ? RV(0.0f) : fma(al, ve, l);
  return zh;
}

/* Both sides are log1p(N e/(1 + e B)) with e = e^-|z| = 2^k (m + ml): z <= 0: N = E = expm1(alpha),
 * B = 1; z > 0: N = C = -expm1(-alpha), B = e^-alpha = 1 - C; so one expm1 (of +-alpha), one exp,
 * one quotient and one log serve every lane. */
static inline realv soft_clipping_fwd(realv x, clact_p p) {
  realv al = RV(p.p0);
  realv zl;
  realv zh = sc_z(x, al, &zl);
  intv pos = zh > 0.0f;
  intv k;
  realv ml;
  realv m = clact_exp_wide(pos ? -zh : zh, pos ? -zl : zl, &k, &ml);
  intv s;
  realv nl;
  realv nh = clact_expm1_scaled(pos ? -al : al, RV(0.0f), &s, &nl); /* s = 0 for -alpha */
  nh = pos ? -nh : nh;
  nl = pos ? -nl : nl;
  realv bl0;
  realv bh = clact_two_sum(RV(1.0f), -nh, &bl0); /* e^-alpha = 1 - C (pos only) */
  realv bl = bl0 - nl;
  bh = pos ? bh : RV(1.0f);
  bl = pos ? bl : RV(0.0f);
  realv pl;
  realv ph = clact_two_prod(m, bh, &pl);
  pl = pl + fma(m, bl, ml * bh); /* e B = 2^k (ph + pl) */
  realv dl;
  realv dh = clact_one_plus(ph, pl, k, &dl);
  realv ql;
  realv qh = clact_two_prod(m, nh, &ql);
  ql = ql + fma(m, nl, ml * nh);
  realv q = clact_div_dd(qh, ql, dh, dl);
  realv r = fma(-q, dh, qh);
  realv qe = fma(-q, dl, r + ql) / dh;
  realv lo;
  intv kk;
  realv l = sc_log1p(q, qe, k + s, &lo, &kk);
  realv t = clact_ldexp_wide(clact_div_dd(l, lo, al, RV(0.0f)), kk);
  realv f = pos ? 1.0f - t : t;
  return x == INFINITY ? RV(1.0f) : f;
}

static inline realv soft_clipping_bwd(realv x, realv dy, clact_p p) {
  realv al = RV(p.p0);
  realv zl;
  realv zh = sc_z(x, al, &zl);
  realv hi = zh > 0.0f ? -zh : zh;
  realv lo = zh > 0.0f ? -zl : zl;
  intv k;
  realv ml;
  realv m = clact_exp_wide(hi, lo, &k, &ml); /* down to e^-310: E e can be e^-144 at z = -224 */
  intv s;
  realv el;
  realv eh = clact_expm1_scaled(al, RV(0.0f), &s, &el);
  realv e1 = clact_ldexp(eh + el, s); /* E */
  realv a = e1 + 1.0f;                /* A = e^alpha */
  realv ev = m * clact_pow2_60(k);    /* e, where visible next to 1 */
  realv ea = clact_ldexp_wide((m + ml) * a, k);
  realv den = zh > 0.0f ? (ev + 1.0f) * (ev + a) : (1.0f + ev) * (1.0f + ea);
  realv g = ((m + ml) * e1) / den;
  realv dx = clact_mul_scaled(dy, g, k);
  return isinf(x) ? dy * 0.0f : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(soft_clipping)
