import JitsiDeployment
import JitsiToken
import ProsodyConfig
import Testing

/// Hosts are told apart by their section key's bytes and type, as Prosody does; a name that could mean several
/// sections is refused instead of guessed.
struct SectionIdentityTests {
    static func section(_ key: LuaValue, secret: String) -> ProsodyConfiguration.Section {
        ProsodyConfiguration.Section(
            key: key,
            options: LuaTable(entries: [
                LuaTable.Entry(key: .string(Array("authentication".utf8)), value: .string(Array("token".utf8))),
                LuaTable.Entry(key: .string(Array("app_id".utf8)), value: .string(Array("acme".utf8))),
                LuaTable.Entry(key: .string(Array("app_secret".utf8)), value: .string(Array(secret.utf8))),
            ]))
    }

    static let nfc = "caf\u{E9}.example"
    static let nfd = "cafe\u{301}.example"

    @Test func canonicallyEquivalentSpellingsAreTwoHostsAndTheirNameIsAmbiguous() throws {
        let config = ProsodyConfiguration(sections: [
            Self.section(.string(Array(Self.nfc.utf8)), secret: "secret-of-the-nfc-section-0123456"),
            Self.section(.string(Array(Self.nfd.utf8)), secret: "secret-of-the-nfd-section-0123456"),
        ])
        let deployment = Deployment(config)
        #expect(deployment.hosts.count == 2)
        #expect(throws: DeploymentError.self) { try deployment.host(named: Self.nfc) }
        do {
            _ = try deployment.host(named: Self.nfd)
            Issue.record("an ambiguous name was resolved")
        } catch {
            #expect(
                error.description
                    == "\"cafe\u{301}.example\" is ambiguous: the config has 2 sections that print alike (the string "
                    + "with bytes 63 61 66 65 cc 81 2e 65 78 61 6d 70 6c 65; the string with bytes 63 61 66 c3 a9 2e "
                    + "65 78 61 6d 70 6c 65), which Prosody keeps apart; refusing to guess")
        }
        // Looked up by key, each host keeps its own secret.
        let nfcHost = try #require(deployment.host(key: .string(Array(Self.nfc.utf8))))
        let nfdHost = try #require(deployment.host(key: .string(Array(Self.nfd.utf8))))
        #expect(nfcHost.rules.key == .hmac(Secret("secret-of-the-nfc-section-0123456")))
        #expect(nfdHost.rules.key == .hmac(Secret("secret-of-the-nfd-section-0123456")))
    }

    @Test func anIntegerKeyAndItsStringAreTwoSections() throws {
        let config = ProsodyConfiguration(sections: [
            Self.section(.integer(1), secret: "secret-of-the-integer-key-0123456"),
            Self.section(.string(Array("1".utf8)), secret: "secret-of-the-string-key-01234567"),
        ])
        #expect(config[sectionKey: .integer(1)]?["app_secret"] == .string(Array("secret-of-the-integer-key-0123456".utf8)))
        #expect(config[section: "1"]?["app_secret"] == .string(Array("secret-of-the-string-key-01234567".utf8)))
        let deployment = Deployment(config)
        #expect(throws: DeploymentError.ambiguousName("1", ["the integer 1", "\"1\""])) {
            try deployment.tokenHost(named: "1")
        }
    }

    @Test func aSingleSectionIsFoundByAnyEquivalentSpelling() throws {
        let config = ProsodyConfiguration(sections: [
            Self.section(.string(Array(Self.nfc.utf8)), secret: "secret-of-the-nfc-section-0123456")
        ])
        #expect(try Deployment(config).host(named: Self.nfd).key == .string(Array(Self.nfc.utf8)))
    }
}
