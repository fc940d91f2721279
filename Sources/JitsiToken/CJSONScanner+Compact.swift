/// The payload scan's common case, read with fewer tests than ``CJSONScanner`` makes: a compact object, the form
/// minters write. That is an object without whitespace whose strings end at their next quote (the whole text is
/// printable ASCII without `\\`), whose numbers are `0` or up to 15 digits without a leading zero after an optional
/// `-`, each followed by `,`, `}` or `]`, whose literals are `true`, `false` and `null`, with no key repeated in an
/// object, at most ``maximumDepth`` levels deep and at most ``maximumOpenKeys`` keys (each under 256 bytes, in a text
/// under 16 MiB) open at once.
///
/// Such a text is valid and canonical, and its view is the one the general scan records (checked side by side in the
/// tests). Any other text, valid or not, is left to the general scan, which reads it from its start: the compact scan
/// never refuses, and what it accepts the general scan accepts alike.
struct CompactJSONScan: ~Copyable {
    /// Deeper texts are left to the general scan (its limit is ``cjsonMaximumDepth``).
    private static let maximumDepth = 32
    /// More keys open at once are left to the general scan (which checks up to 64 for repeats).
    private static let maximumOpenKeys = 32

    /// Which members an object's scan records: the top-level object's, the top-level `context` object's, or none.
    private enum Recording {
        case members, context, none
    }

    private var members: [JSONBytesView.Member] = []
    private var contextMembers: [JSONBytesView.Member] = []
    private var contextStart = -1
    private var claimMembers = JSONBytesView.ClaimMembers(repeating: -1)
    /// The keys of the open objects, each its offset in the high 24 bits and its length in the low 8 (128 bytes in
    /// all, cleared and moved with the scan for each text).
    private var openKeys = InlineArray<32, UInt32>(repeating: 0)
    private var openKeyCount = 0

    private init() {}

    /// The view of `bytes`, a text of printable ASCII without `\\`, when it is a compact object; its member arrays are
    /// taken from `members` and `contextMembers` (empty). `nil` for any other text, leaving both arrays empty.
    static func view(
        of bytes: [UInt8], members: inout [JSONBytesView.Member], contextMembers: inout [JSONBytesView.Member]
    ) -> JSONBytesView? {
        var scan = CompactJSONScan()
        swap(&scan.members, &members)
        swap(&scan.contextMembers, &contextMembers)
        // Room for a token's members at once, instead of growing one allocation at a time.
        scan.members.reserveCapacity(16)
        let text = bytes.span
        guard bytes.count < 1 << 24, text.count > 0, text[0] == UInt8(ascii: "{"),
            scan.object(text, bytes, at: 0, depth: 1, recording: .members) == text.count
        else {
            swap(&scan.members, &members)
            swap(&scan.contextMembers, &contextMembers)
            if !members.isEmpty { members.removeAll(keepingCapacity: true) }
            if !contextMembers.isEmpty { contextMembers.removeAll(keepingCapacity: true) }
            return nil
        }
        var (recorded, context): ([JSONBytesView.Member], [JSONBytesView.Member]) = ([], [])
        swap(&recorded, &scan.members)
        swap(&context, &scan.contextMembers)
        return JSONBytesView(
            bytes: bytes, root: 0..<bytes.count, rootKind: .object, members: recorded, isCanonical: true,
            contextMembers: context, contextStart: scan.contextStart, claimMembers: scan.claimMembers,
            stringsArePlain: true)
    }

