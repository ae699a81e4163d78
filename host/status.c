/* host/status.c: status strings (library codes and the OpenCL codes that pass through) and the
 * version. */
#include "internal.h"

const char *clact_version(void) {
  return CLACT_VERSION_STRING;
}

const char *clact_status_string(clact_status status) {
  switch ((int)status) {
  case CLACT_SUCCESS:
    return "success";
  case CLACT_ERROR_NULL_ARGUMENT:
    return "a required pointer or handle is NULL";
  case CLACT_ERROR_UNKNOWN_ACTIVATION:
    return "unknown activation (see: clact list)";
  case CLACT_ERROR_UNKNOWN_PARAMETER:
    return "the activation has no such parameter";
  case CLACT_ERROR_PARAMETER_RANGE:
    return "a parameter is NaN or outside its valid range (see: clact list)";
  case CLACT_ERROR_NO_FROM_Y:
    return "this activation (with these parameters) has no backward-from-output variant";
  case CLACT_ERROR_UNSUPPORTED_DTYPE:
    return "data type unknown or not supported on this device";
  case CLACT_ERROR_OUT_OF_BOUNDS:
    return "offset + n exceeds the buffer size";
  case CLACT_ERROR_SIZE_OVERFLOW:
    return "offset + n overflows the address range";
  case CLACT_ERROR_NO_DEVICE:
    return "no OpenCL device found (or the requested one does not exist; see: clact devices)";
  case CLACT_ERROR_BAD_DEVICE_SPEC:
    return "device must be given as PLATFORM:DEVICE, e.g. 0:0 (see: clact devices)";
  case CLACT_ERROR_KERNEL_SOURCE:
    return "kernel source missing or unreadable (check CLACT_KERNEL_DIR)";
  case CLACT_ERROR_BUILD_FAILED:
    return "kernel program failed to build (the build log says why)";
  case CLACT_ERROR_INVALID_ALIAS:
    return "an output partially overlaps an input (only exact in-place aliasing is allowed)";
  case CLACT_ERROR_CONTEXT_MISMATCH:
    return "a buffer belongs to another OpenCL context";
  case CLACT_ERROR_BUFFER_ACCESS:
    return "a buffer's flags forbid this access (read-only output or write-only input)";
  case CLACT_ERROR_INVALID_VALUE:
    return "an option or enum value is invalid";
  case CLACT_ERROR_CHECK_FAILED:
    return "results outside the accuracy bound";
  /* OpenCL 1.2 codes */
  case CL_DEVICE_NOT_FOUND:
    return "OpenCL: device not found";
  case CL_DEVICE_NOT_AVAILABLE:
    return "OpenCL: device not available";
  case CL_COMPILER_NOT_AVAILABLE:
    return "OpenCL: compiler not available";
  case CL_MEM_OBJECT_ALLOCATION_FAILURE:
    return "OpenCL: memory object allocation failure";
  case CL_OUT_OF_RESOURCES:
    return "OpenCL: out of resources";
  case CL_OUT_OF_HOST_MEMORY:
    return "OpenCL: out of host memory";
  case CL_PROFILING_INFO_NOT_AVAILABLE:
    return "OpenCL: profiling information not available";
  case CL_BUILD_PROGRAM_FAILURE:
    return "OpenCL: build program failure";
  case CL_INVALID_VALUE:
    return "OpenCL: invalid value";
  case CL_INVALID_DEVICE_TYPE:
    return "OpenCL: invalid device type";
  case CL_INVALID_PLATFORM:
    return "OpenCL: invalid platform";
  case CL_INVALID_DEVICE:
    return "OpenCL: invalid device";
  case CL_INVALID_CONTEXT:
    return "OpenCL: invalid context";
  case CL_INVALID_QUEUE_PROPERTIES:
    return "OpenCL: invalid queue properties";
  case CL_INVALID_COMMAND_QUEUE:
    return "OpenCL: invalid command queue";
  case CL_INVALID_MEM_OBJECT:
    return "OpenCL: invalid memory object";
  case CL_INVALID_BUILD_OPTIONS:
    return "OpenCL: invalid build options";
  case CL_INVALID_PROGRAM:
    return "OpenCL: invalid program";
  case CL_INVALID_PROGRAM_EXECUTABLE:
    return "OpenCL: invalid program executable";
  case CL_INVALID_KERNEL_NAME:
    return "OpenCL: invalid kernel name";
  case CL_INVALID_KERNEL:
    return "OpenCL: invalid kernel";
  case CL_INVALID_ARG_INDEX:
    return "OpenCL: invalid argument index";
  case CL_INVALID_ARG_VALUE:
    return "OpenCL: invalid argument value";
  case CL_INVALID_ARG_SIZE:
    return "OpenCL: invalid argument size";
  case CL_INVALID_KERNEL_ARGS:
    return "OpenCL: invalid kernel arguments";
  case CL_INVALID_WORK_DIMENSION:
    return "OpenCL: invalid work dimension";
  case CL_INVALID_WORK_GROUP_SIZE:
    return "OpenCL: invalid work-group size";
  case CL_INVALID_WORK_ITEM_SIZE:
    return "OpenCL: invalid work-item size";
  case CL_INVALID_GLOBAL_OFFSET:
    return "OpenCL: invalid global offset";
  case CL_INVALID_EVENT_WAIT_LIST:
    return "OpenCL: invalid event wait list";
  case CL_INVALID_EVENT:
    return "OpenCL: invalid event";
  case CL_INVALID_OPERATION:
    return "OpenCL: invalid operation";
  case CL_INVALID_BUFFER_SIZE:
    return "OpenCL: invalid buffer size";
  case CL_INVALID_GLOBAL_WORK_SIZE:
    return "OpenCL: invalid global work size";
  case -1001: /* CL_PLATFORM_NOT_FOUND_KHR, from the ICD loader */
    return "OpenCL: no platform found (is an ICD such as pocl-opencl-icd installed?)";
  default:
    return status < 0 && status > -4000 ? "OpenCL: error (see CL/cl.h for this code)"
                                        : "unknown status";
  }
}
