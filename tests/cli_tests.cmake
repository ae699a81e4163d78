# tests/cli_tests.cmake: tests of the clact command (label cli): exit codes, messages, the
# activations `list` shows (read from the registry, so a new row is tested with no edit here),
# valid JSON with the documented keys, and a quick check and bench on the default device.
# Each test runs tests/cli_check.cmake, which asserts the exit code and the output together.
# Tests that need a device are skipped (not failed) on a machine with no OpenCL platform.

set(CLACT_CLI_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/cli_check.cmake)

# Every activation id of the registry (rows only: the synonyms string must follow the name).
file(READ ${PROJECT_SOURCE_DIR}/include/clact/activations.def CLACT_CLI_DEF)
string(REGEX MATCHALL "CLACT_ACTIVATION\\([A-Z0-9_]+,[ \t\r\n]*[a-z0-9_]+,[ \t\r\n]*\""
       CLACT_CLI_ROWS "${CLACT_CLI_DEF}")
set(CLACT_CLI_IDS "")
foreach(row IN LISTS CLACT_CLI_ROWS)
  string(REGEX REPLACE "^CLACT_ACTIVATION\\([A-Z0-9_]+,[ \t\r\n]*([a-z0-9_]+),.*$" "\\1" id "${row}")
  string(APPEND CLACT_CLI_IDS " ${id}")
endforeach()
string(STRIP "${CLACT_CLI_IDS}" CLACT_CLI_IDS)

# clact_cli_test(NAME [ARGS "..."] [RC n] [DEVICE] [OUT re] [ERR re] [other cli_check.cmake
# variables as KEY value]): DEVICE marks a test that needs an OpenCL platform. Values must not
# be empty (an empty list element would be dropped): leave the key out instead.
function(clact_cli_test name)
  cmake_parse_arguments(C "DEVICE" "" "" ${ARGN})
  set(defs "")
  set(rest ${C_UNPARSED_ARGUMENTS})
  while(rest)
    list(POP_FRONT rest key value)
    list(APPEND defs "-D${key}=${value}")
  endwhile()
  clact_test(cli/${name}
             COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:clact_cli> ${defs} -P ${CLACT_CLI_CHECK}
             LABELS cli)
  if(C_DEVICE)
    # skipped, not failed, without a device, or where f64 is asked of one without cl_khr_fp64
    set_tests_properties(cli/${name} PROPERTIES SKIP_REGULAR_EXPRESSION
                                                "no OpenCL platform found;f64 needs cl_khr_fp64")
  endif()
endfunction()

# ---- usage ----
clact_cli_test(help ARGS "--help" RC 0 OUT "usage: clact COMMAND.*exit status")
clact_cli_test(no_command RC 2 ERR "usage: clact COMMAND")
clact_cli_test(unknown_command ARGS "frobnicate" RC 2 ERR "unknown command 'frobnicate'.*--help")
clact_cli_test(command_help ARGS "bench --help" RC 0 OUT "usage: clact bench")
clact_cli_test(unknown_option ARGS "check --frobnicate" RC 2
               ERR "unknown option '--frobnicate'.*clact check --help")
clact_cli_test(missing_value ARGS "bench --n" RC 2 ERR "'--n' needs a value")
clact_cli_test(bad_number ARGS "bench --n 12x" RC 2 ERR "--n '12x' is not a whole number")
clact_cli_test(bad_time ARGS "bench --time 0" RC 2 ERR "--time 0 is out of range")
clact_cli_test(bad_stride ARGS "check --stride 1000" RC 2 ERR "not a power of two")

# ---- list ----
clact_cli_test(list ARGS "list" RC 0 IDS "${CLACT_CLI_IDS}"
               OUT "softplus.*parameter beta = 1,.*parameter threshold = 20,.*backward bound")
clact_cli_test(list_json ARGS "list --json" RC 0 JSON stdout JSON_IDS "${CLACT_CLI_IDS}"
               JSON_PARAMS "softplus.beta softplus.threshold leaky_relu.slope")

# ---- devices and device choice ----
clact_cli_test(devices ARGS "devices" RC 0 OUT "  0:0 [* ] " DEVICE)
# No driver at all: the ICD loader (ocl-icd and Khronos' alike) reads its vendor list from
# OCL_ICD_VENDORS; an empty folder means no platform.
clact_cli_test(devices_no_platform ARGS "devices" RC 4 ERR "no OpenCL platform found")
set_tests_properties(cli/devices_no_platform PROPERTIES ENVIRONMENT
                     "${CLACT_TEST_ENV};OCL_ICD_VENDORS=${CMAKE_CURRENT_BINARY_DIR}/no-icd-vendors")
file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/no-icd-vendors)
clact_cli_test(check_unknown_id ARGS "check nosuch" RC 3 ERR "unknown activation 'nosuch'")
clact_cli_test(check_no_such_device ARGS "check relu --device 99:0" RC 4
               ERR "99:0: no such device|no OpenCL platform found")
clact_cli_test(check_bad_device_spec ARGS "check relu --device zero" RC 2 ERR "PLATFORM:DEVICE")

# ---- check and bench on the default device ----
clact_cli_test(check_relu_quick ARGS "check relu --quick" RC 0 DEVICE
               OUT "PASS +relu +forward.*PASS +relu +backward .*3 passed, 0 failed")
