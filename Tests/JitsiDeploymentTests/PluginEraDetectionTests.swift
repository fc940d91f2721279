import Foundation
import JitsiDeployment
import JitsiToken
import ProsodyConfig
import TestSupport
import Testing

/// Telling the plugin era from the config's `plugin_paths`: `Fixtures/eras/<era>/` holds a config and a fake plugin
/// tree whose `token/util.lib.lua` carries that era's markers (with varied white space and quotes).
struct PluginEraDetectionTests {
    /// 0.12 semantics: 13.0's loader (Prosody's and ours) fails on a bare Lua global such as `CFG_CONFIGDIR` in a
    /// file whose path is 60 bytes or longer, and the checkout may live anywhere.
    static let loadOptions = LoadOptions(version: .v0_12, readableRoots: [])

    static func detect(_ fixture: String) throws -> DetectedPluginEra {
        let path = Repository.fixture("eras/\(fixture)/prosody.cfg.lua")
        let config = try ConfigLoader.load(path: path, options: Self.loadOptions)
        return PluginEraDetection.detect(config)
    }

    static func utilLibrary(_ fixture: String) -> String {
        Repository.fixture("eras/\(fixture)/prosody-plugins/token/util.lib.lua")
    }

    @Test(arguments: PluginEra.allCases)
    func eachEraIsToldFromItsPluginTree(_ era: PluginEra) throws {
        let detected = try Self.detect(era.rawValue)
        #expect(detected == DetectedPluginEra(era: era, source: .file(Self.utilLibrary(era.rawValue))))
        #expect(detected.sourceDescription == Self.utilLibrary(era.rawValue))
    }

    @Test func aPluginFileBehindASymlinkOutOfThePluginDirectoryIsNotRead() throws {
        #expect(try Self.detect("escape") == DetectedPluginEra(era: .current, source: .defaulted))
    }

    @Test func aFileThatIsNotTheTokenLibraryTellsNothing() throws {
        let detected = try Self.detect("unrecognised")
        #expect(detected == DetectedPluginEra(era: .current, source: .defaulted))
        #expect(detected.sourceDescription == "default: nothing found")
    }

    @Test func theFirstPluginDirectoryHoldingTheLibraryWins() {
        let plugins = { (era: String) in Repository.fixture("eras/\(era)/prosody-plugins") }
        let detected = PluginEraDetection.detect(pluginDirectories: [
            "/nonexistent/prosody-plugins/", "eras/2025-09/prosody-plugins", plugins("unrecognised"),
            plugins("2025-09"), plugins("2026-05"),
        ])
        let library = plugins("2025-09") + "/token/util.lib.lua"
        #expect(detected == DetectedPluginEra(era: .september2025, source: .file(library)))
    }

    @Test(
        .enabled(
            if: !FileManager.default.fileExists(atPath: PluginEraDetection.debianPluginDirectory),
            "Debian's plugin directory is installed here"))
    func withoutPluginPathsAndNoDebianPluginsTheCurrentEraIsAssumed() throws {
        let path = AuditFixtures.audit("muc.mapper-domain-base-missing/bad.cfg.lua")
        let config = try ConfigLoader.load(path: path, options: Self.loadOptions)
        #expect(PluginEraDetection.pluginDirectories(config) == ["/usr/share/jitsi-meet/prosody-plugins/"])
        #expect(PluginEraDetection.detect(config) == DetectedPluginEra(era: .current, source: .defaulted))
    }

    @Test func pluginPathsAreSearchedInTheirOrder() throws {
        let path = Repository.fixture("docker/config/prosody.cfg.lua")
        let config = try ConfigLoader.load(path: path, options: Self.loadOptions)
        #expect(
            PluginEraDetection.pluginDirectories(config) == [
                "/prosody-plugins/", "/prosody-plugins-custom", "/prosody-plugins-contrib",
            ])
    }

    @Test func markersIgnoreWhiteSpaceAndQuoteStyle() {
        let common = "function Util:process_and_verify_token(s) end\nfunction Util:verify_room(s, a) end\n"
        let cases: [(String, PluginEra?)] = [
            ("return {}", nil),
            (common, .august2025),
            (common + "return false,\t\"room-does-not-exist\"", .september2025),
            (common + "log('error', \"... or 'cacheKeysUrl'\n   must be  specified\")", .november2025),
            (common + "if   not\n headerPartEncoded\r\nthen", .march2026),
            (common + "return false, 'not-authorized', 'sub claim  is missing'", .may2026),
            (common + "return false , \"invalid-regex\" ,", .june2026),
            ("function  Util : process_and_verify_token ( s ) function Util:verify_room(", .august2025),
        ]
        for (text, era) in cases {
            #expect(PluginEraDetection.era(ofUtilLibrary: Array(text.utf8)) == era, "\(text)")
        }
    }

    @Test func anOversizedPluginFileIsNotRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jjwt-era-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("token"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = "function Util:process_and_verify_token( function Util:verify_room( 'room-does-not-exist'"
            + String(repeating: " ", count: PluginEraDetection.maxFileBytes)
        try text.write(
            to: directory.appendingPathComponent(PluginEraDetection.markerFile), atomically: true, encoding: .utf8)
        #expect(
            PluginEraDetection.detect(pluginDirectories: [directory.path])
                == DetectedPluginEra(era: .current, source: .defaulted))
    }
}

/// The one audit finding whose meaning depends on the plugin era.
struct PluginEraAuditTests {
    static func mapperBaseMessages(era: PluginEra?) throws -> [String] {
        let path = AuditFixtures.audit("muc.mapper-domain-base-missing/bad.cfg.lua")
        let config = try ConfigLoader.load(path: path, options: LoadOptions(recordNotes: true))
        return Auditor.findings(in: config, configPath: path, fileMode: AuditFixtures.privateModes, era: era)
            .filter { $0.id == "muc.mapper-domain-base-missing" }.map(\.message)
    }

    @Test func withoutAMapperBaseOldPluginsStillAcceptJoins() throws {
        #expect(
            try Self.mapperBaseMessages(era: .august2025) == [
                "muc_mapper_domain_base is not set for meet.example.com (the parent host of "
                    + "conference.meet.example.com, where the users of meet.example.com join): the installed plugins "
                    + "(2025-08) still accept token joins, but from the 2025-09 plugins on every token join is refused "
                    + "with 'Room does not exist'"
            ])
    }

    @Test(arguments: [PluginEra.september2025, .june2026, nil])
    func withoutAMapperBaseLaterPluginsRefuseEveryJoin(_ era: PluginEra?) throws {
        #expect(
            try Self.mapperBaseMessages(era: era) == [
                "muc_mapper_domain_base is not set for meet.example.com (the parent host of "
                    + "conference.meet.example.com, where the users of meet.example.com join): current servers refuse "
                    + "every token join with 'Room does not exist'"
            ])
    }
}
