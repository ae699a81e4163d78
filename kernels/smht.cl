/* kernels/smht.cl: smht (Soboleva's modified tanh), a, b, c, d = p0..p3 in [0, 1e18]:
 * f = (e^(ax) - e^(-bx))/(e^(cx) + e^(-dx)); a = b = c = d = 1 is tanh. No kink; f(+-0) = +-0 (f is
 * (a + b) x/2 to first order: the sign of x); the limits at +-inf follow from the forms below
 * (+-inf, a constant, or +-0 depending on the parameters).
 * Overflow: every exponential is taken of the exponent of a final term, never of a piece that
 * overflows while the quotient does not. With u = cx the larger exponent of the denominator for
 * x >= 0 (u = -dx for x < 0), w1 = (a + b) x, w3 = -|(c + d) x|:
 *   w1 <= 40:  f = expm1(w1) e^(-bx - u) / (1 + e^w3)     (no cancellation near 0)
 *   w1 > 40:   f = e^(ax - u) / (1 + e^w3)                 (the -e^(-w1) is below 2^-57)
 * where ax - u = (a - c) x and -bx - u = -(b + c) x or (d - b) x. Each combination of parameters is
 * an exact pair (TwoSum), times x an exact pair (TwoProduct), so the exponents are right to
 * ~2^-48 relative; one pair quotient, scaled last: ~0.6 ulp.
 * Backward, by the quotient rule expanded (no cancellation for tanh's parameters):
 *   f' (e^(cx) + e^(-dx))^2 = (a-c) e^((a+c)x) + (a+d) e^((a-d)x)
 *                             + (b+c) e^((c-b)x) + (b-d) e^(-(b+d)x),
 * each term divided by e^(2u) in its exponent z_i (again a parameter pair times x); with zm the
 * largest z_i of a nonzero coefficient, f' = e^zm sum k_i e^(z_i - zm) / (1 + e^w3)^2: the
 * differences are pairs (<= 0), the sum is formed before e^zm, and dy is applied before its power
 * of two (clact_mul_scaled), so the sign of an underflowing f' is the dominant term's. Terms of
 * opposite signs may cancel; the bound's M is the sum of their magnitudes. e^zm is clamped at
 * e^199.9 (clact_exp_wide): beyond, f' times any nonzero dy overflows unless the sum is below
 * 2^-10 (a parameter difference that small; dx then comes out finite). */
#if defined(CLACT_DTYPE_F64)
/* smht(a, b, c, d) = (e^(ax) - e^(-bx))/(e^(cx) + e^(-dx)). Each exponent q x is formed as a
 * pair (q = a + b etc. as an exact sum, then the product), since an error delta in an exponent
 * costs |q x| delta relative. f = F e^X/(1 + e^w3) (reference.c's factoring): w1 = (a+b)x,
 * w3 = -(c+d)|x|, F = expm1(w1) and X = -(b+c)x (x > 0) or (d-b)x (x < 0), or for w1 > 40
 * F = -expm1(-w1), X = (a-c)x. f' (e^(cx) + e^(-dx))^2 = sum of k_i e^(q_i x), each exponent
 * lowered by 2u (u = cx for x >= 0, -dx below); the terms are summed at the largest one's
 * power of two. */
