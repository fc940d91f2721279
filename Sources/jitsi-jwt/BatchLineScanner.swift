/// The fields of a `mint --batch` line in one of its common shapes, as ranges of the line's bytes.
///
/// A line is read here only when it is a flat JSON object whose members are among `room`, `tenant`, `name`,
/// `email`, `avatar`, `user_id`, `affiliation` (strings without escapes, or `null`), `moderator` (`true`, `false`,
/// `null`), `ttl` (whole seconds written as plain digits) and `features` (an object of `true`/`false`), each at
/// most once. Anything else (escapes, invalid UTF-8, other members, durations, duplicate keys, trailing text, a
/// room or tenant outside `A-Z a-z 0-9 . _ ~ -`) is left to ``BatchRequest/parse(_:defaults:)``, which gives
/// the same request or the line's error.
struct BatchLineFields {
    /// A string member: not in the line (the command line's value applies), `null` (no value), or its bytes.
    enum Text: Equatable {
        case absent
        case null
        case bytes(Range<Int>)
    }

    /// `moderator`: not in the line, `null`, or its value.
    enum Flag: Equatable {
        case absent
        case null
        case value(Bool)
    }

    var room = Text.absent
    var tenant = Text.absent
    var name = Text.absent
    var email = Text.absent
    var avatar = Text.absent
    var userID = Text.absent
    var affiliation = Text.absent
    var moderator = Flag.absent
    var ttl: Int64?
    /// The `features` members sorted by key bytes (storage kept between lines).
    var features: [(key: Range<Int>, value: Bool)] = []

    /// Clears every field, keeping the storage of ``features``.
    mutating func reset() {
        room = .absent
        tenant = .absent
        name = .absent
        email = .absent
        avatar = .absent
        userID = .absent
        affiliation = .absent
        moderator = .absent
        ttl = nil
        features.removeAll(keepingCapacity: true)
    }
}

/// Reads ``BatchLineFields`` from a line's bytes, or says that the line needs the full parser.
struct BatchLineScanner {
    private let line: [UInt8]
    private var position = 0
    /// One bit per member already read, for refusing duplicates.
    private var seen: UInt16 = 0

    init(_ line: [UInt8]) {
        self.line = line
    }

    /// Fills `fields` from the line; `false` when the line is not one of the shapes ``BatchLineFields`` describes.
    mutating func scan(into fields: inout BatchLineFields) -> Bool {
        fields.reset()
        skipSpace()
        guard take(UInt8(ascii: "{")) else { return false }
        skipSpace()
        if !take(UInt8(ascii: "}")) {
            repeat {
                skipSpace()
                guard let key = string(), let member = Member(line, key) else { return false }
                let bit: UInt16 = 1 << member.rawValue
                guard seen & bit == 0 else { return false }
                seen |= bit
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipSpace()
                guard value(of: member, into: &fields) else { return false }
                skipSpace()
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return false }
        }
        skipSpace()
        return position == line.count
    }

    /// The members this scanner reads.
    private enum Member: UInt16 {
        case room, tenant, name, email, avatar, userID, affiliation, moderator, ttl, features

        /// The member named by `line[key]` (compared byte by byte: no String, no generic sequence walk).
        init?(_ line: [UInt8], _ key: Range<Int>) {
            let candidate: Member
            switch (key.count, key.isEmpty ? 0 : line[key.lowerBound]) {
            case (3, UInt8(ascii: "t")): candidate = .ttl
            case (4, UInt8(ascii: "r")): candidate = .room
            case (4, UInt8(ascii: "n")): candidate = .name
            case (5, UInt8(ascii: "e")): candidate = .email
            case (6, UInt8(ascii: "t")): candidate = .tenant
            case (6, UInt8(ascii: "a")): candidate = .avatar
            case (7, UInt8(ascii: "u")): candidate = .userID
            case (8, UInt8(ascii: "f")): candidate = .features
            case (9, UInt8(ascii: "m")): candidate = .moderator
            case (11, UInt8(ascii: "a")): candidate = .affiliation
            default: return nil
            }
            let name = Self.names[Int(candidate.rawValue)]
            var index = 1
            while index < name.count {
                guard line[key.lowerBound + index] == name[index] else { return nil }
                index += 1
            }
            self = candidate
        }

        /// The names, in the order of the cases.
        static let names: [[UInt8]] = [
            "room", "tenant", "name", "email", "avatar", "user_id", "affiliation", "moderator", "ttl", "features",
        ].map { Array($0.utf8) }
    }

