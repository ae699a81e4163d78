/* cl_util.h: the OpenCL plumbing shared by clcheck.c and clbench.c (first platform, first
 * device; program = prelude + clact_math.clh + lab_kernels.cl, with #line markers). */
#ifndef LAB_CL_UTIL_H
#define LAB_CL_UTIL_H
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CK(e)                                                                                      \
  do {                                                                                             \
    cl_int e_ = (e);                                                                               \
    if (e_ != CL_SUCCESS) {                                                                        \
      fprintf(stderr, "%s:%d: OpenCL error %d in %s\n", __FILE__, __LINE__, e_, #e);               \
      exit(3);                                                                                     \
    }                                                                                              \
  } while (0)

static char *lab_read(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(3);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (fread(s, 1, (size_t)n, f) != (size_t)n)
    exit(3);
  s[n] = 0;
  fclose(f);
  return s;
}

typedef struct {
  cl_platform_id pl;
  cl_device_id dev;
  cl_context ctx;
  cl_command_queue q;
} lab_cl;

static void lab_cl_init(lab_cl *c, int profiling) {
  cl_int err;
  CK(clGetPlatformIDs(1, &c->pl, NULL));
  CK(clGetDeviceIDs(c->pl, CL_DEVICE_TYPE_ALL, 1, &c->dev, NULL));
  c->ctx = clCreateContext(NULL, 1, &c->dev, NULL, NULL, &err);
  CK(err);
  c->q = clCreateCommandQueue(c->ctx, c->dev, profiling ? CL_QUEUE_PROFILING_ENABLE : 0, &err);
  CK(err);
}

/* Builds prelude + clact_math.clh + lab_kernels.cl at vector width vw. */
static const char *lab_extra_file = NULL; /* optional 4th source (clbench -x) */
static cl_program lab_build(lab_cl *c, const char *prelude, int vw, const char *extra) {
  const char *files[4] = {prelude, "clact_math.clh", "lab_kernels.cl", lab_extra_file};
  char *src[8];
  char hdr[4][600];
  int nf = lab_extra_file ? 4 : 3;
  for (int i = 0; i < nf; i++) {
    snprintf(hdr[i], sizeof hdr[i], "\n#line 1 \"%s\"\n", files[i]);
    src[2 * i] = hdr[i];
    src[2 * i + 1] = lab_read(files[i]);
  }
  cl_int err;
  cl_program p =
      clCreateProgramWithSource(c->ctx, (cl_uint)(2 * nf), (const char **)src, NULL, &err);
  CK(err);
  char opts[512];
  snprintf(opts, sizeof opts, "-cl-std=CL1.2 -DCLACT_DTYPE_F32=1 -DCLACT_VW=%d %s", vw,
           extra ? extra : "");
  if (clBuildProgram(p, 1, &c->dev, opts, NULL, NULL) != CL_SUCCESS) {
    static char log[1 << 16];
    clGetProgramBuildInfo(p, c->dev, CL_PROGRAM_BUILD_LOG, sizeof log, log, NULL);
    fprintf(stderr, "build failed (VW=%d):\n%s\n", vw, log);
    exit(4);
  }
  for (int i = 0; i < nf; i++)
    free(src[2 * i + 1]);
  return p;
}
#endif
