/* host/structured_internal.h: what the structured operations' host files share (structured.c,
 * ref_structured.c, check_structured.c); not published. */
#ifndef CLACT_STRUCTURED_INTERNAL_H
#define CLACT_STRUCTURED_INTERNAL_H

#include "internal.h"

/* Flags of the structured operations' parameter rows, beyond CLACT_PARAM_MIN_OPEN/MAX_OPEN: the
 * value must be a whole number (gate, k, seed); the value is passed to the kernel exactly, not
 * rounded to float (seed). */
#define CLACT_S_PARAM_WHOLE 4u
#define CLACT_S_PARAM_EXACT 8u

/* Kernel shapes of the softmax family: a row per work-item, a work-group per row. */
#define CLACT_ROWS_AUTO (-1)
#define CLACT_ROWS_SHORT 0
#define CLACT_ROWS_LONG 1
/* Rows of up to this many elements run a row per work-item (CLACT_ROWS_AUTO). */
#define CLACT_ROWS_SHORT_MAX 64

/* The public calls with a forced kernel shape (CLACT_ROWS_AUTO: by the row length). dir is
 * CLACT_FORWARD or CLACT_BACKWARD (in0 = y or x, in1 = dy). call: NULL, or blending
 * (clact_rows_forward_ex). */
clact_status clact__rows_launch(clact_context *ctx, clact_structured op, clact_direction dir,
                                clact_dtype dtype, const clact_params *params, size_t rows,
                                size_t cols, const clact_tensor *in0, const clact_tensor *in1,
                                const clact_tensor *out, const clact_call *call, int shape,
                                cl_event *event);

/* The elementwise activation phi of a GLU-family operation (CLACT_ACTIVATION_COUNT for the
 * others). */
clact_activation clact__glu_act(clact_structured op);
/* Resolves and validates parameters (defaults filled in, ranges, gate a whole number), rounded
 * to what a kernel of `dtype` computes with. */
clact_status clact__structured_params(clact_structured op, const clact_params *params,
                                      clact_dtype dtype, double out[CLACT_MAX_PARAMS]);
/* The GLU family: x (packed rows of 2d = cols, or the value half when gate is not NULL), dy
 * for backward, out0 = y or dx, out1 = dgate (gated backward only). */
clact_status clact__glu_launch(clact_context *ctx, clact_structured op, clact_direction dir,
                               clact_dtype dtype, const clact_params *params, size_t rows,
                               size_t cols, const clact_tensor *x, const clact_tensor *gate,
                               const clact_tensor *dy, const clact_tensor *out0,
                               const clact_tensor *out1, const clact_call *call, cl_event *event);

/* The output row width for resolved parameters pv (clact_structured_out_width). */
clact_status clact__out_width(clact_structured op, const double *pv, size_t cols, size_t *width);

/* maxout and rrelu_train: x rows x cols, dy and y rows x out width, dx rows x cols. */
clact_status clact__ew_launch(clact_context *ctx, clact_structured op, clact_direction dir,
                              clact_dtype dtype, const clact_params *params, size_t rows,
                              size_t cols, const clact_tensor *x, const clact_tensor *dy,
                              const clact_tensor *out, const clact_call *call, cl_event *event);

/* crelu: x rows x cols, dy and y rows x 2 cols, dx rows x cols. */
clact_status clact__crelu_launch(clact_context *ctx, clact_direction dir, clact_dtype dtype,
                                 const clact_params *params, size_t rows, size_t cols,
                                 const clact_tensor *x, const clact_tensor *dy,
                                 const clact_tensor *out, const clact_call *call, cl_event *event);

/* ref_structured.c: the double-precision reference of one row of n elements (x, y, dy as the
 * stored values). Forward: y. Backward: dx and, if mag is not NULL, M_i (the sum of the
 * magnitudes of the terms of dx_i, divided by nothing: |dx - ref| <= 4 ulp + 4 u M). */
void clact__ref_rows_forward(clact_structured op, const double *x, size_t n, double *y);
void clact__ref_rows_backward(clact_structured op, const double *in, const double *dy, size_t n,
                              double *dx, double *mag);
/* float64: the same in long double with compensated sums, rounded once to double (own error
 * ~2^-53 relative, far below the float64 bound 2^-45). */
void clact__ref_rows_forward64(clact_structured op, const double *x, size_t n, double *y);
void clact__ref_rows_backward64(clact_structured op, const double *in, const double *dy, size_t n,
                                double *dx, double *mag);
/* One element of the GLU family: p the resolved parameters (clact__structured_params), a and g
 * the value and gate. Forward: *r0 = y. Backward: *r0 = da, *r1 = dg, *mag1 = |dy a| M(g)
 * (a: a + 1 in the gpt-oss form; M the elementwise activation's sum of term magnitudes).
 * *phi_out (may be NULL): phi(g) (g clamped in the gpt-oss form). */
void clact__ref_glu(clact_structured op, const double *p, clact_direction dir, double a, double g,
                    double dy, double *r0, double *r1, double *mag1, double *phi_out);

/* crelu, one element: forward *r0 = relu(x), *r1 = relu(-x); backward *r0 = dx from the left
 * and right dy (exact values). */
void clact__ref_crelu(clact_direction dir, double x, double dyl, double dyr, double *r0,
                      double *r1);

/* sparsemax, one row of n (docs/structured.md). Forward: y and, if mag is not NULL, M_i =
 * min(|x_i - m|, 1) + (1 + sum over the support of |x_j - m|) / |support| (m the row max).
 * Backward from y: dx and, if mag is not NULL, M_i = |dy_i| + sum over the support |dy_j| / K. */
void clact__ref_sparsemax_forward(const double *x, size_t n, double *y, double *mag);
void clact__ref_sparsemax_backward(const double *y, const double *dy, size_t n, double *dx,
                                   double *mag);

/* sparsemax's forward bound: |y - y_ref| <= ulp(y_ref) + abs(n) M_i, abs(n) = (4 + n) u^2. */
double clact__ref_sparsemax_abs(size_t n);

/* float64 (long double, rounded once to double): the same, with abs64(n) = (4 + n) 2^-106 (the
 * kernel) + 6 2^-64 (the reference's own error). */
void clact__ref_sparsemax_forward64(const double *x, size_t n, double *y, double *mag);
void clact__ref_sparsemax_backward64(const double *y, const double *dy, size_t n, double *dx,
                                     double *mag);
double clact__ref_sparsemax_abs64(size_t n);

/* maxout, one group of k: the position of the first NaN, else of the first maximum. */
size_t clact__ref_maxout_arg(const double *x, size_t k);

/* Philox4x32-10 (Salmon et al. 2011): ctr[4] encrypted under key[2], into out[4]. */
void clact__philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);
/* rrelu_train's slope of logical element i (= r * cols + c) for float lower/upper and the seed,
 * exactly as the kernel computes it (docs/structured.md). */
float clact__rrelu_slope(uint64_t i, float lower, float upper, uint64_t seed);

/* The forward bound in ulp of the output format for rows of n elements (docs/structured.md). */
double clact__ref_rows_forward_ulp(clact_structured op, size_t n);

#endif
