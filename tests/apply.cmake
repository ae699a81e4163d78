# tests/apply.cmake: tests of `clact apply` and its .npy reader/writer (included from
# tests/CMakeLists.txt when the command is built).
# - unit/npy: tests/test_npy.c (no device): round trips, every rejection, number conversions,
#   the temporary-file writer.
# - cli/apply_*: the command on NumPy-written fixtures (tests/data/npy, made by
#   make_fixtures.py there), each run by apply_check.cmake: exit code, message, output values
#   (checked by `test_npy expect`), and, on failure, an existing OUT left byte-identical.
# - with -DCLACT_FUZZ=ON and Clang: fuzz_npy, the libFuzzer harness of the reader
#   (tests/fuzz/fuzz_npy.c), and fuzz/npy_corpus, which replays its seed corpus.

add_executable(test_npy ${CMAKE_CURRENT_SOURCE_DIR}/test_npy.c ${PROJECT_SOURCE_DIR}/host/cli/npy.c)
target_include_directories(test_npy PRIVATE ${PROJECT_SOURCE_DIR}/host/cli)
target_link_libraries(test_npy PRIVATE m)
target_compile_options(test_npy PRIVATE ${CLACT_WARNINGS})
clact_test(unit/npy COMMAND test_npy unit ${CMAKE_CURRENT_BINARY_DIR}/npy-scratch LABELS unit)

set(CLACT_APPLY_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/apply_check.cmake)
set(CLACT_NPY_DATA ${CMAKE_CURRENT_SOURCE_DIR}/data/npy)
set(CLACT_APPLY_OUT ${CMAKE_CURRENT_BINARY_DIR}/apply-out)

# clact_apply_test(NAME ARGS "..." [RC n] [ERR re] [EXPECT "descr shape tol values..."]
#                  [PRESET file] [OUT file] [DEVICE]): runs `clact apply ARGS OUT` (OUT defaults
# to apply-out/NAME.npy). Input names in ARGS without a folder are fixtures of tests/data/npy.
# DEVICE: skipped (not failed) on a machine with no OpenCL platform.
function(clact_apply_test name)
  cmake_parse_arguments(A "DEVICE;NO_MKDIR" "ARGS;RC;ERR;EXPECT;PRESET;OUT" "" ${ARGN})
  string(REGEX REPLACE "(^| )([a-z0-9_]+\\.npy)" "\\1${CLACT_NPY_DATA}/\\2" args "${A_ARGS}")
  if(NOT A_OUT)
    set(A_OUT ${CLACT_APPLY_OUT}/${name}.npy)
  endif()
  set(defs "-DARGS=apply ${args}" "-DOUT_FILE=${A_OUT}")
  foreach(key RC ERR EXPECT PRESET)
    if(DEFINED A_${key})
      list(APPEND defs "-D${key}=${A_${key}}")
    endif()
  endforeach()
  if(A_NO_MKDIR)
    list(APPEND defs "-DNO_MKDIR=1")
  endif()
  clact_test(cli/apply_${name}
             COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:clact_cli>
                     -DCHECKER=$<TARGET_FILE:test_npy> ${defs} -P ${CLACT_APPLY_CHECK}
             LABELS cli)
  if(A_DEVICE)
    # skipped, not failed, without a device, or for f64 on one without cl_khr_fp64
    set_tests_properties(cli/apply_${name} PROPERTIES SKIP_REGULAR_EXPRESSION
                                                      "no OpenCL platform found;no cl_khr_fp64")
  endif()
endfunction()

# The fixtures: x_f32.npy is [[-2, -1, -0.5], [0.5, 1, 2]] ('<f4', format 1.0); x_f32_be_v2 the
# same as '>f4' in format 2.0; dy_f32 [[1, 2, 3], [4, 5, 6]]; x_f16 [-2, -1, 0, 1, 2] ('<f2');
# x_f64_v3 [-1.5, 0, 1.5] ('<f8', format 3.0); scalar_f32 -3 (0-d); empty_f32 shape (0, 3).
set(sig6 "0.119202922 0.268941421 0.377540669 0.622459331 0.731058579 0.880797078")

