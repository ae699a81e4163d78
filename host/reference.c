/* host/reference.c: the scalar reference of every activation, in double precision.
 *
 * Each activation has `ref_<name>_fwd(x, p)`, `ref_<name>_der(x, p, &mag)` (f'(x) and M(x), the
 * sum of the magnitudes of the terms of f' in its cancellation-free form, for ACCURACY.md's
 * backward bound) and, where the registry's from_y column allows, `ref_<name>_der_y(y, p, &mag)`.
 * Beside them: the edge points (branch points, thresholds, roots of f') and alternative
 * parameter sets that the checker adds to its sweeps.
 *
 * Formulas are cancellation-free (ACCURACY.md): erfc for Φ, σ via e^-|x|, sech² from
 * exponentials, expm1/log1p. Inputs are float32 values carried in doubles, so products like x*x
 * and beta*x are exact in double. Built with -fno-fast-math -ffp-contract=off (CMakeLists.txt):
 * never with fast-math. Accuracy against MPFR: tests/test_reference.c.
 */
#include "internal.h"

#include <float.h>
#include <math.h>

#define SQRT1_2 0.70710678118654752440      /* 1/√2 */
#define INV_SQRT_2PI 0.39894228040143267794 /* 1/√(2π) */
#define SQRT_2_PI 0.79788456080286535588    /* √(2/π) */
#define GELU_TANH_C 0.044715

/* A derivative that is not zero but underflows in double is returned as the smallest double of
 * its sign: dy * it is then below every float32 for finite dy (as the exact value is), while
 * dy = ±inf gives ±inf, as it must, rather than the NaN of inf * 0. (True zeros, such as relu's
 * left branch or the limits at ±inf, stay 0.) */
static double nonzero(double d, double sign, double x) {
  return d != 0 || !isfinite(x) ? d : copysign(DBL_TRUE_MIN, sign);
}

/* σ(x) and σ(x)σ(-x) from t = e^-|x| (no cancellation, no overflow). */
static double sigmoid(double x) {
  double t = exp(-fabs(x));
  return x >= 0 ? 1.0 / (1.0 + t) : t / (1.0 + t);
}
static double sigmoid_prime(double x) {
  double t = exp(-fabs(x));
  return nonzero(t / ((1.0 + t) * (1.0 + t)), 1.0, x);
}
/* Φ(x) and φ(x) of the standard normal. */
static double big_phi(double x) {
  return 0.5 * erfc(-x * SQRT1_2);
}
static double small_phi(double x) {
  return INV_SQRT_2PI * exp(-0.5 * x * x);
}
/* NaN when x is NaN, else v: derivatives that are constant on a branch must still carry NaN. */
static double nan_or(double x, double v) {
  return isnan(x) ? x : v;
}
static double set_mag(double *mag, double m) {
  if (mag)
    *mag = m;
  return m;
}

/* ---- identity ---- */
static double ref_identity_fwd(double x, const double *p) {
  (void)p;
  return x;
}
static double ref_identity_der(double x, const double *p, double *mag) {
  (void)p;
  set_mag(mag, 1.0);
  return nan_or(x, 1.0);
}
#define ref_identity_der_y ref_identity_der

/* ---- relu: relu(-0) = +0, relu'(0) = 0 (PyTorch) ---- */
static double ref_relu_fwd(double x, const double *p) {
  (void)p;
  return x > 0 ? x : (x <= 0 ? 0.0 : x);
}
static double ref_relu_der(double x, const double *p, double *mag) {
  (void)p;
  double d = x > 0 ? 1.0 : (x <= 0 ? 0.0 : x);
  set_mag(mag, fabs(d));
  return d;
}
#define ref_relu_der_y ref_relu_der

/* ---- leaky_relu: x*slope for x <= 0 (so f(-0) = -0); f'(0) = slope (PyTorch) ---- */
static double ref_leaky_relu_fwd(double x, const double *p) {
  return x > 0 ? x : x * p[0];
}
static double ref_leaky_relu_der(double x, const double *p, double *mag) {
  double d = x > 0 ? 1.0 : (x <= 0 ? p[0] : x);
  set_mag(mag, fabs(d));
  return d;
}
#define ref_leaky_relu_der_y ref_leaky_relu_der

/* ---- sigmoid ---- */
static double ref_sigmoid_fwd(double x, const double *p) {
  (void)p;
  return sigmoid(x);
}
static double ref_sigmoid_der(double x, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, sigmoid_prime(x));
}
static double ref_sigmoid_der_y(double y, const double *p, double *mag) {
  (void)p;
  double d = y * (1.0 - y);
  set_mag(mag, fabs(d));
  return d;
}

/* ---- tanh: sech²x = 4t/(1+t)² with t = e^-2|x| ---- */
static double ref_tanh_fwd(double x, const double *p) {
  (void)p;
  return tanh(x);
}
static double ref_tanh_der(double x, const double *p, double *mag) {
  (void)p;
  double t = exp(-2.0 * fabs(x));
  return set_mag(mag, nonzero(4.0 * t / ((1.0 + t) * (1.0 + t)), 1.0, x));
}
static double ref_tanh_der_y(double y, const double *p, double *mag) {
  (void)p;
  double d = (1.0 - y) * (1.0 + y);
  set_mag(mag, fabs(d));
  return d;
}

