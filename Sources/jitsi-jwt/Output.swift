import ArgumentParser
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

    static func write(_ text: String) {
        write(bytes: Array(text.utf8))
    }

    /// Writes bytes to stdout exactly.
    static func write(bytes: [UInt8]) {
        if let capture {
            capture.standardOutput.withLock { $0 += bytes }
        } else {
            writeAll(1, bytes)
        }
    }

    static func error(_ text: String) {
        error(rawBytes: Array((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Writes bytes exactly (Prosody's messages may hold non-UTF-8 names) and a newline to stderr.
    static func error(bytes: [UInt8]) {
        error(rawBytes: bytes + [0x0A])
    }

    /// Writes `text` to stderr as is (no newline): progress lines that `\r` rewrites.
    static func error(rawProgress text: String) {
        error(rawBytes: Array(text.utf8))
    }

    private static func error(rawBytes: [UInt8]) {
        if let capture {
            capture.standardError.withLock { $0 += rawBytes }
        } else {
            writeAll(2, rawBytes)
        }
    }

    /// Whether stderr is a terminal (never while captured): progress lines are only for people.
    static var standardErrorIsTerminal: Bool {
        capture == nil && isatty(2) == 1
    }

    /// Whether stdin is a terminal (never while captured).
    static var standardInputIsTerminal: Bool {
        capture == nil && isatty(0) == 1
    }

    private static func writeAll(_ descriptor: Int32, _ data: [UInt8]) {
        var bytes = data[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
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
