import JitsiToken

extension BatchVerify {
    /// The request of a JSON line of the common shape, read on its bytes: an object of `"token"`, `"room"` and
    /// `"tenant"` (each at most once, `token` present) whose values are strings of printable ASCII without
    /// escapes, with spaces or tabs around. `nil` for any other line, which the full parser reads; for the lines
    /// both read, the request is the same.
    static func plainRequest(_ line: [UInt8]) -> Request? {
        var request = Request()
        var seen: UInt8 = 0
        var index = skipSpace(line, from: 0)
        guard index < line.count, line[index] == UInt8(ascii: "{") else { return nil }
        index = skipSpace(line, from: index + 1)
        while true {
            guard let key = PayloadJSON.plainASCIIString(in: line, at: index) else { return nil }
            index = skipSpace(line, from: key.upperBound + 1)
            guard index < line.count, line[index] == UInt8(ascii: ":") else { return nil }
            index = skipSpace(line, from: index + 1)
            let isToken = isName(line, key, "token")
            // A compact token is found split in the pass that finds its end.
            var split: CompactTokenSplit?
            var value = 0..<0
            if isToken, index < line.count, line[index] == UInt8(ascii: "\""),
                case let (end, found) = CompactTokenSplit.scan(line, from: index + 1), end < line.count,
                line[end] == UInt8(ascii: "\"")
            {
                (value, split) = (index + 1..<end, found)
            } else {
                guard let plain = PayloadJSON.plainASCIIString(in: line, at: index) else { return nil }
                value = plain
            }
            let field: UInt8
            if isToken {
                (field, request.token, request.split) = (1, line[value], split)
            } else if isName(line, key, "room") {
                (field, request.room) = (2, String(decoding: line[value], as: UTF8.self))
            } else if isName(line, key, "tenant") {
                (field, request.tenant) = (4, String(decoding: line[value], as: UTF8.self))
            } else {
                return nil
            }
            guard seen & field == 0 else { return nil }
            seen |= field
            index = skipSpace(line, from: value.upperBound + 1)
            guard index < line.count else { return nil }
            if line[index] == UInt8(ascii: ",") {
                index = skipSpace(line, from: index + 1)
                continue
            }
            guard line[index] == UInt8(ascii: "}"), skipSpace(line, from: index + 1) == line.count, seen & 1 != 0
            else { return nil }
            return request
        }
    }

    /// Whether `line[range]` is `name`'s bytes.
    private static func isName(_ line: [UInt8], _ range: Range<Int>, _ name: String) -> Bool {
        let bytes = line.span
        let expected = name.utf8.span
        guard range.count == expected.count else { return false }
        for offset in expected.indices where bytes[range.lowerBound + offset] != expected[offset] { return false }
        return true
    }

    private static func skipSpace(_ line: [UInt8], from start: Int) -> Int {
        var index = start
        while index < line.count, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        return index
    }
}
