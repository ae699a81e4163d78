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

#include <math.h>

#define SQRT1_2 0.70710678118654752440      /* 1/√2 */
#define INV_SQRT_2PI 0.39894228040143267794 /* 1/√(2π) */
#define SQRT_2_PI 0.79788456080286535588    /* √(2/π) */
#define GELU_TANH_C 0.044715

/* σ(x) and σ(x)σ(-x) from t = e^-|x| (no cancellation, no overflow). */
static double sigmoid(double x) {
  double t = exp(-fabs(x));
  return x >= 0 ? 1.0 / (1.0 + t) : t / (1.0 + t);
}
static double sigmoid_prime(double x) {
  double t = exp(-fabs(x));
  return t / ((1.0 + t) * (1.0 + t));
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
  return set_mag(mag, 4.0 * t / ((1.0 + t) * (1.0 + t)));
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
  return a + b;
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
  return s + b;
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
  return a + b;
}

/* ---- elu: x > 0 ? x : α expm1(x); f'(0) = α (branch selected at 0); from y: y + α ---- */
static double ref_elu_fwd(double x, const double *p) {
  return x > 0 ? x : p[0] * expm1(x);
}
static double ref_elu_der(double x, const double *p, double *mag) {
  double d = x > 0 ? 1.0 : p[0] * exp(x);
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
  double d = bx > p[1] ? 1.0 : sigmoid(bx);
  return set_mag(mag, nan_or(bx, d));
}
static double ref_softplus_der_y(double y, const double *p, double *mag) {
  double by = p[0] * y;
  double d = by > p[1] ? 1.0 : -expm1(-by);
  set_mag(mag, fabs(d));
  return nan_or(by, d);
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

#define EDGES(arr)                                                                                 \
  { arr, sizeof arr / sizeof arr[0] }
static const struct {
  const double *v;
  size_t n;
} edge_table[CLACT_ACTIVATION_COUNT] = {
    [CLACT_GELU] = EDGES(gelu_edges),         [CLACT_GELU_TANH] = EDGES(gelu_tanh_edges),
    [CLACT_SILU] = EDGES(silu_edges),         [CLACT_SIGMOID] = EDGES(sigmoid_edges),
    [CLACT_SOFTPLUS] = EDGES(softplus_edges),
};

static const double leaky_relu_sets[][CLACT_MAX_PARAMS] = {{0.2}, {-0.1}, {1.5}, {0.0}};
static const double elu_sets[][CLACT_MAX_PARAMS] = {{0.5}, {2.0}, {-1.0}};
static const double softplus_sets[][CLACT_MAX_PARAMS] = {
    {2.0, 20.0}, {0.5, 20.0}, {1.0, 5.0}, {3.7, 1.0}};
#define SETS(arr)                                                                                  \
  { arr, sizeof arr / sizeof arr[0] }
static const struct {
  const double (*v)[CLACT_MAX_PARAMS];
  size_t n;
} set_table[CLACT_ACTIVATION_COUNT] = {
    [CLACT_LEAKY_RELU] = SETS(leaky_relu_sets),
    [CLACT_ELU] = SETS(elu_sets),
    [CLACT_SOFTPLUS] = SETS(softplus_sets),
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
