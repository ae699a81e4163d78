/* tests/fault/test_fault.c: device-side failures. Every public entry point that talks to the
 * device is run with the fault layer (fault.h) failing, in turn, each OpenCL call it makes -
 * every call index of every wrapped function - with the errors a driver gives under pressure
 * or after losing the device (CL_OUT_OF_RESOURCES, CL_MEM_OBJECT_ALLOCATION_FAILURE,
 * CL_OUT_OF_HOST_MEMORY, CL_DEVICE_NOT_AVAILABLE, CL_INVALID_COMMAND_QUEUE, a real compiler
 * failure, ...). Each run asserts:
 * - the exact status: the OpenCL error passed through (clSetKernelArg: CL_INVALID_KERNEL_ARGS;
 *   a build failure: CLACT_ERROR_BUILD_FAILED with the compiler's log in clact_build_log());
 *   only clGetDeviceInfo may be absorbed (optional queries), and then the call must succeed;
 * - nothing returned that the caller would have to release (context, event) on failure;
 * - the outputs untouched: every failure comes before the first kernel is enqueued, except
 *   that of the second kernel of a backward with dbias (db after dx);
 * - the context usable afterwards: the same call again gives the results of a run without
 *   faults, bit for bit;
 * - no OpenCL object leaked (the layer counts them; host memory is the sanitizers' job: the
 *   test is labelled unit, so the ASan stage of CI runs it).
 * Then the program cache: a failure while loading a cached binary is a miss (success, built
 * from source). Then an allocation beyond CL_DEVICE_MAX_MEM_ALLOC_SIZE through clact_check.
 *
 * Usage: test_fault [--all-errors] [--only SCENARIO-INDEX | --part K/N] CACHE_DIR. --part K/N walks
 * the scenarios whose index is K modulo N, and only part 0 runs the cache and allocation checks:
 * CTest runs the parts as separate tests, in parallel. By default each (function,
 * index) is failed with one error of its list, rotating, and the first and last index with every
 * error; --all-errors tries every error everywhere. clact_check's layout checks (hundreds of
 * calls repeating a few steps) are sampled: the first, a middle and the last call of each
 * function, one error each. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "fault.h"
#include "test_util.h"

#include <stdint.h>

#define N 1000 /* not a multiple of any vector width: the tail path runs */
#define CH 10
#define INNER 5

typedef enum scenario {
  S_CONTEXT,
  S_PREPARE,
  S_FORWARD,
  S_BACKWARD,
  S_FROM_Y,
  S_FORWARD_EX,
  S_BACKWARD_EX,
  S_FROM_Y_EX,
  S_COPY,
  S_ROWS_FWD,
  S_ROWS_BWD,
  S_CH_FWD,
  S_CH_BWD,
  S_HOST_FWD,
  S_CHECK_FWD,
  S_CHECK_FWD_BF16,
  S_CHECK_LAYOUT,
  S_COUNT
} scenario;

static const char *const scenario_names[S_COUNT] = {
    "clact_context_create",
    "clact_prepare",
    "clact_forward",
    "clact_backward",
    "clact_backward_from_y",
    "clact_forward_ex (blend, bias)",
    "clact_backward_ex (blend, bias, dbias)",
    "clact_backward_from_y_ex (dbias)",
    "clact_copy",
    "clact_rows_forward (softmax)",
    "clact_rows_backward (swiglu)",
    "clact_channel_forward (prelu)",
    "clact_channel_backward (prelu, dx and the reduced dw)",
    "clact_forward_host (host arrays; the output may be partly written on a device error)",
    "clact_check (forward f32)",
    "clact_check (forward bf16)",
    "clact_check (forward f32, layout checks; sampled)"};

typedef struct fixture {
  clact_context *ctx;
  cl_mem x, dy, out, bias, db;
  cl_event ev;
} fixture;

static float hx[N], hdy[N], hbias[CH], init_out[N], init_db[CH];
static float base_out[S_COUNT][N], base_db[S_COUNT][CH];
static int all_errors;
static unsigned long runs, absorbed;

static int has_outputs(scenario s) {
  return s >= S_FORWARD && s <= S_CH_BWD;
}

static int has_db(scenario s) {
  return s == S_BACKWARD_EX || s == S_FROM_Y_EX || s == S_CH_BWD;
}

