/* tests/test_util.h: what the CTest programs share: the device (skip with 77 when there is
 * none), assertions that say where they failed, float bit helpers. */
#ifndef CLACT_TEST_UTIL_H
#define CLACT_TEST_UTIL_H

#include "clact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_SKIP 77

static int test_failures;

#define EXPECT(cond)                                                                               \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: expectation failed: %s\n", __FILE__, __LINE__, #cond);               \
      test_failures++;                                                                             \
    }                                                                                              \
  } while (0)

#define EXPECT_STATUS(expr, want)                                                                  \
  do {                                                                                             \
    clact_status got_ = (expr);                                                                    \
    if (got_ != (want)) {                                                                          \
      fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d (%s)\n", __FILE__, __LINE__, #expr, \
              (int)got_, clact_status_string(got_), (int)(want), clact_status_string(want));       \
      test_failures++;                                                                             \
    }                                                                                              \
  } while (0)

/* The default device's context, or exit 77 (skip) when there is no OpenCL device at all. */
static inline clact_context *test_context(void) {
  clact_context *ctx = NULL;
  clact_status st = clact_context_create(&ctx, NULL);
  if (st == CLACT_ERROR_NO_DEVICE) {
    printf("SKIP: no OpenCL device (%s)\n", clact_status_string(st));
    exit(TEST_SKIP);
  }
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "cannot create a context: %s\n", clact_status_string(st));
    exit(1);
  }
  return ctx;
}

static inline unsigned test_bits(float f) {
  unsigned u;
  memcpy(&u, &f, sizeof u);
  return u;
}

static inline float test_float(unsigned u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

static inline int test_result(void) {
  if (test_failures)
    fprintf(stderr, "%d expectation(s) failed\n", test_failures);
  return test_failures ? 1 : 0;
}

#endif
