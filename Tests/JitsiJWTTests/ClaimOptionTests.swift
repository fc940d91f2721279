import JitsiToken
import TestSupport
import Testing

/// `mint`'s options for every claim Jitsi reads: `--context`, explicit non-moderators, absolute times.
struct ClaimOptionTests {
    static func claims(_ arguments: [String], stdin: String = "") throws -> (JSONValue, CommandResult) {
        let result = execute(["mint", "--config", Repository.debian, "--format", "json"] + arguments, stdin: stdin)
        guard result.status == 0 else { throw TestFailure(description: "\(result)") }
        return (try parseJSON(result.stdout)["claims"] ?? .null, result)
    }

    @Test func contextOptionsSetUserGroupFeaturesAndRoomClaims() throws {
        let (claims, _) = try Self.claims([
            "--room", "r", "--name", "Ada", "--no-moderator", "--context", "user.lobby_bypass=true",
            "--context", #"group="sales""#, "--context", "features.recording=true", "--context", "room.lobby=true",
            "--context", "room.regex=false", "--context", #"context.callee={"name":"Bob"}"#,
            "--context", #"user.name="Ada L.""#,
        ])
        #expect(
            claims["context"]?.jsonText
                == #"{"user":{"name":"Ada L.","moderator":false,"lobby_bypass":true},"group":"sales","#
                + #""features":{"recording":true},"room":{"regex":false,"lobby":true},"callee":{"name":"Bob"}}"#)
    }

    @Test(arguments: [
        (["--context", "user.name=5"], "Error: --context user.name=5: context.user.name must be a string"),
        (["--context", #"features.recording="yes""#],
         #"Error: --context features.recording="yes": context.features.recording must be true or false"#),
        (["--context", "group=true"], "Error: --context group=true: context.group must be a string"),
        (["--context", "user=[]"], "Error: --context user=[]: context.user must be an object"),
        (["--context", "user.lobby_bypass=1"],
         "Error: --context user.lobby_bypass=1: context.user.lobby_bypass must be true or false"),
        (["--context", "user.name"], "Error: --context user.name: expected PATH=JSON, e.g. user.lobby_bypass=true"),
        (["--ttl", "1h", "--exp", "2026-01-01T00:00:00Z"], "Error: give --ttl or --exp, not both"),
        (["--exp", "tomorrow"], "Error: The value 'tomorrow' is invalid for '--exp <time>'"),
    ])
    func claimsTheServerWouldChokeOnAreRefused(_ arguments: [String], _ message: String) {
        let result = execute(["mint", "--config", Repository.debian, "--room", "r"] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix(message + "\n"), "\(result)")
    }

    @Test func absoluteTimesAsRFC3339OrUnixSeconds() throws {
        let (claims, _) = try Self.claims([
            "--room", "r", "--exp", "2025-10-09T12:00:00+02:00", "--nbf", "1759990000",
        ])
        #expect(claims["exp"] == .integer(1_760_004_000))
        #expect(claims["nbf"] == .integer(1_759_990_000))
        #expect(claims["iat"] == .integer(fixedTime))
    }

    @Test func anExpiryInThePastOrAnNbfAfterItIsRefused() {
        let past = execute(["mint", "--config", Repository.debian, "--room", "r", "--exp", "2025-10-09T08:00:00Z"])
        #expect(
            past == CommandResult(
                status: 1, stdout: "",
                stderr: "refused: exp 1759996800 is not in the future: the server would refuse the token as expired\n"))
        let never = execute([
            "mint", "--config", Repository.debian, "--room", "r", "--ttl", "1h", "--nbf", "1760010000",
        ])
        #expect(
            never == CommandResult(
                status: 1, stdout: "",
                stderr: "refused: nbf 1760010000 is not before exp 1760003600: the token would never be valid\n"))
    }

    @Test func aWildcardRoomWarnsThatItGrantsEveryRoom() {
        let result = execute(["mint", "--config", Repository.debian, "--room", "*"])
        #expect(result.status == 0)
        #expect(result.stderr == "warning: room \"*\" grants every room: the token opens any meeting on this host\n")
    }

    @Test func batchLinesTakeContextExplicitNonModeratorsAndAbsoluteTimes() throws {
        let input = #"{"room":"a","moderator":false,"exp":"2025-10-09T10:00:00Z","#
            + #""context":{"user":{"lobby_bypass":true},"group":"g"}}"#
            + "\n" + #"{"room":"b","context":{"features":{"recording":"yes"}}}"# + "\n"
        let result = execute(["mint", "--config", Repository.debian, "--batch", "-"], stdin: input)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let token = try parseJSON(String(lines[0]))["token"]?.stringValue ?? ""
        let payload = try payload(of: token)
        #expect(payload["exp"] == .integer(1_760_004_000))
        #expect(payload["context"]?.jsonText == #"{"user":{"moderator":false,"lobby_bypass":true},"group":"g"}"#)
        #expect(
            lines[1]
                == #"{"line":2,"error":"\"context\": context.features.recording must be true or false"}"#)
    }

    @Test func helpShowsDefaultsAsUsersWriteThemAndGroupsTheSandboxKnobsApart() {
        let help = execute(["mint", "--help"])
        #expect(help.stdout.contains("(default: 2h)"), "\(help)")
        #expect(help.stdout.contains("(default: 30s)"))
        #expect(!help.stdout.contains("Duration("))
        let text = help.stdout
        let loading = text.firstRange(of: "\nCONFIG LOADING:\n")?.lowerBound
        #expect(loading != nil, "\(text)")
        // argument-parser puts titled sections before the untitled OPTIONS.
        if let loading, let options = text.firstRange(of: "\nOPTIONS:\n")?.lowerBound {
            let knobs = text[loading..<options]
            for knob in ["--prosody-version", "--allow-read", "--max-memory", "--max-instructions", "--timeout"] {
                #expect(knobs.contains(knob), "\(knob)")
            }
            #expect(!knobs.contains("--room"))
        }
    }
}