static cl_mem buffer(cl_context c, size_t n, const float *init) {
  cl_int err;
  cl_mem m = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * sizeof(float),
                            (void *)init, &err);
  if (err != CL_SUCCESS) {
    fprintf(stderr, "clCreateBuffer: %d\n", err);
    exit(1);
  }
  return m;
}

static void setup_buffers(fixture *f) {
  cl_context c = clact_context_cl(f->ctx);
  f->x = buffer(c, N, hx);
  f->dy = buffer(c, N, hdy);
  f->out = buffer(c, N, init_out);
  f->bias = buffer(c, CH, hbias);
  f->db = buffer(c, CH, init_db);
}

static void setup(fixture *f, scenario s) {
  memset(f, 0, sizeof *f);
  if (s == S_CONTEXT)
    return;
  f->ctx = test_context();
  setup_buffers(f);
}

static void teardown(fixture *f) {
  if (f->ev)
    clReleaseEvent(f->ev);
  if (f->ctx)
    clFinish(clact_context_queue(f->ctx));
  cl_mem *m[] = {&f->x, &f->dy, &f->out, &f->bias, &f->db};
  for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
    if (*m[i])
      clReleaseMemObject(*m[i]);
  clact_context_destroy(f->ctx);
  memset(f, 0, sizeof *f);
}

/* The call under test. */
static clact_status run(fixture *f, scenario s) {
  clact_call call = {0};
  call.blend = 1;
  call.alpha = 0.75;
  call.beta = 0.5;
  call.bias = f->bias;
  call.channels = CH;
  call.inner = INNER;
  clact_check_options o = {0};
  clact_check_result r;
  o.sweep_stride = 1u << 26; /* 64 inputs */
  o.random_count = 50;
  o.chunk = 40; /* several launches */
  o.no_edges = 1;
  o.no_layout = 1;
  o.no_param_sets = 1;
  switch (s) {
  case S_CONTEXT:
    return clact_context_create(&f->ctx, NULL);
  case S_PREPARE:
    return clact_prepare(f->ctx, CLACT_TANH, CLACT_F32, NULL);
  case S_FORWARD:
    return clact_forward(f->ctx, CLACT_GELU, CLACT_F32, NULL, N, f->x, 0, f->out, 0, &f->ev);
  case S_BACKWARD:
    return clact_backward(f->ctx, CLACT_GELU, CLACT_F32, NULL, N, f->x, 0, f->dy, 0, f->out, 0,
                          &f->ev);
  case S_FROM_Y:
    return clact_backward_from_y(f->ctx, CLACT_SIGMOID, CLACT_F32, NULL, N, f->x, 0, f->dy, 0,
                                 f->out, 0, &f->ev);
  case S_FORWARD_EX:
    return clact_forward_ex(f->ctx, CLACT_SILU, CLACT_F32, NULL, &call, N, f->x, 0, f->out, 0,
                            &f->ev);
  case S_BACKWARD_EX:
    call.dbias = f->db;
    return clact_backward_ex(f->ctx, CLACT_SILU, CLACT_F32, NULL, &call, N, f->x, 0, f->dy, 0,
                             f->out, 0, &f->ev);
  case S_FROM_Y_EX:
    call.blend = 0;
    call.dbias = f->db;
    return clact_backward_from_y_ex(f->ctx, CLACT_TANH, CLACT_F32, NULL, &call, N, f->x, 0, f->dy,
                                    0, f->out, 0, &f->ev);
  case S_COPY:
    return clact_copy(f->ctx, CLACT_F32, N, f->x, 0, f->out, 0, &f->ev);
  case S_ROWS_FWD: { /* 10 rows of 100 */
    clact_tensor tx = {f->x, 0, 0}, ty = {f->out, 0, 0};
    return clact_rows_forward(f->ctx, CLACT_S_SOFTMAX, CLACT_F32, NULL, 10, 100, tx, ty, &f->ev);
  }
  case S_ROWS_BWD: { /* 10 rows of 2d = 100: dy 10 x 50, dx 10 x 100 */
    clact_tensor tx = {f->x, 0, 0}, tdy = {f->dy, 0, 0}, tdx = {f->out, 0, 0};
    return clact_rows_backward(f->ctx, CLACT_S_SWIGLU, CLACT_F32, NULL, 10, 100, tx, tdy, tdx,
                               &f->ev);
  }
  case S_CH_FWD: { /* prelu on 20 x CH x INNER, the weights in f->bias */
    clact_channel_params cp = {0};
    cp.w = f->bias;
    return clact_channel_forward(f->ctx, CLACT_CH_PRELU, CLACT_F32, &cp, N / (CH * INNER), CH,
                                 INNER, f->x, 0, f->out, 0, &f->ev);
  }
  case S_CH_BWD: { /* dx into f->out, dw (two kernels: tiles, then the reduction) into f->db */
    clact_channel_params cp = {0};
    cp.w = f->bias;
    clact_channel_grads g = {0};
    g.dw = f->db;
    return clact_channel_backward(f->ctx, CLACT_CH_PRELU, CLACT_F32, &cp, N / (CH * INNER), CH,
                                  INNER, f->x, 0, f->dy, 0, f->out, 0, &g, &f->ev);
  }
  case S_HOST_FWD: {
    static float host_out[N];
    return clact_forward_host(f->ctx, CLACT_GELU, CLACT_F32, NULL, N, hx, host_out);
  }
  case S_CHECK_FWD:
    return clact_check(f->ctx, CLACT_RELU, CLACT_FORWARD, CLACT_F32, NULL, &o, &r, NULL, NULL);
  case S_CHECK_FWD_BF16:
    o.chunk = (size_t)1 << 15; /* all 65536 bf16 inputs: two launches per format */
    return clact_check(f->ctx, CLACT_SOFTSIGN, CLACT_FORWARD, CLACT_BF16, NULL, &o, &r, NULL, NULL);
  case S_CHECK_LAYOUT:
    o.no_layout = 0; /* 43 cases of 3 buffers each, at two widths: sampled by walk() */
    return clact_check(f->ctx, CLACT_RELU, CLACT_FORWARD, CLACT_F32, NULL, &o, &r, NULL, NULL);
  default:
    return CLACT_ERROR_INVALID_VALUE;
  }
}

