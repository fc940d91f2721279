/// Reads lines from a file descriptor a block at a time, so that input of any length uses bounded memory.
///
/// A line ends at `\n`; a `\r` before it is dropped. A line longer than `maximumLength` is skipped up to its end and
/// reported as ``Line/tooLong``. Each line's bytes are appended to a buffer the caller keeps (a batch chunk's), not
/// copied into an array of their own.
struct LineReader {
    /// One line of input.
    enum Line {
        /// Where the line's bytes are in the buffer they were appended to.
        case text(Range<Int>)
        case tooLong
    }

    /// A read error: `errno`'s text.
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    private let descriptor: Int32?
    private var buffer: [UInt8]
    /// The block each read fills, allocated once.
    private var block: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var atEnd: Bool
    private var discarding = false
    let maximumLength: Int
    private static let blockSize = 65_536

    /// Lines read from `descriptor` (not closed here).
    init(descriptor: Int32, maximumLength: Int = 1 << 20) {
        self.descriptor = descriptor
        self.maximumLength = maximumLength
        buffer = []
        atEnd = false
    }

    /// Lines of `bytes` (captured stdin in tests).
    init(bytes: [UInt8], maximumLength: Int = 1 << 20) {
        descriptor = nil
        self.maximumLength = maximumLength
        buffer = bytes
        atEnd = true
    }

    /// The next line, its bytes appended to `bytes`, or `nil` at the end of the input.
    mutating func next(appendingTo bytes: inout [UInt8]) throws(ReadError) -> Line? {
        while true {
            if let newline = SystemCalls.firstIndex(of: 0x0A, in: buffer, from: scanned) {
                let line = buffer[start..<newline]
                start = newline + 1
                scanned = start
                if discarding {
                    discarding = false
                    return .tooLong
                }
                if line.count > maximumLength { return .tooLong }
                return Self.append(line, to: &bytes)
            }
            scanned = buffer.count
            if buffer.count - start > maximumLength {
                // Keep nothing of an over-long line; remember to skip the rest of it.
                discarding = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
                scanned = 0
            }
            if atEnd {
                guard start < buffer.count || discarding else { return nil }
                let line = buffer[start...]
                start = buffer.count
                scanned = start
                if discarding {
                    discarding = false
                    return .tooLong
                }
                return Self.append(line, to: &bytes)
            }
            try fill()
        }
    }

    /// Appends `line` without a final `\r` to `bytes`: the line's ``Line/text(_:)``.
    private static func append(_ line: ArraySlice<UInt8>, to bytes: inout [UInt8]) -> Line {
        let start = bytes.count
        bytes.append(contentsOf: line.last == 0x0D ? line.dropLast() : line)
        return .text(start..<bytes.count)
    }

    /// Appends the next block of input, first dropping the consumed bytes.
    private mutating func fill() throws(ReadError) {
        guard let descriptor else {
            atEnd = true
            return
        }
        if start > 0 {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        if block.isEmpty { block = [UInt8](repeating: 0, count: Self.blockSize) }
        let count = SystemCalls.read(descriptor, into: &block)  // EINTR retried
        if count < 0 { throw ReadError(description: SystemCalls.errorText(Int32(-count))) }
        buffer += block[0..<count]
        if count == 0 { atEnd = true }
    }
}
