/* tests/fault/fault.c: the fault-injecting OpenCL layer (fault.h). Linked with
 * -Wl,--wrap=F for every F defined here: calls to F from the library (and the test) reach
 * __wrap_F, which reaches the driver through __real_F. */
#include "fault.h"

#include <stdio.h>
#include <string.h>

static const char *const names[FAULT_FN_COUNT] = {
#define FAULT_NAME(name) #name,
    FAULT_FUNCTIONS(FAULT_NAME)
#undef FAULT_NAME
};

static int armed;
static unsigned long calls[FAULT_FN_COUNT], successes[FAULT_FN_COUNT];
static int plan_fn = -1;
static unsigned long plan_index;
static cl_int plan_error;
static int fired;
static long live;

const char *fault_name(fault_fn fn) {
  return (unsigned)fn < FAULT_FN_COUNT ? names[fn] : "?";
}

void fault_reset(void) {
  memset(calls, 0, sizeof calls);
  memset(successes, 0, sizeof successes);
  plan_fn = -1;
  fired = 0;
  armed = 0;
}

void fault_arm(int on) {
  armed = on;
}

void fault_plan(fault_fn fn, unsigned long index, cl_int error) {
  plan_fn = (int)fn;
  plan_index = index;
  plan_error = error;
  fired = 0;
}

unsigned long fault_calls(fault_fn fn) {
  return calls[fn];
}

unsigned long fault_successes(fault_fn fn) {
  return successes[fn];
}

int fault_fired(void) {
  return fired;
}

long fault_live_objects(void) {
  return live;
}

/* Counts an armed call; returns the error to inject, or CL_SUCCESS to call the real function. */
static cl_int take(fault_fn fn) {
  if (!armed)
    return CL_SUCCESS;
  calls[fn]++;
  if (plan_fn == (int)fn && calls[fn] == plan_index) {
    fired = 1;
    return plan_error;
  }
  return CL_SUCCESS;
}

static cl_int done(fault_fn fn, cl_int err) {
  if (armed && err == CL_SUCCESS)
    successes[fn]++;
  return err;
}

/* A handle-returning call: the error through errcode_ret, NULL returned. */
#define INJECT_HANDLE(fn, errcode_ret)                                                             \
  do {                                                                                             \
    cl_int e_ = take(fn);                                                                          \
    if (e_ != CL_SUCCESS) {                                                                        \
      if (errcode_ret)                                                                             \
        *(errcode_ret) = e_;                                                                       \
      return NULL;                                                                                 \
    }                                                                                              \
  } while (0)

#define INJECT_STATUS(fn)                                                                          \
  do {                                                                                             \
    cl_int e_ = take(fn);                                                                          \
    if (e_ != CL_SUCCESS)                                                                          \
      return e_;                                                                                   \
  } while (0)

/* ---- the real functions ----------------------------------------------------------------- */
cl_int __real_clGetPlatformIDs(cl_uint, cl_platform_id *, cl_uint *);
cl_int __real_clGetDeviceIDs(cl_platform_id, cl_device_type, cl_uint, cl_device_id *, cl_uint *);
cl_int __real_clGetDeviceInfo(cl_device_id, cl_device_info, size_t, void *, size_t *);
cl_context __real_clCreateContext(const cl_context_properties *, cl_uint, const cl_device_id *,
                                  void(CL_CALLBACK *)(const char *, const void *, size_t, void *),
                                  void *, cl_int *);
cl_command_queue __real_clCreateCommandQueue(cl_context, cl_device_id, cl_command_queue_properties,
                                             cl_int *);
cl_mem __real_clCreateBuffer(cl_context, cl_mem_flags, size_t, void *, cl_int *);
cl_int __real_clGetMemObjectInfo(cl_mem, cl_mem_info, size_t, void *, size_t *);
cl_program __real_clCreateProgramWithSource(cl_context, cl_uint, const char **, const size_t *,
                                            cl_int *);
cl_program __real_clCreateProgramWithBinary(cl_context, cl_uint, const cl_device_id *,
                                            const size_t *, const unsigned char **, cl_int *,
                                            cl_int *);
