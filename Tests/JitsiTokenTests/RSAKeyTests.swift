@testable import JitsiToken
import Testing
import TestSupport

/// Which RSA keys the signer and the verifier take: OpenSSL reads the PEM; the rules swift-crypto (BoringSSL)
/// applied before are kept (at least 1024 bits, no passphrase ever asked for, a private key's numbers consistent).
struct RSAKeyTests {
    /// The signer's error for the private key in `fixture`, or nil when it signs.
    static func signerError(_ fixture: String) throws -> String? {
        let pem = try Repository.tokenFixture(fixture)
        do {
            _ = try TokenSigner(algorithm: .rs256, key: .rsa(privateKeyPEM: Secret(pem), keyID: nil))
            return nil
        } catch {
            return error.description
        }
    }

    /// A token signed with `other-private.pem` (PKCS#1), split into its signing input and signature.
    static func otherKeysToken(_ algorithm: SignatureAlgorithm) throws -> (input: ArraySlice<UInt8>, signature: [UInt8]) {
        let signer = try TokenSigner(
            algorithm: algorithm, key: .rsa(privateKeyPEM: Secret(try Repository.tokenFixture("other-private.pem")), keyID: nil))
        let token = Array(signer.sign(headerJSON: #"{"alg":"RS256"}"#, payloadJSON: #"{"room":"*"}"#).utf8)
        let parts = token.split(separator: UInt8(ascii: "."))
        return (token[..<parts[1].endIndex], Base64URL.decodeLenient(parts[2]) ?? [])
    }

    @Test func refusesPrivateKeysItCannotSignWithAndSaysWhy() throws {
        let prefix = "the RSA private key could not be read: "
        #expect(try Self.signerError("other-private.pem") == nil)
        #expect(try Self.signerError("rfc7515-a2-private.pem") == nil)
        #expect(try Self.signerError("rsa-512-private.pem") == prefix + "the key has 512 bits; at least 1024 are needed")
        #expect(try Self.signerError("ec-p256-private.pem") == prefix + "the key is not an RSA key")
        #expect(
            try Self.signerError("other-private-encrypted.pem")
                == prefix + "the key is encrypted with a passphrase; decrypt it first (openssl pkey -in KEY -out PLAIN)")
        #expect(
            try Self.signerError("other-private-damaged.pem")
                == prefix + "the key's numbers do not belong together (a damaged key)")
        #expect(
            try Self.signerError("other-public.pem")
                == prefix + "no RSA key in PEM form (BEGIN RSA PRIVATE KEY, PRIVATE KEY or PUBLIC KEY) was found")
    }

    @Test(arguments: [SignatureAlgorithm.rs256, .rs384, .rs512])
    func verifiesWithTheSubjectPublicKeyInfoAndThePKCS1FormsOfThePublicKeyOnly(_ algorithm: SignatureAlgorithm) throws {
        let (input, signature) = try Self.otherKeysToken(algorithm)
        var start = SharedHMACStart()
        func isValid(_ fixture: String, as verifying: SignatureAlgorithm = algorithm) throws -> Bool {
            SignatureKey(verifying, key: .rsaPublicKey(pem: try Repository.tokenFixture(fixture)))
                .isValid(signature.span, for: input.span, algorithm: verifying, start: &start)
        }
        #expect(try isValid("other-public.pem"))
        #expect(try isValid("other-public-pkcs1.pem"))
        #expect(try !isValid("rfc7515-a2-public.pem"))
        #expect(try !isValid("other-public.pem", as: algorithm == .rs256 ? .rs512 : .rs256))
        let validWithNoKey = SignatureKey(algorithm, key: .rsaPublicKey(pem: "not a key"))
            .isValid(signature.span, for: input.span, algorithm: algorithm, start: &start)
        #expect(!validWithNoKey)
    }

    @Test func aPrivateKeyIsNotAPublicKeyForTheVerifier() throws {
        let pem = try Repository.tokenFixture("other-private.pem")
        guard case .unusable = SignatureKey(.rs256, key: .rsaPublicKey(pem: pem)) else {
            Issue.record("a private key PEM was taken as the verifier's public key")
            return
        }
    }

    @Test func theVerificationKeyOfAPrivateKeyIsItsPublicKeyAsAKeyServerServesIt() throws {
        let pem = try Repository.tokenFixture("other-private.pem")
        let publicPEM = try Repository.tokenFixture("other-public.pem")
        let key = try SigningKey.rsa(privateKeyPEM: Secret(pem), keyID: nil).verificationKey()
        #expect(key == .rsaPublicKey(pem: String(publicPEM.dropLast(publicPEM.hasSuffix("\n") ? 1 : 0))))
    }

    @Test(arguments: [2048, 3072])
    func generatedKeysSignWhatTheirPublicKeyVerifies(_ bits: Int) throws {
        let pair = try RSAKeyPair(bits: bits)
        #expect(pair.publicKeyPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(pair.publicKeyPEM.hasSuffix("\n-----END PUBLIC KEY-----"))
        #expect(String(decoding: pair.privateKeyPEM.revealedBytes, as: UTF8.self).hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
        #expect(pair.modulus.count == bits / 8 && pair.modulus.first.map { $0 >= 0x80 } == true)
        #expect(pair.publicExponent == [0x01, 0x00, 0x01])
        let signer = try TokenSigner(algorithm: .rs256, key: .rsa(privateKeyPEM: pair.privateKeyPEM, keyID: nil))
        let token = Array(signer.sign(headerJSON: "{}", payloadJSON: "{}").utf8)
        let parts = token.split(separator: UInt8(ascii: "."))
        let signature = Base64URL.decodeLenient(parts[2]) ?? []
        #expect(signature.count == bits / 8)
        let input = token[..<parts[1].endIndex]
        var start = SharedHMACStart()
        let valid = SignatureKey(.rs256, key: .rsaPublicKey(pem: pair.publicKeyPEM))
            .isValid(signature.span, for: input.span, algorithm: .rs256, start: &start)
        #expect(valid)
    }
}