static void read_back(fixture *f, float *out, float *db) {
  cl_command_queue q = clact_context_queue(f->ctx);
  if (clFinish(q) != CL_SUCCESS ||
      clEnqueueReadBuffer(q, f->out, CL_TRUE, 0, N * sizeof *out, out, 0, NULL, NULL) !=
          CL_SUCCESS ||
      clEnqueueReadBuffer(q, f->db, CL_TRUE, 0, CH * sizeof *db, db, 0, NULL, NULL) != CL_SUCCESS) {
    fprintf(stderr, "cannot read the outputs back\n");
    exit(1);
  }
}

static int same_bits(const float *a, const float *b, size_t n) {
  return memcmp(a, b, n * sizeof *a) == 0;
}

/* The counting run without faults: how many calls of each function the scenario makes, and
 * its results (every output element must have been written: they differ from the initial
 * values, which the kernels' results cannot take). */
static void baseline(scenario s, unsigned long counts[FAULT_FN_COUNT]) {
  fixture f;
  long live0 = fault_live_objects();
  setup(&f, s);
  fault_reset();
  fault_arm(1);
  clact_status st = run(&f, s);
  fault_arm(0);
  for (int fn = 0; fn < FAULT_FN_COUNT; fn++)
    counts[fn] = fault_calls((fault_fn)fn);
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "%s without faults: %s\n%s", scenario_names[s], clact_status_string(st),
            f.ctx ? clact_build_log(f.ctx) : "");
    exit(1);
  }
  if (has_outputs(s)) {
    read_back(&f, base_out[s], base_db[s]);
    for (size_t i = 0; i < N; i++)
      EXPECT(memcmp(&base_out[s][i], &init_out[i], sizeof(float)) != 0);
    for (size_t i = 0; i < CH && has_db(s); i++)
      EXPECT(memcmp(&base_db[s][i], &init_db[i], sizeof(float)) != 0);
  }
  teardown(&f);
  EXPECT(fault_live_objects() == live0);
}

static clact_status expected_status(fault_fn fn, cl_int error) {
  if (fn == FAULT_clSetKernelArg)
    return (clact_status)CL_INVALID_KERNEL_ARGS;
  if (fn == FAULT_clBuildProgram && error == CL_BUILD_PROGRAM_FAILURE)
    return CLACT_ERROR_BUILD_FAILED;
  return (clact_status)error;
}

