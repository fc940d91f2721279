import ArgumentParser
import JitsiToken

/// A batch's input read in chunks of numbered lines, for `mint --batch` and `verify --batch`: blank lines are
/// counted and skipped, a byte order mark before the first line is dropped, and a chunk stops at ``maxLines`` lines
/// or about ``maxBytes`` bytes, so memory stays flat whatever the input's length.
struct BatchInput {
    /// Numbered lines, their bytes in the one buffer the input was read into (no array per line).
    struct Chunk {
        /// The buffer the input is read into: the lines are ranges of its bytes.
        fileprivate var buffer = LineReader.Buffer()
        private(set) var lines: [(number: Int, line: LineReader.Line)] = []

        /// Every line's bytes, in input order, among bytes that are in no line (blank and over-long lines, line
        /// ends, the room left for reading).
        var bytes: [UInt8] { buffer.bytes }
        var count: Int { lines.count }
        var isEmpty: Bool { lines.isEmpty }

        /// Room for `lines` lines of `bytes` bytes in all, kept from chunk to chunk.
        mutating func reserveCapacity(lines: Int, bytes: Int) {
            self.lines.reserveCapacity(lines)
            buffer.reserveCapacity(bytes)
        }

        mutating func removeAll() {
            lines.removeAll(keepingCapacity: true)
            buffer.removeAll()
        }

        /// Where `line`'s bytes are in ``bytes``; `nil` for an over-long line.
        func range(of line: LineReader.Line) -> Range<Int>? {
            guard case .text(let range) = line else { return nil }
            return range
        }

        /// Replaces `text` with the bytes of `line` (keeping its capacity, so that a slice copies each of its lines
        /// into one array); `false`, leaving `text` empty, for an over-long line.
        func copy(_ line: LineReader.Line, into text: inout [UInt8]) -> Bool {
            text.removeAll(keepingCapacity: true)
            guard let range = range(of: line) else { return false }
            appendContents(of: bytes.span.extracting(range), to: &text)
            return true
        }

        fileprivate mutating func append(number: Int, line: LineReader.Line) {
            lines.append((number, line))
        }
    }

    static let maxLines = 4096
    static let maxBytes = 8 << 20

    private var reader: LineReader
    private let name: String
    /// The progress line on stderr, when it is a terminal.
    let progress = Progress()
    /// Lines read so far, blank ones included.
    private(set) var lines = 0
    /// Blank lines (spaces and tabs only) skipped so far.
    private(set) var empty = 0
    /// Whether the input has ended.
    private(set) var finished = false

    init(_ reader: LineReader, name: String) {
        self.reader = reader
        self.name = name
        // Every chunk frees its lines and records and allocates the next chunk's: keep that memory in the heap
        // rather than give it back and fault it in again (a tenth of a `verify --batch` process's CPU went there).
        SystemCalls.keepFreedMemory(upTo: 8 * Self.maxBytes)
    }

    /// Replaces `chunk`'s lines with the next ones, at most `maxLines` of them (none once the input has ended).
    /// - Throws: `ExitCode(2)` when the input cannot be read, after saying why on stderr.
    mutating func next(into chunk: inout Chunk, maxLines: Int = maxLines) throws {
        chunk.removeAll()
        // The bytes counted are those the buffer holds, blank lines' too: their bytes stay where they were read.
        while !finished, chunk.count < maxLines, chunk.buffer.lineBytes < Self.maxBytes {
            let next: LineReader.Line?
            do {
                next = try reader.next(in: &chunk.buffer)
            } catch {
                progress.clear()
                Output.error("\(name): \(error)")
                throw ExitCode(2)
            }
            guard var line = next else {
                finished = true
                break
            }
            lines += 1
            if case .text(var range) = line {
                // A byte order mark, as some Windows tools write at the start of a file.
                if lines == 1, Self.startsWithByteOrderMark(chunk.bytes.span.extracting(range)) {
                    range = range.lowerBound + 3..<range.upperBound
                    line = .text(range)
                }
                if Self.isBlank(chunk.bytes.span.extracting(range)) {
                    empty += 1
                    continue
                }
            }
            chunk.append(number: lines, line: line)
        }
        // What was read after the chunk's last line starts the next chunk.
        reader.carryOver(from: &chunk.buffer)
    }

    private static func startsWithByteOrderMark(_ text: Span<UInt8>) -> Bool {
        text.count >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF
    }

    /// Whether `text` is spaces and tabs only.
    private static func isBlank(_ text: Span<UInt8>) -> Bool {
        for index in text.indices where text[index] != 0x20 && text[index] != 0x09 { return false }
        return true
    }

    /// Shows how far the batch is (`lines` and `counts`) on stderr's last line, when stderr is a terminal.
    func showProgress(_ counts: String) {
        progress.show(lines: lines, counts)
    }

    /// Clears the progress line, before any other text on stderr.
    func clearProgress() {
        progress.clear()
    }

    /// A batch's progress line, rewritten by `\r` on stderr when stderr is a terminal (only people read it).
    struct Progress: Sendable {
        private let shown = Output.standardErrorIsTerminal

        /// Shows `lines` read so far and `counts`.
        func show(lines: Int, _ counts: String) {
            if shown { Output.error(rawProgress: "\rjitsi-jwt: \(lines) lines, \(counts)") }
        }

        /// Clears the line, before any other text on stderr.
        func clear() {
            if shown { Output.error(rawProgress: "\r\u{1B}[K") }
        }
    }
}