clact_cli_test(check_markdown ARGS "check relu --quick --markdown" RC 0 DEVICE
               OUT "[|] relu [|] forward [|] f32 [|] bit-exact [|] 0 [|] all exact")
clact_cli_test(check_dtypes ARGS "check leaky_relu --quick --dtype f16,bf16" RC 0 DEVICE
               OUT "PASS +leaky_relu +forward +f16.*PASS +leaky_relu +forward +bf16")
clact_cli_test(check_bad_dtype ARGS "check relu --dtype f8" RC 2 ERR "not a dtype")
clact_cli_test(check_json ARGS "check identity --quick --json" RC 0 DEVICE JSON stdout
               JSON_KEYS "device driver clact seed results passed failed" RESULT_COUNT 3
               RESULT_KEYS "activation direction dtype result max_error bound count failures worst")
set(CLACT_CLI_BENCH_KEYS
    "activation direction dtype n gelem_per_s gb_per_s ratio_to_copy median_ms min_ms max_ms")
clact_cli_test(bench_json ARGS "bench relu --n 65536 --time 0.05 --json -" RC 0 DEVICE
               JSON stdout JSON_KEYS "device driver clact results" RESULT_COUNT 3
               RESULT_KEYS "${CLACT_CLI_BENCH_KEYS}")
clact_cli_test(bench_json_file
               ARGS "bench identity --n 4096 --time 0.02 --json '${CMAKE_CURRENT_BINARY_DIR}/bench.json'"
               RC 0 DEVICE JSON ${CMAKE_CURRENT_BINARY_DIR}/bench.json
               JSON_KEYS "device driver clact results" RESULT_KEYS "${CLACT_CLI_BENCH_KEYS}")
set_tests_properties(cli/bench_json_file PROPERTIES FIXTURES_SETUP bench_baseline)
# --sweep: every size 2^10, 2^12, ..., 2^26 for each of relu's three directions.
clact_cli_test(bench_sweep ARGS "bench relu --sweep --time 0.01 --json -" RC 0 DEVICE
               JSON stdout RESULT_COUNT 27 RESULT_KEYS "${CLACT_CLI_BENCH_KEYS} compile_ms first_ms"
               JSON_KEYS "device driver platform clact vector_width results"
               ERR "n = 1024 to 67108864 [(]9 sizes[)]")
clact_cli_test(bench_csv ARGS "bench relu --n 4096 --time 0.02 --csv -" RC 0 DEVICE
               OUT "^device,driver,platform,clact,vector_width,activation,direction,dtype,n,gelem_per_s,[^\n]*\n[^\n]*,relu,forward,f32,4096,[^\n]*\n[^\n]*,relu,backward,f32,4096,")
# --compare against the file bench_json_file wrote (same activation and n: every row matched).
clact_cli_test(bench_compare
               ARGS "bench identity --n 4096 --time 0.02 --compare '${CMAKE_CURRENT_BINARY_DIR}/bench.json'"
               RC 0 DEVICE OUT "compared with .*bench.json.*identity +forward +f32 +4096 +[0-9.]+ +[0-9.]+ +[-+][0-9.]+%")
set_tests_properties(cli/bench_compare PROPERTIES FIXTURES_REQUIRED bench_baseline)
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/baseline_bad_key.json
     "{\"results\": [{\"activation\": \"relu\", \"n\": 1}]}")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/baseline_truncated.json "{\"results\": [{\"activation\": \"re")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/baseline_trailing.json "{\"results\": []} x")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/baseline_other.json "{\"rows\": [], \"x\": [1, {\"a\": null}]}")
foreach(bad bad_key truncated trailing other)
  clact_cli_test(bench_compare_${bad}
                 ARGS "bench relu --compare '${CMAKE_CURRENT_BINARY_DIR}/baseline_${bad}.json'" RC 3
                 ERR "--compare .*baseline_${bad}.json: .*give a file written by clact bench --json")
endforeach()
clact_cli_test(bench_compare_missing ARGS "bench relu --compare /nonexistent/b.json" RC 3
               ERR "--compare /nonexistent/b.json: No such file")
# --host: the host-array calls timed beside the device-resident ones.
clact_cli_test(bench_host ARGS "bench relu gelu --n 65536 --host --time 0.02 --json -" RC 0 DEVICE
               JSON stdout RESULT_COUNT 5 RESULT_KEYS "${CLACT_CLI_BENCH_KEYS} host_ms host_ratio"
               ERR "host ms +host ratio")
# --width: the launch shape is set (the CSV's vector_width column) and bad widths are refused.
clact_cli_test(bench_width ARGS "bench relu --n 4099 --time 0.02 --width 2 --csv -" RC 0 DEVICE
               OUT "vector_width.*\n[^\n]*,2,relu,forward,f32,4099,")
clact_cli_test(bench_width_bad ARGS "bench relu --width 3" RC 2 ERR "--width must be 1, 2, 4, 8 or 16")
clact_cli_test(bench_width_range ARGS "bench relu --width 0" RC 2 ERR "--width 0 is out of range")
clact_cli_test(bench_n_and_sweep ARGS "bench relu --n 4096 --sweep" RC 2 ERR "--n or --sweep, not both")
clact_cli_test(bench_two_stdout ARGS "bench relu --json - --csv -" RC 2 ERR "cannot both go to stdout")
