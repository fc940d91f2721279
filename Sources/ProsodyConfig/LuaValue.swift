/// A Lua value copied out of the config's sandbox with raw reads only: no metamethod runs while copying, and no
/// Lua reference outlives the state. Not `indirect`: payloads are inline (a table is one array reference), and the
/// same Lua string in many places shares one byte array.
public enum LuaValue: Sendable, Hashable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    /// The raw bytes of a Lua string, which need not be UTF-8.
    case string([UInt8])
    case table(LuaTable)
    case function
    case userdata
    case thread
    /// A table met again while copying one of its own elements.
    case cycle
    /// A table nested deeper than the copy's depth limit.
    case deep

    /// The string's bytes decoded as UTF-8 (with replacement characters where they are not), else `nil`.
    public var stringValue: String? {
        if case .string(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    /// Hashes a string's bytes eight at a time (the synthesized hash fed the hasher one byte per call, which made
    /// every lookup of a section by key cost more than the work it was for); equal values hash alike, as before.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .nil: hasher.combine(0 as UInt8)
        case .boolean(let flag):
            hasher.combine(1 as UInt8)
            hasher.combine(flag)
        case .integer(let number):
            hasher.combine(2 as UInt8)
            hasher.combine(number)
        case .number(let number):
            hasher.combine(3 as UInt8)
            hasher.combine(number)
        case .string(let bytes):
            hasher.combine(4 as UInt8)
            hasher.combine(bytes.count)
            let span = bytes.span
            var word: UInt64 = 0
            for index in 0..<span.count {
                word = word << 8 | UInt64(span[index])
                if index & 7 == 7 {
                    hasher.combine(word)
                    word = 0
                }
            }
            if span.count & 7 != 0 { hasher.combine(word) }
        case .table(let table):
            hasher.combine(5 as UInt8)
            hasher.combine(table)
        case .function: hasher.combine(6 as UInt8)
        case .userdata: hasher.combine(7 as UInt8)
        case .thread: hasher.combine(8 as UInt8)
        case .cycle: hasher.combine(9 as UInt8)
        case .deep: hasher.combine(10 as UInt8)
        }
    }

    /// Lua's type name for this value (`"table"` for cycles and deep tables).
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .table, .cycle, .deep: "table"
        case .function: "function"
        case .userdata: "userdata"
        case .thread: "thread"
        }
    }
}

/// The raw key/value pairs of a Lua table, in `lua_next` order.
public struct LuaTable: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var key: LuaValue
        public var value: LuaValue

        public init(key: LuaValue, value: LuaValue) {
            self.key = key
            self.value = value
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// The value stored under a string key, compared by bytes (a raw read): spans of both, neither copied nor
    /// iterated as a generic UTF-8 view.
    public subscript(key: String) -> LuaValue? {
        let wanted = key.utf8.span
        for entry in entries {
            if case .string(let bytes) = entry.key, Self.equal(bytes.span, wanted) { return entry.value }
        }
        return nil
    }

    private static func equal(_ lhs: Span<UInt8>, _ rhs: Span<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count where lhs[index] != rhs[index] { return false }
        return true
    }

    /// Whether the keys are exactly the integers 1...n in this order (n > 0): a list whose values are the entries'
    /// values as they stand (``arrayValues`` without a new array).
    public var isListInOrder: Bool {
        guard !entries.isEmpty else { return false }
        for (offset, entry) in entries.enumerated() {
            guard case .integer(let index) = entry.key, index == Int64(offset) + 1 else { return false }
        }
        return true
    }

    /// The values at 1...n when the keys are exactly the integers 1...n (n > 0), else `nil`.
    public var arrayValues: [LuaValue]? {
        guard !entries.isEmpty else { return nil }
        var values = [LuaValue](repeating: .nil, count: entries.count)
        for entry in entries {
            // Keys are distinct, so n keys all within 1...n fill every slot exactly once.
            guard case .integer(let index) = entry.key, index >= 1, index <= Int64(entries.count) else { return nil }
            values[Int(index) - 1] = entry.value
        }
        return values
    }
}

/// Text from Lua kept as its exact bytes (Lua strings need not be UTF-8); prints as UTF-8 with replacement
/// characters where the bytes are not.
public struct LuaText: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(stringLiteral value: String) {
        self.bytes = Array(value.utf8)
    }

    public init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    public var description: String { String(decoding: bytes, as: UTF8.self) }
}
