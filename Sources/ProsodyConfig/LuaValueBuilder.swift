import LuaSandbox

/// Builds `LuaValue`s from the sandbox's copy events: the values the chunk returned, in order.
struct LuaValueBuilder: LuaValueReceiver {
    /// The top-level values received so far.
    private(set) var values: [LuaValue] = []
    /// The tables being filled, innermost last, and a key waiting for its value in each.
    private var open: [(entries: [LuaTable.Entry], key: LuaValue?)] = []

    private mutating func add(_ value: LuaValue) {
        guard !open.isEmpty else { return values.append(value) }
        let last = open.count - 1
        if let key = open[last].key {
            open[last].entries.append(LuaTable.Entry(key: key, value: value))
            open[last].key = nil
        } else {
            open[last].key = value
        }
    }

    mutating func receiveNil() { add(.nil) }
    mutating func receive(boolean: Bool) { add(.boolean(boolean)) }
    mutating func receive(integer: Int64) { add(.integer(integer)) }
    mutating func receive(number: Double) { add(.number(number)) }
    mutating func receive(string: [UInt8]) { add(.string(string)) }

    mutating func receive(uncopied: UncopiedLuaValue) {
        switch uncopied {
        case .function: add(.function)
        case .userdata: add(.userdata)
        case .thread: add(.thread)
        case .cycle: add(.cycle)
        case .deep: add(.deep)
        }
    }

    mutating func beginTable() { open.append(([], nil)) }

    mutating func endTable() {
        guard let table = open.popLast() else { return }
        add(.table(LuaTable(entries: table.entries)))
    }
}
