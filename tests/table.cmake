# tests/table.cmake: tests of `clact table` (label cli), included from tests/CMakeLists.txt after
# cli_tests.cmake (it uses clact_cli_test). The activations measured here cover every kind of
# declared value and measurement: steps (C-1, a Dirac spike in f'), kinks (C0), smooth rows
# (>=C1), sets ({0,1}, a union, the integers), "≈" minima, parameter-dependent strings
# evaluated at the defaults ("Y if α≤1", "(C0 if value=threshold)", ", else"), a NaN domain
# (sqrt, log: "on (0,inf)"), no limit at ±inf (sin), the two parities of brelu, and "depends"
# (not comparable). Each row's expected text is "declared = measured" per column.

set(CLACT_TABLE_IDS
    "identity relu brelu sigmoid gelu elu binary_step hardshrink threshold round sqrt log sinusoid selu sqnl affine smht pow")

clact_cli_test(table_help ARGS "table --help" RC 0
               OUT "usage: clact table.*continuity.*identity 0.*Exit status")
clact_cli_test(table_unknown_id ARGS "table relu nosuch" RC 3 ERR "unknown activation 'nosuch'")
clact_cli_test(table_two_formats ARGS "table relu --json --markdown" RC 2
               ERR "give one of --json and --markdown")
clact_cli_test(table_bad_device_spec ARGS "table relu --device zero" RC 2 ERR "PLATFORM:DEVICE")

# Expected rows: the declared string, '=' and the measured value, column by column (the text
# table pads with spaces). '~' marks a value that is not comparable. A row starts after a
# character that cannot end another id ([^_a-z]: "relu" is not the end of "brelu"). Literal
# square brackets are matched with '.': an unbalanced one would break CMake's list splitting.
set(sp " +")
set(CLACT_TABLE_ROWS
    "[^_a-z]relu${sp}.0,inf\\) = .0,inf.${sp}C0 = C0${sp}Y = Y${sp}Y = Y${sp}N = N${sp}agree"
    "[^_a-z]brelu${sp}\\(-inf,inf\\) = .-inf,inf.${sp}C0 = C0${sp}Y = Y${sp}Y = Y${sp}N = N${sp}agree"
    "[^_a-z]sigmoid${sp}\\(0,1\\) = .0,1.${sp}C∞ = ≥C1${sp}Y = Y${sp}N = N${sp}N = N${sp}agree"
    "[^_a-z]gelu${sp}.≈-0.170,inf\\) = .-0.1699[0-9]*,inf.${sp}C∞ = ≥C1${sp}N = N${sp}N = N${sp}N = N"
    "[^_a-z]elu${sp}\\(-α,inf\\) = .-1,inf.${sp}C1 if α=1 = ≥C1${sp}Y = Y${sp}Y if α≤1 = Y${sp}Y if α=1 = Y"
    "[^_a-z]binary_step${sp}{0,1} = {0,1}${sp}C-1 = C-1${sp}Y = Y${sp}N = N${sp}N = N${sp}agree"
    "[^_a-z]threshold${sp}{value}∪\\(threshold,inf\\) = .0,inf.${sp}C-1 \\(C0 if value=threshold\\) = C0"
    "[^_a-z]round${sp}the integers = integers in .-inf,inf.${sp}C-1 = C-1${sp}Y = Y${sp}N = N"
    "[^_a-z]sqrt${sp}.0,inf\\) \\(NaN for x<0\\) = .0,inf. \\(NaN for x<0\\)${sp}C0 \\(C∞ on \\(0,inf\\)\\) = C0"
    "[^_a-z]log${sp}[^|]*C∞ on \\(0,inf\\) = ≥C1${sp}Y = Y${sp}Y = Y${sp}N = N${sp}agree"
    "[^_a-z]sinusoid${sp}.-1,1. = .-1,1. \\(no limit at ±inf\\)${sp}C∞ = ≥C1${sp}N = N${sp}N = N${sp}Y = Y"
    "[^_a-z]selu${sp}\\(-λα,inf\\) = .-1.7581,inf.${sp}C0 = C0${sp}Y = Y${sp}N = N${sp}N = N"
    "[^_a-z]smht${sp}depends ~ .-1,1.${sp}C∞ = ≥C1${sp}depends ~ Y${sp}N = N${sp}depends ~ Y${sp}agree")
string(JOIN ".*" CLACT_TABLE_OUT ${CLACT_TABLE_ROWS})
clact_cli_test(table_ids ARGS "table ${CLACT_TABLE_IDS}" RC 0 DEVICE IDS "${CLACT_TABLE_IDS}"
               OUT "${CLACT_TABLE_OUT}.*18 agree, 0 disagree")

clact_cli_test(table_json ARGS "table relu brelu sqrt --json" RC 0 DEVICE JSON stdout
               JSON_KEYS "device driver clact results agreed disagreed" RESULT_COUNT 3
               RESULT_KEYS "id params branches declared declared_at_defaults measured agree evidence result"
               OUT "\"id\": \"brelu\".*\"branches\": 2.*\"nan_for_negative\": true.*\"disagreed\": 0")
clact_cli_test(table_markdown ARGS "table relu hardshrink --markdown" RC 0 DEVICE
               OUT "^# Activation properties: declared and measured..Made by `clact table --markdown`.*[|] relu [|] .0,inf\\) = .0,inf. [|] C0 = C0 [|].*[|] hardshrink [|] {0}∪\\(-inf,-λ\\)∪\\(λ,inf\\) = .* [|] C-1 \\(C0 if λ=0\\) = C-1 [|].*2 agree, 0 disagree")

# Every activation of the registry: declared and measured must agree (exit 0), each id listed.
clact_cli_test(table_all ARGS "table" RC 0 DEVICE IDS "${CLACT_CLI_IDS}"
               OUT "[0-9]+ agree, 0 disagree")
