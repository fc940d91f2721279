import ProsodyConfig
import Testing

/// `LuaValue` as a dictionary key (section lookups) and `LuaTable`'s list checks.
struct LuaValueTests {
    /// Strings of every length around the eight-byte steps the hash reads them in, with a common prefix, differing
    /// in their last byte, next to integers and floats of the same text.
    private static let keys: [LuaValue] = (0...20).flatMap { length -> [LuaValue] in
        let prefix = [UInt8](repeating: UInt8(ascii: "c"), count: length)
        return [.string(prefix + [0x61]), .string(prefix + [0x62]), .string(prefix)]
    } + [.integer(1), .string(Array("1".utf8)), .number(1.5), .boolean(true), .nil, .function, .cycle, .deep]

    @Test func equalKeysMadeSeparatelyFindEachOtherAndDifferentKeysStayApart() {
        var index: [LuaValue: Int] = [:]
        for (position, key) in Self.keys.enumerated() { index[key] = position }
        #expect(index.count == Set(Self.keys).count)
        for (position, key) in Self.keys.enumerated() {
            // A fresh array with the same bytes (not the stored one) must hash and compare alike.
            let copy: LuaValue = if case .string(let bytes) = key { .string(Array(bytes)) } else { key }
            #expect(index[copy] == position)
            #expect(copy.hashValue == key.hashValue)
        }
    }

    @Test func zeroAndNegativeZeroAreOneKeySinceTheyCompareEqual() {
        #expect(LuaValue.number(0.0) == .number(-0.0))
        #expect(Set([LuaValue.number(0.0), .number(-0.0)]).count == 1)
    }

    @Test func aListInOrderIsOneWhoseKeysAreOneToNInOrder() {
        func table(_ keys: [Int64]) -> LuaTable {
            LuaTable(entries: keys.map { LuaTable.Entry(key: .integer($0), value: .integer($0 * 10)) })
        }
        #expect(table([1, 2, 3]).isListInOrder)
        #expect(table([1, 2, 3]).arrayValues == [.integer(10), .integer(20), .integer(30)])
        // A list whose entries come out of order is still a list, but not in order.
        #expect(!table([2, 1, 3]).isListInOrder)
        #expect(table([2, 1, 3]).arrayValues == [.integer(10), .integer(20), .integer(30)])
        #expect(!table([1, 3]).isListInOrder)
        #expect(table([1, 3]).arrayValues == nil)
        #expect(!table([]).isListInOrder)
        let named = LuaTable(entries: [LuaTable.Entry(key: .string(Array("1".utf8)), value: .integer(1))])
        #expect(!named.isListInOrder)
        #expect(named.arrayValues == nil)
    }
}
