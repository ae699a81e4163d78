/* host/cache.c: compiled programs cached on disk (DESIGN.md), so a new process does not pay the
 * compiler again.
 *
 * One file per program, named by a 128-bit hash of its key: the kernel sources, the build
 * options, the platform/device/driver versions and the library version. The file repeats the
 * whole key except the sources (which enter as their hash) and carries a checksum of the binary;
 * it is written to a temporary file and renamed into place, so readers never see half a file and
 * concurrent writers of the same entry are harmless. Any failure - a missing, truncated,
 * corrupted, foreign or stale file, a binary the driver rejects, an unwritable folder - is a
 * miss, never an error: the program is then built from source.
 *
 * Folder: CLACT_CACHE_DIR, else $XDG_CACHE_HOME/clact, else $HOME/.cache/clact;
 * CLACT_CACHE=off disables the cache. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "CLACT-PROGRAM-CACHE 1\n"
#define MAX_FILE ((size_t)256 << 20)

static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001B3ull;
  }
  return h;
}

/* A second, independent 64-bit hash (multiply-xorshift over 8-byte words). */
static uint64_t mix_hash(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t w = 0;
    memcpy(&w, p + i, n - i < 8 ? n - i : 8);
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  return h ^ n;
}

static int mkdirs(const char *path) {
  char buf[4096];
  size_t len = strlen(path);
  if (len == 0 || len >= sizeof buf)
    return -1;
  memcpy(buf, path, len + 1);
  for (char *s = buf + 1; *s; s++) {
    if (*s == '/') {
      *s = '\0';
      if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return -1;
      *s = '/';
    }
  }
  return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

char *clact__cache_dir(int driver_caches) {
  const char *mode = getenv("CLACT_CACHE");
  int on = mode && (strcmp(mode, "on") == 0 || strcmp(mode, "1") == 0);
  int off = mode && (strcmp(mode, "off") == 0 || strcmp(mode, "0") == 0);
  if (off || (driver_caches && !on))
    return NULL;
  const char *dir = getenv("CLACT_CACHE_DIR");
  const char *base = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  char buf[4096];
  int n;
  if (dir && *dir)
    n = snprintf(buf, sizeof buf, "%s", dir);
  else if (base && *base)
    n = snprintf(buf, sizeof buf, "%s/clact", base);
  else if (home && *home)
    n = snprintf(buf, sizeof buf, "%s/.cache/clact", home);
  else
    return NULL;
  if (n < 0 || (size_t)n >= sizeof buf)
    return NULL; /* a path too long to hold: no cache rather than a truncated one */
  char *s = malloc((size_t)n + 1);
  if (s)
    memcpy(s, buf, (size_t)n + 1);
  return s;
}

/* The key (everything but the sources, which enter as their hash) and the file name. */
static int make_key(const clact_context *ctx, const char *const src[2], const char *options,
                    char *key, size_t keysize, char *path, size_t pathsize) {
  uint64_t a = 0xCBF29CE484222325ull, b = 0x6A09E667F3BCC909ull;
  for (int i = 0; i < 2; i++) {
    a = fnv1a(a, src[i], strlen(src[i]) + 1);
    b = mix_hash(b, src[i], strlen(src[i]) + 1);
  }
  int n =
      snprintf(key, keysize, "clact %s\n%s\noptions %s\nsources %016llx%016llx\n", clact_version(),
               ctx->identity, options, (unsigned long long)a, (unsigned long long)b);
  if (n < 0 || (size_t)n >= keysize)
    return -1;
  uint64_t ka = fnv1a(0xCBF29CE484222325ull, key, (size_t)n);
  uint64_t kb = mix_hash(0x6A09E667F3BCC909ull, key, (size_t)n);
  n = snprintf(path, pathsize, "%s/%016llx%016llx.bin", ctx->cache_dir, (unsigned long long)ka,
               (unsigned long long)kb);
  return n < 0 || (size_t)n >= pathsize ? -1 : 0;
}

/* A regular file only: a FIFO or device in the cache folder must not block or feed us. */
static unsigned char *read_file(const char *path, size_t *len) {
  *len = 0;
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  if (fd < 0)
    return NULL;
  struct stat st;
  FILE *f = NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "rb"))) {
    close(fd);
    return NULL;
  }
  unsigned char *buf = NULL;
  long size = -1;
  if (fseek(f, 0, SEEK_END) == 0)
    size = ftell(f);
  if (size > 0 && (size_t)size <= MAX_FILE && fseek(f, 0, SEEK_SET) == 0) {
    buf = malloc((size_t)size);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
      free(buf);
      buf = NULL;
    }
  }
  fclose(f);
  *len = buf ? (size_t)size : 0;
  return buf;
}

/* Reads a little-endian-agnostic u64 field (native order: the file never leaves the machine). */
static int take(const unsigned char **p, const unsigned char *end, void *out, size_t n) {
  if ((size_t)(end - *p) < n)
    return -1;
  memcpy(out, *p, n);
  *p += n;
  return 0;
}

