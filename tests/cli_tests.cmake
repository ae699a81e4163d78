# tests/cli_tests.cmake: tests of the clact command (written with the CLI).
