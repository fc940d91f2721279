// The crypto backend: the only file of JitsiToken that calls the system OpenSSL's libcrypto (through the CCrypto
// target) and the only one with `unsafe`. Every primitive is OpenSSL's (HMAC, SHA-2, RSASSA-PKCS1-v1_5, PEM, key
// generation, constant-time comparison); what is here is the glue: an HMAC key absorbed once (and the start that
// tokens share, once per start) and copied by value per message, the MAC returned in a fixed-size value instead of
// a heap array, RSA keys as handles freed with their last copy. And, kept on raw pointers for speed, the byte loops
// of the token path: base64url encoding, appended or in place (minting), the lenient base64url decoder and the
// segment split (verifying), and one bulk copy of a span into an array (safe Swift 6.3 has no `memcpy` from a
// `Span` into an `Array`; `append(contentsOf: string.utf8)` costs twice the time). Over bounds-checked
// `Span`/`MutableSpan` these cost 2-2.7× the instructions, 8% of a minted token and 11% of a verified one
// (Tests/Benchmarks/callgrind.sh). Each is `@safe`: indices are checked up front or come from the loop bounds.
internal import CCrypto

extension SignatureAlgorithm {
    /// The SHA-2 function of the algorithm, as CCrypto names it (256, 384 or 512).
    fileprivate var hashBits: Int32 {
        switch self {
        case .hs256, .rs256: 256
        case .hs384, .rs384: 384
        case .hs512, .rs512: 512
        }
    }
}

// MARK: - HMAC and comparison

/// A MAC of up to 64 bytes (HMAC-SHA-512), held by value.
struct AuthenticationCode {
    private let storage: InlineArray<64, UInt8>
    /// The number of bytes (32, 48 or 64).
    let count: Int

    fileprivate init(_ storage: InlineArray<64, UInt8>, count: Int) {
        self.storage = storage
        self.count = count
    }

    /// Calls `body` with the bytes.
    func withBytes<Result>(_ body: (Span<UInt8>) -> Result) -> Result {
        body(storage.span.extracting(0..<count))
    }
}

/// An HMAC key prepared once (OpenSSL's SHA-2 states after `key ⊕ ipad` and `key ⊕ opad`, a key longer than a
/// block hashed first) and copied per message, so each MAC costs the message's blocks plus two.
struct KeyedHMAC: Sendable {
    private let key: ccrypto_hmac_key

    /// The keyed HMAC for `algorithm` (HS256, HS384 or HS512; RS* stand for their hash), over the raw `key` bytes.
    init(_ algorithm: SignatureAlgorithm, key: [UInt8]) {
        self.key = ccrypto_hmac_key_prepare(algorithm.hashBits, key.span)
    }

    private init(prepared key: ccrypto_hmac_key) {
        self.key = key
    }

    /// The key for messages that start with `prefix`: the MAC of `m` under it is the MAC of `prefix` then `m`.
    func absorbing(_ prefix: Span<UInt8>) -> KeyedHMAC {
        KeyedHMAC(prepared: ccrypto_hmac_key_absorb(key, prefix))
    }

    /// The MAC of `message`.
    func authenticationCode(for message: Span<UInt8>) -> AuthenticationCode {
        var storage = InlineArray<64, UInt8>(repeating: 0)
        var output = storage.mutableSpan
        let count = ccrypto_hmac(key, message, &output)
        return AuthenticationCode(storage, count: count)
    }

    /// Whether `code` is the MAC of `message`, compared by OpenSSL in time independent of where they differ.
    func isValidAuthenticationCode(_ code: [UInt8], for message: Span<UInt8>) -> Bool {
        authenticationCode(for: message).withBytes { ccrypto_equal(code.span, $0) == 1 }
    }
}

/// Whether two byte strings are equal, compared by OpenSSL (`CRYPTO_memcmp`) in time that depends only on their
/// lengths.
func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    ccrypto_equal(lhs.span, rhs.span) == 1
}

/// The SHA-256 digest of `bytes`.
func sha256(_ bytes: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: 32)
    var output = digest.mutableSpan
    _ = ccrypto_digest(256, bytes.span, &output)
    return digest
}

// MARK: - RSA