    private mutating func value(of member: Member, into fields: inout BatchLineFields) -> Bool {
        switch member {
        case .room, .tenant:
            guard let text = text(plainName: true) else { return false }
            if member == .room { fields.room = text } else { fields.tenant = text }
        case .name: guard let text = text() else { return false }; fields.name = text
        case .email: guard let text = text() else { return false }; fields.email = text
        case .avatar: guard let text = text() else { return false }; fields.avatar = text
        case .userID: guard let text = text() else { return false }; fields.userID = text
        case .affiliation: guard let text = text() else { return false }; fields.affiliation = text
        case .moderator:
            if word(.null) {
                fields.moderator = .null
            } else if let flag = flag() {
                fields.moderator = .value(flag)
            } else {
                return false
            }
        case .ttl:
            guard let seconds = digits() else { return false }
            fields.ttl = seconds
        case .features:
            guard take(UInt8(ascii: "{")) else { return false }
            skipSpace()
            if take(UInt8(ascii: "}")) { return true }
            repeat {
                skipSpace()
                guard let key = string(), line[key].allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
                for earlier in fields.features where line[earlier.key].elementsEqual(line[key]) { return false }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipSpace()
                guard let flag = flag() else { return false }
                fields.features.append((key, flag))
                skipSpace()
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return false }
            sortByKey(&fields.features)
        }
        return true
    }

    /// Sorts `features` by key bytes, as tokens list them (an insertion sort: lines hold a handful).
    private func sortByKey(_ features: inout [(key: Range<Int>, value: Bool)]) {
        var index = 1
        while index < features.count {
            var position = index
            while position > 0, line[features[position].key].lexicographicallyPrecedes(line[features[position - 1].key]) {
                features.swapAt(position, position - 1)
                position -= 1
            }
            index += 1
        }
    }

    /// A string member's value or `null`. With `plainName`, the string must be `*` or a non-empty run of
    /// `A-Z a-z 0-9 . _ ~ -` (a room or tenant whose web-client node is its ASCII lower case).
    private mutating func text(plainName: Bool = false) -> BatchLineFields.Text? {
        if word(.null) { return .null }
        guard let range = string() else { return nil }
        if plainName {
            guard !range.isEmpty, line[range].allSatisfy(Self.isPlainNameByte) || (range.count == 1 && line[range.lowerBound] == UInt8(ascii: "*"))
            else { return nil }
        } else if line[range].contains(where: { $0 >= 0x80 }) {
            guard String(validating: line[range], as: UTF8.self) != nil else { return nil }
        }
        return .bytes(range)
    }

    static func isPlainNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
            UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// The bytes between a pair of quotes, if there are no escapes and no control characters in between.
    private mutating func string() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position < line.count {
            let byte = line[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return start..<(position - 1)
            }
            if byte < 0x20 || byte == UInt8(ascii: "\\") { return nil }
            position += 1
        }
        return nil
    }

    /// `true` or `false`.
    private mutating func flag() -> Bool? {
        if word(.true) { return true }
        if word(.false) { return false }
        return nil
    }

    /// A whole number of at most 15 digits without a sign, fraction, exponent or leading zero.
    private mutating func digits() -> Int64? {
        let start = position
        var value: Int64 = 0
        while position < line.count, line[position] >= UInt8(ascii: "0"), line[position] <= UInt8(ascii: "9") {
            value = value * 10 + Int64(line[position] - UInt8(ascii: "0"))
            position += 1
            if position - start > 15 { return nil }
        }
        let count = position - start
        guard count > 0, count == 1 || line[start] != UInt8(ascii: "0") else { return nil }
        if position < line.count {
            switch line[position] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
            default: break
            }
        }
        return value
    }

    /// `true`, `false` or `null` (`word` is one of them), compared byte by byte.
    private mutating func word(_ word: Word) -> Bool {
        let bytes = Word.bytes[word.rawValue]
        guard position + bytes.count <= line.count else { return false }
        var index = 0
        while index < bytes.count {
            guard line[position + index] == bytes[index] else { return false }
            index += 1
        }
        position += bytes.count
        return true
    }

    private enum Word: Int {
        case `true`, `false`, null
        static let bytes: [[UInt8]] = [Array("true".utf8), Array("false".utf8), Array("null".utf8)]
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard position < line.count, line[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipSpace() {
        while position < line.count {
            switch line[position] {
            case 0x20, 0x09, 0x0D, 0x0A: position += 1
            default: return
            }
        }
    }
}
