/* tests/test_threads.c: one clact_context used from many host threads at once (pthreads: C11
 * thrd_create is invisible to ThreadSanitizer), and the program
 * cache shared by concurrent builders.
 *
 * 1. The expected result of every call of a job list (relu, brelu, gelu, sigmoid, softplus with
 *    default and given parameters, leaky_relu; forward, backward, backward from y; f32, f16,
 *    bf16; sizes from 1 to 2^16+3; element offsets; in place) is computed first, one call at a
 *    time, on a separate context with the disk cache off.
 * 2. Eight threads then run the job list several times each, in different orders, on their own
 *    buffers: four on one library-owned context (its queue), two on each of two contexts that
 *    wrap the SAME cl_context with their own command queues (clact_context_wrap). They start
 *    together behind a barrier, so the first calls race on the lazy program builds of each
 *    context and on writing the same disk-cache entries (one fresh CLACT_CACHE_DIR for all
 *    three). One thread switches the vector width of a wrapping context back and forth while
 *    others use it; one waits on events. Outputs are poisoned before every call (with another
 *    pattern than in step 1, so an element left unwritten cannot match); every result must be
 *    bit-identical to step 1, and everything outside the call's range must still be poison.
 * 3. The cache folder holds complete entries only (no temporary files left) and a new context
 *    loads every program from it, computing the same bits.
 * 4. Several processes (this program with --child) start at once on another fresh cache
 *    folder: each builds and runs the job list; outputs must match step 1, and the folder is
 *    checked as in step 3.
 * White-box: reads the contexts' cache hit/write counters (host/internal.h).
 * Usage: test_threads SCRATCH_DIR   (test_threads --child CACHE_DIR OUT_FILE: step 4's worker) */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "test_util.h"

#include <dirent.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <pthread.h>
#include <unistd.h>

extern char **environ;

#define NTHREADS 8
#define ROUNDS 3
#define NCHILDREN 3
#define TAIL 16 /* elements after the call's range that must keep the poison */
#define MAXN 65539u
#define MAXOFF 17u
#define BUF_ELEMS (MAXN + MAXOFF + TAIL + 32u)
#define BUF_BYTES ((size_t)BUF_ELEMS * 4u) /* room for the widest dtype: f32 */
#define POISON_REF 0x5Au                   /* step 1's poison byte */
#define POISON 0xA5u                       /* the threads' poison byte */

/* ---- the job list ----------------------------------------------------------------------- */
typedef struct job {
  clact_activation act;
  clact_params params;
  clact_direction dir;
  clact_dtype dtype;
  size_t n, off0, off1, offo;
  int custom;               /* parameters other than the defaults: a second program where the
                               kernel specialises its defaults (CLACT_DEFAULT_PARAMS) */
  int in_place;             /* output = input 0 (same buffer, same offset) */
  unsigned char *in0, *in1; /* (offset + n) elements each */
  unsigned char *want;      /* n elements: the result of step 1 */
  size_t es;                /* element size */
} job;

static job jobs[512];
static size_t njobs;

static uint32_t lcg(uint64_t *s) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(*s >> 32);
}

/* Inputs: moderate values with specials (zeros, infinities, NaN, subnormals) among them. */
static void gen(clact_dtype dtype, unsigned char *dst, size_t count, uint64_t seed) {
  uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t i = 0; i < count; i++) {
    uint32_t r = lcg(&s);
    if (dtype == CLACT_F32) {
      static const uint32_t specials[] = {0x00000000u, 0x80000000u, 0x7F800000u, 0xFF800000u,
                                          0x7FC00000u, 0x00000001u, 0x80400000u, 0x7F7FFFFFu};
      float f = (float)((double)(r % 2000001u) / 100000.0 - 10.0);
      uint32_t bits = i % 61 == 7 ? specials[(i / 61) % 8] : test_bits(f);
      memcpy(dst + 4 * i, &bits, 4);
    } else {
      static const uint16_t h_specials[] = {0x0000u, 0x8000u, 0x7C00u, 0xFC00u,
                                            0x7E00u, 0x0001u, 0x8200u, 0x7BFFu};
      static const uint16_t b_specials[] = {0x0000u, 0x8000u, 0x7F80u, 0xFF80u,
                                            0x7FC0u, 0x0001u, 0x8040u, 0x7F7Fu};
      uint16_t h;
      if (i % 61 == 7)
        h = dtype == CLACT_F16 ? h_specials[(i / 61) % 8] : b_specials[(i / 61) % 8];
      else if (dtype == CLACT_F16) /* |x| < 32: exponent field 0..19 */
        h = (uint16_t)((r & 0x8000u) | (((r >> 16) % 20u) << 10) | (r & 0x3FFu));
      else /* bf16: the top half of a float in [-10, 10] */
        h = (uint16_t)(test_bits((float)((double)(r % 2000001u) / 100000.0 - 10.0)) >> 16);
      memcpy(dst + 2 * i, &h, 2);
    }
  }
}