/* ---- gelu = x Φ(x) = ½ x erfc(-x/√2); f' = Φ(x) + x φ(x) ---- */
static double ref_gelu_fwd(double x, const double *p) {
  (void)p;
  if (isinf(x))
    return x > 0 ? x : -0.0; /* not -inf * 0 */
  return x * big_phi(x);
}
static double ref_gelu_der(double x, const double *p, double *mag) {
  (void)p;
  if (isinf(x))
    return set_mag(mag, x > 0 ? 1.0 : 0.0); /* x φ(x) -> 0; avoid inf * 0 */
  double a = big_phi(x), b = x * small_phi(x);
  set_mag(mag, a + fabs(b));
  return nonzero(a + b, -1.0, x); /* underflows only far left, where f' < 0 */
}

/* ---- gelu_tanh = ½x(1+tanh u) = x σ(2u), u = √(2/π)(x + 0.044715 x³);
 *      f' = s + 2x s(1-s) u', s = σ(2u), u' = √(2/π)(1 + 3·0.044715 x²) ---- */
static double gelu_tanh_2u(double x) {
  return 2.0 * SQRT_2_PI * (x + GELU_TANH_C * x * x * x);
}
static double ref_gelu_tanh_fwd(double x, const double *p) {
  (void)p;
  if (isinf(x))
    return x > 0 ? x : -0.0;
  return x * sigmoid(gelu_tanh_2u(x));
}
static double ref_gelu_tanh_der(double x, const double *p, double *mag) {
  (void)p;
  if (isinf(x))
    return set_mag(mag, x > 0 ? 1.0 : 0.0);
  double w = gelu_tanh_2u(x);
  double s = sigmoid(w), s1 = sigmoid_prime(w);
  double du = SQRT_2_PI * (1.0 + 3.0 * GELU_TANH_C * x * x);
  double b = 2.0 * x * s1 * du;
  set_mag(mag, s + fabs(b));
  return nonzero(s + b, -1.0, x); /* underflows only far left, where f' < 0 */
}

/* ---- silu = x σ(x); f' = σ(x) + x σ(x)σ(-x) ---- */
static double ref_silu_fwd(double x, const double *p) {
  (void)p;
  if (isinf(x))
    return x > 0 ? x : -0.0;
  return x * sigmoid(x);
}
static double ref_silu_der(double x, const double *p, double *mag) {
  (void)p;
  if (isinf(x))
    return set_mag(mag, x > 0 ? 1.0 : 0.0);
  double a = sigmoid(x), b = x * sigmoid_prime(x);
  set_mag(mag, a + fabs(b));
  return nonzero(a + b, -1.0, x); /* underflows only far left, where f' < 0 */
}

/* ---- elu: x > 0 ? x : α expm1(x), elu(±0) = ±0; f'(0) = α (branch selected at 0); from y: y + α
 */
static double ref_elu_fwd(double x, const double *p) {
  return x >= 0 ? x : p[0] * expm1(x); /* elu(±0) = ±0 whatever α: the x branch at 0 */
}
static double ref_elu_der(double x, const double *p, double *mag) {
  double d = x > 0 ? 1.0 : nonzero(p[0] * exp(x), p[0], x);
  set_mag(mag, fabs(d));
  return d;
}
static double ref_elu_der_y(double y, const double *p, double *mag) {
  if (y > 0)
    return set_mag(mag, 1.0);
  set_mag(mag, fabs(y) + fabs(p[0]));
  return y + p[0];
}

/* ---- softplus(β, threshold): x when βx > threshold (the exact product: β and x are float32
 *      values, so beta*x is exact in double), else log1p(e^(βx))/β ---- */
static double ref_softplus_fwd(double x, const double *p) {
  double bx = p[0] * x;
  if (bx > p[1])
    return x;
  return (bx > 0 ? bx + log1p(exp(-bx)) : log1p(exp(bx))) / p[0];
}
static double ref_softplus_der(double x, const double *p, double *mag) {
  double bx = p[0] * x;
  double d = bx > p[1] ? 1.0 : nonzero(sigmoid(bx), 1.0, x);
  return set_mag(mag, nan_or(bx, d));
}
static double ref_softplus_der_y(double y, const double *p, double *mag) {
  double by = p[0] * y;
  double d = by > p[1] ? 1.0 : -expm1(-by);
  set_mag(mag, fabs(d));
  return nan_or(by, d);
}

