/* scripts/gen_golden.c: writes the golden vectors tests/data/golden/<activation>.txt: for every
 * elementwise activation of include/clact/activations.def and each of its registry parameter
 * sets, inputs with the exact values of f(x), f'(x) and, where the registry has the variant for
 * that set, f' from y, computed with MPFR at 256 bits and rounded once to the nearest double.
 * tests/test_golden.c holds the double-precision reference (host/reference.c) to them on every
 * run, without MPFR.
 *
 * The exact values come from the MPFR oracle of tests/test_reference.c (included below, its
 * main renamed): one oracle for the run-time self-test and for these files.
 *
 * Inputs (all float32 values, as the float32 checker hands them to the reference), per
 * parameter set (as a float32 kernel sees it: each parameter rounded to float):
 *   - the registry-independent edge points (reference.c common_edges: unit points, where e^x
 *     overflows, goes subnormal and underflows, where tanh and sigma saturate, ...), both signs;
 *   - the activation's own edge list (reference.c: thresholds, branch points, roots of f' such
 *     as GELU' at -0.75179, SiLU' at -1.27846, Mish' at -1.19243, far tails), each and its two
 *     float neighbours;
 *   - the parameter values themselves, both signs;
 *   - every 2^27-th float32 bit pattern (every exponent range, both signs, subnormals; non-finite
 *     patterns left out);
 *   - 24 fixed-seed random values in [-40, 40] and [-4, 4].
 * Backward from y takes y = the float32 rounding of the exact f(x) of the same inputs (what a
 * forward pass stores); brelu (defined by the element's index) has every vector at an even and
 * an odd index.
 *
 * File format (one file per activation; '#' starts a comment line):
 *   set P0 P1 P2 P3          the parameters of the vectors that follow (hex-float doubles)
 *   f I X F                  forward: index parity I, input X, exact f(X)
 *   d I X D M                backward: exact f'(X) and M(X), the sum of the magnitudes of the
 *                            terms of f' (ACCURACY.md), both rounded to the nearest double
 *   y I Y D M                backward from y: exact f' as a function of y, and M
 * f' is written as nan where f(x) is NaN (outside the function's domain). A value beyond the
 * double range is written as inf (the reference returns its marker DBL_MAX there).
 * Every number is a C99 hex-float double ("%a"; nan, inf, -inf where the exact value is one):
 * exact, read back by strtod.
 *
 * Build and regenerate (Debian: apt-get install libmpfr-dev; the target exists when CMake finds
 * MPFR, tests/golden.cmake):
 *   cmake --build build --target gen_golden
 *   build/tests/gen_golden tests/data/golden
 * Then run `ctest --test-dir build -R golden`. Regenerate after adding an activation, a
 * parameter set or an edge point; a change of the files without such a reason is a change of
 * the mathematics and wants a look. */
#define main clact_test_reference_main
#include "../tests/test_reference.c"
#undef main

#include <errno.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static double random_float(double scale) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  double u = (double)(rng >> 11) * 0x1p-53;
  return (double)(float)((u - 0.5) * scale);
}

/* The exact value of (act, dir) at x, rounded to double; *m receives M. 0: no oracle. */
static int exact_at(clact_activation act, clact_direction dir, double x, const double *p,
                    uint64_t index, double *value, double *m) {
  mpfr_t v, out, mg;
  mpfr_inits2(PREC, v, out, mg, (mpfr_ptr)0);
  mpfr_set_d(v, x, MPFR_RNDN);
  point_index = index;
  int ok = oracle(act, dir, v, p, out, mg);
  *value = mpfr_get_d(out, MPFR_RNDN);
  *m = mpfr_get_d(mg, MPFR_RNDN);
  mpfr_clears(v, out, mg, (mpfr_ptr)0);
  return ok;
}

static size_t add(double *pts, size_t n, double v) {
  float f = (float)v;
  if (!isfinite(f))
    return n;
  for (size_t i = 0; i < n; i++) /* no duplicates (bit patterns: +0 and -0 both stay) */
    if (memcmp(&pts[i], &(double){f}, sizeof(double)) == 0)
      return n;
  pts[n] = f;
  return n + 1;
}

