/* kernels/srelu.cl: srelu (S-shaped ReLU), parameters p0 = tl, p1 = tr (tl <= tr, |t| <= 1e18),
 * p2 = al, p3 = ar:
 *   f(x) = tl + al(x - tl) for x <= tl;  x for tl < x < tr;  tr + ar(x - tr) for x >= tr.
 * Kink convention (no PyTorch function: the branch the formula selects): f'(tl) = al,
 * f'(tr) = ar (at tl = tr the left branch). Signed zero: the middle branch passes x through
 * (f(-0) = -0 when tl < 0 < tr); an outer branch whose value is zero gives +0 (as relu does:
 * with the defaults f(±0) = +0). ±inf: the limit, al*x (or tl when al = 0), likewise right.
 * Accuracy: t + a(x - t) with x - t = d + dl (TwoSum), a d = ph + pl (TwoProduct),
 * t + ph = sh + se (TwoSum), then one rounding of sh + (se + pl + a dl). The bound |t| <= 1e18
 * keeps x - t finite for every finite x.
 * From y (al > 0 and ar > 0, f is then increasing): y <= tl <=> x <= tl and y >= tr <=> x >= tr,
 * so f' = y <= tl ? al : (y >= tr ? ar : 1). */
/* t + a(x - t) for a finite or infinite x (not NaN) */
static inline realv srelu_line(realv x, realv t, realv a) {
  realv dl, pl, se;
  realv d = clact_two_sum(x, -t, &dl);  /* x - t = d + dl */
  realv ph = clact_two_prod(a, d, &pl); /* a d = ph + pl */
  realv sh = clact_two_sum(t, ph, &se); /* t + ph = sh + se */
  realv r = sh + ((se + pl) + a * dl);
  r = a == RV(0.0f) ? t : (isinf(ph) ? ph : r);
  return r == RV(0.0f) ? RV(0.0f) : r;
}
static inline realv srelu_fwd(realv x, clact_p p) {
  realv left = srelu_line(x, RV(p.p0), RV(p.p2));
  realv right = srelu_line(x, RV(p.p1), RV(p.p3));
  realv r = x <= RV(p.p0) ? left : (x >= RV(p.p1) ? right : x);
  return isnan(x) ? x + x : r;
}
static inline realv srelu_bwd(realv x, realv dy, clact_p p) {
  realv d = x <= RV(p.p0) ? RV(p.p2) : (x >= RV(p.p1) ? RV(p.p3) : RV(1.0f));
  return dy * (isnan(x) ? x + x : d);
}
static inline realv srelu_bwd_y(realv y, realv dy, clact_p p) {
  return srelu_bwd(y, dy, p);
}
CLACT_ELEMENTWISE(srelu)
CLACT_ELEMENTWISE_FROM_Y(srelu)
