/// Decodes JSON the way the server does (lua-cjson 2.1 `cjson.safe.decode`), so that what it accepts, rejects and
/// how it types numbers match:
/// - every number becomes a float (``JSONValue/number(_:)``). A token that starts with `-` or a digit, or with `+`,
///   `inf` or `nan` (any case), is read by C `strtod` (cjson's default `decode_invalid_numbers`), so `-.5`, `1.`,
///   `01`, `+1`, `0x1p3`, `Infinity` and `nan` all pass, while `.5` and `1e` do not;
/// - any value may be at the top level; whitespace is space, tab, CR and LF;
/// - a NUL byte ends the text, so anything after a complete value and a NUL is ignored;
/// - strings keep control characters and unchecked bytes, `\u` escapes must pair surrogates;
/// - a repeated object key keeps its last value;
/// - nesting deeper than 1000 levels is refused, as with cjson's `decode_max_depth`.
struct CJSONDecoder: CJSONReading {
    private typealias Failure = CJSONFailure

    let bytes: [UInt8]
    var position = 0
    var depth = 0

    private init(_ bytes: [UInt8], at start: Int = 0) {
        self.bytes = bytes
        position = start
    }

    /// The value that starts at `start` in `bytes`, which ``CJSONScanner`` has validated as part of a whole text
    /// (so that it decodes to what ``decode(_:)`` gives for it inside that text); `nil` only for invalid input.
    static func decodeValue(_ bytes: [UInt8], at start: Int) -> JSONValue? {
        var decoder = CJSONDecoder(bytes, at: start)
        return try? decoder.parseValue()
    }

