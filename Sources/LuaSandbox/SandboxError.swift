/// Why a sandboxed evaluation did not complete.
public enum SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The Lua state could not be created or set up.
    case setupFailed(String)
    /// The Lua heap would have grown past the limit.
    case memoryLimit(bytes: Int)
    /// The run executed more VM instructions than allowed.
    case instructionLimit(count: Int)
    /// The run was still going at the wall-clock deadline.
    case deadline(milliseconds: Int)
    /// The values the run returned are larger in total (strings counted in every slot that holds them) than one
    /// copy out of Lua may be.
    case copyLimit(bytes: Int)
    /// A Lua syntax or runtime error, with Lua's own message (`chunk:line: message`) as its exact bytes.
    case lua([UInt8])

    public var description: String {
        switch self {
        case .setupFailed(let why): "cannot set up the Lua sandbox: \(why)"
        case .memoryLimit(let bytes): "memory limit exceeded (the sandbox allows \(Self.format(bytes: bytes)))"
        case .instructionLimit(let count): "instruction limit exceeded (the sandbox allows \(count) instructions)"
        case .deadline(let milliseconds): "time limit exceeded (the sandbox allows \(Double(milliseconds) / 1000) s)"
        case .copyLimit(let bytes):
            "the values left by the config are too large to copy out of Lua (more than \(Self.format(bytes: bytes)) in total)"
        case .lua(let message): String(decoding: message, as: UTF8.self)
        }
    }

    private static func format(bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
