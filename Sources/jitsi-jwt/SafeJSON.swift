import JitsiToken

/// JSON text of values from outside (token claims) that is safe on a terminal: besides the C0 controls that JSON
/// always escapes, DEL, the C1 controls and the bidirectional-formatting and line-separator characters are written
/// as `\uXXXX` escapes. The text stays valid JSON and parses back to the same value.
enum SafeJSON {
    /// Compact, members in order.
    static func compact(_ value: JSONValue) -> String {
        escapeInvisible(value.jsonText)
    }

    /// Two-space indented, members in order, `indent` spaces before every line but the first.
    static func pretty(_ value: JSONValue, indent: Int = 0) -> String {
        let padding = String(repeating: " ", count: indent)
        switch value {
        case .array(let items) where !items.isEmpty:
            let inner = items.map { padding + "  " + pretty($0, indent: indent + 2) }
            return "[\n" + inner.joined(separator: ",\n") + "\n" + padding + "]"
        case .object(let object) where !object.isEmpty:
            let inner = object.members.map { member in
                padding + "  " + compact(.string(member.key)) + ": " + pretty(member.value, indent: indent + 2)
            }
            return "{\n" + inner.joined(separator: ",\n") + "\n" + padding + "}"
        default:
            return compact(value)
        }
    }

    /// `text` with DEL, C1 controls, bidi-formatting and separator characters as `\uXXXX`.
    static func escapeInvisible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isInvisible) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isInvisible(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x7F...0x9F, 0x200B...0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }
}
