import StringPrep

/// Text made safe for a terminal: every byte a terminal could act on is shown as a visible escape instead.
///
/// Escaped, on the UTF-8 bytes: C0 controls and DEL, C1 controls (U+0080–U+009F), the bidi marks, embeddings,
/// overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the zero-width characters
/// (U+200B–U+200D, U+FEFF) and the line and paragraph separators (U+2028, U+2029), each as `\u{1B}` (upper-case
/// hex); bytes that are not part of valid UTF-8 as `\xFF` (a lone `0x9B` would be an 8-bit CSI).
public enum TerminalText {
    /// Where the text goes, which decides what else is escaped.
    public enum Context: Sendable {
        /// One value inside a line (a name, a claim, a path): line feeds are escaped, and `\` is written as `\\`,
        /// so the escapes are unambiguous and a value cannot fake one.
        case value
        /// One whole message (its values already escaped as ``value``): line feeds escaped, `\` kept.
        case line
        /// Lines the program laid out (tables, usage texts): line feeds kept, `\` kept.
        case lines
    }

    /// `text` escaped for `context`.
    public static func escaped(_ text: String, _ context: Context = .value) -> String {
        guard needsEscaping(text.utf8, context) else { return text }
        return String(decoding: escaping(Array(text.utf8), context), as: UTF8.self)
    }

    /// `bytes` (any bytes, UTF-8 or not) escaped for `context`, as valid UTF-8.
    public static func escaped(bytes: some Collection<UInt8>, _ context: Context) -> [UInt8] {
        let input = Array(bytes)
        guard needsEscaping(input, context) || String(validating: input, as: UTF8.self) == nil else { return input }
        return escaping(input, context)
    }

    private static func escaping(_ input: [UInt8], _ context: Context) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + 16)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte < 0x80 {
                if byte == UInt8(ascii: "\\") && context == .value {
                    output += [byte, byte]
                } else if (byte >= 0x20 && byte != 0x7F) || (byte == 0x0A && context == .lines) {
                    output.append(byte)
                } else {
                    appendScalarEscape(UInt32(byte), to: &output)
                }
                index += 1
                continue
            }
            guard let (scalar, length) = decodeScalar(input, at: index) else {
                output += Array("\\x".utf8) + hexDigits(UInt32(byte), minimumCount: 2)
                index += 1
                continue
            }
            if StringPrep.isInvisibleControl(scalar) {
                appendScalarEscape(scalar, to: &output)
            } else {
                output += input[index..<index + length]
            }
            index += length
        }
        return output
    }

    /// Whether valid UTF-8 holds anything to escape (input that may not be UTF-8 is validated as well).
    private static func needsEscaping(_ utf8: some Sequence<UInt8>, _ context: Context) -> Bool {
        for byte in utf8 where byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\\") {
            if byte == 0x0A && context == .lines { continue }
            if byte == UInt8(ascii: "\\") {
                if context == .value { return true }
                continue
            }
            if byte < 0x80 { return true }
            // Non-ASCII: only these lead bytes start a code point that is escaped (C1; U+061C; U+200B…; U+FEFF).
            if byte == 0xC2 || byte == 0xD8 || byte == 0xE2 || byte == 0xEF { return true }
        }
        return false
    }

    private static func appendScalarEscape(_ scalar: UInt32, to output: inout [UInt8]) {
        output += Array("\\u{".utf8) + hexDigits(scalar, minimumCount: 1) + [UInt8(ascii: "}")]
    }

    private static func hexDigits(_ value: UInt32, minimumCount: Int) -> [UInt8] {
        let digits = Array(String(value, radix: 16, uppercase: true).utf8)
        return [UInt8](repeating: UInt8(ascii: "0"), count: max(0, minimumCount - digits.count)) + digits
    }

    /// The code point of the well-formed UTF-8 sequence at `index` and its length, or `nil`.
    private static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (UInt32, Int)? {
        let length: Int
        switch bytes[index] {
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
