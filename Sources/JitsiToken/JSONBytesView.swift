/// A JSON text that lua-cjson accepts, read in place: the offsets of its top-level members (for an object), keys
/// compared as bytes, and values decoded (by ``CJSONDecoder``, so exactly as in a decoded tree) only when asked.
///
/// The verifier reads a token's header and payload through it; the whole tree (``value``) is built only for output
/// that needs it, and ``appendJSONText(to:)`` copies the bytes where they already are that output.
struct JSONBytesView: Sendable {
    /// What a value is, as far as the server's Lua code tells values apart.
    enum Kind: UInt8, Sendable {
        case object, array, string, number, bool, null
    }

    /// One `"key": value` of the top-level object, in text order (a repeated key appears each time).
    struct Member: Sendable {
        /// The bytes between the key's quotes.
        var key: Range<Int>
        /// Whether the key has no escape and only ASCII bytes, so that its bytes are the decoded key's.
        var keyIsPlain: Bool
        /// The value's text.
        var value: Range<Int>
        var kind: Kind
    }

    /// The whole decoded text (header or payload bytes).
    let bytes: [UInt8]
    /// The top-level value's text.
    let root: Range<Int>
    let rootKind: Kind
    /// The top-level object's members; empty for any other value.
    let members: [Member]
    /// Whether the root's text is byte for byte what ``JSONValue/jsonText`` writes for the decoded value.
    let isCanonical: Bool
    /// The members of the object the top-level `context` key holds last, recorded in the same pass, and that
    /// object's offset (-1 for none).
    let contextMembers: [Member]
    let contextStart: Int
    /// Where in ``members`` each ``ClaimName`` is (its last member; -1 for none), found in the same pass; `nil`
    /// when a key has escapes or non-ASCII bytes (then names are looked up by decoding keys) or for a nested view.
    var claimMembers: ClaimMembers? = nil
    /// Whether the whole text is printable ASCII without `\\`, so that every string's contents are its value.
    var stringsArePlain = false

    /// An index into ``members`` for each ``ClaimName`` case.
    typealias ClaimMembers = InlineArray<11, Int32>

    /// The member names the verifier reads, found once per scan instead of once per lookup.
    enum ClaimName: Int, CaseIterable, Sendable {
        case typ, alg, exp, nbf, iat, iss, aud, room, sub, context, tenant

        var text: String {
            switch self {
            case .typ: "typ"
            case .alg: "alg"
            case .exp: "exp"
            case .nbf: "nbf"
            case .iat: "iat"
            case .iss: "iss"
            case .aud: "aud"
            case .room: "room"
            case .sub: "sub"
            case .context: "context"
            case .tenant: "tenant"
            }
        }

        /// The name whose bytes are `bytes[range]`, if any: compared as the bytes read as a little-endian integer
        /// (``text`` packed so, checked in the tests). Inlined: the scans call it for every top-level key.
        @inline(__always)
        static func named(_ bytes: Span<UInt8>, _ range: Range<Int>) -> ClaimName? {
            let start = range.lowerBound
            switch range.count {
            case 3:
                return switch UInt32(bytes[start]) | UInt32(bytes[start + 1]) &<< 8 | UInt32(bytes[start + 2]) &<< 16 {
                case 0x70_7974: .typ
                case 0x67_6c61: .alg
                case 0x70_7865: .exp
                case 0x66_626e: .nbf
                case 0x74_6169: .iat
                case 0x73_7369: .iss
                case 0x64_7561: .aud
                case 0x62_7573: .sub
                default: nil
                }
            case 4:
                let packed = UInt32(bytes[start]) | UInt32(bytes[start + 1]) &<< 8 | UInt32(bytes[start + 2]) &<< 16
                    | UInt32(bytes[start + 3]) &<< 24
                return packed == 0x6d6f_6f72 ? .room : nil
            case 6:
                let low = UInt32(bytes[start]) | UInt32(bytes[start + 1]) &<< 8 | UInt32(bytes[start + 2]) &<< 16
                    | UInt32(bytes[start + 3]) &<< 24
                let high = UInt32(bytes[start + 4]) | UInt32(bytes[start + 5]) &<< 8
                return low == 0x616e_6574 && high == 0x746e ? .tenant : nil
            case 7:
                let low = UInt32(bytes[start]) | UInt32(bytes[start + 1]) &<< 8 | UInt32(bytes[start + 2]) &<< 16
                    | UInt32(bytes[start + 3]) &<< 24
                let high = UInt32(bytes[start + 4]) | UInt32(bytes[start + 5]) &<< 8 | UInt32(bytes[start + 6]) &<< 16
                return low == 0x746e_6f63 && high == 0x74_7865 ? .context : nil
            default:
                return nil
            }
        }
    }

    /// The view's arrays, for ``VerdictStorage`` to keep.
    consuming func storageArrays() -> ([UInt8], [Member], [Member]) {
        (bytes, members, contextMembers)
    }

