import JitsiToken
import TestSupport
import Testing

struct DecodeTests {
    /// HS256 over `{"iss":"acme_meet","aud":"jitsi","sub":"meet.example.com","room":"weekly%20sync",
    /// "iat":fixedTime,"nbf":fixedTime-30,"exp":fixedTime+7140,"context":{"user":{"name":…}}}`.
    static func token(name: String = "Ada", exp: Int64 = fixedTime + 7140) throws -> String {
        let claims = Claims(
            iss: "acme_meet", aud: "jitsi", sub: "meet.example.com", room: "weekly%20sync",
            exp: exp, nbf: fixedTime - 30, iat: fixedTime,
            context: Claims.Context(user: Claims.User(name: name)))
        return try TokenSigner(algorithm: .hs256, key: .hmac(Secret("s3cret"))).sign(claims)
    }

    @Test func decodePrintsHeaderClaimsAndTimesLabelledUnchecked() throws {
        let result = execute(["decode", try Self.token()])
        #expect(
            result == CommandResult(
                status: 0,
                stdout: """
                    SIGNATURE NOT CHECKED: anyone can write these claims; verify checks them against the server.
                    header: {
                      "alg": "HS256",
                      "typ": "JWT"
                    }
                    claims: {
                      "iss": "acme_meet",
                      "aud": "jitsi",
                      "sub": "meet.example.com",
                      "room": "weekly%20sync",
                      "iat": 1760000000,
                      "nbf": 1759999970,
                      "exp": 1760007140,
                      "context": {
                        "user": {
                          "name": "Ada"
                        }
                      }
                    }
                    times (now 2025-10-09T08:53:20Z):
                      iat  2025-10-09T08:53:20Z  issued now
                      nbf  2025-10-09T08:52:50Z  valid since 30s ago
                      exp  2025-10-09T10:52:20Z  expires in 1h 59m

                    """,
                stderr: ""))
    }

    @Test func decodeTakesAJoinURLWithTheTokenInTheFragmentAndSaysSoInJSON() throws {
        let token = try Self.token(exp: fixedTime - 180)
        let result = execute([
            "decode", "--format", "json", "https://meet.example.com/acme/weekly%20sync#jwt=\(token)&config.x=1",
        ])
        #expect(result.status == 0, "\(result)")
        #expect(
            result.stdout
                == #"{"signature_checked":false,"header":{"alg":"HS256","typ":"JWT"},"claims":{"iss":"acme_meet","#
                + #""aud":"jitsi","sub":"meet.example.com","room":"weekly%20sync","iat":1760000000,"nbf":1759999970,"#
                + #""exp":1759999820,"context":{"user":{"name":"Ada"}}},"times":{"iat":{"unix":1760000000,"#
                + #""iso8601":"2025-10-09T08:53:20Z","relative":"issued now"},"nbf":{"unix":1759999970,"#
                + #""iso8601":"2025-10-09T08:52:50Z","relative":"valid since 30s ago"},"exp":{"unix":1759999820,"#
                + #""iso8601":"2025-10-09T08:50:20Z","relative":"expired 3m ago"}},"url":{"host":"meet.example.com","#
                + #""tenant":"acme","room":"weekly%20sync"}}"# + "\n")
    }

    @Test func decodeReadsStdinAndABearerPrefix() throws {
        let token = try Self.token()
        let plain = execute(["decode", "--format", "json", token])
        let bearer = execute(["decode", "--format", "json"], stdin: "Bearer \(token)\r\n")
        #expect(plain.status == 0)
        #expect(bearer == plain)
    }

    @Test func controlAndBidiCharactersInClaimsAreShownEscaped() throws {
        let result = execute(["decode", try Self.token(name: "Eve\u{1B}]0;pwned\u{07}\u{202E}gnp.exe\u{85}")])
        #expect(result.status == 0)
        #expect(result.stdout.contains(#""name": "Eve\u001B]0;pwned\u0007\u202Egnp.exe\u0085""#), "\(result)")
        #expect(!result.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!result.stdout.unicodeScalars.contains { $0 == "\u{202E}" || $0 == "\u{85}" })
    }

    @Test(arguments: [
        ("abc", "error: not a token: expected 3 segments separated by \".\" (header.payload.signature), got 1\n"),
        ("a.b.c.d.e", "error: not a token: 5 segments: an encrypted token (JWE); Jitsi reads only signed tokens (JWS, 3 segments)\n"),
        ("e30.!!.x", "error: not a token: the payload is not base64url\n"),
        ("WzFd.e30.", "error: not a token: the header is not a JSON object\n"),
        ("https://meet.example.com/room", "error: the URL has no token: expected #jwt=… or ?jwt=… in it\n"),
        (String(repeating: "a", count: 300_000), "error: not a token: the token is 300000 bytes, more than 262144; a token is a few hundred\n"),
    ])
    func decodeRefusesWhatIsNotAToken(_ input: String, _ message: String) {
        #expect(execute(["decode", input]) == CommandResult(status: 1, stdout: "", stderr: message))
    }

    /// PyJWT's unverified decode, compared with ours in Python (so that `1` and `1.0` compare as Python does).
    static let comparison = """
        import json, sys, jwt
        r = json.load(sys.stdin)
        ours = json.loads(r["ours"])
        header = jwt.get_unverified_header(r["token"])
        claims = jwt.decode(r["token"], options={"verify_signature": False})
        print("same" if (header, claims) == (ours["header"], ours["claims"]) else json.dumps([header, claims, ours]))
        """

    @Test(.enabled(if: PyJWT.available, "needs /usr/bin/python3 with python3-jwt"))
    func decodeGivesWhatPyJWTsUnverifiedDecodeGives() throws {
        let signer = try TokenSigner(algorithm: .hs256, key: .hmac(Secret("k")))
        let tokens = [
            try Self.token(name: "Ada “Ünïcödé” \"quoted\"\n\u{1B}[31m\u{202E}"),
            signer.sign(headerJSON: #"{"alg":"HS256","typ":"JWT","kid":"a/b"}"#,
                        payloadJSON: #"{"n":2.5,"l":[1,"two",null,{}],"o":{"x":true},"e":1e3}"#),
            signer.sign(headerJSON: #"{"typ":"JWT","alg":"HS256"}"#, payloadJSON: #"{"dup":1,"dup":2,"u":"\ud83d\ude00"}"#),
        ]
        for token in tokens {
            let ours = execute(["decode", "--format", "json", token])
            #expect(ours.status == 0, "\(ours)")
            let request: JSONValue = ["token": .string(token), "ours": .string(ours.stdout)]
            let compared = try PyJWT.run(Self.comparison, input: request.jsonText)
            #expect(compared == CommandResult(status: 0, stdout: "same\n", stderr: ""), "\(token)")
        }
    }

    @Test func verifyTakesTheRoomAndTenantFromAJoinURL() throws {
        let minted = execute(["mint", "--config", Repository.debian, "--room", "Weekly Sync"])
        let token = String(minted.stdout.dropLast())
        let accepted = execute(["verify", "--config", Repository.debian, "https://meet.example.com/Weekly%20Sync?jwt=\(token)"])
        #expect(accepted == CommandResult(status: 0, stdout: "accepted\n", stderr: ""))
        let otherRoom = execute(["verify", "--config", Repository.debian, "https://meet.example.com/other#jwt=\(token)"])
        #expect(otherRoom.status == 1)
        #expect(otherRoom.stdout.hasPrefix("refused at join: not-allowed: Room and token mismatched\n"), "\(otherRoom)")
        let bearer = execute(["verify", "--config", Repository.debian, "--room", "weekly sync"], stdin: "Bearer \(token)\n")
        #expect(bearer == CommandResult(status: 0, stdout: "accepted\n", stderr: ""))
        let noRoom = execute(["verify", "--config", Repository.debian, token])
        #expect(
            noRoom == CommandResult(
                status: 2, stdout: "",
                stderr: "Error: give --room, or the token as a join URL (https://HOST/ROOM?jwt=…)\n"))
    }
}
