# tests/f64.cmake: float64 tests beyond the per-(activation, direction) kernel tests, which
# tests/CMakeLists.txt generates for f64 like the other dtypes (test_kernel ID DIR f64).
clact_test_program(test_f64)
clact_test(unit/f64_calls COMMAND test_f64 LABELS "unit;f64")
if(CLACT_BUILD_CLI)
  # clact check on f64 (a quick run: the kernel tests do the full sweeps)
  clact_cli_test(f64_check DEVICE ARGS "check gelu softplus --dtype f64 --random 4096" RC 0
                 OUT "PASS +gelu +forward +f64.*PASS +softplus +backward_from_y +f64")
  # float64 .npy computed in f64: gelu(-1.5), gelu(0), gelu(1.5) to 1e-15 relative
  clact_apply_test(f64_gelu ARGS "gelu x_f64_v3.npy" DEVICE
                   EXPECT "<f8 (3,) 1e-15 -0.10021080190328714 0 1.3997891980967129")
endif()