cl_program clact__cache_load(clact_context *ctx, const char *const src[2], const char *options) {
  if (!ctx->cache_dir)
    return NULL;
  char key[2048], path[4200];
  if (make_key(ctx, src, options, key, sizeof key, path, sizeof path) != 0)
    return NULL;
  size_t len;
  unsigned char *file = read_file(path, &len);
  if (!file)
    return NULL;
  const unsigned char *p = file, *end = file + len;
  uint64_t keylen, binlen, sum;
  cl_program prog = NULL;
  size_t magic = strlen(MAGIC);
  if ((size_t)(end - p) < magic || memcmp(p, MAGIC, magic) != 0)
    goto done;
  p += magic;
  if (take(&p, end, &keylen, 8) || keylen != strlen(key) || (size_t)(end - p) < keylen ||
      memcmp(p, key, keylen) != 0)
    goto done; /* foreign or stale entry (or a hash collision) */
  p += keylen;
  if (take(&p, end, &binlen, 8) || binlen == 0 || (size_t)(end - p) < 8 ||
      binlen > (uint64_t)(end - p) - 8) /* (binlen + 8 could wrap) */
    goto done;
  const unsigned char *bin = p;
  p += binlen;
  if (take(&p, end, &sum, 8) || p != end || sum != fnv1a(0xCBF29CE484222325ull, bin, binlen))
    goto done; /* truncated or corrupted */
  cl_int err, bin_status = CL_SUCCESS;
  size_t size = (size_t)binlen;
  prog = clCreateProgramWithBinary(ctx->context, 1, &ctx->device, &size, &bin, &bin_status, &err);
  if (err != CL_SUCCESS || bin_status != CL_SUCCESS) {
    if (err == CL_SUCCESS)
      clReleaseProgram(prog);
    prog = NULL;
    goto done;
  }
  if (clBuildProgram(prog, 1, &ctx->device, options, NULL, NULL) != CL_SUCCESS) {
    clReleaseProgram(prog);
    prog = NULL;
    goto done;
  }
  ctx->cache_hits++;
done:
  free(file);
  return prog;
}

void clact__cache_store(clact_context *ctx, cl_program prog, const char *const src[2],
                        const char *options) {
  if (!ctx->cache_dir || mkdirs(ctx->cache_dir) != 0)
    return;
  char key[2048], path[4200], tmp[4300];
  if (make_key(ctx, src, options, key, sizeof key, path, sizeof path) != 0)
    return;
  /* The binary of our device among the program's devices. */
  cl_uint ndev = 0;
  if (clGetProgramInfo(prog, CL_PROGRAM_NUM_DEVICES, sizeof ndev, &ndev, NULL) != CL_SUCCESS ||
      ndev == 0 || ndev > 64)
    return;
  cl_device_id devs[64];
  size_t sizes[64];
  unsigned char *bins[64] = {NULL};
  if (clGetProgramInfo(prog, CL_PROGRAM_DEVICES, ndev * sizeof devs[0], devs, NULL) != CL_SUCCESS ||
      clGetProgramInfo(prog, CL_PROGRAM_BINARY_SIZES, ndev * sizeof sizes[0], sizes, NULL) !=
          CL_SUCCESS)
    return;
  cl_uint me = ndev;
  for (cl_uint i = 0; i < ndev; i++)
    if (devs[i] == ctx->device)
      me = i;
  if (me == ndev || sizes[me] == 0 || sizes[me] > MAX_FILE)
    return;
  bins[me] = malloc(sizes[me]);
  if (!bins[me])
    return;
  FILE *f = NULL;
  if (clGetProgramInfo(prog, CL_PROGRAM_BINARIES, ndev * sizeof bins[0], bins, NULL) != CL_SUCCESS)
    goto done;
  snprintf(tmp, sizeof tmp, "%s.%ld.%p.tmp", path, (long)getpid(), (void *)ctx);
  f = fopen(tmp, "wb");
  if (!f)
    goto done;
  uint64_t keylen = strlen(key), binlen = sizes[me];
  uint64_t sum = fnv1a(0xCBF29CE484222325ull, bins[me], sizes[me]);
  int ok = fwrite(MAGIC, 1, strlen(MAGIC), f) == strlen(MAGIC) && fwrite(&keylen, 8, 1, f) == 1 &&
           fwrite(key, 1, keylen, f) == keylen && fwrite(&binlen, 8, 1, f) == 1 &&
           fwrite(bins[me], 1, sizes[me], f) == sizes[me] && fwrite(&sum, 8, 1, f) == 1;
  ok = fclose(f) == 0 && ok;
  f = NULL;
  if (ok && rename(tmp, path) == 0)
    ctx->cache_writes++;
  else
    remove(tmp);
done:
  free(bins[me]);
}
