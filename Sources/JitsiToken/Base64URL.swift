/// base64url (RFC 4648 §5) without padding, and the lenient decoder the server uses (Lua `basexx.from_url64`).
///
/// The byte loops are in the crypto backend (raw pointers, for speed); this is their interface.
enum Base64URL {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps a byte to its 6-bit value, or 0xFF when it is not in the alphabet.
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// ``decodeTable`` for each of the four characters of a group, the value shifted to where it lands in the
    /// group's 24 bits (character `k` of a group at `k * 256 + byte`), and bit 31 set for a byte outside the
    /// alphabet: a group decodes with four lookups or'ed together (``decodeBase64URLLenient(_:appendingTo:)``).
    static let placedDecodeTable: [UInt32] = (0..<1024).map { entry in
        let value = decodeTable[entry & 0xFF]
        return value == 0xFF ? 0x8000_0000 : UInt32(value) << (18 - 6 * UInt32(entry >> 8))
    }

    /// 0 for a base64url character, 1 for `.`, 2 for any other byte (``compactTokenRun(_:from:)``).
    static let tokenByteClasses: [UInt8] = (0..<256).map { byte in
        decodeTable[byte] != 0xFF ? 0 : byte == Int(UInt8(ascii: ".")) ? 1 : 2
    }

    /// Both output characters of every 12-bit value (first character in the low byte): 8 KiB, so encoding takes
    /// two lookups per 3 input bytes instead of four.
    static let pairTable: [UInt16] = (0..<4096).map { value in
        UInt16(alphabet[value >> 6]) | UInt16(alphabet[value & 0x3F]) << 8
    }

    /// The length of the unpadded base64url form of `count` bytes.
    static func encodedLength(of count: Int) -> Int { (count * 4 + 2) / 3 }

    /// Appends the unpadded base64url form of `input` to `output`. The loop is ``appendBase64URL(of:to:)`` in the
    /// crypto backend, kept on raw pointers for speed (see there).
    static func encode(_ input: Span<UInt8>, into output: inout [UInt8]) {
        appendBase64URL(of: input, to: &output)
    }

    /// Replaces `buffer[start...]` with its unpadded base64url form, without a second buffer (the hot path of
    /// minting: the payload JSON is written into the token buffer and encoded where it lies). The group loop is
    /// ``encodeBase64URLInPlace(_:from:)`` in the crypto backend, kept on raw pointers for speed (see there).
    static func encodeInPlace(_ buffer: inout [UInt8], from start: Int) {
        encodeBase64URLInPlace(&buffer, from: start)
    }

    /// The unpadded base64url text of `bytes`.
    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        encode(bytes.span, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes like `basexx.from_url64`: `=` is skipped wherever it appears, any other byte outside the url-safe
    /// alphabet (including `+`, `/`, whitespace and newlines) fails, and leftover bits that do not fill a byte are
    /// dropped, whatever their value. The loop is ``decodeBase64URLLenient(_:appendingTo:)`` in the crypto backend.
    static func decodeLenient(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var decoded: [UInt8] = []
        return decodeBase64URLLenient(text.span, appendingTo: &decoded) ? decoded : nil
    }

    /// ``decodeLenient(_:)-(ArraySlice<UInt8>)`` appended to `decoded` (a buffer kept from token to token); `false`
    /// when `text` does not decode.
    static func decodeLenient(_ text: Span<UInt8>, appendingTo decoded: inout [UInt8]) -> Bool {
        decodeBase64URLLenient(text, appendingTo: &decoded)
    }

    /// ``decodeLenient(_:)-(ArraySlice<UInt8>)`` over a whole array.
    static func decodeLenient(_ text: [UInt8]) -> [UInt8]? {
        decodeLenient(text[...])
    }
}

/// ``Base64URL/decodeLenient(_:)-(ArraySlice<UInt8>)`` of a token's signature without an allocation for an HMAC's:
/// up to ``inlineCapacity`` bytes are held in place, longer ones (an RSA signature) in an array.
struct DecodedBytes {
    typealias Storage = InlineArray<72, UInt8>
    /// The bytes held in place, the decoder's slack included.
    static let inlineCapacity = 72
    /// The longest text decoded in place (its ``decodedCapacity(of:)`` is ``inlineCapacity``): HS512's 86
    /// characters fit.
    static let maximumInlineText = 92

    /// The bytes held in place (the first ``count``), unless ``array`` holds them.
    private(set) var inline: Storage
    private(set) var count = 0
    private(set) var array: [UInt8]?

    /// The bytes of `text`, or `nil` when it does not decode.
    init?(decoding text: Span<UInt8>) {
        inline = Storage(repeating: 0)
        if text.count <= Self.maximumInlineText {
            guard let count = decodeBase64URLLenient(text, inPlace: &inline) else { return nil }
            self.count = count
        } else {
            var bytes: [UInt8] = []
            guard Base64URL.decodeLenient(text, appendingTo: &bytes) else { return nil }
            array = bytes
        }
    }
}
