# tests/golden.cmake: the double-precision reference against the committed golden vectors
# (tests/data/golden: exact values from MPFR, see tests/data/golden/README.md). Needs no MPFR.
# unit/reference_golden holds the reference to them (relative error < 2^-40, the rule in
# tests/test_golden.c); unit/reference_golden_catches perturbs every expected value by 2^-36
# of its scale and must see every vector fail. The generator (scripts/gen_golden.c, MPFR) is a
# target outside `all`: cmake --build build --target gen_golden && build/tests/gen_golden
# tests/data/golden.
clact_test_program(test_golden)
clact_test(unit/reference_golden COMMAND test_golden ${PROJECT_SOURCE_DIR}/tests/data/golden
           LABELS "unit;accuracy")
clact_test(unit/reference_golden_catches
           COMMAND test_golden ${PROJECT_SOURCE_DIR}/tests/data/golden --perturb
           LABELS "unit;accuracy")

if(MPFR_INCLUDE_DIR AND MPFR_LIBRARY AND GMP_LIBRARY)
  add_executable(gen_golden EXCLUDE_FROM_ALL ${PROJECT_SOURCE_DIR}/scripts/gen_golden.c)
  target_include_directories(gen_golden PRIVATE ${MPFR_INCLUDE_DIR} ${PROJECT_SOURCE_DIR}/host
                                                ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(gen_golden PRIVATE clact_static m ${MPFR_LIBRARY} ${GMP_LIBRARY})
  target_compile_options(gen_golden PRIVATE ${CLACT_WARNINGS})
endif()
