import JitsiToken
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// End-to-end runs of the built `jitsi-jwt audit` (full stdout, stderr and the exit status). Fixtures are copied into a
/// temporary directory with chosen modes first, because a checkout's modes depend on the umask.
/// A missing binary fails every test here.
struct AuditCommandTests {
    @Test func cleanConfigExitsZeroWithOnlyTheSummary() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.copy("audit/clean.cfg.lua", mode: 0o640)
        let result = try runBinary(["audit", config])
        #expect(result.status == 0)
        #expect(result.stdout == "0 errors, 0 warnings, 0 notes\n")
        #expect(result.stderr == "")
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
            let result = try runBinary(["audit", config, "--format", format] + flags)
            #expect(result.status == status, "\(format)")
        }
    }

    @Test func worldReadableConfigFailsOnWarning() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.copy("audit/clean.cfg.lua", mode: 0o644)
        let result = try runBinary(["audit", config, "--fail-on", "warning"])
        #expect(result.status == 1)
        #expect(
            result.stdout == """
                \(config): warning: \(config) is readable by every local user (mode 0644) and sets app_secret \
                [file.world-readable]
                    fix: chmod o-r \(config) (keep it readable by the prosody group: root:prosody 0640).
                0 errors, 1 warning, 0 notes

                """)
    }

    @Test func jsonOutputOfTheCommandIsTheLibrarysRendering() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.copy("audit/token.weak-secret/bad.cfg.lua", mode: 0o640)
        let result = try runBinary(["audit", "--format", "json", config])
        #expect(result.status == 1)
        #expect(
            result.stdout == """
                {"findings":[{"id":"token.weak-secret","severity":"error","message":"app_secret of meet.example.com is \
                a well-known example value: anyone can mint tokens this server accepts","fix":"Replace app_secret with at \
                least 32 random bytes (`openssl rand -hex 32`) and re-issue tokens.","host":"meet.example.com",\
                "file":"\(config)","line":6}],"summary":{"error":1,"warning":0,"note":0}}

                """)
    }

    @Test func unreadableConfigExitsTwoWithTheLoadersMessage() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path + "/missing.cfg.lua"
        let result = try runBinary(["audit", missing, "--fail-on", "note"])
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(
            result.stderr == "\(missing): No such file or directory\n"
                + "hint: \(missing) does not exist: give the config with --config PATH, or set PROSODY_CONFIG=PATH\n")

        let broken = try directory.copy("semantics/error-nil.cfg.lua", mode: 0o640)
        let failed = try runBinary(["audit", broken, "--format", "sarif"])
        #expect(failed.status == 2)
        #expect(failed.stdout == "")
        #expect(failed.stderr == "nil\n")
    }

    @Test func relativeConfigPathsAreNamedAsGiven() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.copy("audit/token.allow-empty-token/bad.cfg.lua", mode: 0o640)
        let text = try runBinary(["audit", "./bad.cfg.lua"], in: directory.path)
        #expect(
            text == CommandResult(
                status: 0,
                stdout: """
                    ./bad.cfg.lua:7: warning: allow_empty_token is on for meet.example.com: clients without a token \
                    join anonymously [token.allow-empty-token]
                        fix: Set allow_empty_token = false unless guests without tokens are intended.
                    0 errors, 1 warning, 0 notes

                    """, stderr: ""))
        let result = try runBinary(["audit", "./bad.cfg.lua", "--format", "sarif"], in: directory.path)
        #expect(result.status == 0)
        let log = try parseJSON(result.stdout)
        guard case .array(let runs)? = log["runs"], let run = runs.first,
            case .array(let results)? = run["results"], let first = results.first,
            case .array(let locations)? = first["locations"], let location = locations.first?["physicalLocation"]
        else { throw TestFailure(description: "not the expected SARIF log: \(result.stdout)") }
        #expect(run["originalUriBaseIds"]?["SRCROOT"]?["uri"] == .string("file://" + realPath(directory.path) + "/"))
        #expect(location["artifactLocation"]?["uri"] == "bad.cfg.lua")
        #expect(location["region"]?["startLine"] == .integer(7))
    }
}

/// Runs the built `jitsi-jwt` with `arguments` in `directory`.
private func runBinary(_ arguments: [String], in directory: String? = nil) throws -> CommandResult {
    try runProcess(BuiltBinary.required(), arguments, in: directory)
}

extension TemporaryDirectory {
    /// Copies `Fixtures/<relativePath>` into this directory under its own name, with `mode`.
    func copy(_ relativePath: String, mode: mode_t) throws -> String {
        let destination = try copy(Repository.fixture(relativePath))
        guard chmod(destination, mode) == 0 else { throw TestFailure(description: "cannot chmod \(destination)") }
        return destination
    }
}
