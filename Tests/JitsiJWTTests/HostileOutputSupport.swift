import ArgumentParser
import Synchronization
import TestSupport
import Testing

@testable import jitsi_jwt

#if canImport(Glibc)
    import Glibc
#endif

/// What a command printed, as the exact bytes.
struct RawResult {
    var status: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]
}

/// Runs `arguments` in-process like ``execute(_:stdin:now:)``, keeping the output's bytes (no UTF-8 decoding, which
/// would hide a raw `0x9b` behind U+FFFD).
func executeRaw(_ arguments: [String], stdin: String = "") -> RawResult {
    let (status, capture) = Output.capturing(standardInput: Array(stdin.utf8)) { () -> Int32 in
        TokenServerOptions.$fixedNow.withValue(fixedTime) {
            do {
                var command = try JitsiJWT.parseAsRoot(arguments)
                try command.run()
                return 0
            } catch let exit as ExitCode {
                return exit.rawValue
            } catch {
                let code = JitsiJWT.exitCode(for: error)
                Output.error(lines: JitsiJWT.fullMessage(for: error))
                return code == .validationFailure ? 2 : code.rawValue
            }
        }
    }
    return RawResult(
        status: status, stdout: capture.standardOutput.withLock { $0 }, stderr: capture.standardError.withLock { $0 })
}

/// The first byte sequence a terminal would act on, as `offset: bytes`, or `nil`: C0 controls other than the line
/// feed, DEL, bytes that are not valid UTF-8, and the code points of `TerminalText` (C1, bidi controls, U+2028/9).
/// Written here from the byte values, not with the code under test.
func firstTerminalControl(in bytes: [UInt8]) -> String? {
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte < 0x80 {
            if (byte < 0x20 && byte != 0x0A) || byte == 0x7F { return "\(index): \(byte)" }
            index += 1
            continue
        }
        let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
        guard length > 1, index + length <= bytes.count,
            let scalar = String(validating: bytes[index..<index + length], as: UTF8.self)?.unicodeScalars.first
        else { return "\(index): invalid UTF-8 \(byte)" }
        switch scalar.value {
        case 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069:
            return "\(index): U+\(String(scalar.value, radix: 16))"
        default: index += length
        }
    }
    return nil
}

/// Whether `needle` occurs in `haystack`, bytewise.
func containsBytes(_ haystack: [UInt8], _ needle: String) -> Bool {
    let needle = Array(needle.utf8)
    guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
    return (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
}

/// A fixture of `Fixtures/hostile/`.
func hostileFixture(_ name: String) -> String { Repository.path("Fixtures/hostile/\(name).cfg.lua") }
