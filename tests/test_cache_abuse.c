/* tests/test_cache_abuse.c: the on-disk program cache against entries it did not write, or
 * that were damaged, and against folders it cannot use. Each case must be a miss: no crash,
 * no error status, results correct (against the reference, and bit-identical to a build from
 * source), and the entry rewritten wherever the folder is writable.
 *
 * tests/test_cache.c covers the basics (a corrupted byte, a truncation at half, one flipped key
 * byte, a binary the driver rejects, the off switch, a folder that cannot be created). This
 * covers the rest: a zero-length file; truncation at every field boundary of the format;
 * trailing bytes; random bytes; other file formats (text, ELF, gzip, PNG, a future cache
 * version); stale keys (another library version, another driver, other options, other sources)
 * with a valid checksum; absurd key and binary lengths; a genuine entry of another program;
 * an entry that is a directory, a dangling symlink, a symlink loop, a symlink to /dev/zero or
 * to a file too large to be a cache entry; an unreadable file and a read-only folder (when the
 * permissions hold: not for root); a cache folder that is a regular file, or lies under one;
 * a folder path longer than PATH_MAX.
 *
 * `--group lengths` runs, each in a process of its own (a crash or hang is reported per case),
 * the cases where the lengths in the file make the reader's arithmetic wrap, and a FIFO in
 * place of the entry (opening it for reading must not block; the new entry replaces it).
 * White-box: reads the context's cache hit/write counters (host/internal.h).
 * Usage: test_cache_abuse SCRATCH_DIR [--group lengths | --case NAME] */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "test_util.h"

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define N 4099
#define ACT CLACT_GELU
#define MAGIC "CLACT-PROGRAM-CACHE 1\n"

static char scratch[1024], dir[1100], path[2200];
static unsigned char *good; /* the entry a build from source writes */
static size_t good_len, key_off, key_len, bin_off, bin_len;
static float x[N], want[N];

static uint64_t fnv1a(const unsigned char *p, size_t n) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001B3ull;
  return h;
}

static unsigned char *slurp(const char *file, size_t *len) {
  FILE *f = fopen(file, "rb");
  unsigned char *buf = NULL;
  *len = 0;
  if (!f)
    return NULL;
  size_t cap = 0;
  for (;;) {
    if (*len == cap) {
      unsigned char *nb = realloc(buf, cap = cap * 2 + 65536);
      if (!nb)
        break;
      buf = nb;
    }
    size_t got = fread(buf + *len, 1, cap - *len, f);
    *len += got;
    if (got == 0)
      break;
  }
  fclose(f);
  return buf;
}

/* Removes whatever is at `p`: a file, a symlink, a FIFO, or a folder with files in it. */
static void clear(const char *p) {
  struct stat st;
  if (lstat(p, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(p);
    char sub[2400];
    for (struct dirent *e; d && (e = readdir(d));) {
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
        snprintf(sub, sizeof sub, "%s/%s", p, e->d_name);
        clear(sub);
      }
    }
    if (d)
      closedir(d);
    rmdir(p);
  } else {
    unlink(p);
  }
}

static void put(const void *data, size_t len) {
  clear(path);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(1);
  }
}

/* An entry with the good file's layout: MAGIC, key length, key, binary length, binary, sum. */
static unsigned char *entry(const char *key, size_t klen, const unsigned char *bin, size_t blen,
                            size_t *len) {
  size_t magic = strlen(MAGIC);
  *len = magic + 8 + klen + 8 + blen + 8;
  unsigned char *e = malloc(*len), *p = e;
  uint64_t kl = klen, bl = blen, sum = fnv1a(bin, blen);
  memcpy(p, MAGIC, magic);
  memcpy(p += magic, &kl, 8);
  memcpy(p += 8, key, klen);
  memcpy(p += klen, &bl, 8);
  memcpy(p += 8, bin, blen);
  memcpy(p += blen, &sum, 8);
  return e;
}

/* The good entry with its key text changed: `from` (first occurrence) replaced by `to`. */
static unsigned char *stale(const char *from, const char *to, size_t *len) {
  char *key = malloc(key_len + strlen(to) + 1);
  memcpy(key, good + key_off, key_len);
  key[key_len] = '\0';
  char *at = strstr(key, from);
  EXPECT(at != NULL);
  if (!at) {
    *len = good_len;
    free(key);
    unsigned char *copy = malloc(good_len);
    memcpy(copy, good, good_len);
    return copy;
  }
  size_t tail = strlen(at + strlen(from));
  memmove(at + strlen(to), at + strlen(from), tail + 1);
  memcpy(at, to, strlen(to));
  unsigned char *e = entry(key, strlen(key), good + bin_off, bin_len, len);
  free(key);
  return e;
}

