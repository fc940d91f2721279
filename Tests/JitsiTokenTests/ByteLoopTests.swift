import StringPrep
import Testing

@testable import JitsiToken

/// The eight-bytes-a-step loops of the crypto backend against byte-at-a-time models of what they compute.
struct ByteLoopTests {
    /// The JSON writer's run finder against a byte loop: every stop byte at every offset of the first words, with
    /// another byte class before or after it, in both modes.
    @Test
    func escapeRunsEndWhereAByteLoopStops() {
        func byteLoop(_ bytes: [UInt8], from start: Int, stopsAtDELAndAbove: Bool) -> Int {
            for index in start..<bytes.count {
                let byte = bytes[index]
                if byte < 0x20 || byte == 0x22 || byte == 0x5C || (stopsAtDELAndAbove && byte >= 0x7F) { return index }
            }
            return bytes.count
        }
        let classes: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF]
        for length in 0..<20 {
            for stopAt in 0...length {
                for stop in classes {
                    for odd in classes {
                        for oddAt in 0..<max(length, 1) {
                            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                            if oddAt < length { bytes[oddAt] = odd }
                            if stopAt < length { bytes[stopAt] = stop }
                            for start in [0, min(1, length)] {
                                for mode in [false, true] {
                                    let ours = jsonEscapeRunEnd(bytes.span, from: start, stopsAtDELAndAbove: mode)
                                    let expected = byteLoop(bytes, from: start, stopsAtDELAndAbove: mode)
                                    #expect(ours == expected, "\(bytes) from \(start), \(mode)")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The printable-ASCII test against a byte loop: every byte value at every offset of texts of up to 19 bytes
    /// (a word, a word and a tail), after printable bytes.
    @Test
    func commonPrefixesEndWhereAByteLoopStops() {
        var checked = 0
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            for start in Set([0, 1, length / 3, length]) where start <= length {
                // The same bytes shifted by `shift` in the other buffer, cut short or run on, then one byte changed
                // at each offset in turn.
                for (shift, otherLength) in [(0, length), (3, length + 3), (2, length / 2 + 2), (5, length + 14)] {
                    var other = Array((Array(repeating: UInt8(0x41), count: shift) + bytes).prefix(otherLength))
                    other += Array(repeating: 0x41, count: max(0, otherLength - other.count))
                    let otherStart = start + shift
                    guard otherStart <= other.count else { continue }
                    for changed in [nil] + Array(otherStart..<other.count) {
                        var edited = other
                        if let changed { edited[changed] ^= 0x80 }
                        var expected = 0
                        while start + expected < length, otherStart + expected < edited.count,
                            bytes[start + expected] == edited[otherStart + expected]
                        {
                            expected += 1
                        }
                        #expect(commonPrefixCount(bytes.span, from: start, edited.span, from: otherStart) == expected)
                        #expect(commonPrefixCount(edited.span, from: otherStart, bytes.span, from: start) == expected)
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 3000)
    }

    @Test
    func printableASCIIWithoutBackslashIsWhatAByteLoopSays() {
        for length in 1..<20 {
            for offset in 0..<length {
                for byte in UInt8.min...UInt8.max {
                    var bytes = [UInt8](repeating: UInt8(ascii: "~"), count: length)
                    bytes[offset] = byte
                    let expected = byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: "\\")
                    if isPrintableASCIIWithoutBackslash(bytes.span) != expected {
                        Issue.record("\(bytes) at \(offset)")
                    }
                }
            }
        }
        let empty = isPrintableASCIIWithoutBackslash([UInt8]().span)
        #expect(empty)
    }

    /// ``JSONWriter/writeString(_:)`` against a model that escapes one scalar at a time, on strings of every kind
    /// of scalar at every offset, with and without the escaping of terminal controls.
    @Test
    func writtenStringsEscapeEachScalarAsTheModelDoes() {
        func model(_ text: String, terminal: Bool) -> [UInt8] {
            var output: [UInt8] = [0x22]
            for scalar in text.unicodeScalars {
                let value = scalar.value
                switch value {
                case 0x22: output += Array(#"\""#.utf8)
                case 0x5C: output += Array(#"\\"#.utf8)
                case 0x08: output += Array(#"\b"#.utf8)
                case 0x0C: output += Array(#"\f"#.utf8)
                case 0x0A: output += Array(#"\n"#.utf8)
                case 0x0D: output += Array(#"\r"#.utf8)
                case 0x09: output += Array(#"\t"#.utf8)
                default:
                    if value < 0x20 || (terminal && (value == 0x7F || StringPrep.isInvisibleControl(value))) {
                        let hex = Array("0123456789ABCDEF".utf8)
                        output += Array(#"\u"#.utf8)
                        for shift in [12, 8, 4, 0] { output.append(hex[Int(value >> UInt32(shift) & 0xF)]) }
                    } else {
                        output += Array(String(scalar).utf8)
                    }
                }
            }
            output.append(0x22)
            return output
        }
        let pieces = [
            "a", "\"", "\\", "\u{08}", "\u{0C}", "\n", "\r", "\t", "\u{01}", "\u{1F}", " ", "~", "\u{7F}", "\u{80}",
            "\u{9F}", "\u{A0}", "é", "\u{200E}", "\u{202E}", "\u{2028}", "\u{2029}", "\u{FEFF}", "€", "😀", "/",
        ]
        for length in 0..<18 {
            for piece in pieces {
                for at in 0..<max(length, 1) {
                    for other in ["b", "\"", "é", "\u{202E}"] {
                        var parts = Array(repeating: "x", count: length)
                        if at < length { parts[at] = piece }
                        if length > 2 { parts[length - 1 - at % 2] = other }
                        let text = parts.joined()
                        for terminal in [false, true] {
                            var writer = JSONWriter(escapingTerminalControls: terminal)
                            writer.writeString(text)
                            #expect(writer.bytes == model(text, terminal: terminal), "\(text.debugDescription)")
                        }
                    }
                }
            }
        }
    }

    /// The token run against a byte loop: every byte value at every offset of the first words, after and before
    /// dots, from two starts; and its split against ``tokenSegmentRanges(_:)``.
    @Test
    func tokenRunsEndAndSplitAsAByteLoopDoes() {
        func byteLoop(_ bytes: [UInt8], from start: Int) -> (end: Int, dots: [Int]) {
            var dots: [Int] = []
            for index in start..<bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ".") {
                    dots.append(index)
                } else if !Base64URL.alphabet.contains(byte) {
                    return (index, dots)
                }
            }
            return (bytes.count, dots)
        }
        let fill = Array("eyJhbGciOiJIUzI1NiJ9-_Zz09".utf8)
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 23] {
            for at in 0..<max(length, 1) {
                for value in 0...255 {
                    for dotsAt in [[], [0], [2, 5], [3, 4], [1, 9, 12], [length - 1], [6, 7, 8]] {
                        var bytes = (0..<length).map { fill[$0 % fill.count] }
                        for dot in dotsAt where dot >= 0 && dot < length { bytes[dot] = UInt8(ascii: ".") }
                        if at < length { bytes[at] = UInt8(value) }
                        for start in [0, min(1, length)] {
                            let ours = compactTokenRun(bytes, from: start, to: bytes.count)
                            let expected = byteLoop(bytes, from: start)
                            #expect(ours.end == expected.end && ours.dotCount == expected.dots.count)
                            for index in 0..<min(2, expected.dots.count) {
                                #expect(ours.dots[index] == expected.dots[index], "\(bytes) from \(start)")
                            }
                            // A line in a chunk: the bytes after its end are not read.
                            let (end, split) = CompactTokenSplit.scan(bytes + fill, from: start, to: bytes.count)
                            #expect(end == expected.end)
                            let (ranges, count) = tokenSegmentRanges(bytes[start..<end])
                            let isCompact =
                                count == 3 && ranges[0].upperBound + 1 == ranges[1].lowerBound
                                && ranges[1].upperBound + 1 == ranges[2].lowerBound && ranges[0].lowerBound == start
                                && ranges[2].upperBound == end
                            #expect((split != nil) == isCompact, "\(bytes) from \(start)")
                            if let split {
                                #expect(split.token == start..<end)
                                for index in 0..<3 { #expect(split.segments[index] == ranges[index]) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The lenient decoder against a byte loop of basexx's rules (`=` skipped anywhere, any other byte outside the
    /// alphabet fails, leftover bits dropped): every length up to 40, every byte value at every offset, and `=` or
    /// an invalid byte as well, from two starts of a slice.
    @Test
    func lenientDecodingMatchesAByteLoop() {
        let byteLoop = lenientBase64URLByteLoop
        let alphabet = Base64URL.alphabet
        // Mismatches are collected and expected away once: an `#expect` per slice made this test take many
        // minutes under AddressSanitizer.
        var mismatches: [[UInt8]] = []
        for length in 0...40 {
            let text = (0..<length + 1).map { alphabet[($0 * 37 + length) % 64] }
            for at in 0..<max(length, 1) {
                for value in 0...255 {
                    for second in [nil, UInt8(ascii: "="), UInt8(ascii: "+")] {
                        var bytes = text
                        if at < length { bytes[at + 1] = UInt8(value) }
                        if let second, length > 0 { bytes[1 + (at * 7 + 3) % length] = second }
                        for start in [0, 1] {
                            let slice = bytes[start..<length + 1 - (1 - start)]
                            if Base64URL.decodeLenient(slice) != byteLoop(slice) { mismatches.append(Array(slice)) }
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "decoded unlike the byte loop: \(mismatches.prefix(5))")
    }
}

/// The alphabet's values by byte (-1: not in it), so that the model below stays cheap over a million slices.
private let base64URLValues: [Int] = {
    var values = [Int](repeating: -1, count: 256)
    for (value, byte) in Base64URL.alphabet.enumerated() { values[Int(byte)] = value }
    return values
}()

/// basexx's lenient base64url rules as a byte loop, the model the decoder's tests compare with: `=` skipped anywhere,
/// any other byte outside the alphabet fails (`nil`), leftover bits dropped.
func lenientBase64URLByteLoop(_ text: ArraySlice<UInt8>) -> [UInt8]? {
    var output: [UInt8] = []
    var accumulator: UInt32 = 0
    var bits = 0
    for byte in text where byte != UInt8(ascii: "=") {
        let value = base64URLValues[Int(byte)]
        guard value >= 0 else { return nil }
        accumulator = (accumulator << 6 | UInt32(value)) & 0xFFFF
        bits += 6
        if bits >= 8 {
            bits -= 8
            output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
        }
    }
    return output
}
