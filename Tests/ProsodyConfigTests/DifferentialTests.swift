import Foundation
import ProsodyConfig
import Testing

/// Every fixture is loaded twice: by Prosody 0.12.3's own `core/configmanager.lua` (Debian's `prosody` package,
/// driven by `Tests/Oracles/prosody-dump.lua`) and by `ConfigLoader` in 0.12 mode. The dumps, or the error
/// messages, must be identical byte for byte.
struct DifferentialTests {
    static let fixtures: [String] =
        Repository.fixtures(in: "semantics") + Repository.fixtures(in: "semantics", suffix: ".cfg")
        + Repository.fixtures(in: "semantics", suffix: ".LUA") + Repository.fixtures(in: "prosody13")
        + [
            "debian/etc/prosody/prosody.cfg.lua", "debian/etc/prosody/conf.avail/meet.example.com.cfg.lua",
            "debian/etc/prosody/conf.avail/localhost.cfg.lua", "docker/config/prosody.cfg.lua",
            "docker/config/conf.d/jitsi-meet.cfg.lua", "multihost/prosody.cfg.lua", "debian-stock/prosody.cfg.lua",
            "debian-stock/conf.avail/example.com.cfg.lua", "debian-stock/conf.avail/localhost.cfg.lua",
        ]

    /// Error positions inside Prosody's own files name its source lines (`configmanager.lua:226:`, `envload.lua:31:`);
    /// ours name the prelude's. Both are replaced by `<prosody>:` before comparing.
    static func normalized(_ message: String) -> String {
        message.replacing(/(\/usr\/lib\/prosody\/(core|util)\/)?(configmanager|envload)\.lua:\d+:/, with: "<prosody>:")
    }

    @Test func everyFixtureIsFound() {
        #expect(Self.fixtures.count > 100)
    }

    @Test(arguments: fixtures)
    func loadsLikeProsody012(_ fixture: String) throws {
        let path = Repository.fixture(fixture)
        let oracle = try runProcess("/usr/bin/lua5.4", [Repository.prosodyOracle, path],
                                    in: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let expectedOutput = String(decoding: oracle.standardOutput, as: UTF8.self)
        let expectedError = Self.normalized(String(decoding: oracle.standardError, as: UTF8.self))
        do {
            let config = try ConfigLoader.load(path: path, options: LoadOptions(version: .v0_12))
            #expect(oracle.status == 0, "Prosody failed with: \(expectedError)")
            #expect(try ConfigDump.render(config, showSecrets: true) == expectedOutput)
        } catch {
            #expect(oracle.status == 1)
            let message = Self.normalized(String(decoding: error.messageBytes, as: UTF8.self)) + "\n"
            if expectedError.hasPrefix("table: 0x") {
                #expect(message == "(error object is a table value)\n")
            } else {
                #expect(message == expectedError)
            }
        }
    }
}