/* Whether the file at `path` is an entry for our key with a valid checksum. */
static int valid_entry(void) {
  size_t len;
  unsigned char *e = slurp(path, &len);
  int ok = e && len > bin_off + 8 && memcmp(e, good, bin_off - 8) == 0; /* magic, key */
  if (ok) {
    uint64_t bl, sum;
    memcpy(&bl, e + bin_off - 8, 8);
    ok = bl == len - bin_off - 8;
    if (ok) {
      memcpy(&sum, e + len - 8, 8);
      ok = sum == fnv1a(e + bin_off, (size_t)bl);
    }
  }
  free(e);
  return ok;
}

/* A context on CLACT_CACHE_DIR; ACT f32 of x, held to the reference's bound and compared with
 * `want` (unless `first`); its cache counters. */
static void run(const char *what, unsigned long *hits, unsigned long *writes, int first) {
  clact_context *ctx = test_context();
  clact_status st = clact_prepare(ctx, ACT, CLACT_F32, NULL);
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "%s: clact_prepare: %s\n", what, clact_status_string(st));
    test_failures++;
  }
  *hits = ctx->cache_hits;
  *writes = ctx->cache_writes;
  static float got[N];
  cl_int err;
  cl_mem bx = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                             sizeof x, x, &err);
  cl_mem by = clCreateBuffer(clact_context_cl(ctx), CL_MEM_READ_WRITE, sizeof x, NULL, &err);
  cl_uint poison = 0x7FA0BEEFu;
  clEnqueueFillBuffer(clact_context_queue(ctx), by, &poison, sizeof poison, 0, sizeof x, 0, NULL,
                      NULL);
  st = clact_forward(ctx, ACT, CLACT_F32, NULL, N, bx, 0, by, 0, NULL);
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "%s: clact_forward: %s\n", what, clact_status_string(st));
    test_failures++;
  }
  clEnqueueReadBuffer(clact_context_queue(ctx), by, CL_TRUE, 0, sizeof got, got, 0, NULL, NULL);
  clReleaseMemObject(bx);
  clReleaseMemObject(by);
  clact_context_destroy(ctx);
  double p[CLACT_MAX_PARAMS] = {0}, bound = clact_accuracy_ulp(clact_get_info(ACT)->accuracy);
  for (int i = 0; i < N; i++) {
    double e = clact_ulp_error_f32(got[i], clact_reference_forward(ACT, (double)x[i], p));
    if (!(e <= bound) || (!first && test_bits(got[i]) != test_bits(want[i]))) {
      fprintf(stderr, "%s: gelu(%a) = %a: %g ulp from the reference, expected %a\n", what,
              (double)x[i], (double)got[i], e, (double)want[i]);
      test_failures++;
      break;
    }
  }
  if (first)
    memcpy(want, got, sizeof want);
}

/* The case must be a miss and, the folder being writable, leave a valid entry behind. */
static void miss_rewritten(const char *what) {
  unsigned long hits, writes;
  run(what, &hits, &writes, 0);
  if (hits != 0 || writes != 1 || !valid_entry()) {
    fprintf(stderr, "%s: hits %lu, writes %lu (expected 0, 1), entry %s\n", what, hits, writes,
            valid_entry() ? "valid" : "not valid");
    test_failures++;
  }
}

/* A miss that cannot write (the folder or the entry's place is not usable). */
static void miss_unwritten(const char *what) {
  unsigned long hits, writes;
  run(what, &hits, &writes, 0);
  if (hits != 0 || writes != 0) {
    fprintf(stderr, "%s: hits %lu, writes %lu (expected 0, 0)\n", what, hits, writes);
    test_failures++;
  }
}

/* No temporary file may be left in the folder. */
static void no_leftovers(const char *what) {
  DIR *d = opendir(dir);
  for (struct dirent *e; d && (e = readdir(d));)
    if (strstr(e->d_name, ".tmp")) {
      fprintf(stderr, "%s: temporary file left behind: %s\n", what, e->d_name);
      test_failures++;
    }
  if (d)
    closedir(d);
}

