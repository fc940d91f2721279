import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

#if canImport(Glibc)
    import Glibc
#endif

/// Secrets in loader errors, output that cannot be written, numeric flags, environment reads and the output budget
/// (issue 9, classes "secrets in error texts", "output and argument errors", "unbounded work", item 2).
struct HostileSinkTests {
    // MARK: secrets in error texts

    /// Each fixture and the secret (or the part of it) that Lua's own message would quote.
    static let secretFixtures = [
        ("secret-unquoted-hex", "3f9a7c1e5b8d4f60a3c1e7b92d4f8a6c", 5, "malformed number near '<redacted>'"),
        ("secret-unterminated", "Zq8UnterminatedSecretValue77", 4, "unfinished string near '<redacted>'"),
        ("secret-dashed-name", "Kx7DashedSecret", 4,
         "attempt to perform arithmetic on a nil value (global '<redacted>')"),
        ("secret-string-call", "Wv3ConstantSecret", 5, "attempt to call a string value (constant '<redacted>')"),
        ("secret-next-line", "Mn4NextLineSecret", 5,
         "attempt to perform arithmetic on a nil value (global '<redacted>')"),
    ]

    static let commands: [[String]] = [
        ["dump"], ["dump", "--show-secrets"], ["hosts"], ["hosts", "--format", "json"], ["audit"],
        ["audit", "--format", "json"], ["audit", "--format", "sarif"], ["mint", "--room", "r", "--config"],
        ["verify", "--room", "r", "--config"],
    ]