    /// ``member(_:)-(String)`` for a name the scan looked for. Inlined, as ``Lua/member(_:_:name:)-(_,ClaimName,_)``:
    /// a token's stages look up eight names, and the calls cost more than the lookups.
    @inline(__always)
    func member(_ name: ClaimName) -> Member? {
        guard let claimMembers else { return member(name.text) }
        let index = Int(claimMembers[name.rawValue])
        return index < 0 ? nil : members[index]
    }

    /// The member that the decoded object holds for `key` (cjson keeps a repeated key's last value), compared as
    /// bytes; `nil` when there is none or the root is not an object.
    func member(_ key: String) -> Member? {
        Self.lastMember(key, of: members, in: bytes)
    }

    /// Whether the object `member` holds has a member `key`; read from the members the scan recorded when it is
    /// the `context` object, without making its view. `false` when `member` is no object.
    func objectHasMember(_ member: Member, _ key: String) -> Bool {
        guard member.kind == .object else { return false }
        guard member.value.lowerBound == contextStart else { return view(of: member).member(key) != nil }
        return Self.lastMember(key, of: contextMembers, in: bytes) != nil
    }

    /// ``objectHasMember(_:_:)-(_,String)`` for a name the scans know, compared as ``ClaimName/named(_:_:)`` reads
    /// keys. Inlined, as the lookups by name.
    @inline(__always)
    func objectHasMember(_ member: Member, _ name: ClaimName) -> Bool {
        guard member.kind == .object else { return false }
        guard member.value.lowerBound == contextStart else { return view(of: member).member(name.text) != nil }
        let text = bytes.span
        return contextMembers.contains { candidate in
            candidate.keyIsPlain
                ? ClaimName.named(text, candidate.key) == name
                : Self.keyEquals(bytes, candidate.key, plain: false, name.text)
        }
    }

    /// The last of `members` (of a text of `bytes`) whose key decodes to `key`.
    private static func lastMember(_ key: String, of members: [Member], in bytes: [UInt8]) -> Member? {
        let expected = key.utf8.span
        let text = bytes.span
        // A key's first byte (its closing quote when empty) is always in the text.
        let first = expected.isEmpty ? UInt8(ascii: "\"") : expected[0]
        var index = members.count
        while index > 0 {
            index -= 1
            let member = members[index]
            guard member.keyIsPlain else {
                if keyEquals(bytes, member.key, plain: false, key) { return member }
                continue
            }
            if member.key.count == expected.count, text[member.key.lowerBound] == first,
                equal(text, member.key, expected)
            {
                return member
            }
        }
        return nil
    }

    /// Whether the key at `range` (plain: its bytes are the decoded key's) decodes to `key`'s bytes.
    static func keyEquals(_ bytes: [UInt8], _ range: Range<Int>, plain: Bool, _ key: String) -> Bool {
        guard plain else {
            guard case .string(let decoded)? = CJSONDecoder.decodeValue(bytes, at: range.lowerBound - 1) else {
                return false
            }
            return sameBytes(decoded, key)
        }
        return equal(bytes.span, range, key.utf8.span)
    }

    /// Whether `member` is a string whose decoded bytes are `text`'s (Lua's `==`), without making a String when it is
    /// plain.
    func isString(_ member: Member, equalTo text: String) -> Bool {
        isString(member, equalTo: text.utf8.span)
    }

    /// ``isString(_:equalTo:)-(_,String)`` of the UTF-8 bytes `expected`.
    func isString(_ member: Member, equalTo expected: Span<UInt8>) -> Bool {
        guard member.kind == .string else { return false }
        if let contents = plainContents(of: member) {
            return Self.equal(bytes.span, contents, expected)
        }
        guard case .string(let decoded) = value(of: member) else { return false }
        let actual = decoded.utf8.span
        return Self.equal(actual, actual.indices, expected)
    }

    /// The decoded value of `member`.
    func value(of member: Member) -> JSONValue {
        // A string of printable ASCII without escapes is its bytes (as the decoder reads it too).
        if member.kind == .string, let contents = plainContents(of: member) {
            return .string(String(decoding: bytes[contents], as: UTF8.self))
        }
        if member.kind == .number, let number = Self.smallInteger(bytes.span, member.value) { return .number(number) }
        return CJSONDecoder.decodeValue(bytes, at: member.value.lowerBound) ?? .null
    }

    /// The value of `member` when it is a number, as ``value(of:)`` decodes it (`nil` for any other kind). Inlined,
    /// as the lookups by name.
    @inline(__always)
    func number(of member: Member) -> Double? {
        guard member.kind == .number else { return nil }
        if let number = Self.smallInteger(bytes.span, member.value) { return number }
        guard case .number(let number)? = CJSONDecoder.decodeValue(bytes, at: member.value.lowerBound) else {
            return nil
        }
        return number
    }

