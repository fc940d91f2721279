import ArgumentParser
import JitsiToken
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `mint --batch`: one token per JSON line, streamed in bounded chunks, signed on every core (``BatchPipeline``),
/// written in input order.
///
/// Memory stays flat whatever the input length: each worker holds one chunk of lines at a time, with its records.
struct BatchMint {
    let minter: Minter
    /// The command-line options, which every line starts from.
    let defaults: MintRequest
    /// Printed once, before any line.
    let deploymentWarnings: [MintWarning]
    /// What the command line gives every line on the fast path, or `nil` when every line takes the full path.
    let fastOptions: BatchFastOptions?
    /// The shapes minted the full way so far, shared by the chunks.
    let shapeCache = BatchShapeCache()

    /// Whether lines of the common shapes are minted from their bytes (``BatchFastWriter``); tests turn it off to
    /// compare with the full path.
    @TaskLocal static var usesFastPath = true

    init(minter: Minter, defaults: MintRequest, deploymentWarnings: [MintWarning]) {
        self.minter = minter
        self.defaults = defaults
        self.deploymentWarnings = deploymentWarnings
        fastOptions = Self.usesFastPath ? BatchFastOptions(defaults: defaults) : nil
    }

    /// Lines per chunk, each read, minted and written by one worker (``BatchPipeline``).
    static let chunkLines = 512

    /// What a batch did, also printed as the last line on stderr.
    struct Summary: Equatable {
        var lines = 0
        var minted = 0
        var failed = 0
        var empty = 0

        var text: String {
            "jitsi-jwt: \(lines) lines: \(minted) minted, \(failed) failed, \(empty) empty skipped"
        }
    }

