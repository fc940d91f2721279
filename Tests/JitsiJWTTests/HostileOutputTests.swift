import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile configs and tokens against what the commands print: shell assignments, terminal text, join URLs, JSON
/// (issue 9, classes "injection"). Fixtures: `Fixtures/hostile/output-*`, `url-*`.
struct HostileOutputTests {
    // MARK: --format env

    @Test(arguments: ["/bin/sh", "/bin/bash"])
    func evaluatedEnvOutputRunsNoCommandAndKeepsEveryByte(_ shell: String) throws {
        try #require(access(shell, X_OK) == 0)
        let config = hostileFixture("output-env-injection")
        let env = execute(["hosts", "--format", "env", config])
        try #require(env.status == 0, "\(env)")
        let listing = try parseJSON(execute(["hosts", "--format", "json", config]).stdout)
        guard case .array(let hosts)? = listing["virtual_hosts"], case .array(let components)? = listing["components"]
        else { throw TestFailure(description: "no listing") }
        let names = hosts.compactMap { $0["name"]?.stringValue }
        let meet = hosts.first { $0["name"]?.stringValue == "meet.example.com" }
        let expected = [
            names.joined(separator: " "), meet?["authentication"]?.stringValue ?? "",
            components.first?["module"]?.stringValue ?? "",
        ]
        // The payloads really hold a ' byte followed by U+0301 (the case a Character-wise quoting missed).
        #expect(expected[1].utf8.contains(UInt8(ascii: "'")) && expected[1].unicodeScalars.contains("\u{301}"))

        let directory = try TemporaryDirectory()
        let marker = directory.path + "/marker"
        let evaluated = try runProcess(
            shell,
            ["-c", #"eval "$1"; printf '%s|' "$JITSI_HOSTS" "$JITSI_HOST_MEET_EXAMPLE_COM" "$JITSI_COMPONENT_CONFERENCE_MEET_EXAMPLE_COM""#,
             "sh", env.stdout],
            environment: ["HOSTILE_MARKER=\(marker)"])
        #expect(access(marker, F_OK) != 0, "eval ran a command from the config")
        unlink(marker)
        #expect(evaluated == CommandResult(status: 0, stdout: expected.map { $0 + "|" }.joined(), stderr: ""))
    }

    @Test func variableNamesAreMadeFromBytes() {
        // `'` + U+0301 is one Character but three bytes, each `_`.
        #expect(ShellFormat.identifier("a'\u{301}b.example") == "A___B_EXAMPLE")
        #expect(ShellFormat.identifier("x$(id)`id`") == "X__ID__ID_")
        #expect(ShellFormat.isIdentifier("JITSI_HOST_A") && ShellFormat.isIdentifier("_x1"))
        #expect(!ShellFormat.isIdentifier("") && !ShellFormat.isIdentifier("1A") && !ShellFormat.isIdentifier("A-B"))
        #expect(!ShellFormat.isIdentifier("A\u{301}"))
    }

