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

/* The f64 checker's mode (per thread): inputs are doubles, not float32 values carried in
 * doubles. The forms below that rely on exact products of float32 values take the products'
 * low parts (fma) in this mode, and f' is marked where it leaves the double range. */
static _Thread_local int ref_f64;
void clact__ref_set_f64(int on) {
  ref_f64 = on;
}

/* f64 mode helpers. x sigma(z) in long double (its exponent range keeps e^z normal), rounded
 * once: a double sigma(z) is subnormal below z = -708 and x times it would multiply its
 * rounding error by |x|. */
static double xsigmoid_l(double x, long double z) {
  long double t = expl(-fabsl(z));
  return (double)(z >= 0 ? (long double)x / (1 + t) : (long double)x * t / (1 + t));
}
/* sigma(z) + v sigma(z) sigma(-z) in long double (f64 mode: the terms stay normal where the
 * double ones would be subnormal and then multiplied by v); *m: sigma + |v| sigma sigma'. */
static double xsigmoid_bwd_l(long double z, long double v, double *m) {
  long double t = expl(-fabsl(z)), q = 1 + t;
  long double s = z >= 0 ? 1 / q : t / q, s1 = t / (q * q);
  *m = (double)(s + fabsl(v) * s1);
  return (double)(s + v * s1);
}