    /// Reads `path` (`-` for stdin), writes the records to stdout and the warnings and summary to stderr.
    /// - Throws: `ExitCode(2)` when the input cannot be opened or read.
    func run(path: String) throws -> Summary {
        if path == "-" {
            if let capture = Output.capture {
                let reader = LineReader(bytes: capture.standardInput)
                return try run(reader, name: "stdin")
            }
            if Output.standardInputIsTerminal {
                Output.error("reading JSON Lines from stdin (one request per line, then Ctrl-D)")
            }
            let reader = LineReader(descriptor: 0)
            return try run(reader, name: "stdin")
        }
        let descriptor = SystemCalls.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            Output.error("\(path): \(SystemCalls.errorText(-descriptor))")
            throw ExitCode(2)
        }
        defer { close(descriptor) }
        let reader = LineReader(descriptor: descriptor)
        return try run(reader, name: path)
    }

    func run(_ reader: LineReader, name: String) throws -> Summary {
        for warning in deploymentWarnings { Output.error("warning: \(warning)") }
        let workers = BatchPipeline.workers
        let pipeline = BatchPipeline(BatchInput(reader, name: name), workers: workers)
        // The counts so far, and the warnings printed (each once, where it first appears).
        let totals = Mutex((summary: Summary(), warned: Set(deploymentWarnings.map(\.identity))))
        BatchPipeline.onEveryCore(workers) { worker in
            var chunk = BatchInput.Chunk()
            chunk.reserveCapacity(lines: Self.chunkLines, bytes: Self.chunkLines << 10)
            var output = ChunkOutput()
            output.records.reserveCapacity(Self.chunkLines << 10)
            while let sequence = pipeline.next(into: &chunk, maxLines: Self.chunkLines) {
                mint(chunk, now: TokenServerOptions.now(), into: &output)
                pipeline.inTurn(sequence, worker: worker) {
                    Output.write(bytes: output.records)
                    let summary = totals.withLock { totals in
                        totals.summary.minted += output.minted
                        totals.summary.failed += output.failed
                        for (number, warning) in output.warnings where totals.warned.insert(warning.identity).inserted {
                            pipeline.progress.clear()
                            Output.error("warning: \(warning) (first on line \(number))")
                        }
                        return totals.summary
                    }
                    pipeline.progress.show(
                        lines: chunk.lines.last?.number ?? 0, "\(summary.minted) minted, \(summary.failed) failed")
                }
                output.records.removeAll(keepingCapacity: true)
                output.minted = 0
                output.failed = 0
                output.warnings.removeAll(keepingCapacity: true)
            }
        }
        let (lines, empty, failed) = pipeline.counts
        if failed { throw ExitCode(2) }
        var summary = totals.withLock { $0.summary }
        summary.lines = lines
        summary.empty = empty
        pipeline.progress.clear()
        Output.error(summary.text)
        return summary
    }

    /// The output of one line on the full path.
    struct LineResult: Sendable {
        var number = 0
        var record: [UInt8] = []
        var failed = false
        var warnings: [MintWarning] = []
        /// The claims of a minted token.
        var claims: Claims?
    }

    /// The output of one chunk: its records, in order, in one buffer.
    struct ChunkOutput: Sendable {
        var records: [UInt8] = []
        var minted = 0
        var failed = 0
        /// Each warning with the line it first appears on in this chunk.
        var warnings: [(number: Int, warning: MintWarning)] = []
    }

    /// Appends the records of the lines of `chunk` to `output`'s one buffer. A line of a common shape
    /// (``BatchLineScanner``) is written from its bytes once the first line of its shape has been minted and
    /// verified the full way, in this chunk or in another one at the same clock second (``BatchShapeCache``).
    func mint(_ chunk: BatchInput.Chunk, now: Int64, into output: inout ChunkOutput) {
        var buffer: [UInt8] = []
        let lines = chunk.lines
        // The line being read, copied out of the chunk into one array (its capacity kept).
        var text: [UInt8] = []
        guard let options = fastOptions else {
            for (number, line) in lines {
                let fits = chunk.copy(line, into: &text)
                mintFull(number: number, line: fits ? text : nil, now: now, buffer: &buffer, into: &output)
            }
            return
        }
        let writer = BatchFastWriter(options: options, signer: minter.signer)
        var fields = BatchLineFields()
        /// This chunk's shapes, so that the shared cache is asked once per shape: what a shape's lines are written
        /// from, or `nil` when they take the full path.
        var shapes: [BatchShape: WrittenShape?] = [:]
        func written(_ bytes: BatchShapeBytes?) -> WrittenShape? {
            bytes.map { WrittenShape(bytes: $0, start: writer.signer.tokenStart(payloadPrefix: $0.payloadStart)) }
        }
        /// Whether `fields` holds the fields of the line at `index` already (read by the run it ended), and `text`
        /// its bytes.
        var scanned = false
        var index = lines.startIndex
        while index < lines.endIndex {
            let (number, line) = lines[index]
            index += 1
            let fits = scanned || chunk.copy(line, into: &text)
            guard fits, scanned || (BatchLineScanner(text).scan(into: &fields) && writer.canWrite(fields))
            else {
                mintFull(number: number, line: fits ? text : nil, now: now, buffer: &buffer, into: &output)
                continue
            }
            scanned = false
            let shape = writer.shape(of: fields, line: text)
            if shapes[shape] == nil, let shared = shapeCache.entry(for: shape, now: now) {
                // The first line of this shape in this chunk: written from bytes, its warnings are the shape's (on
                // the full path it gives them itself).
                if shared.bytes != nil {
                    for warning in shared.warnings { output.warnings.append((number, warning)) }
                }
                shapes[shape] = .some(written(shared.bytes))
            }
            guard case .some(.some(let shapeWritten)) = shapes[shape] else {
                let known = shapes[shape] != nil
                let result = mintFull(number: number, line: text, now: now, buffer: &buffer, into: &output)
                if !known {
                    let bytes = result.failed
                        ? nil : result.claims.flatMap {
                            BatchShapeBytes(claims: $0, shape: shape, options: options, minter: minter)
                        }
                    let entry = BatchShapeCache.Entry(bytes: bytes, warnings: result.warnings)
                    shapes[shape] = .some(written(entry.bytes))
                    shapeCache.store(entry, for: shape, now: now)
                }
                continue
            }
            // This line and the run of lines of its shape after it (runs are the rule), written from the shape's
            // bytes taken once for the run.
            let bytes = shapeWritten.bytes
            let start = shapeWritten.start
            writer.appendRecord(
                number: number, line: text, fields: fields, shape: shape, bytes: bytes, start: start,
                to: &output.records)
            output.minted += 1
            while index < lines.endIndex, chunk.copy(lines[index].line, into: &text) {
                // A line that is not fast is read again by the outer loop, which sends it to the full path.
                guard BatchLineScanner(text).scan(into: &fields), writer.canWrite(fields) else { break }
                guard writer.shape(of: fields, line: text) == shape else {
                    scanned = true
                    break
                }
                writer.appendRecord(
                    number: lines[index].number, line: text, fields: fields, shape: shape, bytes: bytes, start: start,
                    to: &output.records)
                output.minted += 1
                index += 1
            }
        }
    }

    /// Appends the record of one line minted the full way to `output`, with its warnings; returns its result.
    @discardableResult
    private func mintFull(
        number: Int, line: [UInt8]?, now: Int64, buffer: inout [UInt8], into output: inout ChunkOutput
    ) -> LineResult {
        let result = self.result(number: number, line: line, now: now, buffer: &buffer)
        output.records += result.record
        if result.failed { output.failed += 1 } else { output.minted += 1 }
        for warning in result.warnings { output.warnings.append((number, warning)) }
        return result
    }

    /// The record for one line (`nil`: longer than the longest line read): `{"line":N,"token":…,"url":…}` or
    /// `{"line":N,"error":…}`, and a newline.
    func result(number: Int, line: [UInt8]?, now: Int64, buffer: inout [UInt8]) -> LineResult {
        var result = LineResult(number: number)
        let prefix = "{\"line\":\(number),"
        let request: MintRequest
        do throws(BatchLineError) {
            guard let text = line else {
                throw BatchLineError("the line is longer than 1 MiB")
            }
            request = try BatchRequest.parse(text, defaults: defaults)
        } catch {
            result.failed = true
            result.record = Array((prefix + "\"error\":" + JSONValue.string(error.message).jsonText + "}\n").utf8)
            return result
        }
        let claims: (claims: Claims, warnings: [MintWarning])
        do {
            claims = try makeClaims(
                for: request, rules: minter.rules, now: now, signingKey: minter.signingKey,
                signingAlgorithm: minter.signingAlgorithm)
        } catch {
            result.failed = true
            result.record = Array(
                (prefix + "\"error\":" + JSONValue.string(error.description).jsonText + "}\n").utf8)
            return result
        }
        minter.signer.sign(claims.claims, into: &buffer)
        let token = String(decoding: buffer, as: UTF8.self)
        do {
            try verifyMinted(token, claims: claims.claims, request: request, rules: minter.rules, now: now)
        } catch {
            result.failed = true
            result.record = Array(
                (prefix + "\"error\":" + JSONValue.string(error.description).jsonText + "}\n").utf8)
            return result
        }
        let url = minter.joinURL(token: token, tenant: request.tenant, room: claims.claims.room)
        var record = Array(prefix.utf8)
        record.reserveCapacity(prefix.utf8.count + 2 * buffer.count + 64)
        record += "\"token\":\"".utf8
        record += buffer
        record += "\",\"url\":".utf8
        record += (url.map { JSONValue.string($0).jsonText } ?? "null").utf8
        record += "}\n".utf8
        result.record = record
        result.warnings = claims.warnings
        result.claims = claims.claims
        return result
    }
}

/// What a chunk writes a shape's lines from: the shape's bytes and its token start
/// (``TokenSigner/tokenStart(payloadPrefix:)``), made in the chunk. A class, so that taking the last shape's for a
/// line is a reference, not a copy of the key's hash states.
final class WrittenShape {
    let bytes: BatchShapeBytes
    let start: TokenStart

    init(bytes: BatchShapeBytes, start: TokenStart) {
        self.bytes = bytes
        self.start = start
    }
}
