import Testing

@testable import StringPrep

/// ASCII names are prepared without ICU; ICU must give the same answer for every ASCII input.
struct ASCIIFastPathTests {
    /// Every ASCII string of up to two characters, and each character between two letters and at either end of one.
    static let inputs: [[UInt8]] = {
        let ascii = (0..<128).map(UInt8.init)
        var inputs: [[UInt8]] = [[]]
        for first in ascii {
            inputs.append([first])
            inputs.append([UInt8(ascii: "M"), first, UInt8(ascii: "x")])
            for second in ascii { inputs.append([first, second]) }
        }
        return inputs
    }()

    @Test func nameprepOfASCIIIsICUsNameprep() {
        var differing: [[UInt8]] = []
        for input in Self.inputs where StringPrep.nameprep(input) != StringPrep.icuNameprep(input) {
            differing.append(input)
        }
        #expect(differing == [])
        #expect(StringPrep.nameprep(Array("Meet.Example.COM".utf8)) == Array("meet.example.com".utf8))
    }

    @Test func nfkcOfASCIIIsICUsNFKC() {
        var differing: [[UInt8]] = []
        for input in Self.inputs {
            let text = String(decoding: input, as: UTF8.self)
            if StringPrep.nfkc(text) != StringPrep.icuNFKC(input) { differing.append(input) }
        }
        #expect(differing == [])
    }

    @Test func nonASCIINamesStillGoThroughICU() {
        #expect(StringPrep.nameprep(Array("ＡＢＣ.Example".utf8)) == Array("abc.example".utf8))
        #expect(StringPrep.nameprep(Array("a\u{202E}b".utf8)) == nil)
        #expect(StringPrep.nfkc("ＡＢＣ") == "ABC")
    }
}
