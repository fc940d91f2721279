/// A Swift function that sandboxed Lua code can call. It receives the arguments (scalars as they are, anything
/// else as `.other`) and returns at most four results (nil, booleans, integers or strings; anything else is
/// pushed as nil), or a message that is raised as a Lua error once the call has returned to C.
public typealias HostFunction = ([HostValue]) -> Result<[HostValue], HostFunctionError>

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