static inline realv smht_qx(real q1, real q2, realv x, realv *lo) {
  real qe;
  real qs = q1 + q2;
  real bb = qs - q1;
  qe = (q1 - (qs - bb)) + (q2 - bb); /* q1 + q2 = qs + qe */
  realv pl;
  realv h = clact_two_prod(RV(qs), x, &pl);
  *lo = fma(RV(qe), x, pl);
  *lo = isinf(h) || isnan(*lo) ? RV(0.0) : *lo;
  h = qs == 0.0 && qe == 0.0 ? RV(0.0) : h;
  *lo = qs == 0.0 && qe == 0.0 ? RV(0.0) : *lo;
  return h;
}
static inline realv smht_fwd(realv x, clact_p p) {
  real a = p.p0, b = p.p1, c = p.p2, d = p.p3;
  realv w1l, w3l, xpl, xnl, xbl;
  realv w1 = smht_qx(a, b, x, &w1l);
  realv w3 = smht_qx(-c, -d, fabs(x), &w3l);
  realv xp = smht_qx(-b, -c, x, &xpl);
  realv xn = smht_qx(d, -b, x, &xnl);
  realv xb = smht_qx(a, -c, x, &xbl);
  intv hi = w1 > RV(40.0);
  realv F = hi ? -(fma(-w1l, exp(-w1), expm1(-w1))) : fma(w1l, exp(w1), expm1(w1));
  realv X = hi ? xb : (x > RV(0.0) ? xp : xn);
  realv Xl = hi ? xbl : (x > RV(0.0) ? xpl : xnl);
  realv k;
  realv m = clact_d_expk(X, Xl, &k);
  realv e3 = exp(w3);
  realv r = clact_d_mul_pow2(F, m / (RV(1.0) + e3), k);
  realv sx = x > RV(0.0) ? RV(1.0) : RV(-1.0);
  /* +-inf: the limit is the sign of the dominant term times inf, 0 or a constant: evaluate at
   * a large finite stand-in (the exponents then saturate as the limit does) */
  return isnan(x) || x == RV(0.0) ? x : r;
}
static inline realv smht_bwd(realv x, realv dy, clact_p p) {
  real a = p.p0, b = p.p1, c = p.p2, d = p.p3;
  intv pos = x >= RV(0.0);
  /* (each branch its own low part: both are evaluated) */
  realv p0, p1, p2, p3, n0, n1, n2, n3;
  realv z0p = smht_qx(a, -c, x, &p0), z0n = smht_qx(a + c, 2.0 * d, x, &n0);
  realv z1p = smht_qx(a - d, -2.0 * c, x, &p1), z1n = smht_qx(a, d, x, &n1);
  realv z2p = smht_qx(-b, -c, x, &p2), z2n = smht_qx(c - b, 2.0 * d, x, &n2);
  realv z3p = smht_qx(-(b + d), -2.0 * c, x, &p3), z3n = smht_qx(d, -b, x, &n3);
  realv z0 = pos ? z0p : z0n, l0 = pos ? p0 : n0;
  realv z1 = pos ? z1p : z1n, l1 = pos ? p1 : n1;
  realv z2 = pos ? z2p : z2n, l2 = pos ? p2 : n2;
  realv z3 = pos ? z3p : z3n, l3 = pos ? p3 : n3;
  real k0 = a - c, k1 = a + d, k2 = b + c, k3 = b - d;
  realv e0, e1, e2, e3;
  realv m0 = clact_d_expk(z0, l0, &e0);
  realv m1 = clact_d_expk(z1, l1, &e1);
  realv m2 = clact_d_expk(z2, l2, &e2);
  realv m3 = clact_d_expk(z3, l3, &e3);
  /* zero coefficients drop out (their exponent must not set the scale) */
  e0 = k0 == 0.0 ? RV(-1.0e9) : e0;
  e1 = k1 == 0.0 ? RV(-1.0e9) : e1;
  e2 = k2 == 0.0 ? RV(-1.0e9) : e2;
  e3 = k3 == 0.0 ? RV(-1.0e9) : e3;
  realv K = fmax(fmax(e0, e1), fmax(e2, e3));
  realv s = RV(k0) * clact_d_ldexp(m0, e0 - K) + RV(k1) * clact_d_ldexp(m1, e1 - K);
  s = s + (RV(k2) * clact_d_ldexp(m2, e2 - K) + RV(k3) * clact_d_ldexp(m3, e3 - K));
  realv w3l;
  realv w3 = smht_qx(-c, -d, fabs(x), &w3l);
  realv den = RV(1.0) + exp(w3);
  realv dx = clact_d_mul_pow2(dy, s / (den * den), K);
  /* every term below the doubles (finite x): the sign of the largest one */
  realv best = RV(-INFINITY), sg = RV(1.0);
  best = k0 != 0.0 && z0 > best ? z0 : best;
  sg = k0 != 0.0 && z0 >= best ? RV(k0 > 0.0 ? 1.0 : -1.0) : sg;
  best = k1 != 0.0 && z1 > best ? z1 : best;
  sg = k1 != 0.0 && z1 >= best ? RV(k1 > 0.0 ? 1.0 : -1.0) : sg;
  best = k2 != 0.0 && z2 > best ? z2 : best;
  sg = k2 != 0.0 && z2 >= best ? RV(k2 > 0.0 ? 1.0 : -1.0) : sg;
  best = k3 != 0.0 && z3 > best ? z3 : best;
  sg = k3 != 0.0 && z3 >= best ? RV(k3 > 0.0 ? 1.0 : -1.0) : sg;
  realv under = isinf(dy) ? dy * sg : (dy * sg) * RV(0.0);
  dx = best < RV(-1500.0) && !isinf(x) ? under : dx;
  /* x = +-inf: the limit as reference.c takes it, sum k_i e^(q_i x) / den^2 with exact 0/inf */
  realv sinf = (RV(k0) * exp(z0) + RV(k1) * exp(z1)) + (RV(k2) * exp(z2) + RV(k3) * exp(z3));
  dx = isinf(x) ? dy * (sinf / (den * den)) : dx;
  return isnan(x) ? x + x : dx;
}
#else

