/* math_host.c: the host build of clact_math.clh (through shim.h), with external entry points for
 * the checker. Must be compiled with -ffp-contract=off (see shim.h). */
#include "shim.h"
#include "clact_math.clh"
#include "math_host.h"

#define FWD(n)                                                                                     \
  static float h_##n##_fwd(float x, const float *p) {                                              \
    clact_p q = {p[0], p[1], p[2], p[3]};                                                          \
    return n##_fwd(x, q);                                                                          \
  }                                                                                                \
  typedef int h_##n##_fwd_t
#define BWD(n)                                                                                     \
  static float h_##n##_bwd(float x, float dy, const float *p) {                                    \
    clact_p q = {p[0], p[1], p[2], p[3]};                                                          \
    return n##_bwd(x, dy, q);                                                                      \
  }                                                                                                \
  typedef int h_##n##_bwd_t
#define BWDY(n)                                                                                    \
  static float h_##n##_bwd_y(float y, float dy, const float *p) {                                  \
    clact_p q = {p[0], p[1], p[2], p[3]};                                                          \
    return n##_bwd_y(y, dy, q);                                                                    \
  }                                                                                                \
  typedef int h_##n##_bwd_y_t
FWD(sigmoid);
BWD(sigmoid);
BWDY(sigmoid);
FWD(tanh);
BWD(tanh);
BWDY(tanh);
FWD(softplus);
BWD(softplus);
BWDY(softplus);
FWD(elu);
BWD(elu);
BWDY(elu);
FWD(silu);
BWD(silu);
FWD(gelu);
BWD(gelu);
FWD(gelu_tanh);
BWD(gelu_tanh);

const host_fns host_table[7] = {
    {h_sigmoid_fwd, h_sigmoid_bwd, h_sigmoid_bwd_y},
    {h_tanh_fwd, h_tanh_bwd, h_tanh_bwd_y},
    {h_softplus_fwd, h_softplus_bwd, h_softplus_bwd_y},
    {h_elu_fwd, h_elu_bwd, h_elu_bwd_y},
    {h_silu_fwd, h_silu_bwd, 0},
    {h_gelu_fwd, h_gelu_bwd, 0},
    {h_gelu_tanh_fwd, h_gelu_tanh_bwd, 0},
};

/* The helpers, for their own exhaustive test (sweep helpers). */
double hx_exp_dd(float hi, float lo) {
  intv k;
  realv ml;
  realv m = clact_exp_dd(hi, lo, &k, &ml);
  return ldexp((double)m + (double)ml, k);
}
float hx_exp(float x) {
  intv k;
  realv ml;
  realv m = clact_exp_dd(x, 0.0f, &k, &ml);
  return clact_ldexp(m + ml, k);
}
float hx_expm1(float x) {
  return clact_expm1(x, 0.0f);
}
double hx_expm1_dd(float x) {
  realv el;
  realv eh = clact_expm1_dd(x, &el);
  return (double)eh + (double)el;
}
