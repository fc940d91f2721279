import LuaSandbox

/// A value as the sandbox's copy events describe it, rebuilt as a tree so that tests compare whole results.
indirect enum CopiedValue: Hashable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string([UInt8])
    case table([Entry])
    case uncopied(UncopiedLuaValue)

    struct Entry: Hashable {
        var key: CopiedValue
        var value: CopiedValue
    }

    static func text(_ text: String) -> CopiedValue { .string(Array(text.utf8)) }
}

/// Collects the copy events of one run into `CopiedValue`s.
struct CopiedValues: LuaValueReceiver {
    private(set) var values: [CopiedValue] = []
    private var open: [(entries: [CopiedValue.Entry], key: CopiedValue?)] = []

    private mutating func add(_ value: CopiedValue) {
        guard var table = open.popLast() else { return values.append(value) }
        if let key = table.key {
            table.entries.append(.init(key: key, value: value))
            table.key = nil
        } else {
            table.key = value
        }
        open.append(table)
    }

    mutating func receiveNil() { add(.nil) }
    mutating func receive(boolean: Bool) { add(.boolean(boolean)) }
    mutating func receive(integer: Int64) { add(.integer(integer)) }
    mutating func receive(number: Double) { add(.number(number)) }
    mutating func receive(string: [UInt8]) { add(.string(string)) }
    mutating func receive(uncopied: UncopiedLuaValue) { add(.uncopied(uncopied)) }
    mutating func beginTable() { open.append(([], nil)) }

    mutating func endTable() {
        if let table = open.popLast() { add(.table(table.entries)) }
    }
}

extension Sandbox {
    /// Runs `chunk` and returns its results as trees.
    func values(
        chunk: String, chunkName: String, hostFunctions: [(name: String, function: HostFunction)] = []
    ) throws(SandboxError) -> [CopiedValue] {
        var copied = CopiedValues()
        try run(chunk: chunk, chunkName: chunkName, hostFunctions: hostFunctions, into: &copied)
        return copied.values
    }
}
