/* bench/compare_pytorch.c: the error of PyTorch's float32 formulas, measured the way clact's own
 * kernels are measured (ACCURACY.md): against clact's double-precision reference, forward in
 * ulp, backward (dy = 1) in units of the backward bound, |dx - ref| / (ulp(ref) + u M(x)).
 *
 * The formulas are those of PyTorch's CPU kernels (ATen) and of its autograd for the functions
 * composed in Python (softsign, tanhshrink), transcribed as facts: e.g. gelu = x 0.5
 * (1 + erf(x / sqrt 2)), silu = x / (1 + exp(-x)), mish = x tanh(log1p(exp(x))). They are
 * evaluated in float32 with glibc's float functions (erff, expf, tanhf, log1pf, expm1f), one
 * rounding per operation (built with -ffp-contract=off, never fast-math). PyTorch's vectorised
 * paths use other implementations of exp and erf with errors of the same order (about 1 ulp);
 * the large errors below come from the formulas (cancellation, overflow, underflow of
 * intermediates), not from those functions.
 *
 * Inputs: every STRIDE-th float32 bit pattern (default 256, the sweep of clact's CI tests:
 * every exponent and both signs, NaN and infinities), on all cores.
 * Usage: compare_pytorch [--stride S] [--markdown] [ID...]
 * Exit status: 0, or 2 on a usage error. */