/* One injected failure, then the same call again without faults. */
static void inject(scenario s, fault_fn fn, unsigned long index, cl_int error) {
  fixture f;
  long live0 = fault_live_objects();
  setup(&f, s);
  fault_reset();
  fault_plan(fn, index, error);
  fault_arm(1);
  clact_status st = run(&f, s);
  fault_arm(0);
  int fired = fault_fired();
  /* Only the failure of a second kernel (db after dx) may leave the first one's output: OpenCL
   * cannot take an enqueued kernel back. Everything else fails before any kernel is enqueued. */
  int may_write = fn == FAULT_clEnqueueNDRangeKernel && index > 1;
  EXPECT(may_write || fault_successes(FAULT_clEnqueueNDRangeKernel) == 0 || !has_outputs(s));
  clact_status want = expected_status(fn, error);
  runs++;
  char where[256];
  snprintf(where, sizeof where, "%s, %s call %lu failing with %d", scenario_names[s],
           fault_name(fn), index, (int)error);
  if (!fired) {
    fprintf(stderr, "%s: the call was never made\n", where);
    test_failures++;
  } else if (st == CLACT_SUCCESS && fn == FAULT_clGetDeviceInfo) {
    absorbed++; /* an optional query (extensions, names): the call must then work fully */
  } else if (st != want) {
    fprintf(stderr, "%s: returned %d (%s), expected %d (%s)\n", where, (int)st,
            clact_status_string(st), (int)want, clact_status_string(want));
    test_failures++;
  }
  if (st != CLACT_SUCCESS) {
    if (s == S_CONTEXT && f.ctx) {
      fprintf(stderr, "%s: a context was returned with the error\n", where);
      test_failures++;
    }
    if (f.ev) {
      fprintf(stderr, "%s: an event was returned with the error\n", where);
      test_failures++;
    }
    if (want == CLACT_ERROR_BUILD_FAILED && !strstr(clact_build_log(f.ctx), FAULT_BUILD_MARKER)) {
      fprintf(stderr, "%s: the build log lacks the compiler's message: '%s'\n", where,
              clact_build_log(f.ctx));
      test_failures++;
    }
    if (has_outputs(s) && !may_write) {
      float out[N], db[CH];
      read_back(&f, out, db);
      if (!same_bits(out, init_out, N) || !same_bits(db, init_db, CH)) {
        fprintf(stderr, "%s: the failed call wrote an output\n", where);
        test_failures++;
      }
    }
  }
  /* The context is still usable: the call again, without faults, gives the baseline. */
  if (s == S_CONTEXT) { /* the next call: a forward on the context (made now if it failed) */
    if (!f.ctx)
      f.ctx = test_context();
    setup_buffers(&f);
    s = S_FORWARD;
  }
  if (f.ev) {
    clReleaseEvent(f.ev);
    f.ev = NULL;
  }
  if (has_outputs(s)) {
    cl_command_queue q = clact_context_queue(f.ctx);
    clEnqueueWriteBuffer(q, f.out, CL_TRUE, 0, sizeof init_out, init_out, 0, NULL, NULL);
    clEnqueueWriteBuffer(q, f.db, CL_TRUE, 0, sizeof init_db, init_db, 0, NULL, NULL);
  }
  st = run(&f, s);
  if (st != CLACT_SUCCESS) {
    fprintf(stderr, "%s: the next call returned %s\n", where, clact_status_string(st));
    test_failures++;
  } else if (has_outputs(s)) {
    float out[N], db[CH];
    read_back(&f, out, db);
    if (!same_bits(out, base_out[s], N) || (has_db(s) && !same_bits(db, base_db[s], CH))) {
      fprintf(stderr, "%s: the next call's results differ from a run without faults\n", where);
      test_failures++;
    }
  }
  teardown(&f);
  if (fault_live_objects() != live0) {
    fprintf(stderr, "%s: %ld OpenCL objects leaked\n", where, fault_live_objects() - live0);
    test_failures++;
  }
}

