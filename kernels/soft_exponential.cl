/* kernels/soft_exponential.cl: soft_exponential, alpha = p0 in [-1, 1]:
 *   alpha < 0:  -ln(1 - alpha (x + alpha))/alpha,   f' = 1/(1 - alpha (alpha + x))
 *   alpha = 0:  x,                                  f' = 1
 *   alpha > 0:  (e^(alpha x) - 1)/alpha + alpha,     f' = e^(alpha x)
 * From y (the inverse of f_alpha is f_-alpha): alpha < 0: e^(alpha y); alpha >= 0:
 * 1 + alpha (y - alpha). No kink. alpha < 0: f has a pole where w = 1 - alpha (x + alpha) = 0
 * (x = 1/alpha - alpha: f = -inf, f' = +inf) and is NaN beyond it (w < 0, x = -inf included);
 * f(+inf) = +inf. alpha > 0: f(-inf) = alpha - 1/alpha, f(+inf) = +inf. f(0) = alpha for
 * alpha > 0 (-ln(1 - alpha^2)/alpha for alpha < 0); for alpha = 0, f(-0) = -0. The range
 * [-1, 1] (the paper's) keeps e^(alpha x)/alpha and 1/alpha finite wherever the result is.
 * alpha < 0: x + alpha exact as a pair and z = -alpha (x + alpha) with every product exact
 * (TwoProduct), so w = 1 + z is exact to 2^-72 near the pole (1 + z itself is exact there,
 * Sterbenz); ln w from the prelude's pair log, or (x + alpha)(1 - z/2) for |z| < 2^-30: ~0.6 ulp.
 * alpha > 0: the direct form cancels at the root x* = ln(W)/alpha, W = 1 - alpha^2, so
 * f = W expm1(alpha (x - x*))/alpha with x* as a pair (below, ~2^-48 relative; for
 * alpha < 2^-12 the series -alpha - alpha^3 (1/2 + alpha^2/3)), and for |alpha (x - x*)| < 2^-30
 * f = W d (1 + alpha d/2), d = x - x*. alpha = 1 is e^x. Known limit: at the floats within an ulp
 * or two of x*, f is relative to x - x*, which x*'s 2^-48 resolves only to about 2^-48/|x - x*|:
 * for roughly a third of all alpha the float nearest x* exceeds 2 ulp (bench/lab/math/seroot: up
 * to 1.4e4 ulp over 20000 alpha, the worst where a float lies within 2^-37 of x*), and a few
 * alpha in ten thousand also at its neighbour. Closing that needs x* to ~2^-60 (triple floats). */
#if defined(CLACT_DTYPE_F64)
/* alpha = p0 in [-1, 1]. alpha in (0, 1): p1 + p2 = x* = ln(1 - alpha^2)/alpha as a pair, from
 * the host (host/launch.c, with host/reference.c's double-double logarithm): f = W expm1(z)/alpha,
 * W = 1 - alpha^2, z = alpha (x - x*) as a pair (no cancellation at the root x*); z > 700:
 * W/alpha e^z as m 2^k. alpha < 0: -ln(w)/alpha, w = 1 - alpha^2 - alpha x as a double-double
 * from the exact products, log1p(w - 1) where |w - 1| < 1/2. alpha = 1: e^x; 0: x. */
