/// Text made safe for a terminal: every byte a terminal could act on is shown as a visible escape instead.
///
/// Escaped, on the UTF-8 bytes: C0 controls and DEL as `\x1b` (two lower-case hex digits), bytes that are not part of
/// valid UTF-8 the same way (`\xff`; a lone `0x9b` would be an 8-bit CSI), and the code points that move or hide
/// text as `\u{9b}`: C1 controls (U+0080–U+009F), the bidi embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069), the bidi marks (U+200E, U+200F, U+061C) and the line and paragraph separators (U+2028, U+2029).
/// A backslash is left as it is, so the escapes are for reading, not a reversible encoding.
public enum TerminalText {
    /// `text` with every control byte escaped; with `keepingLineFeeds`, `\n` stays a line break (for whole
    /// multi-line texts whose lines the program laid out itself).
    public static func escaped(_ text: String, keepingLineFeeds: Bool = false) -> String {
        var utf8Text = text
        let escapedBytes = utf8Text.withUTF8 { utf8 -> [UInt8]? in
            guard needsEscaping(utf8, keepingLineFeeds: keepingLineFeeds) else { return nil }
            return escaped(bytes: utf8, keepingLineFeeds: keepingLineFeeds)
        }
        return escapedBytes.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// `bytes` (any bytes, UTF-8 or not) with every control byte escaped, as valid UTF-8.
    public static func escaped(
        bytes: some Collection<UInt8>, keepingLineFeeds: Bool = false
    ) -> [UInt8] {
        let input = Array(bytes)
        guard input.withUnsafeBufferPointer({ needsEscaping($0, keepingLineFeeds: keepingLineFeeds) })
            || String(validating: input, as: UTF8.self) == nil
        else { return input }
        var output: [UInt8] = []
        output.reserveCapacity(input.count + 16)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte < 0x80 {
                if byte == 0x0A && keepingLineFeeds || (byte >= 0x20 && byte != 0x7F) {
                    output.append(byte)
                } else {
                    appendByteEscape(byte, to: &output)
                }
                index += 1
                continue
            }
            guard let (scalar, length) = decodeScalar(input, at: index) else {
                appendByteEscape(byte, to: &output)
                index += 1
                continue
            }
            if isInvisibleControl(scalar) {
                output += Array("\\u{\(String(scalar, radix: 16))}".utf8)
            } else {
                output += input[index..<index + length]
            }
            index += length
        }
        return output
    }

    /// Whether a terminal would act on the code point (C1, bidi controls, line and paragraph separators).
    public static func isInvisibleControl(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Whether valid UTF-8 holds anything to escape (bytes that may not be UTF-8 are also validated).
    private static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>, keepingLineFeeds: Bool) -> Bool {
        for byte in utf8 where byte < 0x20 || byte >= 0x7F {
            if byte == 0x0A && keepingLineFeeds { continue }
            if byte < 0x80 { return true }
            // Non-ASCII: only the lead bytes of C1 (0xC2), U+061C (0xD8) and U+200E… (0xE2) can start an escape.
            if byte == 0xC2 || byte == 0xD8 || byte == 0xE2 { return true }
        }
        return false
    }

    private static func appendByteEscape(_ byte: UInt8, to output: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        output += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
    }

    /// The code point of the well-formed UTF-8 sequence at `index` and its length, or `nil`.
    private static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (UInt32, Int)? {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return nil
        }
        guard index + length <= bytes.count,
            let scalar = String(validating: bytes[index..<index + length], as: UTF8.self)?.unicodeScalars.first
        else { return nil }
        return (scalar.value, length)
    }
}