/* The errors each function is failed with. */
static size_t errors_of(fault_fn fn, const cl_int **out) {
  static const cl_int info[] = {CL_OUT_OF_RESOURCES, CL_OUT_OF_HOST_MEMORY};
  static const cl_int create[] = {CL_OUT_OF_RESOURCES, CL_OUT_OF_HOST_MEMORY,
                                  CL_DEVICE_NOT_AVAILABLE};
  static const cl_int buffer[] = {CL_MEM_OBJECT_ALLOCATION_FAILURE, CL_OUT_OF_RESOURCES,
                                  CL_OUT_OF_HOST_MEMORY, CL_INVALID_BUFFER_SIZE};
  static const cl_int build[] = {CL_BUILD_PROGRAM_FAILURE, CL_OUT_OF_RESOURCES,
                                 CL_OUT_OF_HOST_MEMORY, CL_COMPILER_NOT_AVAILABLE};
  /* CL_DEVICE_NOT_AVAILABLE and CL_INVALID_COMMAND_QUEUE: what drivers give after losing the
   * device (OpenCL 1.2 has no "device lost" code) */
  static const cl_int enqueue[] = {CL_OUT_OF_RESOURCES, CL_MEM_OBJECT_ALLOCATION_FAILURE,
                                   CL_OUT_OF_HOST_MEMORY, CL_DEVICE_NOT_AVAILABLE,
                                   CL_INVALID_COMMAND_QUEUE};
#define ERRS(a) (*out = a, sizeof a / sizeof a[0])
  switch (fn) {
  case FAULT_clCreateContext:
  case FAULT_clCreateCommandQueue:
  case FAULT_clCreateProgramWithSource:
  case FAULT_clCreateProgramWithBinary:
  case FAULT_clCreateKernel:
    return ERRS(create);
  case FAULT_clCreateBuffer:
    return ERRS(buffer);
  case FAULT_clBuildProgram:
    return ERRS(build);
  case FAULT_clEnqueueWriteBuffer:
  case FAULT_clEnqueueFillBuffer:
  case FAULT_clEnqueueNDRangeKernel:
  case FAULT_clEnqueueMarkerWithWaitList:
  case FAULT_clEnqueueReadBuffer:
  case FAULT_clFinish:
    return ERRS(enqueue);
  default:
    return ERRS(info);
  }
#undef ERRS
}

static unsigned long counts_of[S_COUNT][FAULT_FN_COUNT];

static void walk(scenario s) {
  const unsigned long *counts = counts_of[s];
  unsigned long before = runs;
  printf("%s:", scenario_names[s]);
  for (int fn = 0; fn < FAULT_FN_COUNT; fn++) {
    if (!counts[fn])
      continue;
    printf(" %s x%lu", fault_name((fault_fn)fn), counts[fn]);
    const cl_int *errs;
    size_t nerr = errors_of((fault_fn)fn, &errs);
    /* The layout checks repeat the same few steps for each of their cases: there, the first,
     * a middle and the last call of each function, one error each (the other scenarios walk
     * every index). */
    int sampled = s == S_CHECK_LAYOUT;
    unsigned long step = sampled && counts[fn] > 2 ? (counts[fn] + 1) / 2 : 1;
    for (unsigned long k = 1; k <= counts[fn]; k++) {
      if (k != counts[fn] && (k - 1) % step != 0)
        continue;
      if (all_errors || (!sampled && (k == 1 || k == counts[fn]))) {
        for (size_t e = 0; e < nerr; e++)
          inject(s, (fault_fn)fn, k, errs[e]);
      } else {
        inject(s, (fault_fn)fn, k, errs[k % nerr]);
      }
    }
  }
  printf("\n  %lu injected failures\n", runs - before);
  fflush(stdout);
}

/* A failure while loading a cached program is a miss: built from source, same results. */
static void cache_misses(const char *dir) {
  setenv("CLACT_CACHE", "on", 1);
  setenv("CLACT_CACHE_DIR", dir, 1);
  fixture f;
  setup(&f, S_FORWARD); /* fills the cache */
  EXPECT_STATUS(run(&f, S_FORWARD), CLACT_SUCCESS);
  teardown(&f);
  static const fault_fn fns[] = {FAULT_clCreateProgramWithBinary, FAULT_clBuildProgram};
  for (size_t i = 0; i < 2; i++) {
    const cl_int *errs;
    size_t nerr = errors_of(fns[i], &errs);
    for (size_t e = 0; e < nerr; e++) {
      long live0 = fault_live_objects();
      setup(&f, S_FORWARD);
      fault_reset();
      fault_plan(fns[i], 1, errs[e]);
      fault_arm(1);
      clact_status st = run(&f, S_FORWARD);
      fault_arm(0);
      EXPECT(fault_fired());
      /* the source build after the miss */
      EXPECT(fault_calls(FAULT_clCreateProgramWithSource) == 1);
      EXPECT_STATUS(st, CLACT_SUCCESS);
      float out[N], db[CH];
      read_back(&f, out, db);
      EXPECT(same_bits(out, base_out[S_FORWARD], N));
      teardown(&f);
      EXPECT(fault_live_objects() == live0);
    }
  }
  setenv("CLACT_CACHE", "off", 1);
}