/* 0.5 erfc(u) for u = -x/sqrt2 as a pair (a rounded u costs 2u^2 2^-53 relative). */
#define SQRT1_2_LO (-4.8336466567264567e-17) /* 1/sqrt2 - SQRT1_2 */
#define TWO_RSQRTPI 1.1283791670955125739    /* 2/sqrt(pi) */
static double big_phi64(double x) {
  double uh = -x * SQRT1_2;
  double ul = fma(-x, SQRT1_2, -uh) + -x * SQRT1_2_LO;
  return 0.5 * (erfc(uh) - ul * TWO_RSQRTPI * exp(-uh * uh));
}
/* phi(x) with x^2 as a pair */
static double small_phi64(double x) {
  double h = x * x, l = fma(x, x, -h);
  if (!isfinite(h))
    return 0.0;
  return INV_SQRT_2PI * exp(-0.5 * h) * (1 - 0.5 * l);
}

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
  return ref_f64 ? big_phi64(x) : 0.5 * erfc(-x * SQRT1_2);
}
static double small_phi(double x) {
  return ref_f64 ? small_phi64(x) : INV_SQRT_2PI * exp(-0.5 * x * x);
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

/* ---- brelu (bipolar relu): element index i even: relu(x); odd: -relu(-x), i.e. x for x < 0
 * and -0 for x >= 0 (the negation of relu's +0). Derivative: even relu'(x) (0 at 0), odd
 * relu'(-x) = [x < 0] (0 at 0). From y: even y > 0, odd y < 0 (y = -0 for every x >= 0).
 * The functions below are the even elements; the odd ones are in odd_table (see *_at). ---- */
#define ref_brelu_fwd ref_relu_fwd
#define ref_brelu_der ref_relu_der
#define ref_brelu_der_y ref_relu_der
static double ref_brelu_odd_fwd(double x, const double *p) {
  (void)p;
  return x < 0 ? x : (x >= 0 ? -0.0 : x);
}
static double ref_brelu_odd_der(double x, const double *p, double *mag) {
  (void)p;
  double d = x < 0 ? 1.0 : (x >= 0 ? 0.0 : x);
  set_mag(mag, fabs(d));
  return d;
}
#define ref_brelu_odd_der_y ref_brelu_odd_der

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
/* f64 mode: w = 2u as a pair wh + *wl, with the constants as pairs (an error delta in w costs
 * |w| delta relative where sigma(w) is small, |w| up to 745) */
static double gelu_tanh_2u_dd(double x, double *wl) {
  const double kh = 0x1.9884533d43651p+0, kl = -0x1.cbc0d30ebfd15p-54; /* 2 sqrt(2/pi) */
  const double ch = 0x1.6e4e26d4801f7p-5, cl = 0x1.441355475a31ap-59;  /* 0.044715 */
  double a = x * x, al = fma(x, x, -a);
  double b = a * x, bl = fma(a, x, -b) + al * x; /* x^3 */
  double p = ch * b, pl = fma(ch, b, -p) + (ch * bl + cl * b);
  double s = x + p, bb = s - x, se = (x - (s - bb)) + (p - bb);
  double sl = se + pl;
  double h = kh * s, hl = fma(kh, s, -h) + (kh * sl + kl * s);
  double w = h + hl;
  *wl = isfinite(w) ? (h - w) + hl : 0.0;
  return w;
}
static double ref_gelu_tanh_fwd(double x, const double *p) {
  (void)p;
  if (isinf(x))
    return x > 0 ? x : -0.0;
  if (ref_f64) {
    double wl, w = gelu_tanh_2u_dd(x, &wl);
    if (isnan(w) && !isnan(x))
      return x > 0 ? x : -0.0; /* x^3 overflows: the limits */
    return xsigmoid_l(x, (long double)w + wl);
  }
  return x * sigmoid(gelu_tanh_2u(x));
}
static double ref_gelu_tanh_der(double x, const double *p, double *mag) {
  (void)p;
  if (isinf(x))
    return set_mag(mag, x > 0 ? 1.0 : 0.0);
  double wl = 0, w = ref_f64 ? gelu_tanh_2u_dd(x, &wl) : gelu_tanh_2u(x);
  if (ref_f64) {
    if (isnan(x))
      return set_mag(mag, x);
    if (isnan(w) || isinf(w))
      return set_mag(mag, x > 0 ? 1.0 : 0.0);
    /* v = x w'(x) = 2 sqrt(2/pi) x (1 + 3 c x^2) */
    long double xl = x,
                v = 2 * (long double)SQRT_2_PI * xl * (1 + 3 * (long double)GELU_TANH_C * xl * xl);
    double m, d = xsigmoid_bwd_l((long double)w + wl, v, &m);
    set_mag(mag, m);
    return nonzero(d, -1.0, x);
  }
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
  if (ref_f64)
    return xsigmoid_l(x, x);
  return x * sigmoid(x);
}
static double ref_silu_der(double x, const double *p, double *mag) {
  (void)p;
  if (isinf(x))
    return set_mag(mag, x > 0 ? 1.0 : 0.0);
  if (ref_f64) {
    double m, d = xsigmoid_bwd_l(x, x, &m);
    set_mag(mag, m);
    return nonzero(d, -1.0, x);
  }
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
/* f64 mode: beta x > threshold decided on the exact product */
static int softplus_big(double bx, double x, const double *p) {
  if (bx > p[1])
    return 1;
  return ref_f64 && bx == p[1] && isfinite(bx) && fma(p[0], x, -bx) > 0;
}
static double ref_softplus_fwd(double x, const double *p) {
  double bx = p[0] * x;
  if (softplus_big(bx, x, p))
    return x;
  if (ref_f64 && isfinite(bx)) { /* log1p(e^z)/beta with z = beta x as a long double */
    long double z = (long double)p[0] * x;
    return (double)((z > 0 ? z + log1pl(expl(-z)) : log1pl(expl(z))) / p[0]);
  }
  return (bx > 0 ? bx + log1p(exp(-bx)) : log1p(exp(bx))) / p[0];
}
static double ref_softplus_der(double x, const double *p, double *mag) {
  double bx = p[0] * x;
  double d = softplus_big(bx, x, p) ? 1.0 : nonzero(sigmoid(bx), 1.0, x);
  if (ref_f64 && !softplus_big(bx, x, p) && isfinite(bx))
    d = nonzero(xsigmoid_l(1.0, (long double)p[0] * x), 1.0, x);
  return set_mag(mag, nan_or(bx, d));
}
static double ref_softplus_der_y(double y, const double *p, double *mag) {
  double by = p[0] * y;
  double d = softplus_big(by, y, p) ? 1.0 : -expm1(-by);
  if (ref_f64 && !softplus_big(by, y, p) && isfinite(by))
    d = (double)-expm1l(-(long double)p[0] * y);
  set_mag(mag, fabs(d));
  return nan_or(by, d);
}

/* ==== piecewise and algebraic activations (issue 3) ==== */
/* f64 mode: a finite f' beyond the double range, as DBL_MAX (see finite_or_max below) */
static double finite_or_max_(double d, double x) {
  return isinf(d) && isfinite(x) ? copysign(DBL_MAX, d) : d;
}

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
  return set_mag(mag, ref_f64 && x != 0 ? nonzero(t * t, 1.0, x) : t * t);
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
  if (ref_f64 && !(p[0] * (x * x) < 0x1p900)) /* alpha x^2 overflows: 1/sqrt(alpha + 1/x^2) */
    return copysign(1 / sqrt(p[0] + (1 / x) / x), x);
  return x / sqrt(1 + p[0] * (x * x));
}
static double ref_isru_der(double x, const double *p, double *mag) {
  if (ref_f64 && !(p[0] * (x * x) < 0x1p600) && isfinite(x)) { /* (alpha x^2)^(-3/2), long
                                                                      double */
    long double a = fabsl((long double)x);
    return set_mag(mag, nonzero((double)(1 / (powl((long double)p[0], 1.5L) * a * a * a)), 1.0, x));
  }
  double s = 1 + p[0] * (x * x);
  return set_mag(mag, 1 / (s * sqrt(s)));
}
static double ref_isru_der_y(double y, const double *p, double *mag) {
  double ay = p[0] * y, ayl = fma(p[0], y, -ay); /* (0 for float32 values) */
  double h = ay * y, l = fma(ay, y, -h);
  double s = ((1 - h) - l) - ayl * y;
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
  return ref_f64 ? 0.5 * (p[0] + p[1]) : (double)(float)(0.5 * (p[0] + p[1]));
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
  else if (isinf(x) || isinf(a * x))
    r = a * x;
  else { /* t - at + ax: at and ax exact in double (f64 mode: with their low parts), summed
          * with one final rounding */
    double e1, e2;
    double s1 = two_sum(t, -a * t, &e1);
    double s2 = two_sum(s1, a * x, &e2);
    r = s2 + ((e1 + e2) + (fma(a, x, -(a * x)) - fma(a, t, -(a * t))));
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
  if (ref_f64 && isfinite(p[0] * x)) { /* αx + β - k from the exact pieces (αx, β - k pairs) */
    double ph = p[0] * x, pl = fma(p[0], x, -ph), ce, c = two_sum(p[1], -k, &ce), e1;
    double s1 = two_sum(ph, c, &e1);
    r = s1 + (e1 + (pl + ce));
    if (r == 0 && c == 0 && ce == 0 && x != 0 && p[0] != 0) /* αx below the doubles */
      return (p[0] > 0) == (x > 0) ? 1 : -1;
  }
  return (r > 0) - (r < 0);
}
static double ref_hardsigmoid_fwd(double x, const double *p) {
  if (isnan(x))
    return x;
  if (hs_side(x, p, 0) <= 0)
    return 0.0;
  if (hs_side(x, p, 1) >= 0)
    return 1.0;
  return ref_f64 ? fma(p[0], x, p[1]) : p[0] * x + p[1];
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
  double v = ref_f64 ? fma(p[0], x, p[1]) : p[0] * x + p[1];
  double r = hs_side(x, p, 0) < 0 ? 0.0 : hs_side(x, p, 1) > 0 ? x : x * v;
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
  return ref_f64 ? fma(2 * p[0], x, p[1]) : a + p[1];
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
  /* f64 mode: 2x beyond the doubles gives the DBL_MAX marker, decided on x itself. The form
   * finite_or_max_(2x, x) under x > 0 gave +inf in a clact built by gcc 13.3 (Ubuntu 24.04, on
   * the H200 machine: docs/performance.md), never with gcc 12; perhaps its floating-point range
   * folding, not established. */
  if (x > 0)
    return set_mag(mag, ref_f64 && x > DBL_MAX / 2 && x <= DBL_MAX ? DBL_MAX : 2 * x);
  return set_mag(mag, x <= 0 ? 0.0 : x);
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
  if (ref_f64)
    return p[0] == 0 ? p[1] : p[1] == 0 ? p[0] * x : fma(p[0], x, p[1]);
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
  double d = ref_f64 ? finite_or_max_(2 * x, x) : 2 * x;
  set_mag(mag, fabs(d));
  return d;
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
  if (ref_f64 && fabs(x) > 0x1p500) /* x^2 overflows: x + |x|/2 - 1/2 (+ 1/(8|x|)) */
    return x > 0 ? fma(1.5, x, -0.5) : fma(0.5, x, -0.5);
  double q = x * x;
  return x + q / (2 * (sqrt(q + 1) + 1));
}
static double ref_bent_identity_der(double x, const double *p, double *mag) {
  (void)p;
  double h =
      isinf(x) || (ref_f64 && fabs(x) > 0x1p500) ? copysign(0.5, x) : x / (2 * sqrt(x * x + 1));
  set_mag(mag, 1 + fabs(h));
  return 1 + h;
}

/* ---- squareplus(b): (x + s)/2 for x >= 0, b/(2(s - x)) for x < 0, s = √(x²+b);
 *      f' = (1 + x/s)/2, or b/(2s(s - x)) for x < 0; from y: y²/(y² + b) ---- */
static double ref_squareplus_fwd(double x, const double *p) {
  if (isinf(x))
    return x > 0 ? x : 0.0;
  if (ref_f64 && fabs(x) > 0x1p500) /* x^2 overflows: x + b/(4x), b/(4|x|) */
    return x > 0 ? x : p[0] / 4 / -x;
  double s = sqrt(x * x + p[0]);
  return x >= 0 ? (x + s) / 2 : p[0] / (2 * (s - x));
}
static double ref_squareplus_der(double x, const double *p, double *mag) {
  if (isinf(x))
    return set_mag(mag, x > 0 ? 1.0 : 0.0);
  if (ref_f64 && fabs(x) > 0x1p500) /* 1, or b/(4x^2) */
    return set_mag(mag, x > 0 ? 1.0 : nonzero(p[0] / 4 / x / x, 1.0, x));
  double s = sqrt(x * x + p[0]);
  return set_mag(mag, x >= 0 ? (1 + x / s) / 2 : p[0] / (2 * s * (s - x)));
}
static double ref_squareplus_der_y(double y, const double *p, double *mag) {
  if (isinf(y) || (ref_f64 && fabs(y) > 0x1p500))
    return set_mag(mag, 1.0);
  if (ref_f64) { /* y^2 in long double: no subnormal square */
    long double ql = (long double)y * y;
    double d = (double)(ql / (ql + p[0]));
    return set_mag(mag, y != 0 ? nonzero(d, 1.0, y) : d);
  }
  double q = y * y;
  return set_mag(mag, q / (q + p[0]));
}

/* ==== transcendental activations (issue 3, second half) ==== */
/* A derivative that is finite but overflows in double (e^x for x > 709.8, x^beta) is returned as
 * the largest double of its sign: dy * it then overflows in float32 for every nonzero dy (as the
 * exact value does), and dy = 0 gives 0, as 0 times a finite number must (not NaN). */
static double finite_or_max(double d, double x) {
  return isinf(d) && isfinite(x) ? copysign(DBL_MAX, d) : d;
}

/* ---- bipolar_sigmoid: tanh(x/2); f' = 2σ'(x); from y: (1 - y)(1 + y)/2 ---- */
static double ref_bipolar_sigmoid_fwd(double x, const double *p) {
  (void)p;
  return tanh(x / 2);
}
static double ref_bipolar_sigmoid_der(double x, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, 2 * sigmoid_prime(x));
}
static double ref_bipolar_sigmoid_der_y(double y, const double *p, double *mag) {
  (void)p;
  double d = (1 - y) * (1 + y) / 2;
  set_mag(mag, fabs(d));
  return d;
}

/* ---- arctan: atan x; f' = 1/(1 + x²) (x² is finite in double); from y: cos²y ---- */
static double ref_arctan_fwd(double x, const double *p) {
  (void)p;
  return atan(x);
}
static double ref_arctan_der(double x, const double *p, double *mag) {
  (void)p;
  if (ref_f64 && fabs(x) > 0x1p500 && isfinite(x)) /* x^2 overflows: 1/x^2 */
    return set_mag(mag, nonzero((double)(1 / ((long double)x * x)), 1.0, x));
  return set_mag(mag, 1 / (1 + x * x));
}
static double ref_arctan_der_y(double y, const double *p, double *mag) {
  (void)p;
  double c = cos(y);
  return set_mag(mag, c * c);
}

/* ---- arsinh: asinh x; f' = 1/√(1 + x²); from y: 1/cosh y ---- */
static double ref_arsinh_fwd(double x, const double *p) {
  (void)p;
  return asinh(x);
}
static double ref_arsinh_der(double x, const double *p, double *mag) {
  (void)p;
  if (ref_f64 && fabs(x) > 0x1p500) /* x^2 overflows: 1/|x| */
    return set_mag(mag, 1 / fabs(x));
  return set_mag(mag, 1 / sqrt(1 + x * x));
}
static double ref_arsinh_der_y(double y, const double *p, double *mag) {
  (void)p;
  if (ref_f64 && isfinite(y)) /* 2 e^-|y|/(1 + e^-2|y|): no overflow of cosh */
    return set_mag(
        mag, nonzero((double)(2 / (expl(fabsl((long double)y)) + expl(-fabsl((long double)y)))),
                     1.0, y));
  return set_mag(mag, 1 / cosh(y));
}

/* ---- selu(λ, α): λx for x >= 0 (selu(-0) = -0), λα expm1(x) below (λα exact in double);
 *      f' = x > 0 ? λ : λα e^x (f'(0) = λα, PyTorch's); from y: y > 0 ? λ : y + λα ---- */
static double ref_selu_fwd(double x, const double *p) {
  return x >= 0 ? p[0] * x : (p[0] * p[1]) * expm1(x);
}
static double ref_selu_der(double x, const double *p, double *mag) {
  double d = x > 0 ? p[0] : nonzero((p[0] * p[1]) * exp(x), 1.0, x);
  return set_mag(mag, d);
}
static double ref_selu_der_y(double y, const double *p, double *mag) {
  if (y > 0)
    return set_mag(mag, p[0]);
  set_mag(mag, fabs(y) + p[0] * p[1]);
  return y + p[0] * p[1];
}

/* ---- celu(α != 0): x for x >= 0 (celu(-0) = -0), α expm1(x/α) below; f' = x > 0 ? 1 : e^(x/α);
 *      from y: y > 0 ? 1 : y/α + 1 (M = |y/α| + 1). x/α rounds in double: expm1 then errs by
 *      |x/α| 2^-53 relative, below 2^-43 wherever the float result is finite and not 0. ---- */
static double ref_celu_fwd(double x, const double *p) {
  if (ref_f64 && x < 0 && isfinite(x)) /* q = x/alpha in long double (e^q too) */
    return (double)(p[0] * expm1l((long double)x / p[0]));
  double q = x / p[0]; /* alpha < 0: e^q can overflow a double while alpha e^q does not */
  if (x < 0 && q > 700)
    return copysign(exp(q + log(fabs(p[0]))), p[0]) - p[0];
  return x >= 0 ? x : p[0] * expm1(q);
}
static double ref_celu_der(double x, const double *p, double *mag) {
  if (x > 0)
    return set_mag(mag, 1.0);
  double d = ref_f64 && isfinite(x) ? finite_or_max((double)expl((long double)x / p[0]), x)
                                    : finite_or_max(exp(x / p[0]), x);
  return set_mag(mag, isinf(x) ? d : nonzero(d, 1.0, x));
}
static double ref_celu_der_y(double y, const double *p, double *mag) {
  if (y > 0)
    return set_mag(mag, 1.0);
  double q = y / p[0];
  set_mag(mag, fabs(q) + 1);
  return q + 1;
}

/* ---- log_sigmoid: x > 0: -log1p(e^-x) (-0 at +inf); else x - log1p(e^x); f' = σ(-x);
 *      from y: -expm1(y) ---- */
static double ref_log_sigmoid_fwd(double x, const double *p) {
  (void)p;
  return x > 0 ? -log1p(exp(-x)) : x - log1p(exp(x));
}
static double ref_log_sigmoid_der(double x, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, nonzero(sigmoid(-x), 1.0, x));
}
static double ref_log_sigmoid_der_y(double y, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, -expm1(y));
}