# ---- forward, every file kind ----
clact_apply_test(relu_f32 ARGS "relu x_f32.npy" DEVICE
                 EXPECT "<f4 (2,\\ 3) 0 0 0 0 0.5 1 2")
clact_apply_test(sigmoid_f32 ARGS "sigmoid x_f32.npy" DEVICE EXPECT "<f4 (2,\\ 3) 1e-6 ${sig6}")
clact_apply_test(synonym_param ARGS "lrelu --param slope=0.25 x_f32.npy" DEVICE
                 EXPECT "<f4 (2,\\ 3) 0 -0.5 -0.25 -0.125 0.5 1 2")
clact_apply_test(param_equals_form ARGS "leaky_relu --param=slope=2 --param slope=0.25 x_f32.npy"
                 DEVICE EXPECT "<f4 (2,\\ 3) 0 -0.5 -0.25 -0.125 0.5 1 2")
clact_apply_test(f16 ARGS "sigmoid x_f16.npy" DEVICE
                 EXPECT "<f2 (5,) 1e-3 0.119202922 0.268941421 0.5 0.731058579 0.880797078")
clact_apply_test(big_endian_v2 ARGS "sigmoid x_f32_be_v2.npy" DEVICE
                 EXPECT ">f4 (2,\\ 3) 1e-6 ${sig6}")
clact_apply_test(f64_v3 ARGS "relu x_f64_v3.npy" DEVICE EXPECT "<f8 (3,) 0 0 0 1.5")
clact_apply_test(dtype_bf16 ARGS "sigmoid --dtype bf16 x_f32.npy" DEVICE
                 EXPECT "<f4 (2,\\ 3) 4e-3 ${sig6}")
clact_apply_test(dtype_f16_on_f32 ARGS "sigmoid --dtype f16 x_f32.npy" DEVICE
                 EXPECT "<f4 (2,\\ 3) 1e-3 ${sig6}")
clact_apply_test(scalar ARGS "relu scalar_f32.npy" DEVICE EXPECT "<f4 () 0 0")
clact_apply_test(empty ARGS "relu empty_f32.npy" DEVICE EXPECT "<f4 (0,\\ 3) 0")
# IN and OUT the same file: read whole before it is replaced.
clact_apply_test(in_place ARGS "relu ${CLACT_APPLY_OUT}/in_place.npy" DEVICE
                 PRESET ${CLACT_NPY_DATA}/x_f32.npy EXPECT "<f4 (2,\\ 3) 0 0 0 0 0.5 1 2")

# ---- backward ----
clact_apply_test(backward ARGS "relu --backward x_f32.npy dy_f32.npy" DEVICE
                 EXPECT "<f4 (2,\\ 3) 0 0 0 0 4 5 6")
clact_apply_test(backward_sigmoid ARGS "sigmoid --backward x_f32.npy dy_f32.npy" DEVICE
                 EXPECT "<f4 (2,\\ 3) 1e-6 0.104993585 0.393223866 0.705011137 0.940014849 0.983059666 0.629961512")
# From y: dy * y * (1 - y) with IN read as y.
clact_apply_test(from_output ARGS "sigmoid --backward --from-output x_f32.npy dy_f32.npy" DEVICE
                 EXPECT "<f4 (2,\\ 3) 1e-6 -6 -4 -2.25 1 0 -12")

# ---- rejected: exit 3, an existing OUT untouched, nothing written ----
set(keep ${CLACT_NPY_DATA}/dy_f32.npy) # any existing content
clact_apply_test(malformed_fortran ARGS "relu bad_fortran.npy" RC 3 PRESET ${keep}
                 ERR "bad_fortran.npy: fortran_order True is not supported")
clact_apply_test(malformed_trailing ARGS "relu bad_trailing.npy" RC 3 PRESET ${keep}
                 ERR "bad_trailing.npy: 4 trailing bytes after the data")
clact_apply_test(malformed_dtype ARGS "relu bad_dtype_i4.npy" RC 3 PRESET ${keep}
                 ERR "bad_dtype_i4.npy: unsupported dtype '<i4'")
clact_apply_test(not_npy ARGS "relu ${CLACT_NPY_DATA}/make_fixtures.py" RC 3 PRESET ${keep}
                 ERR "make_fixtures.py: not a .npy file")
