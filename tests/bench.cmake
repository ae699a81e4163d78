# tests/bench.cmake: the comparison tools run (quick forms; the full runs write docs/).
if(TARGET compare_pytorch)
  # 65,536 inputs (every 65536th pattern, -inf among them): PyTorch's gelu formula gives NaN at
  # -inf (x 0.5 (1 + erf(-inf)) = -inf * 0), which the tool must report as a class error.
  add_test(NAME unit/compare_pytorch COMMAND compare_pytorch --stride 65536)
  set_tests_properties(unit/compare_pytorch PROPERTIES LABELS unit
                       PASS_REGULAR_EXPRESSION "\ngelu +fwd [^\n]*class errors [(]e[.]g[.] -inf[)]")
endif()