/* Cold run: builds from source, writes the entry; its path and layout. */
static void setup(const char *tag) {
  snprintf(dir, sizeof dir, "%s/cache-%s-%ld", scratch, tag, (long)getpid());
  clear(dir);
  setenv("CLACT_CACHE_DIR", dir, 1);
  setenv("CLACT_CACHE", "on", 1); /* off by default on PoCL (host/context.c) */
  unsetenv("CLACT_KERNEL_DIR");
  for (int i = 0; i < N; i++)
    x[i] = (float)i / 256.0f - 8.0f;
  x[0] = -INFINITY;
  x[1] = INFINITY;
  x[2] = -0.0f;
  unsigned long hits, writes;
  run("cold run", &hits, &writes, 1);
  EXPECT(hits == 0 && writes == 1);
  DIR *d = opendir(dir);
  int count = 0;
  for (struct dirent *e; d && (e = readdir(d));) {
    size_t len = strlen(e->d_name);
    if (len > 4 && strcmp(e->d_name + len - 4, ".bin") == 0) {
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      count++;
    }
  }
  if (d)
    closedir(d);
  if (count != 1) {
    fprintf(stderr, "expected one cache entry in %s, found %d\n", dir, count);
    exit(1);
  }
  good = slurp(path, &good_len);
  size_t magic = strlen(MAGIC);
  uint64_t kl = 0, bl = 0;
  if (good && good_len > magic + 8)
    memcpy(&kl, good + magic, 8);
  if (good && good_len > magic + 16 + kl)
    memcpy(&bl, good + magic + 8 + kl, 8);
  key_off = magic + 8;
  key_len = (size_t)kl;
  bin_off = magic + 16 + key_len;
  bin_len = (size_t)bl;
  if (!good || memcmp(good, MAGIC, magic) != 0 || good_len != bin_off + bin_len + 8) {
    fprintf(stderr, "the cache entry does not have the expected layout\n");
    exit(1);
  }
  run("warm run", &hits, &writes, 0);
  EXPECT(hits == 1 && writes == 0);
}

/* ---- the cases that must simply be misses ----------------------------------------------- */
static void truncations(void) {
  size_t magic = strlen(MAGIC);
  const size_t cuts[] = {1,
                         magic - 1,
                         magic,
                         magic + 4,
                         magic + 8,
                         key_off + key_len / 2,
                         key_off + key_len - 1,
                         key_off + key_len,
                         bin_off - 4,
                         bin_off,
                         bin_off + 1,
                         bin_off + bin_len / 3,
                         bin_off + bin_len,
                         bin_off + bin_len + 4,
                         good_len - 1};
  char what[64];
  put(good, 0);
  miss_rewritten("zero-length entry");
  for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
    snprintf(what, sizeof what, "entry truncated to %zu of %zu bytes", cuts[i], good_len);
    put(good, cuts[i]);
    miss_rewritten(what);
  }
  unsigned char *longer = malloc(good_len + 100);
  memcpy(longer, good, good_len);
  memset(longer + good_len, 0, 100);
  put(longer, good_len + 1);
  miss_rewritten("entry with a trailing byte");
  put(longer, good_len + 100);
  miss_rewritten("entry with 100 trailing bytes");
  /* the binary doubled, its length and checksum consistent, the file length not */
  free(longer);
}

