/* kernels/gelu.cl: gelu (erf form): x Phi(x); bwd dy (Phi(x) + x phi(x)).
 * Phi(x) for x < 0 is never formed from erfc of a rounded x/sqrt(2) (hundreds of ulp in the
 * tail). float32: with t = |x|, Phi(-t) = e^(-t^2/2) Q(t), the exponential of the exact pair t^2
 * as 2^k (1 + s) (no subnormal intermediate) and Q(t) = Phi(-t) e^(t^2/2) from one polynomial in
 * w = 1/(1 + c t) for all t (no pieces); f'(x) + f'(-x) = 1 and f(x) = x - f(-x) give x >= 0.
 *   forward:  x < 0: f = -t Q e^(-t^2/2);  x >= 0: f = x - t Q e^(-t^2/2)
 *   backward: f'(-t) = e^(-t^2/2) (Q - t/sqrt(2 pi)) = g;  f'(x) = g (x < 0), 1 - g (x >= 0)
 * The details and errors are at each function. float64: see below. */
#if defined(CLACT_DTYPE_F64)
/* gelu = x Phi(x). x >= -36: Phi = erfc(u)/2, u = -x/sqrt2 as a pair uh + ul (a rounded u
 * would cost 2u^2 2^-53 relative: 2^-42 at x = -37): erfc(uh + ul) = erfc(uh) - ul (2/sqrt(pi))
 * e^-uh^2. x < -36: Phi = phi(x) R(|x|), the Mills ratio's asymptotic series R(t) = (1 - 1/t^2 +
 * 3/t^4 - ...)/t (9 terms: 2^-60 at t = 36), phi = e^-(x^2/2)/sqrt(2 pi) as m 2^k from the exact
 * pair x^2: no subnormal intermediate. f' = Phi + x phi. */
#define CLACT_D_RSQRT2_H 0x1.6a09e667f3bcdp-1
#define CLACT_D_RSQRT2_L -0x1.bdd3413b26456p-55
#define CLACT_D_RSQRT2PI 0x1.9884533d43651p-2
#define CLACT_D_2RSQRTPI 0x1.20dd750429b6dp+0
static inline realv gelu_mills(realv t) {
  realv w = RV(1.0) / (t * t);
  realv s = fma(w, RV(-34459425.0), RV(2027025.0));
  s = fma(s, w, RV(-135135.0));
  s = fma(s, w, RV(10395.0));
  s = fma(s, w, RV(-945.0));
  s = fma(s, w, RV(105.0));
  s = fma(s, w, RV(-15.0));
  s = fma(s, w, RV(3.0));
  s = fma(s, w, RV(-1.0));
  return fma(s, w, RV(1.0)) / t;
}
/* phi(x) = m 2^k / sqrt(2 pi) (x clamped to [-40, 40]: beyond, every use rounds to 0) */
static inline realv gelu_phi_m(realv x, realv *k) {
  realv xc = x < RV(-40.0) ? RV(-40.0) : (x > RV(40.0) ? RV(40.0) : x);
  realv ql;
  realv qh = clact_two_prod(xc, xc, &ql);
  return clact_d_expk(RV(-0.5) * qh, RV(-0.5) * ql, k) * RV(CLACT_D_RSQRT2PI);
}
static inline realv gelu_Phi(realv x) {
  realv xc = x < RV(-40.0) ? RV(-40.0) : (x > RV(40.0) ? RV(40.0) : x);
  realv ul;
  realv uh = clact_two_prod(-xc, RV(CLACT_D_RSQRT2_H), &ul);
  ul = fma(-xc, RV(CLACT_D_RSQRT2_L), ul);
  realv e = erfc(uh);
  realv c = (ul * RV(CLACT_D_2RSQRTPI)) * exp(-uh * uh);
  return RV(0.5) * (e - c);
}
static inline realv gelu_fwd(realv x, clact_p p) {
  (void)p;
  realv k;
  realv m = gelu_phi_m(x, &k);
  realv xc = x < RV(-40.0) ? RV(-40.0) : x;
  realv far = clact_d_mul_pow2(xc, m * gelu_mills(-xc), k);
  realv r = x < RV(-36.0) ? far : x * gelu_Phi(x);
  r = x == RV(INFINITY) ? x : r;
  return isnan(x) ? x + x : r;
}
static inline realv gelu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv k;
  realv m = gelu_phi_m(x, &k);
  realv xc = x < RV(-40.0) ? RV(-40.0) : x;
  realv far = clact_d_mul_pow2(dy, m * (gelu_mills(-xc) + xc), k);
  realv ph = clact_d_ldexp(m, k);
  realv xphi = fabs(x) > RV(40.0) ? RV(0.0) : x * ph;
  realv near = dy * (gelu_Phi(x) + xphi);
  realv r = x < RV(-36.0) ? far : near;
  r = isinf(x) ? (x > RV(0.0) ? dy : dy * RV(0.0)) : r;
  return isnan(x) ? x + x : r;
}
#else

