import JitsiDeployment
import JitsiToken

/// Writes `verify --batch` records straight as bytes: the text of `VerifyCommand.json(_:muc:era:line:).jsonText`
/// without building the record's tree for every line.
struct VerdictRecordWriter: Sendable {
    /// `,"muc":…,"era":…,"era_source":…}`: the same for every line of a batch.
    private let tail: [UInt8]
    /// The fields of an accepted verdict up to its hints.
    private let acceptedFields: [UInt8]
    private let hintsKey: [UInt8]
    private let claimsKey: [UInt8]
    private let lineKey: [UInt8]

    init(muc: String, era: DetectedPluginEra) {
        var tail = Array(#","muc":"#.utf8)
        JSONValue.string(muc).appendJSONText(to: &tail)
        tail += #","era":"#.utf8
        JSONValue.string(era.era.rawValue).appendJSONText(to: &tail)
        tail += #","era_source":"#.utf8
        JSONValue.string(era.sourceDescription).appendJSONText(to: &tail)
        tail.append(UInt8(ascii: "}"))
        self.tail = tail
        acceptedFields = Array(
            #","accepted":true,"stage":null,"condition":null,"code":null,"reason":null,"hints":["#.utf8)
        hintsKey = Array(#","hints":["#.utf8)
        claimsKey = Array(#"],"claims":"#.utf8)
        lineKey = Self.lineKey
    }

    /// A writer with arrays of its own, for a thread of its own (``BatchVerify/init(copying:)``): a copy would
    /// share them, and count references to them from every thread.
    init(copying other: VerdictRecordWriter) {
        func own(_ bytes: [UInt8]) -> [UInt8] {
            var copy: [UInt8] = []
            copy.append(contentsOf: bytes)
            return copy
        }
        tail = own(other.tail)
        acceptedFields = own(other.acceptedFields)
        hintsKey = own(other.hintsKey)
        claimsKey = own(other.claimsKey)
        lineKey = own(other.lineKey)
    }

    /// Appends `verdict`'s record, `"line":N` first (no newline).
    func append(_ verdict: Verdict, line: Int, to bytes: inout [UInt8]) {
        appendContents(of: lineKey.span, to: &bytes)
        PayloadJSON.appendInteger(Int64(line), to: &bytes)
        if verdict.accepted, verdict.stage == nil, verdict.condition == nil, verdict.code == nil, verdict.reason == nil
        {
            appendContents(of: acceptedFields.span, to: &bytes)
        } else {
            bytes += (verdict.accepted ? #","accepted":true,"stage":"# : #","accepted":false,"stage":"#).utf8
            Self.append(verdict.stage?.rawValue, to: &bytes)
            bytes += #","condition":"#.utf8
            Self.append(verdict.condition, to: &bytes)
            bytes += #","code":"#.utf8
            Self.append(verdict.code, to: &bytes)
            bytes += #","reason":"#.utf8
            Self.append(verdict.reason, to: &bytes)
            appendContents(of: hintsKey.span, to: &bytes)
        }
        verdict.appendHintsJSONText(to: &bytes)
        appendContents(of: claimsKey.span, to: &bytes)
        verdict.appendClaimsJSONText(to: &bytes)
        appendContents(of: tail.span, to: &bytes)
    }

    private static let lineKey = Array(#"{"line":"#.utf8)

    /// Appends `{"line":N,"error":MESSAGE}` (no newline).
    static func appendError(_ message: String, line: Int, to bytes: inout [UInt8]) {
        appendLine(line, to: &bytes)
        bytes += #","error":"#.utf8
        JSONValue.string(message).appendJSONText(to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    private static func appendLine(_ line: Int, to bytes: inout [UInt8]) {
        appendContents(of: lineKey.span, to: &bytes)
        PayloadJSON.appendInteger(Int64(line), to: &bytes)
    }

    private static func append(_ text: String?, to bytes: inout [UInt8]) {
        guard let text else {
            bytes += "null".utf8
            return
        }
        JSONValue.string(text).appendJSONText(to: &bytes)
    }
}