static void add_job(clact_activation act, const char *pn, double pv, const char *pn2, double pv2,
                    clact_direction dir, clact_dtype dtype) {
  static const size_t sizes[] = {1, 3, 7, 93, 256, 1000, 4099, 20000, MAXN};
  static const size_t offs[] = {0, 1, 5, MAXOFF, 3};
  size_t k = njobs;
  job *j = &jobs[njobs++];
  memset(j, 0, sizeof *j);
  j->act = act;
  j->params = clact_params_default();
  j->custom = pn != NULL;
  if (pn)
    EXPECT_STATUS(clact_params_set(act, &j->params, pn, pv), CLACT_SUCCESS);
  if (pn2)
    EXPECT_STATUS(clact_params_set(act, &j->params, pn2, pv2), CLACT_SUCCESS);
  j->dir = dir;
  j->dtype = dtype;
  j->es = clact_dtype_size(dtype);
  j->n = sizes[(k * 5 + 2) % 9];
  j->off0 = offs[k % 5];
  j->off1 = offs[(k + 2) % 5];
  j->offo = offs[(k + 4) % 5];
  j->in_place = dir != CLACT_BACKWARD_FROM_Y && k % 7 == 3;
  if (j->in_place)
    j->offo = j->off0;
  j->in0 = malloc((j->off0 + j->n) * j->es);
  j->in1 = malloc((j->off1 + j->n) * j->es);
  j->want = malloc(j->n * j->es);
  if (!j->in0 || !j->in1 || !j->want) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  gen(dtype, j->in0, j->off0 + j->n, 2 * k + 1);
  gen(dtype, j->in1, j->off1 + j->n, 2 * k + 2);
}

static void make_jobs(void) {
  static const clact_dtype dtypes[] = {CLACT_F32, CLACT_F16, CLACT_BF16};
  for (int d = 0; d < 3; d++) {
    for (int dir = 0; dir < CLACT_DIRECTION_COUNT; dir++) {
      clact_direction di = (clact_direction)dir;
      add_job(CLACT_RELU, NULL, 0, NULL, 0, di, dtypes[d]);
      add_job(CLACT_BRELU, NULL, 0, NULL, 0, di, dtypes[d]);
      add_job(CLACT_SIGMOID, NULL, 0, NULL, 0, di, dtypes[d]);
      add_job(CLACT_SOFTPLUS, NULL, 0, NULL, 0, di, dtypes[d]);
      add_job(CLACT_SOFTPLUS, "beta", 2.5, "threshold", 7.0, di, dtypes[d]);
      if (di != CLACT_BACKWARD_FROM_Y)
        add_job(CLACT_GELU, NULL, 0, NULL, 0, di, dtypes[d]);
    }
  }
}

/* ---- running one job -------------------------------------------------------------------- */
typedef struct bufs {
  cl_mem in0, in1, out;
  unsigned char *host; /* BUF_BYTES */
} bufs;