    @Test(arguments: secretFixtures)
    func noCommandPrintsASecretFromALoaderError(_ fixture: String, _ secret: String, _ line: Int, _ message: String) {
        let config = hostileFixture(fixture)
        for command in Self.commands {
            let result = executeRaw(command + [config], stdin: "x")
            #expect(result.status != 0, "\(command)")
            #expect(!containsBytes(result.stdout, secret) && !containsBytes(result.stderr, secret), "\(command)")
            // Lua shortens the chunk name to its last 56 bytes.
            #expect(
                String(decoding: result.stderr, as: UTF8.self).hasSuffix("/\(fixture).cfg.lua:\(line): \(message)\n"),
                "\(command)")
        }
    }

    @Test func aSecretInAnIncludedFileWithAShortPathIsRedactedToo() throws {
        let directory = try TemporaryDirectory()
        try directory.write("secret.cfg.lua", "VirtualHost \"meet.example.com\"\n    turn_password = 7e3bSecret9\n")
        let config = try directory.write("main.cfg.lua", "Include \"secret.cfg.lua\"\n")
        let result = execute(["hosts", config])
        #expect(result == CommandResult(
            status: 1, stdout: "", stderr: "\(directory.path)/secret.cfg.lua:2: malformed number near '<redacted>'\n"))
    }

    @Test func anErrorOnALineWithoutASecretKeepsLuasText() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("plain.cfg.lua", "VirtualHost \"meet.example.com\"\n    app_id = 3f9a\n")
        #expect(execute(["hosts", config]).stderr == "\(config):2: malformed number near '3f9a'\n")
    }

    // MARK: output that cannot be written

    @Test(arguments: [
        ["hosts"], ["hosts", "--format", "env"], ["dump"], ["audit"], ["mint", "--room", "r", "--config"], ["--help"],
    ])
    func aFullDiskIsAnErrorNotSuccess(_ command: [String]) throws {
        let binary = try BuiltBinary.required()
        let arguments = command == ["--help"] ? command : command + [Repository.debian]
        let result = try runProcess(
            "/bin/sh", ["-c", #"exec "$@" > /dev/full"#, "sh", binary] + arguments)
        #expect(result == CommandResult(
            status: 74, stdout: "", stderr: "jitsi-jwt: cannot write to stdout: No space left on device\n"))
    }

    @Test func aBatchIntoAClosedPipeStopsWhenSIGPIPEIsIgnored() throws {
        let binary = try BuiltBinary.required()
        let directory = try TemporaryDirectory()
        let requests = try directory.write(
            "requests.jsonl", String(repeating: #"{"room":"weekly sync","name":"Ada"}"# + "\n", count: 20_000))
        let statusFile = directory.path + "/status"
        let result = try runProcess(
            "/bin/sh",
            ["-c", #"trap "" PIPE; ("$0" mint --config "$1" --batch "$2"; echo $? > "$3") | true"#, binary,
             Repository.debian, requests, statusFile])
        defer { unlink(statusFile) }
        #expect(result.status == 0)
        #expect(try readFile(statusFile) == "74\n")
        // Stopped at the first failed write: no summary of 20,000 lines, only the reason.
        #expect(result.stderr == "jitsi-jwt: cannot write to stdout: Broken pipe\n")
    }

    // MARK: numeric flags

    @Test(arguments: [
        (["--timeout", "inf"], "--timeout inf: expected a number of seconds from 0.001 to 86400"),
        (["--timeout", "1e300"], "--timeout 1e+300: expected a number of seconds from 0.001 to 86400"),
        (["--timeout", "nan"], "--timeout nan: expected a number of seconds from 0.001 to 86400"),
        (["--timeout", "0.0001"], "--timeout 0.0001: expected a number of seconds from 0.001 to 86400"),
        (["--max-instructions", "9223372036854775807"],
         "--max-instructions 9223372036854775807: expected a whole number of millions from 1 to 1000000"),
        (["--max-memory", "9007199254740993"],
         "--max-memory 9007199254740993: expected a whole number of MiB from 1 to 1048576"),
        (["--max-file-size", "9223372036854775807"],
         "--max-file-size 9223372036854775807: expected a whole number of KiB from 1 to 1048576"),
        (["--max-file-size", "0"], "--max-file-size 0: expected a whole number of KiB from 1 to 1048576"),
        (["--max-output", "0"], "--max-output 0: expected a whole number of MiB from 1 to 4096"),
    ])
    func numericFlagsOutOfRangeAreUsageErrors(_ flags: [String], _ message: String) {
        for command in [["hosts"], ["mint", "--room", "r", "--config"], ["verify", "--room", "r", "--config"]] {
            let result = execute(command + [Repository.debian] + flags, stdin: "x")
            #expect(result.status == 2, "\(command) \(flags)")
            #expect(result.stdout.isEmpty && result.stderr.hasPrefix("Error: \(message)\n"), "\(result)")
        }
    }

    @Test func theLargestLimitsStillWork() {
        let result = execute([
            "hosts", "--timeout", "86400", "--max-instructions", "1000000", "--max-memory", "1048576",
            "--max-file-size", "1048576", "--max-output", "4096", Repository.debian,
        ])
        #expect(result.status == 0 && result.stderr.isEmpty)
    }

    @Test func verifyRefusesANonFiniteTime() {
        let result = execute(["verify", "--config", Repository.debian, "--room", "r", "--at", "inf", "x"])
        #expect(result.status == 2 && result.stderr.hasPrefix("Error: --at inf: expected a Unix time in seconds\n"))
    }

    // MARK: numbers JSON cannot carry

    @Test func aClaimThatOverflowsADoubleIsRefused() throws {
        let refused = execute(["mint", "--config", Repository.debian, "--room", "r", "--claim", "x=1e400"])
        #expect(refused.status == 2 && refused.stdout.isEmpty)
        #expect(refused.stderr.hasPrefix(
            "Error: --claim x=1e400: the number is too large for a double (the server's cjson reads it as inf and "
                + "cannot encode it again)\n"))
        let batch = execute(
            ["mint", "--config", Repository.debian, "--room", "r", "--batch", "-"],
            stdin: #"{"claims":{"n":[1,{"x":-1e400}]}}"# + "\n")
        #expect(batch.status == 1)
        #expect(batch.stdout == #"{"line":1,"error":"the line holds a number too large for a double (the server's cjson reads it as inf)"}"# + "\n")
        // The largest finite doubles are minted as numbers.
        let large = execute(["mint", "--config", Repository.debian, "--room", "r", "--claim", "x=1.5e308"])
        #expect(try payload(of: large.stdout.trimmingTrailingNewline)["x"] == .number(1.5e308))
    }

    // MARK: environment reads (issue 9 item 2)

    @Test func noEnvAndAllowEnvDecideWhatAConfigReads() throws {
        let binary = try BuiltBinary.required()
        let config = hostileFixture("env-read")
        let environment = ["HOSTILE_CI_TOKEN=ci-token-4f1d9", "HOSTILE_ALLOWED=allowed-7c2"]
        func options(_ flags: [String]) throws -> [String?] {
            let result = try runProcess(binary, ["dump"] + flags + [config], environment: environment)
            #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
            let host = try parseJSON(result.stdout)["hosts"]?["meet.example.com"]
            return ["app_id", "muc_mapper_domain_base", "allow_empty_token"].map { host?[$0]?.stringValue }
        }
        #expect(try options([]) == ["ci-token-4f1d9", "ci-token-4f1d9", "allowed-7c2"])
        #expect(try options(["--no-env"]) == ["unset", "unset", "unset"])
        #expect(try options(["--allow-env", "HOSTILE_ALLOWED"]) == ["unset", "unset", "allowed-7c2"])
    }

    @Test func envFlagsAreChecked() {
        #expect(execute(["hosts", "--no-env", "--allow-env", "A", Repository.debian]).stderr
            .hasPrefix("Error: give --no-env or --allow-env, not both\n"))
        #expect(execute(["hosts", "--allow-env", "A=B", Repository.debian]).stderr
            .hasPrefix("Error: --allow-env A=B: not a variable name (letters, digits and _)\n"))
    }

    // MARK: output budget

    @Test(arguments: [
        (["dump"], "output-budget-shared-string"), (["hosts"], "output-budget-inherited-string"),
        (["hosts", "--format", "json"], "output-budget-inherited-string"),
    ])
    func outputPastTheBudgetIsAnErrorBeforeItIsBuilt(_ command: [String], _ fixture: String) {
        let result = execute(command + [hostileFixture(fixture)])
        #expect(result == CommandResult(
            status: 1, stdout: "",
            stderr: "error: the output would be larger than 64 MiB (a value repeated in many places?); raise it "
                + "with --max-output\n"))
    }

    @Test func envOutputHasNoTokenOptionsToBound() {
        let result = execute(["hosts", "--format", "env", hostileFixture("output-budget-inherited-string")])
        #expect(result.status == 0 && result.stdout.hasPrefix("JITSI_HOSTS='host1.example host10.example "))
    }

    @Test func aLongValuePadsNoRowPastTheBudget() throws {
        // One 200 kB app_id widens its column for all 400 rows: 80 MB of padding from 200 kB of text.
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "wide.cfg.lua",
            "VirtualHost 'wide.example'\n    app_id = ('w'):rep(200000)\n"
                + "for i = 1, 400 do VirtualHost('h' .. i .. '.example') end\n")
        let text = execute(["hosts", config])
        #expect(text.status == 1 && text.stdout.isEmpty)
        #expect(execute(["hosts", "--format", "json", config]).status == 0)
    }
}

extension String {
    fileprivate var trimmingTrailingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