    /// The contents of the string `member` when they are printable ASCII without escapes (its bytes are its value).
    func plainContents(of member: Member) -> Range<Int>? {
        if stringsArePlain { return member.value.lowerBound + 1..<member.value.upperBound - 1 }
        return PayloadJSON.plainASCIIString(in: bytes, at: member.value.lowerBound, before: bytes.count)
    }

    /// The view of `member`'s value (an object's members recorded in turn).
    func view(of member: Member) -> JSONBytesView {
        guard member.kind == .object, member.value.lowerBound == contextStart else {
            return CJSONScanner.view(of: bytes, value: member.value)
        }
        return JSONBytesView(
            bytes: bytes, root: member.value, rootKind: .object, members: contextMembers, isCanonical: false,
            contextMembers: [], contextStart: -1, stringsArePlain: stringsArePlain)
    }

    /// The whole decoded value, as ``CJSONDecoder/decode(_:)`` gives it.
    var value: JSONValue {
        CJSONDecoder.decodeValue(bytes, at: root.lowerBound) ?? .null
    }

    /// Appends ``JSONValue/jsonText`` of ``value``: the bytes as they are when canonical, else the tree's text.
    func appendJSONText(to output: inout [UInt8]) {
        if isCanonical {
            // From a span: a slice of the bytes would count a reference to them.
            appendContents(of: bytes.span.extracting(root), to: &output)
        } else {
            value.appendJSONText(to: &output)
        }
    }

    /// Writes ``appendJSONText(to:)``'s text of a canonical view: its bytes as they are.
    func writeCanonicalText(to output: inout OutputSpan<UInt8>) {
        precondition(isCanonical, "a view whose text is not its bytes")
        output.appendCopy(of: bytes.span.extracting(root))
    }

    /// The value of 1 to 15 decimal digits (no sign, point or exponent), which `strtod` reads exactly, as every
    /// integer below 2^53 is a Double.
    private static func smallInteger(_ buffer: Span<UInt8>, _ range: Range<Int>) -> Double? {
        guard range.count >= 1, range.count <= 15 else { return nil }
        // The digits as a span of their own: one bounds check for the range, then indices under its count.
        let digits = buffer.extracting(range)
        var value: Int64 = 0
        for index in 0..<digits.count {
            let digit = digits[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)  // 15 digits stay far below Int64.max
        }
        return Double(value)
    }

    /// Whether `buffer[range]` is `expected`.
    private static func equal(_ buffer: Span<UInt8>, _ range: Range<Int>, _ expected: Span<UInt8>) -> Bool {
        guard expected.count == range.count else { return false }
        let actual = buffer.extracting(range)
        var difference: UInt8 = 0
        for offset in 0..<expected.count { difference |= actual[offset] ^ expected[offset] }
        return difference == 0
    }
}

extension Lua {
    /// `type(v)` for a value of this kind.
    static func typeName(_ kind: JSONBytesView.Kind) -> String {
        switch kind {
        case .null: "userdata"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array, .object: "table"
        }
    }

    /// `value.key` in Lua (``index(_:_:name:)`` on the view's root): the member, if any.
    static func member(_ view: JSONBytesView, _ key: String, name: String) throws(RuntimeError)
        -> JSONBytesView.Member?
    {
        try indexesMembers(view, name: name) ? view.member(key) : nil
    }

    /// ``member(_:_:name:)-(_,String,_)`` for a name the scan looked for (inlined: see
    /// ``JSONBytesView/member(_:)-(ClaimName)``).
    @inline(__always)
    static func member(_ view: JSONBytesView, _ key: JSONBytesView.ClaimName, name: String) throws(RuntimeError)
        -> JSONBytesView.Member?
    {
        try indexesMembers(view, name: name) ? view.member(key) : nil
    }

    /// Whether indexing the view's root in Lua looks its members up (an object) or finds none (an array or a
    /// string); indexing any other value is Lua's error.
    private static func indexesMembers(_ view: JSONBytesView, name: String) throws(RuntimeError) -> Bool {
        switch view.rootKind {
        case .object: return true
        case .array, .string: return false
        case .null, .bool, .number:
            throw RuntimeError(message: "attempt to index a \(typeName(view.rootKind)) value (\(name))")
        }
    }

    /// `value.key` in Lua, decoded, for a name the scan looked for.
    static func index(_ view: JSONBytesView, _ key: JSONBytesView.ClaimName, name: String) throws(RuntimeError)
        -> JSONValue?
    {
        guard let member = try member(view, key, name: name) else { return nil }
        return view.value(of: member)
    }

    /// `value.key` in Lua, decoded.
    static func index(_ view: JSONBytesView, _ key: String, name: String) throws(RuntimeError) -> JSONValue? {
        guard let member = try member(view, key, name: name) else { return nil }
        return view.value(of: member)
    }
}