cl_int __real_clBuildProgram(cl_program, cl_uint, const cl_device_id *, const char *,
                             void(CL_CALLBACK *)(cl_program, void *), void *);
cl_kernel __real_clCreateKernel(cl_program, const char *, cl_int *);
cl_int __real_clGetKernelWorkGroupInfo(cl_kernel, cl_device_id, cl_kernel_work_group_info, size_t,
                                       void *, size_t *);
cl_int __real_clSetKernelArg(cl_kernel, cl_uint, size_t, const void *);
cl_int __real_clEnqueueWriteBuffer(cl_command_queue, cl_mem, cl_bool, size_t, size_t, const void *,
                                   cl_uint, const cl_event *, cl_event *);
cl_int __real_clEnqueueFillBuffer(cl_command_queue, cl_mem, const void *, size_t, size_t, size_t,
                                  cl_uint, const cl_event *, cl_event *);
cl_int __real_clEnqueueNDRangeKernel(cl_command_queue, cl_kernel, cl_uint, const size_t *,
                                     const size_t *, const size_t *, cl_uint, const cl_event *,
                                     cl_event *);
cl_int __real_clEnqueueMarkerWithWaitList(cl_command_queue, cl_uint, const cl_event *, cl_event *);
cl_int __real_clEnqueueReadBuffer(cl_command_queue, cl_mem, cl_bool, size_t, size_t, void *,
                                  cl_uint, const cl_event *, cl_event *);
cl_int __real_clFinish(cl_command_queue);
cl_int __real_clRetainContext(cl_context);
cl_int __real_clReleaseContext(cl_context);
cl_int __real_clRetainCommandQueue(cl_command_queue);
cl_int __real_clReleaseCommandQueue(cl_command_queue);
cl_int __real_clRetainMemObject(cl_mem);
cl_int __real_clReleaseMemObject(cl_mem);
cl_int __real_clReleaseProgram(cl_program);
cl_int __real_clReleaseKernel(cl_kernel);
cl_int __real_clReleaseEvent(cl_event);

/* Declarations of the wrappers (they are defined for the linker only). */
cl_int __wrap_clGetPlatformIDs(cl_uint, cl_platform_id *, cl_uint *);
cl_int __wrap_clGetDeviceIDs(cl_platform_id, cl_device_type, cl_uint, cl_device_id *, cl_uint *);
cl_int __wrap_clGetDeviceInfo(cl_device_id, cl_device_info, size_t, void *, size_t *);
cl_context __wrap_clCreateContext(const cl_context_properties *, cl_uint, const cl_device_id *,
                                  void(CL_CALLBACK *)(const char *, const void *, size_t, void *),
                                  void *, cl_int *);
cl_command_queue __wrap_clCreateCommandQueue(cl_context, cl_device_id, cl_command_queue_properties,
                                             cl_int *);
cl_mem __wrap_clCreateBuffer(cl_context, cl_mem_flags, size_t, void *, cl_int *);
cl_int __wrap_clGetMemObjectInfo(cl_mem, cl_mem_info, size_t, void *, size_t *);
cl_program __wrap_clCreateProgramWithSource(cl_context, cl_uint, const char **, const size_t *,
                                            cl_int *);
cl_program __wrap_clCreateProgramWithBinary(cl_context, cl_uint, const cl_device_id *,
                                            const size_t *, const unsigned char **, cl_int *,
                                            cl_int *);
cl_int __wrap_clBuildProgram(cl_program, cl_uint, const cl_device_id *, const char *,
                             void(CL_CALLBACK *)(cl_program, void *), void *);
cl_kernel __wrap_clCreateKernel(cl_program, const char *, cl_int *);
cl_int __wrap_clGetKernelWorkGroupInfo(cl_kernel, cl_device_id, cl_kernel_work_group_info, size_t,
                                       void *, size_t *);
cl_int __wrap_clSetKernelArg(cl_kernel, cl_uint, size_t, const void *);
cl_int __wrap_clEnqueueWriteBuffer(cl_command_queue, cl_mem, cl_bool, size_t, size_t, const void *,
                                   cl_uint, const cl_event *, cl_event *);
