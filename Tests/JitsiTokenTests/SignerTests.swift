import JitsiToken
import Testing
import TestSupport

struct SignerTests {
    static let claims = Claims(
        iss: "acme_meet", aud: "jitsi", sub: "meet.example.com", room: "weekly-sync",
        exp: 1_760_003_600, nbf: 1_759_999_970, iat: 1_760_000_000,
        context: Claims.Context(
            user: Claims.User(
                id: "u-42", name: "Ada \"Countess\"\nLovelace", email: "ada@example.com",
                avatar: "https://example.com/a.png", moderator: true,
                extra: ["lobby_bypass": true, "name": "ignored"]),
            group: "g1", tenant: "acme", features: ["screen-sharing": false, "recording": true], roomRegex: false,
            extra: ["callee": ["id": "x"], "user": "ignored"]),
        extra: ["zeta": 1, "alpha": ["é", 2.5, .null], "sub": "ignored"])

    static let expectedPayload =
        #"{"iss":"acme_meet","aud":"jitsi","sub":"meet.example.com","room":"weekly-sync","#
        + #""iat":1760000000,"nbf":1759999970,"exp":1760003600,"context":{"user":{"id":"u-42","#
        + #""name":"Ada \"Countess\"\nLovelace","email":"ada@example.com","avatar":"https://example.com/a.png","#
        + #""moderator":true,"lobby_bypass":true},"group":"g1","tenant":"acme","#
        + #""features":{"recording":true,"screen-sharing":false},"room":{"regex":false},"callee":{"id":"x"}},"#
        + #""alpha":["é",2.5,null],"zeta":1}"#

    /// One signer for each SHA-2 width of HMAC (one with a key longer than a block) and one RS256 signer.
    static func signerOfEachAlgorithm() throws -> [TokenSigner] {
        let pem = try Repository.tokenFixture("rfc7515-a2-private.pem")
        return [
            try TokenSigner(algorithm: .hs256, key: .hmac(Secret("s3cret"))),
            try TokenSigner(algorithm: .hs384, key: .hmac(Secret(String(repeating: "k", count: 200)))),
            try TokenSigner(algorithm: .hs512, key: .hmac(Secret("s3cret"))),
            try TokenSigner(algorithm: .rs256, key: .rsa(privateKeyPEM: Secret(pem), keyID: "tenant/key-1")),
        ]
    }

    static func parts(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map {
            String(decoding: decodeBase64URL(String($0)) ?? [], as: UTF8.self)
        }
    }

    @Test func writesTheHeaderExactlyAndThePayloadInTheDocumentedOrder() throws {
        let signer = try TokenSigner(algorithm: .hs256, key: .hmac(Secret("s3cret")))
        let token = signer.sign(Self.claims)
        let parts = Self.parts(token)
        #expect(parts.count == 3)
        #expect(parts[0] == #"{"alg":"HS256","typ":"JWT"}"#)
        #expect(parts[1] == Self.expectedPayload)
        #expect(!token.contains("=") && !token.contains("+") && !token.contains("/"))
    }

    @Test func isDeterministic() throws {
        let signer = try TokenSigner(algorithm: .hs512, key: .hmac(Secret("s3cret")))
        #expect(signer.sign(Self.claims) == signer.sign(Self.claims))
    }

    /// A token start made once per payload prefix gives the token signing the whole payload gives, whatever the
    /// prefix's length (0 to 2 bytes carried into the tail) and the algorithm.
    @Test func tokensFromASharedStartAreTheWholePayloadsTokens() throws {
        let signers = try Self.signerOfEachAlgorithm()
        let payload = Array(Self.expectedPayload.utf8)
        for signer in signers {
            for cut in [0, 1, 2, 3, 64, 65, 100, 101, 102, payload.count] {
                let start = signer.tokenStart(payloadPrefix: Array(payload[..<cut]))
                let tail = start.carriedPayload + payload[cut...]
                var token = Array("before".utf8)
                signer.appendToken(to: &token, start: start, payloadTail: tail.span)
                let header = Self.parts(signer.sign(payload: .null))[0]
                let whole = signer.sign(headerJSON: header, payloadJSON: Self.expectedPayload)
                #expect(String(decoding: token, as: UTF8.self) == "before" + whole, "\(signer.algorithm) cut \(cut)")
            }
        }
    }

    @Test func writesKidAfterTypForRSA() throws {
        let pem = try Repository.tokenFixture("rfc7515-a2-private.pem")
        let signer = try TokenSigner(algorithm: .rs384, key: .rsa(privateKeyPEM: Secret(pem), keyID: "tenant/key-1"))
        #expect(Self.parts(signer.sign(Claims(iss: "a")))[0] == #"{"alg":"RS384","typ":"JWT","kid":"tenant/key-1"}"#)
    }

    @Test func signIntoReusesTheBufferAndMatchesSign() throws {
        let signer = try TokenSigner(algorithm: .hs256, key: .hmac(Secret("s3cret")))
        var buffer: [UInt8] = Array(repeating: 0x41, count: 10)
        signer.sign(Self.claims, into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == signer.sign(Self.claims))
    }

    @Test func listsExtraKeysThatStandardFieldsShadow() {
        #expect(Self.claims.overriddenExtraKeys == ["context.user", "context.user.name", "sub"])
    }

    @Test func refusesAKeyOfTheWrongKind() throws {
        #expect(throws: TokenSignerError.keyDoesNotMatchAlgorithm(.rs256)) {
            try TokenSigner(algorithm: .rs256, key: .hmac(Secret("s3cret")))
        }
        let error = #expect(throws: TokenSignerError.self) {
            try TokenSigner(algorithm: .hs256, key: .rsa(privateKeyPEM: Secret("x"), keyID: nil))
        }
        #expect(
            error?.description
                == "HS256 signs with a shared secret (app_secret), but an RSA private key was given")
    }

    @Test func refusesTextThatIsNotAPrivateKey() {
        let error = #expect(throws: TokenSignerError.self) {
            try TokenSigner(algorithm: .rs256, key: .rsa(privateKeyPEM: Secret("not a key"), keyID: nil))
        }
        guard case .invalidPrivateKey? = error else {
            Issue.record("expected invalidPrivateKey, got \(String(describing: error))")
            return
        }
    }

    @Test func claimsAsAJSONValueKeepTheSignedOrder() {
        #expect(JSONValue.object(JSONObject()).jsonText == "{}")
        #expect(Self.claims.jsonValue.jsonText == Self.expectedPayload)
    }
}