/* ---- exp: e^x; f' = e^x (DBL_MAX beyond the double range, see finite_or_max); from y: y ---- */
static double ref_exp_fwd(double x, const double *p) {
  (void)p;
  return exp(x);
}
static double ref_exp_der(double x, const double *p, double *mag) {
  (void)p;
  return set_mag(mag, nonzero(finite_or_max(exp(x), x), 1.0, x));
}
static double ref_exp_der_y(double y, const double *p, double *mag) {
  (void)p;
  set_mag(mag, fabs(y));
  return y;
}

/* ---- log: ln x (C's: -inf at ±0, NaN below); f' = 1/x, +inf at ±0, NaN below; from y: e^-y ----
 */
static double ref_log_fwd(double x, const double *p) {
  (void)p;
  return log(x);
}
static double ref_log_der(double x, const double *p, double *mag) {
  (void)p;
  double d = x > 0 ? 1 / x : x == 0 ? INFINITY : (x < 0 ? NAN : x);
  return set_mag(mag, ref_f64 && x > 0 ? finite_or_max_(d, x) : d);
}
static double ref_log_der_y(double y, const double *p, double *mag) {
  (void)p;
  if (ref_f64)
    return set_mag(mag, nonzero(finite_or_max_(exp(-y), y), 1.0, y));
  return set_mag(mag, exp(-y));
}