#define _GNU_SOURCE /* M_SQRT1_2 and friends */
#include "clact.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- PyTorch's formulas (float32) ---- */
static float sig(float x) {
  return 1.0f / (1.0f + expf(-x));
}
static float f_sigmoid(float x) {
  return sig(x);
}
static float b_sigmoid(float x) { /* sigmoid_backward(grad, output) = grad (1 - y) y */
  float y = sig(x);
  return (1.0f - y) * y;
}
static float f_tanh(float x) {
  return tanhf(x);
}
static float b_tanh(float x) { /* tanh_backward(grad, output) = grad (1 - y^2) */
  float y = tanhf(x);
  return 1.0f - y * y;
}
static float f_gelu(float x) {
  return x * 0.5f * (1.0f + erff(x * (float)M_SQRT1_2));
}
static float b_gelu(float x) {
  const float alpha = (float)(M_2_SQRTPI * M_SQRT1_2 * 0.5);
  float cdf = 0.5f * (1.0f + erff(x * (float)M_SQRT1_2));
  float pdf = alpha * expf(-0.5f * x * x);
  return cdf + x * pdf;
}
#define GT_BETA ((float)(M_SQRT2 * M_2_SQRTPI * 0.5))
#define GT_KAPPA 0.044715f
static float f_gelu_tanh(float x) {
  float inner = GT_BETA * (x + GT_KAPPA * (x * x * x));
  return 0.5f * x * (1.0f + tanhf(inner));
}
static float b_gelu_tanh(float x) {
  float x_sq = x * x, x_cube = x_sq * x;
  float inner = GT_BETA * (x + GT_KAPPA * x_cube);
  float t = tanhf(inner);
  float left = 0.5f * x, right = 1.0f + t;
  float left_d = 0.5f * right;
  float right_d = left * (1.0f - t * t) * GT_BETA * (1.0f + 3.0f * GT_KAPPA * x_sq);
  return left_d + right_d;
}
static float f_silu(float x) {
  return x / (1.0f + expf(-x));
}
static float b_silu(float x) {
  float s = sig(x);
  return s * (1.0f + x * (1.0f - s));
}
static float f_mish(float x) {
  return x * tanhf(log1pf(expf(x)));
}
static float b_mish(float x) {
  float s = sig(x), t = tanhf(log1pf(expf(x)));
  return t + x * s * (1.0f - t * t);
}
static float f_softplus(float x) { /* beta 1, threshold 20 */
  return x > 20.0f ? x : log1pf(expf(x));
}
static float b_softplus(float x) {
  float z = expf(x);
  return x > 20.0f ? 1.0f : z / (z + 1.0f);
}
static float f_elu(float x) { /* alpha 1: negcoef expm1(x) */
  return x > 0 ? x : expm1f(x);
}
static float b_elu(float x) { /* from x: negiptcoef negcoef exp(x negiptcoef) */
  return x <= 0 ? expf(x) : 1.0f;
}
#define SELU_L 1.0507009873554804934193349852946f
#define SELU_A 1.6732632423543772848170429916717f
static float f_selu(float x) {
  return x > 0 ? x * SELU_L : SELU_A * SELU_L * expm1f(x);
}
static float b_selu(float x) {
  return x <= 0 ? SELU_L * SELU_A * expf(x) : SELU_L;
}
static float f_celu(float x) { /* alpha 1 */
  return x > 0 ? x : expm1f(x);
}
static float b_celu(float x) {
  return x <= 0 ? expf(x) : 1.0f;
}
static float f_log_sigmoid(float x) { /* min(x, 0) - log1p(exp(-|x|)) */
  return fminf(x, 0.0f) - log1pf(expf(-fabsf(x)));
}
static float b_log_sigmoid(float x) { /* max_deriv - sign z/(1+z), z = exp(-|x|) */
  int neg = x < 0;
  float z = expf(-fabsf(x));
  return (neg ? 1.0f : 0.0f) - (neg ? 1.0f : -1.0f) * (z / (1.0f + z));
}
static float f_softsign(float x) { /* x / (|x| + 1) */
  return x / (fabsf(x) + 1.0f);
}
static float b_softsign(float x) { /* autograd: 1/d - x sign(x) / d^2, d = |x| + 1 */
  float d = fabsf(x) + 1.0f;
  float sgn = x > 0 ? 1.0f : (x < 0 ? -1.0f : 0.0f);
  return 1.0f / d + (-(x / (d * d))) * sgn;
}
static float f_tanhshrink(float x) {
  return x - tanhf(x);
}
static float b_tanhshrink(float x) { /* autograd: 1 - (1 - tanh^2) */
  float y = tanhf(x);
  return 1.0f - (1.0f - y * y);
}
static float f_hardsigmoid(float x) {
  return fminf(fmaxf(x + 3.0f, 0.0f), 6.0f) / 6.0f;
}
static float b_hardsigmoid(float x) {
  return (x > -3.0f && x < 3.0f) ? 1.0f / 6.0f : 0.0f;
}
static float f_hardswish(float x) {
  return x * fminf(fmaxf(x + 3.0f, 0.0f), 6.0f) / 6.0f;
}
static float b_hardswish(float x) {
  return x < -3.0f ? 0.0f : (x <= 3.0f ? x / 3.0f + 0.5f : 1.0f);
}

typedef struct formula {
  const char *id;
  float (*fwd)(float), (*bwd)(float);
  const char *what; /* PyTorch's forward formula, as shown in the table */
} formula;

static const formula formulas[] = {
    {"sigmoid", f_sigmoid, b_sigmoid, "1/(1+exp(-x)); bwd (1-y)y"},
    {"tanh", f_tanh, b_tanh, "tanh(x); bwd 1-y²"},
    {"gelu", f_gelu, b_gelu, "x·0.5·(1+erf(x/√2))"},
    {"gelu_tanh", f_gelu_tanh, b_gelu_tanh, "0.5x(1+tanh(β(x+κx³)))"},
    {"silu", f_silu, b_silu, "x/(1+exp(-x))"},
    {"mish", f_mish, b_mish, "x·tanh(log1p(exp(x)))"},
    {"softplus", f_softplus, b_softplus, "x>20 ? x : log1p(exp(x))"},
    {"elu", f_elu, b_elu, "x>0 ? x : expm1(x)"},
    {"selu", f_selu, b_selu, "λx or λα·expm1(x)"},
    {"celu", f_celu, b_celu, "x>0 ? x : expm1(x)"},
    {"log_sigmoid", f_log_sigmoid, b_log_sigmoid, "min(x,0)-log1p(exp(-|x|))"},
    {"softsign", f_softsign, b_softsign, "x/(|x|+1)"},
    {"tanhshrink", f_tanhshrink, b_tanhshrink, "x-tanh(x)"},
    {"hardsigmoid", f_hardsigmoid, b_hardsigmoid, "min(max(x+3,0),6)/6"},
    {"hardswish", f_hardswish, b_hardswish, "x·min(max(x+3,0),6)/6"},
};
#define NFORMULAS (sizeof formulas / sizeof formulas[0])

