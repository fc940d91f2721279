internal import StringPrep

/// Writes compact JSON straight into bytes. Strings escape `"`, `\`, and control characters (as `\b \f \n \r \t`
/// or `\u00XX`); `/` and other characters are written as they are. For output (``JSONValue/jsonText``) the writer
/// also escapes what a terminal would act on (``TerminalText/isInvisibleControl(_:)``: DEL, C1, bidi controls,
/// U+2028/U+2029) as `\u007F`-style escapes, which decode to the same string; tokens are signed without them.
struct JSONWriter {
    var bytes: [UInt8] = []
    /// Whether DEL, C1 controls, bidi controls and U+2028/U+2029 are escaped too.
    var escapesTerminalControls = false

    init() {}

    init(escapingTerminalControls: Bool) {
        escapesTerminalControls = escapingTerminalControls
    }

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Runs `body` on a writer whose buffer is `bytes` (moved in and back, not copied), so that it appends there.
    static func appending(
        to bytes: inout [UInt8], escapingTerminalControls: Bool = false, _ body: (inout JSONWriter) -> Void
    ) {
        var writer = JSONWriter(escapingTerminalControls: escapingTerminalControls)
        swap(&writer.bytes, &bytes)
        body(&writer)
        swap(&writer.bytes, &bytes)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: writeASCII("null")
        case .bool(let flag): writeASCII(flag ? "true" : "false")
        case .integer(let integer): writeInteger(integer)
        case .number(let number): writeNumber(number)
        case .string(let string): writeString(string)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(member.key)
                bytes.append(UInt8(ascii: ":"))
                write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    mutating func writeASCII(_ text: String) {
        appendContents(of: text.utf8.span, to: &bytes)
    }

    mutating func writeInteger(_ value: Int64) {
        // Digits are written backwards into a 20-byte stack value (a sign and 19 digits cover Int64), then appended.
        var digits = InlineArray<20, UInt8>(repeating: 0)
        var magnitude = value.magnitude
        var start = 20
        repeat {
            start -= 1
            digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        if value < 0 {
            start -= 1
            digits[start] = UInt8(ascii: "-")
        }
        appendContents(of: digits.span.extracting(start..<20), to: &bytes)
    }

    /// Finite doubles that are whole and within ±2^53 print as integers; others use Swift's shortest
    /// round-trip form; non-finite values (which JSON cannot hold) print as `null`.
    mutating func writeNumber(_ value: Double) {
        guard value.isFinite else {
            writeASCII("null")
            return
        }
        if value == value.rounded(.towardZero), abs(value) <= 9_007_199_254_740_992 {
            writeInteger(Int64(value))
            return
        }
        bytes.append(contentsOf: "\(value)".utf8)
    }

    /// Writes `string` as a JSON string: runs of bytes written as they are (found eight bytes a step, see
    /// ``jsonEscapeRunEnd(_:from:stopsAtDELAndAbove:)``) are copied at once, the others handled one by one.
    mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        writeStringContents(string)
        bytes.append(UInt8(ascii: "\""))
    }

    /// ``writeString(_:)`` without the quotes.
    mutating func writeStringContents(_ string: String) {
        let utf8 = string.utf8.span
        var index = 0
        while true {
            let stop = jsonEscapeRunEnd(utf8, from: index, stopsAtDELAndAbove: escapesTerminalControls)
            if index < stop { appendContents(of: utf8.extracting(index..<stop), to: &bytes) }
            guard stop < utf8.count else { break }
            let byte = utf8[stop]
            index = stop + 1
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x00..<0x20: writeUnicodeEscape(UInt32(byte))
            case 0x7F where escapesTerminalControls: writeUnicodeEscape(0x7F)
            case 0xC2...0xF4 where escapesTerminalControls:
                // The input is valid UTF-8 (it comes from a String), so the sequence is whole.
                let length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                var scalar = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for offset in 0..<length - 1 { scalar = scalar << 6 | UInt32(utf8[index + offset] & 0x3F) }
                if StringPrep.isInvisibleControl(scalar) {
                    writeUnicodeEscape(scalar)
                } else {
                    appendContents(of: utf8.extracting((index - 1)..<(index + length - 1)), to: &bytes)
                }
                index += length - 1
            default: bytes.append(byte)
            }
        }
    }

    /// `\\uXXXX` with upper-case hex, for a code point below U+10000.
    private mutating func writeUnicodeEscape(_ scalar: UInt32) {
        writeASCII("\\u")
        for shift in [12, 8, 4, 0] { bytes.append(hexDigitsUpper[Int(scalar >> UInt32(shift) & 0x0F)]) }
    }
}

extension JSONWriter {
    /// Writes `quotedKey` (the whole `"name":` text), after a comma unless this is the object's first member.
    @inline(__always)
    mutating func key(_ quotedKey: String, first: inout Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        appendContents(of: quotedKey.utf8.span, to: &bytes)
    }

    /// Writes `"name":` for a runtime key (escaped), after a comma unless first.
    mutating func member(_ name: String, first: inout Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Writes the members of `extra` sorted by key (bytewise), leaving out `skipping`.
    mutating func writeExtra(_ extra: [String: JSONValue], skipping: Set<String>, first: inout Bool) {
        guard !extra.isEmpty else { return }
        for name in extra.keys.sorted(by: bytewiseLess) where !skipping.contains(name) {
            member(name, first: &first)
            write(extra[name] ?? .null)
        }
    }
}

/// JSON text exactly as a token payload holds it (``TokenSigner`` escapes no terminal controls), appended to bytes:
/// for payload writers that build no ``JSONValue`` (``TokenSigner/appendToken(to:start:payloadTail:)``).
public enum PayloadJSON {
    /// Appends `bytes` as they are (one copy: the fixed texts and the already checked bytes of a payload).
    public static func append(_ bytes: Span<UInt8>, to output: inout [UInt8]) {
        appendContents(of: bytes, to: &output)
    }

    /// Appends `string` as a JSON string.
    public static func appendString(_ string: String, to bytes: inout [UInt8]) {
        JSONWriter.appending(to: &bytes) { $0.writeString(string) }
    }

    /// The contents of the JSON string whose opening quote is at `start` in `bytes`, ending before `limit` (at most
    /// the count), when they are printable ASCII without escapes (so that its bytes are its value); `nil` otherwise.
    public static func plainASCIIString(in bytes: [UInt8], at start: Int, before limit: Int) -> Range<Int>? {
        guard let string = unescapedString(in: bytes, at: start, before: limit), string.isASCII else { return nil }
        return string.contents
    }

    /// The contents of the JSON string whose opening quote is at `start` in `bytes`, ending before `limit` (at most
    /// the count), when they hold no escape, no control character and no DEL, and whether they are all ASCII (else
    /// their bytes are their value once shown to be UTF-8); `nil` otherwise. Eight bytes are tested per step.
    public static func unescapedString(in bytes: [UInt8], at start: Int, before limit: Int)
        -> (contents: Range<Int>, isASCII: Bool)?
    {
        guard start < limit, bytes[start] == UInt8(ascii: "\"") else { return nil }
        let (end, seen) = jsonStringRunEnd(bytes, from: start + 1, to: limit)
        guard seen & 1 == 0, end < limit, bytes[end] == UInt8(ascii: "\"") else { return nil }
        return (start + 1..<end, seen == 0)
    }

    /// Appends `value` in decimal.
    public static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        JSONWriter.appending(to: &bytes) { $0.writeInteger(value) }
    }
}

let hexDigitsUpper: [UInt8] = Array("0123456789ABCDEF".utf8)