/* ---- gaussian: e^(-x²) (x² exact in double); f' = -2x e^(-x²) ---- */
static double ref_gaussian_fwd(double x, const double *p) {
  (void)p;
  if (ref_f64 && isfinite(x)) /* x^2 in long double (exact to 2^-64: e^-(x^2) to |x^2| 2^-64) */
    return (double)expl(-((long double)x * x));
  return exp(-x * x);
}
static double ref_gaussian_der(double x, const double *p, double *mag) {
  (void)p;
  double d = isinf(x)  ? 0.0
             : ref_f64 ? (double)(-2 * (long double)x * expl(-((long double)x * x)))
                       : -2 * x * exp(-x * x);
  if (d == 0 && x != 0 && isfinite(x))
    d = copysign(DBL_TRUE_MIN, -x);
  set_mag(mag, fabs(d));
  return d;
}

/* ---- soft_exponential(α in [-1, 1]) ----
 * α < 0: -ln w / α, w = 1 - α(x + α) = 1 - α² - αx summed as a double-double from the exact
 * products (so w is right to 2^-100 relative even at the pole), ln w from log1p(w - 1) where
 * |w - 1| < 1/2, else log of the pair. α > 0: W expm1(α(x - x*))/α, W = 1 - α², with the root
 * x* = ln(W)/α as a double-double (a Newton step on e^(α x*) = W with a double-double exp): the
 * direct (e^(αx) - 1)/α + α cancels near x*, where even a double x* would cost 2^-28 relative. */
typedef struct dd {
  double h, l;
} dd;
static dd dd_add(dd a, dd b) {
  double e, s = two_sum(a.h, b.h, &e);
  e += a.l + b.l;
  dd r = {s + e, 0};
  r.l = (s - r.h) + e;
  return r;
}
static dd dd_mul(dd a, dd b) {
  double p = a.h * b.h, e = fma(a.h, b.h, -p);
  e += a.h * b.l + a.l * b.h;
  dd r = {p + e, 0};
  r.l = (p - r.h) + e;
  return r;
}
/* e^(a.h + a.l) - 1 as a double-double, |a| <= 1/2 (Taylor to 2^-105) */
static dd dd_expm1_small(dd a) {
  dd sum = {0, 0}, term = a;
  for (int k = 2; k <= 28; k++) {
    sum = dd_add(sum, term);
    term = dd_mul(term, a);
    double q = term.h / k, r = fma(-q, k, term.h) + term.l; /* term / k as a double-double */
    term.h = q;
    term.l = r / k;
  }
  return sum;
}
/* ln W for 0 < W < 1 (W = wh + wl) as a double-double: y0 = log, then y = y0 + log1p(W e^-y0 - 1)
 * with e^-y0 = 2^-k e^-r from the double-double Taylor series (|r| <= ln2/2 split in 1/4s). */
static dd dd_log(dd w) {
  double y0 = log(w.h + w.l);
  /* e^-y0 = 2^k e^r, k = round(-y0/ln 2), r = -y0 - k ln2 as a double-double */
  double k = nearbyint(-y0 / 0.69314718055994530942);
  dd ln2 = {0.69314718055994530942, 2.319046813846299558e-17};
  dd r = dd_add((dd){-y0, 0}, dd_mul((dd){-k, 0}, ln2));
  dd q = {r.h / 4, r.l / 4};
  dd em = dd_expm1_small(q); /* e^(r/4) - 1 */
  dd e = dd_add(em, (dd){1, 0});
  e = dd_mul(e, e);
  e = dd_mul(e, e); /* e^r */
  e.h = ldexp(e.h, (int)k);
  e.l = ldexp(e.l, (int)k);
  dd t = dd_add(dd_mul(w, e), (dd){-1, 0}); /* W e^-y0 - 1, tiny */
  double c = t.h - t.h * t.h / 2;           /* log1p(t): |t| < 2^-50 */
  return dd_add((dd){y0, 0}, (dd){c, 0});
}
static double ref_soft_exponential_fwd(double x, const double *p) {
  double a = p[0];
  if (isnan(x))
    return x;
  if (a == 0)
    return x;
  if (a < 0) {
    if (x == INFINITY)
      return x;
    double p1 = a * x, p2 = a * a, e1, e2;
    /* the products' low parts: 0 for float32 values (f64 mode: doubles) */
    double lo = isfinite(p1) ? fma(a, x, -p1) + fma(a, a, -p2) : 0.0;
    double s = two_sum(1, -p2, &e1);
    double t = two_sum(s, -p1, &e2);
    double w = t + ((e1 + e2) - lo), wl = (t - w) + ((e1 + e2) - lo);
    if (!(w >= 0))
      return NAN;
    if (w == 0)
      return -INFINITY;
    double ez, z = two_sum(-p1, -p2, &ez); /* w - 1 = z + ez */
    ez -= lo;
    double l = fabs(z) < 0.5 ? log1p(z) + ez / (1 + z) : log(w) + wl / w;
    return -l / a;
  }
  if (a == 1)
    return exp(x);
  if (isinf(x))
    return x > 0 ? x : a - 1 / a;
  double p2 = a * a, e1;
  double W = two_sum(1, -p2, &e1); /* exact: W + e1 = 1 - α² */
  e1 -= fma(a, a, -p2);            /* (a double α: α² as a pair) */
  dd lw = dd_log((dd){W, e1});
  /* x* = lw / α as a double-double, d = x - x* */
  double xs = lw.h / a;
  double xsl = (fma(-xs, a, lw.h) + lw.l) / a;
  double de, d = two_sum(x, -xs, &de);
  de -= xsl;
  double z = a * (d + de);
  if (ref_f64) { /* z in long double; e^z may exceed the double range while W e^z/a does not */
    long double zl = (long double)a * ((long double)d + de);
    long double eml =
        fabsl(zl) < 1e-5L ? ((long double)d + de) * (1 + zl / 2 + zl * zl / 6) : expm1l(zl) / a;
    return (double)(((long double)W + e1) * eml);
  }
  double em = fabs(z) < 1e-5 ? (d + de) * (1 + z / 2 + z * z / 6) : expm1(z) / a;
  return (W + e1) * em;
}
void clact__ref_soft_exponential_root(double a, double *h, double *l) {
  double p2 = a * a, e1;
  double W = two_sum(1, -p2, &e1);
  e1 -= fma(a, a, -p2);
  dd lw = dd_log((dd){W, e1});
  *h = lw.h / a;
  *l = (fma(-*h, a, lw.h) + lw.l) / a;
}
static double ref_soft_exponential_der(double x, const double *p, double *mag) {
  double a = p[0], d;
  if (a == 0)
    d = nan_or(x, 1.0);
  else if (a > 0)
    d = isinf(x)  ? exp(a * x)
        : ref_f64 ? nonzero(finite_or_max((double)expl((long double)a * x), x), 1.0, x)
                  : nonzero(finite_or_max(exp(a * x), x), 1.0, x);
  else if (x == INFINITY)
    d = 0;
  else {
    double p1 = a * x, p2 = a * a, e1, e2;
    double lo = isfinite(p1) ? fma(a, x, -p1) + fma(a, a, -p2) : 0.0;
    double s = two_sum(1, -p2, &e1);
    double t = two_sum(s, -p1, &e2);
    double w = t + ((e1 + e2) - lo);
    d = w < 0 || isnan(w) ? NAN : 1 / w;
    if (ref_f64 && w > 0)
      d = finite_or_max(d, x); /* 1/w beyond the doubles (w subnormal) */
  }
  set_mag(mag, fabs(d));
  return d;
}
static double ref_soft_exponential_der_y(double y, const double *p, double *mag) {
  double a = p[0];
  if (a == 0)
    return set_mag(mag, nan_or(y, 1.0));
  if (a < 0) {
    double d = isinf(y)  ? exp(a * y)
               : ref_f64 ? nonzero(finite_or_max((double)expl((long double)a * y), y), 1.0, y)
                         : nonzero(finite_or_max(exp(a * y), y), 1.0, y);
    return set_mag(mag, d);
  }
  set_mag(mag, 1 + fabs(a * y) + a * a);
  return 1 + a * (y - a);
}

