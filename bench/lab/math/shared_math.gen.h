/* ---- shared math ------------------------------------------------------------------------ */
/* f'(x) that is 1 (or c) on a branch must still turn a NaN x into NaN: dx = dy * nan_or(x, c). */
static inline realv clact_nan_or(realv x, realv c) {
  return isnan(x) ? x + x : c;
}

/* The accurate float32 helpers of the exp family, written from + - * /, fma and bit operations
 * only (bench/lab/math: generated coefficients, exhaustive host sweeps, PoCL cross-checks).
 * Why not the built-ins: PoCL's erf/erfc are ~100x slower than fma code, and a device's own exp
 * is only promised to ~3 ulp and differs between devices; these give the same bits everywhere.
 * - Straight-line code, both sides of every choice computed and one selected.
 * - No subnormal intermediates where the result is not subnormal (an x86 core takes a
 *   ~100-cycle assist per vector instruction that meets one): exponentials come back as
 *   m * 2^k and the power of two is applied last (clact_ldexp, clact_mul_pow2).
 * - A little double-float ("hi + lo") arithmetic where a rounding would be amplified: large
 *   arguments of exp (x^2/2, beta*x, the cubic of gelu_tanh) are carried as two floats.
 * - No contraction (FP_CONTRACT OFF above): a*b+c rounds twice where written so, fma where
 *   written fma, on every device. */

#define CLACT_LOG2E 0x1.715476p+0f
#define CLACT_LN2_HI 0x1.62e43p-1f   /* float(ln 2) */
#define CLACT_LN2_LO -0x1.05c61p-29f /* ln 2 - CLACT_LN2_HI */

/* e^r = 1 + r + r^2 q(r), |r| <= 0.3467; rel. error of r^2 q: 2^-28 (abs. 2^-32) */
#define CLACT_EXP_C2 0x1p-1f
#define CLACT_EXP_C3 0x1.555556p-3f
#define CLACT_EXP_C4 0x1.555502p-5f
#define CLACT_EXP_C5 0x1.110ff4p-7f
#define CLACT_EXP_C6 0x1.6d2e0ep-10f
#define CLACT_EXP_C7 0x1.a262bp-13f

/* tanh x = x + x^3 P(x^2), |x| < 1/2; rel. error 2^-30 */
#define CLACT_TANH_C3 -0x1.555554p-2f
#define CLACT_TANH_C5 0x1.11101ap-3f
#define CLACT_TANH_C7 -0x1.b9bbc2p-5f
#define CLACT_TANH_C9 0x1.5ed37ep-6f
#define CLACT_TANH_C11 -0x1.c04a8ep-8f

/* log1p(u) = u + u^2 G(u), u in [-1/4, 1/2]; rel. error 2^-31.5 */
#define CLACT_LOG1P_C2 -0x1p-1f
#define CLACT_LOG1P_C3 0x1.555554p-2f
#define CLACT_LOG1P_C4 -0x1.000004p-2f
#define CLACT_LOG1P_C5 0x1.999b38p-3f
#define CLACT_LOG1P_C6 -0x1.55547ep-3f
#define CLACT_LOG1P_C7 0x1.2448ecp-3f
#define CLACT_LOG1P_C8 -0x1.ff4a4p-4f
#define CLACT_LOG1P_C9 0x1.d0839cp-4f
#define CLACT_LOG1P_C10 -0x1.b353d4p-4f
#define CLACT_LOG1P_C11 0x1.5670cap-4f
#define CLACT_LOG1P_C12 -0x1.1a395ep-5f

/* Select one of two (three) constants per lane: coefficient tables of piecewise polynomials. */
#define CLACT_SEL(c, a, b) ((c) ? RV(a) : RV(b))
#define CLACT_SEL3(n0, n1, a, b, c) ((n0) ? RV(a) : ((n1) ? RV(b) : RV(c)))

/* 2^k as a float, k in [-126, 127]. */
static inline realv clact_pow2i(intv k) {
  return AS_REALV(AS_UINTV(k + 127) << 23);
}

/* v * 2^k, k clamped to [-252, 254], as two exact power-of-two factors: when the result is
 * subnormal the first product is still normal (|k/2| <= 126), so the result is rounded once.
 * Clamping k below at -252 is exact for every caller (|v| < 2^100 there: the result is 0). */
static inline realv clact_ldexp(realv v, intv k) {
  k = k < -252 ? (intv)(-252) : k;
  k = k > 254 ? (intv)254 : k;
  intv k1 = k / 2;
  return v * clact_pow2i(k1) * clact_pow2i(k - k1);
}

/* a + b = s + *e exactly (Knuth's TwoSum, any magnitudes). */
static inline realv clact_two_sum(realv a, realv b, realv *e) {
  realv s = a + b;
  realv bb = s - a;
  *e = (a - (s - bb)) + (b - bb);
  return s;
}

/* a * b = p + *e exactly (the error of the product by fma; no overflow or underflow). */
static inline realv clact_two_prod(realv a, realv b, realv *e) {
  realv p = a * b;
  *e = fma(a, b, -p);
  return p;
}

/* (nh + nl) / (dh + dl) with one division: q = nh/dh, then the residual (exact by fma) corrects
 * it; the result is within ~0.5 ulp of the quotient of the two pairs (|nl| << |nh|, |dl| << |dh|).
 */
static inline realv clact_div_dd(realv nh, realv nl, realv dh, realv dl) {
  realv inv = 1.0f / dh;
  realv q = nh * inv;
  realv r = fma(-q, dh, nh);
  r = fma(-q, dl, r + nl);
  return fma(r, inv, q);
}

/* Core of e^(hi + lo), |lo| <= ulp(hi): returns r and sets *t, *k with
 * e^(hi+lo) = 2^k (1 + r + *t), |r| <= 0.3467, and 1 + r + *t good to ~2^-30 relative.
 * hi is clamped to [-200, 89]: e^-200 < 2^-288 is below any result even after a multiplication
 * by FLT_MAX, e^89 > FLT_MAX. Reduction: k = rint(hi/ln2), r = hi - k ln2 with the fma exact
 * (|r| < 1/2 and both terms are multiples of 2^-25), the ln2 tail and lo folded in with an
 * exact Fast2Sum so that their rounding error (re) is kept. NaN stays in r (k is then garbage and
 * only ever multiplies the NaN). */