/// Why PEM text is not an RSA key this program uses.
enum RSAKeyFailure: Error, Equatable, CustomStringConvertible {
    case notAKey
    case notRSA
    case tooSmall(bits: Int)
    case encrypted
    case inconsistent
    case generationFailed

    fileprivate init(_ result: ccrypto_rsa_result) {
        switch unsafe Int(result.failure) {
        case CCRYPTO_RSA_NOT_RSA: self = .notRSA
        case CCRYPTO_RSA_TOO_SMALL: self = .tooSmall(bits: unsafe Int(result.bits))
        case CCRYPTO_RSA_ENCRYPTED: self = .encrypted
        case CCRYPTO_RSA_INCONSISTENT: self = .inconsistent
        case CCRYPTO_RSA_FAILED: self = .generationFailed
        default: self = .notAKey
        }
    }

    var description: String {
        switch self {
        case .notAKey: "no RSA key in PEM form (BEGIN RSA PRIVATE KEY, PRIVATE KEY or PUBLIC KEY) was found"
        case .notRSA: "the key is not an RSA key"
        case .tooSmall(let bits): "the key has \(bits) bits; at least 1024 are needed"
        case .encrypted: "the key is encrypted with a passphrase; decrypt it first (openssl pkey -in KEY -out PLAIN)"
        case .inconsistent: "the key's numbers do not belong together (a damaged key)"
        case .generationFailed: "OpenSSL could not generate the key"
        }
    }
}

/// An RSA key held by OpenSSL (private, or public only), shared by its copies and freed with the last one.
struct RSAKey: Sendable {
    /// OpenSSL's `EVP_PKEY`; its owner frees it. OpenSSL allows signing and verifying with one key from several
    /// threads at once, and nothing changes the key after it is made, so sharing it is safe.
    @safe private final class Handle: @unchecked Sendable {
        let pointer: OpaquePointer

        init(_ pointer: OpaquePointer) {
            unsafe self.pointer = pointer
        }

        deinit {
            unsafe ccrypto_rsa_key_free(pointer)
        }
    }

    private let handle: Handle
    /// The modulus size in bits.
    let bits: Int

    private init(_ result: ccrypto_rsa_result) throws(RSAKeyFailure) {
        guard let pointer = unsafe result.key else { throw unsafe RSAKeyFailure(result) }
        handle = unsafe Handle(pointer)
        bits = unsafe Int(result.bits)
    }

    /// The first RSA private key in `pem`: PKCS#1 or PKCS#8, unencrypted, at least 1024 bits, consistent.
    init(privateKeyPEM pem: [UInt8]) throws(RSAKeyFailure) {
        try unsafe self.init(ccrypto_rsa_private_key_from_pem(pem.span))
    }

    /// The first RSA public key in `pem`: SubjectPublicKeyInfo or PKCS#1, at least 1024 bits.
    init(publicKeyPEM pem: [UInt8]) throws(RSAKeyFailure) {
        try unsafe self.init(ccrypto_rsa_public_key_from_pem(pem.span))
    }

    /// A new key of `bits` bits, public exponent 65537.
    init(generatingBits bits: Int) throws(RSAKeyFailure) {
        try unsafe self.init(ccrypto_rsa_generate(Int32(clamping: bits)))
    }

    /// The RSASSA-PKCS1-v1_5 signature of `message` with the algorithm's hash (empty if this key is public only).
    func signature(of message: Span<UInt8>, algorithm: SignatureAlgorithm) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: (bits + 7) / 8)
        var output = signature.mutableSpan
        let count = unsafe ccrypto_rsa_sign(handle.pointer, algorithm.hashBits, message, &output)
        signature.removeSubrange(count...)
        return signature
    }

    /// Whether `signature` is the RSASSA-PKCS1-v1_5 signature of `message` with the algorithm's hash.
    func isValidSignature(_ signature: [UInt8], for message: Span<UInt8>, algorithm: SignatureAlgorithm) -> Bool {
        unsafe ccrypto_rsa_verify(handle.pointer, algorithm.hashBits, message, signature.span) == 1
    }

    /// The private key, PEM, PKCS#1 (`BEGIN RSA PRIVATE KEY`), ending in a newline; empty for a public key.
    var privateKeyPEM: [UInt8] { export(CCRYPTO_RSA_PRIVATE_PEM) }

    /// The public key, PEM, SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`), without a final newline.
    var publicKeyPEM: String { String(decoding: export(CCRYPTO_RSA_PUBLIC_PEM), as: UTF8.self) }

    /// The modulus, big-endian, without leading zero bytes.
    var modulus: [UInt8] { export(CCRYPTO_RSA_MODULUS) }

    /// The public exponent, big-endian, without leading zero bytes.
    var publicExponent: [UInt8] { export(CCRYPTO_RSA_PUBLIC_EXPONENT) }

    private func export(_ part: Int) -> [UInt8] {
        var capacity = 4096
        while true {
            var bytes = [UInt8](repeating: 0, count: capacity)
            var output = bytes.mutableSpan
            let count = unsafe ccrypto_rsa_export(handle.pointer, Int32(part), &output)
            if count <= capacity {
                bytes.removeSubrange(count...)
                return bytes
            }
            capacity = count
        }
    }
}

