/* tests/test_golden.c: the double-precision reference (host/reference.c) against the committed
 * golden vectors tests/data/golden/<activation>.txt (exact values from MPFR, rounded once to
 * double: scripts/gen_golden.c writes them and documents the format). Needs no MPFR: where the
 * run-time self-test (test_reference.c) is not built, this one still pins the reference.
 *
 * The rule (ACCURACY.md: the reference's relative error stays under 2^-40):
 *   forward            |ref - f| <= 2^-40 |f|, with an absolute floor of 2^-200 (no float32
 *                      result can tell differences below it); f = 0 exactly: ref must be 0;
 *   f' (from x or y)   |ref - f'| <= 2^-40 M, floor 2^-200, M the sum of the magnitudes of
 *                      the terms of f' (relative error means nothing at a root of f', where
 *                      the checker's bound is in terms of M too; M = |f'| for a single term);
 *   NaN and infinite exact values must be met exactly (NaN: any NaN; inf: its sign), except
 *                      that a derivative beyond the double range may be the reference's
 *                      marker for it, DBL_MAX with the sign (reference.c);
 * Every registry activation must have a file, and every file at least one vector.
 *
 * usage: test_golden DIR [--perturb]
 * --perturb: the negative test. Every expected value is moved by 2^-36 of its scale (NaN
 * becomes 1, an infinity NaN): every vector must then fail, or the test fails. */
#include "clact.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL 0x1p-40
#define FLOOR 0x1p-200
#define PERTURB 0x1p-36

static int perturb;
static long vectors, failures, caught;
static double worst_fwd, worst_der; /* max |ref - exact| / |exact| and / M */
static char worst_fwd_at[96], worst_der_at[96];
static const char *current; /* "activation kind x" of the vector being judged */

static double perturbed(double exact, double m) {
  if (isnan(exact))
    return 1.0;
  if (isinf(exact))
    return NAN;
  double scale = fmax(fmax(fabs(exact), m), 0x1p-190 / PERTURB);
  return exact + PERTURB * scale;
}

/* NULL when ref conforms to exact (M: m; m < 0 for the forward rule), else why not. */
static const char *judge(double ref, double exact, double m) {
  if (isnan(exact) || isnan(ref))
    return isnan(exact) && isnan(ref) ? NULL : "NaN against a number";
  if (m >= 0 && isinf(exact) && fabs(ref) == DBL_MAX)
    return (ref > 0) == (exact > 0) ? NULL : "the overflow marker with the wrong sign";
  if (isinf(exact) || isinf(ref))
    return ref == exact ? NULL : "infinity against a different value";
  double err = fabs(ref - exact);
  if (m < 0) {
    if (exact == 0)
      return ref == 0 ? NULL : "nonzero where the exact value is 0";
    if (!perturb && TOL * fabs(exact) >= FLOOR && err / fabs(exact) > worst_fwd) {
      worst_fwd = err / fabs(exact);
      snprintf(worst_fwd_at, sizeof worst_fwd_at, "%s", current);
    }
    return err <= fmax(TOL * fabs(exact), FLOOR) ? NULL : "relative error above 2^-40";
  }
  if (!perturb && TOL * m >= FLOOR && err / m > worst_der) {
    worst_der = err / m;
    snprintf(worst_der_at, sizeof worst_der_at, "%s", current);
  }
  return err <= fmax(TOL * m, FLOOR) ? NULL : "error above 2^-40 M(x)";
}

static void check_file(const char *dir, clact_activation act) {
  char path[4096], line[512];
  snprintf(path, sizeof path, "%s/%s.txt", dir, clact_name(act));
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "%s: no golden vectors (run scripts/gen_golden.c)\n", path);
    failures++;
    return;
  }
  double p[CLACT_MAX_PARAMS] = {0};
  long n = 0, lineno = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    if (line[0] == '#' || line[0] == '\n')
      continue;
    char kind = line[0];
    char *s = line + 1, *end;
    if (strncmp(line, "set ", 4) == 0) {
      s = line + 3;
      for (int k = 0; k < CLACT_MAX_PARAMS; k++, s = end)
        p[k] = strtod(s, &end);
      continue;
    }
    long parity = strtol(s, &end, 10);
    double v[4];
    int nv = kind == 'f' ? 2 : 3, bad = end == s || (kind != 'f' && kind != 'd' && kind != 'y');
    s = end;
    for (int k = 0; k < nv && !bad; k++, s = end) {
      v[k] = strtod(s, &end);
      bad = end == s;
    }
    if (bad) {
      fprintf(stderr, "%s:%ld: cannot read this line\n", path, lineno);
      failures++;
      continue;
    }
    double x = v[0], exact = v[1], m = kind == 'f' ? -1.0 : v[2], mag = 0, ref;
    if (kind == 'f')
      ref = clact_reference_forward_at(act, x, p, (uint64_t)parity);
    else if (kind == 'd')
      ref = clact_reference_derivative_at(act, x, p, (uint64_t)parity, &mag);
    else
      ref = clact_reference_derivative_from_y_at(act, x, p, (uint64_t)parity, &mag);
    if (perturb)
      exact = perturbed(exact, m);
    char at[96];
    snprintf(at, sizeof at, "%s %c x=%.9g p0=%g", clact_name(act), kind, x, p[0]);
    current = at;
    const char *why = judge(ref, exact, m);
    vectors++, n++;
    if (perturb) {
      caught += why != NULL;
      if (!why && failures++ < 20)
        fprintf(stderr, "%s:%ld: a perturbed vector passed: %s\n", path, lineno, line);
    } else if (why) {
      if (failures++ < 30 || getenv("GOLDEN_VERBOSE"))
        fprintf(stderr, "%s:%ld: %s %c x=%a p=(%g,%g,%g,%g): reference %a, exact %a (M %a): %s\n",
                path, lineno, clact_name(act), kind, x, p[0], p[1], p[2], p[3], ref, exact,
                m < 0 ? 0.0 : m, why);
    }
  }
  fclose(f);
  if (n == 0) {
    fprintf(stderr, "%s: no vectors\n", path);
    failures++;
  }
}

int main(int argc, char **argv) {
  if (argc < 2 || (argc == 3 && strcmp(argv[2], "--perturb") != 0) || argc > 3) {
    fprintf(stderr, "usage: test_golden DIR [--perturb]\n");
    return 2;
  }
  perturb = argc == 3;
  for (int a = 0; a < CLACT_ACTIVATION_COUNT; a++)
    check_file(argv[1], (clact_activation)a);
  if (perturb) {
    printf("%ld perturbed golden vectors, %ld caught, %ld failures\n", vectors, caught, failures);
    return failures == 0 && caught == vectors && vectors > 0 ? 0 : 1;
  }
  printf("%ld golden vectors of %d activations; max relative error of the reference: forward "
         "2^%.1f (%s), derivatives 2^%.1f of M (%s); %ld outside the rule (2^-40)\n",
         vectors, CLACT_ACTIVATION_COUNT, worst_fwd > 0 ? log2(worst_fwd) : -INFINITY, worst_fwd_at,
         worst_der > 0 ? log2(worst_der) : -INFINITY, worst_der_at, failures);
  return failures == 0 && vectors > 0 ? 0 : 1;
}