cl_int __wrap_clEnqueueFillBuffer(cl_command_queue, cl_mem, const void *, size_t, size_t, size_t,
                                  cl_uint, const cl_event *, cl_event *);
cl_int __wrap_clEnqueueNDRangeKernel(cl_command_queue, cl_kernel, cl_uint, const size_t *,
                                     const size_t *, const size_t *, cl_uint, const cl_event *,
                                     cl_event *);
cl_int __wrap_clEnqueueMarkerWithWaitList(cl_command_queue, cl_uint, const cl_event *, cl_event *);
cl_int __wrap_clEnqueueReadBuffer(cl_command_queue, cl_mem, cl_bool, size_t, size_t, void *,
                                  cl_uint, const cl_event *, cl_event *);
cl_int __wrap_clFinish(cl_command_queue);
cl_int __wrap_clRetainContext(cl_context);
cl_int __wrap_clReleaseContext(cl_context);
cl_int __wrap_clRetainCommandQueue(cl_command_queue);
cl_int __wrap_clReleaseCommandQueue(cl_command_queue);
cl_int __wrap_clRetainMemObject(cl_mem);
cl_int __wrap_clReleaseMemObject(cl_mem);
cl_int __wrap_clReleaseProgram(cl_program);
cl_int __wrap_clReleaseKernel(cl_kernel);
cl_int __wrap_clReleaseEvent(cl_event);

/* ---- the wrappers ------------------------------------------------------------------------ */
cl_int __wrap_clGetPlatformIDs(cl_uint n, cl_platform_id *p, cl_uint *np) {
  INJECT_STATUS(FAULT_clGetPlatformIDs);
  return done(FAULT_clGetPlatformIDs, __real_clGetPlatformIDs(n, p, np));
}

cl_int __wrap_clGetDeviceIDs(cl_platform_id p, cl_device_type t, cl_uint n, cl_device_id *d,
                             cl_uint *nd) {
  INJECT_STATUS(FAULT_clGetDeviceIDs);
  return done(FAULT_clGetDeviceIDs, __real_clGetDeviceIDs(p, t, n, d, nd));
}

cl_int __wrap_clGetDeviceInfo(cl_device_id d, cl_device_info what, size_t size, void *value,
                              size_t *ret) {
  INJECT_STATUS(FAULT_clGetDeviceInfo);
  return done(FAULT_clGetDeviceInfo, __real_clGetDeviceInfo(d, what, size, value, ret));
}

cl_context
__wrap_clCreateContext(const cl_context_properties *props, cl_uint n, const cl_device_id *devs,
                       void(CL_CALLBACK *notify)(const char *, const void *, size_t, void *),
                       void *user, cl_int *errcode_ret) {
  INJECT_HANDLE(FAULT_clCreateContext, errcode_ret);
  cl_int err;
  cl_context c = __real_clCreateContext(props, n, devs, notify, user, &err);
  if (errcode_ret)
    *errcode_ret = err;
  if (c)
    live++;
  done(FAULT_clCreateContext, err);
  return c;
}

cl_command_queue __wrap_clCreateCommandQueue(cl_context c, cl_device_id d,
                                             cl_command_queue_properties props,
                                             cl_int *errcode_ret) {
  INJECT_HANDLE(FAULT_clCreateCommandQueue, errcode_ret);
  cl_int err;
  cl_command_queue q = __real_clCreateCommandQueue(c, d, props, &err);
  if (errcode_ret)
    *errcode_ret = err;
  if (q)
    live++;
  done(FAULT_clCreateCommandQueue, err);
  return q;
}

cl_mem __wrap_clCreateBuffer(cl_context c, cl_mem_flags flags, size_t size, void *host,
                             cl_int *errcode_ret) {
  INJECT_HANDLE(FAULT_clCreateBuffer, errcode_ret);
  cl_int err;
  cl_mem m = __real_clCreateBuffer(c, flags, size, host, &err);
  if (errcode_ret)
    *errcode_ret = err;
  if (m)
    live++;
  done(FAULT_clCreateBuffer, err);
  return m;
}