// MARK: - Byte loops

/// Replaces `buffer[start...]` with its unpadded base64url form (``Base64URL/encodeInPlace(_:from:)``): the input
/// is moved to the end of the grown region and encoded forwards (``encodeBase64URL(_:count:into:)``, whose output
/// never overtakes its input).
@safe
func encodeBase64URLInPlace(_ buffer: inout [UInt8], from start: Int) {
    precondition(start >= 0 && start <= buffer.count, "base64url start outside the buffer")
    let length = buffer.count - start
    guard length > 0 else { return }
    let shift = Base64URL.encodedLength(of: length) - length
    buffer.append(contentsOf: repeatElement(0, count: shift))
    // Safe: the moved input and the output both lie in `buffer[start...]`, which is `encodedLength` bytes long.
    unsafe buffer.withUnsafeMutableBytes { raw in
        guard let base = raw.baseAddress else { return }
        let target = unsafe base + start
        let source = unsafe base + start + shift
        unsafe source.copyMemory(from: target, byteCount: length)
        unsafe encodeBase64URL(UnsafeRawPointer(source), count: length, into: target)
    }
}

/// Appends the unpadded base64url form of `input` to `output` (``Base64URL/encode(_:into:)``), written straight
/// into the array's new capacity.
@safe
func appendBase64URL(of input: Span<UInt8>, to output: inout [UInt8]) {
    guard !input.isEmpty else { return }
    let length = input.count
    let encodedLength = Base64URL.encodedLength(of: length)
    // Safe: the closure initialises exactly the `encodedLength` bytes it was given, from `input.count` bytes read.
    unsafe input.withUnsafeBytes { source in
        output.append(addingCapacity: encodedLength) { target in
            unsafe target.withUnsafeMutableBufferPointer { buffer, initialized in
                guard let target = buffer.baseAddress, let source = source.baseAddress else { return }
                unsafe encodeBase64URL(source, count: length, into: UnsafeMutableRawPointer(target))
                initialized = encodedLength
            }
        }
    }
}

