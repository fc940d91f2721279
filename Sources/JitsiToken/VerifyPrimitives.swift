internal import Crypto
internal import _CryptoExtras

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif


// MARK: - Byte comparisons

/// Whether two strings have the same UTF-8 bytes (Lua string equality; unlike `==`, no Unicode equivalence).
@inline(__always)
func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
    guard lhs.utf8.count == rhs.utf8.count else { return false }
    var lhs = lhs
    var rhs = rhs
    return lhs.withUTF8 { left in
        rhs.withUTF8 { right in left.isEmpty || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
    }
}

/// `Lua.equals`, with a byte comparison that costs a length check and a `memcmp`.
@inline(__always)
func luaEquals(_ value: JSONValue?, _ text: String) -> Bool {
    if case .string(let string)? = value { return sameBytes(string, text) }
    return false
}

/// The ranges of the first three runs of bytes other than `.` and `\\`, and how many runs there are. Eight bytes
/// are tested per step (SWAR `haszero` on `x ^ '.'` and `x ^ '\\'`); only words holding a separator are walked.
func segmentRanges(_ buffer: UnsafeBufferPointer<UInt8>) -> (ranges: [Range<Int>], count: Int) {
    var ranges: [Range<Int>] = []
    var count = 0
    var start = 0
    func cut(at index: Int) {
        if index > start {
            if count < 3 { ranges.append(start..<index) }
            count += 1
        }
        start = index + 1
    }
    guard let base = buffer.baseAddress else { return ([], 0) }
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    var index = 0
    while index + 8 <= buffer.count {
        let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        let dot = word ^ (ones &* 0x2E)
        let backslash = word ^ (ones &* 0x5C)
        if (((dot &- ones) & ~dot) | ((backslash &- ones) & ~backslash)) & highs != 0 {
            for offset in index..<(index + 8) where base[offset] == 0x2E || base[offset] == 0x5C { cut(at: offset) }
        }
        index += 8
    }
    while index < buffer.count {
        if base[index] == 0x2E || base[index] == 0x5C { cut(at: index) }
        index += 1
    }
    cut(at: buffer.count)
    return (ranges, count)
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
    case .hs256:
        return input.withUnsafeBytes {
            PrecomputedHMAC<SHA256>.isValidAuthenticationCode(signature, for: $0, key: keyBytes)
        }
    case .hs384:
        return input.withUnsafeBytes {
            PrecomputedHMAC<SHA384>.isValidAuthenticationCode(signature, for: $0, key: keyBytes)
        }
    case .hs512:
        return input.withUnsafeBytes {
            PrecomputedHMAC<SHA512>.isValidAuthenticationCode(signature, for: $0, key: keyBytes)
        }
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
