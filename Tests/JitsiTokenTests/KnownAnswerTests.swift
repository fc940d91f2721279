import JitsiToken
import Testing
import TestSupport

/// RFC 7515 Appendix A: published keys, signing inputs and signatures.
struct KnownAnswerTests {
    /// Appendix A.1's HMAC key (the JWK `k`).
    /// (The JWK `k` "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow".)
    static let a1Key: [UInt8] = [
        3, 35, 53, 75, 43, 15, 165, 188, 131, 126, 6, 101, 119, 123, 166, 143, 90, 179, 40, 230, 240, 84, 201, 40, 169,
        15, 132, 178, 210, 80, 46, 191, 211, 251, 90, 146, 210, 6, 71, 239, 150, 138, 180, 195, 119, 98, 61, 34, 61, 46,
        33, 114, 5, 46, 79, 8, 192, 205, 154, 245, 103, 208, 128, 163,
    ]
    /// The protected header and payload octets of Appendix A.1 (CRLFs and spaces included).
    static let a1Header = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"
    static let payload = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"
    static let a1Token =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let a2Token =
        "eyJhbGciOiJSUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        + ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2F"
        + "p5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQB"
        + "MHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeY"
        + "I2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"

    @Test func hs256OfTheAppendixA1SigningInputIsTheRFCSignature() throws {
        let signer = try TokenSigner(algorithm: .hs256, key: .hmac(Secret(Self.a1Key)))
        #expect(signer.sign(headerJSON: Self.a1Header, payloadJSON: Self.payload) == Self.a1Token)
    }

    @Test func rs256OfTheAppendixA2SigningInputIsTheRFCSignature() throws {
        let pem = try Repository.tokenFixture("rfc7515-a2-private.pem")
        let signer = try TokenSigner(algorithm: .rs256, key: .rsa(privateKeyPEM: Secret(pem), keyID: nil))
        #expect(signer.sign(headerJSON: "{\"alg\":\"RS256\"}", payloadJSON: Self.payload) == Self.a2Token)
    }

    @Test func theAppendixA1TokenPassesTheSignatureCheckAndStopsAtTheMissingAudience() {
        let rules = ServerRules(
            xmppDomain: "example.com", appID: "joe", key: .hmac(Secret(Self.a1Key)),
            mucMapperDomainBase: "example.com")
        let verdict = verify(token: Self.a1Token, rules: rules, room: "r", tenant: nil, now: 1_300_819_379)
        #expect(WireVerdict(verdict) == .connect("'aud' claim is missing"))
    }

    @Test func theAppendixA1TokenIsExpiredOneSecondLaterWithTheServersFloatText() {
        let rules = ServerRules(
            xmppDomain: "example.com", appID: "joe", key: .hmac(Secret(Self.a1Key)),
            mucMapperDomainBase: "example.com")
        let verdict = verify(token: Self.a1Token, rules: rules, room: "r", tenant: nil, now: 1_300_819_381.9)
        #expect(WireVerdict(verdict) == .connect("Not acceptable by exp (1.0 sec since expired)"))
    }

    @Test func theAppendixA2TokenVerifiesUnderItsPublicKeyButHasNoTyp() throws {
        let publicKey = try Repository.tokenFixture("rfc7515-a2-public.pem")
        let rules = ServerRules(
            xmppDomain: "example.com", appID: "joe", key: .rsaPublicKey(pem: publicKey),
            signatureAlgorithm: "RS256", mucMapperDomainBase: "example.com")
        let verdict = verify(token: Self.a2Token, rules: rules, room: "r", tenant: nil, now: 1_300_819_379)
        #expect(WireVerdict(verdict) == .connect("Invalid typ"))
    }
}
