/// A compact JWS read without any key: its header and claims, **signature not checked**.
///
/// For showing what a token says (`jitsi-jwt decode`); whether the server accepts it is the question of
/// ``verify(token:rules:room:tenant:now:)``. The JSON is read with the server's decoder (lua-cjson's rules),
/// integral numbers as integers.
public struct UnverifiedToken: Sendable, Equatable {
    /// The decoded header (a JSON object).
    public let header: JSONValue
    /// The decoded payload (a JSON object).
    public let claims: JSONValue
    /// The length of the signature in bytes (0 for an unsigned token).
    public let signatureByteCount: Int

    /// The longest token read: far above any real token (a few hundred bytes to a few KiB).
    public static let maximumLength = 256 << 10

    /// Why a text is not a readable token.
    public enum DecodeError: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLong(Int)
        /// Not three `.`-separated segments.
        case segmentCount(Int)
        /// A segment is not base64url (`header`, `payload` or `signature`).
        case notBase64URL(String)
        /// The header or payload is not a JSON object.
        case notJSONObject(String)

        public var description: String {
            switch self {
            case .empty: "no token given"
            case .tooLong(let count):
                "the token is \(count) bytes, more than \(UnverifiedToken.maximumLength); a token is a few hundred"
            case .segmentCount(let count):
                count == 5
                    ? "5 segments: an encrypted token (JWE); Jitsi reads only signed tokens (JWS, 3 segments)"
                    : "expected 3 segments separated by \".\" (header.payload.signature), got \(count)"
            case .notBase64URL(let part): "the \(part) is not base64url"
            case .notJSONObject(let part): "the \(part) is not a JSON object"
            }
        }
    }

    /// Reads `compact` (`header.payload.signature`).
    public init(compact: String) throws(DecodeError) {
        let bytes = Array(compact.utf8)
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= Self.maximumLength else { throw .tooLong(bytes.count) }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .segmentCount(parts.count) }
        func object(_ part: ArraySlice<UInt8>, _ name: String) throws(DecodeError) -> JSONValue {
            guard let decoded = Self.strictBase64URL(part) else { throw .notBase64URL(name) }
            guard let text = String(validating: decoded, as: UTF8.self),
                let value = JSONValue(parsing: text), case .object = value
            else { throw .notJSONObject(name) }
            return value
        }
        header = try object(parts[0], "header")
        claims = try object(parts[1], "payload")
        guard let signature = Self.strictBase64URL(parts[2]) else { throw .notBase64URL("signature") }
        signatureByteCount = signature.count
    }

    /// base64url without padding (RFC 7515 §2); `=` padding is tolerated at the end, anything else outside the
    /// alphabet is refused, as are leftover bits that cannot form a byte (a length of 4n+1).
    static func strictBase64URL(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var body = text
        while body.last == UInt8(ascii: "=") { body.removeLast() }
        guard body.count % 4 != 1, body.allSatisfy(Self.isAlphabet) else { return nil }
        return Base64URL.decodeLenient(body)
    }

    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
