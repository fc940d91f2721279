/// base64url (RFC 4648 §5) without padding, and the lenient decoder the server uses (Lua `basexx.from_url64`).
enum Base64URL {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps a byte to its 6-bit value, or 0xFF when it is not in the alphabet.
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Both output characters of every 12-bit value, laid out in memory in output order (one 16-bit store writes
    /// two characters): 8 KiB, so encoding takes two lookups per 3 input bytes instead of four.
    static let pairTable: [UInt16] = (0..<4096).map { value in
        UInt16(littleEndian: UInt16(alphabet[value >> 6]) | UInt16(alphabet[value & 0x3F]) << 8)
    }

    /// Appends the unpadded base64url form of `input` to `output`.
    static func encode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let count = input.count
        guard count > 0, let source = input.baseAddress else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: (count * 4 + 2) / 3))
        output.withUnsafeMutableBytes { buffer in
            encode(from: source, count: count, to: buffer.baseAddress! + start)
        }
    }

    /// Writes the unpadded base64url form of `count` bytes at `source` to `target`, front to back. `target` may
    /// overlap `source` when it starts at or before it (each group of 3 bytes is read before its 4 characters are
    /// written).
    @inline(__always)
    private static func encode(from source: UnsafeRawPointer, count: Int, to target: UnsafeMutableRawPointer) {
        pairTable.withUnsafeBufferPointer { pairs in
            var index = 0
            var output = 0
            while index + 3 <= count {
                let value =
                    UInt32(source.load(fromByteOffset: index, as: UInt8.self)) << 16
                    | UInt32(source.load(fromByteOffset: index + 1, as: UInt8.self)) << 8
                    | UInt32(source.load(fromByteOffset: index + 2, as: UInt8.self))
                target.storeBytes(of: pairs[Int(value >> 12)], toByteOffset: output, as: UInt16.self)
                target.storeBytes(of: pairs[Int(value & 0xFFF)], toByteOffset: output + 2, as: UInt16.self)
                index += 3
                output += 4
            }
            let table = alphabet
            switch count - index {
            case 1:
                let value = UInt32(source.load(fromByteOffset: index, as: UInt8.self)) << 16
                target.storeBytes(of: table[Int(value >> 18)], toByteOffset: output, as: UInt8.self)
                target.storeBytes(of: table[Int((value >> 12) & 0x3F)], toByteOffset: output + 1, as: UInt8.self)
            case 2:
                let value =
                    UInt32(source.load(fromByteOffset: index, as: UInt8.self)) << 16
                    | UInt32(source.load(fromByteOffset: index + 1, as: UInt8.self)) << 8
                target.storeBytes(of: table[Int(value >> 18)], toByteOffset: output, as: UInt8.self)
                target.storeBytes(of: table[Int((value >> 12) & 0x3F)], toByteOffset: output + 1, as: UInt8.self)
                target.storeBytes(of: table[Int((value >> 6) & 0x3F)], toByteOffset: output + 2, as: UInt8.self)
            default:
                break
            }
        }
    }

    /// Replaces `buffer[start...]` with its unpadded base64url form, without a second buffer: the input is moved to
    /// the end of the grown region and encoded forwards, which never overwrites bytes not yet read (each group of 3
    /// input bytes is read before its 4 output bytes are written, and output runs at most ⌈n/3⌉ bytes ahead).
    static func encodeInPlace(_ buffer: inout [UInt8], from start: Int) {
        let length = buffer.count - start
        guard length > 0 else { return }
        let encodedLength = (length * 4 + 2) / 3
        let shift = encodedLength - length
        buffer.append(contentsOf: repeatElement(0, count: shift))
        buffer.withUnsafeMutableBytes { pointer in
            guard let base = pointer.baseAddress else { return }
            (base + start + shift).copyMemory(from: base + start, byteCount: length)
            encode(from: UnsafeRawPointer(base + start + shift), count: length, to: base + start)
        }
    }

    /// The unpadded base64url text of `bytes`.
    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        bytes.withUnsafeBytes { encode($0, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes like `basexx.from_url64`: `=` is skipped wherever it appears, any other byte outside the url-safe
    /// alphabet (including `+`, `/`, whitespace and newlines) fails, and leftover bits that do not fill a byte are
    /// dropped, whatever their value.
    static func decodeLenient(_ text: some Collection<UInt8>) -> [UInt8]? {
        if let decoded = text.withContiguousStorageIfAvailable({ decodeLenient(buffer: $0) }) { return decoded }
        return Array(text).withUnsafeBufferPointer { decodeLenient(buffer: $0) }
    }

    /// ``decodeLenient(_:)`` over contiguous bytes: whole groups of four alphabet characters are decoded at once
    /// until the first `=`, invalid byte or the tail, then byte by byte with the lenient rules.
    static func decodeLenient(buffer: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = buffer.count
        var failed = false
        let decoded = decodeTable.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: count * 3 / 4 + 1) { output, initialized in
                var index = 0
                var written = 0
                while index + 4 <= count {
                    let a = table[Int(buffer[index])], b = table[Int(buffer[index + 1])]
                    let c = table[Int(buffer[index + 2])], d = table[Int(buffer[index + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { break }
                    let value = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    output[written] = UInt8(truncatingIfNeeded: value >> 16)
                    output[written + 1] = UInt8(truncatingIfNeeded: value >> 8)
                    output[written + 2] = UInt8(truncatingIfNeeded: value)
                    written += 3
                    index += 4
                }
                var accumulator: UInt32 = 0
                var bits = 0
                while index < count {
                    let byte = buffer[index]
                    index += 1
                    if byte == UInt8(ascii: "=") { continue }
                    let value = table[Int(byte)]
                    if value == 0xFF {
                        failed = true
                        break
                    }
                    accumulator = (accumulator << 6 | UInt32(value)) & 0xFFFF
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        output[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                        written += 1
                    }
                }
                initialized = written
            }
        }
        return failed ? nil : decoded
    }
}
