/* math_host.h: entry points of the host build of clact_math.clh (math_host.c), in the order of
 * ref.h's F_* enum. p points to the four parameters p0..p3. */
#ifndef CLACT_MATH_HOST_H
#define CLACT_MATH_HOST_H
typedef float (*host_fwd_fn)(float x, const float *p);
typedef float (*host_bwd_fn)(float x, float dy, const float *p);
typedef struct {
  host_fwd_fn fwd;
  host_bwd_fn bwd, bwd_y;
} host_fns;
extern const host_fns host_table[7];

/* helpers (math_host.c) */
double hx_exp_dd(float hi, float lo); /* 2^k (m + ml) of clact_exp_dd, in double */
float hx_exp(float x);                /* that pair rounded to float */
float hx_expm1(float x);              /* clact_expm1(x, 0) */
double hx_expm1_dd(float x);          /* eh + el of clact_expm1_dd, in double */
#endif
