/* kernels/gelu.cl: gelu (erf form): x Phi(x); bwd dy (Phi(x) + x phi(x)).
 * Phi(x) for x < 0 is never formed from erfc of a rounded x/sqrt(2) (hundreds of ulp in the
 * tail). With t = |x| and the exact pair t^2 = sh + sl, Phi(-t) = e^X B with
 *   near, t < 3.5:   X = -t^2/2 - a t,       B = R(t)  (pieces RA, RB; R kept as a pair)
 *   far, t >= 3.5:   X = -t^2/2 + L(1/t^2),  B = 1/t
 * X is summed exactly as a pair (the pair -a t is exact by fma, and L0 + w L' has an error of
 * 2^-28 absolute), so e^X is as good as the exp, ~2^-30 relative. The polynomials are evaluated
 * by one Horner scheme whose coefficients are selected per lane. Then
 *   x < 0:  f = x R e^X (near) or -e^X (far, x/t = -1)
 *   x >= 0: f = x (1 - Phi(-x)) with 1 - Phi(-x) as a pair.
 * Backward, f'(-t) = Phi(-t) - t phi(t) = g:
 *   near: g = e^X R (1 - t h(t)),   far: g = -e^X t (1 + F(w)),
 * and f'(x) = g for x < 0, 1 - g for x >= 0 (f'(x) + f'(-x) = 1). The root of f' (t = 0.7518) is
 * a cancellation in 1 - t h, covered by the bound's M = e^X R (1 + t h). t is clamped at 20:
 * beyond, f and f' are 0 even times FLT_MAX (e^-200 < 2^-288). */
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

/* GELU, t = |x|, Q(t) = Phi(-t) e^(t^2/2), three pieces (gen_coeffs.sollya), all degree 9:
 *   near0, t < 1.75, u = t:              Phi(-t) = exp(-t^2/2 - a t) RA(u)       rel. 2^-30
 *   near1, t < 3.5, u = t - 2.625 exact: Phi(-t) = exp(-t^2/2 - a t) RB(u)       rel. 2^-25.5
 *   far, t <= 20, u = w = 1/t^2:         Phi(-t) = exp(-t^2/2 + L(w)) / t       abs. 2^-28.5
 * backward, hazard h = phi(t)/Phi(-t): t h = HA(u) (rel. 2^-25), HB(u) (rel. 2^-27.5),
 *   far h/t = 1 + w + F(w) (abs. 2^-33). */
