# tests/robustness.cmake: robustness tests, included from tests/CMakeLists.txt.
# - unit/threads: one context used from 8 threads at once (and contexts wrapping the same
#   cl_context with other queues), the program cache shared by concurrent threads and processes;
# - unit/cache_abuse: damaged, foreign, stale and odd cache entries and folders are misses;
# - unit/cache_abuse_lengths: entry lengths that wrap the reader's arithmetic, a FIFO as the
#   entry (each case in its own process, so a crash or a hang is reported per case);
# - with -DCLACT_FUZZ=ON and Clang: the libFuzzer harnesses fuzz_params, fuzz_cache and
#   fuzz_bench_json (and fuzz_npy, from tests/apply.cmake), and the tests fuzz/NAME that
#   run each for a bounded time on its seed corpus (FUZZ_SECONDS, default 60; LABELS fuzz, so
#   `ctest -LE fuzz` leaves them out; .ci/run runs them in its fuzz stage).

clact_test_program(test_threads)
target_include_directories(test_threads PRIVATE ${PROJECT_SOURCE_DIR}/host)
target_link_libraries(test_threads PRIVATE Threads::Threads)
clact_test(unit/threads COMMAND test_threads ${CMAKE_CURRENT_BINARY_DIR}/threads-scratch
           LABELS unit)

clact_test_program(test_cache_abuse)
target_include_directories(test_cache_abuse PRIVATE ${PROJECT_SOURCE_DIR}/host)
clact_test(unit/cache_abuse
           COMMAND test_cache_abuse ${CMAKE_CURRENT_BINARY_DIR}/cache-abuse-scratch LABELS unit)
clact_test(unit/cache_abuse_lengths
           COMMAND test_cache_abuse ${CMAKE_CURRENT_BINARY_DIR}/cache-abuse-scratch --group lengths
           LABELS unit)

if(CLACT_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
  set(FUZZ_SECONDS 60 CACHE STRING "Seconds each fuzz/ test fuzzes for")
  set(CLACT_FUZZ_FLAGS -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
  # The library again, instrumented for coverage (fuzzer-no-link) and the sanitizers.
  set(fuzz_lib_sources)
  foreach(src IN LISTS CLACT_LIB_SOURCES)
    if(IS_ABSOLUTE ${src})
      list(APPEND fuzz_lib_sources ${src})
    else()
      list(APPEND fuzz_lib_sources ${PROJECT_SOURCE_DIR}/${src})
    endif()
  endforeach()
  add_library(clact_fuzz_objects OBJECT ${fuzz_lib_sources})
  add_dependencies(clact_fuzz_objects clact_objects) # clact_objects generates the embedded kernels
  target_include_directories(clact_fuzz_objects PUBLIC ${PROJECT_SOURCE_DIR}/include
                                                       ${PROJECT_SOURCE_DIR}/host)
  target_compile_definitions(clact_fuzz_objects PRIVATE CLACT_VERSION_STRING="${PROJECT_VERSION}")
  target_compile_options(clact_fuzz_objects PRIVATE -g -O1
                         -fsanitize=fuzzer-no-link,address,undefined
                         -fno-sanitize-recover=undefined ${CLACT_WARNINGS})
  target_link_libraries(clact_fuzz_objects PUBLIC OpenCL::OpenCL)

  add_executable(fuzz_params ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_params.c
                             ${PROJECT_SOURCE_DIR}/host/cli/cli_util.c)
  target_include_directories(fuzz_params PRIVATE ${PROJECT_SOURCE_DIR}/host/cli)
  add_executable(fuzz_cache ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_cache.c)
  # The reader of `clact bench --compare` (needs no library).
  add_executable(fuzz_bench_json ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_bench_json.c
                                 ${PROJECT_SOURCE_DIR}/host/cli/bench_json.c)
  target_include_directories(fuzz_bench_json PRIVATE ${PROJECT_SOURCE_DIR}/host/cli
                                                     ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(fuzz_bench_json PRIVATE OpenCL::OpenCL)
  foreach(t fuzz_params fuzz_cache)
    target_link_libraries(${t} PRIVATE clact_fuzz_objects Threads::Threads m)
  endforeach()
  foreach(t fuzz_params fuzz_cache fuzz_bench_json)
    target_compile_options(${t} PRIVATE ${CLACT_FUZZ_FLAGS} ${CLACT_WARNINGS})
    target_link_options(${t} PRIVATE -fsanitize=fuzzer,address,undefined)
  endforeach()

  # Bounded runs on the seed corpus (new inputs go to the build folder, not the source tree);
  # -close_fd_mask=3 silences the library's and the command's messages. Leaks inside the
  # OpenCL driver stack are suppressed (full unwinding, so that their frames name it).
  set(fuzz_env ${CLACT_TEST_ENV}
      "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/sanitizers/lsan.supp:fast_unwind_on_malloc=0:malloc_context_size=64")
  # fuzz_npy (the .npy reader) is built by tests/apply.cmake, with the command.
  foreach(name params cache npy bench_json)
    if(NOT TARGET fuzz_${name})
      continue()
    endif()
    set(work ${CMAKE_CURRENT_BINARY_DIR}/fuzz-${name})
    set(dict)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/${name}.dict)
      set(dict -dict=${CMAKE_CURRENT_SOURCE_DIR}/fuzz/${name}.dict)
    endif()
    add_test(NAME fuzz/${name}
             COMMAND ${CMAKE_COMMAND} -E env TMPDIR=${CMAKE_CURRENT_BINARY_DIR}
                     $<TARGET_FILE:fuzz_${name}> -max_total_time=${FUZZ_SECONDS} -close_fd_mask=3
                     -print_final_stats=1 ${dict} -artifact_prefix=${work}/ ${work}/corpus
                     ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_${name})
    set_tests_properties(fuzz/${name} PROPERTIES LABELS fuzz SKIP_RETURN_CODE 77
                         ENVIRONMENT "${fuzz_env}" FIXTURES_REQUIRED fuzz_${name}_dir)
    add_test(NAME fuzz/${name}_setup COMMAND ${CMAKE_COMMAND} -E make_directory ${work}/corpus)
    set_tests_properties(fuzz/${name}_setup PROPERTIES LABELS fuzz
                         FIXTURES_SETUP fuzz_${name}_dir)
  endforeach()
elseif(CLACT_FUZZ)
  message(WARNING "CLACT_FUZZ needs Clang (CC=clang): fuzz_params and fuzz_cache are not built")
endif()
