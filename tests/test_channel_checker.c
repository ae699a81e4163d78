/* tests/test_channel_checker.c: clact_check_channel can fail. Kernels are read from a scratch
 * CLACT_KERNEL_DIR holding the real prelude and kernels/prelu_ch.cl and kernels/apl.cl with one
 * deliberate defect each; the check must report every one, and the unmodified sources must
 * pass. Usage: test_channel_checker KERNEL_SOURCE_DIR SCRATCH_DIR */
#define _POSIX_C_SOURCE 200809L
#include "clact.h"

#include "clact/channel.h"
#include "test_util.h"

#include <sys/stat.h>

static const char *src_dir, *scratch;

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (!s || fread(s, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(1);
  }
  s[n] = '\0';
  fclose(f);
  return s;
}

static void spill(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(1);
  }
  fputs(text, f);
  fclose(f);
}

/* A scratch kernel folder `name` with the real prelude and kernels, `file` with `from` replaced
 * by `to` (from must occur; NULL: no change); CLACT_KERNEL_DIR points there. */
static int mutate(const char *name, const char *file, const char *from, const char *to) {
  char dir[1024], path[1200];
  snprintf(dir, sizeof dir, "%s/%s", scratch, name);
  mkdir(scratch, 0755);
  mkdir(dir, 0755);
  static const char *const files[] = {"common.clh", "prelu_ch.cl", "apl.cl"};
  int found = 1;
  for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
    snprintf(path, sizeof path, "%s/%s", src_dir, files[k]);
    char *text = slurp(path);
    char *at = from && strcmp(files[k], file) == 0 ? strstr(text, from) : NULL;
    if (from && strcmp(files[k], file) == 0 && !at) {
      fprintf(stderr, "%s: the text to mutate is not in %s: %s\n", name, file, from);
      found = 0;
    }
    snprintf(path, sizeof path, "%s/%s", dir, files[k]);
    if (at) {
      size_t n = strlen(text) + strlen(to) + 1;
      char *out = malloc(n);
      if (!out)
        exit(1);
      snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
      spill(path, out);
      free(out);
    } else {
      spill(path, text);
    }
    free(text);
  }
  setenv("CLACT_KERNEL_DIR", dir, 1);
  return found;
}

static clact_status check(clact_channel_op op, clact_direction dir, clact_dtype dtype,
                          unsigned hinges, size_t n, size_t c, size_t inner,
                          clact_check_result *r) {
  clact_context *ctx = test_context();
  clact_status st = clact_check_channel(ctx, op, dir, dtype, hinges, 0, n, c, inner, 9, r);
  if (st != CLACT_SUCCESS && st != CLACT_ERROR_CHECK_FAILED)
    fprintf(stderr, "%s\n", clact_build_log(ctx));
  clact_context_destroy(ctx);
  return st;
}

#define CATCHES(name, file, from, to, op, dir, dtype, hinges, n, c, inner)                         \
  do {                                                                                             \
    clact_check_result r_;                                                                         \
    if (mutate(name, file, from, to)) {                                                            \
      EXPECT_STATUS(check(op, dir, dtype, hinges, n, c, inner, &r_), CLACT_ERROR_CHECK_FAILED);    \
      printf("%-26s caught: %s\n", name, r_.message);                                              \
    } else {                                                                                       \
      test_failures++;                                                                             \
    }                                                                                              \
  } while (0)

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: test_channel_checker KERNEL_SOURCE_DIR SCRATCH_DIR\n");
    return 2;
  }
  src_dir = argv[1];
  scratch = argv[2];
  clact_check_result r;
  /* the real sources pass (from the scratch folder, as the mutants are read) */
  if (mutate("unmodified", "apl.cl", NULL, NULL)) {
    EXPECT_STATUS(check(CLACT_CH_APL, CLACT_BACKWARD, CLACT_F32, 2, 2, 3, 33, &r), CLACT_SUCCESS);
    EXPECT_STATUS(check(CLACT_CH_PRELU, CLACT_FORWARD, CLACT_F32, 0, 2, 3, 33, &r), CLACT_SUCCESS);
  }
  /* prelu: the derivative at 0 taken as 1 instead of w (x = +-0 among the inputs) */
  CATCHES("prelu_kink", "prelu_ch.cl", "g * (xv > (real)0 ? (real)1",
          "g * (xv >= (real)0 ? (real)1", CLACT_CH_PRELU, CLACT_BACKWARD, CLACT_F32, 0, 2, 3, 33);
  /* prelu: 0 * -inf = NaN instead of the limit 0 (w = 0 in channel 1, +-inf x there) */
  CATCHES("prelu_inf_limit", "prelu_ch.cl", "copysign(RV(1), x) : x", "x : x", CLACT_CH_PRELU,
          CLACT_FORWARD, CLACT_F32, 0, 2, 3, 33);
  /* the forward kernels' row tails exist where a work-item runs several elements (8 or 16 on
   * CPU devices, as in CI: 33 = 4 x 8 + 1 = 2 x 16 + 1) */
  clact_context *probe = test_context();
  int vector = clact_context_vector_width(probe) > 1;
  clact_context_destroy(probe);
  if (!vector)
    printf("(vector width 1 on this device: no row tails; tail_unwritten, tail_overrun skipped)\n");
  /* the last element of each row's tail not written */
  if (vector)
    CATCHES("tail_unwritten", "prelu_ch.cl", "for (uint k = 0; k < rest; k++)",
            "for (uint k = 0; k + 1 < rest; k++)", CLACT_CH_APL, CLACT_FORWARD, CLACT_BF16, 3, 2, 3,
            33);
  /* pass 2 drops the last partial sum of each output */
  CATCHES("reduce_drops_partial", "prelu_ch.cl", "for (ulong k = lid; k < len;",
          "for (ulong k = lid; k + 1 < len;", CLACT_CH_PRELU, CLACT_BACKWARD, CLACT_F16, 0, 2, 3,
          33);
  /* pass 1's tiles lose their last row (of the N rows of a channel) */
  CATCHES("tile_drops_row", "prelu_ch.cl", "t.th = min(tile_h, nrows - t.n0);",
          "t.th = min(tile_h, nrows - t.n0 - 1);", CLACT_CH_APL, CLACT_BACKWARD, CLACT_F32, 2, 2, 3,
          33);
  /* apl: the hinge's derivative at its kink taken as -a_s instead of 0 (x = b_s exactly) */
  CATCHES("apl_kink", "apl.cl", "d -= xv < bk ? ak", "d -= xv <= bk ? ak", CLACT_CH_APL,
          CLACT_BACKWARD, CLACT_F32, 2, 2, 3, 33);
  /* apl: db without its factor a_s */
  CATCHES("apl_db_factor", "prelu_ch.cl", "r = TO_REAL(a[ao + (o - nout0)]) * r;", "r = r;",
          CLACT_CH_APL, CLACT_BACKWARD, CLACT_F32, 1, 2, 3, 33);
  /* an output written past the end of a row (the tail stores one lane too many) */
  if (vector)
    CATCHES("tail_overrun", "prelu_ch.cl", "for (uint k = 0; k < rest; k++)",
            "for (uint k = 0; k <= rest; k++)", CLACT_CH_PRELU, CLACT_FORWARD, CLACT_F32, 0, 1, 1,
            3);
  if (test_failures)
    fprintf(stderr, "%d failures\n", test_failures);
  return test_failures ? 1 : 0;
}