/* ==== piecewise and algebraic activations (issue 3) ==== */
/* (s, e) with s + e = a + b exactly (TwoSum). */
static double two_sum(double a, double b, double *e) {
  double s = a + b;
  double bb = s - a;
  *e = (a - (s - bb)) + (b - bb);
  return s;
}
/* a + b for exact double operands, as a double whose rounding to float32 is the correctly
 * rounded float32 of the exact sum: the double sum can land on a float32 halfway point that the
 * exact sum is not on (double rounding); it is then moved one double ulp toward the exact sum.
 * For the bit-exact group (softshrink, affine). */
static double sum_f32(double a, double b) {
  double e, s = two_sum(a, b, &e);
  if (e == 0 || !isfinite(s))
    return s;
  float f = (float)s;
  if ((double)f == s || isinf(f))
    return s;
  float g = nextafterf(f, s > (double)f ? INFINITY : -INFINITY);
  if (s != ((double)f + (double)g) / 2)
    return s;
  return nextafter(s, e > 0 ? INFINITY : -INFINITY);
}

/* ---- binary_step, bipolar_step: x < 0 ? lo : 1 (f(±0) = 1); f' = 0, NaN for NaN ---- */
static double ref_binary_step_fwd(double x, const double *p) {
  (void)p;
  return isnan(x) ? x : x < 0 ? 0.0 : 1.0;
}
static double ref_binary_step_der(double x, const double *p, double *mag) {
  (void)p;
  set_mag(mag, 0.0);
  return nan_or(x, 0.0);
}
#define ref_binary_step_der_y ref_binary_step_der
static double ref_bipolar_step_fwd(double x, const double *p) {
  (void)p;
  return isnan(x) ? x : x < 0 ? -1.0 : 1.0;
}
#define ref_bipolar_step_der ref_binary_step_der
#define ref_bipolar_step_der_y ref_binary_step_der

/* ---- sqnl: odd; |x| - x²/4 inside |x| <= 2, else ±1; f' = 1 - |x|/2 inside (M = 1 + |x|/2),
 *      0 outside; from y: √(1 - |y|) ---- */
static double ref_sqnl_fwd(double x, const double *p) {
  (void)p;
  double a = fabs(x);
  return copysign(a > 2 ? 1.0 : a - a * a / 4, x);
}
static double ref_sqnl_der(double x, const double *p, double *mag) {
  (void)p;
  double a = fabs(x);
  set_mag(mag, a > 2 ? 0.0 : 1 + a / 2);
  return a > 2 ? 0.0 : 1 - a / 2;
}
static double ref_sqnl_der_y(double y, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, sqrt(1 - fabs(y)));
}

/* ---- softsign: x/(1+|x|); f' = 1/(1+|x|)²; from y: (1-|y|)² ---- */
static double ref_softsign_fwd(double x, const double *p) {
  (void)p;
  return isinf(x) ? copysign(1.0, x) : x / (1 + fabs(x));
}
static double ref_softsign_der(double x, const double *p, double *mag) {
  (void)p;
  double t = 1 / (1 + fabs(x));
  return set_mag(mag, t * t);
}
static double ref_softsign_der_y(double y, const double *p, double *mag) {
  (void)p;
  double s = 1 - fabs(y);
  return set_mag(mag, s * s);
}

/* ---- isru(α): x/√(1+αx²), ±1/√α at ±inf; f' = (1+αx²)^(-3/2); from y: (1-αy²)^(3/2), with
 *      1 - αy² exact to a rounding (αy exact, (αy)y by fma) and clamped at 0 ---- */
static double ref_isru_fwd(double x, const double *p) {
  if (isinf(x))
    return copysign(1 / sqrt(p[0]), x);
  return x / sqrt(1 + p[0] * (x * x));
}
static double ref_isru_der(double x, const double *p, double *mag) {
  double s = 1 + p[0] * (x * x);
  return set_mag(mag, 1 / (s * sqrt(s)));
}
static double ref_isru_der_y(double y, const double *p, double *mag) {
  double ay = p[0] * y;
  double h = ay * y, l = fma(ay, y, -h);
  double s = (1 - h) - l;
  s = s > 0 ? s : (s <= 0 ? 0.0 : s);
  return set_mag(mag, s * sqrt(s));
}

/* ---- isrlu(α): isru for x < 0, x otherwise ---- */
static double ref_isrlu_fwd(double x, const double *p) {
  return x < 0 ? ref_isru_fwd(x, p) : x;
}
static double ref_isrlu_der(double x, const double *p, double *mag) {
  if (x < 0)
    return ref_isru_der(x, p, mag);
  set_mag(mag, 1.0);
  return nan_or(x, 1.0);
}
static double ref_isrlu_der_y(double y, const double *p, double *mag) {
  if (y < 0)
    return ref_isru_der_y(y, p, mag);
  set_mag(mag, 1.0);
  return nan_or(y, 1.0);
}

/* ---- plu(α in [0,1], c >= 0): odd; x for |x| <= c, sign(x)(α(|x|-c) + c) beyond (±inf: ±inf,
 *      or ±c when α = 0); f' = |x| > c ? α : 1 ---- */
