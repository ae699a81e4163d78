/* tests/fuzz/fuzz_cache.c: libFuzzer harness of the program cache's file reader
 * (host/cache.c, clact__cache_load). Once, at start: a context on a fresh CLACT_CACHE_DIR, a
 * small program built from source and stored (clact__cache_store), which fixes the entry's
 * path and its genuine header. Then each input becomes that entry and is loaded. The first
 * byte chooses how much of the file the input is, so that the fuzzer also gets past the key
 * (which it could not guess: it names this machine's driver):
 *   0: the whole file;
 *   1: the genuine header (magic, key length, key), then the input (binary length, binary,
 *      checksum);
 *   2: the genuine header, the input's length, the input as the binary, its correct checksum:
 *      the binary reaches the driver (clCreateProgramWithBinary, clBuildProgram). Only with
 *      FUZZ_CACHE_DRIVER=1 (else such inputs are ignored): this fuzzes the OpenCL driver's
 *      binary loader rather than clact, and PoCL 2.10's reads out of bounds on a truncated
 *      binary (a file only a forger of the checksum can make).
 * A load must return NULL or a program that has been built for the device.
 * With FUZZ_CACHE_SEEDS=DIR set, writes seed inputs (one per mode, from the genuine entry)
 * into DIR at start.
 * Build and run (Clang; see tests/robustness.cmake for the CMake targets):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ihost tests/fuzz/fuzz_cache.c \
 *     host/[a-z]*.c BUILD/clact_kernels.c -lOpenCL -lm -o fuzz_cache
 *   ./fuzz_cache -max_total_time=60 -close_fd_mask=3 tests/fuzz/corpus_cache */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAGIC "CLACT-PROGRAM-CACHE 1\n"

static clact_context *ctx;
static const char *const src[2] = {"#line 1 \"fuzz.clh\"\n#define FUZZ_ONE 1\n",
                                   "#line 1 \"fuzz.cl\"\n"
                                   "__kernel void fuzz_k(__global int *p) { p[0] = FUZZ_ONE; }\n"};
static const char *const options = "-cl-std=CL1.2";
static char dir[256], path[1024];
static unsigned char *genuine; /* the stored entry */
static size_t genuine_len, header_len;
static int driver; /* FUZZ_CACHE_DRIVER=1: mode 2 enabled */

static uint64_t fnv1a(const unsigned char *p, size_t n) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001B3ull;
  return h;
}

static void fail(const char *what) {
  fprintf(stderr, "fuzz_cache: %s\n", what);
  exit(1);
}

static void write_file(const char *p, const unsigned char *a, size_t na, const unsigned char *b,
                       size_t nb, const unsigned char *c, size_t nc) {
  FILE *f = fopen(p, "wb");
  if (!f)
    fail("cannot write the entry");
  fwrite(a, 1, na, f);
  fwrite(b, 1, nb, f);
  fwrite(c, 1, nc, f);
  fclose(f);
}

static void seed(const char *seeds, const char *name, unsigned char mode, const unsigned char *d,
                 size_t n) {
  char p[1200];
  snprintf(p, sizeof p, "%s/%s", seeds, name);
  write_file(p, &mode, 1, d, n, NULL, 0);
}

static void cleanup(void) {
  if (path[0])
    remove(path);
  rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  snprintf(dir, sizeof dir, "%s/clact-fuzz-cache-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(dir))
    fail("cannot create a temporary folder");
  atexit(cleanup);
  setenv("CLACT_CACHE_DIR", dir, 1);
  setenv("CLACT_CACHE", "on", 1); /* off by default on PoCL (host/context.c) */
  clact_status st = clact_context_create(&ctx, NULL);
  if (st != CLACT_SUCCESS)
    fail(clact_status_string(st));
  cl_int err;
  cl_program prog = clCreateProgramWithSource(ctx->context, 2, (const char **)src, NULL, &err);
  if (err != CL_SUCCESS || clBuildProgram(prog, 1, &ctx->device, options, NULL, NULL) != CL_SUCCESS)
    fail("cannot build the program");
  clact__cache_store(ctx, prog, src, options);
  clReleaseProgram(prog);
  DIR *d = opendir(dir);
  for (struct dirent *e; d && (e = readdir(d));)
    if (strstr(e->d_name, ".bin"))
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
  if (d)
    closedir(d);
  FILE *f = path[0] ? fopen(path, "rb") : NULL;
  if (!f)
    fail("the entry was not written");
  genuine = malloc(1 << 24);
  genuine_len = fread(genuine, 1, 1 << 24, f);
  fclose(f);
  uint64_t keylen;
  memcpy(&keylen, genuine + strlen(MAGIC), 8);
  header_len = strlen(MAGIC) + 8 + (size_t)keylen;
  cl_program back = clact__cache_load(ctx, src, options);
  if (!back)
    fail("the genuine entry does not load");
  clReleaseProgram(back);
  const char *drv = getenv("FUZZ_CACHE_DRIVER");
  driver = drv && strcmp(drv, "1") == 0;
  const char *seeds = getenv("FUZZ_CACHE_SEEDS");
  if (seeds) {
    size_t bin = header_len + 8, binlen = genuine_len - bin - 8;
    seed(seeds, "whole_entry", 0, genuine, genuine_len);
    seed(seeds, "whole_header_only", 0, genuine, header_len);
    seed(seeds, "whole_magic", 0, (const unsigned char *)MAGIC, strlen(MAGIC));
    seed(seeds, "tail_genuine", 1, genuine + header_len, genuine_len - header_len);
    seed(seeds, "tail_short", 1, genuine + header_len, 24);
    seed(seeds, "binary_genuine", 2, genuine + bin, binlen);
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  unsigned mode = data[0] % 3;
  if (mode == 2 && !driver)
    return 0;
  data++;
  size--;
  if (mode == 0) {
    write_file(path, data, size, NULL, 0, NULL, 0);
  } else if (mode == 1) {
    write_file(path, genuine, header_len, data, size, NULL, 0);
  } else {
    uint64_t len = size, sum = fnv1a(data, size);
    unsigned char l[8], s[8];
    memcpy(l, &len, 8);
    memcpy(s, &sum, 8);
    FILE *f = fopen(path, "wb");
    if (!f)
      fail("cannot write the entry");
    fwrite(genuine, 1, header_len, f);
    fwrite(l, 1, 8, f);
    fwrite(data, 1, size, f);
    fwrite(s, 1, 8, f);
    fclose(f);
  }
  cl_program prog = clact__cache_load(ctx, src, options);
  if (prog) {
    cl_build_status bs = CL_BUILD_NONE;
    if (clGetProgramBuildInfo(prog, ctx->device, CL_PROGRAM_BUILD_STATUS, sizeof bs, &bs, NULL) !=
            CL_SUCCESS ||
        bs != CL_BUILD_SUCCESS)
      abort(); /* a program returned by the cache must be built */
    clReleaseProgram(prog);
  }
  return 0;
}
