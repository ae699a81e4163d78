# tests/structured.cmake: the activations with structure (include/clact/structured.def,
# CATALOGUE.md section 3): one accuracy test per (operation, direction, dtype, row length) and
# the API-validation unit test. Included from tests/CMakeLists.txt.
clact_test_program(test_structured)
clact_test_program(test_structured_api)
target_include_directories(test_structured_api PRIVATE ${PROJECT_SOURCE_DIR}/host)
clact_test(structured/unit/api COMMAND test_structured_api LABELS "unit;structured")
# The checker can fail: deliberately broken copies of kernels/softmax.cl must each be reported.
clact_test_program(test_structured_checker)
clact_test(structured/unit/checker_catches
           COMMAND test_structured_checker ${PROJECT_SOURCE_DIR}/kernels
                   ${CMAKE_CURRENT_BINARY_DIR}/structured-checker-scratch
           LABELS "unit;structured")

# Row lengths of the issue, with fewer rows for the long ones (the whole set stays ~1 min here).
# The GLU family's row length is d (rows of 2d: value and gate halves); one row at 2^20, where
# each test runs every gate position and the separate gate tensor.
set(CLACT_ST_SHAPES "64:1" "64:3" "40:33" "12:1000" "10:4096" "2:1048576")
set(CLACT_ST_GLU_SHAPES "64:1" "64:3" "40:33" "12:1000" "4:4096" "1:1048576")
set(CLACT_ST_GLU glu swiglu geglu geglu_tanh reglu bilinear)
file(READ ${PROJECT_SOURCE_DIR}/include/clact/structured.def CLACT_ST_DEF)
string(REGEX MATCHALL "\nCLACT_STRUCTURED\\([A-Z0-9_]+,[ \t\r\n]*[a-z0-9_]+" CLACT_ST_ROWS
       "${CLACT_ST_DEF}")
foreach(row IN LISTS CLACT_ST_ROWS)
  string(REGEX REPLACE "^.*,[ \t\r\n]*([a-z0-9_]+)$" "\\1" id "${row}")
  set(shapes ${CLACT_ST_SHAPES})
  if(id IN_LIST CLACT_ST_GLU)
    set(shapes ${CLACT_ST_GLU_SHAPES})
  endif()
  # the softmax family's forward on CPUs runs up to 8 rows per work-item from 256 rows on (each
  # row's sum pass also taking the next row's max): 1100 rows (8 per work-item, the last with 4)
  # and 300 (2 per work-item)
  if(id MATCHES "^(softmax|log_softmax|softmin)$")
    list(APPEND shapes "1100:33" "300:1000")
  endif()
  foreach(dir fwd bwd)
    foreach(dtype f32 f16 bf16)
      foreach(shape IN LISTS shapes)
        string(REPLACE ":" ";" rc "${shape}")
        list(GET rc 0 rows)
        list(GET rc 1 cols)
        set(name cols${cols})
        if(rows GREATER 255)
          set(name ${rows}x${cols})
        endif()
        clact_test(structured/${id}/${dir}/${dtype}/${name}
                   COMMAND test_structured ${id} ${dir} ${dtype} ${rows} ${cols}
                   LABELS "structured;accuracy")
      endforeach()
    endforeach()
  endforeach()
endforeach()

# float64 (docs/structured.md, "float64"): every operation, at fewer row lengths (the softmax
# family and sparsemax 1, 33, 4096 and 2^20; the others 1, 33 and 4096). Skipped
# (77) where the device has no cl_khr_fp64, after checking that f64 is refused there.
set(CLACT_ST_F64_SHAPES "64:1" "40:33" "10:4096" "2:1048576")
set(CLACT_ST_F64_OTHER_SHAPES "64:1" "40:33" "4:4096")
foreach(id softmax log_softmax softmin sparsemax ${CLACT_ST_GLU} crelu maxout rrelu_train)
  set(shapes ${CLACT_ST_F64_OTHER_SHAPES})
  if(id MATCHES "^(softmax|log_softmax|softmin|sparsemax)$")
    set(shapes ${CLACT_ST_F64_SHAPES})
  endif()
  foreach(dir fwd bwd)
    foreach(shape IN LISTS shapes)
      string(REPLACE ":" ";" rc "${shape}")
      list(GET rc 0 rows)
      list(GET rc 1 cols)
      clact_test(structured/${id}/${dir}/f64/cols${cols}
                 COMMAND test_structured ${id} ${dir} f64 ${rows} ${cols}
                 LABELS "structured;accuracy;f64")
    endforeach()
  endforeach()
endforeach()

