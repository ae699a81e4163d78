/* Probe kernels: relu and an exp-polynomial sigmoid, scalar code written once for T = floatVW. */
#if VW == 1
#define T float
#define TI int
#define CVI convert_int
#define AST as_float
#define LD(i, p) (p)[i]
#define ST(v, i, p) (p)[i] = (v)
#else
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define T CAT(float, VW)
#define TI CAT(int, VW)
#define CVI CAT(convert_int, VW)
#define AST CAT(as_float, VW)
#define LD(i, p) CAT(vload, VW)(i, p)
#define ST(v, i, p) CAT(vstore, VW)(v, i, p)
#endif
T relu(T x) { return x <= 0.0f ? (T)0.0f : x + 0.0f; }
T myexp(T x) {
  T k = rint(x * 1.44269504f);
  T r = fma(k, -0.693145752f, x);
  r = fma(k, -1.42860677e-6f, r);
  T p = fma(r, 1.0f / 5040, 1.0f / 720);
  p = fma(p, r, 1.0f / 120);
  p = fma(p, r, 1.0f / 24);
  p = fma(p, r, 1.0f / 6);
  p = fma(p, r, 0.5f);
  p = fma(p, r, 1.0f);
  p = fma(p, r, 1.0f);
  return p * AST((CVI(k) + 127) << 23) ;
}
T sig(T x) { T e = myexp(-fabs(x)); T s = 1.0f / (1.0f + e); return x >= 0 ? s : e * s; }
T sigb(T x) { T e = exp(-fabs(x)); T s = 1.0f / (1.0f + e); return x >= 0 ? s : e * s; }
#define K(name, f) \
__kernel void name(__global const float *x, __global float *y, ulong n) { \
  size_t i = get_global_id(0); \
  if ((i + 1) * VW <= n) { ST(f(LD(i, x)), i, y); } }
K(k_relu, relu)
K(k_sig, sig)
K(k_sigb, sigb)
__kernel void k_copy(__global const float *x, __global float *y, ulong n) {
  size_t i = get_global_id(0);
  if ((i + 1) * VW <= n) { ST(LD(i, x), i, y); } }