static int make_bufs(cl_context c, bufs *b) {
  cl_int e0, e1, e2;
  b->in0 = clCreateBuffer(c, CL_MEM_READ_WRITE, BUF_BYTES, NULL, &e0);
  b->in1 = clCreateBuffer(c, CL_MEM_READ_WRITE, BUF_BYTES, NULL, &e1);
  b->out = clCreateBuffer(c, CL_MEM_READ_WRITE, BUF_BYTES, NULL, &e2);
  b->host = malloc(BUF_BYTES);
  return e0 == CL_SUCCESS && e1 == CL_SUCCESS && e2 == CL_SUCCESS && b->host;
}

static void free_bufs(bufs *b) {
  clReleaseMemObject(b->in0);
  clReleaseMemObject(b->in1);
  clReleaseMemObject(b->out);
  free(b->host);
}

/* Poisons the output, uploads the inputs, runs the job on `c` (waiting on its event when
 * `use_event`), reads back the output buffer up to TAIL elements after the range into
 * b->host. Returns the first failing status (library or OpenCL). */
static clact_status run_job(clact_context *c, const job *j, bufs *b, unsigned char poison,
                            int use_event) {
  cl_command_queue q = clact_context_queue(c);
  cl_mem out = j->in_place ? b->in0 : b->out;
  cl_uint pattern = poison * 0x01010101u;
  cl_int err = clEnqueueFillBuffer(q, out, &pattern, sizeof pattern, 0, BUF_BYTES, 0, NULL, NULL);
  if (err == CL_SUCCESS && j->in_place)
    err = clEnqueueWriteBuffer(q, b->in0, CL_FALSE, j->off0 * j->es, j->n * j->es,
                               j->in0 + j->off0 * j->es, 0, NULL, NULL);
  else if (err == CL_SUCCESS)
    err = clEnqueueWriteBuffer(q, b->in0, CL_FALSE, 0, (j->off0 + j->n) * j->es, j->in0, 0, NULL,
                               NULL);
  if (err == CL_SUCCESS && j->dir != CLACT_FORWARD)
    err = clEnqueueWriteBuffer(q, b->in1, CL_FALSE, 0, (j->off1 + j->n) * j->es, j->in1, 0, NULL,
                               NULL);
  if (err != CL_SUCCESS)
    return (clact_status)err;
  cl_event ev = NULL;
  cl_event *evp = use_event ? &ev : NULL;
  clact_status st;
  switch (j->dir) {
  case CLACT_FORWARD:
    st = clact_forward(c, j->act, j->dtype, &j->params, j->n, b->in0, j->off0, out, j->offo, evp);
    break;
  case CLACT_BACKWARD:
    st = clact_backward(c, j->act, j->dtype, &j->params, j->n, b->in0, j->off0, b->in1, j->off1,
                        out, j->offo, evp);
    break;
  default:
    st = clact_backward_from_y(c, j->act, j->dtype, &j->params, j->n, b->in0, j->off0, b->in1,
                               j->off1, out, j->offo, evp);
    break;
  }
  if (st != CLACT_SUCCESS)
    return st;
  if (ev) {
    err = clWaitForEvents(1, &ev);
    cl_int done = 0;
    if (err == CL_SUCCESS)
      err = clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof done, &done, NULL);
    if (err == CL_SUCCESS && done != CL_COMPLETE)
      err = CL_INVALID_EVENT;
    clReleaseEvent(ev);
    if (err != CL_SUCCESS)
      return (clact_status)err;
  }
  size_t bytes = (j->offo + j->n + TAIL) * j->es;
  return (clact_status)clEnqueueReadBuffer(q, out, CL_TRUE, 0, bytes, b->host, 0, NULL, NULL);
}

/* Whether b->host holds poison outside the call's range (and, when `want`, the expected bits
 * inside it). Describes the first difference into `msg`. */
