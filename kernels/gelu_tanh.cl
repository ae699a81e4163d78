/* kernels/gelu_tanh.cl: gelu_tanh: x sigma(z), z = 2u = x (C1 + C3 x^2) as a pair (the cubic term
 * makes |z| large in the tail: a float z would cost |z| ulp there); bwd dy (s + 2x s (1-s) u'), s =
 * sigma(z), i.e. clact_xsigmoid_bwd with v = 2x u' = x (C1 + 3 C3 x^2). |x| > 16: the result is x
 * or -0 (and x^2 never overflows). */

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
  intv k;
  realv q = clact_xsigmoid(xc, zh, zl, &k);
  realv f = clact_ldexp(q, k);
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
  realv dx = clact_xsigmoid_bwd(zh, zl, v, dy);
  return (isinf(x) & (x < 0.0f)) ? dy * 0.0f : dx;
}
CLACT_ELEMENTWISE(gelu_tanh)