/* p x as an exact pair for a parameter pair p = ph + pl (0 where p is 0, even for infinite x). */
static inline realv smht_mul(realv ph, realv pl, realv x, realv *zl) {
  realv zh = ph * x;
  realv l = fma(ph, x, -zh) + pl * x;
  intv zero = ph == 0.0f;
  *zl = zero | isinf(zh) ? RV(0.0f) : l;
  return zero ? RV(0.0f) : zh;
}

/* s1 + s2 + s3 (floats) as a pair, exact to a rounding of the tails */
static inline realv smht_sum3(realv s1, realv s2, realv s3, realv *l) {
  realv e1, e2;
  realv h = clact_two_sum(s1, s2, &e1);
  h = clact_two_sum(h, s3, &e2);
  *l = e1 + e2;
  return h;
}

/* k e^(z - zm) for pairs z, zm with z <= zm (0 for k = 0) */
static inline realv smht_term(realv k, realv zh, realv zl, realv mh, realv ml) {
  realv e;
  realv dh = clact_two_sum(zh, -mh, &e);
  realv dl = e + (zl - ml);
  dh = isnan(dh) ? RV(0.0f) : dh; /* equal infinite exponents */
  dl = isnan(dl) | isinf(dh) ? RV(0.0f) : dl;
  intv kk;
  realv m1;
  realv m = clact_exp_dd(dh, dl, &kk, &m1);
  return k == 0.0f ? RV(0.0f) : clact_ldexp(k * (m + m1), kk);
}

static inline realv smht_fwd(realv x, clact_p p) {
  realv a = RV(p.p0), b = RV(p.p1), c = RV(p.p2), d = RV(p.p3);
  intv pos = x >= 0.0f;
  realv l1, l2, l3;
  realv p1 = smht_sum3(a, b, RV(0.0f), &l1);
  realv p2 = smht_sum3(pos ? -b : d, pos ? -c : -b, RV(0.0f), &l2); /* -(b+c) or d-b */
  realv p3 = smht_sum3(a, -c, RV(0.0f), &l3);
  realv w1l, xl, w3l;
  realv w1 = smht_mul(p1, l1, x, &w1l);
  intv big = w1 > 40.0f;
  realv xh = smht_mul(big ? p3 : p2, big ? l3 : l2, x, &xl);
  realv c4l;
  realv c4 = smht_sum3(c, d, RV(0.0f), &c4l);
  realv w3 = smht_mul(c4, c4l, -fabs(x), &w3l);
  /* numerator F e^X */
  intv s;
  realv fl;
  realv fh = clact_expm1_scaled(big ? RV(0.0f) : w1, big ? RV(0.0f) : w1l, &s, &fl);
  fh = big ? RV(1.0f) : fh;
  fl = big ? RV(0.0f) : fl;
  intv k;
  realv ml;
  realv m = clact_exp_wide(xh, xl, &k, &ml);
  realv nl;
  realv nh = clact_two_prod(fh, m, &nl);
  nl = nl + fma(fh, ml, fl * m);
  /* denominator 1 + e^w3 */
  intv k3;
  realv m3l;
  realv m3 = clact_exp_dd(w3, w3l, &k3, &m3l);
  realv dl;
  realv dh = clact_one_plus(m3, m3l, k3, &dl);
  realv f = clact_ldexp_wide(clact_div_dd(nh, nl, dh, dl), k);
  return x == 0.0f ? x : f;
}

