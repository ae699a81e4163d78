# tests/fault.cmake: device-side failures and the command's handling of its output files,
# included from tests/CMakeLists.txt.
# - unit/fault_injection/part0..3: every public entry point that talks to the device, with each
#   of its OpenCL calls failed in turn by the fault layer tests/fault/ (linked with -Wl,--wrap: the
#   library's static archive, calls to the wrapped functions reach tests/fault/fault.c first):
#   exact statuses, outputs untouched, no leak, the context usable afterwards
#   (tests/fault/test_fault.c). Labelled unit: the sanitizer stage of CI runs it too.
# - cli/keep_*: the command never loses data: every command that writes a file (apply, plot,
#   plot --dump, bench --json, bench --csv) leaves an existing output untouched, and no
#   temporary beside it, on a usage, input or device failure and when the final rename fails
#   (a folder in the output's place); and replaces it on success (tests/fault/keep_output.cmake).
#   check --json and table print to stdout only: they write no file.

set(CLACT_FAULT_WRAPPED
    clGetPlatformIDs clGetDeviceIDs clGetDeviceInfo clCreateContext clCreateCommandQueue
    clCreateBuffer clGetMemObjectInfo clCreateProgramWithSource clCreateProgramWithBinary
    clBuildProgram clCreateKernel clGetKernelWorkGroupInfo clSetKernelArg clEnqueueWriteBuffer
    clEnqueueFillBuffer clEnqueueNDRangeKernel clEnqueueMarkerWithWaitList clEnqueueReadBuffer
    clFinish clRetainContext clReleaseContext clRetainCommandQueue clReleaseCommandQueue
    clRetainMemObject clReleaseMemObject clReleaseProgram clReleaseKernel clReleaseEvent)
list(TRANSFORM CLACT_FAULT_WRAPPED PREPEND "LINKER:--wrap=" OUTPUT_VARIABLE CLACT_FAULT_WRAP_OPTIONS)

add_executable(test_fault ${CMAKE_CURRENT_SOURCE_DIR}/fault/test_fault.c
                          ${CMAKE_CURRENT_SOURCE_DIR}/fault/fault.c)
target_include_directories(test_fault PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}
                                              ${CMAKE_CURRENT_SOURCE_DIR}/fault)
target_link_libraries(test_fault PRIVATE clact_static m)
target_compile_options(test_fault PRIVATE ${CLACT_WARNINGS})
target_link_options(test_fault PRIVATE ${CLACT_FAULT_WRAP_OPTIONS})
# in 4 parts (scenarios by index modulo 4), which CTest runs in parallel
foreach(part RANGE 3)
  clact_test(unit/fault_injection/part${part}
             COMMAND test_fault --part ${part}/4 ${CMAKE_CURRENT_BINARY_DIR}/fault-cache LABELS unit)
  set_tests_properties(unit/fault_injection/part${part} PROPERTIES TIMEOUT 900)
endforeach()

if(CLACT_BUILD_CLI)
  set(CLACT_KEEP_SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/fault/keep_output.cmake)
  set(CLACT_KEEP_NPY ${CMAKE_CURRENT_SOURCE_DIR}/data/npy/x_f32.npy)
  # clact_keep_test(NAME ARGS "... @OUT@ ..." RC n [ERR re] [KIND file|dir] [REPLACED] [DEVICE])
  function(clact_keep_test name)
    cmake_parse_arguments(K "REPLACED;DEVICE" "ARGS;RC;ERR;KIND" "" ${ARGN})
    if(NOT K_KIND)
      set(K_KIND file)
    endif()
    set(defs "-DEXE=$<TARGET_FILE:clact_cli>" "-DARGS=${K_ARGS}" "-DRC=${K_RC}" "-DKIND=${K_KIND}"
             "-DWORK=${CMAKE_CURRENT_BINARY_DIR}/keep/${name}" "-DINPUT=${CLACT_KEEP_NPY}")
    if(DEFINED K_ERR)
      list(APPEND defs "-DERR=${K_ERR}")
    endif()
    if(K_REPLACED)
      list(APPEND defs "-DREPLACED=1")
    endif()
    clact_test(cli/keep_${name} COMMAND ${CMAKE_COMMAND} ${defs} -P ${CLACT_KEEP_SCRIPT} LABELS cli)
    if(K_DEVICE)
      set_tests_properties(cli/keep_${name} PROPERTIES SKIP_REGULAR_EXPRESSION
                                                       "no OpenCL platform found")
    endif()
  endfunction()

  # apply
  clact_keep_test(apply_ok ARGS "apply relu @IN@ @OUT@" RC 0 REPLACED DEVICE)
  clact_keep_test(apply_usage ARGS "apply relu --dtype f99 @IN@ @OUT@" RC 2)
  clact_keep_test(apply_unknown_id ARGS "apply nosuch @IN@ @OUT@" RC 3 ERR "unknown activation")
  clact_keep_test(apply_device ARGS "apply relu --device 99:0 @IN@ @OUT@" RC 4
                  ERR "99:0: no such device|no OpenCL platform found")
  clact_keep_test(apply_rename_fails ARGS "apply relu @IN@ @OUT@" KIND dir RC 3 DEVICE
                  ERR "out")
  # plot (-o and --dump)
  clact_keep_test(plot_ok ARGS "plot relu -o @OUT@" RC 0 REPLACED DEVICE)
  clact_keep_test(plot_usage ARGS "plot relu -o @OUT@ --range 2:-2" RC 2 ERR "give A < B")
  clact_keep_test(plot_unknown_id ARGS "plot relu nosuch -o @OUT@" RC 3 ERR "unknown activation")
  clact_keep_test(plot_device ARGS "plot relu -o @OUT@ --device 99:0" RC 4
                  ERR "99:0: no such device|no OpenCL platform found")
  clact_keep_test(plot_rename_fails ARGS "plot relu -o @OUT@" KIND dir RC 3 DEVICE
                  ERR "cannot write .*out")
  clact_keep_test(plot_dump_device ARGS "plot relu -o @OUT@.svg --dump @OUT@ --device 99:0" RC 4
                  ERR "99:0: no such device|no OpenCL platform found")
  # bench --json / --csv; a buffer beyond CL_DEVICE_MAX_MEM_ALLOC_SIZE is a clear device error
  clact_keep_test(bench_json_ok ARGS "bench relu --n 4096 --time 0.02 --json @OUT@" RC 0 REPLACED
                  DEVICE)
  clact_keep_test(bench_json_usage ARGS "bench relu --n 0 --json @OUT@" RC 2)
  clact_keep_test(bench_json_unknown_id ARGS "bench nosuch --json @OUT@" RC 3
                  ERR "unknown activation")
  clact_keep_test(bench_json_device ARGS "bench relu --json @OUT@ --device 99:0" RC 4
                  ERR "99:0: no such device|no OpenCL platform found")
  clact_keep_test(bench_json_huge_n ARGS "bench relu --n 1000000000000 --json @OUT@" RC 4 DEVICE
                  ERR "needs .* MiB; the device allows .* give a smaller --n")
  clact_keep_test(bench_json_rename_fails ARGS "bench relu --n 4096 --time 0.02 --json @OUT@"
                  KIND dir RC 3 DEVICE ERR "cannot write .*out")
  clact_keep_test(bench_csv_device ARGS "bench relu --csv @OUT@ --device 99:0" RC 4
                  ERR "99:0: no such device|no OpenCL platform found")
endif()
