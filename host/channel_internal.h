/* host/channel_internal.h: what the per-channel activations' host files share (channel.c,
 * ref_channel.c, check_channel.c); not published. */
#ifndef CLACT_CHANNEL_INTERNAL_H
#define CLACT_CHANNEL_INTERNAL_H

#include "internal.h"

#include "clact/channel.h"

/* Pass 1 of a weight-gradient reduction: tiles of at most this many elements of a channel,
 * one work-group of CLACT_CH_LOCAL work-items each (kernels/prelu_ch.cl). */
#define CLACT_CH_TILE 4096
#define CLACT_CH_LOCAL 64

/* Quantities reduced per channel: prelu 1 (dw), apl 2 S (da_s, then the sums of db_s). */
unsigned clact__channel_quantities(clact_channel_op op, unsigned hinges);

/* ---- ref_channel.c: the double-precision reference ---------------------------------------- */
/* One element. prelu: p[0] = w. apl: p[0..S) = a, p[S..2S) = b. The exact value as a
 * double-double hi + *lo (lo 0 where the value is not finite). Forward: y, and *mag = M, the
 * sum of the magnitudes of its terms (max(0, x) + sum |a_s| max(0, b_s - x)). Derivative:
 * f'(x) (prelu: x > 0 ? 1 : w; apl: [x > 0] - sum a_s [x < b_s]) and *mag = the sum of the
 * magnitudes of its terms. */
double clact__ref_channel_forward(clact_channel_op op, unsigned hinges, const double *p, double x,
                                  double *lo, double *mag);
double clact__ref_channel_derivative(clact_channel_op op, unsigned hinges, const double *p,
                                     double x, double *lo, double *mag);

/* A sum kept as a double-double (relative error ~2^-100 for sums of finite terms; infinities
 * and NaN as IEEE addition gives them), plus the sum of the terms' magnitudes. */
typedef struct clact_ch_sum {
  double hi, lo;
  double mag;
  int nan, pinf, ninf;
} clact_ch_sum;

void clact__ch_sum_init(clact_ch_sum *s);
/* Adds the exact product u * v (terms of the weight gradients are products of two stored
 * values, or of a stored value and an exact difference hd + ld). */
void clact__ch_sum_add_prod(clact_ch_sum *s, double u, double v);
double clact__ch_sum_value(const clact_ch_sum *s);

/* The gradient terms of one element for quantity q (clact__channel_quantities order), added to
 * sums[q * stride]: prelu dy x (x <= 0); apl dy max(0, b_s - x) (exact difference) and
 * dy [x < b_s] (db_s is a_s times that sum). */
void clact__ref_channel_terms(clact_channel_op op, unsigned hinges, const double *p, double x,
                              double dy, clact_ch_sum *sums, size_t stride);

#endif
