import ArgumentParser
import JitsiDeployment
import JitsiToken
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `verify --batch`: one token per line (bare, `Bearer …`, a join URL, or a JSON object `{"token", "room",
/// "tenant"}`), verified on every core in bounded chunks (``BatchPipeline``), one verdict record per line in input
/// order.
///
/// Memory stays flat whatever the input length: each worker holds one chunk of lines at a time, with its records.
struct BatchVerify: Sendable {
    let verifier: TokenVerifier
    let era: DetectedPluginEra
    /// `--room` and `--tenant` as typed: for lines that name no room (or tenant) themselves, in the record or
    /// in a join URL.
    let room: String?
    let tenant: String?
    /// `--at`; `nil` reads the clock once per chunk.
    let at: Double?
    let records: VerdictRecordWriter

    init(verifier: TokenVerifier, era: DetectedPluginEra, room: String?, tenant: String?, at: Double?) {
        self.verifier = verifier
        self.era = era
        self.room = room
        self.tenant = tenant
        self.at = at
        records = VerdictRecordWriter(muc: verifier.joinRules.muc, era: era)
    }

    /// `other` with a verifier and a record writer of its own (``TokenVerifier/init(copying:)``).
    init(copying other: BatchVerify) {
        verifier = TokenVerifier(copying: other.verifier)
        era = other.era
        room = other.room
        tenant = other.tenant
        at = other.at
        records = VerdictRecordWriter(copying: other.records)
    }

    /// Lines per chunk, each read, verified and written by one worker: the records of a chunk (about 1 KiB a
    /// line) stay in that core's caches until they are written.
    static let chunkLines = 512
    static let fields = ["token", "room", "tenant"]

    /// What a batch did, also printed as the last line on stderr.
    struct Summary: Equatable, Sendable {
        var lines = 0
        var accepted = 0
        var refused = 0
        var failed = 0
        var empty = 0

        var text: String {
            "jitsi-jwt: \(lines) lines: \(accepted) accepted, \(refused) refused, \(failed) failed, "
                + "\(empty) empty skipped"
        }

        mutating func add(_ other: Summary) {
            accepted += other.accepted
            refused += other.refused
            failed += other.failed
        }
    }