static inline realv clact_exp_core(realv hi, realv lo, intv *k, realv *t) {
  realv h = hi < -200.0f ? RV(-200.0f) : hi;
  h = h > 89.0f ? RV(89.0f) : h;
  lo = h == hi ? lo : RV(0.0f);
  /* k = rint(h/ln2) by the 1.5*2^23 shifter (exact round-to-nearest-even for |v| < 2^22; PoCL's
   * rint is a long generic sequence): k is then read from the low bits, no float->int convert
   * (whose result on NaN is undefined). */
  realv sh = h * CLACT_LOG2E + 0x1.8p23f;
  realv kf = sh - 0x1.8p23f;
  realv r1 = fma(-kf, RV(CLACT_LN2_HI), h);
  realv c = fma(-kf, RV(CLACT_LN2_LO), lo);
  realv r = r1 + c;
  realv re = (r1 - r) + c;
  realv q = fma(RV(CLACT_EXP_C7), r, RV(CLACT_EXP_C6));
  q = fma(q, r, RV(CLACT_EXP_C5));
  q = fma(q, r, RV(CLACT_EXP_C4));
  q = fma(q, r, RV(CLACT_EXP_C3));
  q = fma(q, r, RV(CLACT_EXP_C2));
  *t = fma(r * r, q, re);
  *k = AS_INTV(sh) - 0x4b400000; /* bits of 1.5*2^23 */
  return r;
}

/* e^(hi + lo) = 2^k (m + ml), a normalised pair (|ml| <= ulp(m)/2 + tiny): 1 + (r + t) by two
 * exact Fast2Sums (|t| < |r| < 1), good to ~2^-30 relative. */
static inline realv clact_exp_dd(realv hi, realv lo, intv *k, realv *ml) {
  realv t;
  realv r = clact_exp_core(hi, lo, k, &t);
  realv s = r + t;
  realv sl = (r - s) + t;
  realv m = 1.0f + s;
  *ml = ((1.0f - m) + s) + sl;
  return m;
}

/* e^(hi + lo) - 1 (softplus backward from y). 2^k (1 + r + t) - 1 = (2^k - 1) + 2^k (r + t): the
 * first term is exact for k in [-24, 100], so there is no cancellation and the result is rounded
 * about once (k = 0: it is r + t). Beyond 2^100 the power is applied in two steps (overflow to
 * inf where e^(hi+lo) does); below e^-40 the result is -1. expm1(+-0) = +-0. */
static inline realv clact_expm1(realv hi, realv lo) {
  realv h = hi < -40.0f ? RV(-40.0f) : hi;
  intv k;
  realv t;
  realv r = clact_exp_core(h, lo, &k, &t);
  intv kc = k > 100 ? (intv)100 : k;
  realv p = clact_pow2i(kc);
  realv em1 = clact_ldexp(fma(p, r + t, p - 1.0f), k - kc);
  return hi == 0.0f ? hi : em1;
}

/* e^x - 1 for x <= 0 as a pair eh + *el (elu): the same decomposition with every rounding error
 * kept (2^k - 1 and its tail exact, r + t and 2^k (r + t) with TwoSum), so alpha*(eh + el) can be
 * rounded once. x < -40 gives -1 - tiny. */
static inline realv clact_expm1_dd(realv x, realv *el) {
  realv h = x < -40.0f ? RV(-40.0f) : x;
  intv k;
  realv t;
  realv r = clact_exp_core(h, RV(0.0f), &k, &t);
  realv p = clact_pow2i(k < -126 ? (intv)(-126) : k);
  realv pm1 = p - 1.0f;
  realv pm1l = p - (pm1 + 1.0f); /* Fast2Sum(-1, p), p <= 1 */
  realv rt = r + t;
  realv rtl = (r - rt) + t; /* Fast2Sum, |t| < |r| */
  realv e1;
  realv eh = clact_two_sum(pm1, p * rt, &e1);
  *el = e1 + (pm1l + p * rtl);
  return eh;
}

/* 2^max(k, -60), k <= 0: the scale of a term that is only ever added to numbers >= 1/2, where
 * below 2^-60 it is invisible; clamping there keeps every product normal (a subnormal operand or
 * result costs a ~100-cycle microcode assist on x86 for the whole vector). */
static inline realv clact_pow2_60(intv k) {
  return clact_pow2i(k < -60 ? (intv)(-60) : k);
}

/* 1 + 2^k (m + ml) for k <= 0 as dh + *dl (exact to ~2^-48, see clact_pow2_60). */
static inline realv clact_one_plus(realv m, realv ml, intv k, realv *dl) {
  realv p = clact_pow2_60(k);
  realv eh = m * p;
  realv dh = 1.0f + eh;
  *dl = ((1.0f - dh) + eh) + ml * p;
  return dh;
}

/* dy * g * 2^k: the part of 2^k below 2^-64 is applied after dy, so a large dy times a subnormal
 * derivative stays right. For k >= -64, g 2^k is the derivative itself (dy times it overflows
 * only where the result does); below, |g 2^-64 dy| < 2^128 needs |g| < 2^64 (all callers). */
static inline realv clact_mul_pow2(realv dy, realv g, intv k) {
  intv ka = k < -64 ? (intv)(-64) : k;
  return clact_ldexp(dy * (g * clact_pow2i(ka)), k - ka);
}

/* ---------------------------------------------------------------------------------------------
 * The logistic family: sigma(z) = 1/(1 + e^-z) with e = e^-|z|:
 *   z >= 0: 1/(1 + e);   z < 0: e/(1 + e);   sigma'(z) = e/(1 + e)^2.
 * The pair quotients are within ~0.5 ulp of the exact value of the pairs, and the pairs carry
 * e^-|z| to ~2^-30, so sigma is within ~0.6 ulp. */

