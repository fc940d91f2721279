import JitsiToken

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
///
/// The steps are static functions of the line's `Span` and a position, so that they inline into one loop over the
/// bytes with no reference counting and no state in memory.
struct BatchLineScanner {
    private let line: [UInt8]

    init(_ line: [UInt8]) {
        self.line = line
    }

    /// Fills `fields` from the line; `false` when the line is not one of the shapes ``BatchLineFields`` describes.
    func scan(into fields: inout BatchLineFields) -> Bool {
        fields.reset()
        let bytes = line.span
        var position = 0
        /// One bit per member already read, for refusing duplicates.
        var seen: UInt16 = 0
        skipSpace(bytes, &position)
        guard take(UInt8(ascii: "{"), bytes, &position) else { return false }
        skipSpace(bytes, &position)
        if !take(UInt8(ascii: "}"), bytes, &position) {
            repeat {
                skipSpace(bytes, &position)
                guard let member = Member(reading: bytes, &position) else { return false }
                let bit: UInt16 = 1 << member.rawValue
                guard seen & bit == 0 else { return false }
                seen |= bit
                skipSpace(bytes, &position)
                guard take(UInt8(ascii: ":"), bytes, &position) else { return false }
                skipSpace(bytes, &position)
                guard value(of: member, bytes, &position, into: &fields) else { return false }
                skipSpace(bytes, &position)
            } while take(UInt8(ascii: ","), bytes, &position)
            guard take(UInt8(ascii: "}"), bytes, &position) else { return false }
        }
        skipSpace(bytes, &position)
        return position == bytes.count
    }

    /// The members this scanner reads.
    private enum Member: UInt16 {
        case room, tenant, name, email, avatar, userID, affiliation, moderator, ttl, features

        /// The member whose quoted name is at `position` (then moved past it): the name's first eight bytes and the
        /// rest, each one little-endian integer, with its length against the names' own. Two word loads and the
        /// closing quote found in them (``reading(bytesOf:_:)`` byte by byte within 17 bytes of the line's end).
        /// `nil` for any other key.
        @inline(__always)
        init?(reading bytes: Span<UInt8>, _ position: inout Int) {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
            let start = position &+ 1
            guard start &+ 16 <= bytes.count else {
                self.init(readingBytesOf: bytes, &position)
                return
            }
            let first = bytes.littleEndianWord(at: start)
            let second = bytes.littleEndianWord(at: start &+ 8)
            let quotes = BatchLineScanner.zeroBytes(first ^ BatchLineScanner.quoteBytes)
            let laterQuotes = BatchLineScanner.zeroBytes(second ^ BatchLineScanner.quoteBytes)
            let length: Int
            if quotes != 0 {
                length = quotes.trailingZeroBitCount / 8
            } else if laterQuotes != 0 {
                length = 8 &+ laterQuotes.trailingZeroBitCount / 8
            } else {
                return nil
            }
            let head = length >= 8 ? first : first & (1 &<< UInt64(8 &* length) &- 1)
            let tail = length <= 8 ? 0 : second & (1 &<< UInt64(8 &* (length &- 8)) &- 1)
            position = start &+ length &+ 1
            // By length first (a jump), then the one or two names of that length.
            let member: Member?
            switch length {
            case 3: member = head == 0x6C_7474 ? .ttl : nil  // "ttl"
            case 4: member = head == 0x6D6F_6F72 ? .room : head == 0x656D_616E ? .name : nil  // "room", "name"
            case 5: member = head == 0x6C_6961_6D65 ? .email : nil  // "email"
            case 6:  // "tenant", "avatar"
                member = head == 0x746E_616E_6574 ? .tenant : head == 0x7261_7461_7661 ? .avatar : nil
            case 7: member = head == 0x64_695F_7265_7375 ? .userID : nil  // "user_id"
            case 8: member = head == 0x7365_7275_7461_6566 ? .features : nil  // "features"
            case 9: member = head == 0x6F74_6172_6564_6F6D && tail == 0x72 ? .moderator : nil  // "moderator"
            case 11: member = head == 0x7461_696C_6966_6661 && tail == 0x6E_6F69 ? .affiliation : nil  // "affiliation"
            default: member = nil
            }
            guard let member else { return nil }
            self = member
        }

