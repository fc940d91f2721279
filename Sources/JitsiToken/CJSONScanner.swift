/// One validating pass over JSON text with lua-cjson's rules, building no tree: it accepts and refuses exactly what
/// ``CJSONDecoder`` does (the same grammar, number reading, NUL handling and depth limit, checked side by side in
/// the tests), and records where the members of the top-level object lie (``JSONBytesView``).
///
/// It also tells whether the text is already the compact form ``JSONValue/jsonText`` writes for the decoded value
/// (no whitespace inside, no escapes, strings of printable ASCII, integers of at most 15 digits, no repeated key), so
/// that a record can copy the bytes instead of building and writing the tree.
struct CJSONScanner: CJSONReading {
    private typealias Failure = CJSONFailure

    /// Texts whose open objects hold more keys than this at once are not checked for repeated keys: they are
    /// written from the tree.
    private static let maximumCheckedKeys = 64

    /// The text (a `var` only so that ``takeView(root:kind:)`` can move it out).
    private(set) var bytes: [UInt8]
    var position: Int
    var depth = 0
    private var members: [JSONBytesView.Member] = []
    /// The members of the object that the top-level `context` key holds (the last such object), and its offset.
    private var contextMembers: [JSONBytesView.Member] = []
    private var contextStart = -1
    /// ``JSONBytesView/claimMembers`` of the top-level object.
    private var claimMembers: JSONBytesView.ClaimMembers? = .init(repeating: -1)
    /// Whether the value being scanned is that of a top-level `context` key.
    private var valueIsContext = false
    private var isCanonical = true
    /// The keys of the objects being scanned (innermost last), while the text may still be canonical.
    /// Each key's offset in the high 32 bits and its length in the low ones, held in place (no allocation).
    private var openKeys = InlineArray<64, UInt64>(repeating: 0)
    /// How many entries of ``openKeys`` are in use.
    private var openKeyCount = 0
    /// Whether the whole text is printable ASCII without `\\` (``isPrintableASCIIWithoutBackslash(_:)``): then each
    /// string is plain and canonical and ends at its next quote, found without classifying its bytes.
    private let stringsEndAtQuotes: Bool

    /// A scanner recording members into `members` and `contextMembers` (empty; their capacity is kept);
    /// `stringsEndAtQuotes` only if `bytes` are printable ASCII without `\\`.
    @inline(__always)
    private init(
        _ bytes: [UInt8], at start: Int, stringsEndAtQuotes: Bool = false, members: [JSONBytesView.Member] = [],
        contextMembers: [JSONBytesView.Member] = []
    ) {
        self.bytes = bytes
        position = start
        self.stringsEndAtQuotes = stringsEndAtQuotes
        self.members = members
        self.contextMembers = contextMembers
        // Room for a token's members at once, instead of growing one allocation at a time.
        self.members.reserveCapacity(16)
    }

    /// The view of `bytes` if `cjson.safe.decode` accepts them as a whole, else `nil`.
    static func scan(_ bytes: [UInt8]) -> JSONBytesView? {
        var storage = VerdictStorage()
        return scan(bytes, reusing: &storage)
    }

    /// ``scan(_:)`` recording the members in the arrays of `storage` (taken from it). A compact object (most
    /// payloads) is read by comparing it with the last one (``CompactJSONTemplate``) or else by ``CompactJSONScan``,
    /// whose view the template may learn; any other text is read by the general scan.
    static func scan(_ bytes: [UInt8], reusing storage: inout VerdictStorage) -> JSONBytesView? {
        var (members, contextMembers) = storage.takeMembers()
        let stringsEndAtQuotes = isPrintableASCIIWithoutBackslash(bytes.span)
        if stringsEndAtQuotes {
            if let view = storage.template.view(of: bytes, members: &members, contextMembers: &contextMembers) {
                return view
            }
            if let view = CompactJSONScan.view(of: bytes, members: &members, contextMembers: &contextMembers) {
                storage.template.learn(view)
                return view
            }
        }
        return generalScan(
            bytes, stringsEndAtQuotes: stringsEndAtQuotes, members: members, contextMembers: contextMembers)
    }

    /// ``scan(_:)`` by the general scan alone, recording into `members` and `contextMembers` (empty);
    /// `stringsEndAtQuotes` as ``isPrintableASCIIWithoutBackslash(_:)`` finds it.
    static func generalScan(
        _ bytes: [UInt8], stringsEndAtQuotes: Bool, members: [JSONBytesView.Member] = [],
        contextMembers: [JSONBytesView.Member] = []
    ) -> JSONBytesView? {
        var scanner = CJSONScanner(
            bytes, at: 0, stringsEndAtQuotes: stringsEndAtQuotes, members: members, contextMembers: contextMembers)
        scanner.skipWhitespace()
        let start = scanner.position
        guard let kind = try? scanner.scanValue() else { return nil }
        let end = scanner.position
        scanner.skipWhitespace()
        guard scanner.peek() == 0 else { return nil }
        return scanner.takeView(root: start..<end, kind: kind)
    }

