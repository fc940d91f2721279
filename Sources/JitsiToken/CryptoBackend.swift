// The crypto backend: the only file of JitsiToken that touches swift-crypto's HMAC and the only one with `unsafe`.
// Every primitive is swift-crypto's (HMAC, SHA-2, constant-time comparison); what is here is the glue that keeps
// them fast: one keyed `HMAC` per signer, copied per token, the digest copied out into a fixed-size value instead
// of a heap array. And, kept on raw pointers for speed, the byte loops of the token path: base64url encoding in
// place (minting), the lenient base64url decoder and the segment split (verifying), and one bulk copy of a span
// into an array (safe Swift 6.3 has no `memcpy` from a `Span` into an `Array`; `append(contentsOf: string.utf8)`
// costs twice the time). Over bounds-checked `Span`/`MutableSpan` these cost 2-2.7× the instructions, 8% of a
// minted token and 11% of a verified one (Tests/Benchmarks/callgrind.sh). Each is `@safe`: indices are checked up
// front or come from the loop bounds.
internal import Crypto

// `HMAC.update(data:)` takes `DataProtocol`, whose conformance for `[UInt8]`/`ArraySlice` lives in
// (Foundation)Essentials, as do `ContiguousBytes` and `Data`.
#if canImport(FoundationEssentials)
    internal import FoundationEssentials
#else
    internal import Foundation
#endif

/// A MAC of up to 64 bytes (HMAC-SHA-512), held by value.
struct AuthenticationCode {
    private var storage = InlineArray<64, UInt8>(repeating: 0)
    /// The number of bytes (32, 48 or 64).
    private(set) var count = 0

    /// Copies the bytes of a swift-crypto MAC.
    @safe
    fileprivate init(_ code: some MessageAuthenticationCode) {
        // Safe: the buffer is read inside its closure only, and `count` is at most 64 for SHA-2 (checked).
        unsafe code.withUnsafeBytes { raw in
            precondition(raw.count <= 64, "a SHA-2 HMAC is at most 64 bytes")
            for index in raw.indices { storage[index] = unsafe raw[index] }
            count = raw.count
        }
    }

    /// Calls `body` with the bytes.
    func withBytes<Result>(_ body: (Span<UInt8>) -> Result) -> Result {
        body(storage.span.extracting(0..<count))
    }
}

/// An HMAC key prepared once (swift-crypto's `HMAC(key:)` absorbs `key ⊕ ipad` and `key ⊕ opad`, a key longer
/// than a block hashed first) and copied per message, so each MAC costs the message's blocks plus two.
struct KeyedHMAC: Sendable {
    private enum Keyed: Sendable {
        case sha256(HMAC<SHA256>)
        case sha384(HMAC<SHA384>)
        case sha512(HMAC<SHA512>)
    }

    private let keyed: Keyed

    /// The keyed HMAC for `algorithm` (HS256, HS384 or HS512; any other algorithm is HS256's hash), over the raw
    /// `key` bytes.
    init(_ algorithm: SignatureAlgorithm, key: [UInt8]) {
        let symmetricKey = SymmetricKey(data: key)
        switch algorithm {
        case .hs384, .rs384: keyed = .sha384(HMAC(key: symmetricKey))
        case .hs512, .rs512: keyed = .sha512(HMAC(key: symmetricKey))
        case .hs256, .rs256: keyed = .sha256(HMAC(key: symmetricKey))
        }
    }

    /// The MAC of `message`.
    func authenticationCode(for message: some DataProtocol) -> AuthenticationCode {
        switch keyed {
        case .sha256(var hmac):
            hmac.update(data: message)
            return AuthenticationCode(hmac.finalize())
        case .sha384(var hmac):
            hmac.update(data: message)
            return AuthenticationCode(hmac.finalize())
        case .sha512(var hmac):
            hmac.update(data: message)
            return AuthenticationCode(hmac.finalize())
        }
    }

    /// Whether `code` is the MAC of `message`, compared by swift-crypto in time independent of where they differ.
    func isValidAuthenticationCode(_ code: [UInt8], for message: some DataProtocol) -> Bool {
        switch keyed {
        case .sha256(var hmac):
            hmac.update(data: message)
            return hmac.finalize() == code
        case .sha384(var hmac):
            hmac.update(data: message)
            return hmac.finalize() == code
        case .sha512(var hmac):
            hmac.update(data: message)
            return hmac.finalize() == code
        }
    }
}

/// Whether two byte strings are equal, compared by swift-crypto in time that depends only on their lengths.
func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    SymmetricKey(data: lhs) == SymmetricKey(data: rhs)
}

/// Replaces `buffer[start...]` with its unpadded base64url form (``Base64URL/encodeInPlace(_:from:)``): the input
/// is moved to the end of the grown region and encoded forwards, two characters per 16-bit store from
/// ``Base64URL/pairTable``; each group of 3 input bytes is read before its 4 output bytes are written, and the output
/// never overtakes the input.
@safe
func encodeBase64URLInPlace(_ buffer: inout [UInt8], from start: Int) {
    precondition(start >= 0 && start <= buffer.count, "base64url start outside the buffer")
    let length = buffer.count - start
    guard length > 0 else { return }
    let encodedLength = Base64URL.encodedLength(of: length)
    let shift = encodedLength - length
    buffer.append(contentsOf: repeatElement(0, count: shift))
    let pairs = Base64URL.pairTable
    let alphabet = Base64URL.alphabet
    // Safe: every offset below is under `start + encodedLength == buffer.count` (writes) or `buffer.count` (reads),
    // and the table indices are 12- and 6-bit values into tables of 4096 and 64 entries.
    unsafe buffer.withUnsafeMutableBytes { raw in
        guard let base = raw.baseAddress else { return }
        let target = unsafe base + start
        let source = unsafe base + start + shift
        unsafe source.copyMemory(from: target, byteCount: length)
        unsafe pairs.withUnsafeBufferPointer { pairs in
            var index = 0
            var output = 0
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
            let value =
                unsafe UInt32(source.load(fromByteOffset: index, as: UInt8.self)) << 16
                | (rest == 2 ? UInt32(source.load(fromByteOffset: index + 1, as: UInt8.self)) << 8 : 0)
            unsafe target.storeBytes(of: alphabet[Int(value >> 18)], toByteOffset: output, as: UInt8.self)
            unsafe target.storeBytes(of: alphabet[Int((value >> 12) & 0x3F)], toByteOffset: output + 1, as: UInt8.self)
            if rest == 2 {
                unsafe target.storeBytes(
                    of: alphabet[Int((value >> 6) & 0x3F)], toByteOffset: output + 2, as: UInt8.self)
            }
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

/// The ranges of the first three runs of bytes other than `.` and `\\` in `bytes`, and how many runs there are.
/// Eight bytes are tested per step (SWAR `haszero` on `x ^ '.'` and `x ^ '\\'`); only words holding a separator are
/// walked.
@safe
func tokenSegmentRanges(_ bytes: [UInt8]) -> (ranges: [Range<Int>], count: Int) {
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
    // Safe: every load is of 8 bytes at `index` with `index + 8 <= buffer.count`, or of one byte under the count.
    unsafe bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= buffer.count {
            let word = unsafe UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let dot = word ^ (ones &* 0x2E)
            let backslash = word ^ (ones &* 0x5C)
            if (((dot &- ones) & ~dot) | ((backslash &- ones) & ~backslash)) & highs != 0 {
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
