import JitsiToken
import Testing

struct TerminalTextTests {
    @Test(arguments: [
        ([0x61, 0x9B, 0xFF, 0x62], #"a\x9B\xFFb"#),
        ([0xC3, 0xA9, 0x0A, 0x09, 0x7F, 0x5C], #"é\u{A}\u{9}\u{7F}\\"#),
        ([0xE2, 0x80, 0xAE, 0xE2, 0x81, 0xA6, 0xD8, 0x9C, 0xC2, 0x85], #"\u{202E}\u{2066}\u{61C}\u{85}"#),
        ([0xE2, 0x80, 0x8B, 0xEF, 0xBB, 0xBF], #"\u{200B}\u{FEFF}"#),
        ([0xE2, 0x80], #"\xE2\x80"#), ([0xF0, 0x9F, 0x98, 0x80], "😀"),
    ] as [([UInt8], String)])
    func terminalTextEscapesOnBytes(_ bytes: [UInt8], _ shown: String) {
        #expect(TerminalText.escaped(bytes: bytes, .value) == Array(shown.utf8))
    }

    @Test func aWholeMessageKeepsItsBackslashesAndLinesKeepTheirLineFeeds() {
        #expect(TerminalText.escaped("a\\b\n\u{1B}", .line) == #"a\b\u{A}\u{1B}"#)
        #expect(TerminalText.escaped("a\\b\n\u{1B}", .lines) == "a\\b\n\\u{1B}")
        #expect(TerminalText.escaped("a\\b\n\u{1B}", .value) == #"a\\b\u{A}\u{1B}"#)
    }
}