static void foreign(const char *self) {
  uint64_t s = 12345;
  size_t sizes[] = {1, 7, 64, 4096, good_len, (size_t)1 << 20};
  unsigned char *r = malloc((size_t)1 << 20);
  char what[64];
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    for (size_t i = 0; i < sizes[k]; i++) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      r[i] = (unsigned char)(s >> 56);
    }
    snprintf(what, sizeof what, "%zu random bytes", sizes[k]);
    put(r, sizes[k]);
    miss_rewritten(what);
  }
  memcpy(r, good, good_len); /* the right header, random bytes after it */
  for (size_t i = key_off + key_len; i < good_len; i++)
    r[i] = (unsigned char)(i * 2654435761u >> 13);
  put(r, good_len);
  miss_rewritten("our header, random bytes after the key");
  free(r);

  const char text[] = "clact 0.1.0\nthis is not a program\n";
  put(text, sizeof text - 1);
  miss_rewritten("a text file");
  const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3,
                              3,    0,    0,    0,    0, 0, 0, 0, 0, 0};
  put(gz, sizeof gz);
  miss_rewritten("a gzip file");
  const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0,
                               0,    13,  'I', 'H', 'D',  'R',  0,    0,    0, 1,
                               0,    0,   0,   1,   8,    6,    0,    0,    0};
  put(png, sizeof png);
  miss_rewritten("a PNG file");
  size_t elf_len;
  unsigned char *elf = slurp(self, &elf_len); /* this program: an ELF executable */
  if (elf) {
    put(elf, elf_len);
    miss_rewritten("an ELF executable");
    /* an ELF binary as the program binary, well framed: the driver must reject it */
    size_t len;
    unsigned char *e =
        entry((const char *)good + key_off, key_len, elf, elf_len < 65536 ? elf_len : 65536, &len);
    put(e, len);
    miss_rewritten("a framed ELF file (not a program binary) with a valid checksum");
    free(e);
  }
  free(elf);
  unsigned char *v2 = malloc(good_len);
  memcpy(v2, good, good_len);
  v2[strlen(MAGIC) - 2] = '2'; /* "CLACT-PROGRAM-CACHE 2\n": a future format */
  put(v2, good_len);
  miss_rewritten("a future format version");
  free(v2);

  /* a genuine entry of another program (relu, same folder) in the place of ours */
  char other[2200];
  snprintf(other, sizeof other, "%s", path);
  clact_context *ctx = test_context();
  EXPECT_STATUS(clact_prepare(ctx, CLACT_RELU, CLACT_F32, NULL), CLACT_SUCCESS);
  clact_context_destroy(ctx);
  DIR *d = opendir(dir);
  for (struct dirent *e; d && (e = readdir(d));) {
    size_t len = strlen(e->d_name);
    snprintf(other, sizeof other, "%s/%s", dir, e->d_name);
    if (len > 4 && strcmp(e->d_name + len - 4, ".bin") == 0 && strcmp(other, path) != 0)
      break;
  }
  if (d)
    closedir(d);
  size_t olen;
  unsigned char *o = slurp(other, &olen);
  EXPECT(o != NULL && strcmp(other, path) != 0);
  if (o) {
    put(o, olen);
    miss_rewritten("another program's entry");
  }
  free(o);
}

static void stale_keys(void) {
  size_t len;
  unsigned char *e;
  char ver[64], drv[300];
  snprintf(ver, sizeof ver, "clact %s\n", clact_version());
  e = stale(ver, "clact 0.0.9\n", &len);
  put(e, len);
  miss_rewritten("stale: another library version (same length)");
  free(e);
  e = stale(ver, "clact 0.1.0-rc.1\n", &len);
  put(e, len);
  miss_rewritten("stale: another library version (longer)");
  free(e);
  e = stale("\ndriver ", "\ndriver 0.0-old ", &len);
  put(e, len);
  miss_rewritten("stale: another driver version");
  free(e);
  snprintf(drv, sizeof drv, "\ndevice ");
  e = stale(drv, "\ndevice other-gpu ", &len);
  put(e, len);
  miss_rewritten("stale: another device");
  free(e);
  e = stale("-cl-std=CL1.2", "-cl-std=CL1.1", &len);
  put(e, len);
  miss_rewritten("stale: other build options");
  free(e);
  e = stale("\nsources ", "\nsources 0", &len);
  put(e, len);
  miss_rewritten("stale: other kernel sources");
  free(e);
  e = entry("", 0, good + bin_off, bin_len, &len);
  put(e, len);
  miss_rewritten("an empty key");
  free(e);
}

/* Absurd lengths that do not wrap the reader's arithmetic (those are --group lengths). */
static void lengths(void) {
  size_t magic = strlen(MAGIC);
  unsigned char *e = malloc(good_len);
  const uint64_t keylens[] = {0,
                              1,
                              key_len - 1,
                              key_len + 1,
                              (uint64_t)1 << 32,
                              (uint64_t)1 << 63,
                              UINT64_MAX,
                              UINT64_MAX - 7};
  const uint64_t binlens[] = {0,
                              1,
                              bin_len - 1,
                              bin_len + 1,
                              bin_len + 8,
                              (uint64_t)1 << 32,
                              (uint64_t)1 << 63,
                              UINT64_MAX - 8,
                              UINT64_MAX - 16};
  char what[96];
  for (size_t i = 0; i < sizeof keylens / sizeof keylens[0]; i++) {
    memcpy(e, good, good_len);
    memcpy(e + magic, &keylens[i], 8);
    snprintf(what, sizeof what, "key length %llu (file of %zu bytes)",
             (unsigned long long)keylens[i], good_len);
    put(e, good_len);
    miss_rewritten(what);
  }
  for (size_t i = 0; i < sizeof binlens / sizeof binlens[0]; i++) {
    memcpy(e, good, good_len);
    memcpy(e + bin_off - 8, &binlens[i], 8);
    snprintf(what, sizeof what, "binary length %llu (file of %zu bytes)",
             (unsigned long long)binlens[i], good_len);
    put(e, good_len);
    miss_rewritten(what);
  }
  free(e);
}