    /// Scans the object at `start` (its `{`), `depth` levels deep counting it: the offset past its `}`, or `nil`.
    private mutating func object(
        _ text: Span<UInt8>, _ bytes: [UInt8], at start: Int, depth: Int, recording: Recording
    ) -> Int? {
        guard depth <= Self.maximumDepth else { return nil }
        if recording == .context {
            if !contextMembers.isEmpty { contextMembers.removeAll(keepingCapacity: true) }
            contextMembers.reserveCapacity(8)
            contextStart = start
        }
        var position = start + 1
        guard position < text.count else { return nil }
        if text[position] == UInt8(ascii: "}") { return position + 1 }
        let keysStart = openKeyCount
        var keyHashes: UInt64 = 0
        while true {
            guard position < text.count, text[position] == UInt8(ascii: "\"") else { return nil }
            let key = position + 1..<quoteIndex(bytes, from: position + 1)
            position = key.upperBound + 1
            guard position < text.count, text[position] == UInt8(ascii: ":"),
                isNewKey(key, text, objectStart: keysStart, hashes: &keyHashes)
            else { return nil }
            position += 1
            let name = recording == .members ? JSONBytesView.ClaimName.named(text, key) : nil
            let valueStart = position
            // Strings, numbers and literals are scanned here; objects and arrays by a call.
            guard position < text.count else { return nil }
            let opening = text[position]
            guard
                let (end, kind) = opening == UInt8(ascii: "{") || opening == UInt8(ascii: "[")
                    ? value(text, bytes, at: position, depth: depth, recording: name == .context ? .context : .none)
                    : Self.scalar(text, bytes, at: position)
            else { return nil }
            position = end
            switch recording {
            case .members:
                members.append(.init(key: key, keyIsPlain: true, value: valueStart..<end, kind: kind))
                if let name { claimMembers[name.rawValue] = Int32(truncatingIfNeeded: members.count - 1) }
            case .context:
                contextMembers.append(.init(key: key, keyIsPlain: true, value: valueStart..<end, kind: kind))
            case .none:
                break
            }
            guard position < text.count else { return nil }
            let next = text[position]
            position += 1
            if next == UInt8(ascii: ",") { continue }
            guard next == UInt8(ascii: "}") else { return nil }
            openKeyCount = keysStart
            return position
        }
    }

    /// Scans the array at `start` (its `[`), `depth` levels deep counting it: the offset past its `]`, or `nil`.
    private mutating func array(_ text: Span<UInt8>, _ bytes: [UInt8], at start: Int, depth: Int) -> Int? {
        guard depth <= Self.maximumDepth else { return nil }
        var position = start + 1
        guard position < text.count else { return nil }
        if text[position] == UInt8(ascii: "]") { return position + 1 }
        while true {
            guard let (end, _) = value(text, bytes, at: position, depth: depth, recording: .none), end < text.count
            else { return nil }
            let next = text[end]
            position = end + 1
            if next == UInt8(ascii: ",") { continue }
            guard next == UInt8(ascii: "]") else { return nil }
            return position
        }
    }

    /// Scans the value at `start`, inside a container `depth` levels deep: its end and kind, or `nil`.
    private mutating func value(
        _ text: Span<UInt8>, _ bytes: [UInt8], at start: Int, depth: Int, recording: Recording
    ) -> (end: Int, kind: JSONBytesView.Kind)? {
        guard start < text.count else { return nil }
        switch text[start] {
        case UInt8(ascii: "{"):
            return object(text, bytes, at: start, depth: depth + 1, recording: recording).map { ($0, .object) }
        case UInt8(ascii: "["):
            return array(text, bytes, at: start, depth: depth + 1).map { ($0, .array) }
        default:
            return Self.scalar(text, bytes, at: start)
        }
    }

