# tests/offload.cmake: clact_*_host (host/offload.c): both paths forced, chunked, every 16/32-bit
# dtype, bit-identical to the device-buffer calls; the argument errors.
clact_test_program(test_offload)
target_include_directories(test_offload PRIVATE ${PROJECT_SOURCE_DIR}/host)
clact_test(unit/offload COMMAND test_offload LABELS unit)
