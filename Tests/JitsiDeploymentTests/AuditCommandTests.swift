import Foundation
import JitsiDeployment
import Testing

/// End-to-end runs of the built `jitsi-jwt audit` (full stdout, stderr and the exit status). Fixtures are copied into a
/// temporary directory with chosen modes first, because a checkout's modes depend on the umask.
@Suite(.enabled(if: AuditBinary.path != nil, "needs the built jitsi-jwt next to the test bundle (swift build)"))
struct AuditCommandTests {
    @Test func cleanConfigExitsZeroWithOnlyTheSummary() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.copy("audit/clean.cfg.lua", mode: 0o640)
        let result = try AuditBinary.run(["audit", config])
        #expect(result.status == 0)
        #expect(result.output == "0 errors, 0 warnings, 0 notes\n")
        #expect(result.error == "")
    }

    @Test(arguments: [
        ("audit/token.weak-secret/bad.cfg.lua", [String](), Int32(1)),
        ("audit/token.allow-empty-token/bad.cfg.lua", [], 0),
        ("audit/token.allow-empty-token/bad.cfg.lua", ["--fail-on", "error"], 0),
        ("audit/token.allow-empty-token/bad.cfg.lua", ["--fail-on", "warning"], 1),
        ("audit/token.allow-empty-token/bad.cfg.lua", ["--fail-on", "note"], 1),
        ("audit/token.wildcard-audience/bad.cfg.lua", ["--fail-on", "warning"], 0),
        ("audit/token.wildcard-audience/bad.cfg.lua", ["--fail-on", "note"], 1),
        ("audit/clean.cfg.lua", ["--fail-on", "note"], 0),
    ])
    func exitStatusFollowsFailOn(fixture: String, flags: [String], status: Int32) throws {
        let directory = try TemporaryDirectory()
        let config = try directory.copy(fixture, mode: 0o640)
        for format in ["text", "json", "sarif"] {
            let result = try AuditBinary.run(["audit", config, "--format", format] + flags)
            #expect(result.status == status, "\(format)")
        }
    }

    @Test func worldReadableConfigFailsOnWarning() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.copy("audit/clean.cfg.lua", mode: 0o644)
        let result = try AuditBinary.run(["audit", config, "--fail-on", "warning"])
        #expect(result.status == 1)
        #expect(
            result.output == """
                \(config): warning: \(config) is readable by every local user (mode 0644) and sets app_secret \
                [file.world-readable]
                    fix: chmod o-r \(config) (keep it readable by the prosody group: root:prosody 0640).
                0 errors, 1 warning, 0 notes

                """)
    }

    @Test func jsonOutputOfTheCommandIsTheLibrarysRendering() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.copy("audit/token.weak-secret/bad.cfg.lua", mode: 0o640)
        let result = try AuditBinary.run(["audit", "--format", "json", config])
        #expect(result.status == 1)
        #expect(
            result.output == """
                {"findings":[{"id":"token.weak-secret","severity":"error","message":"app_secret of meet.example.com is \
                a well-known example value: anyone can mint tokens this server accepts","fix":"Replace app_secret with at \
                least 32 random bytes (`openssl rand -hex 32`) and re-issue tokens.","host":"meet.example.com",\
                "file":"\(config)","line":6}],"summary":{"error":1,"warning":0,"note":0}}

                """)
    }

    @Test func unreadableConfigExitsTwoWithTheLoadersMessage() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path + "/missing.cfg.lua"
        let result = try AuditBinary.run(["audit", missing, "--fail-on", "note"])
        #expect(result.status == 2)
        #expect(result.output == "")
        #expect(
            result.error == "\(missing): No such file or directory\n"
                + "hint: \(missing) does not exist: give the config with --config PATH, or set PROSODY_CONFIG=PATH\n")

        let broken = try directory.copy("semantics/error-nil.cfg.lua", mode: 0o640)
        let failed = try AuditBinary.run(["audit", broken, "--format", "sarif"])
        #expect(failed.status == 2)
        #expect(failed.output == "")
        #expect(failed.error == "nil\n")
    }

    @Test func relativeConfigPathsAreMadeAbsolute() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.copy("audit/token.allow-empty-token/bad.cfg.lua", mode: 0o640)
        let result = try AuditBinary.run(["audit", "bad.cfg.lua", "--format", "sarif"], in: directory.path)
        #expect(result.status == 0)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let base = ((run["originalUriBaseIds"] as? [String: Any])?["SRCROOT"] as? [String: Any])?["uri"] as? String
        #expect(
            base == "file://" + URL(fileURLWithPath: directory.path).resolvingSymlinksInPath().path + "/"
                || base == "file://" + directory.path + "/")
        let result0 = try #require((run["results"] as? [[String: Any]])?.first)
        let location = (result0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String == "bad.cfg.lua")
        #expect((location?["region"] as? [String: Any])?["startLine"] as? Int == 7)
    }
}

/// The `jitsi-jwt` built next to the test bundle.
enum AuditBinary {
    static let path: String? = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        let candidate = bundle.appendingPathComponent("jitsi-jwt").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }()

    static func run(_ arguments: [String], in directory: String? = nil) throws -> (
        status: Int32, output: String, error: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["PROSODY_CONFIG"] = nil
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }
}

extension TemporaryDirectory {
    /// Copies `Fixtures/<relativePath>` into this directory under its own name, with `mode`.
    func copy(_ relativePath: String, mode: Int) throws -> String {
        let source = AuditFixtures.path(relativePath)
        let destination = path + "/" + URL(fileURLWithPath: source).lastPathComponent
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: destination)
        return destination
    }
}