/* ---- sinusoid: sin x; f' = cos x (NaN at ±inf) ---- */
static double ref_sinusoid_fwd(double x, const double *p) {
  (void)p;
  return sin(x);
}
static double ref_sinusoid_der(double x, const double *p, double *mag) {
  (void)p;
  double d = cos(x);
  set_mag(mag, fabs(d));
  return d;
}

/* ---- sinc: x = 0 ? 1 : sin x/x, +0 at ±inf; f' = (x cos x - sin x)/x²: |x| < 1 by its series
 *      (the formula cancels to x³/3; M = |f'|), beyond (cos x - sin x/x)/x with
 *      M = |cos x/x| + |sin x/x²| ---- */
static double ref_sinc_fwd(double x, const double *p) {
  (void)p;
  return x == 0 ? 1.0 : isinf(x) ? 0.0 : sin(x) / x;
}
static double ref_sinc_der(double x, const double *p, double *mag) {
  (void)p;
  if (isinf(x))
    return set_mag(mag, 0.0);
  if (fabs(x) < 1) { /* sum of (-1)^n 2n x^(2n-1)/(2n+1)! */
    double z = x * x, term = -x / 3, sum = 0;
    for (int n = 1; n <= 12; n++) {
      sum += term;
      term *= -z * (2.0 * n + 2) / ((2.0 * n) * (2.0 * n + 2) * (2.0 * n + 3));
    }
    set_mag(mag, fabs(sum));
    return sum;
  }
  double s = sin(x), c = cos(x);
  set_mag(mag, fabs(c / x) + fabs(s / x / x));
  return (c - s / x) / x;
}

/* ---- tanhshrink: x - tanh x, |x| < 1/2 by its Taylor series (the difference cancels to x³/3);
 *      f' = tanh²x ---- */
static const double tanhshrink_series[] = {
    0.3333333333333333,     -0.13333333333333333,    0.05396825396825397,
    -0.021869488536155203,  0.008863235529902197,    -0.003592128036572481,
    0.0014558343870513183,  -0.000590027440945586,   0.00023912911424355248,
    -9.691537956929451e-05, 3.927832388331683e-05,   -1.5918905069328964e-05,
    6.451689215655431e-06,  -2.6147711512907546e-06, 1.0597268320104654e-06,
    -4.294911078273806e-07, 1.7406618963571648e-07,  -7.054636946400968e-08};
static double ref_tanhshrink_fwd(double x, const double *p) {
  (void)p;
  if (ref_f64 && fabs(x) >= 0.5 && fabs(x) < 4) /* x - tanh x cancels by up to 13x */
    return (double)((long double)x - tanhl((long double)x));
  if (!(fabs(x) < 0.5))
    return isinf(x) ? x : x - tanh(x);
  double z = x * x, s = 0;
  for (int i = (int)(sizeof tanhshrink_series / sizeof tanhshrink_series[0]) - 1; i >= 0; i--)
    s = s * z + tanhshrink_series[i];
  return x * z * s;
}
static double ref_tanhshrink_der(double x, const double *p, double *mag) {
  (void)p;
  double t = tanh(x);
  return set_mag(mag, ref_f64 && x != 0 ? nonzero(t * t, 1.0, x) : t * t);
}

/* ---- mish: x tanh(sp(x)) in w = e^x (x < 0) or e = e^-x (x >= 0), n = w(w + 2):
 *      x < 0: f = x n/(n + 2), f' = w[(w + 2)(n + 2) + 4x(1 + w)]/(n + 2)²;
 *      x >= 0: f = x(1 + 2e)/(1 + 2e + 2e²), f' = [(1 + 2e)(1 + 2e + 2e²) + 4x e²(1 + e)]/(...)²;
 *      M: the two terms tanh(sp) and x σ sech²(sp) in magnitude ---- */
static double ref_mish_fwd(double x, const double *p) {
  (void)p;
  if (isinf(x))
    return x > 0 ? x : -0.0;
  if (x < 0 && ref_f64) { /* the same form in long double: e^x stays normal */
    long double w = expl((long double)x), n = w * (w + 2);
    return (double)((long double)x * n / (n + 2));
  }
  if (x < 0) {
    double w = exp(x), n = w * (w + 2);
    return x * n / (n + 2);
  }
  double e = exp(-x);
  return x * (1 + 2 * e) / (1 + 2 * e + 2 * e * e);
}
static double ref_mish_der(double x, const double *p, double *mag) {
  (void)p;
  if (isinf(x))
    return set_mag(mag, x > 0 ? 1.0 : 0.0);
  if (x < 0 && ref_f64) {
    long double w = expl((long double)x), n = w * (w + 2), q = (n + 2) * (n + 2);
    long double a = (w + 2) * (n + 2), b = 4 * (long double)x * (1 + w);
    set_mag(mag, (double)(w * (a + fabsl(b)) / q));
    return nonzero((double)(w * (a + b) / q), -1.0, x);
  }
  if (x < 0) {
    double w = exp(x), n = w * (w + 2), q = (n + 2) * (n + 2);
    double a = (w + 2) * (n + 2), b = 4 * x * (1 + w);
    set_mag(mag, w * (a + fabs(b)) / q);
    return nonzero(w * (a + b) / q, -1.0, x);
  }
  if (ref_f64 && x > 800) /* (e^-x below every double: f' = 1 to far below an ulp) */
    return set_mag(mag, 1.0);
  double e = exp(-x), c = 1 + 2 * e, d = c + 2 * e * e;
  return set_mag(mag, (c * d + 4 * x * e * e * (1 + e)) / (d * d));
}

/* ---- elish: x >= 0: x σ(x); x < 0: expm1(x) σ(x). f' = σ(x)(1 + x σ(-x)); e(e² + 2e - 1)/(1+e)²
 *      for x < 0 (M = e, the sum of the magnitudes e(e² + 2e + 1)/(1+e)²) ---- */
