import LuaSandbox

/// Builds `LuaValue`s from the sandbox's copy events: the values the chunk returned, in order.
///
/// The keys and values of every open table wait on one shared stack, so that a table's entries are made once, at
/// its exact size, when it ends (appending to one array per table regrew each of them several times).
struct LuaValueBuilder: LuaValueReceiver {
    /// The top-level values received so far.
    private(set) var values: [LuaValue] = []
    /// The keys and values of the open tables, alternating, innermost table last.
    private var pending: [LuaValue] = []
    /// Where each open table's keys and values start in `pending`, innermost last.
    private var starts: [Int] = []

    private mutating func add(_ value: LuaValue) {
        if starts.isEmpty { values.append(value) } else { pending.append(value) }
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

    mutating func beginTable() { starts.append(pending.count) }

    mutating func endTable() {
        guard let start = starts.popLast() else { return }
        // A key left without its value (the copy stopped inside the table) is dropped, as before.
        if (pending.count - start) % 2 != 0 { pending.removeLast() }
        let pairs = (pending.count - start) / 2
        var entries: [LuaTable.Entry] = []
        entries.reserveCapacity(pairs)
        // Taken off the end, which moves each value instead of copying it (no retain and release per string or
        // table), then put back in order.
        for _ in 0..<pairs {
            let value = pending.removeLast()
            let key = pending.removeLast()
            entries.append(LuaTable.Entry(key: key, value: value))
        }
        entries.reverse()
        add(.table(LuaTable(entries: entries)))
    }
}
