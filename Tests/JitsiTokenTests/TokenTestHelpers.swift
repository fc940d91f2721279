// No Foundation here on purpose: `import Foundation` brings in _FoundationICU, whose ICU headers clash with the
// system ICU that StringPrep's CICU module loads into this test module.
@testable import JitsiToken

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// base64url without padding, for crafting tokens by hand.
func base64URL(_ text: String) -> String {
    Base64URL.encode(Array(text.utf8))
}

func decodeBase64URL(_ text: String) -> [UInt8]? {
    Base64URL.decodeLenient(Array(text.utf8))
}

/// Lower-case hex of the UTF-8 bytes.
func hex(_ text: String) -> String { hex(Array(text.utf8)) }

func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
}

/// C `%.17g`.
func formatG17(_ number: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([number]) { arguments in
        buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 64, "%.17g", arguments) }
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Parses one JSON document (as the server would) for reading tool output.
func parseJSON(_ text: String) -> JSONValue? {
    CJSONDecoder.decode(Array(text.utf8))
}

/// The parts of a verdict the server puts on the wire (what the Lua oracle reports).
struct WireVerdict: Equatable, Sendable, CustomStringConvertible {
    var accepted: Bool
    var stage: String?
    var condition: String?
    var code: String?
    var reason: String?

    init(accepted: Bool, stage: String? = nil, condition: String? = nil, code: String? = nil, reason: String? = nil) {
        self.accepted = accepted
        self.stage = stage
        self.condition = condition
        self.code = code
        self.reason = reason
    }

    init(_ verdict: Verdict) {
        self.init(
            accepted: verdict.accepted, stage: verdict.stage?.rawValue, condition: verdict.condition,
            code: verdict.code, reason: verdict.reason)
    }

    static let accepted = WireVerdict(accepted: true)

    static func connect(_ reason: String, _ condition: String = "not-allowed") -> WireVerdict {
        WireVerdict(accepted: false, stage: "connect", condition: condition, reason: reason)
    }

    static func join(_ code: String?, _ reason: String) -> WireVerdict {
        WireVerdict(accepted: false, stage: "join", condition: "not-allowed", code: code, reason: reason)
    }

    static func luaError(_ stage: String, _ message: String) -> WireVerdict {
        WireVerdict(accepted: false, stage: stage, condition: "internal-error", reason: message)
    }

    var description: String {
        "accepted=\(accepted) stage=\(stage ?? "nil") condition=\(condition ?? "nil") code=\(code ?? "nil") "
            + "reason=\(reason ?? "nil")"
    }
}