#define CLACT_GELU_T0 1.75f
#define CLACT_GELU_T1 3.5f
#define CLACT_GELU_C1 2.625f
#define CLACT_GELU_A 0x1.988454p-1f
#define CLACT_GELU_RA0 0x1p-1f
#define CLACT_GELU_RA1 0x1.8b5f76p-25f
#define CLACT_GELU_RA2 0x1.741912p-4f
#define CLACT_GELU_RA3 -0x1.298beap-6f
#define CLACT_GELU_RA4 0x1.5bd396p-7f
#define CLACT_GELU_RA5 -0x1.a525ep-9f
#define CLACT_GELU_RA6 0x1.14c49cp-10f
#define CLACT_GELU_RA7 -0x1.0ff704p-12f
#define CLACT_GELU_RA8 0x1.7b40a2p-15f
#define CLACT_GELU_RA9 -0x1.003468p-18f
#define CLACT_GELU_RB0 0x1.1a65aep0f
#define CLACT_GELU_RB1 0x1.127416p-1f
#define CLACT_GELU_RB2 0x1.696a38p-3f
#define CLACT_GELU_RB3 0x1.292dp-5f
#define CLACT_GELU_RB4 0x1.b02774p-8f
#define CLACT_GELU_RB5 0x1.b1dfcap-11f
#define CLACT_GELU_RB6 0x1.d2c91ep-14f
#define CLACT_GELU_RB7 0x1.85603ep-18f
#define CLACT_GELU_RB8 0x1.dda71ap-19f
#define CLACT_GELU_RB9 0x1.992134p-20f
#define CLACT_GELU_L0 -0x1.d67f1cp-1f
#define CLACT_GELU_L1 -0x1.00008ep0f
#define CLACT_GELU_L2 0x1.403276p1f
#define CLACT_GELU_L3 -0x1.8ee12ep3f
#define CLACT_GELU_L4 0x1.78d9f8p6f
#define CLACT_GELU_L5 -0x1.deb4dcp9f
#define CLACT_GELU_L6 0x1.40cf3p13f
#define CLACT_GELU_L7 -0x1.539856p16f
#define CLACT_GELU_L8 0x1.bf5f2ep18f
#define CLACT_GELU_L9 -0x1.07aee4p20f
#define CLACT_GELU_HA1 0x1.988454p-1f
#define CLACT_GELU_HA2 0x1.45f2fp-1f
#define CLACT_GELU_HA3 0x1.be83e4p-4f
#define CLACT_GELU_HA4 -0x1.39b91cp-6f
#define CLACT_GELU_HA5 -0x1.44655cp-13f
#define CLACT_GELU_HA6 0x1.4a8862p-10f
#define CLACT_GELU_HA7 -0x1.9bc16p-12f
#define CLACT_GELU_HA8 0x1.dc2dc2p-15f
#define CLACT_GELU_HA9 -0x1.98395p-19f
#define CLACT_GELU_HB0 0x1.ed6852p2f
#define CLACT_GELU_HB1 0x1.55e208p2f
#define CLACT_GELU_HB2 0x1.efb636p-1f
#define CLACT_GELU_HB3 0x1.24f04cp-7f
#define CLACT_GELU_HB4 -0x1.1943bcp-9f
#define CLACT_GELU_HB5 0x1.db8beep-12f
#define CLACT_GELU_HB6 -0x1.717646p-14f
#define CLACT_GELU_HB7 0x1.3245fap-18f
#define CLACT_GELU_HB8 0x1.86f4dp-19f
#define CLACT_GELU_HB9 0x1.2a60c8p-18f
#define CLACT_GELU_F2 -0x1.fffe14p0f
#define CLACT_GELU_F3 0x1.3fb8e6p3f
#define CLACT_GELU_F4 -0x1.23ef92p6f
#define CLACT_GELU_F5 0x1.40baacp9f
#define CLACT_GELU_F6 -0x1.5d89aap12f
#define CLACT_GELU_F7 0x1.3338e2p15f
#define CLACT_GELU_F8 -0x1.5fedccp17f
#define CLACT_GELU_F9 0x1.7745f2p18f

/* The shared part. Sets the piece flags, t, u, R = rh + rl (near pieces) and returns m with
 * e^X = 2^k (m + ml). */
static inline realv gelu_core(realv x, intv *n0, intv *n1, realv *t, realv *u, realv *rl, realv *rh,
                              intv *k, realv *ml) {
  realv tt = fabs(x);
  tt = tt > 20.0f ? RV(20.0f) : tt;
  intv a0 = tt < CLACT_GELU_T0;
  intv a1 = tt < CLACT_GELU_T1;
  realv sh = tt * tt;
  realv sl = fma(tt, tt, -sh);
  realv uu = a0 ? tt : (a1 ? tt - CLACT_GELU_C1 : 1.0f / sh);
  realv s = CLACT_SEL3(a0, a1, CLACT_GELU_RA9, CLACT_GELU_RB9, CLACT_GELU_L9);
  s = fma(s, uu, CLACT_SEL3(a0, a1, CLACT_GELU_RA8, CLACT_GELU_RB8, CLACT_GELU_L8));
  s = fma(s, uu, CLACT_SEL3(a0, a1, CLACT_GELU_RA7, CLACT_GELU_RB7, CLACT_GELU_L7));
  s = fma(s, uu, CLACT_SEL3(a0, a1, CLACT_GELU_RA6, CLACT_GELU_RB6, CLACT_GELU_L6));
  s = fma(s, uu, CLACT_SEL3(a0, a1, CLACT_GELU_RA5, CLACT_GELU_RB5, CLACT_GELU_L5));
  s = fma(s, uu, CLACT_SEL3(a0, a1, CLACT_GELU_RA4, CLACT_GELU_RB4, CLACT_GELU_L4));
  s = fma(s, uu, CLACT_SEL3(a0, a1, CLACT_GELU_RA3, CLACT_GELU_RB3, CLACT_GELU_L3));
  s = fma(s, uu, CLACT_SEL3(a0, a1, CLACT_GELU_RA2, CLACT_GELU_RB2, CLACT_GELU_L2));
  s = fma(s, uu, CLACT_SEL3(a0, a1, CLACT_GELU_RA1, CLACT_GELU_RB1, CLACT_GELU_L1));
  /* u s exactly, then R = R0 + u s as a pair (its last rounding would cost up to 1 ulp) */
  realv us = uu * s;
  realv usl = fma(uu, s, -us);
  realv e;
  *rh = clact_two_sum(CLACT_SEL3(a0, a1, CLACT_GELU_RA0, CLACT_GELU_RB0, 0.0f), us, &e);
  *rl = e + usl;
  /* X = -sh/2 - sl/2 - (ph + pl): near ph + pl = a t exactly, far -(L0 + u s) */
  realv at = CLACT_GELU_A * tt;
  realv ph = a1 ? at : RV(-CLACT_GELU_L0);
  realv pl = a1 ? fma(RV(CLACT_GELU_A), tt, -at) : -us;
  realv xh = clact_two_sum(-0.5f * sh, -ph, &e);
  realv xl = e - (0.5f * sl + pl);
  *n0 = a0;
  *n1 = a1;
  *t = tt;
  *u = uu;
  return clact_exp_dd(xh, xl, k, ml);
}