static double ref_elish_fwd(double x, const double *p) {
  (void)p;
  if (x >= 0)
    return isinf(x) ? x : x * sigmoid(x);
  if (ref_f64)
    return xsigmoid_l(expm1(x), x);
  return expm1(x) * sigmoid(x);
}
static double ref_elish_der(double x, const double *p, double *mag) {
  if (x >= 0 || isnan(x))
    return ref_silu_der(x, p, mag);
  if (isinf(x))
    return set_mag(mag, 0.0);
  if (ref_f64) {
    long double e = expl((long double)x), q = (1 + e) * (1 + e);
    set_mag(mag, (double)e);
    return nonzero((double)(e * (e * e + 2 * e - 1) / q), -1.0, x);
  }
  double e = exp(x), q = (1 + e) * (1 + e);
  set_mag(mag, e);
  return nonzero(e * (e * e + 2 * e - 1) / q, -1.0, x);
}

/* ---- smht(a, b, c, d): (e^(ax) - e^(-bx))/(e^(cx) + e^(-dx)), with u = cx (x >= 0) or -dx
 *      (x < 0) factored out of the denominator (no overflow of a piece where the quotient is a
 *      double): f = F e^X/(1 + e^w3), F = expm1((a+b)x), X = -(b+c)x or (d-b)x, or for
 *      (a+b)x > 40, F = 1 - e^-(a+b)x and X = (a-c)x; w3 = -|(c+d)x|. f(±0) = ±0.
 *      f' (e^(cx) + e^(-dx))² = (a-c) e^((a+c)x) + (a+d) e^((a-d)x) + (b+c) e^((c-b)x)
 *      + (b-d) e^(-(b+d)x), each term divided by e^(2u) in its exponent; M = Σ|terms|/(...)² ----
 */
static double smht_mul(double c, double x) {
  return c == 0 ? 0.0 : c * x;
}
static double ref_smht_fwd(double x, const double *p) {
  double a = p[0], b = p[1], c = p[2], d = p[3];
  if (isnan(x) || x == 0)
    return x;
  if (ref_f64 && isfinite(x)) { /* the same factoring in long double (exponents to 2^-64) */
    long double xl = x, A = a, B = b, C = c, D = d;
    long double w1 = (A + B) * xl, w3 = (C + D) * -fabsl(xl), F, X;
    if (w1 > 40) {
      F = -expm1l(-w1);
      X = A - C == 0 ? 0 : (A - C) * xl;
    } else {
      F = expm1l(w1);
      X = x > 0 ? -(B + C) * xl : (D - B == 0 ? 0 : (D - B) * xl);
    }
    return (double)(F * expl(X) / (1 + expl(w3)));
  }
  double w1 = smht_mul(a + b, x), w3 = smht_mul(c + d, -fabs(x));
  double F, X;
  if (w1 > 40) {
    F = -expm1(-w1);
    X = smht_mul(a - c, x);
  } else {
    F = expm1(w1);
    X = x > 0 ? smht_mul(-(b + c), x) : smht_mul(d - b, x);
  }
  return F * exp(X) / (1 + exp(w3));
}
static double ref_smht_der(double x, const double *p, double *mag) {
  double a = p[0], b = p[1], c = p[2], d = p[3];
  if (isnan(x))
    return set_mag(mag, x);
  double k[4] = {a - c, a + d, b + c, b - d}, q[4];
  if (x >= 0) {
    q[0] = a - c, q[1] = a - d - 2 * c, q[2] = -(b + c), q[3] = -(b + d + 2 * c);
  } else {
    q[0] = a + c + 2 * d, q[1] = a + d, q[2] = c - b + 2 * d, q[3] = d - b;
  }
  if (ref_f64 && isfinite(x)) {
    long double A = a, B = b, C = c, D = d, xl = x;
    long double kl[4] = {A - C, A + D, B + C, B - D}, ql[4];
    if (x >= 0) {
      ql[0] = A - C, ql[1] = A - D - 2 * C, ql[2] = -(B + C), ql[3] = -(B + D + 2 * C);
    } else {
      ql[0] = A + C + 2 * D, ql[1] = A + D, ql[2] = C - B + 2 * D, ql[3] = D - B;
    }
    long double suml = 0, ml = 0, bigl = -INFINITY, sgnl = 1;
    int any = 0;
    for (int i = 0; i < 4; i++) {
      if (kl[i] == 0)
        continue;
      long double zq = ql[i] == 0 ? 0 : ql[i] * xl;
      long double t = kl[i] * expl(zq);
      suml += t;
      ml += fabsl(t);
      any = 1;
      if (zq > bigl)
        bigl = zq, sgnl = kl[i];
    }
    if (any && ml == 0) /* every term below the long doubles: the largest one's sign */
      return set_mag(mag, copysign(DBL_TRUE_MIN, (double)sgnl));
    long double denl = 1 + expl((C + D) * -fabsl(xl));
    denl *= denl;
    set_mag(mag, finite_or_max((double)(ml / denl), x));
    double dv = finite_or_max((double)(suml / denl), x);
    return any && dv == 0 && suml != 0 ? copysign(DBL_TRUE_MIN, (double)suml) : dv;
  }
  double sum = 0, m = 0, big = -INFINITY, sign = 1;
  for (int i = 0; i < 4; i++) {
    if (k[i] == 0)
      continue;
    double z = smht_mul(q[i], x), t = k[i] * exp(z);
    sum += t;
    m += fabs(t);
    if (z > big)
      big = z, sign = k[i];
  }
  double den = 1 + exp(smht_mul(c + d, -fabs(x)));
  den *= den;
  double dv = sum / den;
  set_mag(mag, m / den);
  if (isinf(x))
    return dv;
  dv = finite_or_max(dv, x);
  return m == 0 && big > -INFINITY ? copysign(DBL_TRUE_MIN, sign) : dv;
}

/* ---- sq_rbf: 1 - x²/2 (|x| <= 1), (2 - |x|)²/2 (|x| < 2), 0; f' = -x, sgn(x)(|x| - 2), 0 ---- */
static double ref_sq_rbf_fwd(double x, const double *p) {
  (void)p;
  double a = fabs(x);
  return isnan(x) ? x : a <= 1 ? 1 - x * x / 2 : a < 2 ? (2 - a) * (2 - a) / 2 : 0.0;
}
static double ref_sq_rbf_der(double x, const double *p, double *mag) {
  (void)p;
  double a = fabs(x);
  double d = isnan(x) ? x : a <= 1 ? -x : a < 2 ? copysign(2 - a, -x) : 0.0;
  set_mag(mag, fabs(d));
  return d;
}

/* ---- swish(β > 0): x σ(βx) (βx exact in double); f' = σ(z) + z σ(z)σ(-z), z = βx ---- */
static double swish_fwd(double x, double beta) {
  if (isinf(x))
    return x > 0 ? x : -0.0;
  if (ref_f64)
    return xsigmoid_l(x, (long double)beta * x);
  return x * sigmoid(beta * x);
}
static double swish_der(double x, double beta, double *mag) {
  if (isinf(x))
    return set_mag(mag, x > 0 ? 1.0 : 0.0);
  double z = beta * x, a = sigmoid(z), b = z * sigmoid_prime(z);
  if (ref_f64) {
    long double zl = (long double)beta * x;
    double m, d = xsigmoid_bwd_l(zl, zl, &m);
    set_mag(mag, m);
    return nonzero(d, -1.0, x);
  }
  set_mag(mag, a + fabs(b));
  return nonzero(a + b, -1.0, x);
}
static double ref_swish_fwd(double x, const double *p) {
  return swish_fwd(x, p[0]);
}
static double ref_swish_der(double x, const double *p, double *mag) {
  return swish_der(x, p[0], mag);
}
/* ---- quick_gelu: swish with β = 1.702 as a float32 (the kernels' constant) ---- */
#define QUICK_GELU_BETA ((double)1.702f)
static double ref_quick_gelu_fwd(double x, const double *p) {
  (void)p;
  return swish_fwd(x, QUICK_GELU_BETA);
}
static double ref_quick_gelu_der(double x, const double *p, double *mag) {
  (void)p;
  return swish_der(x, QUICK_GELU_BETA, mag);
}

