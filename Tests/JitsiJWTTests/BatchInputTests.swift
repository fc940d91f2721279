import TestSupport
import Testing

@testable import jitsi_jwt

#if canImport(Glibc)
    import Glibc
#endif

/// ``BatchInput``'s chunks as the input is read in place into their buffers: over a real pipe or file, with reads of
/// a few bytes, so that read and chunk boundaries fall inside lines, between a `\r` and its `\n`, and inside a byte
/// order mark or an over-long line.
struct BatchInputTests {
    /// A line as a chunk gives it.
    enum Read: Equatable, CustomStringConvertible {
        case text(Int, [UInt8])
        case tooLong(Int)

        var description: String {
            switch self {
            case .text(let number, let bytes): "\(number):\(String(decoding: bytes, as: UTF8.self).debugDescription)"
            case .tooLong(let number): "\(number):<too long>"
            }
        }
    }

    /// The non-empty chunks of `reader`'s input, each chunk's lines with their numbers, and the input's line and blank
    /// line counts. Two chunks take turns, as two workers' do, so that the bytes carried over go to another buffer.
    static func chunks(_ reader: LineReader, maxLines: Int) throws -> (chunks: [[Read]], lines: Int, empty: Int) {
        var input = BatchInput(reader, name: "input")
        var turns = [BatchInput.Chunk(), BatchInput.Chunk()]
        var chunks: [[Read]] = []
        while !input.finished {
            var chunk = turns.removeFirst()
            try input.next(into: &chunk, maxLines: maxLines)
            let lines = chunk.lines.map { number, line -> Read in
                guard let range = chunk.range(of: line) else { return .tooLong(number) }
                return .text(number, Array(chunk.bytes[range]))
            }
            if !lines.isEmpty { chunks.append(lines) }
            turns.append(chunk)
        }
        return (chunks, input.lines, input.empty)
    }

    /// `chunks(_:maxLines:)` of `bytes` read from a pipe (a file when they are more than a pipe holds).
    static func chunks(
        _ bytes: [UInt8], readSize: Int, maxLines: Int, maximumLength: Int = 1 << 20
    ) throws -> (chunks: [[Read]], lines: Int, empty: Int) {
        let directory = try TemporaryDirectory()
        let descriptor: Int32
        if bytes.count <= 32_768 {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { throw TestFailure(description: "pipe failed") }
            defer { close(ends[1]) }
            guard SystemCalls.writeAll(ends[1], bytes) == nil else { throw TestFailure(description: "write failed") }
            descriptor = ends[0]
        } else {
            let path = directory.path + "/input"
            try writeFile(path, bytes)
            descriptor = open(path, O_RDONLY)
        }
        defer { close(descriptor) }
        let reader = LineReader(descriptor: descriptor, maximumLength: maximumLength, readSize: readSize)
        return try chunks(reader, maxLines: maxLines)
    }

    static func chunks(
        _ text: String, readSize: Int, maxLines: Int, maximumLength: Int = 1 << 20
    ) throws -> [[Read]] {
        try chunks(Array(text.utf8), readSize: readSize, maxLines: maxLines, maximumLength: maximumLength).chunks
    }

