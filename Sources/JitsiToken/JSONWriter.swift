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

    mutating func writeASCII(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func writeInteger(_ value: Int64) {
        // Digits are written backwards into a 20-byte stack buffer (a sign and 19 digits cover Int64), then copied.
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var magnitude = value.magnitude
        withUnsafeMutableBytes(of: &buffer) { digits in
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
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[start..<20]))
        }
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

    mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { writeString(utf8: $0) }
    }

    /// Writes `utf8` as a JSON string. The common case (nothing to escape) is one scan, 8 bytes at a time, and one
    /// copy.
    mutating func writeString(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        if !Self.needsEscaping(utf8, orAbove: escapesTerminalControls ? 0x7E : 0xFF) {
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            index += 1
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
                if TerminalText.isInvisibleControl(scalar) {
                    writeUnicodeEscape(scalar)
                } else {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[(index - 1)..<(index + length - 1)]))
                }
                index += length - 1
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `\uXXXX` with upper-case hex, for a code point below U+10000.
    private mutating func writeUnicodeEscape(_ scalar: UInt32) {
        writeASCII("\\u")
        for shift in [12, 8, 4, 0] { bytes.append(hexDigitsUpper[Int(scalar >> UInt32(shift) & 0x0F)]) }
    }

    /// Whether any byte is a control character, `"`, `\`, or above `highest`. Eight bytes per step with the classic
    /// SWAR tests (`hasless(x, 0x20)`, `haszero(x ^ 0x22…)`, `haszero(x ^ 0x5C…)`, and `x & 0x80…` or
    /// `hasmore(x, 0x7E)` when `highest` is 0x7E), which are exact for "any byte".
    @inline(__always)
    static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>, orAbove highest: UInt8 = 0xFF) -> Bool {
        guard let base = utf8.baseAddress else { return false }
        let count = utf8.count
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // hasmore(x, 0x7E): a byte above 0x7E sets its high bit in (x + 0x01…) | x.
        let checksHigh = highest < 0xFF
        var index = 0
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            var found =
                ((word &- ones &* 0x20) & ~word) | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
            if checksHigh { found |= ((word & ~highs) &+ ones) | word }
            if found & highs != 0 { return true }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte > highest { return true }
            index += 1
        }
        return false
    }
}

extension JSONWriter {
    /// Writes `quotedKey` (the whole `"name":` text), after a comma unless this is the object's first member.
    @inline(__always)
    mutating func key(_ quotedKey: StaticString, first: inout Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        quotedKey.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Writes `"name":`, after a comma unless this is the object's first member.
    mutating func member(_ name: StaticString, first: inout Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        writeASCII(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
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

let hexDigitsUpper: [UInt8] = Array("0123456789ABCDEF".utf8)