/* x * sigma(zh + zl) = q * 2^k (sign(z) = sign(x); x = 1 gives sigma). k = 0 for z >= 0. */
static inline realv clact_xsigmoid(realv x, realv zh, realv zl, intv *ks) {
  realv hi = zh < 0.0f ? zh : -zh;
  realv lo = zh < 0.0f ? zl : -zl;
  intv k;
  realv ml;
  realv m = clact_exp_dd(hi, lo, &k, &ml);
  realv dl;
  realv dh = clact_one_plus(m, ml, k, &dl);
  realv xm = x * m;
  realv xml = fma(x, m, -xm) + x * ml;
  realv nh = zh < 0.0f ? xm : x;
  realv nl = zh < 0.0f ? xml : RV(0.0f);
  *ks = zh < 0.0f ? k : (intv)0;
  return clact_div_dd(nh, nl, dh, dl);
}

/* sigma'(zh + zl) = e/(1 + e)^2 = g * 2^k, (1+e)^2 formed as a pair. */
static inline realv clact_sigmoid_d(realv zh, realv zl, intv *k) {
  realv hi = zh < 0.0f ? zh : -zh;
  realv lo = zh < 0.0f ? zl : -zl;
  realv ml;
  realv m = clact_exp_dd(hi, lo, k, &ml);
  realv dl;
  realv dh = clact_one_plus(m, ml, *k, &dl);
  realv d2 = dh * dh;
  realv d2l = fma(dh, dh, -d2) + 2.0f * dh * dl;
  return clact_div_dd(m, ml, d2, d2l);
}

/* dy * d/dx[x sigma(z(x))] = dy * (sigma(z) + v sigma(z) sigma(-z)), v = x z'(x), sign(v) =
 * sign(z) = sign(x) (silu: z = v = x; gelu_tanh: z = 2u, v = 2x u'). With e = e^-|z|:
 *   z < 0:  e (1 + e + v) / (1+e)^2   (v < 0: 1 + e + v cancels at the root of f'; there the
 *           sum is exact (Sterbenz) and the bound's M term, e (1 + e + |v|)/(1+e)^2, covers it)
 *   z >= 0: (1 + e + v e) / (1+e)^2. */
static inline realv clact_xsigmoid_bwd(realv zh, realv zl, realv v, realv dy) {
  realv hi = zh < 0.0f ? zh : -zh;
  realv lo = zh < 0.0f ? zl : -zl;
  intv k;
  realv ml;
  realv m = clact_exp_dd(hi, lo, &k, &ml);
  realv p = clact_pow2_60(k);
  realv eh = m * p;
  realv el = ml * p;
  realv dh = 1.0f + eh;
  realv dl = ((1.0f - dh) + eh) + el;
  realv d2 = dh * dh;
  realv d2l = fma(dh, dh, -d2) + 2.0f * dh * dl;
  /* z < 0 */
  realv b = (dh + v) + dl;
  realv nhn = m * b;
  realv nln = fma(m, b, -nhn) + ml * b;
  /* z >= 0 */
  realv ve = v * eh;
  realv e2;
  realv nhp = clact_two_sum(dh, ve, &e2);
  realv nlp = e2 + (dl + (fma(v, eh, -ve) + v * el));
  realv g = clact_div_dd(zh < 0.0f ? nhn : nhp, zh < 0.0f ? nln : nlp, d2, d2l);
  return clact_mul_pow2(dy, g, zh < 0.0f ? k : (intv)0);
}

/* sigma(x), within ~0.6 ulp, no intermediate underflow (subnormal results rounded once). */
static inline realv clact_sigmoid(realv x) {
  intv k;
  realv q = clact_xsigmoid(RV(1.0f), x, RV(0.0f), &k);
  return clact_ldexp(q, k);
}

/* tanh x, within ~0.6 ulp (the method: kernels/tanh.cl); tanh(-0) = -0. */
static inline realv clact_tanh(realv x) {
  realv a = fabs(x);
  realv a2 = a * a;
  realv q = fma(RV(CLACT_TANH_C11), a2, RV(CLACT_TANH_C9));
  q = fma(q, a2, RV(CLACT_TANH_C7));
  q = fma(q, a2, RV(CLACT_TANH_C5));
  q = fma(q, a2, RV(CLACT_TANH_C3));
  realv small = fma(a, a2 * q, a);
  intv k;
  realv ml;
  realv m = clact_exp_dd(-2.0f * a, RV(0.0f), &k, &ml);
  realv pk = clact_pow2_60(k);
  realv eh = m * pk;
  realv el = ml * pk;
  realv nh = 1.0f - eh;
  realv nl = ((1.0f - nh) - eh) - el;
  realv dh = 1.0f + eh;
  realv dl = ((1.0f - dh) + eh) + el;
  realv big = clact_div_dd(nh, nl, dh, dl);
  return copysign(a < 0.5f ? small : big, x);
}

/* z = beta x as an exact pair zh + *zl (zl = 0 where zh is infinite). */
static inline realv clact_scaled_pair(realv x, realv beta, realv *zl) {
  realv zh = beta * x;
  realv l = fma(beta, x, -zh);
  *zl = isinf(zh) ? RV(0.0f) : l;
  return zh;
}

/* log1p(e^z)/beta for z = zh + zl (an exact pair), beta > 0: the body of softplus, whose comment
 * (kernels/softplus.cl) says how: ~0.6 ulp for every beta. */
