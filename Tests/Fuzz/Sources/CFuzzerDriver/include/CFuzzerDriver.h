// libFuzzer's driver entry point (compiler-rt FuzzerInterface.h, LLVM 11+). SwiftPM links every executable with
// `main` aliased to `<Module>_main`, so the targets' main.swift calls this instead of relying on libFuzzer's own
// `main` (which is then never linked in).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
