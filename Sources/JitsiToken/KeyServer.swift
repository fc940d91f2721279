/// `asap_key_server`: where the server's token plugins fetch the public key of a `kid`.
public enum KeyServer {
    /// `<sha256 hex of kid>.pem`: the file name the server asks the key server for (lowercase hex of the SHA-256
    /// of the kid's UTF-8 bytes).
    public static func publicKeyFileName(keyID: String) -> String {
        hex(sha256(Array(keyID.utf8))) + ".pem"
    }

    /// The URL the server fetches for `keyID`: `asap_key_server`, `/`, then ``publicKeyFileName(keyID:)``, joined
    /// as Prosody's `util.paths.join` joins them (no slash is collapsed: a server ending in `/` gives `//`).
    public static func fetchURL(server: String, keyID: String) -> String {
        server + "/" + publicKeyFileName(keyID: keyID)
    }

    /// Lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Why an RSA key pair could not be made.
public enum KeyGenerationError: Error, Equatable, CustomStringConvertible {
    /// The size is not one of 2048, 3072 or 4096 bits.
    case unsupportedSize(Int)
    /// The crypto library failed.
    case generationFailed(String)

    public var description: String {
        switch self {
        case .unsupportedSize(let bits): "RSA keys are 2048, 3072 or 4096 bits (got \(bits))"
        case .generationFailed(let reason): "the RSA key could not be generated: \(reason)"
        }
    }
}

/// A new RSA key pair for RS* tokens with a key server: the private key signs, the public key is what
/// `asap_key_server` (a PEM) or `cache_keys_url` (a JWKS) hands the server.
public struct RSAKeyPair: Sendable {
    /// The private key, PEM.
    public let privateKeyPEM: Secret
    /// The public key, PEM (SubjectPublicKeyInfo, `BEGIN PUBLIC KEY`), as the server loads it.
    public let publicKeyPEM: String
    /// The modulus, big-endian, without leading zero bytes.
    public let modulus: [UInt8]
    /// The public exponent, big-endian, without leading zero bytes.
    public let publicExponent: [UInt8]

    /// The key sizes offered.
    public static let supportedSizes = [2048, 3072, 4096]

    /// Generates a key pair of `bits` bits (2048, 3072 or 4096) with OpenSSL, public exponent 65537.
    public init(bits: Int) throws(KeyGenerationError) {
        guard Self.supportedSizes.contains(bits) else { throw .unsupportedSize(bits) }
        do {
            let key = try RSAKey(generatingBits: bits)
            privateKeyPEM = Secret(key.privateKeyPEM)
            publicKeyPEM = key.publicKeyPEM
            modulus = key.modulus
            publicExponent = key.publicExponent
        } catch {
            throw .generationFailed(error.description)
        }
    }

    /// A JWKS document (RFC 7517) with the public key: `{"keys":[{"kty","kid","alg","use","n","e"}]}`.
    public func jwks(keyID: String, algorithm: SignatureAlgorithm) -> JSONValue {
        let key: JSONValue = .object(JSONObject([
            ("kty", "RSA"), ("kid", .string(keyID)), ("alg", .string(algorithm.rawValue)), ("use", "sig"),
            ("n", .string(Base64URL.encode(modulus))), ("e", .string(Base64URL.encode(publicExponent))),
        ]))
        return .object(JSONObject([("keys", .array([key]))]))
    }
}