static inline realv softexp_w(realv x, real al, realv *wl, realv *z, realv *zl) {
  realv p1l, e1, e2;
  realv p1 = clact_two_prod(RV(al), x, &p1l);
  real p2 = al * al;
  real p2l = fma(al, al, -p2);
  realv s = clact_two_sum(RV(1.0), RV(-p2), &e1);
  realv t = clact_two_sum(s, -p1, &e2);
  realv err = (e1 + e2) - (p1l + RV(p2l));
  realv w = t + err;
  *wl = (t - w) + err;
  realv ez;
  *z = clact_two_sum(-p1, RV(-p2), &ez);
  *zl = ez - (p1l + RV(p2l)); /* w - 1 = z + zl */
  return w;
}
static inline realv soft_exponential_fwd(realv x, clact_p p) {
  real al = p.p0;
  /* alpha < 0 */
  realv wl, z, zl;
  realv w = softexp_w(x, al, &wl, &z, &zl);
  realv l = fabs(z) < RV(0.5) ? log1p(z) + zl / (RV(1.0) + z) : log(w) + wl / w;
  realv neg = w > RV(0.0) ? -l / RV(al) : (w == RV(0.0) ? RV(-INFINITY) : RV(NAN));
  neg = x == RV(INFINITY) ? x : neg;
  /* alpha in (0, 1) */
  realv dl;
  realv dh = clact_two_sum(x, RV(-p.p1), &dl);
  dl = dl - RV(p.p2);
  realv qh = clact_two_prod(RV(al), dh, &zl);
  zl = fma(RV(al), dl, zl);
  real Wh = 1.0 - al * al;
  real We = -fma(al, al, -(al * al)); /* exact: W = Wh + We */
  realv em = fma(zl, exp(qh), expm1(qh));
  realv mid = (RV(Wh) + RV(We)) * em / RV(al);
  realv k;
  realv m = clact_d_expk(qh, zl, &k);
  realv big = clact_d_mul_pow2(RV((Wh + We) / al), m, k);
  realv posr = qh > RV(700.0) ? big : mid;
  posr = isinf(x) ? (x > RV(0.0) ? x : RV(al - 1.0 / al)) : posr;
  realv r = al < 0.0 ? neg : (al == 1.0 ? exp(x) : posr);
  r = al == 0.0 ? x : r;
  return isnan(x) ? x + x : r;
}
static inline realv soft_exponential_bwd(realv x, realv dy, clact_p p) {
  real al = p.p0;
  realv wl, z, zl;
  realv w = softexp_w(x, al, &wl, &z, &zl);
  realv neg = w < RV(0.0) ? RV(NAN) : dy / w;
  neg = x == RV(INFINITY) ? dy * RV(0.0) : neg;
  realv pl;
  realv ph = clact_two_prod(RV(al), x, &pl);
  pl = isinf(ph) ? RV(0.0) : pl;
  realv k;
  realv m = clact_d_expk(ph, pl, &k);
  realv pos = isinf(x) ? dy * exp(ph) : clact_d_mul_pow2(dy, m, k);
  realv r = al < 0.0 ? neg : pos;
  r = al == 0.0 ? dy * RV(1.0) : r;
  return isnan(x) ? x + x : r;
}
static inline realv soft_exponential_bwd_y(realv y, realv dy, clact_p p) {
  real al = p.p0;
  realv pl;
  realv ph = clact_two_prod(RV(al), y, &pl);
  pl = isinf(ph) ? RV(0.0) : pl;
  realv k;
  realv m = clact_d_expk(ph, pl, &k);
  realv neg = isinf(y) ? dy * exp(ph) : clact_d_mul_pow2(dy, m, k);
  realv pos = dy * fma(RV(al), y - RV(al), RV(1.0));
  realv r = al < 0.0 ? neg : pos;
  r = al == 0.0 ? dy * RV(1.0) : r;
  return isnan(y) ? y + y : r;
}
#else
/* ln W for W = wh + wl in (0, 1] (|wl| <= ulp(wh)), W - 1 = vh + vl exactly, to ~2^-48 relative
 * (the limit of pair arithmetic): x* must be that good, or f = W (x - x*) ... loses digits at the
 * floats next to the root (for W in [8/9, 1], where ln W ~ W - 1 is small, W - 1 is taken from
 * (vh, vl): W's own pair carries an error of 2^-50 absolute, too much relative to ln W). As
 * clact_log_dd (x = m 2^e, u = m c - 1 exact, |u| <= 1/8), but log1p(u) = 2 atanh(s) with
 * s = u/(2 + u) (|s| <= 1/15) as a pair: 2s + s^3 (2/3 + 2s^2/5) (pairs; at most 2^-9.4 and
 * 2^-18 of the result) + s^7 (2/7 + 2s^2/9 + 2s^4/11 + 2s^6/13) (float, 2^-26.7 of it). */
#define CLACT_SE_2_3H 0x1.555556p-1f /* 2/3 = H + L */
#define CLACT_SE_2_3L -0x1.555556p-26f
#define CLACT_SE_2_5H 0x1.99999ap-2f /* 2/5 = H + L */
#define CLACT_SE_2_5L -0x1.99999ap-28f
#define CLACT_SE_2_7 0x1.24924ap-2f
#define CLACT_SE_2_9 0x1.c71c72p-3f
#define CLACT_SE_2_11 0x1.745d18p-3f
#define CLACT_SE_2_13 0x1.3b13b2p-3f

