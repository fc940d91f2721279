internal import Crypto

// `Digest.withUnsafeBytes` comes from `ContiguousBytes`, declared in (Foundation)Essentials; nothing else is used.
#if canImport(FoundationEssentials)
    internal import FoundationEssentials
#else
    internal import Foundation
#endif

/// HMAC (RFC 2104) with both keyed hash states computed once: each MAC copies the inner state (key ⊕ ipad already
/// absorbed), hashes the message, then copies the outer state (key ⊕ opad) and hashes the inner digest. Same output
/// as `HMAC<H>`, two compressions fewer per token than re-keying the outer hash each time.
struct PrecomputedHMAC<H: HashFunction>: @unchecked Sendable {
    // @unchecked: swift-crypto's hash functions are value types over copy-on-write state; nothing here is shared
    // mutably.
    private let inner: H
    private let outer: H

    init(key: [UInt8]) {
        (inner, outer) = Self.keyedStates(key)
    }

    /// The hash states with `key ⊕ ipad` and `key ⊕ opad` absorbed (a key longer than a block is hashed first).
    private static func keyedStates(_ key: [UInt8]) -> (inner: H, outer: H) {
        let keyBytes = key.count > H.blockByteCount ? Array(H.hash(data: key)) : key
        var inner = H()
        var outer = H()
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: H.blockByteCount) { pad in
            for index in 0..<H.blockByteCount { pad[index] = (index < keyBytes.count ? keyBytes[index] : 0) ^ 0x36 }
            inner.update(bufferPointer: UnsafeRawBufferPointer(pad))
            for index in 0..<H.blockByteCount { pad[index] ^= 0x36 ^ 0x5C }
            outer.update(bufferPointer: UnsafeRawBufferPointer(pad))
            for index in 0..<H.blockByteCount { pad[index] = 0 }
        }
        return (inner, outer)
    }

    /// The MAC of `message`, handed to `body` as raw bytes.
    func authenticationCode<Result>(
        for message: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result {
        Self.finish(inner: inner, outer: outer, message: message, body)
    }

    /// Whether `code` is the MAC of `message` under `key`, compared in constant time (for one-off checks: the keyed
    /// states are used once, without the copies a kept ``PrecomputedHMAC`` needs).
    static func isValidAuthenticationCode(_ code: [UInt8], for message: UnsafeRawBufferPointer, key: [UInt8]) -> Bool {
        let (inner, outer) = keyedStates(key)
        return finish(inner: inner, outer: outer, message: message) { mac in
            guard mac.count == code.count else { return false }
            var difference: UInt8 = 0
            for index in 0..<mac.count { difference |= mac[index] ^ code[index] }
            return difference == 0
        }
    }

    private static func finish<Result>(
        inner: consuming H, outer: consuming H, message: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result {
        var innerHash = inner
        innerHash.update(bufferPointer: message)
        let innerDigest = innerHash.finalize()
        var outerHash = outer
        innerDigest.withUnsafeBytes { outerHash.update(bufferPointer: $0) }
        return outerHash.finalize().withUnsafeBytes(body)
    }
}