static inline realv smht_bwd(realv x, realv dy, clact_p p) {
  realv a = RV(p.p0), b = RV(p.p1), c = RV(p.p2), d = RV(p.p3);
  intv pos = x >= 0.0f;
  /* exponent coefficients Q_i (after dividing by e^(2u)) and the coefficients K_i */
  realv q1l, q2l, q3l, q4l;
  /* (the arguments are selected, not the calls: a vector ?: evaluates both sides) */
  realv q1 = smht_sum3(a, pos ? -c : c, pos ? RV(0.0f) : 2.0f * d, &q1l);
  realv q2 = smht_sum3(a, pos ? -d : d, pos ? -2.0f * c : RV(0.0f), &q2l);
  realv q3 = smht_sum3(pos ? -b : c, pos ? -c : -b, pos ? RV(0.0f) : 2.0f * d, &q3l);
  realv q4 = smht_sum3(pos ? -b : d, pos ? -d : -b, pos ? -2.0f * c : RV(0.0f), &q4l);
  realv k1 = a - c, k2 = a + d, k3 = b + c, k4 = b - d;
  realv z1l, z2l, z3l, z4l;
  realv z1 = smht_mul(q1, q1l, x, &z1l);
  realv z2 = smht_mul(q2, q2l, x, &z2l);
  realv z3 = smht_mul(q3, q3l, x, &z3l);
  realv z4 = smht_mul(q4, q4l, x, &z4l);
  /* the largest exponent among the terms with a nonzero coefficient, the terms as
   * e^(z_i - zmax) (pair differences, <= 0: no clamp can reorder them), the sum scaled by
   * e^zmax at the end (its clamps only move a result that under- or overflows anyway) */
  realv n1 = k1 == 0.0f ? RV(-INFINITY) : z1, n2 = k2 == 0.0f ? RV(-INFINITY) : z2;
  realv n3 = k3 == 0.0f ? RV(-INFINITY) : z3, n4 = k4 == 0.0f ? RV(-INFINITY) : z4;
  intv c12 = n1 > n2, c34 = n3 > n4;
  realv nm = c12 ? n1 : n2, ml12 = c12 ? z1l : z2l;
  realv nm2 = c34 ? n3 : n4, ml34 = c34 ? z3l : z4l;
  intv cm = nm > nm2;
  realv zm = cm ? nm : nm2;
  realv zml = cm ? ml12 : ml34;
  intv none = (k1 == 0.0f) & (k2 == 0.0f) & (k3 == 0.0f) & (k4 == 0.0f);
  zml = none | isinf(zm) ? RV(0.0f) : zml;
  zm = none ? RV(0.0f) : zm;
  /* terms with a zero coefficient (a = c or b = d, tanh's) are skipped: the coefficients are
   * kernel arguments, so these are uniform branches */
  realv sum = RV(0.0f);
  if (p.p0 - p.p2 != 0.0f)
    sum = sum + smht_term(k1, z1, z1l, zm, zml);
  if (p.p0 + p.p3 != 0.0f)
    sum = sum + smht_term(k2, z2, z2l, zm, zml);
  if (p.p1 + p.p2 != 0.0f)
    sum = sum + smht_term(k3, z3, z3l, zm, zml);
  if (p.p1 - p.p3 != 0.0f)
    sum = sum + smht_term(k4, z4, z4l, zm, zml);
  intv kr;
  realv mrl;
  realv mr = clact_exp_wide(zm, zml, &kr, &mrl);
  /* (1 + e^w3)^2 */
  realv c4l, w3l;
  realv c4 = smht_sum3(c, d, RV(0.0f), &c4l);
  realv w3 = smht_mul(c4, c4l, -fabs(x), &w3l);
  intv kd;
  realv mdl;
  realv md = clact_exp_dd(w3, w3l, &kd, &mdl);
  realv dl;
  realv dh = clact_one_plus(md, mdl, kd, &dl);
  realv d2l;
  realv d2 = clact_two_prod(dh, dh, &d2l);
  d2l = fma(2.0f * dh, dl, d2l);
  realv g = clact_div_dd(sum, RV(0.0f), d2, d2l);
  g = fma(g, mr, g * mrl);
  realv dx = clact_mul_scaled(dy, g, kr);
  return isinf(x) ? dy * clact_ldexp_wide(g, kr) : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(smht)
