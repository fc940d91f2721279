import JitsiToken

/// Text from outside (token claims, file names, config values) made safe to show on a terminal.
extension Output {
    /// `text` as one value on a line (``TerminalText/Context/value``): every control character (C0, DEL, C1),
    /// bidirectional-formatting and zero-width character written as a visible `\u{XX}` escape, and `\` as `\\`, so
    /// nothing in it can move the cursor, recolour the screen or reorder what is shown. Printable text is unchanged.
    /// The same escaping as every other text output, from the one place it is defined.
    static func printable(_ text: String) -> String {
        TerminalText.escaped(text, .value)
    }
}