cl_int __wrap_clGetMemObjectInfo(cl_mem m, cl_mem_info what, size_t size, void *value,
                                 size_t *ret) {
  INJECT_STATUS(FAULT_clGetMemObjectInfo);
  return done(FAULT_clGetMemObjectInfo, __real_clGetMemObjectInfo(m, what, size, value, ret));
}

cl_program __wrap_clCreateProgramWithSource(cl_context c, cl_uint n, const char **strings,
                                            const size_t *lengths, cl_int *errcode_ret) {
  INJECT_HANDLE(FAULT_clCreateProgramWithSource, errcode_ret);
  cl_int err;
  cl_program p = __real_clCreateProgramWithSource(c, n, strings, lengths, &err);
  if (errcode_ret)
    *errcode_ret = err;
  if (p)
    live++;
  done(FAULT_clCreateProgramWithSource, err);
  return p;
}

cl_program __wrap_clCreateProgramWithBinary(cl_context c, cl_uint n, const cl_device_id *devs,
                                            const size_t *lengths, const unsigned char **bins,
                                            cl_int *bin_status, cl_int *errcode_ret) {
  INJECT_HANDLE(FAULT_clCreateProgramWithBinary, errcode_ret);
  cl_int err;
  cl_program p = __real_clCreateProgramWithBinary(c, n, devs, lengths, bins, bin_status, &err);
  if (errcode_ret)
    *errcode_ret = err;
  if (p)
    live++;
  done(FAULT_clCreateProgramWithBinary, err);
  return p;
}

cl_int __wrap_clBuildProgram(cl_program p, cl_uint n, const cl_device_id *devs, const char *options,
                             void(CL_CALLBACK *notify)(cl_program, void *), void *user) {
  cl_int e = take(FAULT_clBuildProgram);
  if (e == CL_BUILD_PROGRAM_FAILURE) {
    /* A real failure with a real log: the compiler sees the prelude's vector width redefined
     * as a call of an undefined function-like macro, which stops the preprocessor at its first
     * test of the width with the marker in the message. A program from a binary ignores it:
     * then the failure is reported without a log, as a driver may. */
    char broken[2048];
    snprintf(broken, sizeof broken, "%s -DCLACT_VW=" FAULT_BUILD_MARKER "(",
             options ? options : "");
    cl_int err = __real_clBuildProgram(p, n, devs, broken, notify, user);
    return err == CL_SUCCESS ? CL_BUILD_PROGRAM_FAILURE : err;
  }
  if (e != CL_SUCCESS)
    return e;
  return done(FAULT_clBuildProgram, __real_clBuildProgram(p, n, devs, options, notify, user));
}

cl_kernel __wrap_clCreateKernel(cl_program p, const char *name, cl_int *errcode_ret) {
  INJECT_HANDLE(FAULT_clCreateKernel, errcode_ret);
  cl_int err;
  cl_kernel k = __real_clCreateKernel(p, name, &err);
  if (errcode_ret)
    *errcode_ret = err;
  if (k)
    live++;
  done(FAULT_clCreateKernel, err);
  return k;
}

cl_int __wrap_clGetKernelWorkGroupInfo(cl_kernel k, cl_device_id d, cl_kernel_work_group_info what,
                                       size_t size, void *value, size_t *ret) {
  INJECT_STATUS(FAULT_clGetKernelWorkGroupInfo);
  return done(FAULT_clGetKernelWorkGroupInfo,
              __real_clGetKernelWorkGroupInfo(k, d, what, size, value, ret));
}

cl_int __wrap_clSetKernelArg(cl_kernel k, cl_uint i, size_t size, const void *value) {
  INJECT_STATUS(FAULT_clSetKernelArg);
  return done(FAULT_clSetKernelArg, __real_clSetKernelArg(k, i, size, value));
}

/* An enqueue that returns an event: the event is an object to release. */
static cl_int enqueued(fault_fn fn, cl_int err, const cl_event *event) {
  if (err == CL_SUCCESS && event && *event)
    live++;
  return done(fn, err);
}

