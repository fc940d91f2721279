/// base64url (RFC 4648 §5) without padding, and the lenient decoder the server uses (Lua `basexx.from_url64`).
enum Base64URL {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps a byte to its 6-bit value, or 0xFF when it is not in the alphabet.
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Appends the unpadded base64url form of `input` to `output`.
    static func encode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let count = input.count
        output.reserveCapacity(output.count + (count * 4 + 2) / 3)
        alphabet.withUnsafeBufferPointer { table in
            var index = 0
            while index + 3 <= count {
                let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                output.append(table[Int(value >> 18)])
                output.append(table[Int((value >> 12) & 0x3F)])
                output.append(table[Int((value >> 6) & 0x3F)])
                output.append(table[Int(value & 0x3F)])
                index += 3
            }
            switch count - index {
            case 1:
                let value = UInt32(input[index]) << 16
                output.append(table[Int(value >> 18)])
                output.append(table[Int((value >> 12) & 0x3F)])
            case 2:
                let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                output.append(table[Int(value >> 18)])
                output.append(table[Int((value >> 12) & 0x3F)])
                output.append(table[Int((value >> 6) & 0x3F)])
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
        buffer.withUnsafeMutableBufferPointer { pointer in
            guard let base = pointer.baseAddress else { return }
            UnsafeMutableRawPointer(base + start + shift).copyMemory(from: base + start, byteCount: length)
            alphabet.withUnsafeBufferPointer { table in
                var source = start + shift
                var target = start
                let end = start + shift + length
                while source + 3 <= end {
                    let value = UInt32(base[source]) << 16 | UInt32(base[source + 1]) << 8 | UInt32(base[source + 2])
                    base[target] = table[Int(value >> 18)]
                    base[target + 1] = table[Int((value >> 12) & 0x3F)]
                    base[target + 2] = table[Int((value >> 6) & 0x3F)]
                    base[target + 3] = table[Int(value & 0x3F)]
                    source += 3
                    target += 4
                }
                switch end - source {
                case 1:
                    let value = UInt32(base[source]) << 16
                    base[target] = table[Int(value >> 18)]
                    base[target + 1] = table[Int((value >> 12) & 0x3F)]
                case 2:
                    let value = UInt32(base[source]) << 16 | UInt32(base[source + 1]) << 8
                    base[target] = table[Int(value >> 18)]
                    base[target + 1] = table[Int((value >> 12) & 0x3F)]
                    base[target + 2] = table[Int((value >> 6) & 0x3F)]
                default:
                    break
                }
            }
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
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text {
            if byte == UInt8(ascii: "=") { continue }
            let value = decodeTable[Int(byte)]
            if value == 0xFF { return nil }
            accumulator = (accumulator << 6 | UInt32(value)) & 0xFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }
}
