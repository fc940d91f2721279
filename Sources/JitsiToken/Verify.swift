
/// Runs the server's checks on `token`, in the server's order, and says what the server would answer.
///
/// Connect stage: `mod_auth_token` → `token/util.lib.lua` `process_and_verify_token` → `luajwtjitsi.lib.lua`
/// `verify`. Join stage: `mod_token_verification` → `verify_room`. Values are compared the way the Lua code
/// compares them (bytes, lua-cjson float numbers, Lua truth, ASCII `string.lower`). Signatures are checked in
/// constant time.
///
/// Where the server would raise a Lua runtime error (e.g. `"sub": null` reaching `string.lower`), the verdict has
/// condition `internal-error` and Lua's message as its reason; where the token module would not load at all (no
/// `app_id`, or neither a secret nor a key server), condition `module-not-loaded` and the server's log line.
/// - Parameters:
///   - token: the token as the server receives it, or `nil` for none.
///   - rules: the server's configuration.
///   - room: the room node as the MUC sees it (`weekly-sync`, or `[acme]weekly-sync` for a tenant URL). A node
///     without `[…]` and a non-nil `tenant` are combined into `[tenant]room`.
///   - tenant: the tenant of the meeting URL, if any (compared with `context.tenant`).
///   - now: the server clock, seconds since the epoch (Lua's `os.time()`, so the fraction is dropped).
///   - roomExists: whether jicofo has created the room already on the MUC the user joins (as it has when the web
///     client joins); the answer to a room not yet created depends on `rules.era`.
public func verify(
    token: String?, rules: ServerRules, room: String, tenant: String?, now: Double, roomExists: Bool = true
) -> Verdict {
    TokenVerifier(rules: rules).verify(token: token, room: room, tenant: tenant, now: now, roomExists: roomExists)
}

/// ``verify(token:rules:room:tenant:now:roomExists:)`` prepared once for many tokens under the same rules: the
/// signature key is keyed (or parsed) and the join stage resolved when the verifier is made, not per token.
public struct TokenVerifier: Sendable {
    /// What is prepared, shared by copies of the verifier (so that a copy costs one reference count).
    let prepared: Prepared

    /// The rules and what is derived from them once: the key, the join stage, the texts every accepted verdict
    /// shares.
    final class Prepared: Sendable {
        let rules: ServerRules
        let joinRules: JoinRules
        /// ``SignatureKey/unusable`` without a key or a supported algorithm. Not optional: unwrapping an optional
        /// key copied its 440 bytes of HMAC state out of this object once more a token.
        let signatureKey: SignatureKey
        /// ``ServerRules/acceptedIssuers`` and ``ServerRules/acceptedAudiences`` as the connect stage compares claims
        /// with them.
        let acceptedIssuers: AcceptedValues
        let acceptedAudiences: AcceptedValues
        /// ``JoinRules/verification`` with strings of this object's own (the join stage counts references to them
        /// for every token, and copies of the verifier run on other threads); the defaults when the join stage does
        /// not check.
        let roomVerification: RoomVerification
        /// The hint of a join stage that checks nothing (the MUC does not load `token_verification`, or it does not
        /// start); `nil` when it checks, with ``roomVerification``.
        let uncheckedJoinHint: String?
        /// Where the join stage looks rooms up (``RoomVerification/mucDomain``), when it checks.
        let roomMUCDomain: String?
        /// Whether ``roomMUCDomain`` is the joined MUC, so that `sub: "*"` rebuilds its rooms' addresses.
        let roomMUCDomainIsJoinedMUC: Bool
        /// ``JoinRules/subject``: the `sub` (lowered) that rebuilds a room address on the joined MUC.
        let joinedMUCSubject: [UInt8]?
        /// ``PluginEra/acceptedHints(rules:)``: the same for every accepted token.
        let acceptedHints: [String]
        /// The end of the hint that the room exists: `@`, the MUC domain, and what the hint says of it.
        let roomAssumptionEnding: RoomAssumption.Ending
        /// ``ServerRules/supportedAlgorithm``.
        let algorithm: SignatureAlgorithm?
        /// The header segments that minters write for ``algorithm`` (`{"alg":…,"typ":"JWT"}` in either order),
        /// each kept only if it passes the header checks, so that tokens bearing one skip them.
        let passingHeaders: [[UInt8]]

