/// What the sandbox hands a value copied out of Lua to: one event per value, in order, so that the receiver builds
/// its own representation. A table is `beginTable()`, then its entries as alternating key and value events (in
/// `lua_next` order), then `endTable()`.
public protocol LuaValueReceiver {
    mutating func receiveNil()
    mutating func receive(boolean: Bool)
    mutating func receive(integer: Int64)
    mutating func receive(number: Double)
    /// The raw bytes of a Lua string (not necessarily UTF-8). Every slot that holds the same Lua string receives
    /// the same array (shared storage), within one copy.
    mutating func receive(string: [UInt8])
    /// A value whose contents are not copied.
    mutating func receive(uncopied: UncopiedLuaValue)
    mutating func beginTable()
    mutating func endTable()
}

/// A value the copy describes without its contents.
public enum UncopiedLuaValue: Sendable, Hashable {
    case function
    case userdata
    case thread
    /// A table met again while copying one of its own elements.
    case cycle
    /// A table nested deeper than the copy's depth limit (or left when the copy ran out of budget).
    case deep
}