    /// The view of the value at `range` of a text that ``scan(_:)`` has accepted (an object member's value).
    static func view(of bytes: [UInt8], value range: Range<Int>) -> JSONBytesView {
        var scanner = CJSONScanner(bytes, at: range.lowerBound)
        let kind = (try? scanner.scanValue()) ?? .null
        return scanner.takeView(root: range, kind: kind)
    }

    /// The view of what was scanned, its arrays moved out of the scanner (no reference counted for them).
    private mutating func takeView(root: Range<Int>, kind: JSONBytesView.Kind) -> JSONBytesView {
        var (text, recorded, context): ([UInt8], [JSONBytesView.Member], [JSONBytesView.Member]) = ([], [], [])
        swap(&text, &bytes)
        swap(&recorded, &members)
        swap(&context, &contextMembers)
        return JSONBytesView(
            bytes: text, root: root, rootKind: kind, members: recorded, isCanonical: isCanonical,
            contextMembers: context, contextStart: contextStart, claimMembers: claimMembers,
            stringsArePlain: stringsEndAtQuotes)
    }

    /// Whitespace inside the value, which the compact form has none of.
    @inline(__always)
    private mutating func skipInnerWhitespace() {
        if skipWhitespace() { isCanonical = false }
    }

    private mutating func scanValue() throws(Failure) -> JSONBytesView.Kind {
        skipInnerWhitespace()
        switch try valueStart() {
        case .object:
            try scanObject()
            return .object
        case .array:
            try scanArray()
            return .array
        case .string:
            let form = try scanString()
            if !form.isCanonical { isCanonical = false }
            return .string
        case .number:
            try scanNumber()
            return .number
        case .true, .false: return .bool
        case .null: return .null
        }
    }

