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
CLACT_ELEMENTWISE(smht)
