internal import Crypto
internal import _CryptoExtras



// MARK: - Byte comparisons

/// Whether two strings have the same UTF-8 bytes (Lua string equality; unlike `==`, no Unicode equivalence).
@inline(__always)
func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
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

func signatureIsValid(
    _ signature: [UInt8], for input: ArraySlice<UInt8>, algorithm: SignatureAlgorithm, key: VerificationKey
) -> Bool {
    // luajwtjitsi passes the configured key string to whichever primitive the algorithm names.
    let keyBytes: [UInt8]
    switch key {
    case .hmac(let secret): keyBytes = secret.revealedBytes
    case .rsaPublicKey(let pem): keyBytes = Array(pem.utf8)
    }
    switch algorithm {
    case .hs256, .hs384, .hs512:
        return KeyedHMAC(algorithm, key: keyBytes).isValidAuthenticationCode(signature, for: input)
    case .rs256, .rs384, .rs512:
        let input = Array(input)
        guard case .rsaPublicKey(let pem) = key,
            let publicKey = try? _RSA.Signing.PublicKey(unsafePEMRepresentation: pem)
        else { return false }
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        switch algorithm {
        case .rs384:
            return publicKey.isValidSignature(rsaSignature, for: SHA384.hash(data: input), padding: .insecurePKCS1v1_5)
        case .rs512:
            return publicKey.isValidSignature(rsaSignature, for: SHA512.hash(data: input), padding: .insecurePKCS1v1_5)
        default:
            return publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5)
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
