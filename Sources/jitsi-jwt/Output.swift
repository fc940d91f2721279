import ArgumentParser
import JitsiToken
import ProsodyConfig
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Writing to stdout and stderr, and the exit codes.
///
/// Everything the commands print goes through here, so tests can run a command in-process and collect its output
/// with ``capturing(standardInput:_:)`` instead of the process's descriptors.
enum Output {
    /// Where output goes while a test captures it; `nil` means the real stdout and stderr.
    @TaskLocal static var capture: Capture?

    /// Collected stdout and stderr bytes, and the bytes a command reads as stdin.
    final class Capture: Sendable {
        let standardOutput = Mutex<[UInt8]>([])
        let standardError = Mutex<[UInt8]>([])
        let standardInput: [UInt8]

        init(standardInput: [UInt8] = []) {
            self.standardInput = standardInput
        }

        var stdout: String { standardOutput.withLock { String(decoding: $0, as: UTF8.self) } }
        var stderr: String { standardError.withLock { String(decoding: $0, as: UTF8.self) } }
    }

    /// Runs `body` with stdout and stderr collected in a ``Capture`` and `standardInput` as stdin.
    static func capturing<Result>(
        standardInput: [UInt8] = [], _ body: () throws -> Result
    ) rethrows -> (result: Result, capture: Capture) {
        let capture = Capture(standardInput: standardInput)
        let result = try $capture.withValue(capture) { try body() }
        return (result, capture)
    }

    /// Writes `text` to stdout exactly: data for programs (JSON, `--format env`, tokens).
    static func write(_ text: String) {
        write(bytes: Array(text.utf8))
    }

    /// Writes bytes to stdout exactly.
    static func write(bytes: [UInt8]) {
        if let capture {
            capture.standardOutput.withLock { $0 += bytes }
        } else if let failure = writeAll(1, bytes) {
            exitAfterWriteError(failure)
        }
    }

    /// Writes text for people (tables, verdicts, audit findings) to stdout, with every control byte shown as an
    /// escape (``TerminalText``) and the line feeds that end its lines kept.
    static func writeText(_ text: String) {
        write(bytes: TerminalText.escaped(bytes: text.utf8, .lines))
    }

    /// Writes one message and a newline to stderr. Every control byte in it, line feeds included, is shown as an
    /// escape, so a name or a config's error text cannot clear the terminal or fake a second message.
    static func error(_ message: String) {
        let text = message.hasSuffix("\n") ? Substring(message.dropLast()) : Substring(message)
        error(rawBytes: TerminalText.escaped(bytes: text.utf8, .line) + [0x0A])
    }

    /// Reports why minting was refused: `refused: …`, then each of the server's hints as a `hint: …` line, every
    /// line escaped as ``error(_:)`` does.
    static func refusal(_ error: any Error) {
        guard let refusal = error as? MintRefusal else { return Output.error("refused: \(error)") }
        Output.error("refused: \(refusal.summary)")
        for hint in refusal.hints { Output.error("hint: \(hint)") }
    }

    /// Writes a multi-line text laid out by the program (usage messages) to stderr: control bytes escaped, its line
    /// feeds kept, a newline added when missing.
    static func error(lines text: String) {
        let terminated = text.hasSuffix("\n") ? text : text + "\n"
        error(rawBytes: TerminalText.escaped(bytes: terminated.utf8, .lines))
    }

    /// Writes a message given as bytes (Prosody's messages may hold non-UTF-8 names) and a newline to stderr,
    /// escaped as ``error(_:)`` does.
    static func error(bytes: [UInt8]) {
        error(rawBytes: TerminalText.escaped(bytes: bytes, .line) + [0x0A])
    }

    /// Writes `text` to stderr as is (no newline): the program's own progress lines that `\r` rewrites.
    static func error(rawProgress text: String) {
        error(rawBytes: Array(text.utf8))
    }

    private static func error(rawBytes: [UInt8]) {
        if let capture {
            capture.standardError.withLock { $0 += rawBytes }
        } else {
            // Nowhere is left to report a failed write to stderr; stdout's failures are what scripts see.
            _ = writeAll(2, rawBytes)
        }
    }

    /// The exit status when the output cannot be written (`EX_IOERR`): a full disk, a closed pipe with SIGPIPE
    /// ignored, a descriptor that is not open.
    static let writeErrorStatus: Int32 = 74

    /// Reports a failed write to stdout on stderr and ends the process with ``writeErrorStatus``, so that a batch
    /// stops at the first `EPIPE` and a script never takes a cut-off output for a complete one.
    private static func exitAfterWriteError(_ code: Int32) -> Never {
        error("jitsi-jwt: cannot write to stdout: \(SystemCalls.errorText(code))")
        Glibc.exit(writeErrorStatus)
    }

    /// Whether stderr is a terminal (never while captured): progress lines are only for people.
    static var standardErrorIsTerminal: Bool {
        capture == nil && isatty(2) == 1
    }

    /// Whether stdin is a terminal (never while captured).
    static var standardInputIsTerminal: Bool {
        capture == nil && isatty(0) == 1
    }

    /// Writes all of `data`; the `errno` of the first failed write, or `nil`.
    private static func writeAll(_ descriptor: Int32, _ data: [UInt8]) -> Int32? {
        SystemCalls.writeAll(descriptor, data)
    }

    /// Loads the config, or prints Prosody's message to stderr and exits with status 1.
    static func loadOrExit(_ options: ConfigOptions, _ path: String?) throws -> ProsodyConfiguration {
        do {
            let config = try options.load(path)
            for line in config.printed { error("config printed: \(line)") }
            return config
        } catch {
            self.error(bytes: error.messageBytes)
            ConfigGuidance.print(ConfigGuidance.loadHints(path: ConfigOptions.resolvePath(path)))
            throw ExitCode(1)
        }
    }
}