    /// The decoded value, or `nil` where `cjson.safe.decode` returns an error.
    static func decode(_ bytes: [UInt8]) -> JSONValue? {
        var decoder = CJSONDecoder(bytes)
        do {
            let value = try decoder.parseValue()
            decoder.skipWhitespace()
            guard decoder.peek() == 0 else { return nil }
            return value
        } catch {
            return nil
        }
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        skipWhitespace()
        switch try valueStart() {
        case .object: return try parseObject()
        case .array: return try parseArray()
        case .string: return .string(try parseString())
        case .number: return .number(try parseNumber())
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        }
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        try descend()
        position += 1
        var object = JSONObject()
        skipWhitespace()
        if closes(UInt8(ascii: "}")) { return .object(object) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw Failure() }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw Failure() }
            position += 1
            let value = try parseValue()
            object[key] = value
            skipWhitespace()
            guard try continuesAfterElement(closing: UInt8(ascii: "}")) else { return .object(object) }
        }
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        try descend()
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if closes(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard try continuesAfterElement(closing: UInt8(ascii: "]")) else { return .array(elements) }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        position += 1
        // Fast path: a string with no escape up to its closing quote (no NUL either) is its bytes as they are.
        let start = position
        let end = jsonStringRunEnd(bytes, from: start, to: bytes.count).end
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            position = end + 1
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        var output: [UInt8] = []
        while true {
            let byte = peek()
            switch byte {
            case 0:
                throw Failure()
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: output, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                Self.appendUTF8(of: try escape(), to: &output)
            default:
                output.append(byte)
                position += 1
            }
        }
    }

    /// Appends the UTF-8 of `codePoint` (an escape's character; surrogates never reach here).
    private static func appendUTF8(of codePoint: UInt32, to output: inout [UInt8]) {
        switch codePoint {
        case 0..<0x80:
            output.append(UInt8(codePoint))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | (codePoint >> 6)))
            output.append(UInt8(0x80 | (codePoint & 0x3F)))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | (codePoint >> 12)))
            output.append(UInt8(0x80 | ((codePoint >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (codePoint & 0x3F)))
        default:
            output.append(UInt8(0xF0 | (codePoint >> 18)))
            output.append(UInt8(0x80 | ((codePoint >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((codePoint >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (codePoint & 0x3F)))
        }
    }

    /// The value of `text` if all of it is one number C `strtod` reads (sign, decimal, hex, `inf`, `nan`), else `nil`.
    static func decodeNumberText(_ text: [UInt8]) -> Double? {
        guard let (value, end) = strtodPrefix(text, from: 0), end == text.count else { return nil }
        return value
    }

    /// The number at `position`, read like C `strtod`; fails when `strtod` would read nothing.
    private mutating func parseNumber() throws(Failure) -> Double {
        guard let (value, end) = Self.strtodPrefix(bytes, from: position) else { throw Failure() }
        position = end
        return value
    }

    /// The longest prefix of `bytes[start...]` that glibc `strtod` reads, and its value: an optional sign, then
    /// `inf`/`infinity`, `nan` with an optional `(chars)`, a hex float (`0x1.8p3`), or a decimal (`1.`, `.5e-3`).
    /// With `computingValue` false the value is 0 (for a validating scan that needs only the end).
    static func strtodPrefix(_ bytes: [UInt8], from start: Int, computingValue: Bool = true) -> (Double, Int)? {
        func at(_ index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66) }
        var index = start
        var negative = false
        if at(index) == UInt8(ascii: "+") || at(index) == UInt8(ascii: "-") {
            negative = at(index) == UInt8(ascii: "-")
            index += 1
        }
        if at(index) | 0x20 == UInt8(ascii: "i"), hasPrefix(bytes, at: index, "inf", caseInsensitive: true) {
            index += 3
            if hasPrefix(bytes, at: index, "inity", caseInsensitive: true) { index += 5 }
            return (negative ? -.infinity : .infinity, index)
        }
        if at(index) | 0x20 == UInt8(ascii: "n"), hasPrefix(bytes, at: index, "nan", caseInsensitive: true) {
            index += 3
            if at(index) == UInt8(ascii: "(") {
                var close = index + 1
                while isDigit(at(close)) || (at(close) | 0x20 >= 0x61 && at(close) | 0x20 <= 0x7A)
                    || at(close) == UInt8(ascii: "_")
                {
                    close += 1
                }
                if at(close) == UInt8(ascii: ")") { index = close + 1 }
            }
            return (negative ? -.nan : .nan, index)
        }
        if at(index) == UInt8(ascii: "0"), at(index + 1) | 0x20 == UInt8(ascii: "x") {
            var cursor = index + 2
            var digits = 0
            while isHex(at(cursor)) {
                cursor += 1
                digits += 1
            }
            if at(cursor) == UInt8(ascii: ".") {
                cursor += 1
                while isHex(at(cursor)) {
                    cursor += 1
                    digits += 1
                }
            }
            if digits > 0 {
                if at(cursor) | 0x20 == UInt8(ascii: "p") {
                    var exponent = cursor + 1
                    if at(exponent) == UInt8(ascii: "+") || at(exponent) == UInt8(ascii: "-") { exponent += 1 }
                    if isDigit(at(exponent)) {
                        while isDigit(at(exponent)) { exponent += 1 }
                        cursor = exponent
                    }
                }
                return (computingValue ? numberValue(bytes[start..<cursor]) : 0, cursor)
            }
            // "0x" with no digits: strtod reads the "0".
            return (negative ? -0.0 : 0.0, index + 1)
        }
        var cursor = index
        var digits = 0
        while isDigit(at(cursor)) {
            cursor += 1
            digits += 1
        }
        if at(cursor) == UInt8(ascii: ".") {
            cursor += 1
            while isDigit(at(cursor)) {
                cursor += 1
                digits += 1
            }
        }
        guard digits > 0 else { return nil }
        if at(cursor) | 0x20 == UInt8(ascii: "e") {
            var exponent = cursor + 1
            if at(exponent) == UInt8(ascii: "+") || at(exponent) == UInt8(ascii: "-") { exponent += 1 }
            if isDigit(at(exponent)) {
                while isDigit(at(exponent)) { exponent += 1 }
                cursor = exponent
            }
        }
        return (computingValue ? numberValue(bytes[start..<cursor]) : 0, cursor)
    }

    /// The value of text `strtodPrefix` validated, from the C library's own `strtod` (the "C" locale, as in Prosody).
    /// Up to 15 plain decimal digits (times, the common case) are converted directly: every such integer is exact
    /// in a double, so the result is the one `strtod` gives.
    private static func numberValue(_ text: ArraySlice<UInt8>) -> Double {
        if text.count <= 15, !text.isEmpty {
            var value: Int64 = 0
            var plain = true
            for byte in text {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    plain = false
                    break
                }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            if plain { return Double(value) }
        }
        // Swift's parser is the C library's `strtod` in the "C" locale, taking the whole text (which strtodPrefix
        // has shown `strtod` reads entirely).
        return Double(String(decoding: text, as: UTF8.self)) ?? .nan
    }
}
