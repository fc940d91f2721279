import ArgumentParser
import ProsodyConfig

#if canImport(Glibc)
import Glibc
#endif

/// Writing to stdout and stderr, and the exit codes.
enum Output {
    static func write(_ text: String) {
        writeAll(1, text)
    }

    static func error(_ text: String) {
        writeAll(2, text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Writes bytes exactly (Prosody's messages may hold non-UTF-8 names) and a newline to stderr.
    static func error(bytes: [UInt8]) {
        writeAll(2, bytes + [0x0A])
    }

    private static func writeAll(_ descriptor: Int32, _ text: String) {
        writeAll(descriptor, Array(text.utf8))
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
            throw ExitCode(1)
        }
    }
}