static inline realv se_log_hp(realv wh, realv wl, realv vh, realv vl, realv *lo) {
  intv e;
  realv m = clact_frexp(wh, &e);
  intv lowm = m < 0.75f;
  m = lowm ? m * 2.0f : m;
  e = lowm ? e - 1 : e;
  realv ml = clact_ldexp_wide(wl, -e);
  intv i0 = m < 0x1.c71c72p-1f, i1 = m < 0x1.111112p0f, i2 = m < 0x1.3b13b2p0f;
  realv c = i0 ? RV(1.25f) : (i1 ? RV(1.0f) : (i2 ? RV(0.875f) : RV(0.75f)));
  realv lch = i0 ? RV(CLACT_LOG_C125_H)
                 : (i1 ? RV(0.0f) : (i2 ? RV(CLACT_LOG_C0875_H) : RV(CLACT_LOG_C075_H)));
  realv lcl = i0 ? RV(CLACT_LOG_C125_L)
                 : (i1 ? RV(0.0f) : (i2 ? RV(CLACT_LOG_C0875_L) : RV(CLACT_LOG_C075_L)));
  realv u0 = fma(m, c, RV(-1.0f)); /* exact */
  intv near1 = (c == 1.0f) & (e == 0);
  realv ul;
  realv u = clact_two_sum(near1 ? vh : u0, near1 ? vl : ml * c, &ul); /* U = u + ul, normalised */
  /* s = U/(2 + U) as a pair */
  realv de;
  realv dh = clact_two_sum(RV(2.0f), u, &de);
  realv dl = de + ul;
  realv sh = u / dh;
  realv sl = (fma(-sh, dh, u) + fma(-sh, dl, ul)) / dh;
  realv s2l;
  realv s2 = clact_two_prod(sh, sh, &s2l);
  s2l = fma(2.0f * sh, sl, s2l);
  /* B = 2/3 + (2/5) s^2 as a pair */
  realv al;
  realv ah = clact_two_prod(s2, RV(CLACT_SE_2_5H), &al);
  al = al + fma(s2, RV(CLACT_SE_2_5L), s2l * CLACT_SE_2_5H);
  realv be;
  realv bh = clact_two_sum(RV(CLACT_SE_2_3H), ah, &be);
  realv bl = be + (al + CLACT_SE_2_3L);
  /* s^3 as a pair, times B */
  realv s3l;
  realv s3 = clact_two_prod(s2, sh, &s3l);
  s3l = s3l + fma(s2, sl, s2l * sh);
  realv tl;
  realv th = clact_two_prod(s3, bh, &tl);
  tl = tl + fma(s3, bl, s3l * bh);
  /* + s^7 (2/7 + ...) */
  realv q = fma(RV(CLACT_SE_2_13), s2, RV(CLACT_SE_2_11));
  q = fma(q, s2, RV(CLACT_SE_2_9));
  q = fma(q, s2, RV(CLACT_SE_2_7));
  tl = fma(s3 * (s2 * s2), q, tl);
  /* e ln 2 + ln(1/c) + 2 s + T */
  realv ef = CONVERT_REALV(e);
  realv pme;
  realv pm = clact_two_prod(ef, RV(CLACT_LN2_M24), &pme);
  realv e1, e2, e3, e4;
  realv t = clact_two_sum(ef * CLACT_LN2_H16, lch, &e1);
  t = clact_two_sum(t, 2.0f * sh, &e2);
  t = clact_two_sum(t, th, &e3);
  t = clact_two_sum(t, pm, &e4);
  realv tail =
      ((e1 + e2) + (e3 + e4)) + ((lcl + 2.0f * sl) + (tl + fma(ef, RV(CLACT_LN2_L24), pme)));
  realv h = t + tail;
  *lo = (t - h) + tail;
  return h;
}

/* alpha in (0, 1): W expm1(alpha (x - x*))/alpha */
static inline realv se_pos(realv x, realv al) {
  realv qe;
  realv q = clact_two_prod(al, al, &qe);
  realv wl0;
  realv wh = clact_two_sum(RV(1.0f), -q, &wl0);
  realv wl = wl0 - qe; /* W = 1 - alpha^2 = wh + wl */
  realv ll;
  realv lh = se_log_hp(wh, wl, -q, -qe, &ll);
  realv xsh = lh / al;
  realv xsl = (fma(-xsh, al, lh) + ll) / al;
  /* alpha < 2^-12: x* = -alpha - alpha^3 (1/2 + alpha^2/3 + ...), the tail to a float rounding:
   * the float next to x* is then -alpha itself or at least an ulp of alpha away, and x - x* is
   * exact to a rounding either way */
  intv tinya = al < 0x1p-12f;
  xsh = tinya ? -al : xsh;
  xsl = tinya ? -(al * al) * al * fma(al * al, RV(0x1.555556p-2f), RV(0.5f)) : xsl;
  realv de;
  realv dh = clact_two_sum(x, -xsh, &de);
  realv dl = de - xsl;
  realv zl;
  realv zh = clact_scaled_pair(dh, al, &zl);
  zl = isinf(zh) ? RV(0.0f) : fma(al, dl, zl);
  intv s;
  realv el;
  realv eh = clact_expm1_scaled(zh, zl, &s, &el);
  realv nl;
  realv nh = clact_two_prod(wh, eh, &nl);
  nl = nl + fma(wh, el, wl * eh);
  realv f = clact_ldexp_wide(clact_div_dd(nh, nl, al, RV(0.0f)), s);
  realv wdl;
  realv wdh = clact_two_prod(wh, dh, &wdl);
  wdl = wdl + fma(wh, dl, wl * dh);
  realv small = wdh + fma(0.5f * wdh, zh, wdl);
  f = fabs(zh) < 0x1p-30f ? small : f;
  return x == INFINITY ? x : f;
}