        init(rules: ServerRules, joinRules: JoinRules, signatureKey: SignatureKey) {
            self.rules = rules
            self.joinRules = joinRules
            self.signatureKey = signatureKey
            acceptedIssuers = AcceptedValues(rules.acceptedIssuers)
            acceptedAudiences = AcceptedValues(rules.acceptedAudiences)
            roomVerification = Self.ownCopy(
                joinRules.verification ?? RoomVerification(parentHost: rules.xmppDomain, mucMapperDomainBase: nil))
            uncheckedJoinHint =
                switch joinRules.checker {
                case .verifies: nil
                case .notLoaded:
                    "the join stage checks nothing: " + joinRules.muc + " does not load token_verification, so any "
                        + "room, sub and tenant is accepted there"
                case .notStarted(let reason):
                    "the join stage checks nothing: token_verification on " + joinRules.muc + " does not start ("
                        + reason + ")"
                }
            roomMUCDomain = joinRules.verification?.mucDomain
            roomMUCDomainIsJoinedMUC = roomMUCDomain.map { sameBytes($0, joinRules.muc) } ?? false
            joinedMUCSubject = joinRules.subject.map { Array($0.utf8) }
            acceptedHints = rules.era.acceptedHints(rules: rules)
            roomAssumptionEnding = RoomAssumption.Ending(mucDomain: roomMUCDomain ?? "")
            algorithm = rules.supportedAlgorithm
            passingHeaders = algorithm.map { algorithm in
                [
                    #"{"alg":""# + algorithm.rawValue + #"","typ":"JWT"}"#,
                    #"{"typ":"JWT","alg":""# + algorithm.rawValue + #""}"#,
                ]
                .map { Array(Base64URL.encode(Array($0.utf8)).utf8) }
                .filter { Verification.headerPasses($0[...], algorithm: algorithm) }
            } ?? []
        }

        /// `verification` with new storage for each of its strings.
        private static func ownCopy(_ verification: RoomVerification) -> RoomVerification {
            func own(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }
            return RoomVerification(
                parentHost: own(verification.parentHost), allowEmptyToken: verification.allowEmptyToken,
                enableDomainVerification: verification.enableDomainVerification,
                requireRoomClaim: verification.requireRoomClaim,
                mucMapperDomainBase: verification.mucMapperDomainBase.map(own),
                mucMapperDomainPrefix: own(verification.mucMapperDomainPrefix),
                mucMapperDomain: verification.mucMapperDomain.map(own))
        }

        /// Whether `segment` is one of ``passingHeaders``.
        func passesHeaderChecks(_ bytes: Span<UInt8>) -> Bool {
            passingHeaders.contains { header in
                let known = header.span
                guard known.count == bytes.count else { return false }
                for index in known.indices where known[index] != bytes[index] { return false }
                return true
            }
        }

        /// Whether the claim `iss` of `body` is one of ``acceptedIssuers``. Methods of this object, so that the arrays
        /// are read in place (passed from outside, they were retained around each call).
        func acceptsIssuer(_ iss: JSONBytesView.Member, of body: JSONBytesView) -> Bool {
            acceptedIssuers.accepts(iss, of: body)
        }

        /// Whether the claim `aud` of `body` is one of ``acceptedAudiences``.
        func acceptsAudience(_ aud: JSONBytesView.Member, of body: JSONBytesView) -> Bool {
            acceptedAudiences.accepts(aud, of: body)
        }

        /// Whether `signature` signs `input` under ``signatureKey``.
        func isValidSignature(
            _ signature: DecodedBytes, for input: Span<UInt8>, algorithm: SignatureAlgorithm,
            start: inout SharedHMACStart
        ) -> Bool {
            signatureKey.isValid(signature, for: input, algorithm: algorithm, start: &start)
        }
    }

    /// The server's configuration.
    public var rules: ServerRules { prepared.rules }
    /// The join stage in effect (``ServerRules/joinRules``).
    public var joinRules: JoinRules { prepared.joinRules }

    /// A verifier for `rules`.
    public init(rules: ServerRules) {
        let signatureKey: SignatureKey
        if let algorithm = rules.supportedAlgorithm, let key = rules.key {
            signatureKey = SignatureKey(algorithm, key: key)
        } else {
            signatureKey = .unusable
        }
        prepared = Prepared(rules: rules, joinRules: rules.joinRules, signatureKey: signatureKey)
    }

    /// The same verifier, prepared anew: for a thread of its own, so that threads verifying at once do not
    /// count references to one shared object.
    public init(copying other: TokenVerifier) {
        prepared = Prepared(
            rules: other.rules, joinRules: other.joinRules,
            signatureKey: SignatureKey(copying: other.prepared.signatureKey))
    }

