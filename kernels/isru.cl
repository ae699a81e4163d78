/* kernels/isru.cl: isru f(x) = x / √(1 + αx²) (p0 = α > 0), odd (f(-0) = -0), smooth (no
 * kink), f(±inf) = ±1/√α.
 * Accuracy (<= 1 ulp needs more than the five roundings of the naive formula): on a = |x|,
 * w = αa² and S = 1 + w are carried as double-floats (TwoProduct, TwoSum), √S = t(1 + e) with
 * t = √(S_hi) and e from the exact residual of t², and a/√S = a/t (1 - e) with the exact
 * residual of a/t: about half an ulp. When w > 2^48 (αx² too large, or overflowing) the value is
 * 1/√α to within 2^-49, computed with the same residual corrections.
 * Derivative: (1 + αx²)^(-3/2) = g³ with g = 1/√S (or 1/(√α|x|) for w > 2^48), applied as
 * ((dy g) g) g so that dx does not underflow before the last product.
 * From y: (1 - αy²)^(3/2) with 1 - αy² from TwoProducts (it cancels as |y|
 * nears 1/√α); a y at or beyond ±1/√α (reachable by the rounding of f) gives 0. */
/* 1/√α, to about half an ulp */
static inline realv isru_k(realv al) {
  realv t = sqrt(al);
  realv k0 = RV(1.0f) / t;
  realv e = RV(0.5f) * (fma(-t, t, al) / al); /* √α = t (1 + e) */
  realv rk = fma(-k0, t, RV(1.0f));           /* 1/t = k0 (1 + rk) */
  return fma(k0, rk - e, k0);
}
/* For a = |x| with αa² <= 2^48: *t and *e with √(1 + αa²) = t (1 + e). */
static inline void isru_root(realv a, realv al, realv *t, realv *e) {
  realv p1l, wl, se;
  realv p1 = clact_two_prod(al, a, &p1l);
  realv w = clact_two_prod(p1, a, &wl);
  wl = wl + p1l * a; /* αa² = w + wl */
  realv sh = clact_two_sum(w, RV(1.0f), &se);
  realv sl = se + wl; /* 1 + αa² = sh + sl */
  *t = sqrt(sh);
  *e = (fma(-*t, *t, sh) + sl) / (sh + sh);
}
/* f(a) for a = |x| >= 0 (NaN for NaN) */
static inline realv isru_abs(realv a, realv al) {
  realv t, e;
  isru_root(a, al, &t, &e);
  realv q = a / t;
  realv rq = fma(-q, t, a); /* a/t = q + rq/t */
  realv small = q + fma(-q, e, rq / t);
  return (al * a) * a > RV(0x1p48f) ? isru_k(al) : small;
}
/* dx = dy (1 + αa²)^(-3/2) */
static inline realv isru_dabs(realv a, realv dy, realv al) {
  realv t, e;
  isru_root(a, al, &t, &e);
  realv r = RV(1.0f) / t;
  realv rr = fma(-r, t, RV(1.0f));
  realv g = fma(r, rr - e, r);
  realv h = isru_k(al) / a;
  realv c = (al * a) * a > RV(0x1p48f) ? h : g;
  /* f' > 0 for every finite x, even where c³ is below float32: dy = ±inf gives ±inf */
  return isinf(dy) && a < RV(INFINITY) ? dy : ((dy * c) * c) * c;
}
/* dx = dy (1 - αy²)^(3/2) */
static inline realv isru_dy(realv y, realv dy, realv al) {
  realv pl, hl;
  realv py = clact_two_prod(al, y, &pl);     /* αy = py + pl */
  realv hh = clact_two_prod(py, y, &hl);     /* py y = hh + hl */
  realv s = ((RV(1.0f) - hh) - hl) - pl * y; /* 1 - αy², 1 - hh exact where it cancels */
  s = s > RV(0.0f) ? s : (s <= RV(0.0f) ? RV(0.0f) : s);
  return (dy * s) * sqrt(s);
}
static inline realv isru_fwd(realv x, clact_p p) {
  return copysign(isru_abs(fabs(x), RV(p.p0)), x);
}
static inline realv isru_bwd(realv x, realv dy, clact_p p) {
  return isru_dabs(fabs(x), dy, RV(p.p0));
}
static inline realv isru_bwd_y(realv y, realv dy, clact_p p) {
  return isru_dy(y, dy, RV(p.p0));
}
CLACT_ELEMENTWISE(isru)
CLACT_ELEMENTWISE_FROM_Y(isru)
