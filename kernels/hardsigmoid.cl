/* kernels/hardsigmoid.cl: hardsigmoid f(x) = max(0, min(1, αx + β)) (p0 = α > 0, p1 = β;
 * PyTorch's α = 1/6, β = 1/2 as float32, so the corners are where the exact αx + β crosses 0
 * and 1, next to ±3). NaN in -> quiet NaN out; f(-inf) = +0, f(+inf) = 1; zeros are +0.
 * Forward: z = fma(α, x, β) = RN(αx + β), clamped: clamping commutes with rounding, so the
 * result is correctly rounded whatever side of a corner the exact value lies.
 * Kink convention (PyTorch: α strictly inside, else 0): f' = α where 0 < αx + β < 1 on the exact
 * value. z decides wherever it is not exactly 0 or 1; there the sign of αx + β - k is
 * recomputed exactly (the prelude's clact_hard_sides), so no rounding of αx + β moves a corner.
 * The bounds α <= 1e18, |β| <= 1e18 keep those recomputations (and hardswish's 2α) finite.
 * From y: 0 < y < 1 ? α : 0 (a y rounded to exactly 0 or 1 reads as outside). */
static inline realv hardsigmoid_fwd(realv x, clact_p p) {
  realv z = fma(RV(p.p0), x, RV(p.p1));
  return z >= RV(1.0f) ? RV(1.0f) : (z > RV(0.0f) ? z : (z <= RV(0.0f) ? RV(0.0f) : z + z));
}
/* The default α = RN(1/6), β = 1/2 (a program of its own, host/program.c): the sides from one
 * fma each (clact_hard_sides_default), not the exact recomputations; the same bits. */
#if defined(CLACT_DEFAULT_PARAMS) && !defined(CLACT_DTYPE_F64)
#define HARDSIGMOID_SIDES clact_hard_sides_default
#else
#define HARDSIGMOID_SIDES clact_hard_sides
#endif
static inline realv hardsigmoid_bwd(realv x, realv dy, clact_p p) {
  realv al = RV(p.p0), be = RV(p.p1);
  realv z = fma(al, x, be);
  realv s1;
  realv s0 = HARDSIGMOID_SIDES(x, al, be, &s1);
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