static double ref_plu_fwd(double x, const double *p) {
  double a = fabs(x);
  if (a <= p[1])
    return x;
  double r = isinf(a) ? (p[0] > 0 ? a : p[1]) : p[0] * (a - p[1]) + p[1];
  return copysign(r, x);
}
static double ref_plu_der(double x, const double *p, double *mag) {
  double d = nan_or(x, fabs(x) > p[1] ? p[0] : 1.0);
  set_mag(mag, fabs(d));
  return d;
}
#define ref_plu_der_y ref_plu_der

/* ---- rrelu(lower, upper), inference form: leaky_relu with the float32 slope
 *      RN((lower+upper)/2) (lower + upper is exact in double or far from a float32 tie) ---- */
static double rrelu_slope(const double *p) {
  return (double)(float)(0.5 * (p[0] + p[1]));
}
static double ref_rrelu_fwd(double x, const double *p) {
  return x > 0 ? x : x * rrelu_slope(p);
}
static double ref_rrelu_der(double x, const double *p, double *mag) {
  double d = x > 0 ? 1.0 : (x <= 0 ? rrelu_slope(p) : x);
  set_mag(mag, fabs(d));
  return d;
}
#define ref_rrelu_der_y ref_rrelu_der

/* ---- srelu(tl, tr, al, ar): tl + al(x - tl) for x <= tl, x inside, tr + ar(x - tr) for
 *      x >= tr; a zero outer value is +0; f'(tl) = al, f'(tr) = ar ---- */
static double srelu_line(double x, double t, double a) {
  double r;
  if (a == 0)
    r = t;
  else if (isinf(x))
    r = a * x;
  else { /* t - at + ax: at and ax exact in double, summed with one final rounding */
    double e1, e2;
    double s1 = two_sum(t, -a * t, &e1);
    double s2 = two_sum(s1, a * x, &e2);
    r = s2 + (e1 + e2);
  }
  return r == 0 ? 0.0 : r;
}
static double ref_srelu_fwd(double x, const double *p) {
  if (isnan(x))
    return x;
  return x <= p[0] ? srelu_line(x, p[0], p[2]) : x >= p[1] ? srelu_line(x, p[1], p[3]) : x;
}
static double ref_srelu_der(double x, const double *p, double *mag) {
  double d = nan_or(x, x <= p[0] ? p[2] : x >= p[1] ? p[3] : 1.0);
  set_mag(mag, fabs(d));
  return d;
}
#define ref_srelu_der_y ref_srelu_der

/* ---- relu6: relu6(-0) = +0; f' = 0 < x < 6 ? 1 : 0 (PyTorch) ---- */
static double ref_relu6_fwd(double x, const double *p) {
  (void)p;
  return x > 0 ? (x < 6 ? x : 6.0) : (x <= 0 ? 0.0 : x);
}
static double ref_relu6_der(double x, const double *p, double *mag) {
  (void)p;
  double d = nan_or(x, x > 0 && x < 6 ? 1.0 : 0.0);
  return set_mag(mag, d);
}
#define ref_relu6_der_y ref_relu6_der

/* ---- hardtanh(min_val, max_val): x passes through inside the closed bounds (f(-0) = -0);
 *      f' = min_val < x < max_val ? 1 : 0 (PyTorch) ---- */
static double ref_hardtanh_fwd(double x, const double *p) {
  return isnan(x) ? x : x < p[0] ? p[0] : x > p[1] ? p[1] : x;
}
static double ref_hardtanh_der(double x, const double *p, double *mag) {
  double d = nan_or(x, x > p[0] && x < p[1] ? 1.0 : 0.0);
  return set_mag(mag, d);
}
#define ref_hardtanh_der_y ref_hardtanh_der

/* ---- threshold(threshold, value): x > threshold ? x : value; f' = x > threshold ? 1 : 0 ---- */
static double ref_threshold_fwd(double x, const double *p) {
  return isnan(x) ? x : x > p[0] ? x : p[1];
}
static double ref_threshold_der(double x, const double *p, double *mag) {
  double d = nan_or(x, x > p[0] ? 1.0 : 0.0);
  return set_mag(mag, d);
}
#define ref_threshold_der_y ref_threshold_der

/* ---- hardsigmoid(α, β) and hardswish(α, β): the branches on the exact v = αx + β. αx is exact
 *      in double and β - k exact, so one rounding of αx + (β - k) has the sign of v - k. ---- */
static int hs_side(double x, const double *p, double k) {
  double r = p[0] * x + (p[1] - k);
  return (r > 0) - (r < 0);
}
static double ref_hardsigmoid_fwd(double x, const double *p) {
  if (isnan(x))
    return x;
  if (hs_side(x, p, 0) <= 0)
    return 0.0;
  if (hs_side(x, p, 1) >= 0)
    return 1.0;
  return p[0] * x + p[1];
}
static double ref_hardsigmoid_der(double x, const double *p, double *mag) {
  double d = nan_or(x, hs_side(x, p, 0) > 0 && hs_side(x, p, 1) < 0 ? p[0] : 0.0);
  return set_mag(mag, d);
}
static double ref_hardsigmoid_der_y(double y, const double *p, double *mag) {
  double d = nan_or(y, y > 0 && y < 1 ? p[0] : 0.0);
  return set_mag(mag, d);
}
/* hardswish: ±0 (the sign of x) for v < 0, x for v > 1, x v between; f' = 0; 2αx + β
 * (M = |2αx| + |β|); 1 (PyTorch's convention, generalised) */
