/// The join stage's common case decided on the payload's bytes: `room` and `sub` strings of printable ASCII without
/// escapes, no tenant, and a `context` that neither asks for a pattern nor names a tenant.
extension Verification {
    /// Whether ``claimsJoinStage(payload:checks:)`` would let these claims join, adding no hint, shown without making
    /// a String: `string.lower(room)` is the room node or `*`, and `string.lower(sub)` rebuilds the MUC's address
    /// (the MUC without `<prefix>.`, or `*` when rooms are looked up on the MUC itself). `false` says only that the
    /// bytes do not decide; the String path then answers. `domainVerification` is the MUC's
    /// ``RoomVerification/enableDomainVerification``.
    func plainJoinAccepts(_ payload: JSONBytesView, domainVerification: Bool) -> Bool {
        // A `[tenant]name` node (always so with a URL tenant) compares its parts: the String path does that.
        let roomBytes = room.utf8.span
        guard domainVerification, payload.rootKind == .object, roomBytes.isEmpty || roomBytes[0] != UInt8(ascii: "["),
            let roomClaim = payload.member(.room), roomClaim.kind == .string,
            let roomText = payload.plainContents(of: roomClaim),
            let subClaim = payload.member(.sub), subClaim.kind == .string,
            let subText = payload.plainContents(of: subClaim)
        else { return false }
        if let contextMember = payload.member(.context) {
            // `context.room.regex` and `context.tenant` are read only from an object (a string or an array has no
            // members, any other value raises: the String path tells those apart).
            guard contextMember.kind == .object, !payload.objectHasMember(contextMember, .room),
                !payload.objectHasMember(contextMember, .tenant)
            else { return false }
        }
        let bytes = payload.bytes.span
        // `auth_room == "*"` checks the room node itself; any other room claim must be it, lowered.
        guard Self.isWildcard(bytes, roomText) || Self.lowered(bytes, roomText, equals: roomBytes) else {
            return false
        }
        let prepared = verifier.prepared
        if Self.isWildcard(bytes, subText) { return prepared.roomMUCDomainIsJoinedMUC }
        guard let subject = prepared.joinedMUCSubject else { return false }
        return Self.lowered(bytes, subText, equals: subject.span)
    }

    /// Whether `bytes[range]` is `*`.
    static func isWildcard(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool {
        range.count == 1 && bytes[range.lowerBound] == UInt8(ascii: "*")
    }

    /// Whether `bytes[range]`, lowered as `string.lower` does (ASCII letters only), is `expected`.
    static func lowered(_ bytes: Span<UInt8>, _ range: Range<Int>, equals expected: Span<UInt8>) -> Bool {
        guard range.count == expected.count else { return false }
        // The claim's bytes as a span of their own: one bounds check for the range, then indices both spans share.
        let actual = bytes.extracting(range)
        var difference: UInt8 = 0
        for offset in 0..<actual.count {
            let byte = actual[offset]
            let lower = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
            difference |= lower ^ expected[offset]
        }
        return difference == 0
    }
}
