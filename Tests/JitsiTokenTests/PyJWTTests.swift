import JitsiToken
import Testing
import TestSupport

/// An independent decoder: Debian's python3-jwt (PyJWT) must accept our tokens with the same key and see the
/// claims we meant.
struct PyJWTTests {

    /// Reads `{"token", "key", "alg", "aud"}` on stdin, prints the verified header and payload as sorted JSON.
    static let script = """
        import json, sys, jwt
        r = json.load(sys.stdin)
        payload = jwt.decode(r["token"], r["key"], algorithms=[r["alg"]], audience=r["aud"],
                             options={"verify_exp": False, "verify_nbf": False, "verify_iat": False})
        header = jwt.get_unverified_header(r["token"])
        print(json.dumps({"header": header, "payload": payload}, sort_keys=True, ensure_ascii=False))
        """

    static let claims = Claims(
        iss: "acme_meet", aud: "jitsi", sub: "meet.example.com", room: "my%20room",
        exp: 1_760_003_600, nbf: 1_759_999_970, iat: 1_760_000_000,
        context: Claims.Context(
            user: Claims.User(id: "u-42", name: "Ada “Ünïcödé” \"quoted\"\n", moderator: true),
            features: ["recording": true]),
        extra: ["x-number": 2.5, "x-list": [1, "two", .null]])

    static let expectedPayload =
        #"{"aud": "jitsi", "context": {"features": {"recording": true}, "user": {"id": "u-42", "#
        + #""moderator": true, "name": "Ada “Ünïcödé” \"quoted\"\n"}}, "exp": 1760003600, "iat": 1760000000, "#
        + #""iss": "acme_meet", "nbf": 1759999970, "room": "my%20room", "sub": "meet.example.com", "#
        + #""x-list": [1, "two", null], "x-number": 2.5}"#

    @Test(
        .requires(.pyJWT),
        arguments: [SignatureAlgorithm.hs256, .hs384, .hs512, .rs256])
    func pyJWTDecodesOurTokensWithTheSameKey(_ algorithm: SignatureAlgorithm) throws {
        try Oracle.pyJWT.required()
        let signingKey: SigningKey
        let verificationKey: String
        if algorithm.isHMAC {
            signingKey = .hmac(Secret("b7f0c3e9d2a14c55a1f0"))
            verificationKey = "b7f0c3e9d2a14c55a1f0"
        } else {
            signingKey = .rsa(privateKeyPEM: Secret(try Repository.tokenFixture("rfc7515-a2-private.pem")), keyID: "k1")
            verificationKey = try Repository.tokenFixture("rfc7515-a2-public.pem")
        }
        let token = try TokenSigner(algorithm: algorithm, key: signingKey).sign(Self.claims)
        let request: JSONValue = [
            "token": .string(token), "key": .string(verificationKey), "alg": .string(algorithm.rawValue),
            "aud": "jitsi",
        ]
        let output = try runProcess(Oracle.pythonPath, ["-c", Self.script], input: request.jsonText)
        #expect(output.status == 0, "\(output.stderr)")
        let kid = algorithm.isHMAC ? "" : #", "kid": "k1""#
        #expect(
            output.stdout == #"{"header": {"alg": ""# + algorithm.rawValue + #"""# + kid + #", "typ": "JWT"}, "#
                + #""payload": "# + Self.expectedPayload + "}\n")
    }

    @Test(.requires(.pyJWT))
    func pyJWTRefusesOurTokenUnderAnotherSecret() throws {
        try Oracle.pyJWT.required()
        let token = try TokenSigner(algorithm: .hs256, key: .hmac(Secret("one"))).sign(Self.claims)
        let request: JSONValue = ["token": .string(token), "key": "two", "alg": "HS256", "aud": "jitsi"]
        let output = try runProcess(Oracle.pythonPath, ["-c", Self.script], input: request.jsonText)
        #expect(output.status != 0)
        #expect(output.stderr.hasSuffix("jwt.exceptions.InvalidSignatureError: Signature verification failed\n"))
    }
}
