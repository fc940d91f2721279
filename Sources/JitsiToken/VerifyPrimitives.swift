// MARK: - Byte comparisons

/// Whether two strings have the same UTF-8 bytes (Lua string equality; unlike `==`, no Unicode equivalence).
@inline(__always)
func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
    // The counts first: O(1) for native strings, and most keys of an object differ in length.
    guard lhs.utf8.count == rhs.utf8.count else { return false }
    let left = lhs.utf8.span
    let right = rhs.utf8.span
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in left.indices { difference |= left[index] ^ right[index] }
    return difference == 0
}

/// `Lua.equals`, with a byte comparison that costs a length check and a scan.
@inline(__always)
func luaEquals(_ value: JSONValue?, _ text: String) -> Bool {
    if case .string(let string)? = value { return sameBytes(string, text) }
    return false
}

// MARK: - Signatures

/// The server's key as a verifier checks signatures with it, prepared once per ``ServerRules``: the keyed HMAC
/// state (OpenSSL's SHA-2 states after the padded key, copied per token) or the parsed RSA public key.
enum SignatureKey: Sendable {
    case hmac(KeyedHMAC)
    case rsa(RSAKey)
    /// An RS* algorithm with a secret, a public key that does not parse, or no key or no supported algorithm at all:
    /// no signature is valid.
    case unusable

    /// The key for `algorithm`. luajwtjitsi passes the configured key string to whichever primitive the
    /// algorithm names, so HS* with a public key is an HMAC over the PEM text.
    init(_ algorithm: SignatureAlgorithm, key: VerificationKey) {
        switch (algorithm, key) {
        case (.hs256, _), (.hs384, _), (.hs512, _):
            let keyBytes: [UInt8]
            switch key {
            case .hmac(let secret): keyBytes = secret.revealedBytes
            case .rsaPublicKey(let pem): keyBytes = Array(pem.utf8)
            }
            self = .hmac(KeyedHMAC(algorithm, key: keyBytes))
        case (_, .rsaPublicKey(let pem)):
            if let publicKey = try? RSAKey(publicKeyPEM: Array(pem.utf8)) {
                self = .rsa(publicKey)
            } else {
                self = .unusable
            }
        case (_, .hmac):
            self = .unusable
        }
    }

    /// `other` with HMAC states of its own, for a thread of its own (``KeyedHMAC/init(copying:)``); an RSA key is
    /// shared, as OpenSSL allows.
    init(copying other: SignatureKey) {
        switch other {
        case .hmac(let keyed): self = .hmac(KeyedHMAC(copying: keyed))
        case .rsa, .unusable: self = other
        }
    }

    /// ``isValid(_:for:algorithm:start:)-(Span<UInt8>,_,_,_)`` of a decoded signature, read where it is held.
    func isValid(
        _ signature: DecodedBytes, for input: Span<UInt8>, algorithm: SignatureAlgorithm,
        start: inout SharedHMACStart
    ) -> Bool {
        if let array = signature.array { return isValid(array.span, for: input, algorithm: algorithm, start: &start) }
        return isValid(
            signature.inline.span.extracting(0..<signature.count), for: input, algorithm: algorithm, start: &start)
    }

    /// Whether `signature` signs `input` with `algorithm` (the one this key was prepared for); HMACs are compared
    /// in constant time, the start `input` shares with the inputs before it absorbed once in `start`.
    func isValid(
        _ signature: Span<UInt8>, for input: Span<UInt8>, algorithm: SignatureAlgorithm,
        start: inout SharedHMACStart
    ) -> Bool {
        switch self {
        case .hmac(let keyed):
            return keyed.isValidAuthenticationCode(signature, for: input, start: &start)
        case .rsa(let publicKey):
            return publicKey.isValidSignature(signature, for: input, algorithm: algorithm)
        case .unusable:
            return false
        }
    }
}

// MARK: - Describing values

func quoted(_ text: String) -> String {
    JSONValue.string(text).jsonText
}

/// A claim value for a hint: `"text"`, `the number 3600`, `an array ["a"]`, `missing`.
func describe(_ value: JSONValue?) -> String {
    switch value {
    case nil: "missing"
    case .string?: value?.jsonText ?? ""
    case .number(let number)?: "the number \(Lua.format(number))"
    case .integer(let integer)?: "the number \(integer)"
    case .bool(let flag)?: "the boolean \(flag)"
    case .null?: "null"
    case .array?: "an array \(value?.jsonText ?? "")"
    case .object?: "an object \(value?.jsonText ?? "")"
    }
}