    /// What the server answers to `token`; the parameters are those of
    /// ``verify(token:rules:room:tenant:now:roomExists:)``.
    public func verify(token: String?, room: String, tenant: String?, now: Double, roomExists: Bool = true)
        -> Verdict
    {
        var storage = VerdictStorage()
        return verify(
            compact: token.map { Array($0.utf8)[...] }, room: room, tenant: tenant, now: now, roomExists: roomExists,
            storage: &storage)
    }

    /// ``verify(token:room:tenant:now:roomExists:)`` of the token's UTF-8 bytes (`nil`: no token), read where they
    /// are (a line of a batch), its payload read into the arrays of `storage` (see ``Verdict/recycleClaims(into:)``).
    public func verify(
        compact token: ArraySlice<UInt8>?, room: String, tenant: String?, now: Double, roomExists: Bool = true,
        storage: inout VerdictStorage
    ) -> Verdict {
        verify(token, segments: nil, room: room, tenant: tenant, now: now, roomExists: roomExists, storage: &storage)
    }

    /// ``verify(compact:room:tenant:now:roomExists:storage:)`` of a token already split where it lies in `bytes`
    /// (the array ``CompactTokenSplit/scan(_:from:to:)`` read).
    public func verify(
        split: CompactTokenSplit, in bytes: [UInt8], room: String, tenant: String?, now: Double,
        roomExists: Bool = true, storage: inout VerdictStorage
    ) -> Verdict {
        verify(
            bytes[split.token], segments: split.segments, room: room, tenant: tenant, now: now, roomExists: roomExists,
            storage: &storage)
    }

    private func verify(
        _ token: ArraySlice<UInt8>?, segments: InlineArray<3, Range<Int>>?, room: String, tenant: String?,
        now: Double, roomExists: Bool, storage: inout VerdictStorage
    ) -> Verdict {
        var verification = Verification(verifier: self, room: room, tenant: tenant, now: now, roomExists: roomExists)
        // The payload is held here, not by the verification, so that the join stage reads it while the verification
        // changes (taking it out of the verification and putting it back cost two moves through its metadata); the
        // storage is lent to the connect stage, not moved into the verification and out again.
        var payload: JSONBytesView?
        var verdict = verification.verdict(token, segments: segments, payload: &payload, storage: &storage)
        verdict.complete(with: &verification, payload: &payload)
        return verdict
    }
}

/// The values `luajwtjitsi`'s `verify_claim` compares a claim with: any `*` accepts anything, otherwise the claim
/// must equal an entry. Kept as bytes, made once per verifier: the entries one after another in one array, each
/// compared as a span of it (an array of arrays counted a reference to the entry compared, for every token).
struct AcceptedValues: Sendable {
    let acceptsAny: Bool
    let bytes: [UInt8]
    let ranges: [Range<Int>]

    init(_ texts: [String]) {
        acceptsAny = texts.contains("*")
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for text in texts {
            let start = bytes.count
            bytes += text.utf8
            ranges.append(start..<bytes.count)
        }
        self.bytes = bytes
        self.ranges = ranges
    }

    /// Whether `claim` (a member of `body`) is accepted.
    func accepts(_ claim: JSONBytesView.Member, of body: JSONBytesView) -> Bool {
        if acceptsAny { return true }
        let values = bytes.span
        let entries = ranges.span
        for index in entries.indices where body.isString(claim, equalTo: values.extracting(entries[index])) {
            return true
        }
        return false
    }
}

struct Refusal: Error {
    var verdict: Verdict
}

struct Verification {
    let verifier: TokenVerifier
    // Lent, not copied: a copy would count a reference for each of their strings and arrays.
    var rules: ServerRules { _read { yield verifier.prepared.rules } }
    var joinRules: JoinRules { _read { yield verifier.prepared.joinRules } }
    let room: String
    let tenant: String?
    /// `os.time()`.
    let now: Int64
    let roomExists: Bool
    var hints: [String] = []
    /// What the verdict takes for granted (that jicofo created the room), listed after the other hints.
    var assumedRoom: RoomAssumption?

    init(verifier: TokenVerifier, room: String, tenant: String?, now: Double, roomExists: Bool) {
        self.verifier = verifier
        self.roomExists = roomExists
        // A bare room name with a URL tenant is the node `[tenant]room`, as muc_domain_mapper rewrites it.
        if let tenant, !room.utf8.starts(with: "[".utf8) {
            self.room = "[" + tenant + "]" + room
        } else {
            self.room = room
        }
        self.tenant = tenant
        if now.isNaN {
            self.now = 0
        } else if now >= 9.2e18 {
            self.now = Int64.max
        } else if now <= -9.2e18 {
            self.now = Int64.min
        } else {
            self.now = Int64(now.rounded(.down))
        }
    }

