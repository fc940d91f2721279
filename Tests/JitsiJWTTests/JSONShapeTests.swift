import ArgumentParser
import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

/// The JSON of `mint --format json` (`{"token","url","host","muc","claims","warnings","era","era_source"}`) and
/// `verify --format json` (`{"accepted","stage","condition","code","reason","hints","claims","muc","era",
/// "era_source"}`), asserted
/// whole. The fixtures' plugin directories (`/usr/share/jitsi-meet/prosody-plugins/`, `/prosody-plugins/`) are not
/// installed on test machines, so the era is the default.
struct JSONShapeTests {
    static let defaultEra = #","era":"2026-06","era_source":"default: nothing found"}"#
    static let conference = #","muc":"conference.meet.example.com""#

    static func token(in stdout: String) throws -> String {
        try #require(try parseJSON(stdout)["token"]?.stringValue)
    }

    @Test func mintJSON() throws {
        let result = execute(["mint", "--config", Repository.debian, "--room", "Weekly Sync", "--format", "json"])
        let token = try Self.token(in: result.stdout)
        let claims =
            #"{"iss":"acme_meet","aud":"jitsi","sub":"meet.example.com","room":"weekly%20sync","iat":1760000000,"#
            + #""nbf":1759999970,"exp":1760007200}"#
        #expect(
            result
                == CommandResult(
                    status: 0,
                    stdout: #"{"token":""# + token + #"","url":"https://meet.example.com/weekly%20sync?jwt="# + token
                        + #"","host":"meet.example.com","muc":"conference.meet.example.com","claims":"# + claims
                        + #","warnings":[]"# + Self.defaultEra
                        + "\n",
                    stderr: ""))
        #expect(try payload(of: token) == (try parseJSON(claims)))
    }

    @Test func mintJSONWithUserFeaturesClaimsTenantAndWarnings() throws {
        let result = execute([
            "mint", "--config", Repository.docker, "--room", "*", "--tenant", "acme", "--name", "Ada", "--email",
            "ada@example.com", "--avatar", "https://example.com/a.png", "--user-id", "u-42", "--moderator",
            "--affiliation", "owner", "--feature", "recording", "--feature", "livestreaming=false", "--claim",
            "group_id=7", "--ttl", "1h", "--public-host", "meet.example.org", "--format", "json",
        ])
        let token = try Self.token(in: result.stdout)
        let warning =
            "moderator/affiliation claims are ignored unless an affiliation plugin such as token_affiliation is "
            + "loaded; without one the first participant (or everyone, with muc_allowners/wait_for_host) becomes "
            + "moderator"
        let payload = try payload(of: token)
        #expect(
            result
                == CommandResult(
                    status: 0,
                    stdout: #"{"token":""# + token + #"","url":null,"host":"meet.jitsi","muc":"muc.meet.jitsi","#
                        + #""claims":"# + payload.jsonText
                        + #","warnings":[""# + warning + #"",""# + #"room \"*\" grants every room: the token opens "#
                        + #"any meeting on this host and every tenant (enable_domain_verification is off)"]"#
                        + Self.defaultEra + "\n",
                    stderr: "warning: " + warning + "\n" + #"warning: room "*" grants every room: the token opens "#
                        + "any meeting on this host and every tenant (enable_domain_verification is off)\n"))
        #expect(
            payload
                == [
                    "iss": "jitsi", "aud": "jitsi", "sub": "acme", "room": "*", "iat": 1_760_000_000,
                    "nbf": 1_759_999_970, "exp": 1_760_003_600,
                    "context": [
                        "user": [
                            "id": "u-42", "name": "Ada", "email": "ada@example.com",
                            "avatar": "https://example.com/a.png", "moderator": true, "affiliation": "owner",
                        ],
                        "features": ["livestreaming": false, "recording": true],
                    ],
                    "group_id": 7,
                ])
    }

    @Test func verifyJSONAccepted() throws {
        let token = execute(["mint", "--config", Repository.debian, "--room", "r"]).stdout
        let result = execute(
            ["verify", "--config", Repository.debian, "--room", "r", "--format", "json"], stdin: token)
        #expect(
            result
                == CommandResult(
                    status: 0,
                    stdout: #"{"accepted":true,"stage":null,"condition":null,"code":null,"reason":null,"hints":["#
                        + #""this assumes the room r@conference.meet.example.com exists: jicofo creates it when the "#
                        + #"meeting starts, and until then the server answers \"Room does not exist\""],"#
                        + #""claims":{"iss":"acme_meet","aud":"jitsi","sub":"meet.example.com","room":"r","#
                        + #""iat":1760000000,"nbf":1759999970,"exp":1760007200}"# + Self.conference + Self.defaultEra
                        + "\n",
                    stderr: ""))
    }

    @Test func verifyJSONRefusedAtJoin() throws {
        let token = execute(["mint", "--config", Repository.debian, "--room", "r"]).stdout
        let result = execute(
            ["verify", "--config", Repository.debian, "--room", "other", "--format", "json"], stdin: token)
        #expect(
            result
                == CommandResult(
                    status: 1,
                    stdout: #"{"accepted":false,"stage":"join","condition":"not-allowed","code":null,"#
                        + #""reason":"Room and token mismatched","hints":["room is \"r\"; the server expects the "#
                        + #"room node \"other\" (lowercase, percent-encoded like the web client) or \"*\"","#
                        + #""this assumes the room other@conference.meet.example.com exists: jicofo creates it when "#
                        + #"the meeting starts, and until then the server answers \"Room does not exist\""],"#
                        + #""claims":{"iss":"acme_meet","aud":"jitsi","sub":"meet.example.com","room":"r","#
                        + #""iat":1760000000,"nbf":1759999970,"exp":1760007200}"# + Self.conference + Self.defaultEra
                        + "\n",
                    stderr: ""))
    }

    @Test func verifyJSONRefusedAtConnectWithoutClaims() {
        let result = execute(["verify", "--config", Repository.debian, "--room", "r", "--format", "json", "a.b"])
        #expect(
            result
                == CommandResult(
                    status: 1,
                    stdout: #"{"accepted":false,"stage":"connect","condition":"not-allowed","code":null,"#
                        + #""reason":"Invalid token","hints":["a JWT is three non-empty base64url parts joined by "#
                        + #"dots; this has 2 (an unsigned alg \"none\" token has two)"],"claims":null"#
                        + Self.conference + Self.defaultEra + "\n",
                    stderr: ""))
    }
}