static inline realv clact_log1pexp(realv zh, realv zl, realv beta) {
  realv hi = zh > 0.0f ? -zh : zh;
  realv lo = zh > 0.0f ? -zl : zl;
  intv k;
  realv ml;
  realv m = clact_exp_dd(hi, lo, &k, &ml);
  realv w = m * clact_pow2_60(k); /* exact where w > 1/2 (k = 0, -1); the argument of G only */
  intv up = w > 0.5f;
  realv u = up ? (w - 1.0f) * 0.5f : w;
  realv g = fma(RV(CLACT_LOG1P_C12), u, RV(CLACT_LOG1P_C11));
  g = fma(g, u, RV(CLACT_LOG1P_C10));
  g = fma(g, u, RV(CLACT_LOG1P_C9));
  g = fma(g, u, RV(CLACT_LOG1P_C8));
  g = fma(g, u, RV(CLACT_LOG1P_C7));
  g = fma(g, u, RV(CLACT_LOG1P_C6));
  g = fma(g, u, RV(CLACT_LOG1P_C5));
  g = fma(g, u, RV(CLACT_LOG1P_C4));
  g = fma(g, u, RV(CLACT_LOG1P_C3));
  g = fma(g, u, RV(CLACT_LOG1P_C2));
  realv pu = u * g; /* log1p(u) = u (1 + pu) */
  /* w > 1/2: log1p(w) = (ln2_hi + u) + (ln2_lo + u pu + ul (1 - u)), ul = 2^k ml / 2 the tail of u
   * (1/(1+u) ~ 1 - u is plenty for it); exact TwoSum for the leading part. */
  realv e;
  realv ah = clact_two_sum(RV(CLACT_LN2_HI), u, &e);
  realv bup = e + (CLACT_LN2_LO +
                   fma(u, pu, 0.5f * ml * clact_pow2i(k < -1 ? (intv)(-1) : k) * (1.0f - u)));
  /* w <= 1/2: log1p(w)/2^k = m (1 + pu) + ml/(1 + w), 1/(1 + w) ~ 1 - w/2 (k applied later) */
  realv blo = fma(pu, m, ml * fma(RV(-0.5f), u, RV(1.0f)));
  ah = up ? ah : m;
  realv b = up ? bup : blo;
  intv kl = up ? (intv)0 : k;
  realv lh = ah + b;
  realv ll = (ah - lh) + b;     /* Fast2Sum: |b| < |ah| */
  realv pl = clact_pow2_60(kl); /* z > 41 when it clamps: log1p(w) < 2^-60 z */
  realv s = clact_two_sum(zh, lh * pl, &e);
  realv sl = e + (zl + ll * pl);
  realv q = clact_div_dd(zh > 0.0f ? s : lh, zh > 0.0f ? sl : ll, beta, RV(0.0f));
  return clact_ldexp(q, zh > 0.0f ? (intv)0 : kl);
}

/* ---------------------------------------------------------------------------------------------
 * Scaling, log, atan, asinh, sin/cos (issue 3). Same rules as above: fma-only, straight-line,
 * no subnormal intermediates where the result is normal. Coefficients and their errors:
 * bench/lab/math/gen_coeffs2.sollya; exhaustive host sweeps of the helpers:
 * bench/lab/math/sweep2.c. */

/* v = m 2^e with |m| in [1/2, 1) for finite nonzero v (subnormals included: scaled by 2^64
 * first); m = v, e = 0 for zeros, infinities and NaN. Bit operations only. */
static inline realv clact_frexp(realv v, intv *e) {
  realv a = fabs(v);
  intv sub = a < 0x1p-126f;
  intv bits = AS_INTV(sub ? v * 0x1p64f : v);
  intv ex = (bits >> 23) & 0xff;
  intv special = (a == 0.0f) | (ex == 0xff);
  *e = special ? (intv)0 : ex - (sub ? (intv)190 : (intv)126);
  return special ? v : AS_REALV((bits & (intv)0x807fffff) | (intv)0x3f000000);
}

/* v * 2^k for any int k (|k| < 2^24), rounded once: the mantissa of v (in [1/2, 1)) is scaled by
 * clact_ldexp, whose clamp of the exponent to [-252, 254] is then exact. */
static inline realv clact_ldexp_wide(realv v, intv k) {
  intv e;
  realv m = clact_frexp(v, &e);
  return clact_ldexp(m, e + k);
}

/* a * b * 2^k for any floats a, b (subnormal, huge) and int k: both mantissas are normalised,
 * their product (in [1/4, 1), one rounding) is scaled last, so nothing over- or underflows before
 * the result does (a second rounding only for a subnormal result). A zero or infinite factor
 * gives the plain product's zero, infinity or NaN (0 * inf). */
static inline realv clact_mul_scaled(realv a, realv b, intv k) {
  intv ea, eb;
  realv ma = clact_frexp(a, &ea);
  realv mb = clact_frexp(b, &eb);
  return clact_ldexp(ma * mb, ea + eb + k);
}

/* e^(hi + lo) = 2^k (m + ml) as clact_exp_dd, for hi in [-310, 199.9] rather than [-200, 89] (a
 * result times a huge or tiny factor can still be a float there: alpha e^z, x^beta, dy e^x): above
 * 80 the argument is first lowered by 160 ln 2, below -100 raised by it (160 CLACT_LN2_HI and
 * 160 CLACT_LN2_LO are exact: 24 bits), the sum kept as an exact pair, and k moved by 160.
 * Clamped beyond (e^199.9 > 2^288: even times 2^-149 it overflows; e^-310 < 2^-447). */
static inline realv clact_exp_wide(realv hi, realv lo, intv *k, realv *ml) {
  intv big = hi > 80.0f;
  intv small = hi < -100.0f;
  realv sh = big ? RV(-1.0f) : RV(1.0f);
  realv e;
  realv h = clact_two_sum(hi, sh * (160.0f * CLACT_LN2_HI), &e);
  realv l = (lo + e) + sh * (160.0f * CLACT_LN2_LO);
  intv shift = big | small;
  realv m = clact_exp_dd(shift ? h : hi, shift ? l : lo, k, ml);
  *k = *k + (big ? (intv)160 : (small ? (intv)(-160) : (intv)0));
  return m;
}

