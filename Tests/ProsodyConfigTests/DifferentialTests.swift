import Foundation
import ProsodyConfig
import TestSupport
import Testing

/// Every fixture is loaded by a real Prosody loader (the unmodified `core/configmanager.lua` of Debian's 0.12.3 and
/// of bookworm-backports' 13.0.1, driven by `Tests/Oracles/prosody-dump.lua`) and by `ConfigLoader` in the same
/// release's mode. The dumps (options and warnings), or the error messages, must be identical byte for byte.
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
        message.replacing(
            /((\/opt\/prosody13)?\/usr\/lib\/prosody\/(core|util)\/)?(configmanager|envload)\.lua:\d+:/,
            with: "<prosody>:")
    }

    /// Loads `config` with `release`'s loader and with ours in `version` mode, and expects the same outcome.
    static func expectSameLoad(
        _ config: String, release: ProsodyInstallation, version: ProsodyVersion, in directory: String? = nil,
        credentialsDirectory: String? = nil, context: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let oracle = try release.dump(
            config, in: directory, environment: credentialsDirectory.map { ["CREDENTIALS_DIRECTORY=" + $0] } ?? [])
        let expectedError = normalized(oracle.stderr)
        // Prosody prints a secret a broken line quotes; the raw texts are compared (the redaction has tests of its own).
        let options = LoadOptions(
            version: version, readableRoots: [], credentialsDirectory: credentialsDirectory,
            redactsSecretsInErrors: false)
        do {
            let loaded = try ConfigLoader.load(path: config, options: options)
            #expect(
                oracle.status == 0, "Prosody failed with: \(expectedError)\(context)", sourceLocation: sourceLocation)
            #expect(try ConfigDump.render(loaded, showSecrets: true) == oracle.stdout, "\(context)",
                    sourceLocation: sourceLocation)
        } catch {
            #expect(oracle.status == 1, "\(error)\(context)", sourceLocation: sourceLocation)
            let message = normalized(String(decoding: error.messageBytes, as: UTF8.self)) + "\n"
            if expectedError.hasPrefix("table: 0x") {
                #expect(message == "(error object is a table value)\n", "\(context)", sourceLocation: sourceLocation)
            } else {
                #expect(message == expectedError, "\(context)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func everyFixtureIsFound() {
        #expect(Self.fixtures.count > 100)
    }

    @Test(.requires(.prosody012), arguments: fixtures)
    func loadsLikeProsody012(_ fixture: String) throws {
        let path = Repository.fixture(fixture)
        try Self.expectSameLoad(path, release: .v0_12, version: .v0_12, in: directoryPart(path))
    }

    @Test(.requires(.prosody13), arguments: fixtures)
    func loadsLikeProsody13(_ fixture: String) throws {
        let path = Repository.fixture(fixture)
        try Self.expectSameLoad(path, release: .v13, version: .v13, in: directoryPart(path))
    }

    @Test(.requires(.prosody13))
    func credentialReadsTheCredentialsDirectoryLikeProsody13() throws {
        let credentials = try TemporaryDirectory()
        let missing = try TemporaryDirectory()
        defer { withExtendedLifetime((credentials, missing)) {} }
        try credentials.write("jitsi_app_secret", "s3cret-from-systemd\n")
        let path = Repository.fixture("prosody13/credential.cfg.lua")
        try Self.expectSameLoad(
            path, release: .v13, version: .v13, in: directoryPart(path), credentialsDirectory: credentials.path)
        try Self.expectSameLoad(
            path, release: .v13, version: .v13, in: directoryPart(path), credentialsDirectory: missing.path)
    }
}

/// Everything before the last `/`.
func directoryPart(_ path: String) -> String {
    String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
}
