import JitsiDeployment
import JitsiToken

/// Writes `verify --batch` records straight as bytes: the text of `VerifyCommand.json(_:muc:era:line:).jsonText`
/// without building the record's tree for every line.
struct VerdictRecordWriter: Sendable {
    /// `,"muc":…,"era":…,"era_source":…}`: the same for every line of a batch.
    private let tail: [UInt8]

    init(muc: String, era: DetectedPluginEra) {
        var tail = Array(#","muc":"#.utf8)
        JSONValue.string(muc).appendJSONText(to: &tail)
        tail += #","era":"#.utf8
        JSONValue.string(era.era.rawValue).appendJSONText(to: &tail)
        tail += #","era_source":"#.utf8
        JSONValue.string(era.sourceDescription).appendJSONText(to: &tail)
        tail.append(UInt8(ascii: "}"))
        self.tail = tail
    }

    /// Appends `verdict`'s record, `"line":N` first (no newline).
    func append(_ verdict: Verdict, line: Int, to bytes: inout [UInt8]) {
        Self.appendLine(line, to: &bytes)
        if verdict.accepted, verdict.stage == nil, verdict.condition == nil, verdict.code == nil, verdict.reason == nil
        {
            bytes += Self.acceptedFields
        } else {
            bytes += (verdict.accepted ? #","accepted":true,"stage":"# : #","accepted":false,"stage":"#).utf8
            Self.append(verdict.stage?.rawValue, to: &bytes)
            bytes += #","condition":"#.utf8
            Self.append(verdict.condition, to: &bytes)
            bytes += #","code":"#.utf8
            Self.append(verdict.code, to: &bytes)
            bytes += #","reason":"#.utf8
            Self.append(verdict.reason, to: &bytes)
            bytes += Self.hintsKey
        }
        verdict.appendHintsJSONText(to: &bytes)
        bytes += Self.claimsKey
        verdict.appendClaimsJSONText(to: &bytes)
        bytes += tail
    }

    /// The fields of an accepted verdict up to its hints, written once.
    private static let acceptedFields = Array(
        #","accepted":true,"stage":null,"condition":null,"code":null,"reason":null,"hints":["#.utf8)
    private static let hintsKey = Array(#","hints":["#.utf8)
    private static let claimsKey = Array(#"],"claims":"#.utf8)
    private static let lineKey = Array(#"{"line":"#.utf8)

    /// Appends `{"line":N,"error":MESSAGE}` (no newline).
    static func appendError(_ message: String, line: Int, to bytes: inout [UInt8]) {
        appendLine(line, to: &bytes)
        bytes += #","error":"#.utf8
        JSONValue.string(message).appendJSONText(to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    private static func appendLine(_ line: Int, to bytes: inout [UInt8]) {
        bytes += lineKey
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
