import JitsiDeployment
import JitsiToken

/// Writes `verify --batch` records straight as bytes: the text of `VerifyCommand.json(_:muc:era:line:).jsonText`
/// without building the record's tree for every line.
struct VerdictRecordWriter: Sendable {
    /// The record's fixed texts in one array: `{"line":`, the fields of an accepted verdict up to its hints,
    /// `,"hints":[`, `],"claims":`, and the tail `,"muc":…,"era":…,"era_source":…}`, the same for every line of a
    /// batch. One array, so that a record written into one reservation counts one reference to them.
    private let texts: [UInt8]
    private let lineKey: Range<Int>
    /// The fields of an accepted verdict up to its hints.
    private let acceptedFields: Range<Int>
    private let hintsKey: Range<Int>
    private let claimsKey: Range<Int>
    private let tail: Range<Int>

    init(muc: String, era: DetectedPluginEra) {
        var texts: [UInt8] = []
        func text(_ append: (inout [UInt8]) -> Void) -> Range<Int> {
            let start = texts.count
            append(&texts)
            return start..<texts.count
        }
        lineKey = text { $0 += Self.lineKeyText.utf8 }
        acceptedFields = text {
            $0 += #","accepted":true,"stage":null,"condition":null,"code":null,"reason":null,"hints":["#.utf8
        }
        hintsKey = text { $0 += #","hints":["#.utf8 }
        claimsKey = text { $0 += #"],"claims":"#.utf8 }
        tail = text { tail in
            tail += #","muc":"#.utf8
            JSONValue.string(muc).appendJSONText(to: &tail)
            tail += #","era":"#.utf8
            JSONValue.string(era.era.rawValue).appendJSONText(to: &tail)
            tail += #","era_source":"#.utf8
            JSONValue.string(era.sourceDescription).appendJSONText(to: &tail)
            tail.append(UInt8(ascii: "}"))
        }
        self.texts = texts
    }

    /// A writer with arrays of its own, for a thread of its own (``BatchVerify/init(copying:)``): a copy would
    /// share them, and count references to them from every thread.
    init(copying other: VerdictRecordWriter) {
        var texts: [UInt8] = []
        texts.append(contentsOf: other.texts)
        self.texts = texts
        (lineKey, acceptedFields, hintsKey, claimsKey, tail) =
            (other.lineKey, other.acceptedFields, other.hintsKey, other.claimsKey, other.tail)
    }

    /// Appends `verdict`'s record, `"line":N` first (no newline). The verdict is `inout` only so that the record's
    /// closure borrows it: a captured copy counted references to each of its parts.
    func append(_ verdict: inout Verdict, line: Int, to bytes: inout [UInt8]) {
        let isPlainAccepted =
            verdict.accepted && verdict.stage == nil && verdict.condition == nil && verdict.code == nil
            && verdict.reason == nil
        if isPlainAccepted, let hintsAndClaims = verdict.plainHintsAndClaimsBytes {
            // Most records: written into one reservation, each piece a copy.
            let bound =
                lineKey.count + Self.longestLineNumber + acceptedFields.count + hintsAndClaims + claimsKey.count
                + tail.count
            let (texts, lineKey, acceptedFields, claimsKey, tail) = (texts, lineKey, acceptedFields, claimsKey, tail)
            bytes.append(addingCapacity: bound) { record in
                let fixed = texts.span
                record.appendCopy(of: fixed.extracting(lineKey))
                BatchFastWriter.appendDecimal(line, to: &record)
                record.appendCopy(of: fixed.extracting(acceptedFields))
                Self.writePlainHintsAndClaims(of: &verdict, separatedBy: fixed.extracting(claimsKey), to: &record)
                record.appendCopy(of: fixed.extracting(tail))
            }
            return
        }
        let fixed = texts.span
        appendContents(of: fixed.extracting(lineKey), to: &bytes)
        PayloadJSON.appendInteger(Int64(line), to: &bytes)
        if isPlainAccepted {
            appendContents(of: fixed.extracting(acceptedFields), to: &bytes)
        } else {
            bytes += (verdict.accepted ? #","accepted":true,"stage":"# : #","accepted":false,"stage":"#).utf8
            Self.append(verdict.stage?.rawValue, to: &bytes)
            bytes += #","condition":"#.utf8
            Self.append(verdict.condition, to: &bytes)
            bytes += #","code":"#.utf8
            Self.append(verdict.code, to: &bytes)
            bytes += #","reason":"#.utf8
            Self.append(verdict.reason, to: &bytes)
            appendContents(of: fixed.extracting(hintsKey), to: &bytes)
        }
        verdict.appendHintsJSONText(to: &bytes)
        appendContents(of: fixed.extracting(claimsKey), to: &bytes)
        verdict.appendClaimsJSONText(to: &bytes)
        appendContents(of: fixed.extracting(tail), to: &bytes)
    }

    /// ``Verdict/writePlainHintsAndClaims(separatedBy:to:)`` of a verdict lent `inout`: read through a closure's
    /// capture, it was copied first.
    private static func writePlainHintsAndClaims(
        of verdict: inout Verdict, separatedBy separator: Span<UInt8>, to record: inout OutputSpan<UInt8>
    ) {
        verdict.writePlainHintsAndClaims(separatedBy: separator, to: &record)
    }

    /// The digits of the largest line number (`Int.max`).
    private static let longestLineNumber = 19
    /// How every record starts, before its line number.
    private static let lineKeyText = #"{"line":"#

    /// Appends `{"line":N,"error":MESSAGE}` (no newline).
    static func appendError(_ message: String, line: Int, to bytes: inout [UInt8]) {
        appendLine(line, to: &bytes)
        bytes += #","error":"#.utf8
        JSONValue.string(message).appendJSONText(to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    private static func appendLine(_ line: Int, to bytes: inout [UInt8]) {
        bytes += lineKeyText.utf8
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
