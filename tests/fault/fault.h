/* tests/fault/fault.h: a fault-injecting layer over the OpenCL calls of the library, linked with
 * -Wl,--wrap=FUNCTION (tests/fault.cmake): each __wrap_ function counts its calls while the
 * layer is armed and fails the N-th one with a chosen error when the plan says so, else calls
 * the real function. It also counts the OpenCL objects alive (created or retained, not yet
 * released), so that a test can see a leaked cl_mem, cl_program or cl_kernel, which the
 * sanitizers cannot (they live in the driver). */
#ifndef CLACT_FAULT_H
#define CLACT_FAULT_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

/* The wrapped functions that can be made to fail (X(name)). */
#define FAULT_FUNCTIONS(X)                                                                         \
  X(clGetPlatformIDs)                                                                              \
  X(clGetDeviceIDs)                                                                                \
  X(clGetDeviceInfo)                                                                               \
  X(clCreateContext)                                                                               \
  X(clCreateCommandQueue)                                                                          \
  X(clCreateBuffer)                                                                                \
  X(clGetMemObjectInfo)                                                                            \
  X(clCreateProgramWithSource)                                                                     \
  X(clCreateProgramWithBinary)                                                                     \
  X(clBuildProgram)                                                                                \
  X(clCreateKernel)                                                                                \
  X(clGetKernelWorkGroupInfo)                                                                      \
  X(clSetKernelArg)                                                                                \
  X(clEnqueueWriteBuffer)                                                                          \
  X(clEnqueueFillBuffer)                                                                           \
  X(clEnqueueNDRangeKernel)                                                                        \
  X(clEnqueueMarkerWithWaitList)                                                                   \
  X(clEnqueueReadBuffer)                                                                           \
  X(clFinish)

typedef enum fault_fn {
#define FAULT_ENUM(name) FAULT_##name,
  FAULT_FUNCTIONS(FAULT_ENUM)
#undef FAULT_ENUM
      FAULT_FN_COUNT
} fault_fn;

/* The marker a build failure injected into clBuildProgram leaves in the build log: the real
 * compiler is run with a macro that breaks the sources (so the log is a real one). */
#define FAULT_BUILD_MARKER "clact_fault_injected_type"

const char *fault_name(fault_fn fn);
/* Zeroes the call counters and clears the plan (the live-object counts are kept). */
void fault_reset(void);
/* Counting and injecting happen only while armed (the test's own OpenCL calls are not). */
void fault_arm(int on);
/* Fail the index-th (1-based) armed call of fn with `error` (one plan at a time). */
void fault_plan(fault_fn fn, unsigned long index, cl_int error);
/* Armed calls of fn since fault_reset (the failed one included). */
unsigned long fault_calls(fault_fn fn);
/* Armed calls of fn that reached the real function and returned CL_SUCCESS. */
unsigned long fault_successes(fault_fn fn);
/* Whether the plan has fired since fault_reset. */
int fault_fired(void);
/* OpenCL objects alive now that went through the layer: contexts, queues, buffers, programs,
 * kernels (created or retained and not yet released), whatever the arming. */
long fault_live_objects(void);

#endif