    @Test func aValueWithANulByteIsRefusedNotCutOff() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "nul.cfg.lua", "VirtualHost \"meet.example.com\"\n    authentication = \"tok\\0en\"\n")
        let result = execute(["hosts", "--format", "env", config])
        #expect(result == CommandResult(
            status: 1, stdout: "",
            stderr: "error: JITSI_HOST_MEET_EXAMPLE_COM holds a NUL byte, which a shell variable cannot hold; "
                + "use --format json\n"))
    }

    // MARK: terminal text

    @Test(arguments: [
        ["hosts"], ["hosts", "--format", "json"], ["hosts", "--format", "env"], ["audit"], ["audit", "--format", "json"],
        ["audit", "--format", "sarif"], ["dump"],
    ])
    func controlBytesInNamesAndValuesAreNeverWrittenRaw(_ command: [String]) {
        let result = executeRaw(command + [hostileFixture("output-terminal-controls")])
        #expect(result.status == 0 || command == ["audit"])
        #expect(firstTerminalControl(in: result.stderr) == nil)
        // --format env is for eval and keeps every byte of a value (inside single quotes); every other output is safe.
        if command.last != "env" { #expect(firstTerminalControl(in: result.stdout) == nil) }
    }

    @Test func hostsTextShowsControlBytesAsEscapesOnTheirOwnRow() {
        let result = executeRaw(["hosts", hostileFixture("output-terminal-controls")])
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(text.contains(#"evil\u{1B}]0;pwned\u{7}\u{1B}[2j.example"#))  // nameprep lower-cases the name
        #expect(text.contains(#"id\u{9B}31mred\u{7F}\u{202E}txt"#))
        // The lone 0x9b byte is not UTF-8: the host listing reads option values as text, so it shows as U+FFFD.
        #expect(text.contains("muc_mapper_domain_base=base\\u{A}meet.example.com  yes  token  forged  set\\u{D}\u{FFFD}[2J"))
        #expect(text.contains(#"muc\u{1B}[1A\u{1B}[2K"#))
        // A title, a header and one row for the VirtualHost and for the Component: the forged row stayed in its cell.
        #expect(text.split(separator: "\n").count == 3 + 3)
    }

    @Test(arguments: [["dump"], ["hosts"], ["audit"], ["mint", "--room", "r", "--config"], ["verify", "--room", "r", "--config"]])
    func aLuaErrorTextIsEscapedOnStderr(_ command: [String]) {
        let config = hostileFixture("output-terminal-controls-error")
        let result = executeRaw(command + [config], stdin: "x")
        #expect(result.status != 0 && result.stdout.isEmpty)
        #expect(firstTerminalControl(in: result.stderr) == nil)
        // Lua shortens the chunk name to its last 56 bytes.
        #expect(
            String(decoding: result.stderr, as: UTF8.self).hasSuffix(
                "/output-terminal-controls-error.cfg.lua:3: broken\\u{1B}]0;pwned\\u{7}\\u{1B}[2J\\u{A}fake: "
                    + "line\\u{9B}1m\\u{202E} raw\\x9B[2J\\xFF\n"))
    }

    @Test func verifyEscapesWhatTheTokenSays() throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("secret", "k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW")
        func segment(_ json: String) -> String {
            base64URLEncode(Array(json.utf8))
        }
        let token = segment(#"{"alg":"HS256","typ":"JWT"}"#) + "."
            + segment("{\"iss\":\"\u{1b}]0;x\u{7}\u{9b}2J\u{202e}\",\"aud\":\"jitsi\",\"room\":\"\u{1b}[2J\"}") + ".c2ln"
        let result = executeRaw([
            "verify", "--secret-file", secret, "--host", "meet.example.com", "--app-id", "acme", "--room", "r", token,
        ])
        #expect(result.status == 1)
        #expect(firstTerminalControl(in: result.stdout) == nil && firstTerminalControl(in: result.stderr) == nil)
    }

    @Test func errorMessagesEscapeWhatTheUserTyped() {
        let result = executeRaw(["hosts", "--format", "\u{1b}[2J\u{9b}"])
        #expect(result.status == 2)
        #expect(firstTerminalControl(in: result.stderr) == nil)
        #expect(containsBytes(result.stderr, #"\u{1B}[2J\u{9B}"#))
    }

    // MARK: JSON

    @Test func jsonOutputEscapesWhatATerminalWouldActOn() throws {
        let value = "a\u{7f}\u{9b}\u{2028}\u{2029}\u{202e}\u{2066}\u{200f}é\u{1b}"
        let text = JSONValue.string(value).jsonText
        #expect(text == #""a\u007F\u009B\u2028\u2029\u202E\u2066\u200Fé\u001B""#)
        #expect(try parseJSON(text) == .string(value))
        // Long enough for the eight-bytes-at-a-time scan: the control byte sits in a later word.
        let long = String(repeating: "x", count: 13) + "\u{7f}"
        #expect(JSONValue.string(long).jsonText == "\"" + String(repeating: "x", count: 13) + #"\u007F""#)
    }

    // MARK: join URLs

    @Test(arguments: [
        "meet.example.com", "meet.jitsi", "localhost:8443", "192.0.2.1", "[2001:db8::1]", "[2001:db8::1]:443",
        "a_b.example", "xn--bcher-kva.example",
    ])
    func urlHostsThatAreNames(_ host: String) {
        #expect(JoinURL.validatedHost(host) == host)
    }

    @Test(arguments: [
        "meet.example.com@attacker.example", "evil.example/x", "a?b", "a#b", "a\\b", "", "-a.example", "a-.example",
        "a..b", ".a", "bücher.example", "1.2.3", "999.1.1.1", "[::1", "[zz::1]", "[::1]x", "host:0", "host:65536",
        "host:", "host:8a", "a b", "a\u{0}b", "a%2fb", String(repeating: "a", count: 64) + ".example",
    ])
    func urlHostsThatAreNot(_ host: String) {
        #expect(JoinURL.validatedHost(host) == nil)
    }

    @Test func pathSegmentsArePercentEncodedOnce() {
        #expect(JoinURL.pathSegment("my%20room") == "my%20room")
        #expect(JoinURL.pathSegment("a/b?c#d e") == "a%2Fb%3Fc%23d%20e")
        #expect(JoinURL.pathSegment("%zz%4") == "%25zz%254")
        #expect(JoinURL.pathSegment("é") == "%C3%A9")
    }

    @Test func aHostNameThatWouldOpenAnotherSiteGivesNoURL() throws {
        let config = hostileFixture("url-host-userinfo")
        let result = execute(["mint", "--config", config, "--room", "Weekly Sync", "--format", "json"])
        #expect(result.status == 0, "\(result)")
        let output = try parseJSON(result.stdout)
        #expect(output["url"] == .null)
        let warning = "no join URL: the VirtualHost name \"meet.example.com@attacker.example\" is not a DNS name or "
            + "an IP address, so a URL built from it could open another site; give --public-host with the server's "
            + "public name"
        guard case .array(let warnings)? = output["warnings"] else { throw TestFailure(description: "no warnings") }
        #expect(warnings.contains(.string(warning)))
        #expect(result.stderr.split(separator: "\n").contains("warning: \(warning)"))

        let named = execute(["mint", "--config", config, "--room", "Weekly Sync", "--format", "json",
                             "--public-host", "meet.example.com"])
        let url = try parseJSON(named.stdout)["url"]?.stringValue ?? ""
        #expect(url.hasPrefix("https://meet.example.com/weekly%20sync?jwt=ey"))

        let refused = execute(["mint", "--config", config, "--room", "r", "--public-host", "evil.example/x"])
        #expect(refused == CommandResult(
            status: 2, stdout: "",
            stderr: "error: --public-host evil.example/x: not a DNS name or an IP address (with an optional :port)\n"))
    }
}

/// base64url without padding, written here so the tests do not lean on the code under test.
func base64URLEncode(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    var output: [UInt8] = []
    var index = 0
    while index < bytes.count {
        let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
        let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
        for position in 0...chunk.count { output.append(alphabet[(value >> (18 - 6 * position)) & 0x3F]) }
        index += 3
    }
    return String(decoding: output, as: UTF8.self)
}
