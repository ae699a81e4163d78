# tests/install_consumer.cmake: installs the build into a scratch prefix, then builds and runs
# tests/consumer against it twice: through find_package(clact CONFIG) and through pkg-config.
# Run as: cmake -DBUILD=... -DSRC=... -DWORK=... -P install_consumer.cmake
file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()
run(${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix})
# 1. the CMake package
run(${CMAKE_COMMAND} -S ${SRC}/tests/consumer -B ${WORK}/cmake-build -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${WORK}/cmake-build)
execute_process(COMMAND ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${prefix}/lib
                        ${WORK}/cmake-build/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "find_package consumer: ${out}")
if(NOT rc EQUAL 0 AND NOT rc EQUAL 77)
  message(FATAL_ERROR "the find_package consumer failed (${rc})")
endif()
# 2. pkg-config
find_program(PKG_CONFIG pkg-config)
find_program(CC NAMES cc gcc clang)
if(NOT PKG_CONFIG OR NOT CC)
  message(FATAL_ERROR "pkg-config or a C compiler is missing")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${prefix}/lib/pkgconfig
                        ${PKG_CONFIG} --cflags --libs clact
                OUTPUT_VARIABLE flags RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config does not find clact")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${CC} -std=c11 ${SRC}/tests/consumer/consumer.c ${flags} -lOpenCL -lm -o ${WORK}/pc-consumer)
execute_process(COMMAND ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${prefix}/lib ${WORK}/pc-consumer
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "pkg-config consumer: ${out}")
if(NOT rc EQUAL 0 AND NOT rc EQUAL 77)
  message(FATAL_ERROR "the pkg-config consumer failed (${rc})")
endif()
