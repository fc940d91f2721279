/// A Swift function that sandboxed Lua code can call. It receives the arguments (scalars as they are, anything
/// else as `.other`) and returns at most four results (nil, booleans, integers or strings; anything else is
/// pushed as nil), or a message that is raised as a Lua error once the call has returned to C.
public typealias HostFunction = ([HostValue]) -> HostResult

/// What a host function returns: its results, or the message to raise.
///
/// Not `Result`: the metadata of a generic type is made at run time, and `Result`'s `Failure: Error` requirement is
/// checked by scanning every protocol-conformance record of the binary, 0.2M instructions at each config load.
public enum HostResult: Sendable {
    case success([HostValue])
    case failure(HostFunctionError)
}

/// A value passed between Lua and a host function.
public enum HostValue: Sendable, Hashable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    /// The raw bytes of a Lua string.
    case string([UInt8])
    /// A table, function, userdata or thread (not passed across).
    case other
}

/// The message a host function raises in Lua (prefixed with the caller's position).
public struct HostFunctionError: Error, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