/* A buffer beyond CL_DEVICE_MAX_MEM_ALLOC_SIZE (no fault: the real driver's answer, or the
 * library's own check before it) gives CL_INVALID_BUFFER_SIZE, and no host memory is
 * allocated for it first. A chunk size whose byte count overflows size_t is refused too. */
static void huge_allocations(void) {
  fixture f;
  setup(&f, S_FORWARD);
  cl_ulong max_alloc = 0;
  EXPECT(clGetDeviceInfo(clact_context_device(f.ctx), CL_DEVICE_MAX_MEM_ALLOC_SIZE,
                         sizeof max_alloc, &max_alloc, NULL) == CL_SUCCESS);
  clact_check_options o = {0};
  clact_check_result r;
  o.sweep_stride = 1u << 26;
  o.random_count = 50;
  o.no_edges = o.no_layout = o.no_param_sets = 1;
  o.chunk = (size_t)(max_alloc / 2); /* x 8 bytes (f64's element) or 4: beyond the limit */
  EXPECT_STATUS(clact_check(f.ctx, CLACT_RELU, CLACT_FORWARD, CLACT_F32, NULL, &o, &r, NULL, NULL),
                (clact_status)CL_INVALID_BUFFER_SIZE);
  o.chunk = SIZE_MAX / 2;
  EXPECT_STATUS(clact_check(f.ctx, CLACT_RELU, CLACT_FORWARD, CLACT_F32, NULL, &o, &r, NULL, NULL),
                (clact_status)CL_INVALID_BUFFER_SIZE);
  o.chunk = 64; /* and the context still works */
  EXPECT_STATUS(clact_check(f.ctx, CLACT_RELU, CLACT_FORWARD, CLACT_F32, NULL, &o, &r, NULL, NULL),
                CLACT_SUCCESS);
  teardown(&f);
}

int main(int argc, char **argv) {
  const char *cache_dir = NULL;
  int only = -1;           /* --only S: walk scenario S alone */
  int part = 0, parts = 1; /* --part K/N: the scenarios S with S % N == K */
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--all-errors") == 0)
      all_errors = 1;
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      only = atoi(argv[++i]);
    else if (strcmp(argv[i], "--part") == 0 && i + 1 < argc) {
      if (sscanf(argv[++i], "%d/%d", &part, &parts) != 2 || parts < 1 || part < 0 ||
          part >= parts) {
        fprintf(stderr, "test_fault: --part K/N needs 0 <= K < N\n");
        return 2;
      }
    } else
      cache_dir = argv[i];
  }
  if (!cache_dir) {
    fprintf(stderr, "usage: test_fault [--all-errors] [--only S | --part K/N] CACHE_DIR\n");
    return 2;
  }
  setenv("CLACT_CACHE", "off", 1); /* every build from source: the walk is deterministic */
  for (size_t i = 0; i < N; i++) {
    hx[i] = 0.01f + 0.98f * (float)(i % 97) / 97.0f; /* in (0, 1): a valid y for every from-y */
    hdy[i] = (float)(i % 13) * 0.25f - 1.5f;
    init_out[i] = -100.0f - (float)i; /* no result of these calls */
  }
  for (size_t i = 0; i < CH; i++) {
    hbias[i] = (float)i * 0.125f - 0.5f;
    init_db[i] = -1000.0f - (float)i;
  }
  fixture probe;
  setup(&probe, S_FORWARD); /* skips (77) without a device */
  teardown(&probe);
  for (int s = 0; s < S_COUNT; s++) /* first: S_CONTEXT's next call needs S_FORWARD's results */
    baseline((scenario)s, counts_of[s]);
  for (int s = 0; s < S_COUNT; s++)
    if ((only < 0 || only == s) && s % parts == part)
      walk((scenario)s);
  printf("%lu injected failures in all, %lu absorbed (optional clGetDeviceInfo queries)\n", runs,
         absorbed);
  if (part == 0) {
    cache_misses(cache_dir);
    huge_allocations();
  }
  EXPECT(fault_live_objects() == 0);
  return test_result();
}