static void odd_files(void) {
  clear(path);
  mkdir(path, 0755);
  miss_unwritten("the entry is an empty directory");
  clear(path);
  mkdir(path, 0755);
  char inner[2300];
  snprintf(inner, sizeof inner, "%s/x.bin", path);
  FILE *f = fopen(inner, "wb");
  if (f) {
    fwrite(good, 1, good_len, f);
    fclose(f);
  }
  miss_unwritten("the entry is a directory with a file in it");
  no_leftovers("directory entry");
  clear(path);

  EXPECT(symlink("/nonexistent/clact/entry.bin", path) == 0);
  miss_rewritten("the entry is a dangling symlink");
  clear(path);
  EXPECT(symlink(path, path) == 0);
  miss_rewritten("the entry is a symlink to itself");
  clear(path);
  EXPECT(symlink("/dev/zero", path) == 0);
  miss_rewritten("the entry is a symlink to /dev/zero");
  clear(path);
  char big[2300];
  snprintf(big, sizeof big, "%s/big.file", scratch);
  f = fopen(big, "wb");
  if (f) {
    fwrite(good, 1, good_len, f);
    fclose(f);
  }
  EXPECT(truncate(big, (off_t)300 << 20) == 0); /* sparse: 300 MiB, beyond any entry */
  EXPECT(symlink(big, path) == 0);
  miss_rewritten("the entry is a symlink to a 300 MiB file");
  clear(path);
  remove(big);
  put(good, good_len);
  {
    unsigned long hits, writes;
    run("restored entry", &hits, &writes, 0);
    EXPECT(hits == 1 && writes == 0);
  }

  /* Permissions: do not hold for root (CAP_DAC_OVERRIDE), so only checked when they do. */
  put(good, good_len);
  chmod(path, 0);
  FILE *probe = fopen(path, "rb");
  if (probe) {
    fclose(probe);
    printf("note: permissions are not enforced for this user: unreadable-file and read-only "
           "folder cases skipped\n");
    chmod(path, 0644);
  } else {
    miss_rewritten("an unreadable entry");
    chmod(path, 0644);
    /* a read-only folder: a valid entry still loads; a bad one is a miss, left as it is */
    chmod(dir, 0555);
    unsigned long hits, writes;
    run("read-only folder, valid entry", &hits, &writes, 0);
    EXPECT(hits == 1 && writes == 0);
    chmod(dir, 0755);
    unsigned char *bad = malloc(good_len);
    memcpy(bad, good, good_len);
    bad[good_len / 2] ^= 0x40;
    put(bad, good_len);
    chmod(dir, 0555);
    miss_unwritten("read-only folder, corrupted entry");
    size_t len;
    unsigned char *now = slurp(path, &len);
    EXPECT(now && len == good_len && memcmp(now, bad, len) == 0);
    free(now);
    chmod(dir, 0755);
    no_leftovers("read-only folder");
    free(bad);
  }
  put(good, good_len);
}

static void odd_folders(void) {
  char file[1200], sub[1300];
  snprintf(file, sizeof file, "%s/a-file", scratch);
  FILE *f = fopen(file, "wb");
  if (f)
    fclose(f);
  setenv("CLACT_CACHE_DIR", file, 1);
  miss_unwritten("the cache folder is a regular file");
  snprintf(sub, sizeof sub, "%s/below", file);
  setenv("CLACT_CACHE_DIR", sub, 1);
  miss_unwritten("the cache folder lies under a regular file");
  remove(file);
  /* longer than PATH_MAX, in components short enough for mkdir */
  static char longdir[6000];
  int n = snprintf(longdir, sizeof longdir, "%s/long", scratch);
  while (n < 5000)
    n += snprintf(longdir + n, sizeof longdir - (size_t)n, "/%0100d", n);
  setenv("CLACT_CACHE_DIR", longdir, 1);
  miss_unwritten("a cache folder path longer than PATH_MAX");
  char top[1200];
  snprintf(top, sizeof top, "%s/long", scratch);
  struct stat st;
  if (stat(top, &st) == 0)
    printf("note: a cache folder path longer than PATH_MAX left directories under %s\n", top);
  /* They are prefixes of longdir (cut at PATH_MAX - 1): removed deepest first. */
  size_t cut = strlen(longdir) < 4095 ? strlen(longdir) : 4095;
  for (size_t end = cut; end > strlen(top); end--) {
    if (end == cut || longdir[end] == '/') {
      char c = longdir[end];
      longdir[end] = '\0';
      rmdir(longdir);
      longdir[end] = c;
    }
  }
  rmdir(top);
  setenv("CLACT_CACHE_DIR", dir, 1);
}

