import ProsodyConfig
import Testing

/// Which option names hold secrets: the fast ASCII path agrees with the definition (Unicode lowercasing, then a
/// Character search for each marker).
struct SecretOptionNameTests {
    private static let markers = ["secret", "password", "passphrase", "credential", "private_key"]

    private static func byDefinition(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return markers.contains { lowered.contains($0) }
    }

    @Test func asciiNamesAgreeWithTheDefinition() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["SeCrEt", "secre", "PASSWORD", "pass", "phrase", "Credential", "private_key", "PRIVATE-KEY",
                      "_", "app", "\r\n", "\n", "t", "x", "", "key", "component_", "Private_Key"]
        for _ in 0..<5_000 {
            let name = (0..<Int.random(in: 0...4, using: &generator))
                .map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(ConfigDump.isSecret(optionName: name) == Self.byDefinition(name), "\(name.debugDescription)")
        }
        for byte in UInt8(0)...0x7F {
            let name = "app_secre" + String(UnicodeScalar(byte))
            #expect(ConfigDump.isSecret(optionName: name) == Self.byDefinition(name), "\(name.debugDescription)")
        }
    }

    @Test func nonASCIINamesFollowUnicodeLowercasing() {
        // The Kelvin sign lowercases to "k"; a combining accent makes "t\u{301}" one Character that "secret" misses.
        for name in ["PRIVATE_\u{212A}EY", "app_secret\u{301}", "app_secre\u{301}t", "ünïcode_password", "sécret"] {
            #expect(ConfigDump.isSecret(optionName: name) == Self.byDefinition(name), "\(name.debugDescription)")
        }
        #expect(ConfigDump.isSecret(optionName: "PRIVATE_\u{212A}EY"))
        #expect(!ConfigDump.isSecret(optionName: "app_secret\u{301}"))
    }
}