static inline realv gelu_fwd(realv x, clact_p p) {
  (void)p;
  intv n0, n1, k;
  realv t, u, rh, rl, ml;
  realv m = gelu_core(x, &n0, &n1, &t, &u, &rl, &rh, &k, &ml);
  /* x < 0: near x R (m + ml), far -(m + ml); x R as an exact pair */
  realv xr = x * rh;
  realv xrl = fma(x, rh, -xr) + x * rl;
  realv mh = n1 ? xr : RV(-1.0f);
  realv mlo = n1 ? xrl : RV(0.0f);
  realv fneg = clact_ldexp(fma(mh, m, fma(mh, ml, mlo * m)), k);
  /* x >= 0: Phi(-x) = P = e^X B, B = R (near) or 1/t = t w (far); x (1 - P), 1 - P a pair */
  realv bh = n1 ? rh : t * u;
  realv bl = n1 ? rl : RV(0.0f);
  realv pm = m * bh;
  realv p60 = clact_pow2_60(k); /* P < 2^-60 is invisible in 1 - P */
  realv ph = pm * p60;
  realv pl = (fma(m, bh, -pm) + (ml * bh + m * bl)) * p60;
  realv phih = 1.0f - ph;
  realv phil = ((1.0f - phih) - ph) - pl;
  realv fpos = fma(x, phih, x * phil);
  realv f = x < 0.0f ? fneg : fpos;
  f = x > 16.0f ? x : f; /* Phi(x) rounds to 1 from 5.4 on; also keeps +inf */
  return x == 0.0f ? x : f;
}

/* Backward, plain roundings (bench/lab/fast/sig.c `gelub`: 1.78 units over every 256th
 * pattern, bound 4; the three-piece pair scheme above, which the forward keeps, took 1.6x the CPU
 * time): Phi(-t) = e^(-t^2/2) P(w), w = 1/(1 + t/4), P of degree 12 on t in [0, 20] (fit 2^-32.2,
 * bench/lab/gelu_fast/NOTES.md) with w's rounding error corrected to first order, and
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
#define GELU_VSTEP(c)                                                                              \
  dp = fma(dp, w, pw);                                                                             \
  pw = fma(pw, w, RV(c))
static inline realv gelu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv t = fabs(x);
  t = t > 20.0f ? RV(20.0f) : t; /* beyond, f'(-t) dy is 0 even for dy = FLT_MAX */
  realv q4 = 0.25f * t;
  realv dh = 1.0f + q4;
  realv dl = q4 > 1.0f ? (q4 - dh) + 1.0f : (1.0f - dh) + q4; /* Fast2Sum, larger first */
  realv w = 1.0f / dh;
  realv wl = w * fma(-w, dl, fma(-w, dh, RV(1.0f))); /* 1/(dh + dl) - w to first order */
  realv pw = RV(CLACT_GELU_V12), dp = RV(0.0f);
  GELU_VSTEP(CLACT_GELU_V11);
  GELU_VSTEP(CLACT_GELU_V10);
  GELU_VSTEP(CLACT_GELU_V9);
  GELU_VSTEP(CLACT_GELU_V8);
  GELU_VSTEP(CLACT_GELU_V7);
  GELU_VSTEP(CLACT_GELU_V6);
  GELU_VSTEP(CLACT_GELU_V5);
  GELU_VSTEP(CLACT_GELU_V4);
  GELU_VSTEP(CLACT_GELU_V3);
  GELU_VSTEP(CLACT_GELU_V2);
  GELU_VSTEP(CLACT_GELU_V1);
  GELU_VSTEP(CLACT_GELU_V0);
  pw = fma(dp, wl, pw); /* P(w + wl) */
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
