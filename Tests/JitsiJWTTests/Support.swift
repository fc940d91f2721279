// No Foundation here on purpose: `import Foundation` brings in _FoundationICU, whose ICU headers clash with the
// system ICU that StringPrep's CICU module loads into this test module.
import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

#if canImport(Glibc)
    import Glibc
#endif

/// Parses and runs `arguments` in-process through `JitsiJWT.main()`'s own error-to-exit-code mapping, with stdin
/// and stdout/stderr captured, at the fixed time `now`.
func execute(_ arguments: [String], stdin: String = "", now: Int64? = fixedTime) -> CommandResult {
    let (status, capture) = Output.capturing(standardInput: Array(stdin.utf8)) {
        TokenServerOptions.$fixedNow.withValue(now) { JitsiJWT.runReportingErrors(arguments) }
    }
    return CommandResult(status: status, stdout: capture.stdout, stderr: capture.stderr)
}

/// 2025-10-09T08:53:20Z: the time in-process commands run at.
let fixedTime: Int64 = 1_760_000_000

/// Parses one JSON document.
func parseJSON(_ text: String) throws -> JSONValue {
    guard let value = JSONValue(parsing: text) else { throw TestFailure(description: "not JSON: \(text)") }
    return value
}

/// The payload of a compact JWS, parsed.
func payload(of token: String) throws -> JSONValue {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, let bytes = base64URLDecode(String(parts[1])) else {
        throw TestFailure(description: "not a JWS: \(token)")
    }
    return try parseJSON(String(decoding: bytes, as: UTF8.self))
}

/// base64url (no padding) decoding, written here so the tests do not lean on the code under test.
func base64URLDecode(_ text: String) -> [UInt8]? {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    var values = [UInt8](repeating: 255, count: 256)
    for (index, byte) in alphabet.enumerated() { values[Int(byte)] = UInt8(index) }
    var output: [UInt8] = []
    var accumulator: UInt32 = 0
    var bits = 0
    for byte in text.utf8 {
        let value = values[Int(byte)]
        guard value != 255 else { return nil }
        accumulator = accumulator << 6 | UInt32(value)
        bits += 6
        if bits >= 8 {
            bits -= 8
            output.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
        }
    }
    return output
}

/// The fixtures' secrets, which must never appear in any output.
let fixtureSecrets = [
    "k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW",
    "Vd9Rk2Lq7Wx4Tz1Nm8Bc5Hf3Jg6Ps0Ya2Ue7Io4Kl9Qw1Er5Ty3Ui8Op6As2Df0",
    "global-fallback-secret-0123456789abcdef",
    "Sh4red-Brand-Secret-xxxx-2026",
    "old-secret-do-not-use",
]

/// Checks that no fixture secret appears in `result`'s output.
func expectNoSecrets(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in fixtureSecrets {
        #expect(!result.stdout.contains(secret), "secret on stdout", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains(secret), "secret on stderr", sourceLocation: sourceLocation)
    }
}
