import ArgumentParser
import Dispatch
import JitsiToken
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `mint --batch`: one token per JSON line, streamed in bounded chunks, signed on every core, written in input order.
///
/// Memory stays flat whatever the input length: one ``BatchInput`` chunk of lines is held at a time, with its output
/// records.
struct BatchMint {
    let minter: Minter
    /// The command-line options, which every line starts from.
    let defaults: MintRequest
    /// Printed once, before any line.
    let deploymentWarnings: [MintWarning]
    /// What the command line gives every line on the fast path, or `nil` when every line takes the full path.
    let fastOptions: BatchFastOptions?
    /// The shapes minted the full way so far, shared by the slices.
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

    /// Lines per unit of parallel work within a chunk.
    static let sliceLines = 256

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
        var summary = Summary()
        var warned = Set(deploymentWarnings.map(\.identity))
        for warning in deploymentWarnings { Output.error("warning: \(warning)") }
        var input = BatchInput(reader, name: name)
        var chunk = BatchInput.Chunk()
        chunk.reserveCapacity(lines: BatchInput.maxLines, bytes: BatchInput.maxBytes + (1 << 20))
        // The slices' output buffers, kept from chunk to chunk (fresh ones would be fresh pages every time).
        var spareBuffers: [[UInt8]] = []
        while !input.finished {
            try input.next(into: &chunk)
            summary.lines = input.lines
            summary.empty = input.empty
            guard !chunk.isEmpty else { continue }
            var slices = process(chunk, now: TokenServerOptions.now(), buffers: &spareBuffers)
            for index in slices.indices {
                var records: [UInt8] = []
                swap(&records, &slices[index].records)
                Output.write(bytes: records)
                records.removeAll(keepingCapacity: true)
                spareBuffers.append(records)
                let slice = slices[index]
                summary.minted += slice.minted
                summary.failed += slice.failed
                for (number, warning) in slice.warnings where warned.insert(warning.identity).inserted {
                    input.clearProgress()
                    Output.error("warning: \(warning) (first on line \(number))")
                }
            }
            input.showProgress("\(summary.minted) minted, \(summary.failed) failed")
        }
        input.clearProgress()
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

    /// The output of one slice of a chunk: its records, in order, in one buffer.
    struct SliceOutput: Sendable {
        var records: [UInt8] = []
        var minted = 0
        var failed = 0
        /// Each warning with the line it first appears on in this slice.
        var warnings: [(number: Int, warning: MintWarning)] = []
    }

    /// Mints the lines of `chunk` on every core; the slices are in the chunk's order.
    /// The slices write into `buffers` (emptied buffers of earlier chunks, taken out of the array) while there are
    /// any.
    func process(_ chunk: BatchInput.Chunk, now: Int64, buffers: inout [[UInt8]]) -> [SliceOutput] {
        let slices = (chunk.count + Self.sliceLines - 1) / Self.sliceLines
        var initial: [SliceOutput] = []
        for _ in 0..<slices { initial.append(SliceOutput(records: buffers.popLast() ?? [])) }
        buffers.removeAll(keepingCapacity: true)
        let outputs = Mutex(consume initial)
        let work: @Sendable (Int) -> Void = { slice in
            let range = slice * Self.sliceLines..<min(chunk.count, (slice + 1) * Self.sliceLines)
            var output = SliceOutput()
            // Swapped in and out, so that each buffer has one owner and grows in place.
            outputs.withLock { swap(&output.records, &$0[slice].records) }
            self.mint(range, of: chunk, now: now, into: &output)
            outputs.withLock { swap(&$0[slice], &output) }
        }
        if slices == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: slices, execute: work)
        }
        return outputs.withLock { outputs in
            var taken: [SliceOutput] = []
            swap(&taken, &outputs)
            return taken
        }
    }

    /// Appends the records of the lines of `chunk` at `range` to `output`'s one buffer. A line of a common shape
    /// (``BatchLineScanner``) is written from its bytes once the first line of its shape has been minted and
    /// verified the full way, in this slice or in another one at the same clock second (``BatchShapeCache``).
    func mint(_ range: Range<Int>, of chunk: BatchInput.Chunk, now: Int64, into output: inout SliceOutput) {
        output.records.reserveCapacity(range.count * 1024)
        var buffer: [UInt8] = []
        let lines = chunk.lines[range]
        // The line being read, copied out of the chunk into one array of the slice's own (its capacity kept).
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
        /// This slice's shapes, so that the shared cache is asked once per shape: what a shape's lines are written
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
                // The first line of this shape in this slice: written from bytes, its warnings are the shape's (on
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
        number: Int, line: [UInt8]?, now: Int64, buffer: inout [UInt8], into output: inout SliceOutput
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

/// What a slice writes a shape's lines from: the shape's bytes and its token start
/// (``TokenSigner/tokenStart(payloadPrefix:)``), made in the slice. A class, so that taking the last shape's for a
/// line is a reference, not a copy of the key's hash states.
final class WrittenShape {
    let bytes: BatchShapeBytes
    let start: TokenStart

    init(bytes: BatchShapeBytes, start: TokenStart) {
        self.bytes = bytes
        self.start = start
    }
}
