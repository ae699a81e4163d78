/* lab_kernels.cl: kernels for the PoCL cross-check (clcheck.c) and timing (clbench.c), appended
 * after the prelude and clact_math.clh. One work-item = CLACT_VW elements; n is a multiple of
 * CLACT_VW (the host pads). LAB_NAIVE adds the comparison versions written with built-ins. */
#define LAB_K1(name, F)                                                                            \
  __kernel void name(__global const float *x, __global float *y, uint n, float p0, float p1) {     \
    const clact_p p = {p0, p1, 0.0f, 0.0f};                                                        \
    const size_t i = get_global_id(0) * CLACT_VW;                                                  \
    if (i + CLACT_VW <= n)                                                                         \
      STOREV(F(LOADV(x + i), p), y + i);                                                           \
  }
#define LAB_K2(name, F)                                                                            \
  __kernel void name(__global const float *x, __global const float *dy, __global float *dx,        \
                     uint n, float p0, float p1) {                                                 \
    const clact_p p = {p0, p1, 0.0f, 0.0f};                                                        \
    const size_t i = get_global_id(0) * CLACT_VW;                                                  \
    if (i + CLACT_VW <= n)                                                                         \
      STOREV(F(LOADV(x + i), LOADV(dy + i), p), dx + i);                                           \
  }

#define LAB_ALL(f) LAB_K1(k_##f##_fwd, f##_fwd) LAB_K2(k_##f##_bwd, f##_bwd)
LAB_ALL(sigmoid)
LAB_ALL(tanh)
LAB_ALL(softplus)
LAB_ALL(elu)
LAB_ALL(silu)
LAB_ALL(gelu)
LAB_ALL(gelu_tanh)
LAB_K2(k_sigmoid_bwd_y, sigmoid_bwd_y)
LAB_K2(k_tanh_bwd_y, tanh_bwd_y)
LAB_K2(k_softplus_bwd_y, softplus_bwd_y)
LAB_K2(k_elu_bwd_y, elu_bwd_y)

static inline realv lab_copy(realv x, clact_p p) {
  (void)p;
  return x;
}
static inline realv lab_copy2(realv x, realv dy, clact_p p) {
  (void)p;
  return x + dy;
}
LAB_K1(k_copy, lab_copy)
LAB_K2(k_copy2, lab_copy2)

#ifdef LAB_NAIVE
/* The obvious versions with built-in functions, for the speed comparison only. */
static inline realv n_sigmoid_fwd(realv x, clact_p p) {
  (void)p;
  return 1.0f / (1.0f + exp(-x));
}
static inline realv n_sigmoid_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv s = 1.0f / (1.0f + exp(-x));
  return dy * s * (1.0f - s);
}
static inline realv n_tanh_fwd(realv x, clact_p p) {
  (void)p;
  return tanh(x);
}
static inline realv n_tanh_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv t = tanh(x);
  return dy * (1.0f - t * t);
}
static inline realv n_softplus_fwd(realv x, clact_p p) {
  realv z = p.p0 * x;
  return z > p.p1 ? x : log1p(exp(z)) / p.p0;
}
static inline realv n_softplus_bwd(realv x, realv dy, clact_p p) {
  realv z = p.p0 * x;
  return z > p.p1 ? dy : dy / (1.0f + exp(-z));
}
static inline realv n_elu_fwd(realv x, clact_p p) {
  return x > 0.0f ? x : p.p0 * expm1(x);
}
static inline realv n_elu_bwd(realv x, realv dy, clact_p p) {
  return x > 0.0f ? dy : dy * p.p0 * exp(x);
}
static inline realv n_silu_fwd(realv x, clact_p p) {
  (void)p;
  return x / (1.0f + exp(-x));
}
static inline realv n_silu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv s = 1.0f / (1.0f + exp(-x));
  return dy * s * (1.0f + x * (1.0f - s));
}
static inline realv n_gelu_fwd(realv x, clact_p p) {
  (void)p;
  return 0.5f * x * erfc(-x * M_SQRT1_2_F);
}
static inline realv n_gelu_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  return dy * (0.5f * erfc(-x * M_SQRT1_2_F) + x * 0.39894228f * exp(-0.5f * x * x));
}
static inline realv n_gelu_tanh_fwd(realv x, clact_p p) {
  (void)p;
  return 0.5f * x * (1.0f + tanh(0.7978845608f * (x + 0.044715f * x * x * x)));
}
static inline realv n_gelu_tanh_bwd(realv x, realv dy, clact_p p) {
  (void)p;
  realv t = tanh(0.7978845608f * (x + 0.044715f * x * x * x));
  realv du = 0.7978845608f * (1.0f + 0.134145f * x * x);
  return dy * (0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * du);
}
#define LAB_NAIVE_ALL(f) LAB_K1(n_##f##_fwd_k, n_##f##_fwd) LAB_K2(n_##f##_bwd_k, n_##f##_bwd)
LAB_NAIVE_ALL(sigmoid)
LAB_NAIVE_ALL(tanh)
LAB_NAIVE_ALL(softplus)
LAB_NAIVE_ALL(elu)
LAB_NAIVE_ALL(silu)
LAB_NAIVE_ALL(gelu)
LAB_NAIVE_ALL(gelu_tanh)
#endif
