/* tests/test_cache.c: the on-disk program cache. A first context writes the entry, a second
 * loads it (and computes bit-identical results); a corrupted, truncated, foreign or
 * driver-rejected entry is a miss and is rewritten; the cache can be switched off; an unwritable
 * folder is not an error; by default it is off on PoCL (which keeps compiled programs itself)
 * unless PoCL's cache is switched off. White-box: reads the context's hit/write counters.
 * Usage: test_cache SCRATCH_DIR */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "test_util.h"

#include <dirent.h>
#include <unistd.h>
#include <sys/stat.h>

#define N 4099

static char dir[1024];

/* The one .bin file of the cache folder (its path into `path`); 0 if not exactly one. */
static int entry(char *path, size_t size) {
  DIR *d = opendir(dir);
  int count = 0;
  for (struct dirent *e; d && (e = readdir(d));) {
    size_t len = strlen(e->d_name);
    if (len > 4 && strcmp(e->d_name + len - 4, ".bin") == 0) {
      snprintf(path, size, "%s/%s", dir, e->d_name);
      count++;
    }
  }
  if (d)
    closedir(d);
  return count == 1;
}

/* A context on the cache folder, gelu prepared; its counters and gelu of fixed inputs. */
static void run(unsigned long *hits, unsigned long *writes, float *out) {
  clact_context *ctx = test_context();
  EXPECT_STATUS(clact_prepare(ctx, CLACT_GELU, CLACT_F32, NULL), CLACT_SUCCESS);
  *hits = ctx->cache_hits;
  *writes = ctx->cache_writes;
  float in[N];
  for (int i = 0; i < N; i++)
    in[i] = (float)i / 256.0f - 8.0f;
  cl_int err;
  cl_mem x = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                            sizeof in, in, &err);
  cl_mem y = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE, sizeof in, NULL, &err);
  EXPECT_STATUS(clact_forward(ctx, CLACT_GELU, CLACT_F32, NULL, N, x, 0, y, 0, NULL),
                CLACT_SUCCESS);
  clEnqueueReadBuffer(clact_context_queue(ctx), y, CL_TRUE, 0, N * sizeof(float), out, 0, NULL,
                      NULL);
  clReleaseMemObject(x);
  clReleaseMemObject(y);
  clact_context_destroy(ctx);
}

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf = malloc(1 << 26);
  *len = f && buf ? fread(buf, 1, 1 << 26, f) : 0;
  if (f)
    fclose(f);
  return buf;
}

static void spit(const char *path, const unsigned char *buf, size_t len) {
  FILE *f = fopen(path, "wb");
  fwrite(buf, 1, len, f);
  fclose(f);
}

static uint64_t fnv1a(const unsigned char *p, size_t n) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001B3ull;
  return h;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_cache SCRATCH_DIR\n");
    return 2;
  }
  mkdir(argv[1], 0755);
  snprintf(dir, sizeof dir, "%s/cache-%ld", argv[1], (long)getpid());
  setenv("CLACT_CACHE_DIR", dir, 1);
  setenv("CLACT_CACHE", "on", 1); /* off by default on PoCL: tested last */
  unsetenv("CLACT_KERNEL_DIR");
  static float want[N], got[N];
  unsigned long hits, writes;
  char path[2048];

  run(&hits, &writes, want); /* cold: built from source, written */
  EXPECT(hits == 0 && writes == 1);
  EXPECT(entry(path, sizeof path));
  run(&hits, &writes, got); /* warm: loaded */
  EXPECT(hits == 1 && writes == 0);
  EXPECT(memcmp(want, got, sizeof want) == 0);

  size_t len;
  unsigned char *good = slurp(path, &len);
  EXPECT(len > 64);
  unsigned char *bad = malloc(len);
  memcpy(bad, good, len);
  bad[len / 2] ^= 0x5A; /* corrupted: the checksum no longer matches */
  spit(path, bad, len);
  run(&hits, &writes, got);
  EXPECT(hits == 0 && writes == 1 && memcmp(want, got, sizeof want) == 0);
  spit(path, good, len / 2); /* truncated */
  run(&hits, &writes, got);
  EXPECT(hits == 0 && writes == 1 && memcmp(want, got, sizeof want) == 0);
  memcpy(bad, good, len);
  bad[40] ^= 1; /* foreign: another key (the key text starts after the magic and length) */
  spit(path, bad, len);
  run(&hits, &writes, got);
  EXPECT(hits == 0 && writes == 1 && memcmp(want, got, sizeof want) == 0);
  /* a binary the driver rejects, with a valid checksum: the build from binary fails -> miss */
  memcpy(bad, good, len);
  uint64_t keylen, binlen;
  size_t magic = strlen("CLACT-PROGRAM-CACHE 1\n");
  memcpy(&keylen, bad + magic, 8);
  memcpy(&binlen, bad + magic + 8 + keylen, 8);
  unsigned char *bin = bad + magic + 16 + keylen;
  for (uint64_t i = 0; i < binlen; i++)
    bin[i] = (unsigned char)(i * 131u + 7u);
  uint64_t sum = fnv1a(bin, binlen);
  memcpy(bin + binlen, &sum, 8);
  spit(path, bad, len);
  run(&hits, &writes, got);
  EXPECT(hits == 0 && writes == 1 && memcmp(want, got, sizeof want) == 0);
  run(&hits, &writes, got); /* and the rewritten entry loads again */
  EXPECT(hits == 1 && writes == 0);

  setenv("CLACT_CACHE", "off", 1); /* switched off: neither read nor written */
  remove(path);
  run(&hits, &writes, got);
  EXPECT(hits == 0 && writes == 0 && !entry(path, sizeof path));
  setenv("CLACT_CACHE", "on", 1);
  setenv("CLACT_CACHE_DIR", "/proc/clact-cannot-write-here", 1); /* unwritable: not an error */
  run(&hits, &writes, got);
  EXPECT(hits == 0 && writes == 0 && memcmp(want, got, sizeof want) == 0);

  /* The default: on, except on PoCL while its own kernel cache is on (POCL_KERNEL_CACHE=0
   * switches that off; clact reads the variable at context creation). */
  setenv("CLACT_CACHE_DIR", dir, 1);
  unsetenv("CLACT_CACHE");
  clact_context *probe = test_context();
  int pocl = strstr(probe->identity, "Portable Computing Language") != NULL;
  clact_context_destroy(probe);
  run(&hits, &writes, got);
  EXPECT(hits == 0 && writes == (pocl ? 0u : 1u) && entry(path, sizeof path) == !pocl);
  EXPECT(memcmp(want, got, sizeof want) == 0);
  setenv("CLACT_CACHE", "auto", 1); /* any other value is the default too */
  run(&hits, &writes, got);
  EXPECT(hits == (pocl ? 0u : 1u) && writes == 0);
  if (pocl) {
    setenv("POCL_KERNEL_CACHE", "0", 1);
    run(&hits, &writes, got);
    EXPECT(hits == 0 && writes == 1 && entry(path, sizeof path));
    EXPECT(memcmp(want, got, sizeof want) == 0);
    unsetenv("POCL_KERNEL_CACHE");
  }

  free(good);
  free(bad);
  return test_result();
}
