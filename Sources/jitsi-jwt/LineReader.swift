/// Reads lines from a file descriptor straight into a buffer the caller keeps (a batch chunk's), so that input of any
/// length uses bounded memory and a line's bytes are not copied after `read(2)` put them there.
///
/// A line ends at `\n`; a `\r` before it is left out of the line. A line longer than `maximumLength` (counting a
/// `\r` before its `\n`) is skipped up to its end and reported as ``Line/tooLong``. The last line may lack its `\n`.
///
/// Each read goes into the room at the end of a ``Buffer`` and lines are found there, so a line is a range of the
/// buffer. The bytes read after the last line taken from a buffer (the start of a line, or lines past a chunk's
/// limit) are moved to the next buffer by ``carryOver(from:)``: only they are copied, once out and once in.
struct LineReader {
    /// One line of input.
    enum Line {
        /// Where the line's bytes are in the buffer it was read into.
        case text(Range<Int>)
        case tooLong
    }

    /// A read error: `errno`'s text.
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// The bytes lines are read into, and how far: a batch chunk's, kept with its room from chunk to chunk.
    struct Buffer {
        /// The bytes read, then room for the next read. The room is zeros written when the buffer grows (`read(2)`
        /// is given a `MutableSpan` of the array, which covers only bytes it holds), as a buffer kept from chunk to
        /// chunk does once.
        fileprivate(set) var bytes: [UInt8] = []
        /// The end of the bytes read.
        fileprivate var end = 0
        /// The start of the first line not yet returned.
        fileprivate var start = 0
        /// Where the search for the next `\n` goes on: the bytes from `start` to here hold none.
        fileprivate var scanned = 0

        /// The bytes the lines returned take, from the buffer's start to the end of the last one: blank lines and
        /// line ends included (an over-long line's bytes are dropped as they come).
        var lineBytes: Int { start }

        /// Room for `count` bytes, kept when the buffer is emptied.
        mutating func reserveCapacity(_ count: Int) {
            bytes.reserveCapacity(count)
        }

        /// Forgets the lines read, keeping the bytes' room for the next ones.
        mutating func removeAll() {
            end = 0
            start = 0
            scanned = 0
        }

        /// Makes sure `count` bytes of room follow the bytes read.
        fileprivate mutating func makeRoom(_ count: Int) {
            let missing = end + count - bytes.count
            if missing > 0 { bytes.append(contentsOf: repeatElement(0, count: missing)) }
        }
    }

    /// Where the input comes from: a descriptor, or bytes already in memory (captured stdin in tests).
    private enum Source {
        case descriptor(Int32)
        /// The bytes, and how many of them have been read.
        case bytes([UInt8], read: Int)
    }

    private var source: Source
    /// The bytes read after the last line of the buffer they were read into, for the next line read.
    private var carried: [UInt8] = []
    private var atEnd = false
    /// Whether the line being read is over-long: its bytes are dropped as they come, up to its `\n`.
    private var discarding = false
    let maximumLength: Int
    /// The most bytes one read asks for.
    let readSize: Int

    /// Lines read from `descriptor` (not closed here), `readSize` bytes at a time at most (small in tests, to put
    /// read boundaries inside lines).
    init(descriptor: Int32, maximumLength: Int = 1 << 20, readSize: Int = 65_536) {
        source = .descriptor(descriptor)
        self.maximumLength = maximumLength
        self.readSize = readSize
    }

    /// Lines of `bytes` (captured stdin in tests), copied into the buffers as if read.
    init(bytes: [UInt8], maximumLength: Int = 1 << 20, readSize: Int = 65_536) {
        source = .bytes(bytes, read: 0)
        self.maximumLength = maximumLength
        self.readSize = readSize
    }

    /// The next line, read into `buffer` after the lines read into it before (the bytes carried over first), or `nil`
    /// at the end of the input.
    mutating func next(in buffer: inout Buffer) throws(ReadError) -> Line? {
        if !carried.isEmpty {
            buffer.makeRoom(carried.count)
            buffer.bytes.replaceSubrange(buffer.end..<buffer.end + carried.count, with: carried)
            buffer.end += carried.count
            carried.removeAll(keepingCapacity: true)
        }
        while true {
            if let newline = SystemCalls.firstIndex(of: 0x0A, in: buffer.bytes, within: buffer.scanned..<buffer.end) {
                let line = buffer.start..<newline
                buffer.start = newline + 1
                buffer.scanned = buffer.start
                if discarding {
                    discarding = false
                    return .tooLong
                }
                if line.count > maximumLength { return .tooLong }
                return Self.text(line, in: buffer)
            }
            buffer.scanned = buffer.end
            if buffer.end - buffer.start > maximumLength {
                // Keep nothing of an over-long line: the next reads go where it started.
                discarding = true
                buffer.end = buffer.start
                buffer.scanned = buffer.start
            }
            if atEnd {
                guard buffer.start < buffer.end || discarding else { return nil }
                let line = buffer.start..<buffer.end
                buffer.start = buffer.end
                buffer.scanned = buffer.end
                if discarding {
                    discarding = false
                    return .tooLong
                }
                return Self.text(line, in: buffer)
            }
            try read(into: &buffer)
        }
    }

    /// Takes the bytes of `buffer` after the last line returned (lines the caller did not ask for, and the start of
    /// one), to be read first into the buffer given next; `buffer`'s lines stay where they are.
    mutating func carryOver(from buffer: inout Buffer) {
        carried.append(contentsOf: buffer.bytes[buffer.start..<buffer.end])
        buffer.end = buffer.start
        buffer.scanned = buffer.start
    }

    /// `line`, which is in `buffer`, without a final `\r`.
    private static func text(_ line: Range<Int>, in buffer: Buffer) -> Line {
        guard let last = line.last, buffer.bytes[last] == 0x0D else { return .text(line) }
        return .text(line.lowerBound..<last)
    }

    /// Reads the next bytes of input into the room at the end of `buffer`; at the end of the input, notes it.
    private mutating func read(into buffer: inout Buffer) throws(ReadError) {
        buffer.makeRoom(readSize)
        let room = buffer.end..<buffer.end + readSize
        let count: Int
        switch source {
        case .descriptor(let descriptor):
            count = SystemCalls.read(descriptor, into: &buffer.bytes, at: room)  // EINTR retried
            if count < 0 { throw ReadError(description: SystemCalls.errorText(Int32(-count))) }
        case .bytes(let bytes, let read):
            count = min(readSize, bytes.count - read)
            buffer.bytes.replaceSubrange(room.prefix(count), with: bytes[read..<read + count])
            source = .bytes(bytes, read: read + count)
        }
        buffer.end += count
        if count == 0 { atEnd = true }
    }
}
