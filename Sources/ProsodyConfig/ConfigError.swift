public import LuaSandbox

/// Why a config could not be loaded. Messages keep Prosody's own text, `<path>:<line>: <message>` where known.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The main file could not be read, or has no `.lua` extension (Prosody's "file" failures).
    case file(LuaText)
    /// The config failed to compile or to run (Prosody's "parser" failures), with Prosody's message.
    case parser(LuaText)
    /// The sandbox stopped the evaluation of the config at `path`.
    case limit(path: String, SandboxError)
    /// Rendering the loaded config would write more than `maxBytes` (a string or table shared by many options).
    case outputTooLarge(maxBytes: Int)

    public var description: String {
        switch self {
        case .file(let message), .parser(let message): message.description
        case .limit(let path, let error): "\(path): evaluation stopped: \(error)"
        case .outputTooLarge(let maxBytes):
            "the output would be larger than \(maxBytes >> 20) MiB (a value repeated in many places?); "
                + "raise it with --max-output"
        }
    }

    /// The message's exact bytes (Prosody's messages may quote non-UTF-8 names byte for byte).
    public var messageBytes: [UInt8] {
        switch self {
        case .file(let message), .parser(let message): message.bytes
        case .limit, .outputTooLarge: Array(description.utf8)
        }
    }
}
