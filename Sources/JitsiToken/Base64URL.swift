/// base64url (RFC 4648 §5) without padding, and the lenient decoder the server uses (Lua `basexx.from_url64`).
///
/// Safe Swift over `Span`/`MutableSpan` (bounds-checked; the checks fold out of the group loops).
enum Base64URL {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps a byte to its 6-bit value, or 0xFF when it is not in the alphabet.
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Both output characters of every 12-bit value (first character in the low byte): 8 KiB, so encoding takes
    /// two lookups per 3 input bytes instead of four.
    static let pairTable: [UInt16] = (0..<4096).map { value in
        UInt16(alphabet[value >> 6]) | UInt16(alphabet[value & 0x3F]) << 8
    }

    /// The length of the unpadded base64url form of `count` bytes.
    static func encodedLength(of count: Int) -> Int { (count * 4 + 2) / 3 }

    /// Appends the unpadded base64url form of `input` to `output`.
    static func encode(_ input: Span<UInt8>, into output: inout [UInt8]) {
        guard !input.isEmpty else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: encodedLength(of: input.count)))
        var target = output.mutableSpan
        let pairs = pairTable.span
        var index = 0
        var written = start
        while index + 3 <= input.count {
            let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            store(pairs[Int(value >> 12)], pairs[Int(value & 0xFFF)], at: written, in: &target)
            index += 3
            written += 4
        }
        let rest = input.count - index
        guard rest > 0 else { return }
        let value = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
        storeTail(value, bytes: rest, at: written, in: &target)
    }

    /// Replaces `buffer[start...]` with its unpadded base64url form, without a second buffer (the hot path of
    /// minting: the payload JSON is written into the token buffer and encoded where it lies). The group loop is
    /// ``encodeBase64URLInPlace(_:from:)`` in the crypto backend, kept on raw pointers for speed (see there).
    static func encodeInPlace(_ buffer: inout [UInt8], from start: Int) {
        encodeBase64URLInPlace(&buffer, from: start)
    }

    /// Writes the four characters of one group: two pairs from ``pairTable``.
    @inline(__always)
    private static func store(_ first: UInt16, _ second: UInt16, at offset: Int, in target: inout MutableSpan<UInt8>) {
        target[offset] = UInt8(truncatingIfNeeded: first)
        target[offset + 1] = UInt8(truncatingIfNeeded: first >> 8)
        target[offset + 2] = UInt8(truncatingIfNeeded: second)
        target[offset + 3] = UInt8(truncatingIfNeeded: second >> 8)
    }

    /// Writes the 2 or 3 characters of a final group of 1 or 2 bytes (`value` holds them in bits 23…8).
    private static func storeTail(_ value: UInt32, bytes: Int, at offset: Int, in target: inout MutableSpan<UInt8>) {
        let table = alphabet.span
        target[offset] = table[Int(value >> 18)]
        target[offset + 1] = table[Int((value >> 12) & 0x3F)]
        if bytes == 2 { target[offset + 2] = table[Int((value >> 6) & 0x3F)] }
    }

    /// The unpadded base64url text of `bytes`.
    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        encode(bytes.span, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes like `basexx.from_url64`: `=` is skipped wherever it appears, any other byte outside the url-safe
    /// alphabet (including `+`, `/`, whitespace and newlines) fails, and leftover bits that do not fill a byte are
    /// dropped, whatever their value. The loop is ``decodeBase64URLLenient(_:)`` in the crypto backend.
    static func decodeLenient(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        decodeBase64URLLenient(text)
    }

    /// ``decodeLenient(_:)-(ArraySlice<UInt8>)`` over a whole array.
    static func decodeLenient(_ text: [UInt8]) -> [UInt8]? {
        decodeBase64URLLenient(text[...])
    }
}
