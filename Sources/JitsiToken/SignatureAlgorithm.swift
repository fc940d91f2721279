/// The JWS algorithms a Jitsi server can be configured with (`signature_algorithm`).
public enum SignatureAlgorithm: String, Sendable, CaseIterable {
    /// HMAC with SHA-256 (the server's default without a key server).
    case hs256 = "HS256"
    /// HMAC with SHA-384.
    case hs384 = "HS384"
    /// HMAC with SHA-512.
    case hs512 = "HS512"
    /// RSASSA-PKCS1-v1_5 with SHA-256 (the default with a key server).
    case rs256 = "RS256"
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    case rs384 = "RS384"
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    case rs512 = "RS512"

    /// Whether this is an HMAC algorithm (HS*), keyed by a shared secret.
    public var isHMAC: Bool {
        switch self {
        case .hs256, .hs384, .hs512: true
        case .rs256, .rs384, .rs512: false
        }
    }
}

/// The key a token is signed with.
public enum SigningKey: Sendable {
    /// The shared secret (`app_secret`), used as raw bytes.
    case hmac(Secret)
    /// An RSA private key in PEM form (PKCS#1 or PKCS#8), and the `kid` to put in the header, if any.
    case rsa(privateKeyPEM: Secret, keyID: String?)
}

/// The key a server checks signatures with.
public enum VerificationKey: Sendable, Equatable {
    /// The shared secret (`app_secret`), used as raw bytes.
    case hmac(Secret)
    /// An RSA public key in PEM form, as a key server serves it.
    case rsaPublicKey(pem: String)
}
