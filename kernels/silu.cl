/* kernels/silu.cl: silu(x) = x σ(x); silu' = σ(x) + x σ(x)σ(-x). No from-y. */
static inline realv silu_fwd(realv x, clact_p p) {
  (void)p;
  realv r = x * clact_sigmoid(x);
  return isinf(x) ? (x > RV(0.0f) ? x : RV(-0.0f)) : r;
}
static inline realv silu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv s = clact_sigmoid(x);
  realv d = s + x * s * clact_sigmoid(-x);
  return dy * (isinf(x) ? (x > RV(0.0f) ? RV(1.0f) : RV(0.0f)) : d);
}
CLACT_ELEMENTWISE(silu)