static int verify(const job *j, const unsigned char *host, unsigned char poison, int want,
                  char *msg, size_t size) {
  size_t lo = j->offo * j->es, hi = (j->offo + j->n) * j->es, end = hi + TAIL * j->es;
  for (size_t i = 0; i < end; i++) {
    if (i >= lo && i < hi) {
      if (want && host[i] != j->want[i - lo]) {
        size_t e = (i - lo) / j->es;
        snprintf(msg, size, "element %zu of %zu differs (byte %zu: 0x%02x, expected 0x%02x)", e,
                 j->n, i - lo, host[i], j->want[i - lo]);
        return 0;
      }
    } else if (host[i] != poison) {
      snprintf(msg, size, "byte %zu outside the range [%zu, %zu) was written (0x%02x)", i, lo, hi,
               host[i]);
      return 0;
    }
  }
  return 1;
}

static void describe(const job *j, char *buf, size_t size) {
  snprintf(buf, size, "%s %s %s n=%zu offs=%zu/%zu/%zu%s%s", clact_name(j->act),
           clact_direction_name(j->dir), clact_dtype_name(j->dtype), j->n, j->off0, j->off1,
           j->offo, j->in_place ? " in place" : "", j->params.set ? " (params)" : "");
}

/* Step 1: every job once, on a context of its own, one call at a time. */
static void expected_results(void) {
  setenv("CLACT_CACHE", "off", 1);
  clact_context *ref = test_context();
  setenv("CLACT_CACHE", "on", 1); /* off by default on PoCL (host/context.c) */
  bufs b;
  if (!make_bufs(clact_context_cl(ref), &b)) {
    fprintf(stderr, "cannot allocate buffers\n");
    exit(1);
  }
  for (size_t k = 0; k < njobs; k++) {
    job *j = &jobs[k];
    char what[160], msg[160];
    describe(j, what, sizeof what);
    clact_status st = run_job(ref, j, &b, POISON_REF, 0);
    if (st != CLACT_SUCCESS) {
      fprintf(stderr, "reference run of %s: %s\n", what, clact_status_string(st));
      exit(1);
    }
    if (!verify(j, b.host, POISON_REF, 0, msg, sizeof msg)) {
      fprintf(stderr, "reference run of %s: %s\n", what, msg);
      test_failures++;
    }
    memcpy(j->want, b.host + j->offo * j->es, j->n * j->es);
  }
  free_bufs(&b);
  clact_context_destroy(ref);
}

/* Runs every job once on `c` and compares with the expected bits; returns the failure count. */
static int all_jobs_once(clact_context *c, const char *who) {
  bufs b;
  if (!make_bufs(clact_context_cl(c), &b)) {
    fprintf(stderr, "cannot allocate buffers\n");
    exit(1);
  }
  int failures = 0;
  for (size_t k = 0; k < njobs; k++) {
    char what[160], msg[160] = "";
    clact_status st = run_job(c, &jobs[k], &b, POISON, 0);
    if (st != CLACT_SUCCESS || !verify(&jobs[k], b.host, POISON, 1, msg, sizeof msg)) {
      describe(&jobs[k], what, sizeof what);
      fprintf(stderr, "%s: %s: %s\n", who, what,
              st != CLACT_SUCCESS ? clact_status_string(st) : msg);
      failures++;
    }
  }
  free_bufs(&b);
  return failures;
}

/* ---- step 2: the threads ---------------------------------------------------------------- */
typedef struct barrier {
  pthread_mutex_t m;
  pthread_cond_t c;
  int waiting, total;
} barrier;

static barrier start;

static void barrier_wait(barrier *b) {
  pthread_mutex_lock(&b->m);
  if (++b->waiting == b->total)
    pthread_cond_broadcast(&b->c);
  else
    while (b->waiting < b->total)
      pthread_cond_wait(&b->c, &b->m);
  pthread_mutex_unlock(&b->m);
}

typedef struct worker {
  int id;
  clact_context *c;
  const char *ctx_name;
  int use_events;   /* pass an event and wait on it */
  int toggle_width; /* switch c's vector width between 1 and automatic every few calls */
  int query_width;  /* read c's vector width while another thread switches it */
  unsigned auto_width;
  int prepare; /* start with clact_prepare (racing the others' first calls) */
  bufs b;
  int failures;
  long calls;
} worker;

static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int stop_printing;