    /// Scans the string, number or literal at `start` (in the text): its end and kind, or `nil`. Transparent, so
    /// that the object scan reads these values without a call (a call for each cost a tenth of the scan;
    /// `@inline(__always)` left the call in place, the object scan being recursive). ``CompactJSONTemplate`` reads
    /// a new text's values with it.
    @_transparent
    static func scalar(_ text: Span<UInt8>, _ bytes: [UInt8], at start: Int)
        -> (end: Int, kind: JSONBytesView.Kind)?
    {
        switch text[start] {
        case UInt8(ascii: "\""):
            let end = quoteIndex(bytes, from: start + 1)
            guard end < text.count else { return nil }
            return (end + 1, .string)
        case UInt8(ascii: "t"):
            guard start + 4 <= text.count, text[start + 1] == UInt8(ascii: "r"), text[start + 2] == UInt8(ascii: "u"),
                text[start + 3] == UInt8(ascii: "e")
            else { return nil }
            return (start + 4, .bool)
        case UInt8(ascii: "f"):
            guard start + 5 <= text.count, text[start + 1] == UInt8(ascii: "a"), text[start + 2] == UInt8(ascii: "l"),
                text[start + 3] == UInt8(ascii: "s"), text[start + 4] == UInt8(ascii: "e")
            else { return nil }
            return (start + 5, .bool)
        case UInt8(ascii: "n"):
            guard start + 4 <= text.count, text[start + 1] == UInt8(ascii: "u"), text[start + 2] == UInt8(ascii: "l"),
                text[start + 3] == UInt8(ascii: "l")
            else { return nil }
            return (start + 4, .null)
        case UInt8(ascii: "0"):
            // `0`: strtod reads the one digit when a structural byte follows (not `x`, `.`, `e` or a digit).
            return endsNumber(text, at: start + 1) ? (start + 1, .number) : nil
        case UInt8(ascii: "-"), UInt8(ascii: "1")...UInt8(ascii: "9"):
            let digitsStart = text[start] == UInt8(ascii: "-") ? start + 1 : start
            guard digitsStart < text.count, text[digitsStart] &- UInt8(ascii: "1") < 9 else { return nil }
            var end = digitsStart + 1
            while end < text.count, text[end] &- UInt8(ascii: "0") < 10 { end += 1 }
            return end - digitsStart <= 15 && endsNumber(text, at: end) ? (end, .number) : nil
        default:
            return nil
        }
    }

    /// Whether the byte at `offset` is `,`, `}` or `]`, where strtod stops and the compact form goes on.
    private static func endsNumber(_ text: Span<UInt8>, at offset: Int) -> Bool {
        guard offset < text.count else { return false }
        let byte = text[offset]
        return byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
    }

    /// Whether `key` is new in its object (whose keys start at `objectStart` in ``openKeys``), recording it; `false`
    /// also past ``maximumOpenKeys`` open keys or for a key of 256 bytes or more. `hashes` has a bit for the first and
    /// last bytes and the length of each of the object's keys so far, so that a key whose bit is clear is new (the
    /// claims' keys of a Jitsi token share no bit: `iss` and `iat` did by the first byte and length alone).
    @inline(__always)
    private mutating func isNewKey(_ key: Range<Int>, _ text: Span<UInt8>, objectStart: Int, hashes: inout UInt64)
        -> Bool
    {
        guard openKeyCount < Self.maximumOpenKeys, key.count < 256 else { return false }
        // A key's first and last bytes (its quotes when empty) are in the text.
        let first = UInt64(text[key.lowerBound])
        let last = UInt64(text[key.upperBound - 1])
        let bit: UInt64 = 1 &<< ((first &+ last &* 3 &+ UInt64(truncatingIfNeeded: key.count) &* 7) & 63)
        if hashes & bit != 0 {
            for index in objectStart..<openKeyCount {
                let start = Int(truncatingIfNeeded: openKeys[index] &>> 8)
                let count = Int(truncatingIfNeeded: openKeys[index] & 0xFF)
                if count == key.count, Self.equal(text, start, key) { return false }
            }
        }
        hashes |= bit
        openKeys[openKeyCount] =
            UInt32(truncatingIfNeeded: key.lowerBound) &<< 8 | UInt32(truncatingIfNeeded: key.count)
        openKeyCount += 1
        return true
    }

    /// Whether the bytes at `start` are those of `key` (both in `text`).
    private static func equal(_ text: Span<UInt8>, _ start: Int, _ key: Range<Int>) -> Bool {
        let other = text.extracting(start..<start + key.count)
        let bytes = text.extracting(key)
        for index in 0..<bytes.count where other[index] != bytes[index] { return false }
        return true
    }
}