/* e^(hi + lo) - 1 = 2^*s (h + *l), hi in [-inf, 199.9] (clamped beyond). Where e^(hi+lo) < 2^60
 * (k <= 60): s = 0 and h + l = (2^k - 1) + 2^k (r + t), the expm1 decomposition of
 * clact_expm1_dd with every rounding error kept (no cancellation; ~2^-25 relative at worst, the
 * float tail r^2 q of the exp near the ends of its reduction: sweep2 helper expm1; below e^-40
 * it is -1 to 2^-57). Above: s = k and h + l = e^(hi+lo) / 2^k (the -1 is below 2^-60 of it),
 * the argument lowered by 160 ln 2 first as in clact_exp_wide. Zeros are +0 (callers keep the
 * sign of their own zeros). */
static inline realv clact_expm1_scaled(realv hi, realv lo, intv *s, realv *l) {
  intv big = hi > 80.0f;
  realv e;
  realv hr = clact_two_sum(hi, RV(-160.0f * CLACT_LN2_HI), &e);
  realv h = big ? hr : hi;
  realv lw = big ? (lo + e) - RV(160.0f * CLACT_LN2_LO) : lo;
  lw = h < -40.0f ? RV(0.0f) : lw;
  h = h < -40.0f ? RV(-40.0f) : h;
  intv k;
  realv t;
  realv r = clact_exp_core(h, lw, &k, &t);
  realv rt = r + t;
  realv rtl = (r - rt) + t; /* Fast2Sum, |t| < |r| */
  /* k <= 60: (2^k - 1) + 2^k (rt + rtl), both sums exact TwoSums */
  realv p = clact_pow2i(k > 60 ? (intv)60 : k); /* k >= -58 here (h >= -40) */
  realv a1;
  realv a = clact_two_sum(p, RV(-1.0f), &a1);
  realv b1;
  realv sh = clact_two_sum(a, p * rt, &b1);
  realv sl = b1 + (a1 + p * rtl);
  /* k > 60: 1 + rt + rtl */
  realv m = 1.0f + rt;
  realv mlo = ((1.0f - m) + rt) + rtl;
  intv large = big | (k > 60);
  *s = large ? k + (big ? (intv)160 : (intv)0) : (intv)0;
  *l = large ? mlo : sl;
  return large ? m : sh;
}

/* ln: x = m 2^e with m in [3/4, 3/2), and ln m = -ln c + log1p(u), u = m c - 1, with c in
 * {5/4, 1, 7/8, 3/4} chosen by m (boundaries 8/9, 16/15, 16/13): |u| <= 1/8, and the fma gives u
 * exactly (c has 3 bits, so m c - 1 fits 24 bits). log1p(u) = u - u^2/2 + u^3 P(u) (2^-35
 * relative). e ln 2 uses a 16-bit head of ln 2 (exact times any |e| < 256) and two float tails;
 * -ln c is a pair. */
#define CLACT_LOG_P0 0x1.555556p-2f
#define CLACT_LOG_P1 -0x1p-2f
#define CLACT_LOG_P2 0x1.9996ap-3f
#define CLACT_LOG_P3 -0x1.55524ap-3f
#define CLACT_LOG_P4 0x1.263f1p-3f
#define CLACT_LOG_P5 -0x1.035b8cp-3f
#define CLACT_LOG_P6 0x1.3f83e8p-4f
#define CLACT_LOG_C125_H -0x1.c8ff7cp-3f
#define CLACT_LOG_C125_L -0x1.e6a688p-29f
#define CLACT_LOG_C0875_H 0x1.1178e8p-3f
#define CLACT_LOG_C0875_L 0x1.13f23ep-30f
#define CLACT_LOG_C075_H 0x1.269622p-2f
#define CLACT_LOG_C075_L -0x1.d9648ep-27f
#define CLACT_LN2_H16 0x1.62e4p-1f
#define CLACT_LN2_M24 0x1.7f7d1cp-20f
#define CLACT_LN2_L24 0x1.ef357ap-45f

/* ln((xh + xl) 2^kx) = hi + *lo for xh > 0 finite (subnormals included), |xl| <= ulp(xh), any
 * int kx (|kx| < 2^20). The pieces are summed with exact TwoSums; the error is that of the
 * rounded tail u^3 P (relative 2^-24 of it, at most 2^-31.6 of ln where ln ~ u, far less
 * elsewhere) and of xl/xh to first order (2^-49 absolute). Zero, negative, infinite and NaN
 * arguments are the caller's to handle. */
static inline realv clact_log_dd(realv xh, realv xl, intv kx, realv *lo) {
  intv e;
  realv m = clact_frexp(xh, &e);
  intv lowm = m < 0.75f;
  m = lowm ? m * 2.0f : m;
  e = lowm ? e - 1 : e;
  intv i0 = m < 0x1.c71c72p-1f; /* 8/9 */
  intv i1 = m < 0x1.111112p0f;  /* 16/15 */
  intv i2 = m < 0x1.3b13b2p0f;  /* 16/13 */
  realv c = i0 ? RV(1.25f) : (i1 ? RV(1.0f) : (i2 ? RV(0.875f) : RV(0.75f)));
  realv lch = i0 ? RV(CLACT_LOG_C125_H)
                 : (i1 ? RV(0.0f) : (i2 ? RV(CLACT_LOG_C0875_H) : RV(CLACT_LOG_C075_H)));
  realv lcl = i0 ? RV(CLACT_LOG_C125_L)
                 : (i1 ? RV(0.0f) : (i2 ? RV(CLACT_LOG_C0875_L) : RV(CLACT_LOG_C075_L)));
  realv u = fma(m, c, RV(-1.0f));
  realv p = fma(RV(CLACT_LOG_P6), u, RV(CLACT_LOG_P5));
  p = fma(p, u, RV(CLACT_LOG_P4));
  p = fma(p, u, RV(CLACT_LOG_P3));
  p = fma(p, u, RV(CLACT_LOG_P2));
  p = fma(p, u, RV(CLACT_LOG_P1));
  p = fma(p, u, RV(CLACT_LOG_P0));
  realv u2l;
  realv u2 = clact_two_prod(u, u, &u2l);
  realv ef = CONVERT_REALV(e + kx);
  realv e1, e2, e3;
  realv s = clact_two_sum(ef * CLACT_LN2_H16, lch, &e1);
  s = clact_two_sum(s, u, &e2);
  s = clact_two_sum(s, -0.5f * u2, &e3);
  realv tail =
      ((e1 + e2) + (e3 + lcl)) +
      ((fma(ef, RV(CLACT_LN2_M24), ef * CLACT_LN2_L24) - 0.5f * u2l) + (u2 * u * p + xl / xh));
  realv h = s + tail;
  *lo = (s - h) + tail;
  return h;
}

