/* kernels/isrlu.cl: isrlu f(x) = x < 0 ? x/√(1 + αx²) : x (p0 = α > 0). f(-0) = -0 (the x
 * branch), f(-inf) = -1/√α, f(+inf) = +inf; a NaN passes through the x branch quietened.
 * The negative branch is isru's, computed the same way (kernels/isru.cl explains the
 * residual-corrected evaluation; the code is repeated here because .cl files share code only
 * through the prelude). C2: no kink; f'(0) = 1 from both sides.
 * Derivative: x < 0 ? (1 + αx²)^(-3/2) : 1. From y: y < 0 ? (1 - αy²)^(3/2) : 1 (y < 0 <=> x < 0).
 */
/* 1/√α, to about half an ulp */
static inline realv isrlu_k(realv al) {
  realv t = sqrt(al);
  realv k0 = RV(1.0f) / t;
  realv e = RV(0.5f) * (fma(-t, t, al) / al); /* √α = t (1 + e) */
  realv rk = fma(-k0, t, RV(1.0f));           /* 1/t = k0 (1 + rk) */
  return fma(k0, rk - e, k0);
}
/* For a = |x| with αa² <= 2^48: *t and *e with √(1 + αa²) = t (1 + e). */
static inline void isrlu_root(realv a, realv al, realv *t, realv *e) {
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
static inline realv isrlu_abs(realv a, realv al) {
  realv t, e;
  isrlu_root(a, al, &t, &e);
  realv q = a / t;
  realv rq = fma(-q, t, a); /* a/t = q + rq/t */
  realv small = q + fma(-q, e, rq / t);
  return (al * a) * a > RV(0x1p48f) ? isrlu_k(al) : small;
}
/* dx = dy (1 + αa²)^(-3/2) */
static inline realv isrlu_dabs(realv a, realv dy, realv al) {
  realv t, e;
  isrlu_root(a, al, &t, &e);
  realv r = RV(1.0f) / t;
  realv rr = fma(-r, t, RV(1.0f));
  realv g = fma(r, rr - e, r);
  realv h = isrlu_k(al) / a;
  realv c = (al * a) * a > RV(0x1p48f) ? h : g;
  /* f' > 0 for every finite x, even where c³ is below float32: dy = ±inf gives ±inf */
  return isinf(dy) && a < RV(INFINITY) ? dy : ((dy * c) * c) * c;
}
/* dx = dy (1 - αy²)^(3/2) */
static inline realv isrlu_dy(realv y, realv dy, realv al) {
  realv pl, hl;
  realv py = clact_two_prod(al, y, &pl);     /* αy = py + pl */
  realv hh = clact_two_prod(py, y, &hl);     /* py y = hh + hl */
  realv s = ((RV(1.0f) - hh) - hl) - pl * y; /* 1 - αy², 1 - hh exact where it cancels */
  s = s > RV(0.0f) ? s : (s <= RV(0.0f) ? RV(0.0f) : s);
  return (dy * s) * sqrt(s);
}
static inline realv isrlu_fwd(realv x, clact_p p) {
  realv neg = -isrlu_abs(-x, RV(p.p0));
  return x < RV(0.0f) ? neg : (isnan(x) ? x + x : x);
}
static inline realv isrlu_bwd(realv x, realv dy, clact_p p) {
  realv neg = isrlu_dabs(-x, dy, RV(p.p0));
  return x < RV(0.0f) ? neg : dy * clact_nan_or(x, RV(1.0f));
}
static inline realv isrlu_bwd_y(realv y, realv dy, clact_p p) {
  realv neg = isrlu_dy(y, dy, RV(p.p0));
  return y < RV(0.0f) ? neg : dy * clact_nan_or(y, RV(1.0f));
}
CLACT_ELEMENTWISE(isrlu)
CLACT_ELEMENTWISE_FROM_Y(isrlu)