static double ref_hardswish_fwd(double x, const double *p) {
  if (isnan(x))
    return x;
  double r = hs_side(x, p, 0) < 0 ? 0.0 : hs_side(x, p, 1) > 0 ? x : x * (p[0] * x + p[1]);
  return r == 0 ? copysign(0.0, x) : r;
}
static double ref_hardswish_der(double x, const double *p, double *mag) {
  if (isnan(x))
    return set_mag(mag, x);
  if (hs_side(x, p, 0) < 0)
    return set_mag(mag, 0.0);
  if (hs_side(x, p, 1) > 0)
    return set_mag(mag, 1.0);
  double a = 2 * p[0] * x;
  set_mag(mag, fabs(a) + fabs(p[1]));
  return a + p[1];
}

/* ---- softshrink(λ), hardshrink(λ): odd, the middle zero is x*0 (f(-0) = -0); f' = |x| > λ;
 *      from y: y != 0 ---- */
static double ref_softshrink_fwd(double x, const double *p) {
  return x > p[0] ? sum_f32(x, -p[0]) : x < -p[0] ? sum_f32(x, p[0]) : x * 0.0;
}
static double ref_softshrink_der(double x, const double *p, double *mag) {
  double d = nan_or(x, x > p[0] || x < -p[0] ? 1.0 : 0.0);
  return set_mag(mag, d);
}
static double ref_softshrink_der_y(double y, const double *p, double *mag) {
  (void)p;
  double d = nan_or(y, y != 0 ? 1.0 : 0.0);
  return set_mag(mag, d);
}
static double ref_hardshrink_fwd(double x, const double *p) {
  return x > p[0] || x < -p[0] ? x : x * 0.0;
}
#define ref_hardshrink_der ref_softshrink_der
#define ref_hardshrink_der_y ref_softshrink_der_y

/* ---- relu_squared: x > 0 ? x² : 0 (x² exact in double); f' = 2 relu(x); from y: 2√y ---- */
static double ref_relu_squared_fwd(double x, const double *p) {
  (void)p;
  return x > 0 ? x * x : (x <= 0 ? 0.0 : x);
}
static double ref_relu_squared_der(double x, const double *p, double *mag) {
  (void)p;
  double d = x > 0 ? 2 * x : (x <= 0 ? 0.0 : x);
  return set_mag(mag, d);
}
static double ref_relu_squared_der_y(double y, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, 2 * sqrt(y));
}

/* ---- sparse_plus: 0; (x+1)²/4; x. f' = 0; (x+1)/2; 1. From y: y >= 1 ? 1 : √y ---- */
static double ref_sparse_plus_fwd(double x, const double *p) {
  (void)p;
  return x <= -1 ? 0.0 : x >= 1 ? x : (x + 1) * (x + 1) / 4;
}
static double ref_sparse_plus_der(double x, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, x <= -1 ? 0.0 : x >= 1 ? 1.0 : (x + 1) / 2);
}
static double ref_sparse_plus_der_y(double y, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, y >= 1 ? 1.0 : sqrt(y));
}

/* ---- sparse_sigmoid: 0; (x+1)/2; 1. f' = -1 < x < 1 ? 1/2 : 0 ---- */
static double ref_sparse_sigmoid_fwd(double x, const double *p) {
  (void)p;
  return x <= -1 ? 0.0 : x >= 1 ? 1.0 : (x + 1) / 2;
}
static double ref_sparse_sigmoid_der(double x, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, nan_or(x, x > -1 && x < 1 ? 0.5 : 0.0));
}
static double ref_sparse_sigmoid_der_y(double y, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, nan_or(y, y > 0 && y < 1 ? 0.5 : 0.0));
}

/* ---- affine(α, β): α = 0: β; β = 0: αx (exact in double, signed zero of the product);
 *      else αx + β correctly rounded to float32. f' = α ---- */
static double ref_affine_fwd(double x, const double *p) {
  if (isnan(x))
    return x;
  return p[0] == 0 ? p[1] : p[1] == 0 ? p[0] * x : sum_f32(p[0] * x, p[1]);
}
static double ref_affine_der(double x, const double *p, double *mag) {
  set_mag(mag, fabs(p[0]));
  return nan_or(x, p[0]);
}
#define ref_affine_der_y ref_affine_der

/* ---- abs: |x|; f' = sgn(x), 0 at ±0 (PyTorch) ---- */
static double ref_abs_fwd(double x, const double *p) {
  (void)p;
  return fabs(x);
}
static double ref_abs_der(double x, const double *p, double *mag) {
  (void)p;
  double d = x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : x;
  set_mag(mag, fabs(d));
  return d;
}

