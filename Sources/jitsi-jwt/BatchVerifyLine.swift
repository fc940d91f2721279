import JitsiToken

extension BatchVerify {
    /// The request of a line that is exactly `{"token":"TOKEN","room":"ROOM"}` (a compact token and a room of
    /// printable ASCII without escapes; spaces or tabs only after the `}`), as `JSON.stringify`, `jq -c` or Go
    /// write it: read by comparing the fixed parts as words. `nil` for any other line, which
    /// ``plainRequest(_:line:)`` reads; for the lines both read, the request is the same.
    static func compactRequest(_ bytes: [UInt8], line: Range<Int>) -> Request? {
        let text = bytes.span
        let end = line.upperBound
        let start = line.lowerBound
        // `{"token":"` and, from the token's closing quote, `","room":"`: a word each, then the bytes left over.
        guard end - start >= 22, text.littleEndianWord(at: start) == Self.tokenKeyWord,
            text[start + 8] == UInt8(ascii: ":"), text[start + 9] == UInt8(ascii: "\"")
        else { return nil }
        let (tokenEnd, found) = CompactTokenSplit.scan(bytes, from: start + 10, to: end)
        guard let split = found, tokenEnd + 10 <= end, text.littleEndianWord(at: tokenEnd) == Self.roomKeyWord,
            text[tokenEnd + 8] == UInt8(ascii: ":"),
            let room = PayloadJSON.plainASCIIString(in: bytes, at: tokenEnd + 9, before: end),
            room.upperBound + 1 < end, text[room.upperBound + 1] == UInt8(ascii: "}"),
            skipSpace(bytes, from: room.upperBound + 2, to: end) == end
        else { return nil }
        return Request(token: nil, room: String(decoding: bytes[room], as: UTF8.self), tenant: nil, split: split)
    }

    /// `{"token"` and `","room"` as little-endian words: literals, since a `static let` is reached through a
    /// one-time-initialisation check on every read (the tests compare them with the texts).
    static var tokenKeyWord: UInt64 { 0x226E_656B_6F74_227B }
    static var roomKeyWord: UInt64 { 0x226D_6F6F_7222_2C22 }

    /// The request of a JSON line of the common shape, read on its bytes (`line` in `bytes`, a chunk's): an object
    /// of `"token"`, `"room"` and `"tenant"` (each at most once, `token` present) whose values are strings of
    /// printable ASCII without escapes, with spaces or tabs around. `nil` for any other line, which the full parser
    /// reads; for the lines both read, the request is the same.
    static func plainRequest(_ bytes: [UInt8], line: Range<Int>) -> Request? {
        let end = line.upperBound
        // The fields as found, made into a request once at the end (a request assembled field by field was copied
        // on return).
        var token: ArraySlice<UInt8>?
        var room: String?
        var tenant: String?
        var tokenSplit: CompactTokenSplit?
        var seen: UInt8 = 0
        var index = skipSpace(bytes, from: line.lowerBound, to: end)
        guard index < end, bytes[index] == UInt8(ascii: "{") else { return nil }
        index = skipSpace(bytes, from: index + 1, to: end)
        while true {
            guard let key = PayloadJSON.plainASCIIString(in: bytes, at: index, before: end) else { return nil }
            index = skipSpace(bytes, from: key.upperBound + 1, to: end)
            guard index < end, bytes[index] == UInt8(ascii: ":") else { return nil }
            index = skipSpace(bytes, from: index + 1, to: end)
            let isToken = isName(bytes, key, "token")
            // A compact token is found split in the pass that finds its end.
            var split: CompactTokenSplit?
            var value = 0..<0
            if isToken, index < end, bytes[index] == UInt8(ascii: "\""),
                case let (tokenEnd, found) = CompactTokenSplit.scan(bytes, from: index + 1, to: end), tokenEnd < end,
                bytes[tokenEnd] == UInt8(ascii: "\"")
            {
                (value, split) = (index + 1..<tokenEnd, found)
            } else {
                guard let plain = PayloadJSON.plainASCIIString(in: bytes, at: index, before: end) else { return nil }
                value = plain
            }
            let field: UInt8
            if isToken {
                // A slice of the line only for a token not found split (each counts a reference to the chunk).
                (field, token, tokenSplit) = (1, split == nil ? bytes[value] : nil, split)
            } else if isName(bytes, key, "room") {
                (field, room) = (2, String(decoding: bytes[value], as: UTF8.self))
            } else if isName(bytes, key, "tenant") {
                (field, tenant) = (4, String(decoding: bytes[value], as: UTF8.self))
            } else {
                return nil
            }
            guard seen & field == 0 else { return nil }
            seen |= field
            index = skipSpace(bytes, from: value.upperBound + 1, to: end)
            guard index < end else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index = skipSpace(bytes, from: index + 1, to: end)
                continue
            }
            guard bytes[index] == UInt8(ascii: "}"), skipSpace(bytes, from: index + 1, to: end) == end, seen & 1 != 0
            else { return nil }
            return Request(token: token, room: room, tenant: tenant, split: tokenSplit)
        }
    }

    /// Whether `bytes[range]` is `name`'s bytes.
    private static func isName(_ bytes: [UInt8], _ range: Range<Int>, _ name: String) -> Bool {
        let text = bytes.span
        let expected = name.utf8.span
        guard range.count == expected.count else { return false }
        for offset in expected.indices where text[range.lowerBound + offset] != expected[offset] { return false }
        return true
    }

    /// The index of the first byte from `start` on (before `end`) that is neither a space nor a tab, or `end`.
    static func skipSpace(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
        var index = start
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        return index
    }
}
