import Foundation
import StringPrep
import TestSupport
import Testing

/// Our nameprep against Prosody's own: `util.encodings.stringprep.nameprep` from Debian's prosody package, run by
/// lua5.4 on the same names (hex in, hex or "nil" out).
struct ProsodyNameprepTests {
    static let names: [[UInt8]] = [
        "MEET.Example.COM", "ＡＢＣ.example", "\u{FB00}oo", "a\u{200B}b", "a\u{00A0}b", "exa mple.com", "", "*",
        "a/b@c", "\u{E000}", "ab\u{05D0}1", "\u{05D0}\u{05D1}", "Straße.de", "İstanbul", "ΣΊΣΥΦΟΣ", "x\u{0301}",
        "\u{2163}", "ß", "\u{3000}", "a\u{0000}b", "\u{FFFD}", "\u{1F600}", "\u{0340}", "xn--bcher-kva",
        String(repeating: "a", count: 1023), String(repeating: "é", count: 600),
    ].map { Array($0.utf8) } + [[0x61, 0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80]]

    private static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test(.requires(.prosody012))
    func matchesProsodysNameprepOnEveryName() throws {
        try Oracle.prosody012.required()
        let script = """
            package.cpath = "/usr/lib/prosody/?.so;" .. package.cpath
            local nameprep = require "util.encodings".stringprep.nameprep
            for line in io.lines() do
                local name = line:gsub("..", function(h) return string.char(tonumber(h, 16)) end)
                local out = nameprep(name)
                print(out and out:gsub(".", function(c) return ("%02x"):format(c:byte()) end) or "nil")
            end
            """
        let result = try runProcess(
            Oracle.luaPath, ["-e", script], input: Self.names.map(Self.hex).joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let ours = Self.names.map { StringPrep.nameprep($0).map(Self.hex) ?? "nil" }
        #expect(lines == ours)
    }
}