static void *worker_main(void *arg) {
  worker *w = arg;
  barrier_wait(&start);
  if (w->prepare) {
    clact_status st = clact_prepare(w->c, CLACT_GELU, CLACT_BF16, NULL);
    if (st != CLACT_SUCCESS) {
      fprintf(stderr, "thread %d: clact_prepare: %s\n", w->id, clact_status_string(st));
      w->failures++;
    }
  }
  /* Even threads start with job 0 (the same program, built by whoever comes first); odd ones
   * start apart. Each visits the list in its own stride order. */
  size_t first = w->id % 2 == 0 ? 0 : (size_t)w->id * 7 % njobs;
  static const size_t strides[] = {1, 5, 7, 11, 13, 17, 19, 23};
  size_t stride = strides[w->id % 8];
  while (njobs % stride == 0)
    stride += 2;
  for (int r = 0; r < ROUNDS; r++) {
    for (size_t i = 0; i < njobs; i++) {
      const job *j = &jobs[(first + i * stride + (size_t)r) % njobs];
      if (w->toggle_width && w->calls % 5 == 0) {
        clact_status st = clact_context_set_vector_width(w->c, w->calls % 10 == 0 ? 1 : 0);
        if (st != CLACT_SUCCESS)
          w->failures++;
      }
      if (w->query_width) {
        unsigned vw = clact_context_vector_width(w->c);
        if (vw != 1 && vw != w->auto_width)
          w->failures++;
      }
      char msg[160] = "";
      clact_status st = run_job(w->c, j, &w->b, POISON, w->use_events && i % 2 == 0);
      w->calls++;
      if (st == CLACT_SUCCESS && verify(j, w->b.host, POISON, 1, msg, sizeof msg))
        continue;
      w->failures++;
      if (atomic_fetch_add(&stop_printing, 1) < 20) {
        char what[160];
        describe(j, what, sizeof what);
        pthread_mutex_lock(&print_lock);
        fprintf(stderr, "thread %d (%s): %s: %s\n", w->id, w->ctx_name, what,
                st != CLACT_SUCCESS ? clact_status_string(st) : msg);
        pthread_mutex_unlock(&print_lock);
      }
    }
  }
  return NULL;
}

/* Counts the cache folder's entries (*.bin) and leftovers (anything else). */
static void scan_cache(const char *dir, int *entries, int *others) {
  *entries = *others = 0;
  DIR *d = opendir(dir);
  for (struct dirent *e; d && (e = readdir(d));) {
    size_t len = strlen(e->d_name);
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (len > 4 && strcmp(e->d_name + len - 4, ".bin") == 0 && !strstr(e->d_name, "tmp"))
      (*entries)++;
    else
      (*others)++;
  }
  if (d)
    closedir(d);
}

/* Removes a folder and the files in it. */
static void remove_files(const char *dir) {
  DIR *d = opendir(dir);
  char path[2200];
  for (struct dirent *e; d && (e = readdir(d));) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      remove(path);
    }
  }
  if (d)
    closedir(d);
  remove(dir);
}

/* The programs the job list needs on one context at the automatic width: one per activation and
 * dtype, and a second where a job gives other parameters than the defaults. Every such job in the
 * list is softplus, whose kernel builds its defaults as a program of their own (unit/default_params
 * checks which kernels do). */
static int distinct_programs(void) {
  int seen[CLACT_ACTIVATION_COUNT][CLACT_DTYPE_COUNT][2] = {{{0}}};
  int count = 0;
  for (size_t k = 0; k < njobs; k++)
    if (!seen[jobs[k].act][jobs[k].dtype][jobs[k].custom]++)
      count++;
  return count;
}

/* The element-wise programs a context holds. */
static unsigned long held_programs(const clact_context *c) {
  unsigned long count = 0;
  for (int s = 0; s < CLACT_SLOT_COUNT; s++)
    for (int d = 0; d < CLACT_DTYPE_COUNT; d++)
      for (int w = 0; w < CLACT_WIDTH_COUNT; w++)
        for (int v = 0; v < CLACT_PROGRAM_VARIANTS; v++)
          count += c->programs[s][d][w][v].program != NULL;
  return count;
}

