/* kernels/gelu_tanh.cl: gelu_tanh: x sigma(z), z = 2u = x (C1 + C3 x^2) as a pair (the cubic term
 * makes |z| large in the tail: a float z would cost |z| ulp there); bwd dy (s + 2x s (1-s) u'), s =
 * sigma(z), i.e. clact_xsigmoid_bwd with v = 2x u' = x (C1 + 3 C3 x^2). |x| > 16: the result is x
 * or -0 (and x^2 never overflows). */
#if defined(CLACT_DTYPE_F64)
/* x sigma(w), w = 2 sqrt(2/pi) (x + c x^3), c = 0.044715, all as exact-enough pairs (an error
 * delta in w costs |w| delta relative where sigma is small: w reaches -745) */
#define CLACT_D_GT_K_H 0x1.9884533d43651p+0
#define CLACT_D_GT_K_L -0x1.cbc0d30ebfd15p-54
#define CLACT_D_GT_C_H 0x1.6e4e26d4801f7p-5
#define CLACT_D_GT_C_L 0x1.441355475a31ap-59
static inline realv gelu_tanh_w(realv x, realv *wl) {
  realv al, bl, pl, se, hl;
  realv a = clact_two_prod(x, x, &al);
  realv b = clact_two_prod(a, x, &bl);
  bl = fma(al, x, bl); /* x^3 = b + bl */
  realv pc = clact_two_prod(RV(CLACT_D_GT_C_H), b, &pl);
  pl = pl + (RV(CLACT_D_GT_C_H) * bl + RV(CLACT_D_GT_C_L) * b);
  realv s = clact_two_sum(x, pc, &se);
  realv sl = se + pl; /* x + c x^3 = s + sl */
  realv h = clact_two_prod(RV(CLACT_D_GT_K_H), s, &hl);
  hl = hl + (RV(CLACT_D_GT_K_H) * sl + RV(CLACT_D_GT_K_L) * s);
  realv w = h + hl;
  *wl = (h - w) + hl;
  *wl = isinf(w) || isnan(*wl) ? RV(0.0) : *wl;
  return isnan(x) ? x : (isnan(h) ? copysign(RV(INFINITY), x) : w);
}
static inline realv gelu_tanh_fwd(realv x, clact_p p) {
  (void)p;
  realv wl;
  realv w = gelu_tanh_w(x, &wl);
  realv r = clact_d_xsigmoid(x, w, wl);
  return fabs(x) > RV(0x1p100) ? (x > RV(0.0) ? x : RV(-0.0)) : r;
}
static inline realv gelu_tanh_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv wl;
  realv w = gelu_tanh_w(x, &wl);
  realv c3 = RV(3.0 * 0.044715);
  realv v = (x * RV(CLACT_D_GT_K_H)) * fma(c3 * x, x, RV(1.0));
  realv r = clact_d_xsigmoid_bwd(w, wl, v, dy);
  realv far = x > RV(0.0) ? dy : dy * RV(0.0);
  return fabs(x) > RV(0x1p100) ? far : (isnan(x) ? x + x : r);
}
#else

/* GELU-tanh: z = 2u = C1 x + C3 x^3 with C1 = 2 sqrt(2/pi), C3 = C1 * 0.044715 (exact reals),
 * each as a float pair hi + lo. */
#define CLACT_GT_C1H 0x1.988454p+0f
#define CLACT_GT_C1L -0x1.857936p-25f
#define CLACT_GT_C3H 0x1.2444f2p-4f
#define CLACT_GT_C3L 0x1.49b16ap-29f

static inline realv gelu_tanh_z(realv x, realv *zl, realv *ch, realv *cl) {
  realv sh = x * x;
  realv sl = fma(x, x, -sh);
  realv ph = CLACT_GT_C3H * sh;
  realv pl = fma(RV(CLACT_GT_C3H), sh, -ph) + fma(RV(CLACT_GT_C3H), sl, CLACT_GT_C3L * sh);
  realv e;
  realv bh = clact_two_sum(RV(CLACT_GT_C1H), ph, &e);
  realv bl = e + (pl + CLACT_GT_C1L);
  realv zh = x * bh;
  *zl = fma(x, bh, -zh) + x * bl;
  *ch = ph; /* C3 x^2 as a pair, for the backward's v */
  *cl = pl;
  return zh;
}

static inline realv gelu_tanh_fwd(realv x, clact_p p) {
  (void)p;
  realv xc = x < -16.0f ? RV(-16.0f) : x;
  xc = xc > 16.0f ? RV(16.0f) : xc;
  realv zl, ch, cl;
  realv zh = gelu_tanh_z(xc, &zl, &ch, &cl);
  realv f = clact_n_inv_1pe(xc, -zh, -zl);
  f = x > 16.0f ? x : f;
  return x == 0.0f ? x : f;
}

static inline realv gelu_tanh_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv xc = x < -16.0f ? RV(-16.0f) : x;
  xc = xc > 16.0f ? RV(16.0f) : xc;
  realv zl, ch, cl;
  realv zh = gelu_tanh_z(xc, &zl, &ch, &cl);
  /* v = x (C1 + 3 C3 x^2) = z + 2x (C3 x^2), from the pairs: ~1 ulp */
  realv x2 = 2.0f * xc;
  realv v = fma(x2, ch, zh) + fma(x2, cl, zl);
  realv dx = clact_xsigmoid_bwd_s(zh, zl, v, dy);
  return (isinf(x) & (x < 0.0f)) ? dy * 0.0f : dx;
}
#endif /* CLACT_DTYPE_F64 */
CLACT_ELEMENTWISE(gelu_tanh)
