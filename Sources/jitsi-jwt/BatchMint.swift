import ArgumentParser
import Dispatch
import JitsiToken

#if canImport(Glibc)
import Glibc
#endif

/// `mint --batch`: one token per JSON line, streamed in bounded chunks, signed on every core, written in input order.
///
/// Memory stays flat whatever the input length: at most ``chunkLines`` lines (and about ``chunkBytes`` bytes of
/// them) are held at a time, with their output records.
struct BatchMint {
    let minter: Minter
    /// The command-line options, which every line starts from.
    let defaults: MintRequest
    /// Printed once, before any line.
    let deploymentWarnings: [MintWarning]

    static let chunkLines = 4096
    static let chunkBytes = 8 << 20
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
                var reader = LineReader(bytes: capture.standardInput)
                return try run(&reader, name: "stdin")
            }
            if Output.standardInputIsTerminal {
                Output.error("reading JSON Lines from stdin (one request per line, then Ctrl-D)")
            }
            var reader = LineReader(descriptor: 0)
            return try run(&reader, name: "stdin")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            Output.error("\(path): \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
        defer { close(descriptor) }
        var reader = LineReader(descriptor: descriptor)
        return try run(&reader, name: path)
    }

    func run(_ reader: inout LineReader, name: String) throws -> Summary {
        var summary = Summary()
        var warned = Set(deploymentWarnings.map(\.identity))
        for warning in deploymentWarnings { Output.error("warning: \(warning)") }
        let progress = Output.standardErrorIsTerminal
        var chunk: [(number: Int, line: LineReader.Line)] = []
        chunk.reserveCapacity(Self.chunkLines)
        var finished = false
        while !finished {
            chunk.removeAll(keepingCapacity: true)
            var bytes = 0
            while chunk.count < Self.chunkLines, bytes < Self.chunkBytes {
                let next: LineReader.Line?
                do {
                    next = try reader.next()
                } catch {
                    if progress { Output.error(rawProgress: "\r\u{1B}[K") }
                    Output.error("\(name): \(error)")
                    throw ExitCode(2)
                }
                guard var line = next else {
                    finished = true
                    break
                }
                summary.lines += 1
                // A byte order mark, as some Windows tools write at the start of a file.
                if summary.lines == 1, case .text(let text) = line, text.starts(with: [0xEF, 0xBB, 0xBF]) {
                    line = .text(Array(text.dropFirst(3)))
                }
                if case .text(let text) = line {
                    if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                        summary.empty += 1
                        continue
                    }
                    bytes += text.count
                }
                chunk.append((summary.lines, line))
            }
            guard !chunk.isEmpty else { continue }
            let results = process(chunk, now: TokenServerOptions.now())
            var output: [UInt8] = []
            output.reserveCapacity(results.reduce(0) { $0 + $1.record.count })
            for result in results {
                output += result.record
                if result.failed { summary.failed += 1 } else { summary.minted += 1 }
            }
            Output.write(bytes: output)
            for result in results {
                for warning in result.warnings where warned.insert(warning.identity).inserted {
                    if progress { Output.error(rawProgress: "\r\u{1B}[K") }
                    Output.error("warning: \(warning) (first on line \(result.number))")
                }
            }
            if progress {
                Output.error(
                    rawProgress: "\rjitsi-jwt: \(summary.lines) lines, \(summary.minted) minted, "
                        + "\(summary.failed) failed")
            }
        }
        if progress { Output.error(rawProgress: "\r\u{1B}[K") }
        Output.error(summary.text)
        return summary
    }

    /// The output of one line.
    struct LineResult: Sendable {
        var number = 0
        var record: [UInt8] = []
        var failed = false
        var warnings: [MintWarning] = []
    }

    /// Mints the lines of `chunk` on every core; the results are in the chunk's order.
    func process(_ chunk: [(number: Int, line: LineReader.Line)], now: Int64) -> [LineResult] {
        let slots = Slots(count: chunk.count)
        let slices = (chunk.count + Self.sliceLines - 1) / Self.sliceLines
        let work: @Sendable (Int) -> Void = { slice in
            var buffer: [UInt8] = []
            let range = slice * Self.sliceLines..<min(chunk.count, (slice + 1) * Self.sliceLines)
            for index in range {
                let (number, line) = chunk[index]
                slots.store(index, self.result(number: number, line: line, now: now, buffer: &buffer))
            }
        }
        if slices == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: slices, execute: work)
        }
        return slots.take()
    }

    /// The record for one line: `{"line":N,"token":…,"url":…}` or `{"line":N,"error":…}`, and a newline.
    func result(number: Int, line: LineReader.Line, now: Int64, buffer: inout [UInt8]) -> LineResult {
        var result = LineResult(number: number)
        let prefix = "{\"line\":\(number),"
        let request: MintRequest
        do throws(BatchLineError) {
            guard case .text(let text) = line else {
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
        return result
    }
}

/// One result slot per line of a chunk, each written by exactly one worker of `concurrentPerform`.
///
/// The slots live in memory allocated once, so workers writing disjoint indices never touch shared state (an array
/// property would be read and written back whole by each access); `concurrentPerform` returning orders every write
/// before ``take()``.
private final class Slots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<BatchMint.LineResult>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: BatchMint.LineResult())
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    /// Stores `result` at `index`; each index is written by one worker only.
    func store(_ index: Int, _ result: BatchMint.LineResult) {
        slots[index] = result
    }

    /// The results in order, once every worker is done.
    func take() -> [BatchMint.LineResult] { Array(slots) }
}