/* Step 3 (and 4's end): complete entries only, all of them loaded by a new context, same bits. */
static void check_cache_folder(const char *dir, const char *who) {
  int entries, others;
  scan_cache(dir, &entries, &others);
  printf("%s: cache folder holds %d entries, %d other files\n", who, entries, others);
  EXPECT(others == 0);
  EXPECT(entries >= distinct_programs());
  setenv("CLACT_CACHE_DIR", dir, 1);
  clact_context *c = test_context();
  int failures = all_jobs_once(c, who);
  printf("%s: a new context loaded %lu programs from the cache, wrote %lu\n", who, c->cache_hits,
         c->cache_writes);
  EXPECT(failures == 0);
  EXPECT(c->cache_hits == (unsigned long)distinct_programs());
  EXPECT(c->cache_hits == held_programs(c)); /* every program it holds came from the cache */
  EXPECT(c->cache_writes == 0);
  clact_context_destroy(c);
}

static void threads_on_shared_contexts(const char *cache_dir) {
  setenv("CLACT_CACHE_DIR", cache_dir, 1);
  clact_context *owned = test_context();
  cl_context clc = clact_context_cl(owned);
  cl_device_id dev = clact_context_device(owned);
  cl_int err;
  cl_command_queue q1 = clCreateCommandQueue(clc, dev, 0, &err);
  EXPECT(err == CL_SUCCESS);
  cl_command_queue q2 = clCreateCommandQueue(clc, dev, CL_QUEUE_PROFILING_ENABLE, &err);
  EXPECT(err == CL_SUCCESS);
  clact_context *w1 = NULL, *w2 = NULL;
  EXPECT_STATUS(clact_context_wrap(&w1, clc, q1), CLACT_SUCCESS);
  EXPECT_STATUS(clact_context_wrap(&w2, clc, q2), CLACT_SUCCESS);
  clReleaseCommandQueue(q1); /* the wrappers hold their own references */
  clReleaseCommandQueue(q2);
  if (!w1 || !w2)
    exit(test_result());

  static worker ws[NTHREADS];
  pthread_t th[NTHREADS];
  pthread_mutex_init(&start.m, NULL);
  pthread_cond_init(&start.c, NULL);
  start.total = NTHREADS;
  for (int t = 0; t < NTHREADS; t++) {
    worker *w = &ws[t];
    memset(w, 0, sizeof *w);
    w->id = t;
    w->c = t < 4 ? owned : t < 6 ? w1 : w2;
    w->ctx_name = t < 4 ? "owned" : t < 6 ? "wrap 1" : "wrap 2";
    w->use_events = t == 1 || t == 5;
    w->prepare = t == 3 || t == 4;
    w->toggle_width = t == 6;
    w->query_width = t == 7;
    w->auto_width = clact_context_vector_width(w->c);
    if (!make_bufs(clc, &w->b)) {
      fprintf(stderr, "cannot allocate buffers\n");
      exit(1);
    }
  }
  for (int t = 0; t < NTHREADS; t++)
    if (pthread_create(&th[t], NULL, worker_main, &ws[t]) != 0) {
      fprintf(stderr, "cannot start thread %d\n", t);
      exit(1);
    }
  long calls = 0;
  int failures = 0;
  for (int t = 0; t < NTHREADS; t++) {
    pthread_join(th[t], NULL);
    calls += ws[t].calls;
    failures += ws[t].failures;
    free_bufs(&ws[t].b);
  }
  printf("threads: %d threads, %ld calls on 3 contexts sharing one cl_context, %d failures\n",
         NTHREADS, calls, failures);
  printf("threads: cache hits/writes: owned %lu/%lu, wrap 1 %lu/%lu, wrap 2 %lu/%lu\n",
         owned->cache_hits, owned->cache_writes, w1->cache_hits, w1->cache_writes, w2->cache_hits,
         w2->cache_writes);
  test_failures += failures;
  pthread_cond_destroy(&start.c);
  pthread_mutex_destroy(&start.m);
  clact_context_destroy(w2);
  clact_context_destroy(w1);
  clact_context_destroy(owned);
}