/* atan x = hi + *lo, within ~2^-30 relative. t = |x|: t <= tan(pi/8): s = t; t <= tan(3pi/8):
 * s = (t - 1)/(t + 1) + pi/4; beyond: s = -1/t + pi/2; s as a pair from the exact residual of
 * the quotient, atan s = s + s^3 P(s^2) (2^-33 relative, |s| <= tan(pi/8)) plus the tail of s
 * over 1 + s^2. t is clamped at 2^60 (atan rounds to pi/2 from 2^25 on). atan(-0) = -0. */
#define CLACT_ATAN_P0 -0x1.555556p-2f
#define CLACT_ATAN_P1 0x1.999a7p-3f
#define CLACT_ATAN_P2 -0x1.24b8c4p-3f
#define CLACT_ATAN_P3 0x1.cd0456p-4f
#define CLACT_ATAN_P4 -0x1.ac5976p-4f
#define CLACT_ATAN_P5 0x1.1a0628p-3f
#define CLACT_ATAN_P6 -0x1.45b29p-3f
#define CLACT_PI4_H 0x1.921fb6p-1f
#define CLACT_PI4_L -0x1.777a5cp-26f
#define CLACT_PI2_H 0x1.921fb6p0f
#define CLACT_PI2_L -0x1.777a5cp-25f

static inline realv clact_atan_dd(realv x, realv *lo) {
  realv t = fabs(x);
  t = t > 0x1p60f ? RV(0x1p60f) : t;
  intv p0 = t <= 0x1.a8279ap-2f; /* tan(pi/8) */
  intv p1 = t <= 0x1.3504f4p1f;  /* tan(3pi/8) */
  realv e1, e2;
  realv tm = clact_two_sum(t, RV(-1.0f), &e1);
  realv tp = clact_two_sum(t, RV(1.0f), &e2);
  realv nh = p0 ? t : (p1 ? tm : RV(-1.0f));
  realv nl = p0 ? RV(0.0f) : (p1 ? e1 : RV(0.0f));
  realv dh = p0 ? RV(1.0f) : (p1 ? tp : t);
  realv dl = p0 ? RV(0.0f) : (p1 ? e2 : RV(0.0f));
  realv s = nh / dh;
  realv sl = (fma(-s, dh, nh) + fma(-s, dl, nl)) / dh;
  realv z = s * s;
  realv q = fma(RV(CLACT_ATAN_P6), z, RV(CLACT_ATAN_P5));
  q = fma(q, z, RV(CLACT_ATAN_P4));
  q = fma(q, z, RV(CLACT_ATAN_P3));
  q = fma(q, z, RV(CLACT_ATAN_P2));
  q = fma(q, z, RV(CLACT_ATAN_P1));
  q = fma(q, z, RV(CLACT_ATAN_P0));
  realv oh = p0 ? RV(0.0f) : (p1 ? RV(CLACT_PI4_H) : RV(CLACT_PI2_H));
  realv ol = p0 ? RV(0.0f) : (p1 ? RV(CLACT_PI4_L) : RV(CLACT_PI2_L));
  realv e;
  realv h = clact_two_sum(oh, s, &e);
  /* 1/(1 + z) ~ 1 - z + z^2 for the tail sl (z <= 0.172: 2^-7.6 of a term below 2^-24 s) */
  realv tail = (e + ol) + fma(s * z, q, sl * fma(z, z - 1.0f, RV(1.0f)));
  realv r = h + tail;
  realv rl = (h - r) + tail;
  realv sg = copysign(RV(1.0f), x);
  *lo = rl * sg;
  return r * sg;
}

/* asinh x: |x| < 1/2: a + a^3 P(a^2) (2^-33 relative); else ln(a + sqrt(a^2 + 1)) with the
 * square root and the sum as exact pairs (the root from its fma residual, so a sqrt good to a
 * few ulp is enough) and the pair's log; beyond 2^60, ln a + ln 2. ~0.55 ulp; asinh(-0) = -0. */
#define CLACT_ASINH_P0 -0x1.555556p-3f
#define CLACT_ASINH_P1 0x1.3333c4p-4f
#define CLACT_ASINH_P2 -0x1.6dd9ap-5f
#define CLACT_ASINH_P3 0x1.f548e4p-6f
#define CLACT_ASINH_P4 -0x1.837da6p-6f
#define CLACT_ASINH_P5 0x1.4eb6d4p-6f
#define CLACT_ASINH_P6 -0x1.b7bc52p-7f

static inline realv clact_asinh(realv x) {
  realv a = fabs(x);
  realv z = a * a;
  realv q = fma(RV(CLACT_ASINH_P6), z, RV(CLACT_ASINH_P5));
  q = fma(q, z, RV(CLACT_ASINH_P4));
  q = fma(q, z, RV(CLACT_ASINH_P3));
  q = fma(q, z, RV(CLACT_ASINH_P2));
  q = fma(q, z, RV(CLACT_ASINH_P1));
  q = fma(q, z, RV(CLACT_ASINH_P0));
  realv small = fma(a * z, q, a);
  intv huge = a > 0x1p60f;
  realv ac = huge ? RV(1.0f) : a; /* keeps a^2 finite; the huge branch uses a itself */
  realv a2l;
  realv a2 = clact_two_prod(ac, ac, &a2l);
  realv e;
  realv sh = clact_two_sum(a2, RV(1.0f), &e);
  realv sl = e + a2l; /* a^2 + 1 = sh + sl */
  realv rh = sqrt(sh);
  realv rl = (fma(-rh, rh, sh) + sl) / (rh + rh);
  realv wh = clact_two_sum(ac, rh, &e);
  realv wl = e + rl;
  realv lo;
  realv big = clact_log_dd(huge ? a : wh, huge ? RV(0.0f) : wl, huge ? (intv)1 : (intv)0, &lo);
  big = big + lo;
  realv r = a < 0.5f ? small : big;
  r = a < INFINITY ? r : a; /* asinh(+-inf) = +-inf; NaN stays in small */
  return copysign(r, x);
}