/* alpha < 0: -ln w/alpha, w = 1 + z, z = -alpha (x + alpha); also w as a normalised pair */
static inline realv se_w(realv x, realv al, realv *zh, realv *wl) {
  realv ve;
  realv vh = clact_two_sum(x, al, &ve);
  realv z = -al * vh;
  realv z1 = fma(-al, vh, -z);
  realv z3;
  realv z2 = clact_two_prod(-al, ve, &z3);
  realv we;
  realv wh = clact_two_sum(RV(1.0f), z, &we);
  realv l = ((z1 + z2) + we) + z3;
  *zh = z;
  return clact_two_sum(wh, l, wl);
}

static inline realv se_neg(realv x, realv al) {
  realv zh, wl;
  realv wn = se_w(x, al, &zh, &wl);
  realv ve;
  realv vh = clact_two_sum(x, al, &ve);
  realv small = vh + fma(-0.5f * vh, zh, ve); /* (x + alpha)(1 - z/2) */
  realv ll;
  realv lh = clact_log_dd(wn, wl, (intv)0, &ll);
  realv f = clact_div_dd(-lh, -ll, al, RV(0.0f));
  f = fabs(zh) < 0x1p-30f ? small : f;
  f = wn == 0.0f ? RV(-INFINITY) : f;
  f = wn < 0.0f ? RV(NAN) : f;
  return x == INFINITY ? x : f;
}

/* The branches on alpha (a kernel argument, the same for every work-item) are real branches:
 * only one side is computed. */
static inline realv soft_exponential_fwd(realv x, clact_p p) {
  realv f;
  if (p.p0 < 0.0f)
    f = se_neg(x, RV(p.p0));
  else if (p.p0 == 0.0f)
    f = x;
  else if (p.p0 == 1.0f) {
    intv k;
    realv ml;
    realv m = clact_exp_dd(x, RV(0.0f), &k, &ml);
    f = clact_ldexp(m + ml, k);
  } else
    f = se_pos(x, RV(p.p0));
  return isnan(x) ? x + x : f;
}

static inline realv soft_exponential_bwd(realv x, realv dy, clact_p p) {
  realv al = RV(p.p0);
  if (p.p0 > 0.0f) { /* dy e^(alpha x) */
    realv zl;
    realv zh = clact_scaled_pair(x, al, &zl);
    intv k;
    realv ml;
    realv m = clact_exp_wide(zh, zl, &k, &ml);
    realv dx = clact_mul_scaled(dy, m + ml, k);
    return isinf(x) ? dy * (x > 0.0f ? x : RV(0.0f)) : dx;
  }
  if (p.p0 == 0.0f)
    return dy * clact_nan_or(x, RV(1.0f));
  /* alpha < 0: dy / w, w (as in the forward) scaled by its exponent */
  realv zh, wl;
  realv wn = se_w(x, al, &zh, &wl);
  intv ew;
  realv wm = clact_frexp(wn, &ew);
  realv g = clact_div_dd(RV(1.0f), RV(0.0f), wm, clact_ldexp_wide(wl, -ew));
  realv dx = clact_mul_scaled(dy, g, -ew);
  dx = wn == 0.0f ? dy * RV(INFINITY) : dx;
  dx = wn < 0.0f ? RV(NAN) : dx;
  return x == INFINITY ? dy * 0.0f : dx;
}

static inline realv soft_exponential_bwd_y(realv y, realv dy, clact_p p) {
  realv al = RV(p.p0);
  if (p.p0 < 0.0f) { /* dy e^(alpha y) */
    realv zl;
    realv zh = clact_scaled_pair(y, al, &zl);
    intv k;
    realv ml;
    realv m = clact_exp_wide(zh, zl, &k, &ml);
    realv dx = clact_mul_scaled(dy, m + ml, k);
    return isinf(y) ? dy * (y < 0.0f ? RV(INFINITY) : RV(0.0f)) : dx;
  }
  if (p.p0 == 0.0f)
    return dy * clact_nan_or(y, RV(1.0f));
  return dy * fma(al, y - al, RV(1.0f)); /* 1 + alpha (y - alpha) */
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(soft_exponential)
CLACT_ELEMENTWISE_FROM_Y(soft_exponential)