        /// ``init(reading:_:)`` near the line's end: the name packed byte by byte while looking for the closing
        /// quote.
        private init?(readingBytesOf bytes: Span<UInt8>, _ position: inout Int) {
            var head: UInt64 = 0
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            var index = position &+ 1
            // At most 16 bytes of name, then its closing quote.
            let end = min(bytes.count, position &+ 18)
            while true {
                guard index < end else { return nil }
                let byte = bytes[index]
                if byte <= UInt8(ascii: "\"") {
                    if byte == UInt8(ascii: "\"") { break }
                    // No zero byte is packed (control characters are refused), so no two names read alike.
                    if byte < 0x20 { return nil }
                }
                if shift < 64 { head |= UInt64(byte) &<< shift } else { tail |= UInt64(byte) &<< (shift &- 64) }
                shift &+= 8
                index &+= 1
            }
            position = index &+ 1
            switch (head, tail) {
            case (0x6D6F_6F72, 0): self = .room  // "room"
            case (0x746E_616E_6574, 0): self = .tenant  // "tenant"
            case (0x656D_616E, 0): self = .name  // "name"
            case (0x6C_6961_6D65, 0): self = .email  // "email"
            case (0x7261_7461_7661, 0): self = .avatar  // "avatar"
            case (0x64_695F_7265_7375, 0): self = .userID  // "user_id"
            case (0x7461_696C_6966_6661, 0x6E_6F69): self = .affiliation  // "affiliation"
            case (0x6F74_6172_6564_6F6D, 0x72): self = .moderator  // "moderator"
            case (0x6C_7474, 0): self = .ttl  // "ttl"
            case (0x7365_7275_7461_6566, 0): self = .features  // "features"
            default: return nil
            }
        }
    }

    @inline(__always)
    private func value(
        of member: Member, _ bytes: Span<UInt8>, _ position: inout Int, into fields: inout BatchLineFields
    ) -> Bool {
        switch member {
        case .room, .tenant:
            guard let text = text(bytes, &position, plainName: true) else { return false }
            if member == .room { fields.room = text } else { fields.tenant = text }
        case .name: guard let text = text(bytes, &position) else { return false }; fields.name = text
        case .email: guard let text = text(bytes, &position) else { return false }; fields.email = text
        case .avatar: guard let text = text(bytes, &position) else { return false }; fields.avatar = text
        case .userID: guard let text = text(bytes, &position) else { return false }; fields.userID = text
        case .affiliation: guard let text = text(bytes, &position) else { return false }; fields.affiliation = text
        case .moderator:
            if word(Self.null, bytes, &position) {
                fields.moderator = .null
            } else if let flag = flag(bytes, &position) {
                fields.moderator = .value(flag)
            } else {
                return false
            }
        case .ttl:
            guard let seconds = digits(bytes, &position) else { return false }
            fields.ttl = seconds
        case .features:
            return features(bytes, &position, into: &fields.features)
        }
        return true
    }

    /// `features`: an object of `true`/`false` whose keys are printable ASCII, each once; sorted by key bytes.
    private func features(
        _ bytes: Span<UInt8>, _ position: inout Int, into features: inout [(key: Range<Int>, value: Bool)]
    ) -> Bool {
        guard take(UInt8(ascii: "{"), bytes, &position) else { return false }
        skipSpace(bytes, &position)
        if take(UInt8(ascii: "}"), bytes, &position) { return true }
        repeat {
            skipSpace(bytes, &position)
            guard let (key, isASCII) = string(bytes, &position), isASCII else { return false }
            for earlier in features where Self.equal(bytes, earlier.key, key) { return false }
            skipSpace(bytes, &position)
            guard take(UInt8(ascii: ":"), bytes, &position) else { return false }
            skipSpace(bytes, &position)
            guard let flag = flag(bytes, &position) else { return false }
            features.append((key, flag))
            skipSpace(bytes, &position)
        } while take(UInt8(ascii: ","), bytes, &position)
        guard take(UInt8(ascii: "}"), bytes, &position) else { return false }
        sortByKey(&features, bytes)
        return true
    }

    /// Whether the bytes of `a` and `b` are the same.
    private static func equal(_ bytes: Span<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        for offset in 0..<a.count where bytes[a.lowerBound + offset] != bytes[b.lowerBound + offset] { return false }
        return true
    }

    /// Whether the bytes of `a` sort before those of `b` (bytewise, a prefix first).
    private static func precedes(_ bytes: Span<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        for offset in 0..<min(a.count, b.count) {
            let left = bytes[a.lowerBound + offset]
            let right = bytes[b.lowerBound + offset]
            if left != right { return left < right }
        }
        return a.count < b.count
    }

    /// Sorts `features` by key bytes, as tokens list them (an insertion sort: lines hold a handful).
    private func sortByKey(_ features: inout [(key: Range<Int>, value: Bool)], _ bytes: Span<UInt8>) {
        var index = 1
        while index < features.count {
            var position = index
            while position > 0, Self.precedes(bytes, features[position].key, features[position - 1].key) {
                features.swapAt(position, position - 1)
                position -= 1
            }
            index += 1
        }
    }

