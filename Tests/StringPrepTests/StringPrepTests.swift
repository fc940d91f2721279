import StringPrep
import Testing

struct StringPrepTests {
    private func prep(_ text: String) -> String? {
        StringPrep.nameprep(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func nameprepLowercasesAndAppliesCompatibilityMapping() {
        #expect(prep("MEET.Example.COM") == "meet.example.com")
        #expect(prep("ＡＢＣ") == "abc")
        #expect(prep("\u{FB00}") == "ff")
        #expect(prep("a\u{200B}b") == "ab")
        #expect(prep("a\u{00A0}b") == "a b")
    }

    @Test func nameprepKeepsWhatProsodyKeeps() {
        #expect(prep("exa mple.com") == "exa mple.com")
        #expect(prep("") == "")
        #expect(prep("*") == "*")
        #expect(prep("a/b@c") == "a/b@c")
    }

    @Test func nameprepRefusesWhatProsodyRefuses() {
        #expect(prep("\u{E000}") == nil)
        #expect(prep("ab\u{05D0}1") == nil)
        #expect(StringPrep.nameprep([0x61, 0xFF]) == nil)
        #expect(prep(String(repeating: "a", count: 1024)) == nil)
        #expect(prep(String(repeating: "a", count: 1023)) == String(repeating: "a", count: 1023))
    }

    @Test func nfkcNormalizesCompatibilityCharacters() {
        #expect(StringPrep.nfkc("ＡＢＣ") == "ABC")
        #expect(StringPrep.nfkc("\u{FB00}") == "ff")
        #expect(StringPrep.nfkc("Cafe\u{0301}") == "Café")
        #expect(StringPrep.nfkc(String(repeating: "\u{FDFA}", count: 50))?.unicodeScalars.count == 50 * 18)
    }
}