/* ---- square: x² (exact in double); f' = 2x ---- */
static double ref_square_fwd(double x, const double *p) {
  (void)p;
  return x * x;
}
static double ref_square_der(double x, const double *p, double *mag) {
  (void)p;
  set_mag(mag, fabs(2 * x));
  return 2 * x;
}

/* ---- sqrt: √x (NaN below 0, √-0 = -0); f' = 1/(2√x), +inf at ±0; from y: 1/(2y) ---- */
static double ref_sqrt_fwd(double x, const double *p) {
  (void)p;
  return sqrt(x);
}
static double ref_sqrt_der(double x, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, x == 0 ? INFINITY : 0.5 / sqrt(x));
}
static double ref_sqrt_der_y(double y, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, y == 0 ? INFINITY : 0.5 / y);
}

/* ---- round: half to even (rint in the default rounding mode); f' = 0 ---- */
static double ref_round_fwd(double x, const double *p) {
  (void)p;
  return rint(x);
}
#define ref_round_der ref_binary_step_der
#define ref_round_der_y ref_binary_step_der

/* ---- bent_identity: x + x²/(2(√(x²+1)+1)) (f(-0) = -0); f' = 1 + x/(2√(x²+1)),
 *      M = 1 + |x|/(2√(x²+1)) ---- */
static double ref_bent_identity_fwd(double x, const double *p) {
  (void)p;
  if (isinf(x) || x == 0)
    return x;
  double q = x * x;
  return x + q / (2 * (sqrt(q + 1) + 1));
}
static double ref_bent_identity_der(double x, const double *p, double *mag) {
  (void)p;
  double h = isinf(x) ? copysign(0.5, x) : x / (2 * sqrt(x * x + 1));
  set_mag(mag, 1 + fabs(h));
  return 1 + h;
}

/* ---- squareplus(b): (x + s)/2 for x >= 0, b/(2(s - x)) for x < 0, s = √(x²+b);
 *      f' = (1 + x/s)/2, or b/(2s(s - x)) for x < 0; from y: y²/(y² + b) ---- */
static double ref_squareplus_fwd(double x, const double *p) {
  if (isinf(x))
    return x > 0 ? x : 0.0;
  double s = sqrt(x * x + p[0]);
  return x >= 0 ? (x + s) / 2 : p[0] / (2 * (s - x));
}
static double ref_squareplus_der(double x, const double *p, double *mag) {
  if (isinf(x))
    return set_mag(mag, x > 0 ? 1.0 : 0.0);
  double s = sqrt(x * x + p[0]);
  return set_mag(mag, x >= 0 ? (1 + x / s) / 2 : p[0] / (2 * s * (s - x)));
}
static double ref_squareplus_der_y(double y, const double *p, double *mag) {
  if (isinf(y))
    return set_mag(mag, 1.0);
  double q = y * y;
  return set_mag(mag, q / (q + p[0]));
}

/* ---- dispatch, generated from the registry ---- */
typedef double (*fwd_fn)(double, const double *);
typedef double (*der_fn)(double, const double *, double *);
typedef struct ref_entry {
  fwd_fn fwd;
  der_fn der;
  der_fn der_y;
} ref_entry;