    private mutating func scanObject() throws(Failure) {
        try descend()
        let recordsMembers = depth == 1
        let recordsContext = depth == 2 && valueIsContext
        valueIsContext = false
        if recordsContext {
            contextMembers.removeAll(keepingCapacity: true)
            contextMembers.reserveCapacity(8)
            contextStart = position
        }
        position += 1
        let keysStart = openKeyCount
        var keyHashes: UInt64 = 0
        skipInnerWhitespace()
        if closes(UInt8(ascii: "}")) { return }
        while true {
            skipInnerWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw Failure() }
            let keyStart = position + 1
            let form = try scanString()
            let key = keyStart..<position - 1
            if isCanonical {
                noteKey(key, canonical: form.isCanonical, objectStart: keysStart, hashes: &keyHashes)
            }
            skipInnerWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw Failure() }
            position += 1
            skipInnerWhitespace()
            let valueStart = position
            // A plain key's name is its bytes; any other key is decoded to be compared.
            var name: JSONBytesView.ClaimName?
            if recordsMembers {
                if form.isPlain {
                    name = JSONBytesView.ClaimName.named(bytes.span, key)
                    valueIsContext = name == .context
                } else {
                    valueIsContext = JSONBytesView.keyEquals(bytes, key, plain: false, "context")
                }
            }
            let kind = try scanValue()
            valueIsContext = false
            if recordsMembers || recordsContext {
                let member = JSONBytesView.Member(
                    key: key, keyIsPlain: form.isPlain, value: valueStart..<position, kind: kind)
                if recordsMembers {
                    members.append(member)
                    noteClaimName(member, name: name)
                } else {
                    contextMembers.append(member)
                }
            }
            skipInnerWhitespace()
            if try !continuesAfterElement(closing: UInt8(ascii: "}")) {
                openKeyCount = keysStart
                return
            }
        }
    }

    /// Records where a top-level member of a ``JSONBytesView/ClaimName`` is; a key with escapes or non-ASCII bytes
    /// leaves names to be looked up by decoding keys.
    private mutating func noteClaimName(_ member: JSONBytesView.Member, name: JSONBytesView.ClaimName?) {
        guard member.keyIsPlain else {
            claimMembers = nil
            return
        }
        if claimMembers != nil, let name {
            claimMembers?[name.rawValue] = Int32(truncatingIfNeeded: members.count - 1)
        }
    }

    /// Keeps the text canonical only while `key` is canonical and new in its object (canonical keys are their
    /// bytes, so comparing bytes finds every repeat). `hashes` has a bit for each first byte and length of the
    /// object's keys so far: a key whose bit is clear is new without comparing. Inlined (it runs for every key).
    @inline(__always)
    private mutating func noteKey(_ key: Range<Int>, canonical: Bool, objectStart: Int, hashes: inout UInt64) {
        guard canonical, openKeyCount < Self.maximumCheckedKeys, key.upperBound <= UInt32.max else {
            isCanonical = false
            return
        }
        // A key's first byte (its closing quote when empty) is always in the text.
        let first = bytes[key.lowerBound]
        let bit: UInt64 = 1 &<< ((UInt64(first) &+ UInt64(truncatingIfNeeded: key.count) &* 7) & 63)
        defer { hashes |= bit }
        if hashes & bit == 0 {
            pushKey(key)
            return
        }
        for index in objectStart..<openKeyCount {
            let start = Int(truncatingIfNeeded: openKeys[index] &>> 32)
            let other = start..<start + Int(truncatingIfNeeded: openKeys[index] & 0xFFFF_FFFF)
            guard other.count == key.count, bytes[other.lowerBound] == first, Self.equal(bytes, other, key) else {
                continue
            }
            isCanonical = false
            return
        }
        pushKey(key)
    }

    /// Adds `key` (below 2^32, with room left: see ``noteKey(_:canonical:objectStart:hashes:)``) to the open keys.
    @inline(__always)
    private mutating func pushKey(_ key: Range<Int>) {
        openKeys[openKeyCount] = UInt64(truncatingIfNeeded: key.lowerBound) &<< 32 | UInt64(truncatingIfNeeded: key.count)
        openKeyCount += 1
    }

    private static func equal(_ bytes: [UInt8], _ lhs: Range<Int>, _ rhs: Range<Int>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        let buffer = bytes.span
        for offset in 0..<lhs.count where buffer[lhs.lowerBound + offset] != buffer[rhs.lowerBound + offset] {
            return false
        }
        return true
    }

    private mutating func scanArray() throws(Failure) {
        try descend()
        position += 1
        skipInnerWhitespace()
        if closes(UInt8(ascii: "]")) { return }
        while true {
            _ = try scanValue()
            skipInnerWhitespace()
            guard try continuesAfterElement(closing: UInt8(ascii: "]")) else { return }
        }
    }

    /// How a string is written: `isPlain` without escapes and with ASCII bytes only (its bytes are the decoded
    /// String's), `isCanonical` also without control characters or DEL (the bytes ``JSONWriter`` writes for it).
    private struct StringForm {
        var isPlain = true
        var isCanonical = true
    }

    /// Skips the string at `position` (its opening quote), as ``CJSONDecoder`` reads it. Inlined: in a text of
    /// printable ASCII without `\\` (most payloads) a string is a search for its closing quote.
    @inline(__always)
    private mutating func scanString() throws(Failure) -> StringForm {
        position += 1
        if stringsEndAtQuotes {
            position = quoteIndex(bytes, from: position)
            guard position < bytes.count else { throw Failure() }
            position += 1
            return StringForm()
        }
        return try scanStringContents()
    }

    /// ``scanString()`` from just past the opening quote, byte by byte after its first run.
    private mutating func scanStringContents() throws(Failure) -> StringForm {
        // Bits of the bytes seen: 0x80 for a byte above ASCII, 1 for a control character or DEL, 2 for an escape.
        var (end, seen) = jsonStringRunEnd(bytes, from: position, to: bytes.count)
        position = end
        while true {
            let byte = peek()
            switch byte {
            case 0:
                throw Failure()
            case UInt8(ascii: "\""):
                position += 1
                let plain = seen & 0x82 == 0
                return StringForm(isPlain: plain, isCanonical: plain && seen & 1 == 0)
            case UInt8(ascii: "\\"):
                seen |= 2
                position += 1
                _ = try escape()
            default:
                seen |= (byte & 0x80) | (byte < 0x20 || byte == 0x7F ? 1 : 0)
                position += 1
            }
        }
    }

    /// Skips the number at `position` as `strtod` reads it; canonical only as an integer ``JSONWriter`` writes
    /// with the same digits: `0`, or up to 15 digits without a leading zero, after an optional `-`.
    private mutating func scanNumber() throws(Failure) {
        // The common case: up to 15 digits without a leading zero, after an optional `-`, and no `.` or exponent
        // after them (`strtod` reads exactly these, and they are canonical).
        var end = position
        if peek() == UInt8(ascii: "-") { end += 1 }
        let digitsStart = end
        if end < bytes.count, bytes[end] >= UInt8(ascii: "1"), bytes[end] <= UInt8(ascii: "9") {
            end += 1
            while end < bytes.count, bytes[end] &- UInt8(ascii: "0") < 10 { end += 1 }
            let next = end < bytes.count ? bytes[end] : 0
            if end - digitsStart <= 15, next != UInt8(ascii: "."), next | 0x20 != UInt8(ascii: "e") {
                position = end
                return
            }
        }
        guard let (_, end) = CJSONDecoder.strtodPrefix(bytes, from: position, computingValue: false) else {
            throw Failure()
        }
        if isCanonical, !Self.isCanonicalInteger(bytes, position..<end) { isCanonical = false }
        position = end
    }

    private static func isCanonicalInteger(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let buffer = bytes.span
        var start = range.lowerBound
        if buffer[start] == UInt8(ascii: "-") { start += 1 }
        let digits = range.upperBound - start
        guard digits >= 1, digits <= 15 else { return false }
        if buffer[start] == UInt8(ascii: "0") { return digits == 1 && start == range.lowerBound }
        for index in start..<range.upperBound where buffer[index] < 0x30 || buffer[index] > 0x39 { return false }
        return true
    }
}
