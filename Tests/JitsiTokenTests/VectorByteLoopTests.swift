import Testing

@testable import JitsiToken

/// The vector loops of the crypto backend against byte-at-a-time models, on every length from 0 to 70 (around each
/// step boundary of 16 and 32 bytes, with and without a last step that overlaps the one before) and from starts
/// inside the first and second steps: every byte at the edge of a class they tell apart at every offset, with a
/// second stop byte after it; every byte value at every offset of a few lengths. The decoder, the token's run and
/// the printable test are checked with their 32-byte steps (CVectorLoops, where the CPU has AVX2) and without them,
/// so that the sixteen-byte loops are checked over whole texts too.
struct VectorByteLoopTests {
    /// Bytes at the edges of the classes the loops tell apart: controls, space, `-` `.` `/`, digits, `=`, letters,
    /// `\\`, `_`, DEL, and bytes above ASCII (some of them a letter with bit 7 set, or with 0x20 or'ed in).
    static let edgeBytes: [UInt8] = [
        0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x39, 0x3A, 0x3D, 0x40, 0x41,
        0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60, 0x61, 0x7A, 0x7B, 0x7E, 0x7F, 0x80, 0xA2, 0xAE, 0xC1, 0xDF, 0xE1,
        0xFA, 0xFF,
    ]

    /// The lengths of the cases with every byte value at every offset.
    static let fullLengths = [15, 16, 17, 32, 33, 47]

    /// Starts of the loops inside a text of `length` bytes.
    static func starts(within length: Int) -> [Int] {
        [0, 1, 7, 15, 16, 17, 31, 33].filter { $0 <= length }
    }

    /// Runs `check` on texts of every length up to 70 made of `fill` (cycled with a stride, so that every byte of
    /// it shows up in every lane), with one byte replaced at every offset (each edge byte, or every value at
    /// ``fullLengths``) and `second`, when given, put at an offset after it.
    static func forEachText(fill: [UInt8], second: UInt8? = nil, _ check: ([UInt8]) -> Void) {
        for length in 0...70 {
            let text = (0..<length).map { fill[($0 * 37 + length) % fill.count] }
            check(text)
            let values = fullLengths.contains(length) ? Array(UInt8.min...UInt8.max) : edgeBytes
            for at in 0..<length {
                for value in values {
                    var bytes = text
                    bytes[at] = value
                    check(bytes)
                    if let second, at + 1 < length {
                        bytes[at + 1 + (at * 5) % (length - at - 1)] = second
                        check(bytes)
                    }
                }
            }
        }
    }

    @Test
    func compactTokenRunsMatchAByteLoop() {
        // The alphabet by byte, so that the model stays cheap over a million runs.
        var isBase64URL = [Bool](repeating: false, count: 256)
        for byte in Base64URL.alphabet { isBase64URL[Int(byte)] = true }
        func byteLoop(_ bytes: [UInt8], from start: Int) -> (end: Int, dots: [Int]) {
            var dots: [Int] = []
            for index in start..<bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ".") {
                    dots.append(index)
                } else if !isBase64URL[Int(byte)] {
                    return (index, dots)
                }
            }
            return (bytes.count, dots)
        }
        var mismatches: [[UInt8]] = []
        for second in [UInt8(ascii: "."), 0x22] {
            Self.forEachText(fill: Base64URL.alphabet, second: second) { bytes in
                // The same run with more token bytes after the limit, which it must not read.
                let longer = bytes + Array("a.b".utf8)
                for start in Self.starts(within: bytes.count) {
                    let expected = byteLoop(bytes, from: start)
                    for ours in [
                        compactTokenRun(bytes, from: start, to: bytes.count),
                        compactTokenRun(longer, from: start, to: bytes.count),
                        compactTokenRun(longer, from: start, to: bytes.count, wideBlocks: false),
                    ] {
                        var same = ours.end == expected.end && ours.dotCount == expected.dots.count
                        for index in 0..<2 {
                            same = same && ours.dots[index] == (index < expected.dots.count ? expected.dots[index] : -1)
                        }
                        if !same { mismatches.append(bytes + [UInt8(start)]) }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "token runs unlike the byte loop (the start last): \(mismatches.prefix(5))")
    }

    @Test
    func tokenSegmentRangesMatchAByteLoop() {
        func byteLoop(_ bytes: ArraySlice<UInt8>) -> [Range<Int>] {
            var ranges: [Range<Int>] = []
            var start = bytes.startIndex
            for index in bytes.indices where bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "\\") {
                if index > start { ranges.append(start..<index) }
                start = index + 1
            }
            if bytes.endIndex > start { ranges.append(start..<bytes.endIndex) }
            return ranges
        }
        var mismatches: [[UInt8]] = []
        Self.forEachText(fill: Base64URL.alphabet, second: UInt8(ascii: ".")) { bytes in
            for start in Self.starts(within: bytes.count) {
                let slice = bytes[start...]
                let (ranges, count) = tokenSegmentRanges(slice)
                let expected = byteLoop(slice)
                var same = count == expected.count
                for index in 0..<min(3, expected.count) { same = same && ranges[index] == expected[index] }
                if !same { mismatches.append(bytes + [UInt8(start)]) }
            }
        }
        #expect(mismatches.isEmpty, "splits unlike the byte loop (the start last): \(mismatches.prefix(5))")
    }

    /// The rules of ``ByteLoopTests/lenientDecodingMatchesAByteLoop()``: `=` skipped anywhere, any other byte
    /// outside the alphabet fails, leftover bits dropped.
    @Test
    func lenientDecodingMatchesAByteLoopAroundSteps() {
        let byteLoop = lenientBase64URLByteLoop
        var mismatches: [[UInt8]] = []
        for second in [UInt8(ascii: "="), UInt8(ascii: "+")] {
            Self.forEachText(fill: Base64URL.alphabet, second: second) { bytes in
                for start in [0, 1, 16] where start <= bytes.count {
                    let slice = bytes[start...]
                    let expected = byteLoop(slice)
                    // In place (up to 92 characters) too.
                    let held = DecodedBytes(decoding: slice.span).map { decoded in
                        decoded.array ?? (0..<decoded.count).map { decoded.inline[$0] }
                    }
                    var narrow: [UInt8] = []
                    let narrowDecodes = decodeBase64URLLenient(slice.span, appendingTo: &narrow, wideBlocks: false)
                    if Base64URL.decodeLenient(slice) != expected || held != expected
                        || (narrowDecodes ? narrow : nil) != expected
                    {
                        mismatches.append(bytes + [UInt8(start)])
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "decoded unlike the byte loop (the start last): \(mismatches.prefix(5))")
    }

    @Test
    func printableASCIIWithoutBackslashMatchesAByteLoop() {
        var mismatches: [[UInt8]] = []
        let printable = Array((0x20...0x7E).filter { $0 != 0x5C }.map(UInt8.init))
        for second in [0x7E, 0x5C, 0x7F] as [UInt8] {
            Self.forEachText(fill: printable, second: second) { bytes in
                let expected = bytes.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != 0x5C }
                if isPrintableASCIIWithoutBackslash(bytes.span) != expected
                    || isPrintableASCIIWithoutBackslash(bytes.span, wideBlocks: false) != expected
                {
                    mismatches.append(bytes)
                }
            }
        }
        #expect(mismatches.isEmpty, "printable tests unlike the byte loop: \(mismatches.prefix(5))")
    }
}