/* ---- soft_clipping(α in (0, 80]): with z = α(x - 1), E = expm1(α):
 *      z <= 0: log1p(σ(z) E)/α;  z > 0: 1 - log1p(v)/α, v = -expm1(-α) e^-z/(1 + e^-(z+α)).
 *      f' = σ(αx) - σ(α(x-1)) = E e/((1 + e)(1 + eA)) (z <= 0, e = e^z, A = e^α), or
 *      E e/((e + 1)(e + A)) (z > 0, e = e^-z): one term, M = |f'| ---- */
static double ref_soft_clipping_fwd(double x, const double *p) {
  double a = p[0], z = a * (x - 1);
  if (isnan(z))
    return z;
  if (ref_f64 && isfinite(x)) { /* the same forms in long double (z = a(x - 1) to 2^-64) */
    long double zl = (long double)a * ((long double)x - 1);
    if (zl <= 0) {
      long double e = expl(zl);
      return (double)(log1pl(e / (1 + e) * expm1l((long double)a)) / a);
    }
    long double v = -expm1l(-(long double)a) * expl(-zl) / (1 + expl(-zl - a));
    return (double)(1 - log1pl(v) / a);
  }
  if (z <= 0) {
    double e = exp(z);
    return log1p(e / (1 + e) * expm1(a)) / a;
  }
  double v = -expm1(-a) * exp(-z) / (1 + exp(-z - a));
  return 1 - log1p(v) / a;
}
static double ref_soft_clipping_der(double x, const double *p, double *mag) {
  double a = p[0], z = a * (x - 1);
  if (isnan(z))
    return set_mag(mag, z);
  double e = exp(-fabs(z)), A = exp(a), E = expm1(a);
  double d = z <= 0 ? E * e / ((1 + e) * (1 + e * A)) : E * e / ((e + 1) * (e + A));
  if (ref_f64 && isfinite(x)) {
    long double zl = (long double)a * ((long double)x - 1);
    long double el = expl(-fabsl(zl)), Al = expl((long double)a), El = expm1l((long double)a);
    d = (double)(zl <= 0 ? El * el / ((1 + el) * (1 + el * Al)) : El * el / ((el + 1) * (el + Al)));
  }
  return set_mag(mag, nonzero(d, 1.0, x));
}

/* ---- pow(α != 0, β): α x^β with C's pow (IEEE: x < 0 and β not an integer: NaN; odd integer β
 *      keeps the sign; limits at 0 and ±inf), except NaN -> NaN (β = 0 too). f' = α β x^(β-1),
 *      0 for β = 0 ---- */