/* ---- measuring ---- */
typedef struct stat {
  double max;     /* largest error among results of the right class */
  float at;       /* input where it occurs */
  uint64_t over;  /* inputs over clact's bound (class errors included) */
  uint64_t wrong; /* class errors: NaN vs number, inf vs finite */
  float wrong_at; /* the first input with a class error */
  uint64_t count; /* inputs measured */
} stat;

typedef struct job {
  const formula *f;
  clact_activation act;
  double p[CLACT_MAX_PARAMS];
  double fwd_bound, bwd_bound;
  uint64_t stride, first, step; /* this thread: patterns first, first + step, ... (in strides) */
  stat fwd, bwd;
} job;

/* ACCURACY.md's ulp of a float32 result r: 2^(max(e, -125) - 24), e = frexp exponent. */
static double ulp_of(double r) {
  int e;
  frexp(r, &e);
  return ldexp(1.0, (e < -125 ? -125 : e) - 24);
}

static void note(stat *s, double err, float x, double bound) {
  s->count++;
  if (!(err <= bound))
    s->over++;
  if (isinf(err) || isnan(err)) {
    if (s->wrong++ == 0)
      s->wrong_at = x;
  } else if (err > s->max) {
    s->max = err;
    s->at = x;
  }
}

/* The backward error in units of ACCURACY.md's bound, for dy = 1. */
static double bwd_error(float got, double ref, double mag) {
  if (isnan(ref) || isnan(got))
    return isnan(ref) && isnan(got) ? 0 : INFINITY;
  if (isinf(ref) || isinf(got))
    return ref == (double)got ? 0 : INFINITY;
  return fabs((double)got - ref) / (ulp_of(ref) + 0x1p-24 * mag);
}

static void *worker(void *arg) {
  job *j = arg;
  for (uint64_t k = j->first; k * j->stride <= 0xFFFFFFFFull; k += j->step) {
    uint32_t bits = (uint32_t)(k * j->stride);
    float x;
    memcpy(&x, &bits, 4);
    if (isnan(x))
      continue; /* NaN in, NaN out in both */
    double ref = clact_reference_forward(j->act, (double)x, j->p);
    note(&j->fwd, clact_ulp_error_f32(j->f->fwd(x), ref), x, j->fwd_bound);
    double mag = 0;
    double dref = clact_reference_derivative(j->act, (double)x, j->p, &mag);
    note(&j->bwd, bwd_error(j->f->bwd(x), dref, mag), x, j->bwd_bound);
  }
  return NULL;
}

static void merge(stat *a, const stat *b) {
  if (b->max > a->max) {
    a->max = b->max;
    a->at = b->at;
  }
  if (b->wrong && !a->wrong)
    a->wrong_at = b->wrong_at;
  a->wrong += b->wrong;
  a->over += b->over;
  a->count += b->count;
}

/* "max (at x)", plus the class errors when there are any. */
static void describe(const stat *st, char *buf, size_t size) {
  int k = snprintf(buf, size, "%.3g (%.9g)", st->max, (double)st->at);
  if (st->wrong && k > 0 && (size_t)k < size)
    snprintf(buf + k, size - (size_t)k, "; %llu class errors (e.g. %.9g)",
             (unsigned long long)st->wrong, (double)st->wrong_at);
}