static int write_activation(const char *dir, clact_activation act, long *nvec) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.txt", dir, clact_name(act));
  FILE *out = fopen(path, "w");
  if (!out) {
    fprintf(stderr, "gen_golden: cannot write %s: %s\n", path, strerror(errno));
    return 0;
  }
  fprintf(out, "# %s: golden vectors of the reference, exact values from MPFR (%d bits)\n",
          clact_name(act), PREC);
  fprintf(out, "# written by scripts/gen_golden.c (format and regeneration: there, and "
               "tests/data/golden/README.md); do not edit\n");
  double sets[8][CLACT_MAX_PARAMS];
  size_t nsets = 1;
  clact_params_resolve(act, NULL, sets[0]);
  const double(*alt)[CLACT_MAX_PARAMS];
  size_t na = clact__ref_param_sets(act, &alt);
  for (size_t i = 0; i < na && nsets < 8; i++)
    memcpy(sets[nsets++], alt[i], sizeof sets[0]);
  int nparams = clact_get_info(act)->nparams;
  int ok = 1;
  for (size_t s = 0; s < nsets && ok; s++) {
    double p[CLACT_MAX_PARAMS];
    for (int k = 0; k < CLACT_MAX_PARAMS; k++)
      p[k] = (double)(float)sets[s][k];
    fprintf(out, "set %a %a %a %a\n", p[0], p[1], p[2], p[3]);
    double pts[1024];
    size_t n = 0;
    const double *common, *own;
    size_t nc = clact__ref_common_edges(&common), no = clact__ref_edges(act, &own);
    for (size_t i = 0; i < nc && n < 900; i++) {
      n = add(pts, n, common[i]);
      n = add(pts, n, -common[i]);
    }
    for (size_t i = 0; i < no && n < 900; i++) {
      float c = (float)own[i];
      n = add(pts, n, c);
      n = add(pts, n, nextafterf(c, -INFINITY));
      n = add(pts, n, nextafterf(c, INFINITY));
    }
    for (int k = 0; k < nparams; k++) {
      n = add(pts, n, p[k]);
      n = add(pts, n, -p[k]);
    }
    for (uint64_t b = 0; b < ((uint64_t)1 << 32); b += (uint64_t)1 << 27)
      n = add(pts, n, (double)test_float((unsigned)(b + (b >> 27) * 0x9E3779u)));
    for (int i = 0; i < 24; i++)
      n = add(pts, n, random_float(i % 2 ? 80.0 : 8.0));
    int parities = clact__ref_indexed(act) ? 2 : 1;
    for (int d = 0; d < CLACT_DIRECTION_COUNT && ok; d++) {
      clact_direction dirn = (clact_direction)d;
      if (dirn == CLACT_BACKWARD_FROM_Y && !clact__from_y_allowed(act, p))
        continue;
      for (int par = 0; par < parities && ok; par++)
        for (size_t i = 0; i < n && ok; i++) {
          double x = pts[i], v, m, y = x;
          if (dirn == CLACT_BACKWARD_FROM_Y) {
            double fx, fm;
            ok = exact_at(act, CLACT_FORWARD, x, p, (uint64_t)par, &fx, &fm);
            y = (double)(float)fx;
            if (!isfinite(y))
              continue;
          }
          ok = ok && exact_at(act, dirn, y, p, (uint64_t)par, &v, &m);
          if (ok && dirn == CLACT_BACKWARD) {
            /* outside the domain of f (soft_exponential with alpha < 0 below its pole, ...)
             * the oracle's formula for f' may still give a number: f' is NaN there */
            double fx, fm;
            ok = exact_at(act, CLACT_FORWARD, y, p, (uint64_t)par, &fx, &fm);
            if (isnan(fx))
              v = m = NAN;
          }
          if (!ok)
            fprintf(stderr, "gen_golden: no MPFR oracle for %s\n", clact_name(act));
          else if (dirn == CLACT_FORWARD) /* (NaN outside the domain, e.g. sqrt(x < 0)) */
            fprintf(out, "f %d %a %a\n", par, y, v);
          else
            fprintf(out, "%c %d %a %a %a\n", dirn == CLACT_BACKWARD ? 'd' : 'y', par, y, v, m);
          *nvec += ok;
        }
    }
  }
  if (fclose(out) != 0)
    ok = 0;
  return ok;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: gen_golden OUTPUT_DIR (tests/data/golden)\n");
    return 2;
  }
  mpfr_inits2(PREC, t1, t2, t3, t4, xx, (mpfr_ptr)0);
  long nvec = 0;
  int ok = 1;
  for (int a = 0; a < CLACT_ACTIVATION_COUNT && ok; a++)
    ok = write_activation(argv[1], (clact_activation)a, &nvec);
  mpfr_clears(t1, t2, t3, t4, xx, (mpfr_ptr)0);
  mpfr_free_cache();
  printf("gen_golden: %ld vectors for %d activations in %s\n", nvec, CLACT_ACTIVATION_COUNT,
         argv[1]);
  return ok ? 0 : 1;
}