/* ---- sin and cos ---------------------------------------------------------------------------
 * Reduction x = n pi/2 + theta, |theta| <= pi/4, exact for every float (Payne-Hanek, integer
 * arithmetic): with x = M 2^(e-23) (M the 24-bit significand), only bits e-24 .. e+71 of 2/pi
 * matter (earlier bits contribute multiples of 4 quadrants, later ones less than 2^-70), so a
 * 96-bit window W of 2/pi starting at bit e-24 is cut from the table (words selected per lane,
 * shifted), and x 2/pi mod 4 = M W 2^-94 mod 4: the two integer bits and 64 fraction bits come
 * from three 32x32 products (lo and mul_hi) and two carries. The fraction, rounded to the nearest
 * quadrant, is converted to floats exactly (24 + 24 + 16 bits) and multiplied by pi/2 as a pair:
 * theta to ~2^-64 absolute, far below its size for every float (the closest float to a multiple
 * of pi/2 is still ~2^-30 away in quadrant units). |x| < pi/4: theta = x. */
#define CLACT_2PI_W1 0xA2F9836Eu /* 2/pi, bits 1..32 */
#define CLACT_2PI_W2 0x4E441529u
#define CLACT_2PI_W3 0xFC2757D1u
#define CLACT_2PI_W4 0xF534DDC0u
#define CLACT_2PI_W5 0xDB629599u
#define CLACT_2PI_W6 0x3C439041u
#define CLACT_2PI_W7 0xFE5163ABu /* bits 193..224 */
/* word j + i of the table U = {0, W1, ..., W7} (bit 0 of U: the bit of weight 2^31 before the
 * binary point), j in [0, 4] per lane */
#define CLACT_2PI_U(n)                                                                             \
  ((n) == 0   ? 0u                                                                                 \
   : (n) == 1 ? CLACT_2PI_W1                                                                       \
   : (n) == 2 ? CLACT_2PI_W2                                                                       \
   : (n) == 3 ? CLACT_2PI_W3                                                                       \
   : (n) == 4 ? CLACT_2PI_W4                                                                       \
   : (n) == 5 ? CLACT_2PI_W5                                                                       \
   : (n) == 6 ? CLACT_2PI_W6                                                                       \
              : CLACT_2PI_W7)
#define CLACT_2PI_SEL(j, i)                                                                        \
  ((j) == 0   ? (uintv)CLACT_2PI_U(i)                                                              \
   : (j) == 1 ? (uintv)CLACT_2PI_U(i + 1)                                                          \
   : (j) == 2 ? (uintv)CLACT_2PI_U(i + 2)                                                          \
   : (j) == 3 ? (uintv)CLACT_2PI_U(i + 3)                                                          \
              : (uintv)CLACT_2PI_U(i + 4))

/* |x| = n pi/2 + th + *tl for finite x (n in [0, 3]), |th + tl| <= pi/4 + 2^-60; infinities and
 * NaN give NaN in th. */
static inline realv clact_rem_pio2(realv x, intv *n, realv *tl) {
  realv a = fabs(x);
  uintv ux = AS_UINTV(a);
  intv e = AS_INTV(ux >> 23) - 127;
  e = e < -1 ? (intv)(-1) : e;
  e = e > 127 ? (intv)127 : e;
  uintv mant = (ux & 0x7fffffu) | 0x800000u;
  intv q0 = e + 7; /* first window bit in U: bit e-24 of 2/pi */
  intv j = q0 >> 5;
  uintv sh = AS_UINTV(q0 & 31);
  uintv rs = (uintv)31 - sh;
  uintv u0 = CLACT_2PI_SEL(j, 0), u1 = CLACT_2PI_SEL(j, 1);
  uintv u2 = CLACT_2PI_SEL(j, 2), u3 = CLACT_2PI_SEL(j, 3);
  uintv w2 = (u0 << sh) | ((u1 >> 1) >> rs); /* (>> 1) >> (31 - s): no shift by 32 at s = 0 */
  uintv w1 = (u1 << sh) | ((u2 >> 1) >> rs);
  uintv w0 = (u2 << sh) | ((u3 >> 1) >> rs);
  /* P = mant * (w2:w1:w0), bits 0..95 (higher bits are multiples of 4 quadrants) */
  uintv r0 = mant * w0;
  uintv c0 = mul_hi(mant, w0);
  uintv p1 = mant * w1;
  uintv c1 = mul_hi(mant, w1);
  uintv r1 = p1 + c0;
  uintv r2 = mant * w2 + c1 + (r1 < p1 ? (uintv)1 : (uintv)0);
  /* quadrant = bits 94, 95; fraction = bits 93..30, as a signed 64-bit value after rounding to
   * the nearest quadrant (hi32 read as signed) */
  uintv hi32 = (r2 << 2) | (r1 >> 30);
  uintv lo32 = (r1 << 2) | (r0 >> 30);
  *n = AS_INTV(((r2 >> 30) + (hi32 >> 31)) & 3u);
  intv hs = AS_INTV(hi32);
  realv fa = CONVERT_REALV(hs >> 8) * 0x1p-24f;
  realv fb = CONVERT_REALV(AS_INTV(((hi32 & 0xffu) << 16) | (lo32 >> 16))) * 0x1p-48f;
  realv fc = CONVERT_REALV(AS_INTV(lo32 & 0xffffu)) * 0x1p-64f;
  realv fe;
  realv fh = clact_two_sum(fa, fb, &fe);
  realv fl = fe + fc;
  realv th = fh * CLACT_PI2_H;
  realv tlo = fma(fh, RV(CLACT_PI2_H), -th) + fma(fh, RV(CLACT_PI2_L), fl * CLACT_PI2_H);
  intv small = a < 0x1.921fb6p-1f; /* pi/4 */
  *n = small ? (intv)0 : *n;
  *tl = small ? RV(0.0f) : tlo;
  th = small ? a : th;
  return a < INFINITY ? th : x - x;
}

