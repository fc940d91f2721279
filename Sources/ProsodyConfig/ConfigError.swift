import LuaSandbox

/// Why a config could not be loaded. Messages keep Prosody's own text, `<path>:<line>: <message>` where known.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The main file could not be read, or has no `.lua` extension (Prosody's "file" failures).
    case file(LuaText)
    /// The config failed to compile or to run (Prosody's "parser" failures), with Prosody's message.
    case parser(LuaText)
    /// The sandbox stopped the evaluation of the config at `path`.
    case limit(path: String, EvaluationStop)
    /// Rendering the loaded config would write more than `maxBytes` (a string or table shared by many options).
    case outputTooLarge(maxBytes: Int)

    public var description: String {
        switch self {
        case .file(let message), .parser(let message): message.description
        case .limit(let path, let stop): "\(path): evaluation stopped: \(stop)"
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

/// What stopped the evaluation of a config before it completed (``LoadLimits`` sets the limits).
public enum EvaluationStop: Sendable, Equatable, CustomStringConvertible {
    /// The Lua state could not be created or set up.
    case setupFailed(String)
    /// The Lua heap would have grown past the limit.
    case memoryLimit(bytes: Int)
    /// The config executed more VM instructions than allowed.
    case instructionLimit(count: Int)
    /// The evaluation was still going at the wall-clock deadline.
    case deadline(milliseconds: Int)
    /// The values the config left are larger in total (strings counted in every slot that holds them) than one
    /// copy out of Lua may be.
    case copyLimit(bytes: Int)

    /// The sandbox's own text for the limit.
    public var description: String { SandboxError(self).description }
}
