/* tests/test_f16c.c: the half conversions by F16C (kernels/common.clh, CLACT_X86_F16C) fall back
 * to the integer ones when a device's compiler rejects them. A scratch CLACT_KERNEL_DIR holds the
 * real sources with an #error under CLACT_X86_F16C (what an older or stricter compiler would
 * report): a half call must still succeed, give the same bits as the F16C build (all 65536
 * inputs, forward and backward), and the context must then stop asking for F16C. A kernel that
 * fails for another reason must still fail (CLACT_ERROR_BUILD_FAILED) and leave F16C on.
 * Skipped (77) where the context does not use F16C (not PoCL on an x86 CPU with F16C, or
 * CLACT_F16C=off). Usage: test_f16c KERNEL_SOURCE_DIR SCRATCH_DIR */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "internal.h"
#include "test_util.h"

#include <stdlib.h>
#include <sys/stat.h>

#define N 65536

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)len + 1);
  if (!s || fread(s, 1, (size_t)len, f) != (size_t)len) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(1);
  }
  s[len] = '\0';
  fclose(f);
  return s;
}

static void write_all(const char *path, const char *head, const char *body) {
  FILE *f = fopen(path, "wb");
  if (!f || fputs(head, f) < 0 || fputs(body, f) < 0 || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(1);
  }
}

/* A kernel directory `dir` with the prelude preceded by `prelude_head` and relu.cl preceded by
 * `relu_head`, made the context's source (CLACT_KERNEL_DIR). */
static void kernel_dir(const char *src, const char *dir, const char *prelude_head,
                       const char *relu_head) {
  char path[1200];
  mkdir(dir, 0755);
  snprintf(path, sizeof path, "%s/common.clh", src);
  char *prelude = read_all(path);
  snprintf(path, sizeof path, "%s/relu.cl", src);
  char *relu = read_all(path);
  snprintf(path, sizeof path, "%s/common.clh", dir);
  write_all(path, prelude_head, prelude);
  snprintf(path, sizeof path, "%s/relu.cl", dir);
  write_all(path, relu_head, relu);
  free(prelude);
  free(relu);
  setenv("CLACT_KERNEL_DIR", dir, 1);
}

/* relu forward and backward in half on every bit pattern (dy: the patterns reversed) */
static clact_status run(clact_context *ctx, uint16_t *y, uint16_t *dx) {
  static uint16_t x[N], dy[N];
  for (unsigned i = 0; i < N; i++) {
    x[i] = (uint16_t)i;
    dy[i] = (uint16_t)(N - 1 - i);
  }
  clact_status st = clact_forward_host(ctx, CLACT_RELU, CLACT_F16, NULL, N, x, y);
  if (st == CLACT_SUCCESS)
    st = clact_backward_host(ctx, CLACT_RELU, CLACT_F16, NULL, N, x, dy, dx);
  return st;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: test_f16c KERNEL_SOURCE_DIR SCRATCH_DIR\n");
    return 2;
  }
  char dir[1024];
  mkdir(argv[2], 0755);
  unsetenv("CLACT_KERNEL_DIR");
  clact_context *ctx = test_context();
  if (!ctx->f16c) {
    printf("SKIP: this context does not use F16C\n");
    clact_context_destroy(ctx);
    return TEST_SKIP;
  }
  static uint16_t y0[N], dx0[N], y1[N], dx1[N];
  EXPECT_STATUS(run(ctx, y0, dx0), CLACT_SUCCESS);
  clact_context_destroy(ctx);

  /* the F16C code does not compile: the integer conversions, the same bits */
  snprintf(dir, sizeof dir, "%s/no_f16c", argv[2]);
  kernel_dir(argv[1], dir,
             "#ifdef CLACT_X86_F16C\n#error \"injected: this compiler takes no F16C code\"\n"
             "#endif\n",
             "");
  ctx = test_context();
  EXPECT(ctx->f16c == 1);
  memset(y1, 0xA5, sizeof y1); /* poisoned */
  memset(dx1, 0xA5, sizeof dx1);
  EXPECT_STATUS(run(ctx, y1, dx1), CLACT_SUCCESS);
  EXPECT(ctx->f16c == 0);
  EXPECT(memcmp(y0, y1, sizeof y0) == 0);
  EXPECT(memcmp(dx0, dx1, sizeof dx0) == 0);
  clact_context_destroy(ctx);

  /* a kernel broken for another reason: still an error, F16C kept */
  snprintf(dir, sizeof dir, "%s/broken", argv[2]);
  kernel_dir(argv[1], dir, "", "#error \"injected: a broken kernel\"\n");
  ctx = test_context();
  EXPECT_STATUS(clact_prepare(ctx, CLACT_RELU, CLACT_F16, NULL), CLACT_ERROR_BUILD_FAILED);
  EXPECT(strstr(clact_build_log(ctx), "a broken kernel") != NULL);
  EXPECT(ctx->f16c == 1);
  clact_context_destroy(ctx);
  return test_result();
}