/// Writes the `Base64URL.encodedLength(of: count)` characters of the `count` bytes at `source` to `target`: six
/// bytes (one 8-byte load) to eight characters (one 8-byte store) per step, from four ``Base64URL/pairTable`` entries,
/// then groups of three. `target` may be `source` moved back by the growth, `count/3` rounded up (the in-place
/// encoder): each step reads its bytes before it writes, and its 8-byte store ends before the next step's bytes.
@unsafe
private func encodeBase64URL(_ source: UnsafeRawPointer, count length: Int, into target: UnsafeMutableRawPointer) {
    // The table indices are 12- and 6-bit values into tables of 4096 and 64 entries.
    unsafe Base64URL.pairTable.withUnsafeBufferPointer { pairs in
        var index = 0
        var output = 0
        while index + 8 <= length {
            let word = UInt64(bigEndian: unsafe source.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let characters =
                unsafe UInt64(pairs[Int(word >> 52)]) | UInt64(pairs[Int(word >> 40 & 0xFFF)]) << 16
                | UInt64(pairs[Int(word >> 28 & 0xFFF)]) << 32 | UInt64(pairs[Int(word >> 16 & 0xFFF)]) << 48
            unsafe target.storeBytes(of: characters.littleEndian, toByteOffset: output, as: UInt64.self)
            index += 6
            output += 8
        }
        while index + 3 <= length {
            let value =
                unsafe UInt32(source.load(fromByteOffset: index, as: UInt8.self)) << 16
                | UInt32(source.load(fromByteOffset: index + 1, as: UInt8.self)) << 8
                | UInt32(source.load(fromByteOffset: index + 2, as: UInt8.self))
            unsafe target.storeBytes(of: pairs[Int(value >> 12)].littleEndian, toByteOffset: output, as: UInt16.self)
            unsafe target.storeBytes(
                of: pairs[Int(value & 0xFFF)].littleEndian, toByteOffset: output + 2, as: UInt16.self)
            index += 3
            output += 4
        }
        let rest = length - index
        guard rest > 0 else { return }
        let alphabet = Base64URL.alphabet
        let value =
            unsafe UInt32(source.load(fromByteOffset: index, as: UInt8.self)) << 16
            | (rest == 2 ? UInt32(source.load(fromByteOffset: index + 1, as: UInt8.self)) << 8 : 0)
        unsafe target.storeBytes(of: alphabet[Int(value >> 18)], toByteOffset: output, as: UInt8.self)
        unsafe target.storeBytes(of: alphabet[Int((value >> 12) & 0x3F)], toByteOffset: output + 1, as: UInt8.self)
        if rest == 2 {
            unsafe target.storeBytes(of: alphabet[Int((value >> 6) & 0x3F)], toByteOffset: output + 2, as: UInt8.self)
        }
    }
}

/// ``Base64URL/decodeLenient(_:)-(ArraySlice<UInt8>)``: whole groups of four alphabet characters are decoded at
/// once until the first `=`, invalid byte or the tail, then byte by byte with the lenient rules.
@safe
func decodeBase64URLLenient(_ text: ArraySlice<UInt8>) -> [UInt8]? {
    let count = text.count
    var failed = false
    // Safe: reads stay under `count`; writes stay under `count * 3 / 4 + 1` (3 bytes per 4 input bytes, then at
    // most one per further 6 bits), which is the capacity; the table has 256 entries for a byte index.
    let decoded = unsafe text.withUnsafeBufferPointer { buffer in
        unsafe Base64URL.decodeTable.withUnsafeBufferPointer { table in
            unsafe [UInt8](unsafeUninitializedCapacity: count * 3 / 4 + 1) { output, initialized in
                var index = 0
                var written = 0
                while index + 4 <= count {
                    let a = unsafe table[Int(buffer[index])], b = unsafe table[Int(buffer[index + 1])]
                    let c = unsafe table[Int(buffer[index + 2])], d = unsafe table[Int(buffer[index + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { break }
                    let value = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    unsafe output[written] = UInt8(truncatingIfNeeded: value >> 16)
                    unsafe output[written + 1] = UInt8(truncatingIfNeeded: value >> 8)
                    unsafe output[written + 2] = UInt8(truncatingIfNeeded: value)
                    written += 3
                    index += 4
                }
                var accumulator: UInt32 = 0
                var bits = 0
                while index < count {
                    let byte = unsafe buffer[index]
                    index += 1
                    if byte == UInt8(ascii: "=") { continue }
                    let value = unsafe table[Int(byte)]
                    if value == 0xFF {
                        failed = true
                        break
                    }
                    accumulator = (accumulator << 6 | UInt32(value)) & 0xFFFF
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        unsafe output[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                        written += 1
                    }
                }
                initialized = written
            }
        }
    }
    return failed ? nil : decoded
}

/// The ranges (indices of `bytes`) of the first three runs of bytes other than `.` and `\\`, and how many runs there
/// are.
/// Eight bytes are tested per step (SWAR `haszero` on `x ^ '.'` and `x ^ '\\'`); only words holding a separator are
/// walked.
@safe
func tokenSegmentRanges(_ bytes: ArraySlice<UInt8>) -> (ranges: InlineArray<3, Range<Int>>, count: Int) {
    var ranges = InlineArray<3, Range<Int>>(repeating: 0..<0)
    var count = 0
    let origin = bytes.startIndex
    var start = 0
    func cut(at index: Int) {
        if index > start {
            if count < 3 { ranges[count] = origin + start..<origin + index }
            count += 1
        }
        start = index + 1
    }
    // Safe: every load is of 8 bytes at `index` with `index + 8 <= buffer.count`, or of one byte under the count.
    unsafe bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        var index = 0
        while index + 8 <= buffer.count {
            let word = unsafe UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if zeroBytes(word ^ (ones &* 0x2E)) | zeroBytes(word ^ (ones &* 0x5C)) != 0 {
                for offset in index..<(index + 8) where unsafe base[offset] == 0x2E || base[offset] == 0x5C {
                    cut(at: offset)
                }
            }
            index += 8
        }
        while index < buffer.count {
            if unsafe base[index] == 0x2E || base[index] == 0x5C { cut(at: index) }
            index += 1
        }
    }
    cut(at: bytes.count)
    return (ranges, count)
}

/// Appends the elements of `span` to `bytes` (one `memcpy`).
@safe
func appendContents(of span: Span<UInt8>, to bytes: inout [UInt8]) {
    // Safe: the buffer is the span's own memory, read inside the closure only.
    unsafe span.withUnsafeBufferPointer { unsafe bytes.append(contentsOf: $0) }
}

/// The index of the first `"`, `\\` or NUL in `bytes` from `start` on (or the count), and what the bytes before it
/// hold: bit 0x80 for a byte above 0x7F, bit 1 for a control character or DEL (the string runs of ``CJSONScanner``
/// and ``CJSONDecoder``).
/// Eight bytes are tested per step (SWAR `haszero`/`hasless`); the bytes of the word holding the end that come
/// before it are classified in the same step.
@safe
func jsonStringRunEnd(_ bytes: [UInt8], from start: Int) -> (end: Int, seen: UInt8) {
    // Safe: every load is of 8 bytes at `index` with `index + 8 <= buffer.count`, or of one byte under the count.
    unsafe bytes.withUnsafeBufferPointer { buffer -> (end: Int, seen: UInt8) in
        guard let base = buffer.baseAddress else { return (buffer.count, 0) }
        let ones: UInt64 = 0x0101_0101_0101_0101
        // The words before the end, or-ed: their bytes (for the high bits), bytes below 0x20, DEL bytes.
        var bytesSeen: UInt64 = 0
        var belowSpace: UInt64 = 0
        var deletes: UInt64 = 0
        var index = start
        while index + 8 <= buffer.count {
            let word = unsafe UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let stops = zeroBytes(word) | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
            if stops != 0 {
                // The first stop is the lowest byte (a little-endian load); the bytes from it on count as 'A'.
                let stop = stops.trailingZeroBitCount &>> 3
                let kept: UInt64 = stop == 0 ? 0 : ~0 &>> UInt64(64 - 8 * stop)
                let before = word & kept | ones &* 0x41 & ~kept
                return (
                    index + stop,
                    stringRunFlags(bytesSeen | before, belowSpace | (before &- ones &* 0x20) & ~before,
                        deletes | zeroBytes(before ^ (ones &* 0x7F)))
                )
            }
            bytesSeen |= word
            belowSpace |= (word &- ones &* 0x20) & ~word
            deletes |= zeroBytes(word ^ (ones &* 0x7F))
            index += 8
        }
        var seen = stringRunFlags(bytesSeen, belowSpace, deletes)
        while index < buffer.count {
            let byte = unsafe base[index]
            if byte == 0x22 || byte == 0x5C || byte == 0 { return (index, seen) }
            seen |= (byte & 0x80) | (byte < 0x20 || byte == 0x7F ? 1 : 0)
            index += 1
        }
        return (buffer.count, seen)
    }
}

/// The high bit of each zero byte of `word`; bits above a zero byte may be set too, the lowest one never falsely.
@inline(__always)
private func zeroBytes(_ word: UInt64) -> UInt64 {
    (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
}

/// ``jsonStringRunEnd(_:from:)``'s bits for words or-ed together: their bytes, `(word - 0x20…) & ~word` (a high bit
/// below every byte under 0x20, none falsely for the lowest) and `zeroBytes(word ^ 0x7F…)` (DEL bytes).
@inline(__always)
private func stringRunFlags(_ bytes: UInt64, _ belowSpace: UInt64, _ deletes: UInt64) -> UInt8 {
    let highs: UInt64 = 0x8080_8080_8080_8080
    return (bytes & highs != 0 ? 0x80 : 0) | ((belowSpace | deletes) & highs != 0 ? 1 : 0)
}
