/// Text from outside (token claims, file names, config values) made safe to show on a terminal.
extension Output {
    /// `text` with every control character (C0, DEL, C1) and every bidirectional-formatting character written as a
    /// visible `\u{XX}` escape, and `\` as `\\`, so nothing in it can move the cursor, recolour the screen or reorder
    /// what is shown. Printable text is unchanged.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x5C, 0..<0x20, 0x7F...0x9F: true
        // Bidi embeddings, overrides and isolates; zero-width and line/paragraph separators.
        case 0x200B...0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }
}