static double ref_pow_fwd(double x, const double *p) {
  if (isnan(x))
    return x;
  return p[1] == 0 ? p[0] : p[0] * pow(x, p[1]);
}
static double ref_pow_der(double x, const double *p, double *mag) {
  if (isnan(x))
    return set_mag(mag, x);
  if (p[1] == 0)
    return set_mag(mag, 0.0);
  double q = pow(x, p[1] - 1), d = p[0] * p[1] * q;
  if (isfinite(x) && x != 0 && !isnan(d)) {
    d = finite_or_max(d, x);
    if (d == 0)
      d = copysign(DBL_TRUE_MIN, p[0] * p[1] * copysign(1.0, q));
  }
  set_mag(mag, fabs(d));
  return d;
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

/* Activations whose function depends on the element's index within the call (brelu): their
 * odd elements. Empty rows: the same function at every index. */
static const ref_entry odd_table[CLACT_ACTIVATION_COUNT] = {
    [CLACT_BRELU] = {ref_brelu_odd_fwd, ref_brelu_odd_der, ref_brelu_odd_der_y},
};

int clact__ref_indexed(clact_activation act) {
  return (unsigned)act < CLACT_ACTIVATION_COUNT && odd_table[act].fwd != NULL;
}

static const ref_entry *entry_at(clact_activation act, uint64_t index) {
  return (index & 1) && odd_table[act].fwd ? &odd_table[act] : &ref_table[act];
}

double clact_reference_forward_at(clact_activation act, double x, const double *p, uint64_t index) {
  if ((unsigned)act >= CLACT_ACTIVATION_COUNT || !p)
    return NAN;
  return entry_at(act, index)->fwd(x, p);
}

double clact_reference_derivative_at(clact_activation act, double x, const double *p,
                                     uint64_t index, double *mag) {
  if ((unsigned)act >= CLACT_ACTIVATION_COUNT || !p)
    return set_mag(mag, NAN);
  return entry_at(act, index)->der(x, p, mag);
}

double clact_reference_derivative_from_y_at(clact_activation act, double y, const double *p,
                                            uint64_t index, double *mag) {
  if ((unsigned)act >= CLACT_ACTIVATION_COUNT || !p || !ref_table[act].der_y)
    return set_mag(mag, NAN);
  return entry_at(act, index)->der_y(y, p, mag);
}

double clact_reference_forward(clact_activation act, double x, const double *p) {
  return clact_reference_forward_at(act, x, p, 0);
}

double clact_reference_derivative(clact_activation act, double x, const double *p, double *mag) {
  return clact_reference_derivative_at(act, x, p, 0, mag);
}

double clact_reference_derivative_from_y(clact_activation act, double y, const double *p,
                                         double *mag) {
  return clact_reference_derivative_from_y_at(act, y, p, 0, mag);
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

/* issue 3, second half: overflow/underflow thresholds of the exponentials in each argument,
 * series/branch switches, roots of f', closest approaches to multiples of pi/2 */
static const double bipolar_sigmoid_edges[] = {18.0, 18.03, 36.0, 174.7, 176.0, 180.0, 1.0e-20};
static const double arctan_edges[] = {0.41421356, 2.4142135, 0x1p25, 0x1p40,  0x1p60,
                                      0x1p64,     1.0e20,    3.0e38, 1.0e-20, 1.0e-40};
static const double arsinh_edges[] = {0.5,    1.0e-4, 0x1p12,  0x1p60,  0x1p61,
                                      1.0e20, 3.0e38, 1.0e-20, 1.0e-40, 89.4};
static const double selu_edges[] = {-1.0e-7, -40.0, -87.0, -88.0, -104.0, -1.0e-40};
static const double celu_edges[] = {-1.0e-7, -40.0, -87.0, -104.0, -150.0, -200.0, -1.0e10};
static const double log_sigmoid_edges[] = {-87.0, -88.0, -100.0, -104.0, 15.0, 88.0, 104.0, 105.0};
static const double exp_edges[] = {88.7228394, 100.0, 150.0, 190.0, 200.0, 1.0e-8};
static const double log_edges[] = {0.75,    0.8888889, 1.0666667, 1.2307693, 1.5,
                                   1.0e-45, 1.0e-40,   3.0e38,    2.7182817, 0.99999994};
static const double gaussian_edges[] = {9.0, 9.35, 9.4, 10.19, 10.25, 14.0, 20.0, 1.8e19, 1.0e-20};
/* soft_exponential: the poles of the alternative sets (alpha = -0.5: -1.5; -1: 0), the root
 * x* = ln(1 - alpha^2)/alpha of alpha = 0.5, the switch to the series */
static const double soft_exponential_edges[] = {
    -1.5, -0.5753641449035618, 1.0e-9, 30.0, 80.0, 150.0, 1.0e10};
static const double sin_edges[] = {0.78539819, 1.5707964, 3.1415927,      6.2831855, 0x1.2d97c8p+3,
                                   1.0e5,      1.0e10,    0x1.921fb6p+22, 1.0e20,    1.0e30};
static const double sinc_edges[] = {0.78539819, 4.4934094, 7.7252518, 3.1415927, 0x1p126,
                                    0x1p127,    1.0e20,    1.0e-20,   1.0e-40,   3.0e38};
static const double tanhshrink_edges[] = {0.5, 1.0e-10, 1.0e-13, 1.0e-20, 9.0, 1.0e-40, 0x1p-42};
static const double mish_edges[] = {-1.1924302, -40.0, -87.0, -88.0, -104.0, -200.0, -201.0, 9.0};
static const double elish_edges[] = {-0.88137359, -1.0e-7, -40.0, -87.0, -88.0, -104.0, -200.0};
static const double smht_edges[] = {40.0, 44.4, 100.0, 150.0, 1.0e10, 1.0e-20, 1.0e-40};
static const double sq_rbf_edges[] = {1.5, 1.0e-20, 1.0e-40, 0x1p-63};
static const double swish_edges[] = {-1.2784645, -80.0, -87.0, -100.0, -150.0, -200.0, 40.0};
static const double quick_gelu_edges[] = {-0.75115407, -51.0, -60.0, -117.5, -118.0, 23.5};
static const double soft_clipping_edges[] = {1.0, 0.5, 1.5, 100.0, -100.0, 1.0e10, -1.0e10};
static const double pow_edges[] = {1.0e-20, 1.0e20, 3.0e38, 1.0e-40, 0.7, 1.5};

#define EDGES(arr)                                                                                 \
  { (arr), sizeof(arr) / sizeof((arr)[0]) }
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
    [CLACT_BIPOLAR_SIGMOID] = EDGES(bipolar_sigmoid_edges),
    [CLACT_ARCTAN] = EDGES(arctan_edges),
    [CLACT_ARSINH] = EDGES(arsinh_edges),
    [CLACT_SELU] = EDGES(selu_edges),
    [CLACT_CELU] = EDGES(celu_edges),
    [CLACT_LOG_SIGMOID] = EDGES(log_sigmoid_edges),
    [CLACT_EXP] = EDGES(exp_edges),
    [CLACT_LOG] = EDGES(log_edges),
    [CLACT_GAUSSIAN] = EDGES(gaussian_edges),
    [CLACT_SOFT_EXPONENTIAL] = EDGES(soft_exponential_edges),
    [CLACT_SINUSOID] = EDGES(sin_edges),
    [CLACT_SINC] = EDGES(sinc_edges),
    [CLACT_TANHSHRINK] = EDGES(tanhshrink_edges),
    [CLACT_MISH] = EDGES(mish_edges),
    [CLACT_ELISH] = EDGES(elish_edges),
    [CLACT_SMHT] = EDGES(smht_edges),
    [CLACT_SQ_RBF] = EDGES(sq_rbf_edges),
    [CLACT_SWISH] = EDGES(swish_edges),
    [CLACT_QUICK_GELU] = EDGES(quick_gelu_edges),
    [CLACT_SOFT_CLIPPING] = EDGES(soft_clipping_edges),
    [CLACT_POW] = EDGES(pow_edges),
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
/* issue 3, second half */
static const double selu_sets[][CLACT_MAX_PARAMS] = {{1.0, 1.0}, {2.0, 0.5}, {1.0e-3, 100.0}};
static const double celu_sets[][CLACT_MAX_PARAMS] = {{0.5}, {3.0}, {-1.0}, {-0.01}};
static const double soft_exponential_sets[][CLACT_MAX_PARAMS] = {{0.5}, {-0.5}, {1.0}, {-1.0}};
/* smht (a, b, c, d): unequal rates (f grows like e^((a-c)x)), a zero d (denominator -> 1 for
 * x < 0) and a zero a */
static const double smht_sets[][CLACT_MAX_PARAMS] = {
    {2.0, 1.0, 1.0, 1.0}, {1.0, 2.0, 0.5, 3.0}, {0.5, 0.5, 1.0, 0.0}, {0.0, 1.0, 1.0, 1.0}};
static const double swish_sets[][CLACT_MAX_PARAMS] = {{0.5}, {2.0}, {1.0e-4}, {100.0}};
static const double soft_clipping_sets[][CLACT_MAX_PARAMS] = {{0.5}, {5.0}, {80.0}, {1.0e-3}};
/* pow (alpha, beta): a square, a root (NaN for x < 0), a reciprocal, an odd cube */
static const double pow_sets[][CLACT_MAX_PARAMS] = {
    {1.0, 2.0}, {1.0, 0.5}, {2.0, -1.0}, {-0.5, 3.0}};
#define SETS(arr)                                                                                  \
  { (arr), sizeof(arr) / sizeof((arr)[0]) }
static const struct {
  const double (*v)[CLACT_MAX_PARAMS];
  size_t n;
} set_table[CLACT_ACTIVATION_COUNT] = {
    [CLACT_LEAKY_RELU] = SETS(leaky_relu_sets),
    [CLACT_ELU] = SETS(elu_sets),
    [CLACT_SOFTPLUS] = SETS(softplus_sets),
    [CLACT_ISRU] = SETS(isru_sets),
    [CLACT_ISRLU] = SETS(isrlu_sets),
    [CLACT_PLU] = SETS(plu_sets),
    [CLACT_RRELU] = SETS(rrelu_sets),
    [CLACT_SRELU] = SETS(srelu_sets),
    [CLACT_HARDTANH] = SETS(hardtanh_sets),
    [CLACT_THRESHOLD] = SETS(threshold_sets),
    [CLACT_HARDSIGMOID] = SETS(hard_sets),
    [CLACT_HARDSWISH] = SETS(hard_sets),
    [CLACT_SOFTSHRINK] = SETS(shrink_sets),
    [CLACT_HARDSHRINK] = SETS(shrink_sets),
    [CLACT_AFFINE] = SETS(affine_sets),
    [CLACT_SQUAREPLUS] = SETS(squareplus_sets),
    [CLACT_SELU] = SETS(selu_sets),
    [CLACT_CELU] = SETS(celu_sets),
    [CLACT_SOFT_EXPONENTIAL] = SETS(soft_exponential_sets),
    [CLACT_SMHT] = SETS(smht_sets),
    [CLACT_SWISH] = SETS(swish_sets),
    [CLACT_SOFT_CLIPPING] = SETS(soft_clipping_sets),
    [CLACT_POW] = SETS(pow_sets),
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