    /// A string member's value or `null`. With `plainName`, the string must be `*` or a non-empty run of
    /// `A-Z a-z 0-9 . _ ~ -` (a room or tenant whose web-client node is its ASCII lower case).
    @inline(__always)
    private func text(_ bytes: Span<UInt8>, _ position: inout Int, plainName: Bool = false) -> BatchLineFields.Text? {
        if word(Self.null, bytes, &position) { return .null }
        guard let (range, isASCII) = string(bytes, &position) else { return nil }
        if plainName {
            guard !range.isEmpty else { return nil }
            if range.count == 1 && bytes[range.lowerBound] == UInt8(ascii: "*") { return .bytes(range) }
            for index in range where !Self.isPlainNameByte(bytes[index]) { return nil }
        } else if !isASCII {
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

    /// The bytes between a pair of quotes, if there are no escapes, no control characters and no DEL in between
    /// (as ``PayloadJSON/unescapedString(in:at:)``), and whether they are all ASCII. Eight bytes a step: the first
    /// quote, backslash, byte below 0x20 or DEL ends the run, which must be the closing quote.
    @inline(__always)
    private func string(_ bytes: Span<UInt8>, _ position: inout Int) -> (contents: Range<Int>, isASCII: Bool)? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        let start = position &+ 1
        var index = start
        var high: UInt64 = 0
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index &+ 8 <= bytes.count {
            let word = bytes.littleEndianWord(at: index)
            // The lowest flagged byte of each test is exact, so the lowest of them all is the first stop.
            let stops =
                Self.zeroBytes(word ^ Self.quoteBytes) | Self.zeroBytes(word ^ 0x5C5C_5C5C_5C5C_5C5C)
                | Self.zeroBytes(word ^ 0x7F7F_7F7F_7F7F_7F7F) | (word &- 0x2020_2020_2020_2020) & ~word & highs
            if stops != 0 {
                let offset = stops.trailingZeroBitCount / 8
                high |= offset == 0 ? 0 : word & (UInt64.max &>> UInt64(64 &- 8 &* offset)) & highs
                index &+= offset
                break
            }
            high |= word & highs
            index &+= 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte == 0x7F { break }
            high |= UInt64(byte & 0x80)
            index &+= 1
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        position = index &+ 1
        return (start..<index, high == 0)
    }

    /// Every byte of `quoteBytes` is a quote.
    fileprivate static let quoteBytes: UInt64 = 0x2222_2222_2222_2222

    /// The high bit of each zero byte of `word`; bits above a zero byte may be set too, the lowest one never falsely.
    @inline(__always)
    fileprivate static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// `true` or `false`.
    @inline(__always)
    private func flag(_ bytes: Span<UInt8>, _ position: inout Int) -> Bool? {
        if word(Self.true, bytes, &position) { return true }
        if word(Self.false, bytes, &position) { return false }
        return nil
    }

    /// A whole number of at most 15 digits without a sign, fraction, exponent or leading zero.
    private func digits(_ bytes: Span<UInt8>, _ position: inout Int) -> Int64? {
        let start = position
        var value: Int64 = 0
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            value = value * 10 + Int64(bytes[position] - UInt8(ascii: "0"))
            position += 1
            if position - start > 15 { return nil }
        }
        let count = position - start
        guard count > 0, count == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
            default: break
            }
        }
        return value
    }

    /// `true`, `false` and `null` as their bytes read as one little-endian integer, and their lengths.
    private static let `true` = (word: UInt64(0x6575_7274), count: 4)
    private static let `false` = (word: UInt64(0x65_736C_6166), count: 5)
    private static let null = (word: UInt64(0x6C6C_756E), count: 4)

    /// Takes `word` (``true``, ``false`` or ``null``) when the line has it at the position.
    @inline(__always)
    private func word(_ word: (word: UInt64, count: Int), _ bytes: Span<UInt8>, _ position: inout Int) -> Bool {
        // The first byte tells most values apart (a string's quote) before any packing.
        guard position + word.count <= bytes.count, UInt64(bytes[position]) == word.word & 0xFF else { return false }
        var packed: UInt64 = 0
        var shift: UInt64 = 0
        for index in position..<(position + word.count) {
            packed |= UInt64(bytes[index]) &<< shift
            shift &+= 8
        }
        guard packed == word.word else { return false }
        position += word.count
        return true
    }

    @inline(__always)
    private func take(_ byte: UInt8, _ bytes: Span<UInt8>, _ position: inout Int) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    @inline(__always)
    private func skipSpace(_ bytes: Span<UInt8>, _ position: inout Int) {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0D, 0x0A: position += 1
            default: return
            }
        }
    }
}