    // MARK: - Refusals

    static func connect(_ reason: String, condition: String = "not-allowed", hint: String? = nil) -> Refusal {
        Refusal(
            verdict: Verdict(
                accepted: false, stage: .connect, condition: condition, reason: reason,
                hints: hint.map { [$0] } ?? []))
    }

    /// A refusal by `verify_room` (with its code, in the eras that send one).
    func join(code: String?, reason: String?, hint: String? = nil) -> Refusal {
        let coded = rules.era.sendsJoinErrorCodes
        return Refusal(
            verdict: Verdict(
                accepted: false, stage: .join, condition: "not-allowed", code: coded ? code : nil,
                reason: (coded ? reason : nil) ?? "Room and token mismatched", hints: hint.map { [$0] } ?? []))
    }

    static func luaError(_ error: Lua.RuntimeError, stage: Verdict.Stage) -> Refusal {
        Refusal(
            verdict: Verdict(
                accepted: false, stage: stage, condition: "internal-error", reason: error.message,
                hints: [
                    "the server raises a Lua error on this token: it logs a traceback and the client gets no answer"
                ]))
    }

    // MARK: - The checks

    /// The verdict of ``run(_:segments:payload:)``: accepted, or its refusal's (not yet completed with what the
    /// verification found: ``Verdict/complete(with:payload:)``).
    mutating func verdict(
        _ token: ArraySlice<UInt8>?, segments: InlineArray<3, Range<Int>>?, payload: inout JSONBytesView?,
        storage: inout VerdictStorage
    ) -> Verdict {
        do {
            try run(token, segments: segments, payload: &payload, storage: &storage)
            return .accepted
        } catch {
            return error.verdict
        }
    }

    /// Both stages on `token`; `segments`, when known, are those ``tokenSegmentRanges(_:)`` finds in it. The payload
    /// is decoded and scanned into the arrays of `storage` and left in `payload` once it decodes, whether the token is
    /// accepted or not.
    mutating func run(
        _ token: ArraySlice<UInt8>?, segments: InlineArray<3, Range<Int>>? = nil, payload: inout JSONBytesView?,
        storage: inout VerdictStorage
    ) throws(Refusal) {
        try connectStage(token, segments: segments, payload: &payload, storage: &storage)
        try joinStage(payload: payload, hasToken: token != nil)
        if !roomExists, !rules.era.joinRequiresExistingRoom {
            throw Refusal(verdict: rules.era.roomCreationRestrictedVerdict)
        }
        if !verifier.prepared.acceptedHints.isEmpty { hints += verifier.prepared.acceptedHints }
    }


    /// The `sub` values the join stage accepts, in words.
    func expectedSubDescription() -> String {
        if let tenant = roomTenant() {
            return "the tenant " + quoted(tenant) + " or \"*\""
        }
        let join = joinRules
        guard let subject = join.subject else {
            guard let verification = join.verification else { return "any value (the join stage does not check it)" }
            guard let mucDomain = verification.mucDomain, sameBytes(mucDomain, join.muc) else {
                return "a room address on " + (verification.mucDomain ?? "?") + ", not " + join.muc
                    + ": no sub lets a token join " + join.muc
            }
            return "\"*\" (no other value rebuilds the room address on " + join.muc + ")"
        }
        if sameBytes(subject, rules.xmppDomain) { return "the XMPP domain " + quoted(subject) + " or the tenant" }
        return quoted(subject) + " (the domain of " + join.muc + ", where this host's users join rooms; not "
            + quoted(rules.xmppDomain) + ") or \"*\""
    }

    /// The tenant and room name of a `[tenant]name` node (`^%[([^%]]+)%](.+)$`).
    func splitNode() -> (tenant: String, name: String)? {
        guard room.utf8.first == UInt8(ascii: "[") else { return nil }
        let bytes = Array(room.utf8)
        guard bytes.first == UInt8(ascii: "["), let close = bytes.dropFirst().firstIndex(of: UInt8(ascii: "]")),
            close > 1, close + 1 < bytes.count
        else { return nil }
        return (
            String(decoding: bytes[1..<close], as: UTF8.self),
            String(decoding: bytes[(close + 1)...], as: UTF8.self)
        )
    }

    func roomTenant() -> String? { splitNode()?.tenant }

}
