// Hands control to libFuzzer with this target's callback (see CFuzzerDriver.h for why not libFuzzer's main).
import CFuzzerDriver
#if canImport(Glibc)
    import Glibc
#endif

var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
var count = CommandLine.argc
exit(LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzConfigLoader(data, size) })