/* Forward (bench/lab/gelu_fast: NOTES.md, gf.c's variant K, which this follows operation for
 * operation). t = |x| clamped to 14.5 (beyond, x Phi(x) rounds to -0);
 * Q(t) = w G(w), w = 1/(1 + c t), c = 11/32, G of degree 10 (fitg.sollya: relative error 2^-28
 * over t in [0, 14.5]), Horner's scheme with its last step G0 + w g kept exact (TwoProd, TwoSum)
 * and Q = w G as an exact pair.
 * - w is formed from tr, t rounded to a multiple of 2^-16, so that 1 + c tr and the residual
 *   rho = 1 - w (1 + c tr) are exact; t - tr and rho are corrected together, to first order, by
 *   Q'(t) = t Q - 1/sqrt(2 pi) (without it the rounding of w alone costs ~3 ulp near t = 0).
 * - e^(-t^2/2) = 2^k (1 + r + el) from the exact pair t^2, r + el not rounded (clact_exp_rt).
 * - m = t Q (1 + r + el) with t Q as an exact pair: one main rounding and a small one.
 *   x < 0: f = -m 2^k;  x >= 0: f = x - m 2^k = x (1 - Phi(-x)), well conditioned.
 *   2^k is applied as 2^(k+64) 2^-64 (k >= -152): a subnormal result is rounded once, and for
 *   x >= 0 the small product stays inside the fma.
 * Max error 1.55 ulp over all 2^32 inputs (float emulation, bit-identical to this kernel on
 * PoCL; bound 4), at about half the CPU time of the three-piece pair scheme it replaced (0.93
 * ulp; git history): bench/lab/cputime 1.48 against 2.76 ns per element. */
#define CLACT_GELU_C 0x1.6p-2f       /* c = 11/32 */
#define CLACT_GELU_RC 0x1.745d18p+1f /* 1/c, rounded */
#define CLACT_GELU_G0 0x1.18da7cp-3f
#define CLACT_GELU_G1 0x1.18e3fep-3f
#define CLACT_GELU_G2 0x1.eefefap-4f
#define CLACT_GELU_G3 0x1.68bb08p-4f
#define CLACT_GELU_G4 0x1.b30e02p-5f
#define CLACT_GELU_G5 -0x1.327a52p-5f
#define CLACT_GELU_G6 0x1.ad23bap-4f
#define CLACT_GELU_G7 -0x1.10a67cp-2f
#define CLACT_GELU_G8 0x1.058568p-2f
#define CLACT_GELU_G9 -0x1.cbba32p-4f
#define CLACT_GELU_G10 0x1.3e67eap-6f
#define CLACT_GELU_RSQRT2PI 0x1.988454p-2f

static inline realv gelu_fwd(realv x, clact_p p) {
  (void)p;
  realv t = fabs(x);
  realv tm = t > 14.5f ? RV(14.5f) : t;
  realv tf = tm < 0x1p-32f ? RV(0x1p-32f) : tm;   /* no subnormal t^2; Q(2^-32) = Q(0) */
  realv tr = (tf + 128.0f) - 128.0f;              /* a multiple of 2^-16 */
  realv dh = fma(tr, RV(CLACT_GELU_C), RV(1.0f)); /* exact */
  realv w = 1.0f / dh;
  realv rho = fma(-w, dh, RV(1.0f)); /* exact: 1/dh = w (1 + rho + rho^2 ...) */
  realv g = fma(RV(CLACT_GELU_G10), w, RV(CLACT_GELU_G9));
  g = fma(g, w, RV(CLACT_GELU_G8));
  g = fma(g, w, RV(CLACT_GELU_G7));
  g = fma(g, w, RV(CLACT_GELU_G6));
  g = fma(g, w, RV(CLACT_GELU_G5));
  g = fma(g, w, RV(CLACT_GELU_G4));
  g = fma(g, w, RV(CLACT_GELU_G3));
  g = fma(g, w, RV(CLACT_GELU_G2));
  g = fma(g, w, RV(CLACT_GELU_G1));
  /* the last step G = G0 + w g with its errors (TwoProd, TwoSum), then Q = w G as a pair */
  realv wg = w * g, e;
  realv gh = clact_two_sum(RV(CLACT_GELU_G0), wg, &e);
  realv gl = fma(w, g, -wg) + e;
  realv qh = w * gh;
  realv ql = fma(w, gl, fma(w, gh, -qh));
  /* Q(tf) = Q(tr) + Q' (tf - tr), and Q(tr) = Q at w (1 + rho) = Q(w) - Q' rho dh / c */
  realv dq = fma(-rho, dh * CLACT_GELU_RC, tf - tr);
  ql = fma(fma(tf, qh, RV(-CLACT_GELU_RSQRT2PI)), dq, ql);
  realv sh = tf * tf, el;
  intv k;
  realv r = clact_exp_rt(-0.5f * sh, -0.5f * fma(tf, tf, -sh), &k, &el); /* h in [-106, 0] */
  /* m = t (qh + ql) (1 + r + el): t qh exact as a pair, then one main rounding */
  realv tq = tm * qh;
  realv tql = fma(tm, ql, fma(tm, qh, -tq));
  realv m = tq + fma(tq, r, fma(tq, el, fma(tql, r + el, tql)));
  realv me = m * clact_pow2i(k + 64);
  realv f = AS_INTV(x) < 0 ? me * -0x1p-64f : fma(me, RV(-0x1p-64f), x);
  return x > 5.5f ? x : f; /* Phi(x) rounds to 1 from 5.4 on; also keeps +inf */
}