cl_int __wrap_clEnqueueWriteBuffer(cl_command_queue q, cl_mem m, cl_bool blocking, size_t off,
                                   size_t size, const void *ptr, cl_uint nw, const cl_event *wait,
                                   cl_event *event) {
  INJECT_STATUS(FAULT_clEnqueueWriteBuffer);
  return enqueued(FAULT_clEnqueueWriteBuffer,
                  __real_clEnqueueWriteBuffer(q, m, blocking, off, size, ptr, nw, wait, event),
                  event);
}

cl_int __wrap_clEnqueueFillBuffer(cl_command_queue q, cl_mem m, const void *pattern, size_t psize,
                                  size_t off, size_t size, cl_uint nw, const cl_event *wait,
                                  cl_event *event) {
  INJECT_STATUS(FAULT_clEnqueueFillBuffer);
  return enqueued(FAULT_clEnqueueFillBuffer,
                  __real_clEnqueueFillBuffer(q, m, pattern, psize, off, size, nw, wait, event),
                  event);
}

cl_int __wrap_clEnqueueNDRangeKernel(cl_command_queue q, cl_kernel k, cl_uint dims,
                                     const size_t *offset, const size_t *global,
                                     const size_t *local, cl_uint nw, const cl_event *wait,
                                     cl_event *event) {
  INJECT_STATUS(FAULT_clEnqueueNDRangeKernel);
  return enqueued(FAULT_clEnqueueNDRangeKernel,
                  __real_clEnqueueNDRangeKernel(q, k, dims, offset, global, local, nw, wait, event),
                  event);
}

cl_int __wrap_clEnqueueMarkerWithWaitList(cl_command_queue q, cl_uint nw, const cl_event *wait,
                                          cl_event *event) {
  INJECT_STATUS(FAULT_clEnqueueMarkerWithWaitList);
  return enqueued(FAULT_clEnqueueMarkerWithWaitList,
                  __real_clEnqueueMarkerWithWaitList(q, nw, wait, event), event);
}

cl_int __wrap_clEnqueueReadBuffer(cl_command_queue q, cl_mem m, cl_bool blocking, size_t off,
                                  size_t size, void *ptr, cl_uint nw, const cl_event *wait,
                                  cl_event *event) {
  INJECT_STATUS(FAULT_clEnqueueReadBuffer);
  return enqueued(FAULT_clEnqueueReadBuffer,
                  __real_clEnqueueReadBuffer(q, m, blocking, off, size, ptr, nw, wait, event),
                  event);
}

cl_int __wrap_clFinish(cl_command_queue q) {
  INJECT_STATUS(FAULT_clFinish);
  return done(FAULT_clFinish, __real_clFinish(q));
}

/* ---- retain and release: the live-object count ------------------------------------------ */
static cl_int counted(cl_int err, long delta) {
  if (err == CL_SUCCESS)
    live += delta;
  return err;
}

cl_int __wrap_clRetainContext(cl_context c) {
  return counted(__real_clRetainContext(c), 1);
}
cl_int __wrap_clReleaseContext(cl_context c) {
  return counted(__real_clReleaseContext(c), -1);
}
cl_int __wrap_clRetainCommandQueue(cl_command_queue q) {
  return counted(__real_clRetainCommandQueue(q), 1);
}
cl_int __wrap_clReleaseCommandQueue(cl_command_queue q) {
  return counted(__real_clReleaseCommandQueue(q), -1);
}
cl_int __wrap_clRetainMemObject(cl_mem m) {
  return counted(__real_clRetainMemObject(m), 1);
}
cl_int __wrap_clReleaseMemObject(cl_mem m) {
  return counted(__real_clReleaseMemObject(m), -1);
}
cl_int __wrap_clReleaseProgram(cl_program p) {
  return counted(__real_clReleaseProgram(p), -1);
}
cl_int __wrap_clReleaseKernel(cl_kernel k) {
  return counted(__real_clReleaseKernel(k), -1);
}
cl_int __wrap_clReleaseEvent(cl_event e) {
  return counted(__real_clReleaseEvent(e), -1);
}