# cli_bench_structured (host/cli/bench_structured.c, called by `clact bench`) linked alone with
# a small driver: it must run and print both directions at a small shape.
add_executable(bench_structured bench_structured_main.c
                                ${PROJECT_SOURCE_DIR}/host/cli/bench_structured.c)
target_include_directories(bench_structured PRIVATE ${PROJECT_SOURCE_DIR}/host/cli)
target_link_libraries(bench_structured PRIVATE clact_static m)
target_compile_options(bench_structured PRIVATE ${CLACT_WARNINGS})
clact_test(structured/cli/bench_softmax COMMAND bench_structured softmax f32 0.05 64 1000
           LABELS "structured;cli")
set_tests_properties(structured/cli/bench_softmax PROPERTIES
                     PASS_REGULAR_EXPRESSION "softmax +forward +f32 +64x1000 .*\nsoftmax +backward_from_y")

# f64 where the device has it (sparsemax too)
clact_test(structured/cli/bench_log_softmax_f64 COMMAND bench_structured log_softmax f64 0.05 64 1000
           LABELS "structured;cli;f64")
set_tests_properties(structured/cli/bench_log_softmax_f64 PROPERTIES PASS_REGULAR_EXPRESSION
                     "log_softmax +forward +f64 +64x1000 .*\nlog_softmax +backward_from_y +f64")
clact_test(structured/cli/bench_sparsemax_f64 COMMAND bench_structured sparsemax f64 0.05 64 1000
           LABELS "structured;cli;f64")
set_tests_properties(structured/cli/bench_sparsemax_f64 PROPERTIES PASS_REGULAR_EXPRESSION
                     "sparsemax +forward +f64 +64x1000 .*\nsparsemax +backward_from_y +f64")

clact_test(structured/cli/bench_maxout COMMAND bench_structured maxout f32 0.05 64 1000
           LABELS "structured;cli")
set_tests_properties(structured/cli/bench_maxout PROPERTIES
                     PASS_REGULAR_EXPRESSION "maxout +forward +f32 +64x1000 .*\nmaxout +backward ")

# The command: `clact check` of one structured operation (quick: rows up to 4096), mixed with an
# activation, unknown ids still rejected; `clact list` shows the structured operations (text and
# --json with kind "structured").
if(CLACT_BUILD_CLI AND COMMAND clact_cli_test)
  clact_cli_test(structured_check_softmax ARGS "check softmax --quick" RC 0 DEVICE
                 OUT "PASS +softmax +forward +f32.*PASS +softmax +backward_from_y +f32.*2 passed")
  clact_cli_test(structured_check_mixed ARGS "check relu log_softmax --quick --dtype bf16" RC 0
                 DEVICE OUT "PASS +relu .*PASS +log_softmax +forward +bf16.*5 passed")
  clact_cli_test(structured_check_json ARGS "check softmin --quick --json" RC 0 DEVICE
                 JSON stdout RESULT_COUNT 2 OUT "\"kind\": \"structured\"")
  clact_cli_test(structured_check_unknown ARGS "check softmax nosuch" RC 3
                 ERR "unknown activation 'nosuch'")
  clact_cli_test(structured_list ARGS "list" RC 0 IDS "softmax log_softmax softmin sparsemax maxout rrelu_train"
                 OUT "structured operations")
  clact_cli_test(structured_check_f64 ARGS "check softmax swiglu maxout --quick --dtype f64" RC 0
                 DEVICE
                 OUT "PASS +softmax +forward +f64.*PASS +swiglu +backward +f64.*PASS +maxout +backward +f64.*6 passed")
  clact_cli_test(structured_check_new ARGS "check sparsemax maxout rrelu_train --quick --dtype f32,bf16"
                 RC 0 DEVICE
                 OUT "PASS +sparsemax +forward +f32.*PASS +maxout +backward +f32.*PASS +rrelu_train +backward +bf16.*12 passed")
  clact_cli_test(structured_list_json ARGS "list --json" RC 0 JSON stdout
                 JSON_IDS "softmax log_softmax softmin relu"
                 OUT "\"id\": \"softmax\", \"kind\": \"structured\"")
endif()
clact_test_program(test_rows_call)
target_include_directories(test_rows_call PRIVATE ${PROJECT_SOURCE_DIR}/host)
clact_test(structured/unit/blend COMMAND test_rows_call LABELS "unit;structured")
# every operation in every format: outside the default run (-C Exhaustive -L exhaustive)
add_test(NAME structured/blend_all COMMAND test_rows_call --all CONFIGURATIONS Exhaustive)
set_tests_properties(structured/blend_all PROPERTIES LABELS exhaustive
                                                     ENVIRONMENT "${CLACT_TEST_ENV}")
