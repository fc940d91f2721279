/// Key material (an HMAC secret or a private-key PEM) that never prints itself.
///
/// Both `description` and `debugDescription` are `<redacted>`, `==` runs in time independent of where the bytes
/// differ (OpenSSL's `CRYPTO_memcmp`), and the bytes leave only through ``revealedBytes``.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let bytes: [UInt8]

    /// A secret made of these raw bytes (no base64 or other decoding).
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// A secret made of the UTF-8 bytes of `string`, which is what Prosody hands the HMAC for `app_secret`.
    public init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    /// The raw bytes. Reading them is a deliberate act: never print or log them.
    public var revealedBytes: [UInt8] { bytes }

    /// The number of bytes.
    public var count: Int { bytes.count }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }

    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }

    /// Constant-time comparison: the time taken depends only on the lengths.
    public static func == (lhs: Secret, rhs: Secret) -> Bool {
        constantTimeEqual(lhs.bytes, rhs.bytes)
    }
}
