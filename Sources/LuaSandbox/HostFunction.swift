/// A Swift function that sandboxed Lua code can call. It receives the arguments (copied with raw reads) and
/// returns at most four results (nil, booleans, integers or strings), or a message that is raised as a Lua error
/// once the call has returned to C.
public typealias HostFunction = ([LuaValue]) -> Result<[LuaValue], HostFunctionError>

/// The message a host function raises in Lua (prefixed with the caller's position).
public struct HostFunctionError: Error, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