/* ---- step 4: processes ------------------------------------------------------------------ */
static int child_main(const char *cache_dir, const char *out_file) {
  setenv("CLACT_CACHE_DIR", cache_dir, 1);
  make_jobs();
  clact_context *c = test_context();
  bufs b;
  FILE *f = fopen(out_file, "wb");
  if (!f || !make_bufs(clact_context_cl(c), &b)) {
    fprintf(stderr, "child: cannot open %s or allocate buffers\n", out_file);
    return 1;
  }
  for (size_t k = 0; k < njobs; k++) {
    job *j = &jobs[k];
    clact_status st = run_job(c, j, &b, POISON, 0);
    if (st != CLACT_SUCCESS) {
      fprintf(stderr, "child: %s\n", clact_status_string(st));
      return 1;
    }
    fwrite(b.host + j->offo * j->es, j->es, j->n, f);
  }
  printf("child %ld: cache hits %lu, writes %lu\n", (long)getpid(), c->cache_hits, c->cache_writes);
  free_bufs(&b);
  clact_context_destroy(c);
  return fclose(f) == 0 ? 0 : 1;
}

static void processes_on_one_cache(const char *self, const char *scratch, const char *cache_dir) {
  setenv("CLACT_CACHE_DIR", cache_dir, 1);
  pid_t pids[NCHILDREN];
  char outs[NCHILDREN][1100];
  for (int i = 0; i < NCHILDREN; i++) {
    snprintf(outs[i], sizeof outs[i], "%s/child-%d.out", scratch, i);
    char *args[] = {(char *)self, "--child", (char *)cache_dir, outs[i], NULL};
    if (posix_spawn(&pids[i], self, NULL, NULL, args, environ) != 0) {
      fprintf(stderr, "cannot start %s\n", self);
      exit(1);
    }
  }
  for (int i = 0; i < NCHILDREN; i++) {
    int status = 0;
    waitpid(pids[i], &status, 0);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    FILE *f = fopen(outs[i], "rb");
    int same = f != NULL;
    for (size_t k = 0; k < njobs && same; k++) {
      const job *j = &jobs[k];
      unsigned char *got = malloc(j->n * j->es);
      same = got && fread(got, j->es, j->n, f) == j->n && memcmp(got, j->want, j->n * j->es) == 0;
      if (!same) {
        char what[160];
        describe(j, what, sizeof what);
        fprintf(stderr, "child %d: %s differs from the single-threaded result\n", i, what);
      }
      free(got);
    }
    if (f)
      fclose(f);
    EXPECT(same);
    remove(outs[i]);
  }
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "--child") == 0)
    return child_main(argv[2], argv[3]);
  if (argc != 2) {
    fprintf(stderr, "usage: test_threads SCRATCH_DIR\n");
    return 2;
  }
  setenv("CLACT_CACHE", "on", 1);
  unsetenv("CLACT_KERNEL_DIR");
  mkdir(argv[1], 0755);
  char scratch[1024], dir1[1100], dir2[1100];
  snprintf(scratch, sizeof scratch, "%s/run-%ld", argv[1], (long)getpid());
  mkdir(scratch, 0755);
  snprintf(dir1, sizeof dir1, "%s/cache-threads", scratch);
  snprintf(dir2, sizeof dir2, "%s/cache-processes", scratch);

  make_jobs();
  printf("%zu jobs, %d distinct programs per context\n", njobs, distinct_programs());
  expected_results();
  threads_on_shared_contexts(dir1);
  check_cache_folder(dir1, "threads");
  processes_on_one_cache(argv[0], scratch, dir2);
  check_cache_folder(dir2, "processes");

  if (test_failures == 0) { /* keep the evidence of a failure, else leave nothing behind */
    remove_files(dir1);
    remove_files(dir2);
    remove(scratch);
  }
  for (size_t k = 0; k < njobs; k++) {
    free(jobs[k].in0);
    free(jobs[k].in1);
    free(jobs[k].want);
  }
  return test_result();
}