/* Backward, plain roundings (bench/lab/fast/sig.c `gelub`: 1.78 units over every 256th
 * pattern, bound 4; the three-piece pair scheme the forward also had until 2026-11-30 took 1.6x
 * the CPU time): Phi(-t) = e^(-t^2/2) P(w), w = 1/(1 + t/4), P of degree 12 on t in [0, 20] (fit
 * 2^-32.2, bench/lab/gelu_fast/NOTES.md) with w's rounding error corrected to first order
 * through the exact derivative Q' = t Q - 1/sqrt(2 pi) (since 2026-12-01; `gelub` carried P'(w)
 * alongside P, 12 fma more, for the same maxima in `clact check`), and
 * phi(t) e^(t^2/2) = 1/sqrt(2 pi), so f'(-t) = e^(-t^2/2) (P - t/sqrt(2 pi)) = g 2^k:
 * x < 0: dy g 2^k; x >= 0: dy (1 - g 2^k) (f'(x) + f'(-x) = 1). The bound's M, Phi + t phi,
 * covers the cancellation at the root (t = 0.7518) and the ~2-3 u of P's Horner scheme. */
#define CLACT_GELU_V0 0x1.5a6482p-22f
#define CLACT_GELU_V1 0x1.98797ep-4f
#define CLACT_GELU_V2 0x1.991d18p-4f
#define CLACT_GELU_V3 0x1.7a1a1ep-4f
#define CLACT_GELU_V4 0x1.6596c2p-4f
#define CLACT_GELU_V5 0x1.53544cp-5f
#define CLACT_GELU_V6 0x1.87da2ap-4f
#define CLACT_GELU_V7 -0x1.d514c2p-5f
#define CLACT_GELU_V8 0x1.37dc14p-4f
#define CLACT_GELU_V9 -0x1.47c0a4p-7f
#define CLACT_GELU_V10 -0x1.c69a2p-5f
#define CLACT_GELU_V11 0x1.377874p-5f
#define CLACT_GELU_V12 -0x1.f94e52p-8f
#define CLACT_GELU_RSQRT2PI 0x1.988454p-2f
static inline realv gelu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv t = fabs(x);
  t = t > 20.0f ? RV(20.0f) : t; /* beyond, f'(-t) dy is 0 even for dy = FLT_MAX */
  realv q4 = 0.25f * t;
  realv dh = 1.0f + q4;
  realv dl = q4 > 1.0f ? (q4 - dh) + 1.0f : (1.0f - dh) + q4; /* Fast2Sum, larger first */
  realv w = 1.0f / dh;
  realv rho = fma(-w, dl, fma(-w, dh, RV(1.0f))); /* 1 - w (dh + dl), the inner fma exact */
  realv pw = fma(RV(CLACT_GELU_V12), w, RV(CLACT_GELU_V11));
  pw = fma(pw, w, RV(CLACT_GELU_V10));
  pw = fma(pw, w, RV(CLACT_GELU_V9));
  pw = fma(pw, w, RV(CLACT_GELU_V8));
  pw = fma(pw, w, RV(CLACT_GELU_V7));
  pw = fma(pw, w, RV(CLACT_GELU_V6));
  pw = fma(pw, w, RV(CLACT_GELU_V5));
  pw = fma(pw, w, RV(CLACT_GELU_V4));
  pw = fma(pw, w, RV(CLACT_GELU_V3));
  pw = fma(pw, w, RV(CLACT_GELU_V2));
  pw = fma(pw, w, RV(CLACT_GELU_V1));
  pw = fma(pw, w, RV(CLACT_GELU_V0));
  /* P(w) is Q at t' = 4 (1/w - 1) = t + 4 (dh + dl)(rho + rho^2 + ...): Q(t) = Q(t') + Q' (t -
   * t') to first order, Q' = t Q - 1/sqrt(2 pi) (as in the forward) */
  pw = fma(fma(t, pw, RV(-CLACT_GELU_RSQRT2PI)), (-4.0f * dh) * rho, pw);
  realv sh = t * t, sl = fma(t, t, -sh);
  intv k;
  realv s = clact_exps(-0.5f * sh, -0.5f * sl, &k);
  realv eh = 1.0f + s, el = (1.0f - eh) + s; /* Fast2Sum */
  realv c = fma(-t, RV(CLACT_GELU_RSQRT2PI), pw);
  realv g = fma(eh, c, el * c);
  realv dneg = clact_mul_pow2(dy, g, k);
  realv dpos = dy * (1.0f - g * clact_pow2_60(k));
  realv dx = x < 0.0f ? dneg : dpos;
  return isinf(x) ? dy * (x > 0.0f ? RV(1.0f) : RV(0.0f)) : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(gelu)
