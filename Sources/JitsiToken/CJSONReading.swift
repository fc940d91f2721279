/// Where lua-cjson's text is refused: one failure, whatever the reason (`cjson.safe.decode` returns nil).
struct CJSONFailure: Error {}

/// The first bytes of a value: what ``CJSONReading/valueStart()`` found.
enum CJSONValueStart {
    case object, array, string, number, `true`, `false`, null
}

/// What both readers of lua-cjson's text share (``CJSONDecoder`` builds a tree, ``CJSONScanner`` a view): the bytes
/// read as a NUL-terminated buffer, the nesting depth and its limit, whitespace, which value starts next (its
/// literals consumed), and `\u` escapes with their surrogate rules.
protocol CJSONReading {
    var bytes: [UInt8] { get }
    var position: Int { get set }
    var depth: Int { get set }
}

/// Nesting deeper than this is refused, as with cjson's `decode_max_depth`.
let cjsonMaximumDepth = 1000

extension CJSONReading {
    /// The current byte, or 0 at the end (cjson reads a NUL-terminated buffer).
    func peek() -> UInt8 {
        position < bytes.count ? bytes[position] : 0
    }

    /// Skips space, tab, CR and LF; whether there was any.
    @discardableResult @inline(__always)
    mutating func skipWhitespace() -> Bool {
        // Every whitespace byte is at most a space: most calls end at this test.
        guard position < bytes.count, bytes[position] <= 0x20 else { return false }
        let start = position
        while true {
            switch peek() {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return position != start
            }
        }
    }

    /// What the value at `position` is, by cjson's first-byte rules: `true`, `false` and `null` are read here; a
    /// number may also start with `+`, or be `inf` or `nan` in any case (C `strtod` reads it).
    @inline(__always)
    mutating func valueStart() throws(CJSONFailure) -> CJSONValueStart {
        switch peek() {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"):
            try expectLiteral(0x6575_7274, length: 4)  // "true"
            return .true
        case UInt8(ascii: "f"):
            try expectLiteral(0x65_736C_6166, length: 5)  // "false"
            return .false
        case UInt8(ascii: "n") where Self.hasBytes(bytes, at: position, 0x6C6C_756E, length: 4):  // "null"
            position += 4
            return .null
        case UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "i"), UInt8(ascii: "I"):
            guard Self.hasPrefix(bytes, at: position, "nan", caseInsensitive: true)
                || Self.hasPrefix(bytes, at: position, "inf", caseInsensitive: true)
            else { throw CJSONFailure() }
            return .number
        default:
            throw CJSONFailure()
        }
    }

    /// Whether `bytes[start...]` begins with the ASCII `literal` (ASCII letters in any case if `caseInsensitive`).
    static func hasPrefix(_ bytes: [UInt8], at start: Int, _ literal: String, caseInsensitive: Bool) -> Bool {
        let literal = literal.utf8.span
        guard start + literal.count <= bytes.count else { return false }
        for offset in literal.indices {
            let byte = literal[offset]
            let actual = bytes[start + offset]
            if caseInsensitive ? (actual | 0x20) != byte : actual != byte { return false }
        }
        return true
    }

    /// Whether `bytes[start...]` begins with the `length` bytes (at most 8) of `word`, packed little-endian (the
    /// literals `true`, `false` and `null`, compared without a String's bytes).
    static func hasBytes(_ bytes: [UInt8], at start: Int, _ word: UInt64, length: Int) -> Bool {
        guard start + length <= bytes.count else { return false }
        let text = bytes.span.extracting(start..<start + length)
        var packed: UInt64 = 0
        for offset in 0..<text.count { packed |= UInt64(text[offset]) &<< (8 &* UInt64(offset)) }
        return packed == word
    }

    /// Steps over the literal whose `length` bytes are packed in `word` (``hasBytes(_:at:_:length:)``), or refuses.
    private mutating func expectLiteral(_ word: UInt64, length: Int) throws(CJSONFailure) {
        guard Self.hasBytes(bytes, at: position, word, length: length) else { throw CJSONFailure() }
        position += length
    }

    /// One level deeper into objects and arrays; refused past ``cjsonMaximumDepth``.
    mutating func descend() throws(CJSONFailure) {
        depth += 1
        if depth > cjsonMaximumDepth { throw CJSONFailure() }
    }

    /// Whether the object or array ends here (`closing` at `position`, whitespace already skipped): then it is
    /// stepped over and the level left.
    mutating func closes(_ closing: UInt8) -> Bool {
        guard peek() == closing else { return false }
        position += 1
        depth -= 1
        return true
    }

    /// After an element (whitespace already skipped): `true` past a `,` (another element follows), `false` when
    /// the object or array ends here (see ``closes(_:)``); anything else is refused.
    mutating func continuesAfterElement(closing: UInt8) throws(CJSONFailure) -> Bool {
        if peek() == UInt8(ascii: ",") {
            position += 1
            return true
        }
        guard closes(closing) else { throw CJSONFailure() }
        return false
    }

    /// The character of the escape at `position` (just past its `\`), stepped over: `\"`, `\\`, `\/`, `\b`, `\f`,
    /// `\n`, `\r`, `\t`, or `\uXXXX` (see ``unicodeEscape()``); any other escape is refused.
    mutating func escape() throws(CJSONFailure) -> UInt32 {
        let escaped = peek()
        position += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return UInt32(escaped)
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"): return try unicodeEscape()
        default: throw CJSONFailure()
        }
    }

    /// The code point of the `\uXXXX` escape at `position` (just past the `u`): a high surrogate must be followed by
    /// `\u` and a low surrogate, and the pair is joined; a lone low surrogate is refused.
    private mutating func unicodeEscape() throws(CJSONFailure) -> UInt32 {
        let codePoint = try readHex4()
        if (0xDC00...0xDFFF).contains(codePoint) { throw CJSONFailure() }
        guard (0xD800...0xDBFF).contains(codePoint) else { return codePoint }
        guard peek() == UInt8(ascii: "\\") else { throw CJSONFailure() }
        position += 1
        guard peek() == UInt8(ascii: "u") else { throw CJSONFailure() }
        position += 1
        let low = try readHex4()
        guard (0xDC00...0xDFFF).contains(low) else { throw CJSONFailure() }
        return 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00)
    }

    private mutating func readHex4() throws(CJSONFailure) -> UInt32 {
        guard position + 4 <= bytes.count else { throw CJSONFailure() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw CJSONFailure()
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