#define REF_FROM_Y_NO(name) NULL
#define REF_FROM_Y_YES(name) ref_##name##_der_y
#define REF_FROM_Y_P0_POSITIVE(name) ref_##name##_der_y
#define REF_FROM_Y_P1_LE_P0(name) ref_##name##_der_y
#define REF_FROM_Y_P2_P3_POSITIVE(name) ref_##name##_der_y
static const ref_entry ref_table[CLACT_ACTIVATION_COUNT] = {
#define CLACT_ACTIVATION(ID, name, synonyms, nparams, from_y, ...)                                 \
  [CLACT_##ID] = {ref_##name##_fwd, ref_##name##_der, REF_FROM_Y_##from_y(name)},
#include "clact/activations.def"
};

double clact_reference_forward(clact_activation act, double x, const double *p) {
  if ((unsigned)act >= CLACT_ACTIVATION_COUNT || !p)
    return NAN;
  return ref_table[act].fwd(x, p);
}

double clact_reference_derivative(clact_activation act, double x, const double *p, double *mag) {
  if ((unsigned)act >= CLACT_ACTIVATION_COUNT || !p)
    return set_mag(mag, NAN);
  return ref_table[act].der(x, p, mag);
}

double clact_reference_derivative_from_y(clact_activation act, double y, const double *p,
                                         double *mag) {
  if ((unsigned)act >= CLACT_ACTIVATION_COUNT || !p || !ref_table[act].der_y)
    return set_mag(mag, NAN);
  return ref_table[act].der_y(y, p, mag);
}

/* ---- edge points and alternative parameter sets for the checker ---- */
/* Points every activation is tested at (each with both signs and a few ulp either side):
 * unit points, the branch points of the clamp family, where e^x overflows / goes subnormal /
 * underflows to zero in float32, where tanh and σ saturate. */
static const double common_edges[] = {0.0,      0.5,     1.0,      2.0,       3.0,      6.0,
                                      9.01,     16.6355, 18.7,     20.0,      87.33655, 88.72284,
                                      89.41599, 91.8,    103.2789, 103.97208, 1.0e-20,  1.0e10};

static const double gelu_edges[] = {-0.7517916, -3.0,  -5.656854, -10.0, -13.0, -13.5,
                                    -14.0,      -14.1, -14.2,     -14.3, -26.5, -38.0};
static const double gelu_tanh_edges[] = {-0.7522, -3.0, -5.0,  -7.0,    -8.0,   -9.0,
                                         -9.3,    -9.6, -10.0, -1.8e19, 2.6e12, -6.1e12};
static const double silu_edges[] = {-1.2784645, -80.0,  -87.0,  -88.0,  -91.8,
                                    -92.0,      -100.0, -104.0, -108.0, -110.0};
static const double sigmoid_edges[] = {-87.0, -88.0, -100.0, -103.0, -104.0, 15.9424};
static const double softplus_edges[] = {-87.0, -88.0, -100.0, -103.0, -104.0, 15.0, 8.3, 40.0};
static const double sqnl_edges[] = {2.0, 4.0, 1.5, 1.0e-4, 1.0e-30};
static const double softsign_edges[] = {0x1p24, 0x1p25, 1.0e30, 3.0e38, 1.0e-30};
/* isru/isrlu: the switch to 1/√α at αx² = 2^48 (x = 2^24 for α = 1, 2^23 for α = 4), where x²
 * overflows, large and tiny x */
static const double isru_edges[] = {0x1p23, 0x1p24, 1.0e7,   1.8446744e19, 2.0e19,
                                    1.0e30, 3.0e38, 1.0e-20, 1.0e-40,      0.7};
static const double plu_edges[] = {1.1, 10.0, 1.0e8, 3.0e38, 0.5};
static const double srelu_edges[] = {-1.0, 2.0, -2.0 / 3.0, 0.5, 1.0e20, 1.0e18};
/* hardsigmoid/hardswish corners (±3 for the defaults, with the float32 1/6 on either side),
 * the root of hardswish' (-β/(2α)) and the corners of the alternative sets */
static const double hard_edges[] = {2.9999998, 3.0000002, -1.5, 2.5, -0.4, 3.6, -0.2, -2.0, 1e-40};
static const double big_square_edges[] = {1.8446743e19, 1.8446744e19, 1.0e19, 3.0e38, 1.0e-23};
static const double sparse_edges[] = {0.99999994, -0.99999994, 0.25, 1.0e-8};
static const double sqrt_edges[] = {4.0, 0.25, 1.0e-45, 1.0e-40, 3.0e38};
static const double round_edges[] = {0.49999997, 1.5,        2.5,          8388607.5,
                                     0x1p23,     0x1p24 + 2, 0x1p22 + 0.5, 1.0e30};
static const double bent_identity_edges[] = {0x1p40, 0x1p32, 1.0e-4, 1.0e-10, 1.0e-25,
                                             1.0e20, 3.0e38, 0.75,   1.0e-40};
static const double squareplus_edges[] = {0x1p31, 0x1p32, 1.0e10, 1.0e19, 1.0e30, 3.0e38, 1.0e-30};

#define EDGES(arr)                                                                                 \
  { arr, sizeof arr / sizeof arr[0] }
static const struct {
  const double *v;
  size_t n;
} edge_table[CLACT_ACTIVATION_COUNT] = {
    [CLACT_GELU] = EDGES(gelu_edges),
    [CLACT_GELU_TANH] = EDGES(gelu_tanh_edges),
    [CLACT_SILU] = EDGES(silu_edges),
    [CLACT_SIGMOID] = EDGES(sigmoid_edges),
    [CLACT_SOFTPLUS] = EDGES(softplus_edges),
    [CLACT_SQNL] = EDGES(sqnl_edges),
    [CLACT_SOFTSIGN] = EDGES(softsign_edges),
    [CLACT_ISRU] = EDGES(isru_edges),
    [CLACT_ISRLU] = EDGES(isru_edges),
    [CLACT_PLU] = EDGES(plu_edges),
    [CLACT_SRELU] = EDGES(srelu_edges),
    [CLACT_HARDSIGMOID] = EDGES(hard_edges),
    [CLACT_HARDSWISH] = EDGES(hard_edges),
    [CLACT_RELU_SQUARED] = EDGES(big_square_edges),
    [CLACT_SQUARE] = EDGES(big_square_edges),
    [CLACT_ABS] = EDGES(big_square_edges),
    [CLACT_SPARSE_PLUS] = EDGES(sparse_edges),
    [CLACT_SPARSE_SIGMOID] = EDGES(sparse_edges),
    [CLACT_SQRT] = EDGES(sqrt_edges),
    [CLACT_ROUND] = EDGES(round_edges),
    [CLACT_BENT_IDENTITY] = EDGES(bent_identity_edges),
    [CLACT_SQUAREPLUS] = EDGES(squareplus_edges),
};

static const double leaky_relu_sets[][CLACT_MAX_PARAMS] = {{0.2}, {-0.1}, {1.5}, {0.0}};
static const double elu_sets[][CLACT_MAX_PARAMS] = {{0.5}, {2.0}, {-1.0}};
static const double softplus_sets[][CLACT_MAX_PARAMS] = {
    {2.0, 20.0}, {0.5, 20.0}, {1.0, 5.0}, {3.7, 1.0}};
static const double isru_sets[][CLACT_MAX_PARAMS] = {{0.25}, {3.0}, {1.0e-8}, {1.0e8}};
static const double isrlu_sets[][CLACT_MAX_PARAMS] = {{4.0}, {3.0}, {1.0e-8}};
/* plu (α, c): α = 0 has no from-y variant */
static const double plu_sets[][CLACT_MAX_PARAMS] = {
    {0.0, 1.0}, {0.5, 3.0}, {1.0, 0.5}, {0.25, 0.0}};
/* rrelu (lower, upper) */
static const double rrelu_sets[][CLACT_MAX_PARAMS] = {
    {0.0, 1.0}, {0.01, 0.02}, {0.3, 0.3}, {0.1, 0.7}};
/* srelu (tl, tr, al, ar): the defaults (al = 0) have no from-y variant, these do except the
 * third (a decreasing left branch; its right branch crosses 0 at x = -2/3) */
static const double srelu_sets[][CLACT_MAX_PARAMS] = {
    {-1.0, 2.0, 0.1, 0.5}, {0.5, 0.5, 2.0, 0.25}, {-3.0, -1.0, -0.5, 3.0}, {-2.0, 1.0, 1.0, 1.5}};
static const double hardtanh_sets[][CLACT_MAX_PARAMS] = {
    {-2.0, 3.0}, {0.0, 6.0}, {0.5, 0.5}, {-HUGE_VAL, 0.0}};
/* threshold (threshold, value): the first has value > threshold (no from-y variant) */
static const double threshold_sets[][CLACT_MAX_PARAMS] = {{1.0, 20.0}, {0.5, -1.0}, {-2.0, -2.0}};
/* hardsigmoid/hardswish (α, β): Keras' 0.2, a zero β, a β whose β - 1 is not a float32, β = 1,
 * and a subnormal β (corners where αx + β is below the float32 range) */
static const double hard_sets[][CLACT_MAX_PARAMS] = {
    {0.2, 0.5}, {1.0, 0.0}, {0.25, 0.1}, {0.5, 1.0}, {0.75, 1.0e-40}};
static const double shrink_sets[][CLACT_MAX_PARAMS] = {{0.0}, {1.0}, {1.0e-3}, {2.5}};
static const double affine_sets[][CLACT_MAX_PARAMS] = {
    {2.0, 1.0}, {0.1, 0.3}, {-1.5, 1.0e-3}, {0.0, 2.0}};
static const double squareplus_sets[][CLACT_MAX_PARAMS] = {{1.0}, {0.01}, {100.0}, {1.0e-20}};
#define SETS(arr)                                                                                  \
  { arr, sizeof arr / sizeof arr[0] }
static const struct {
  const double (*v)[CLACT_MAX_PARAMS];
  size_t n;
} set_table[CLACT_ACTIVATION_COUNT] = {
    [CLACT_LEAKY_RELU] = SETS(leaky_relu_sets), [CLACT_ELU] = SETS(elu_sets),
    [CLACT_SOFTPLUS] = SETS(softplus_sets),     [CLACT_ISRU] = SETS(isru_sets),
    [CLACT_ISRLU] = SETS(isrlu_sets),           [CLACT_PLU] = SETS(plu_sets),
    [CLACT_RRELU] = SETS(rrelu_sets),           [CLACT_SRELU] = SETS(srelu_sets),
    [CLACT_HARDTANH] = SETS(hardtanh_sets),     [CLACT_THRESHOLD] = SETS(threshold_sets),
    [CLACT_HARDSIGMOID] = SETS(hard_sets),      [CLACT_HARDSWISH] = SETS(hard_sets),
    [CLACT_SOFTSHRINK] = SETS(shrink_sets),     [CLACT_HARDSHRINK] = SETS(shrink_sets),
    [CLACT_AFFINE] = SETS(affine_sets),         [CLACT_SQUAREPLUS] = SETS(squareplus_sets),
};

size_t clact__ref_common_edges(const double **v) {
  *v = common_edges;
  return sizeof common_edges / sizeof common_edges[0];
}

size_t clact__ref_edges(clact_activation act, const double **v) {
  *v = edge_table[act].v;
  return edge_table[act].n;
}

size_t clact__ref_param_sets(clact_activation act, const double (**v)[CLACT_MAX_PARAMS]) {
  *v = set_table[act].v;
  return set_table[act].n;
}
