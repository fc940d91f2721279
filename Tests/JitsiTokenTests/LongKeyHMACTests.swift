@testable import JitsiToken
import Testing
import TestSupport

/// HMAC keys longer than the hash's block (64 bytes for SHA-256, 128 for SHA-384/512) are hashed first (RFC 2104);
/// Python's `hmac` module is the independent reference.
struct LongKeyHMACTests {
    /// 150 bytes of a printable secret: longer than every block size.
    static let secret = String((0..<150).map { Character(Unicode.Scalar(UInt8(33 + ($0 * 7) % 94))) })

    /// Reads `key` and `message` lines on stdin and prints the base64url MAC under each of SHA-256, -384, -512.
    static let script = """
        import base64, hashlib, hmac, sys
        key, message = sys.stdin.read().split("\\n")[:2]
        for name in ("sha256", "sha384", "sha512"):
            mac = hmac.new(key.encode(), message.encode(), getattr(hashlib, name)).digest()
            print(base64.urlsafe_b64encode(mac).rstrip(b"=").decode())
        """

    @Test(.requires(.pyJWT))
    func signaturesWithAKeyLongerThanTheBlockMatchPythonsHMAC() throws {
        try Oracle.pyJWT.required()
        let header = #"{"alg":"HS256","typ":"JWT"}"#
        let payload = #"{"aud":"jitsi","room":"*"}"#
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        let output = try runProcess(
            Oracle.pythonPath, ["-c", Self.script], input: Self.secret + "\n" + signingInput + "\n")
        #expect(output.status == 0, "\(output.stderr)")
        let expected = output.stdout.split(separator: "\n").map(String.init)
        let ours = try [SignatureAlgorithm.hs256, .hs384, .hs512].map { algorithm in
            let token = try TokenSigner(algorithm: algorithm, key: .hmac(Secret(Self.secret)))
                .sign(headerJSON: header, payloadJSON: payload)
            #expect(token.hasPrefix(signingInput + "."))
            return String(token.split(separator: ".").last ?? "")
        }
        #expect(ours == expected)
    }

    @Test(arguments: [SignatureAlgorithm.hs256, .hs384, .hs512])
    func aTokenSignedWithALongKeyVerifiesOnlyWithThatKey(_ algorithm: SignatureAlgorithm) throws {
        let signer = try TokenSigner(algorithm: algorithm, key: .hmac(Secret(Self.secret)))
        let token = Array(signer.sign(headerJSON: #"{"alg":"x"}"#, payloadJSON: "{}").utf8)
        let parts = token.split(separator: UInt8(ascii: "."))
        let signature = Base64URL.decodeLenient(parts[2]) ?? []
        let input = token[..<(parts[1].endIndex)]
        var start = SharedHMACStart()
        let validWithItsKey = KeyedHMAC(algorithm, key: Array(Self.secret.utf8))
            .isValidAuthenticationCode(signature.span, for: input.span, start: &start)
        #expect(validWithItsKey)
        let other = Array(Self.secret.utf8.dropLast()) + [UInt8(ascii: "?")]
        let validWithAnother = KeyedHMAC(algorithm, key: other)
            .isValidAuthenticationCode(signature.span, for: input.span, start: &start)
        #expect(!validWithAnother)
    }
}
