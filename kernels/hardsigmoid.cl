/* kernels/hardsigmoid.cl: hardsigmoid f(x) = max(0, min(1, αx + β)) (p0 = α > 0, p1 = β;
 * PyTorch's α = 1/6, β = 1/2 as float32, so the corners are where the exact αx + β crosses 0
 * and 1, next to ±3). NaN in -> quiet NaN out; f(-inf) = +0, f(+inf) = 1; zeros are +0.
 * Forward: z = fma(α, x, β) = RN(αx + β), clamped: clamping commutes with rounding, so the
 * result is correctly rounded whatever side of a corner the exact value lies.
 * Kink convention (PyTorch: α strictly inside, else 0): f' = α where 0 < αx + β < 1 on the exact
 * value. z decides wherever it is not exactly 0 or 1; there the sign of αx + β - k is
 * recomputed exactly (hardsigmoid_side0/1 below), so no rounding of αx + β moves a corner.
 * The bounds α <= 1e18, |β| <= 1e18 keep those recomputations (and hardswish's 2α) finite.
 * From y: 0 < y < 1 ? α : 0 (a y rounded to exactly 0 or 1 reads as outside). */
/* Values whose sign (zero included) is that of αx + β - k, for the x where RN(αx + β) == k.
 * k = 0: the same fma on α 2^64 and β 2^64 (exact scalings: α, |β| <= 1e18), whose result is
 * nonzero whenever αx + β is (a nonzero αx + β is at least 2^-195 when β != 0); for β = 0 the
 * sign of αx is that of x. k = 1: αx = ph + pl (TwoProduct), β - 1 = c + ce (TwoSum), ph + c
 * exact (Sterbenz: ph is close to -c), the rest summed with one more TwoSum; for β = 1 with αx
 * below the float32 range, the sign of x. */
static inline realv hardsigmoid_side0(realv x, realv al, realv be) {
  realv zs = fma(al * RV(0x1p64f), x, be * RV(0x1p64f));
  return zs == RV(0.0f) && be == RV(0.0f) ? x : zs;
}
static inline realv hardsigmoid_side1(realv x, realv al, realv be) {
  realv pl, ce, te;
  realv ph = clact_two_prod(al, x, &pl);
  realv c = clact_two_sum(be, RV(-1.0f), &ce);
  realv d = ph + c;
  realv t = clact_two_sum(pl, ce, &te); /* pl + ce = t + te */
  realv r = (d + t) + te;
  return r == RV(0.0f) && c == RV(0.0f) && ce == RV(0.0f) ? x : r;
}
static inline realv hardsigmoid_fwd(realv x, clact_p p) {
  realv z = fma(RV(p.p0), x, RV(p.p1));
  return z >= RV(1.0f) ? RV(1.0f) : (z > RV(0.0f) ? z : (z <= RV(0.0f) ? RV(0.0f) : z + z));
}
static inline realv hardsigmoid_bwd(realv x, realv dy, clact_p p) {
  realv al = RV(p.p0), be = RV(p.p1);
  realv z = fma(al, x, be);
  realv s0 = hardsigmoid_side0(x, al, be);
  realv s1 = hardsigmoid_side1(x, al, be);
  realv d = (z > RV(0.0f) || (z == RV(0.0f) && s0 > RV(0.0f))) &&
                    (z < RV(1.0f) || (z == RV(1.0f) && s1 < RV(0.0f)))
                ? al
                : RV(0.0f);
  return dy * (isnan(x) ? x + x : d);
}
static inline realv hardsigmoid_bwd_y(realv y, realv dy, clact_p p) {
  realv d = y > RV(0.0f) && y < RV(1.0f) ? RV(p.p0) : RV(0.0f);
  return dy * (isnan(y) ? y + y : d);
}
CLACT_ELEMENTWISE(hardsigmoid)
CLACT_ELEMENTWISE_FROM_Y(hardsigmoid)