/* sin t, t in [0, pi/4]: t + t^3 S(t^2) (2^-31 relative); cos t = 1 - t^2/2 + t^4 C(t^2)
 * (2^-33). */
#define CLACT_SIN_S0 -0x1.555556p-3f
#define CLACT_SIN_S1 0x1.111198p-7f
#define CLACT_SIN_S2 -0x1.a082ecp-13f
#define CLACT_SIN_S3 0x1.876366p-19f
#define CLACT_COS_C0 0x1.555556p-5f
#define CLACT_COS_C1 -0x1.6c17d2p-10f
#define CLACT_COS_C2 0x1.a0f30ep-16f
#define CLACT_COS_C3 -0x1.582546p-22f

/* sin x = sh + *sl and cos x = ch + *cl as normalised pairs (the high part is the rounded value,
 * within 0.73 ulp for every finite x: exhaustive sweep), NaN for infinities and NaN. The pairs are
 * good to 2^-25.5 relative (the float tail t^3 S, up to a tenth of sin t near pi/4, carries three
 * roundings), enough to round a quotient or square of them once. The sign of sin is applied
 * last, so sin(-0) = -0. */
static inline realv clact_sincos(realv x, realv *sl, realv *ch, realv *cl) {
  intv n;
  realv tl;
  realv th = clact_rem_pio2(x, &n, &tl);
  realv zl;
  realv z = clact_two_prod(th, th, &zl);
  realv s = fma(RV(CLACT_SIN_S3), z, RV(CLACT_SIN_S2));
  s = fma(s, z, RV(CLACT_SIN_S1));
  s = fma(s, z, RV(CLACT_SIN_S0));
  realv c = fma(RV(CLACT_COS_C3), z, RV(CLACT_COS_C2));
  c = fma(c, z, RV(CLACT_COS_C1));
  c = fma(c, z, RV(CLACT_COS_C0));
  /* sin(th + tl) = th + (th z S + tl (1 - z/2)) */
  realv st = fma(th * z, s, tl * fma(RV(-0.5f), z, RV(1.0f)));
  realv sh0 = th + st;
  realv sl0 = (th - sh0) + st;
  /* cos(th + tl) = (1 - z/2) + (z^2 C - zl/2 - th tl): 1 - z/2 by Fast2Sum (z/2 <= 0.31) */
  realv hz = 0.5f * z;
  realv c1 = 1.0f - hz;
  realv ct = (((1.0f - c1) - hz) - 0.5f * zl) + fma(z * z, c, -th * tl);
  realv ch0 = c1 + ct;
  realv cl0 = (c1 - ch0) + ct;
  /* quadrants: sin(n pi/2 + t) = sin t, cos t, -sin t, -cos t; cos: cos t, -sin t, -cos t, sin t */
  intv odd = (n & 1) != 0;
  intv neg_s = (n & 2) != 0;
  intv neg_c = ((n + 1) & 2) != 0;
  realv ssh = odd ? ch0 : sh0, ssl = odd ? cl0 : sl0;
  realv cch = odd ? sh0 : ch0, ccl = odd ? sl0 : cl0;
  uintv sgn_s = (neg_s ? (uintv)0x80000000u : (uintv)0) ^ (AS_UINTV(x) & 0x80000000u);
  uintv sgn_c = neg_c ? (uintv)0x80000000u : (uintv)0;
  *sl = AS_REALV(AS_UINTV(ssl) ^ sgn_s);
  *ch = AS_REALV(AS_UINTV(cch) ^ sgn_c);
  *cl = AS_REALV(AS_UINTV(ccl) ^ sgn_c);
  return AS_REALV(AS_UINTV(ssh) ^ sgn_s);
}

/* ---- swish: x sigma(beta x), beta > 0 (swish, quick_gelu) ----------------------------------
 * z = beta x as an exact pair (a float z would cost |z| ulp in e^-|z|), x sigma(z) one pair
 * quotient (clact_xsigmoid: ~0.6 ulp), scaled last by clact_ldexp_wide (x up to 2^128 times
 * e^z down to e^-200). z > 40: the result rounds to x (x e^-z < ulp(x)/2), also keeping +inf;
 * z < -200: +-0 with the sign of x (|x| e^z < 2^128 e^-200 < 2^-160), also for x = -inf. */
static inline realv clact_swish_fwd(realv x, realv beta) {
  realv zl;
  realv zh = clact_scaled_pair(x, beta, &zl);
  intv k;
  realv q = clact_xsigmoid(x, zh, zl, &k);
  realv f = clact_ldexp_wide(q, k);
  f = zh > 40.0f ? x : f;
  f = zh < -200.0f ? copysign(RV(0.0f), x) : f;
  return x == 0.0f ? x : f;
}

/* dy (sigma(z) + z sigma(z) sigma(-z)): clact_xsigmoid_bwd with v = z, z clamped to [-200, 200]
 * (beyond, f' is 1 or e^z (1 + z) to far below a float; the clamp keeps its sign). f'(-inf) = 0. */
static inline realv clact_swish_bwd(realv x, realv dy, realv beta) {
  realv zl;
  realv zh = clact_scaled_pair(x, beta, &zl);
  realv zc = zh < -200.0f ? RV(-200.0f) : zh;
  zc = zc > 200.0f ? RV(200.0f) : zc;
  zl = zc == zh ? zl : RV(0.0f);
  realv dx = clact_xsigmoid_bwd(zc, zl, zc, dy);
  return (isinf(x) & (x < 0.0f)) ? dy * 0.0f : dx;
}
