import ArgumentParser

/// A batch's input read in chunks of numbered lines, for `mint --batch` and `verify --batch`: blank lines are
/// counted and skipped, a byte order mark before the first line is dropped, and a chunk stops at ``maxLines`` lines
/// or about ``maxBytes`` bytes, so memory stays flat whatever the input's length.
struct BatchInput {
    typealias Chunk = [(number: Int, line: LineReader.Line)]

    static let maxLines = 4096
    static let maxBytes = 8 << 20

    private var reader: LineReader
    private let name: String
    /// Whether stderr is a terminal, which gets a progress line.
    private let progress = Output.standardErrorIsTerminal
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

    /// Replaces `chunk`'s lines with the next ones (none once the input has ended).
    /// - Throws: `ExitCode(2)` when the input cannot be read, after saying why on stderr.
    mutating func next(into chunk: inout Chunk) throws {
        chunk.removeAll(keepingCapacity: true)
        var bytes = 0
        while !finished, chunk.count < Self.maxLines, bytes < Self.maxBytes {
            let next: LineReader.Line?
            do {
                next = try reader.next()
            } catch {
                clearProgress()
                Output.error("\(name): \(error)")
                throw ExitCode(2)
            }
            guard var line = next else {
                finished = true
                break
            }
            lines += 1
            // A byte order mark, as some Windows tools write at the start of a file.
            if lines == 1, case .text(let text) = line, text.starts(with: [0xEF, 0xBB, 0xBF]) {
                line = .text(Array(text.dropFirst(3)))
            }
            if case .text(let text) = line {
                if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                    empty += 1
                    continue
                }
                bytes += text.count
            }
            chunk.append((lines, line))
        }
    }

    /// Shows how far the batch is (`lines` and `counts`) on stderr's last line, when stderr is a terminal.
    func showProgress(_ counts: String) {
        if progress { Output.error(rawProgress: "\rjitsi-jwt: \(lines) lines, \(counts)") }
    }

    /// Clears the progress line, before any other text on stderr.
    func clearProgress() {
        if progress { Output.error(rawProgress: "\r\u{1B}[K") }
    }
}