    /// Reads `path` (`-` for stdin), writes the records to stdout and the summary to stderr.
    /// - Throws: `ExitCode(2)` when the input cannot be opened or read.
    func run(path: String) throws -> Summary {
        guard path == "-" else {
            let descriptor = SystemCalls.open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                Output.error("\(path): \(SystemCalls.errorText(-descriptor))")
                throw ExitCode(2)
            }
            defer { close(descriptor) }
            let reader = LineReader(descriptor: descriptor)
            return try run(reader, name: path)
        }
        if let capture = Output.capture {
            let reader = LineReader(bytes: capture.standardInput)
            return try run(reader, name: "stdin")
        }
        if Output.standardInputIsTerminal {
            Output.error("reading tokens from stdin (one a line, or JSON Lines; then Ctrl-D)")
        }
        let reader = LineReader(descriptor: 0)
        return try run(reader, name: "stdin")
    }

    func run(_ reader: LineReader, name: String) throws -> Summary {
        let workers = BatchPipeline.workers
        let pipeline = BatchPipeline(BatchInput(reader, name: name), workers: workers)
        let totals = Mutex(Summary())
        BatchPipeline.onEveryCore(workers) { worker in
            // A verifier of the worker's own: the threads share no reference count.
            let batch = BatchVerify(copying: self)
            var chunk = BatchInput.Chunk()
            chunk.reserveCapacity(lines: Self.chunkLines, bytes: Self.chunkLines << 10)
            var output = ChunkOutput()
            output.records.reserveCapacity(Self.chunkLines << 10)
            // The arrays each line's payload is read into, kept from line to line.
            var storage = VerdictStorage()
            while let sequence = pipeline.next(into: &chunk, maxLines: Self.chunkLines) {
                let now = at ?? Double(TokenServerOptions.now())
                for (number, line) in chunk.lines {
                    batch.verify(
                        number: number, line: chunk.range(of: line), in: chunk.bytes, now: now, into: &output,
                        storage: &storage)
                }
                pipeline.inTurn(sequence, worker: worker) {
                    Output.write(bytes: output.records)
                    let total = totals.withLock { total in
                        total.add(output.counts)
                        return total
                    }
                    pipeline.progress.show(
                        lines: chunk.lines.last?.number ?? 0,
                        "\(total.accepted) accepted, \(total.refused) refused, \(total.failed) failed")
                }
                output.records.removeAll(keepingCapacity: true)
                output.counts = Summary()
            }
        }
        let (lines, empty, failed) = pipeline.counts
        if failed { throw ExitCode(2) }
        var summary = totals.withLock { $0 }
        summary.lines = lines
        summary.empty = empty
        pipeline.progress.clear()
        Output.error(summary.text)
        return summary
    }

    /// The records of a chunk's lines, and how many were accepted, refused or failed.
    struct ChunkOutput: Sendable {
        var records: [UInt8] = []
        var counts = Summary()
    }

    /// Appends the record of one line, `line` in `bytes` (`nil`: longer than the longest line read): the verdict as
    /// `verify --format json` prints it with `"line":N` first, or `{"line":N,"error":…}`; and a newline. The payload
    /// is read into `storage`'s arrays, given back once the record is written.
    func verify(
        number: Int, line: Range<Int>?, in bytes: [UInt8], now: Double, into output: inout ChunkOutput,
        storage: inout VerdictStorage
    ) {
        do throws(BatchLineError) {
            let request = try Self.request(line, in: bytes)
            var verdict =
                if let split = request.split {
                    // A compact token found split: verified by its split, the line's room or --room.
                    try verifier.verify(
                        split: split, in: bytes, room: roomNode(request.room), tenant: tenantNode(request.tenant),
                        now: now, storage: &storage)
                } else {
                    try verifyTyped(request, now: now, storage: &storage)
                }
            if verdict.accepted { output.counts.accepted += 1 } else { output.counts.refused += 1 }
            records.append(&verdict, line: number, to: &output.records)
            verdict.recycleClaims(into: &storage)
        } catch {
            output.counts.failed += 1
            VerdictRecordWriter.appendError(error.message, line: number, to: &output.records)
        }
        output.records.append(0x0A)
    }

    /// The token of a request not found split (bare but not compact, `Bearer …`, a join URL, or none), read as typed.
    private func verifyTyped(_ request: Request, now: Double, storage: inout VerdictStorage) throws(BatchLineError)
        -> Verdict
    {
        let typed = request.token ?? []
        var token = typed
        var input: TokenInput?
        if !TokenInput.isBareToken(typed) {
            let parsed: TokenInput
            do {
                parsed = try TokenInput.parse(String(decoding: typed, as: UTF8.self))
            } catch {
                throw BatchLineError(error.description)
            }
            input = parsed
            token = Array(parsed.token.utf8)[...]
        }
        return verifier.verify(
            compact: token.isEmpty ? nil : token, room: try roomNode(request.room ?? input?.room),
            tenant: tenantNode(request.tenant ?? input?.tenant), now: now, storage: &storage)
    }

    /// The room node of a line: the room it names, else `--room`.
    private func roomNode(_ lineRoom: String?) throws(BatchLineError) -> String {
        guard let typedRoom = lineRoom ?? room else {
            throw BatchLineError("no room: give \"room\" on the line, --room, or the token as a join URL")
        }
        return RoomName.node(typed: typedRoom)
    }

    /// The tenant node of a line: the tenant it names, else `--tenant`, if any.
    private func tenantNode(_ lineTenant: String?) -> String? {
        (lineTenant ?? tenant).map(RoomName.node(typed:))
    }

    /// What one line asks: a token as typed, in UTF-8, or `split` when it is a compact one, found split where it lies
    /// (`token` is `nil` then, and when there is no token); and the room and tenant if the line names them.
    struct Request: Equatable {
        var token: ArraySlice<UInt8>?
        var room: String?
        var tenant: String?
        var split: CompactTokenSplit?
    }

    /// A line (`line` in `bytes`) starting with `{` is a JSON object with `token` (a string, or `null` for no token)
    /// and optionally `room` and `tenant`; any other line is the token itself. `nil` is a line longer than the
    /// longest read.
    static func request(_ line: Range<Int>?, in bytes: [UInt8]) throws(BatchLineError) -> Request {
        guard let line else { throw BatchLineError("the line is longer than 1 MiB") }
        let first = skipSpace(bytes, from: line.lowerBound, to: line.upperBound)
        guard first < line.upperBound, bytes[first] == UInt8(ascii: "{") else {
            let (end, split) = CompactTokenSplit.scan(bytes, from: line.lowerBound, to: line.upperBound)
            if end == line.upperBound, let split { return Request(split: split) }
            return Request(token: bytes[line])
        }
        if first == line.lowerBound, let request = compactRequest(bytes, line: line) { return request }
        if let request = plainRequest(bytes, line: line) { return request }
        return try parsedRequest(bytes[line])
    }

    /// The request of a JSON line, by the full parser.
    static func parsedRequest(_ bytes: ArraySlice<UInt8>) throws(BatchLineError) -> Request {
        guard let value = JSONValue(parsing: String(decoding: bytes, as: UTF8.self)) else {
            throw BatchLineError("the line is not valid JSON")
        }
        guard case .object(let object) = value else { throw BatchLineError("the line is not a JSON object") }
        for key in object.keys where !fields.contains(key) {
            throw BatchLineError("unknown field \"\(key)\" (known: \(fields.joined(separator: ", ")))")
        }
        guard let token = object["token"] else { throw BatchLineError("the line has no \"token\"") }
        return Request(
            token: try string(token, "token").map { Array($0.utf8)[...] }, room: try string(object["room"], "room"),
            tenant: try string(object["tenant"], "tenant"))
    }

    private static func string(_ value: JSONValue?, _ key: String) throws(BatchLineError) -> String? {
        switch value {
        case .string(let text)?: return text
        case .null?, nil: return nil
        default: throw BatchLineError("\"\(key)\" must be a string")
        }
    }
}
