import Foundation
import ProsodyConfig
import TestSupport
import Testing

/// Prosody 13.0's additions, spelled out value by value. `DifferentialTests` loads the same fixtures with the real
/// 13.0.1 and 0.12.3 loaders and expects byte-identical dumps; these say what those dumps hold.
struct Prosody13Tests {
    private func load(_ fixture: String, credentials: String? = nil) throws(ConfigError) -> ProsodyConfiguration {
        try ConfigLoader.load(path: Repository.fixture(fixture),
                              options: LoadOptions(version: .v13, credentialsDirectory: credentials))
    }

    private func string(_ value: String) -> LuaValue { .string(Array(value.utf8)) }

    private func list(_ values: String...) -> LuaValue {
        .table(LuaTable(entries: values.enumerated().map { .init(key: .integer(Int64($0 + 1)), value: string($1)) }))
    }

    @Test func fileContentsKeepsTheTrailingNewline() throws {
        let config = try load("prosody13/filecontents-secret.cfg.lua")
        let secret = try String(contentsOfFile: Repository.fixture("prosody13/secrets.d/app_secret.txt"), encoding: .utf8)
        #expect(secret.hasSuffix("\n"))
        #expect(config[section: "meet.example.com"]?["app_secret"] == string(secret))
    }

    @Test func fileLineReadsTheFirstLineWithoutItsNewline() throws {
        let config = try load("prosody13/fileline-secret.cfg.lua")
        let file = try String(contentsOfFile: Repository.fixture("prosody13/secrets.d/app_id.txt"), encoding: .utf8)
        let firstLine = String(file.split(separator: "\n", omittingEmptySubsequences: false)[0])
        #expect(config[section: "meet.example.com"]?["app_id"] == string(firstLine))
    }

    @Test func fileLinesReturnsEveryLine() throws {
        let config = try load("prosody13/filelines-admins.cfg.lua")
        let file = try String(contentsOfFile: Repository.fixture("prosody13/secrets.d/admins.txt"), encoding: .utf8)
        let lines = file.split(separator: "\n").map { string(String($0)) }
        let table = LuaTable(entries: lines.enumerated().map { .init(key: .integer(Int64($0 + 1)), value: $1) })
        #expect(config.global["admins"] == .table(table))
    }

    @Test func optionsReadBackInTheCurrentSection() throws {
        let config = try load("prosody13/option-read-back.cfg.lua")
        #expect(config.global["main_muc"] == string("conference.meet.example.com"))
    }

    @Test func appendMethodExtendsTheList() throws {
        let config = try load("prosody13/modules-append-method.cfg.lua")
        #expect(config.global["modules_enabled"] == list("disco", "ping", "bosh", "websocket"))
    }

    @Test func callingAProxyAppendsToTheSectionsOwnList() throws {
        let config = try load("prosody13/modules-append-call.cfg.lua")
        #expect(config[section: "meet.example.com"]?["modules_enabled"]
            == list("bosh", "muc_lobby_rooms", "token_verification"))
        #expect(config.global["modules_enabled"] == list("disco", "ping"))
    }

    @Test func luaGivesTheGlobalTable() throws {
        let config = try load("prosody13/lua-os-getenv.cfg.lua")
        let expected = ProcessInfo.processInfo.environment["JITSI_APP_SECRET"] ?? "fallback"
        #expect(config.global["app_secret"] == string(expected))
    }

    @Test func credentialReadsFromTheCredentialsDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "s3cret-from-systemd\n".write(to: directory.appendingPathComponent("jitsi_app_secret"), atomically: true,
                                          encoding: .utf8)
        let config = try load("prosody13/credential.cfg.lua", credentials: directory.path)
        #expect(config[section: "meet.example.com"]?["app_secret"] == string("s3cret-from-systemd\n"))
    }

    @Test func credentialWithoutTheDirectoryIsAnError() {
        let path = Repository.fixture("prosody13/credential.cfg.lua")
        #expect(throws: ConfigError.parser(LuaText(
            "\(Repository.luaChunkName(path)):5: Credential() requires the $CREDENTIALS_DIRECTORY environment variable to be set"))) {
            try load("prosody13/credential.cfg.lua")
        }
    }

    @Test func bareLuaGlobalsWarnAsDeprecated() throws {
        // A short path: Prosody's loader fails on warnings in files whose path is 60 bytes or longer.
        let directory = URL(fileURLWithPath: "/tmp/p13-" + String(UInt32.random(in: 0...UInt32.max), radix: 16))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("x.cfg.lua").path
        try """
            n = tonumber("5")
            unknown = missing_name
            modules_enabled = { "a" }
            copy = type(modules_enabled)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: path, options: LoadOptions(version: .v13))
        #expect(config.warnings == [
            "\(path):1: direct usage of the Lua API is deprecated - replace `tonumber` with `Lua.tonumber`",
            "\(path):4: direct usage of the Lua API is deprecated - replace `type` with `Lua.type`",
        ])
        #expect(config.global["n"] == .integer(5))
        #expect(config.global["unknown"] == nil)
        #expect(config.global["copy"] == string("table"))
    }
}
