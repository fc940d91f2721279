// The crypto backend: the only file of JitsiToken that calls the system OpenSSL's libcrypto (through the CCrypto
// target) and, with its byte loops and copies (CryptoBackend+ByteLoops.swift, +Copies.swift), the only ones with
// `unsafe`. Every primitive is OpenSSL's (HMAC, SHA-2, RSASSA-PKCS1-v1_5, PEM, key generation, constant-time
// comparison); what is here is the glue: an HMAC key absorbed once into memory of its own that OpenSSL reads in
// place (and the start that tokens share, once per start), the MAC returned in a fixed-size value instead of a heap
// array, HMAC states and RSA keys freed with their last copy.
internal import CCrypto
import Synchronization

extension SignatureAlgorithm {
    /// The SHA-2 function of the algorithm, as CCrypto names it (256, 384 or 512).
    var hashBits: Int {
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
/// block hashed first), which each MAC starts from, so each costs the message's blocks and one more. The states lie
/// in memory of their own, read there by OpenSSL's code: a copy of the key counts a reference to them (a copy of
/// the 440 bytes they take was made three times a token), and they are cleared when the last copy goes.
struct KeyedHMAC: Sendable {
    private let states: States
    /// Which preparation of a key this is, the same for its copies and no other (``SharedHMACStart`` keeps the
    /// start of one key only).
    let identity: UInt64
    /// The hash function's block: 64 bytes for SHA-256, 128 for SHA-384 and SHA-512.
    let blockBytes: Int

    /// The prepared states, allocated once and never changed: read by several threads at once if need be.
    @safe private final class States: @unchecked Sendable {
        private let key: UnsafeMutablePointer<ccrypto_hmac_key>

        init(_ prepared: ccrypto_hmac_key) {
            unsafe key = .allocate(capacity: 1)
            unsafe key.initialize(to: prepared)
        }

        deinit {
            unsafe ccrypto_hmac_key_clear(key)
            unsafe key.deallocate()
        }

        func authenticationCode(for message: Span<UInt8>, into output: inout MutableSpan<UInt8>) -> Int {
            unsafe ccrypto_hmac(key, message, &output)
        }

        func absorbing(_ prefix: Span<UInt8>) -> ccrypto_hmac_key {
            unsafe ccrypto_hmac_key_absorb(key, prefix)
        }

        /// A copy of the states in memory of their own.
        func copy() -> States {
            unsafe States(key.pointee)
        }
    }

    /// The keyed HMAC for `algorithm` (HS256, HS384 or HS512; RS* stand for their hash), over the raw `key` bytes.
    init(_ algorithm: SignatureAlgorithm, key: [UInt8]) {
        self.init(
            states: States(ccrypto_hmac_key_prepare(Int32(algorithm.hashBits), key.span)),
            blockBytes: algorithm.hashBits == 256 ? 64 : 128,
            identity: Self.preparations.add(1, ordering: .relaxed).newValue)
    }

    /// `other` with states of its own, for a thread of its own (copies of one key share its states, and would count
    /// references to them from every thread); the same ``identity``.
    init(copying other: KeyedHMAC) {
        self.init(states: other.states.copy(), blockBytes: other.blockBytes, identity: other.identity)
    }

    private init(states: States, blockBytes: Int, identity: UInt64) {
        self.states = states
        self.blockBytes = blockBytes
        self.identity = identity
    }

    /// Preparations so far, counted for ``identity``.
    private static let preparations = Atomic<UInt64>(0)

    /// The key for messages that start with `prefix`: the MAC of `m` under it is the MAC of `prefix` then `m`.
    func absorbing(_ prefix: Span<UInt8>) -> KeyedHMAC {
        KeyedHMAC(
            states: States(states.absorbing(prefix)), blockBytes: blockBytes,
            identity: Self.preparations.add(1, ordering: .relaxed).newValue)
    }

    /// The MAC of `message`.
    func authenticationCode(for message: Span<UInt8>) -> AuthenticationCode {
        var storage = InlineArray<64, UInt8>(repeating: 0)
        var output = storage.mutableSpan
        let count = states.authenticationCode(for: message, into: &output)
        return AuthenticationCode(storage, count: count)
    }

    /// Whether `code` is the MAC of `message`, compared by OpenSSL in time independent of where they differ; the
    /// start `message` shares with the messages before it absorbed once in `start`.
    func isValidAuthenticationCode(_ code: Span<UInt8>, for message: Span<UInt8>, start: inout SharedHMACStart)
        -> Bool
    {
        start.authenticationCode(under: self, for: message).withBytes { ccrypto_equal(code, $0) == 1 }
    }
}

/// The start that the messages of one key share, absorbed into the key once: the tokens of a batch from one issuer
/// begin with the same header and first claims, a block or two that each MAC would otherwise hash again. The start
/// is the whole blocks two messages in a row began with, and is kept until a message does not begin with it; the
/// next such message that shares whole blocks with the one before replaces it. Which messages share a start is
/// public (it is the tokens' text); the MAC and its comparison are the same whichever way it was computed.
struct SharedHMACStart: Sendable {
    /// The ``KeyedHMAC/identity`` of the key that ``absorbed`` was made from (0: none yet).
    private var keyIdentity: UInt64 = 0
    /// The key having absorbed ``prefix``.
    private var absorbed: KeyedHMAC?
    /// The bytes `absorbed` has absorbed, whole blocks.
    private var prefix: [UInt8] = []
    /// The first bytes of the last message that did not begin with ``prefix``.
    private var lastMissed: [UInt8] = []

    /// The longest start kept (four SHA-256 blocks, two of SHA-512).
    static let longestStart = 256

    /// No start: the first message is hashed whole.
    init() {}

    /// How many bytes the kept start is (0: none).
    var startBytes: Int { prefix.count }

    /// The MAC of `message` under `key`.
    mutating func authenticationCode(under key: KeyedHMAC, for message: Span<UInt8>) -> AuthenticationCode {
        if keyIdentity == key.identity, let absorbed, message.count >= prefix.count,
            commonPrefixCount(message, from: 0, prefix.span, from: 0) == prefix.count
        {
            return absorbed.authenticationCode(for: message.extracting(prefix.count...))
        }
        let shared = commonPrefixCount(message, from: 0, lastMissed.span, from: 0)
        lastMissed.removeAll(keepingCapacity: true)
        appendContents(of: message.extracting(0..<min(message.count, Self.longestStart)), to: &lastMissed)
        let start = shared / key.blockBytes * key.blockBytes
        guard start > 0 else { return key.authenticationCode(for: message) }
        let startKey = key.absorbing(message.extracting(0..<start))
        (keyIdentity, absorbed) = (key.identity, startKey)
        prefix.removeAll(keepingCapacity: true)
        appendContents(of: message.extracting(0..<start), to: &prefix)
        return startKey.authenticationCode(for: message.extracting(start...))
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
        let count = unsafe ccrypto_rsa_sign(handle.pointer, Int32(algorithm.hashBits), message, &output)
        signature.removeSubrange(count...)
        return signature
    }

    /// Whether `signature` is the RSASSA-PKCS1-v1_5 signature of `message` with the algorithm's hash.
    func isValidSignature(_ signature: Span<UInt8>, for message: Span<UInt8>, algorithm: SignatureAlgorithm) -> Bool {
        unsafe ccrypto_rsa_verify(handle.pointer, Int32(algorithm.hashBits), message, signature) == 1
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