clact_apply_test(missing_input ARGS "relu ${CLACT_NPY_DATA}/no_such.npy" RC 3 PRESET ${keep}
                 ERR "no_such.npy: cannot open it")
clact_apply_test(malformed_dy ARGS "relu --backward x_f32.npy bad_fortran.npy" RC 3
                 PRESET ${keep} ERR "bad_fortran.npy: fortran_order True")
clact_apply_test(shape_mismatch ARGS "relu --backward x_f32.npy dy_f32_3x2.npy" RC 3
                 PRESET ${keep} ERR "has shape \\(3, 2\\) but .* has shape \\(2, 3\\)")
clact_apply_test(unknown_id ARGS "nosuch x_f32.npy" RC 3 PRESET ${keep}
                 ERR "unknown activation 'nosuch'")
clact_apply_test(unknown_param ARGS "relu --param alpha=1 x_f32.npy" RC 3 PRESET ${keep}
                 ERR "relu has no parameter 'alpha'")
clact_apply_test(param_range ARGS "softplus --param beta=0 x_f32.npy" RC 3 PRESET ${keep}
                 ERR "--param beta=0 is out of range; beta takes values in \\(0, inf\\)")
clact_apply_test(param_constraint ARGS "srelu --param tl=2 --param tr=1 x_f32.npy" RC 3
                 PRESET ${keep} ERR "must satisfy tl <= tr")
clact_apply_test(no_from_output ARGS "leaky_relu --param slope=-1 --backward --from-output x_f32.npy dy_f32.npy"
                 RC 3 PRESET ${keep} ERR "no backward from the output for these parameters")
clact_apply_test(out_dir_missing ARGS "relu x_f32.npy" RC 3 OUT ${CLACT_APPLY_OUT}/no/such/dir/o.npy
                 NO_MKDIR ERR "cannot create a temporary file next to it")

# ---- usage errors (exit 2) and the device (exit 4) ----
clact_apply_test(too_few_args ARGS "relu" RC 2 ERR "expected ID IN.npy OUT.npy, got 2 arguments")
clact_apply_test(backward_args ARGS "relu --backward x_f32.npy" RC 2
                 ERR "expected ID IN.npy DY.npy OUT.npy")
clact_apply_test(dtype_f64 ARGS "sigmoid --dtype f64 x_f32.npy" DEVICE
                 EXPECT "<f4 (2,\\ 3) 1e-6 ${sig6}")
clact_apply_test(from_output_alone ARGS "relu --from-output x_f32.npy" RC 2
                 ERR "--from-output goes with --backward")
clact_apply_test(param_syntax ARGS "leaky_relu --param slope x_f32.npy" RC 2
                 ERR "--param 'slope' is not NAME=VALUE")
clact_apply_test(param_number ARGS "leaky_relu --param slope=abc x_f32.npy" RC 2
                 ERR "--param slope 'abc' is not a number")
clact_apply_test(no_such_device ARGS "relu --device 99:0 x_f32.npy" RC 4 PRESET ${keep}
                 ERR "99:0: no such device|no OpenCL platform found")
clact_cli_test(apply_help ARGS "apply --help" RC 0
               OUT "usage: clact apply ID.*--backward.*f64 for float64 files")

# ---- the fuzzer of the reader (Clang only) ----
if(CLACT_FUZZ)
  if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    add_executable(fuzz_npy ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_npy.c
                            ${PROJECT_SOURCE_DIR}/host/cli/npy.c)
    target_include_directories(fuzz_npy PRIVATE ${PROJECT_SOURCE_DIR}/host/cli)
    target_compile_options(fuzz_npy PRIVATE -g -O1 -fsanitize=fuzzer,address,undefined
                                            ${CLACT_WARNINGS})
    target_link_options(fuzz_npy PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(fuzz_npy PRIVATE m)
    # Replays the seeds (no fuzzing): a regression test of every input ever saved there.
    clact_test(fuzz/npy_corpus COMMAND fuzz_npy -runs=0 ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_npy
               LABELS unit)
  else()
    message(WARNING "CLACT_FUZZ needs Clang (CC=clang): the .npy fuzzer is not built")
  endif()
endif()
