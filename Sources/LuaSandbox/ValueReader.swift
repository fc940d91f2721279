internal import CLua
internal import CLuaShims

/// Copies values off the Lua stack with operations that cannot raise (`lua_next`, `lua_type`, raw `lua_tolstring`
/// on strings only), tracking the tables on the current path to detect cycles.
///
/// The copy is bounded in total size and time: every table, table entry and string is charged against `budget`,
/// a string by its bytes in every slot that holds it (so the budget bounds the size of everything that leaves Lua,
/// and with it all later work on the values, not just the memory of this copy), and the sandbox's wall-clock
/// deadline is checked as the copy goes. When either runs out the copy stops (remaining tables read as `.deep`,
/// strings as empty) and `exhausted` says which; callers turn that into an error. A string met again soon after it
/// was copied is shared (Swift arrays are copy-on-write; ``StringsByAddress``): Lua interns its short strings, so
/// an option name repeated in every section is one array. Nothing allocates in Lua during a copy, so no address is
/// reused.
struct ValueReader {
    enum Exhaustion { case size, time }

    let L: OpaquePointer
    let state: OpaquePointer
    let maxDepth: Int
    /// The tables on the path to the value being copied, outermost first (at most `maxDepth` + 1: a linear search
    /// of a few entries costs less than hashing into a set twice per table).
    var path: [UnsafeRawPointer] = []
    /// Bytes the copy may still produce.
    var budget: Int
    /// Why the copy stopped early, if it did.
    var exhausted: Exhaustion?
    /// Charges since the deadline was last checked.
    var chargesSinceClock = 0
    /// Strings already copied, by the address of their bytes inside Lua (stable while they are reachable).
    var strings: StringsByAddress

    /// The charge for a table, a table entry, and on top of its bytes for a string: about what each takes in Swift
    /// (array storage, table entries), measured on a copy that exhausts the budget.
    static let tableCost = 64, entryCost = 64, stringCost = 48
    /// How many charges pass between two reads of the clock.
    static let clockInterval = 4096

    init(L: OpaquePointer, state: OpaquePointer, maxDepth: Int, budget: Int) {
        self.L = L
        self.state = state
        self.maxDepth = maxDepth
        self.budget = budget
        strings = StringsByAddress(heapBytes: clua_sandbox_memory_peak(state))
    }

    /// Takes `cost` from the budget; false (and `exhausted`) when it does not fit or the deadline has passed.
    private mutating func charge(_ cost: Int) -> Bool {
        if exhausted != nil { return false }
        if cost > budget {
            exhausted = .size
            return false
        }
        chargesSinceClock += 1
        if chargesSinceClock >= Self.clockInterval {
            chargesSinceClock = 0
            if clua_sandbox_deadline_passed(state) != 0 {
                exhausted = .time
                return false
            }
        }
        budget -= cost
        return true
    }
    mutating func read(at index: Int32, depth: Int = 0, into receiver: inout some LuaValueReceiver) {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: receiver.receiveNil()
        case LUA_TBOOLEAN: receiver.receive(boolean: lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 {
                receiver.receive(integer: lua_tointegerx(L, index, nil))
            } else {
                receiver.receive(number: lua_tonumberx(L, index, nil))
            }
        case LUA_TSTRING: receiver.receive(string: readString(at: index))
        case LUA_TTABLE: readTable(at: index, depth: depth, into: &receiver)
        case LUA_TFUNCTION: receiver.receive(uncopied: .function)
        case LUA_TTHREAD: receiver.receive(uncopied: .thread)
        default: receiver.receive(uncopied: .userdata)
        }
    }

    private mutating func readString(at index: Int32) -> [UInt8] {
        var length = 0
        guard let pointer = lua_tolstring(L, index, &length), charge(Self.stringCost + length) else { return [] }
        let identity = UnsafeRawPointer(pointer)
        return strings.bytes(at: identity) { Array(UnsafeRawBufferPointer(start: pointer, count: length)) }
    }

    private mutating func readTable(at index: Int32, depth: Int, into receiver: inout some LuaValueReceiver) {
        guard let identity = lua_topointer(L, index) else { return receiver.receive(uncopied: .deep) }
        if path.contains(identity) { return receiver.receive(uncopied: .cycle) }
        guard depth <= maxDepth, charge(Self.tableCost), lua_checkstack(L, 3) != 0 else {
            return receiver.receive(uncopied: .deep)
        }
        let table = lua_absindex(L, index)
        path.append(identity)
        defer { path.removeLast() }
        receiver.beginTable()
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            guard charge(Self.entryCost) else {
                lua_settop(L, -3)
                break
            }
            read(at: -2, depth: depth + 1, into: &receiver)
            read(at: -1, depth: depth + 1, into: &receiver)
            lua_settop(L, -2)
        }
        receiver.endTable()
    }
}

/// The strings a copy has made, by the address of their bytes inside Lua: a direct-mapped cache (a multiplicative
/// hash of the address picks the one slot), so that a string met again soon after, such as an option name repeated
/// in every section, is one array. A string whose slot another string took since is copied again. A complete table
/// of every string grew with the config (64 MiB of slots at 100k hosts) and, reached at random, cost a cache miss
/// per string; this one stays in the cache. Its size follows the Lua heap's (a slot per 256 bytes of its peak, from
/// 256 to 16,384 slots of 16 bytes): a small config's copy does not clear, fault in and release 256 KiB of slots.
struct StringsByAddress {
    private static let minimumSlots = 1 << 8, maximumSlots = 1 << 14
    /// The slot count less one (the count is a power of two).
    private let mask: Int
    private var addresses: [UInt]
    private var stored: [[UInt8]]

    /// A cache for copying out of a Lua heap that reached `heapBytes` at its peak.
    init(heapBytes: Int) {
        var count = Self.minimumSlots
        while count < Self.maximumSlots && count * 256 < heapBytes { count *= 2 }
        mask = count - 1
        addresses = [UInt](repeating: 0, count: count)
        stored = [[UInt8]](repeating: [], count: count)
    }

    /// The bytes copied for `address` before, if its slot still holds them, else those `make` returns, kept in
    /// the slot for the next time.
    mutating func bytes(at address: UnsafeRawPointer, make: () -> [UInt8]) -> [UInt8] {
        let key = UInt(bitPattern: address)
        let mixed = UInt64(key >> 3) &* 0x9E37_79B9_7F4A_7C15
        let slot = Int(truncatingIfNeeded: mixed >> 32) & mask
        if addresses[slot] == key { return stored[slot] }
        let bytes = make()
        addresses[slot] = key
        stored[slot] = bytes
        return bytes
    }
}
