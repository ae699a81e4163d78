# tests/channel.cmake: the per-channel activations (include/clact/channel.h, docs/channel.md):
# accuracy tests per (op, direction, dtype, shape), the API-validation unit test and the test
# that the checker can fail. Included from tests/CMakeLists.txt.
clact_test_program(test_channel)

# Accuracy: every (op, direction, dtype) at N x C x inner 1x1x1, 2x3x33, 2x64x4096 and 3x2x5000
# (inner above the 4096-element tile and not a multiple of it), prelu also with a shared weight,
# apl with S = 1, 2 and 8; one large reduction (8 x 4 x 2^17: 2^20 terms per weight gradient)
# in f32 and one 16-bit dtype. ARGS: n c inner [hinges|shared].
set(CLACT_CH_CASES
    "prelu|1 1 1" "prelu|2 3 33" "prelu|2 64 4096" "prelu|2 3 33 shared" "prelu|2 64 4096 shared"
    "prelu|3 2 5000" "apl|1 1 1 1" "apl|2 3 33 1" "apl|2 5 33 8" "apl|2 64 4096 8" "apl|3 2 5000 2")
foreach(case IN LISTS CLACT_CH_CASES)
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 op)
  list(GET parts 1 args)
  string(REPLACE " " ";" args "${args}")
  string(REPLACE ";" "_" tag "${args}")
  foreach(dir fwd bwd)
    foreach(dtype f32 f16 bf16 f64)
      clact_test(channel/${op}/${dir}/${dtype}/${tag} COMMAND test_channel ${op} ${dir} ${dtype}
                 ${args} LABELS "channel;accuracy")
    endforeach()
  endforeach()
endforeach()
foreach(big "prelu|f32" "prelu|f16" "apl|f32" "apl|bf16")
  string(REPLACE "|" ";" parts "${big}")
  list(GET parts 0 op)
  list(GET parts 1 dtype)
  set(hinges)
  if(op STREQUAL "apl")
    set(hinges 8)
  endif()
  clact_test(channel/${op}/bwd/${dtype}/8_4_131072 COMMAND test_channel ${op} bwd ${dtype} 8 4
             131072 ${hinges} LABELS "channel;accuracy")
endforeach()

# host/cli/channel_cli.c linked alone with a small driver (with cli_util.c and structured_cli.c,
# which it uses).
add_executable(test_channel_cli test_channel_cli.c ${PROJECT_SOURCE_DIR}/host/cli/channel_cli.c
                                ${PROJECT_SOURCE_DIR}/host/cli/cli_util.c
                                ${PROJECT_SOURCE_DIR}/host/cli/structured_cli.c)
target_include_directories(test_channel_cli PRIVATE ${PROJECT_SOURCE_DIR}/host/cli)
target_link_libraries(test_channel_cli PRIVATE clact_static m)
target_compile_options(test_channel_cli PRIVATE ${CLACT_WARNINGS})

clact_test_program(test_channel_api)
clact_test(channel/unit/api COMMAND test_channel_api LABELS "unit;channel")

# clact_channel_forward_ex / _backward_ex: blending and fused bias against the plain calls
# (host/storage.h for the formats' bits).
clact_test_program(test_channel_call)
target_include_directories(test_channel_call PRIVATE ${PROJECT_SOURCE_DIR}/host)
clact_test(channel/unit/call COMMAND test_channel_call LABELS "unit;channel")

# The checker can fail: deliberately broken copies of kernels/prelu_ch.cl and kernels/apl.cl
# must each be reported.
clact_test_program(test_channel_checker)
clact_test(channel/unit/checker_catches
           COMMAND test_channel_checker ${PROJECT_SOURCE_DIR}/kernels
                   ${CMAKE_CURRENT_BINARY_DIR}/channel-checker-scratch
           LABELS "unit;channel")

# The functions `clact list`, `clact check` and `clact bench` call (host/cli/channel_cli.c).
clact_test(channel/cli/list COMMAND test_channel_cli list LABELS "channel;cli")
set_tests_properties(channel/cli/list PROPERTIES PASS_REGULAR_EXPRESSION
                     "per-channel operations.*\nprelu .*\napl ")
clact_test(channel/cli/split COMMAND test_channel_cli split relu apl prelu gelu apl
           LABELS "channel;cli")
set_tests_properties(channel/cli/split PROPERTIES PASS_REGULAR_EXPRESSION
                     "^op apl\nop prelu\nrest relu\nrest gelu\n$")
clact_test(channel/cli/check COMMAND test_channel_cli check quick bf16 LABELS "channel;cli")
set_tests_properties(channel/cli/check PROPERTIES PASS_REGULAR_EXPRESSION
                     "PASS +prelu +forward +bf16.*PASS +apl +backward +bf16.*4 passed, 0 failed")
clact_test(channel/cli/bench COMMAND test_channel_cli bench apl f32 0.2 2 8 1000 3
           LABELS "channel;cli")
set_tests_properties(channel/cli/bench PROPERTIES PASS_REGULAR_EXPRESSION
                     "apl +forward +f32 +2x8x1000 S=3 .*\napl +backward +f32 ")
