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
        var block = key.count > H.blockByteCount ? Array(H.hash(data: key)) : key
        block += [UInt8](repeating: 0, count: H.blockByteCount - block.count)
        var inner = H()
        inner.update(data: block.map { $0 ^ 0x36 })
        var outer = H()
        outer.update(data: block.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    /// The MAC of `message`, handed to `body` as raw bytes.
    func authenticationCode<Result>(
        for message: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result {
        var innerHash = inner
        innerHash.update(bufferPointer: message)
        let innerDigest = innerHash.finalize()
        var outerHash = outer
        innerDigest.withUnsafeBytes { outerHash.update(bufferPointer: $0) }
        return outerHash.finalize().withUnsafeBytes(body)
    }
}
