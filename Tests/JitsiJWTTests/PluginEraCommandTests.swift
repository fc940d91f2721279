import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

/// `--jitsi-plugins` and the era detected from the config's `plugin_paths` (Fixtures/eras/<era>/), as `verify` and
/// `mint` report them.
struct PluginEraCommandTests {
    static func config(_ era: String) -> String { Repository.path("Fixtures/eras/\(era)/prosody.cfg.lua") }
    static func utilLibrary(_ era: String) -> String {
        Repository.path("Fixtures/eras/\(era)/prosody-plugins/token/util.lib.lua")
    }

    /// A token for `weekly-sync` on the fixtures' host without `sub`, and its claims as `verify` echoes them.
    static let claimsWithoutSub =
        #"{"iss":"acme_meet","aud":"jitsi","room":"weekly-sync","iat":1759999990,"nbf":1759999960,"#
        + #""exp":1760003600}"#
    static var tokenWithoutSub: String {
        // swiftlint:disable:next force_try
        let signer = try! TokenSigner(algorithm: .hs256, key: .hmac(Secret("b7f0c3e9d2a14c55a1f0")))
        return signer.sign(headerJSON: #"{"alg":"HS256","typ":"JWT"}"#, payloadJSON: claimsWithoutSub)
    }

    @Test func verifyUsesTheEraOfTheInstalledPluginsAndSaysWhereItCameFrom() {
        let result = execute(
            ["verify", "--config", Self.config("2025-08"), "--room", "weekly-sync", "--format", "json"],
            stdin: Self.tokenWithoutSub)
        #expect(
            result
                == CommandResult(
                    status: 1,
                    stdout: #"{"accepted":false,"stage":"join","condition":"internal-error","code":null,"#
                        + #""reason":"bad argument #1 to 'lower' (string expected, got nil)","#
                        + #""hints":["the server raises a Lua error on this token: it logs a traceback and the "#
                        + #"client gets no answer"],"claims":"# + Self.claimsWithoutSub
                        + #","muc":"conference.meet.example.com","era":"2025-08","#
                        + #""era_source":""# + Self.utilLibrary("2025-08") + "\"}\n",
                    stderr: ""))
    }

    @Test func theFlagOverridesTheDetectedEra() {
        let result = execute(
            [
                "verify", "--config", Self.config("2025-08"), "--room", "weekly-sync", "--jitsi-plugins", "2026-05",
                "--format", "json",
            ],
            stdin: Self.tokenWithoutSub)
        #expect(
            result
                == CommandResult(
                    status: 1,
                    stdout: #"{"accepted":false,"stage":"connect","condition":"not-authorized","code":null,"#
                        + #""reason":"sub claim is missing","hints":["sub is missing; the server expects the XMPP "#
                        + #"domain \"meet.example.com\" or the tenant"],"claims":"# + Self.claimsWithoutSub
                        + #","muc":"conference.meet.example.com","era":"2026-05","era_source":"--jitsi-plugins"}"#
                        + "\n",
                    stderr: ""))
    }

    @Test func mintReportsTheEra() throws {
        let result = execute(["mint", "--config", Self.config("2025-09"), "--room", "r", "--format", "json"])
        #expect(result.status == 0, "\(result)")
        let output = try parseJSON(result.stdout)
        #expect(output["era"] == "2025-09")
        #expect(output["era_source"] == .string(Self.utilLibrary("2025-09")))
    }

    @Test func withoutAConfigTheEraIsTheFlagOrTheDefault() throws {
        let directory = try TemporaryDirectory()
        let secretFile = try directory.write("secret", "b7f0c3e9d2a14c55a1f0\n")
        let common = ["mint", "--secret-file", secretFile, "--host", "meet.example.com", "--app-id", "acme_meet"]
        let defaulted = try parseJSON(execute(common + ["--room", "r", "--format", "json"]).stdout)
        #expect(defaulted["era"] == "2026-06")
        #expect(defaulted["era_source"] == "default: nothing found")
        let flagged = try parseJSON(
            execute(common + ["--room", "r", "--format", "json", "--jitsi-plugins", "2025-08"]).stdout)
        #expect(flagged["era"] == "2025-08")
        #expect(flagged["era_source"] == "--jitsi-plugins")
    }

    @Test func anUnknownEraIsAUsageError() {
        let result = execute(["verify", "--config", Self.config("2025-08"), "--room", "r", "--jitsi-plugins", "2024"])
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix(
                "Error: The value '2024' is invalid for '--jitsi-plugins <era>'. Please provide one of the "
                    + "following:\n  - 2025-08\n  - 2025-09\n  - 2025-11\n  - 2026-03\n  - 2026-05\n  - 2026-06\n"),
            "\(result)")
    }
}
