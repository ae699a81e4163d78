# tests/apply_check.cmake: runs `clact apply` once and checks its exit code, its messages, and
# the output file: its values when it succeeds (through `test_npy expect`), and, when it fails,
# that OUT was left exactly as it was (absent, or byte-identical to PRESET copied there first).
# Never a temporary file left behind. Run as a CMake script:
#   cmake -DEXE=<clact> -DCHECKER=<test_npy> "-DARGS=relu in.npy" -DOUT_FILE=<OUT.npy>
#         [-DPRESET=<file copied to OUT_FILE first>] [-DRC=0] [-DERR=<regex on stderr>]
#         [-DNO_MKDIR=1 (do not create OUT_FILE's folder)]
#         ["-DEXPECT=<descr> <shape> <tol> <values...>"] -P apply_check.cmake
# OUT_FILE is appended to ARGS. Outputs are echoed so a failure shows what the command said.
cmake_minimum_required(VERSION 3.21)

set(failures "")
macro(fail msg)
  string(APPEND failures "  ${msg}\n")
endmacro()

if(NOT DEFINED RC)
  set(RC 0)
endif()
if(NOT NO_MKDIR)
  get_filename_component(out_dir "${OUT_FILE}" DIRECTORY)
  file(MAKE_DIRECTORY "${out_dir}")
endif()
file(GLOB stale "${OUT_FILE}.tmp.*")
file(REMOVE "${OUT_FILE}" ${stale})
if(DEFINED PRESET)
  file(COPY_FILE "${PRESET}" "${OUT_FILE}")
  file(SHA256 "${OUT_FILE}" before)
endif()

separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND "${EXE}" ${args} "${OUT_FILE}" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
message("$ clact ${ARGS} ${OUT_FILE}\nexit status ${rc}\n--- stdout\n${out}--- stderr\n${err}---")

if(NOT rc STREQUAL "${RC}")
  fail("exit status ${rc}, expected ${RC}")
endif()
if(DEFINED ERR AND NOT err MATCHES "${ERR}")
  fail("stderr does not match '${ERR}'")
endif()
file(GLOB leftovers "${OUT_FILE}.tmp.*")
if(leftovers)
  fail("temporary files left behind: ${leftovers}")
endif()

if(rc STREQUAL "0")
  if(DEFINED EXPECT)
    separate_arguments(expect UNIX_COMMAND "${EXPECT}")
    execute_process(COMMAND "${CHECKER}" expect "${OUT_FILE}" ${expect} RESULT_VARIABLE crc
                    OUTPUT_VARIABLE cout ERROR_VARIABLE cerr)
    message("--- values of ${OUT_FILE}\n${cout}${cerr}---")
    if(NOT crc STREQUAL "0")
      fail("the output is not as expected (${EXPECT})")
    endif()
  endif()
elseif(DEFINED PRESET)
  if(NOT EXISTS "${OUT_FILE}")
    fail("the existing output file was removed")
  else()
    file(SHA256 "${OUT_FILE}" after)
    if(NOT after STREQUAL before)
      fail("the existing output file was changed")
    endif()
  endif()
elseif(EXISTS "${OUT_FILE}")
  fail("an output file was written although the command failed")
endif()

if(failures)
  message(FATAL_ERROR "clact ${ARGS} ${OUT_FILE}:\n${failures}")
endif()