    /// The lines of `bytes` by the documented rules, found another way: split at every `\n` (nothing after a final
    /// one); a line of more than `maximumLength` bytes, before its `\r` is dropped, is over-long; a byte order mark
    /// starting the first line is dropped; blank lines (spaces and tabs only) are counted and not given.
    static func expected(_ bytes: [UInt8], maximumLength: Int) -> (lines: [Read], count: Int, empty: Int) {
        var pieces = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.isEmpty || bytes.last == 0x0A { pieces.removeLast() }
        var lines: [Read] = []
        var empty = 0
        for (index, piece) in pieces.enumerated() {
            if piece.count > maximumLength {
                lines.append(.tooLong(index + 1))
                continue
            }
            var text = Array(piece)
            if text.last == 0x0D { text.removeLast() }
            if index == 0, text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                empty += 1
                continue
            }
            lines.append(.text(index + 1, text))
        }
        return (lines, pieces.count, empty)
    }

    /// A batch runs one worker per processor it may use: the count coreutils' `nproc` gives (its affinity mask's,
    /// which a child inherits).
    @Test func theWorkersAreTheProcessorsTheProcessMayRunOn() throws {
        let nproc = try runProcess("/usr/bin/nproc", [])
        #expect(nproc.status == 0)
        #expect(BatchPipeline.workers == Int(nproc.stdout.split(separator: "\n").first ?? ""))
    }

    @Test func aLineSplitAcrossTwoReadsIsWhole() throws {
        #expect(try Self.chunks("abcdef\nxy\n", readSize: 4, maxLines: 5) == [[.text(1, Array("abcdef".utf8)),
                                                                              .text(2, Array("xy".utf8))]])
    }

    @Test func aCarriageReturnEndingOneReadIsDroppedBeforeTheNewlineStartingTheNext() throws {
        // Reads "abc\r", "\ndef", "\r\n": the `\r` stays in the buffer, outside the line's range.
        #expect(try Self.chunks("abc\r\ndef\r\n", readSize: 4, maxLines: 5) == [[.text(1, Array("abc".utf8)),
                                                                                .text(2, Array("def".utf8))]])
        // A `\r` inside a line is kept.
        #expect(try Self.chunks("a\rb\r\r\n", readSize: 2, maxLines: 5) == [[.text(1, Array("a\rb\r".utf8))]])
    }

    @Test func aChunkEndingMidLineCarriesThePartialLineToTheNextChunk() throws {
        // The first read, "one\ntwo-", fills the one-line chunk and holds half of the next line.
        #expect(
            try Self.chunks("one\ntwo-two\nthree\n", readSize: 8, maxLines: 1) == [
                [.text(1, Array("one".utf8))], [.text(2, Array("two-two".utf8))], [.text(3, Array("three".utf8))],
            ])
        // Several whole lines past a chunk's limit are carried too.
        #expect(
            try Self.chunks("a\nb\nc\nd\ne", readSize: 64, maxLines: 2) == [
                [.text(1, [0x61]), .text(2, [0x62])], [.text(3, [0x63]), .text(4, [0x64])], [.text(5, [0x65])],
            ])
    }

    @Test func anOverLongLineSpanningReadsAndChunksIsSkippedWholeAndTheNextLineIsRead() throws {
        let long = String(repeating: "x", count: 50)
        #expect(
            try Self.chunks("a\n\(long)\nb\n", readSize: 4, maxLines: 1, maximumLength: 10) == [
                [.text(1, [0x61])], [.tooLong(2)], [.text(3, [0x62])],
            ])
        #expect(
            try Self.chunks("\(long)\r\nb\r\n\(long)", readSize: 3, maxLines: 2, maximumLength: 10) == [
                [.tooLong(1), .text(2, [0x62])], [.tooLong(3)],
            ])
        // Longer than a pipe holds, read from a file: over-long by far, with reads smaller than the limit.
        let huge = String(repeating: "y", count: 300_000)
        #expect(
            try Self.chunks("\(huge)\nc\n\(huge)\n\(huge)", readSize: 4096, maxLines: 1, maximumLength: 10_000) == [
                [.tooLong(1)], [.text(2, [0x63])], [.tooLong(3)], [.tooLong(4)],
            ])
        // The limit counts a `\r` before the `\n`; a line at the limit is read.
        #expect(
            try Self.chunks("12345\r\n1234\r\n12345", readSize: 2, maxLines: 5, maximumLength: 5) == [
                [.tooLong(1), .text(2, Array("1234".utf8)), .text(3, Array("12345".utf8))]
            ])
    }

    @Test func aByteOrderMarkBeforeTheFirstLineIsDroppedEvenSplitAcrossReads() throws {
        #expect(
            try Self.chunks("\u{FEFF}x\n\u{FEFF}y\n", readSize: 2, maxLines: 5) == [
                [.text(1, [0x78]), .text(2, Array("\u{FEFF}y".utf8))]
            ])
        // A first line of only the mark is blank.
        let (chunks, lines, empty) = try Self.chunks(Array("\u{FEFF}\r\nz".utf8), readSize: 1, maxLines: 1)
        #expect(chunks == [[.text(2, [0x7A])]])
        #expect((lines, empty) == (2, 1))
    }

    @Test func blankLinesAtAChunkBoundaryAreCountedAndNotGiven() throws {
        let input = Array("a\n  \n\t\r\n\nb\n \nc\n\t\n".utf8)
        let (chunks, lines, empty) = try Self.chunks(input, readSize: 3, maxLines: 1)
        #expect(chunks == [[.text(1, [0x61])], [.text(5, [0x62])], [.text(7, [0x63])]])
        #expect((lines, empty) == (8, 5))
        // Input of blank lines only: no chunk holds a line.
        let blank = try Self.chunks(Array(" \n\n\t\n".utf8), readSize: 2, maxLines: 1)
        #expect(blank.chunks.isEmpty)
        #expect((blank.lines, blank.empty) == (3, 3))
    }

    @Test func theLastLineMayLackItsNewline() throws {
        #expect(try Self.chunks("a\nbc", readSize: 1, maxLines: 5) == [[.text(1, [0x61]), .text(2, [0x62, 0x63])]])
        #expect(try Self.chunks("a\nbc\r", readSize: 1, maxLines: 1) == [[.text(1, [0x61])], [.text(2, [0x62, 0x63])]])
        let none = try Self.chunks([], readSize: 1, maxLines: 1)
        #expect(none.chunks.isEmpty)
        #expect((none.lines, none.empty) == (0, 0))
    }

    /// The chunks' buffers keep their size: they hold a chunk's lines and a read, whatever the input's length.
    @Test func aChunksBufferStaysTheSizeOfAChunk() throws {
        let text = String(repeating: "0123456789\n", count: 2000)
        var input = BatchInput(LineReader(bytes: Array(text.utf8), readSize: 16), name: "input")
        var chunk = BatchInput.Chunk()
        var lines = 0
        while !input.finished {
            try input.next(into: &chunk, maxLines: 3)
            lines += chunk.count
            #expect(chunk.bytes.count <= 3 * 11 + 2 * 16)
        }
        #expect(lines == 2000)
    }

    /// Every line of many inputs, made of the bytes the boundaries are about, read at every read size from 1 to 17
    /// bytes into chunks of 1 to 5 lines, is the line `expected(_:maximumLength:)` finds, with the same counts.
    @Test func everyLineMatchesASimpleSplitterAtEveryReadSizeAndChunkSize() throws {
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("bc".utf8), [0x0A], [0x0A], [0x0D], Array("\r\n".utf8), [0x20], [0x09],
            [0xEF, 0xBB, 0xBF], Array("1234567".utf8), Array("0123456789abc".utf8), Array("{\"room\":\"x\"}".utf8),
        ]
        var generator = SplitMix64(seed: 12)
        var inputs: [[UInt8]] = [
            [], [0x0A], Array("\r\n".utf8), [0x0D], Array("\u{FEFF}".utf8), Array("\u{FEFF}\n \n".utf8),
            // Lines at the limit and one byte over it, with and without a `\r`, the last one without its `\n`.
            Array("12345678\n123456789\r\n1234567890\n123456789\n12345678\r\n123456789".utf8),
        ]
        for _ in 0..<30 {
            var input: [UInt8] = []
            for _ in 0..<Int.random(in: 1...40, using: &generator) {
                input += pieces[Int.random(in: 0..<pieces.count, using: &generator)]
            }
            inputs.append(input)
        }
        let maximumLength = 9
        for input in inputs {
            let expected = Self.expected(input, maximumLength: maximumLength)
            for readSize in 1...17 {
                for maxLines in 1...5 {
                    let read = try Self.chunks(
                        input, readSize: readSize, maxLines: maxLines, maximumLength: maximumLength)
                    let context = "\(input) read \(readSize) chunk \(maxLines)"
                    #expect(read.chunks.allSatisfy { $0.count <= maxLines }, "\(context)")
                    #expect(Array(read.chunks.joined()) == expected.lines, "\(context)")
                    #expect((read.lines, read.empty) == (expected.count, expected.empty), "\(context)")
                }
            }
            // Captured stdin, copied into the buffers as if read.
            let captured = try Self.chunks(
                LineReader(bytes: input, maximumLength: maximumLength, readSize: 5), maxLines: 2)
            #expect(Array(captured.chunks.joined()) == expected.lines, "\(input) captured")
        }
    }
}