/* ---- --group lengths: cases run one per process ----------------------------------------- */
/* The file ends `rest` bytes after a binary length of 2^64 - (8 - rest): binlen + 8 wraps to
 * `rest`, so a reader that checks `remaining < binlen + 8` accepts it. */
static void wrap_case(size_t rest) {
  size_t len = bin_off + rest;
  unsigned char *e = malloc(len);
  memcpy(e, good, bin_off);
  uint64_t bl = UINT64_MAX - 7 + rest;
  memcpy(e + bin_off - 8, &bl, 8);
  memset(e + bin_off, 0xAB, rest);
  put(e, len);
  free(e);
  char what[96];
  snprintf(what, sizeof what, "binary length 2^64-%zu with %zu bytes after it", 8 - rest, rest);
  miss_rewritten(what);
}

static int one_case(const char *name) {
  setup(name);
  alarm(10); /* a case that blocks is killed and reported (a good run takes < 1 s) */
  if (strcmp(name, "wrap0") == 0)
    wrap_case(0);
  else if (strcmp(name, "wrap7") == 0)
    wrap_case(7);
  else if (strcmp(name, "fifo") == 0) {
    clear(path);
    EXPECT(mkfifo(path, 0644) == 0);
    miss_rewritten("the entry is a FIFO"); /* not read (it would block); renamed over */
  } else {
    fprintf(stderr, "unknown case %s\n", name);
    return 2;
  }
  alarm(0);
  clear(dir);
  return test_result();
}

static int group_lengths(const char *self, const char *arg) {
  const char *names[] = {"wrap0", "wrap7", "fifo"};
  int failed = 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char *args[] = {(char *)self, (char *)arg, "--case", (char *)names[i], NULL};
    pid_t pid;
    int status = 0;
    if (posix_spawn(&pid, self, NULL, NULL, args, environ) != 0 || waitpid(pid, &status, 0) < 0) {
      fprintf(stderr, "cannot run case %s\n", names[i]);
      return 1;
    }
    char left[1200];
    snprintf(left, sizeof left, "%s/cache-%s-%ld", arg, names[i], (long)pid);
    clear(left); /* what a crashed case left behind */
    if (WIFSIGNALED(status)) {
      fprintf(stderr, "case %s: killed by signal %d (%s)\n", names[i], WTERMSIG(status),
              WTERMSIG(status) == SIGALRM ? "blocked for 10 s" : "crashed");
      failed++;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fprintf(stderr, "case %s: failed (exit %d)\n", names[i], WEXITSTATUS(status));
      failed++;
    } else {
      printf("case %s: a miss, as it should be\n", names[i]);
    }
  }
  return failed ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_cache_abuse SCRATCH_DIR [--group lengths | --case NAME]\n");
    return 2;
  }
  mkdir(argv[1], 0755);
  snprintf(scratch, sizeof scratch, "%s", argv[1]);
  if (argc == 4 && strcmp(argv[2], "--case") == 0)
    return one_case(argv[3]);
  if (argc == 4 && strcmp(argv[2], "--group") == 0 && strcmp(argv[3], "lengths") == 0)
    return group_lengths(argv[0], argv[1]);
  if (argc != 2) {
    fprintf(stderr, "usage: test_cache_abuse SCRATCH_DIR [--group lengths | --case NAME]\n");
    return 2;
  }
  setup("abuse");
  truncations();
  foreign(argv[0]);
  stale_keys();
  lengths();
  odd_files();
  odd_folders();
  no_leftovers("all cases");
  if (test_failures == 0)
    clear(dir);
  free(good);
  return test_result();
}