/* The formula for a markdown cell: '|' escaped. */
static void md_text(const char *s) {
  for (; *s; s++) {
    if (*s == '|')
      putchar('\\');
    putchar(*s);
  }
}

int main(int argc, char **argv) {
  uint64_t stride = 256;
  int markdown = 0;
  const char *only[64];
  int nonly = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--stride") == 0 && i + 1 < argc) {
      char *end;
      stride = strtoull(argv[++i], &end, 10);
      if (*end || stride == 0 || stride > 0xFFFFFFFFull) {
        fprintf(stderr, "compare_pytorch: --stride must be in [1, 2^32-1]\n");
        return 2;
      }
    } else if (strcmp(argv[i], "--markdown") == 0) {
      markdown = 1;
    } else if (argv[i][0] != '-' && nonly < 64) {
      only[nonly++] = argv[i];
    } else {
      fprintf(stderr, "usage: compare_pytorch [--stride S] [--markdown] [ID...]\n");
      return 2;
    }
  }
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  int nthreads = ncpu < 1 ? 1 : (ncpu > 64 ? 64 : (int)ncpu);
  if (markdown) {
    printf("| activation | PyTorch's formula | fwd bound (ulp) | PyTorch fwd: max ulp (at x) | "
           "fwd inputs over the bound | bwd bound | PyTorch bwd: max (at x) | bwd inputs over "
           "the bound |\n");
    printf("|---|---|---|---|---|---|---|---|\n");
  } else {
    printf("every %llu-th float32 pattern, %d threads; forward in ulp, backward (dy = 1) in units "
           "of ACCURACY.md's bound\n",
           (unsigned long long)stride, nthreads);
  }
  for (size_t fi = 0; fi < NFORMULAS; fi++) {
    const formula *f = &formulas[fi];
    int wanted = nonly == 0;
    for (int k = 0; k < nonly; k++)
      wanted |= strcmp(only[k], f->id) == 0;
    clact_activation act;
    if (!wanted || clact_lookup(f->id, &act) != CLACT_SUCCESS)
      continue;
    job jobs[64];
    pthread_t tid[64];
    for (int t = 0; t < nthreads; t++) {
      memset(&jobs[t], 0, sizeof jobs[t]);
      jobs[t].f = f;
      jobs[t].act = act;
      clact_params_resolve(act, NULL, jobs[t].p);
      jobs[t].fwd_bound = clact_accuracy_ulp(clact_get_info(act)->accuracy);
      jobs[t].bwd_bound = 4.0;
      jobs[t].stride = stride;
      jobs[t].first = (uint64_t)t;
      jobs[t].step = (uint64_t)nthreads;
      if (pthread_create(&tid[t], NULL, worker, &jobs[t]) != 0) {
        worker(&jobs[t]);
        tid[t] = 0;
      }
    }
    for (int t = 0; t < nthreads; t++)
      if (tid[t])
        pthread_join(tid[t], NULL);
    for (int t = 1; t < nthreads; t++) {
      merge(&jobs[0].fwd, &jobs[t].fwd);
      merge(&jobs[0].bwd, &jobs[t].bwd);
    }
    const job *j = &jobs[0];
    char fe[96], be[96];
    describe(&j->fwd, fe, sizeof fe);
    describe(&j->bwd, be, sizeof be);
    if (markdown) {
      printf("| %s | ", f->id);
      md_text(f->what);
      printf(" | %g | %s | %llu | 4 | %s | %llu |\n", j->fwd_bound, fe,
             (unsigned long long)j->fwd.over, be, (unsigned long long)j->bwd.over);
    } else {
      printf("%-12s fwd %s, %llu over %g\n%-12s bwd %s, %llu over 4\n", f->id, fe,
             (unsigned long long)j->fwd.over, j->fwd_bound, "", be,
             (unsigned long long)j->bwd.over);
    }
    fflush(stdout);
  }
  return 0;
}
