internal import Crypto
internal import _CryptoExtras

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

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
///   - roomExists: whether jicofo has created the room already (as it has when the web client joins); the answer to
///     a room not yet created depends on `rules.era`.
public func verify(
    token: String?, rules: ServerRules, room: String, tenant: String?, now: Double, roomExists: Bool = true
) -> Verdict {
    var verification = Verification(rules: rules, room: room, tenant: tenant, now: now, roomExists: roomExists)
    do {
        try verification.run(token)
        return Verdict(accepted: true, hints: verification.hints, claims: verification.claims)
    } catch {
        var verdict = error.verdict
        verdict.hints = verification.hints + verdict.hints
        verdict.claims = verification.claims
        return verdict
    }
}

private struct Refusal: Error {
    var verdict: Verdict
}

private struct Verification {
    let rules: ServerRules
    let room: String
    let tenant: String?
    /// `os.time()`.
    let now: Int64
    let roomExists: Bool
    var hints: [String] = []
    var claims: JSONValue?

    init(rules: ServerRules, room: String, tenant: String?, now: Double, roomExists: Bool) {
        self.rules = rules
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

    private func connect(_ reason: String, condition: String = "not-allowed", hint: String? = nil) -> Refusal {
        Refusal(
            verdict: Verdict(
                accepted: false, stage: .connect, condition: condition, reason: reason,
                hints: hint.map { [$0] } ?? []))
    }

    /// A refusal by `verify_room` (with its code, in the eras that send one).
    private func join(code: String?, reason: String?, hint: String? = nil) -> Refusal {
        let coded = rules.era.sendsJoinErrorCodes
        return Refusal(
            verdict: Verdict(
                accepted: false, stage: .join, condition: "not-allowed", code: coded ? code : nil,
                reason: (coded ? reason : nil) ?? "Room and token mismatched", hints: hint.map { [$0] } ?? []))
    }

    private func luaError(_ error: Lua.RuntimeError, stage: Verdict.Stage) -> Refusal {
        Refusal(
            verdict: Verdict(
                accepted: false, stage: stage, condition: "internal-error", reason: error.message,
                hints: [
                    "the server raises a Lua error on this token: it logs a traceback and the client gets no answer"
                ]))
    }

    // MARK: - The checks

    mutating func run(_ token: String?) throws(Refusal) {
        let payload = try connectStage(token)
        try joinStage(payload: payload, hasToken: token != nil)
        if !roomExists, !rules.era.joinRequiresExistingRoom {
            throw Refusal(verdict: rules.era.roomCreationRestrictedVerdict)
        }
        hints += rules.era.acceptedHints(rules: rules)
    }

    /// Stage A. Returns the payload (`nil` when an empty token was allowed).
    private mutating func connectStage(_ token: String?) throws(Refusal) -> JSONValue? {
        // Without these the token module does not load at all (util.lib.lua's constructor returns nil).
        guard rules.appID != nil else {
            throw Refusal(
                verdict: Verdict(
                    accepted: false, stage: .connect, condition: "module-not-loaded",
                    reason: "'app_id' must not be empty",
                    hints: ["token authentication does not load without app_id; clients see no usable SASL mechanism"]))
        }
        guard rules.key != nil || rules.usesKeyServer else {
            throw Refusal(
                verdict: Verdict(
                    accepted: false, stage: .connect, condition: "module-not-loaded",
                    reason: rules.era.missingKeyConfigurationText,
                    hints: ["token authentication does not load without app_secret or a key server"]))
        }
        guard let token else {
            if rules.allowEmptyToken {
                hints.append("no token: allow_empty_token lets the user in anonymously")
                return nil
            }
            throw connect(
                "token required",
                hint: "no token reached the server: pass it as #jwt=… or ?jwt=… in "
                    + "the meeting URL (a proxy may drop the query)")
        }
        let bytes = Array(token.utf8)

        if rules.usesKeyServer { try keyServerChecks(bytes) }

        guard let key = rules.key else {
            throw connect(
                "signature verification key is missing",
                hint: rules.usesKeyServer
                    ? "the server could not obtain a public key" : "the server has no app_secret")
        }
        guard let algorithm = rules.supportedAlgorithm else {
            throw connect(
                "Algorithm not supported",
                hint: "the server's signature_algorithm is "
                    + quoted(rules.signatureAlgorithm) + "; it must be one of HS256, HS384, HS512, RS256, RS384, RS512")
        }

        // Runs of bytes other than '.' and '\'; empty runs vanish.
        let (segments, segmentCount) = Self.segments(of: bytes)
        guard segmentCount == 3 else {
            throw connect(
                "Invalid token",
                hint: "a JWT is three non-empty base64url parts joined by dots; this has "
                    + "\(segmentCount) (an unsigned alg \"none\" token has two)")
        }
        // basexx returns (nil, bad character) on a byte outside the url-safe alphabet, and cjson.safe.decode
        // raises on the extra argument instead of returning an error.
        guard let headerBytes = Base64URL.decodeLenient(segments[0]) else {
            throw luaError(.decodeArguments, stage: .connect)
        }
        guard let header = CJSONDecoder.decode(headerBytes) else {
            throw connect("Invalid header", hint: "the first part is not base64url-encoded JSON")
        }
        guard let bodyBytes = Base64URL.decodeLenient(segments[1]) else {
            throw luaError(.decodeArguments, stage: .connect)
        }
        guard let body = CJSONDecoder.decode(bodyBytes) else {
            throw connect("Invalid body", hint: "the second part is not base64url-encoded JSON")
        }
        claims = body
        guard let signature = Base64URL.decodeLenient(segments[2]) else {
            throw connect("Invalid signature", hint: "the third part is not base64url (url-safe alphabet, no + or /)")
        }

        let typ: JSONValue?
        let alg: JSONValue?
        do {
            typ = try Lua.index(header, "typ", name: "local 'header'")
            alg = try Lua.index(header, "alg", name: "local 'header'")
        } catch {
            throw luaError(error, stage: .connect)
        }
        guard Lua.isTruthy(typ), luaEquals(typ, "JWT") else {
            throw connect(
                "Invalid typ",
                hint: "the header's typ is \(describe(typ)); the server expects \"JWT\" "
                    + "exactly (case-sensitive)")
        }
        guard Lua.isTruthy(alg), luaEquals(alg, algorithm.rawValue) else {
            throw connect(
                "Invalid or incorrect alg",
                hint: "the header's alg is \(describe(alg)); the server expects "
                    + quoted(algorithm.rawValue) + " (signature_algorithm)")
        }

        // The signing input is `header.payload` as the server rebuilds it; in a well-formed token that is the text
        // before the second dot as it stands.
        let signingInput: ArraySlice<UInt8>
        if segments[1].startIndex == segments[0].endIndex + 1, bytes[segments[0].endIndex] == UInt8(ascii: ".") {
            signingInput = bytes[segments[0].startIndex..<segments[1].endIndex]
        } else {
            var joined = Array(segments[0])
            joined.append(UInt8(ascii: "."))
            joined.append(contentsOf: segments[1])
            signingInput = joined[...]
        }
        guard signatureIsValid(signature, for: signingInput, algorithm: algorithm, key: key) else {
            throw connect(
                "Invalid signature",
                hint: algorithm.isHMAC
                    ? "the token was not signed with the server's app_secret (HMAC over the raw secret bytes)"
                    : "the token was not signed with the private key matching the server's public key")
        }

        let exp: JSONValue?
        let nbf: JSONValue?
        let iat: JSONValue?
        do {
            exp = try Lua.index(body, "exp", name: "local 'body'")
            nbf = try Lua.index(body, "nbf", name: "local 'body'")
            iat = try Lua.index(body, "iat", name: "local 'body'")
        } catch {
            throw luaError(error, stage: .connect)
        }
        if Lua.isTruthy(exp), Lua.typeName(exp) != "number" {
            throw connect(
                "exp must be number",
                hint: "exp is \(describe(exp)); the server expects a JSON number "
                    + "of seconds since the epoch")
        }
        if Lua.isTruthy(nbf), Lua.typeName(nbf) != "number" {
            throw connect(
                "nbf must be number",
                hint: "nbf is \(describe(nbf)); the server expects a JSON number "
                    + "of seconds since the epoch")
        }
        if case .number(let expiry)? = exp, Double(now) >= expiry {
            var validity = ""
            if Lua.isTruthy(iat) {
                let issued: Double
                switch iat {
                case .number(let value)?: issued = value
                case .string(let text)?:
                    guard let value = Lua.coerceToNumber(text) else {
                        // The string library's arithmetic metamethod words it this way.
                        throw luaError(.init(message: "attempt to sub a 'number' with a 'string'"), stage: .connect)
                    }
                    issued = value
                default:
                    throw luaError(
                        .init(
                            message: "attempt to perform arithmetic on a \(Lua.typeName(iat)) value "
                                + "(field 'iat')"), stage: .connect)
                }
                validity = ", valid for:" + Lua.format(expiry - issued) + " sec"
            }
            throw connect(
                "Not acceptable by exp (" + Lua.format(Double(now) - expiry) + " sec since expired"
                    + validity + ")",
                hint: "exp is \(describe(exp)), the server clock is \(now): the token expired; "
                    + "mint a new one (the server allows no leeway)")
        }
        if case .number(let notBefore)? = nbf, Double(now) < notBefore {
            throw connect(
                "Not acceptable by nbf",
                hint: "nbf is \(describe(nbf)), the server clock is \(now): the "
                    + "token is not valid yet; back-date nbf by the clock skew (the server allows no leeway)")
        }

        let iss: JSONValue?
        let aud: JSONValue?
        let roomClaim: JSONValue?
        let sub: JSONValue?
        let context: JSONValue?
        do {
            iss = try Lua.index(body, "iss", name: "local 'body'")
            aud = try Lua.index(body, "aud", name: "local 'body'")
            roomClaim = try Lua.index(body, "room", name: "local 'claims'")
            sub = try Lua.index(body, "sub", name: "local 'claims'")
            context = try Lua.index(body, "context", name: "local 'claims'")
        } catch {
            throw luaError(error, stage: .connect)
        }
        var issuers: String { rules.acceptedIssuers.map(quoted).joined(separator: ", ") }
        guard let iss else {
            throw connect("'iss' claim is missing", hint: "iss is missing; the server accepts \(issuers)")
        }
        guard accepts(rules.acceptedIssuers, iss) else {
            throw connect(
                "invalid 'iss' claim",
                hint: "iss is \(describe(iss)); the server accepts \(issuers) "
                    + "(asap_accepted_issuers, by default app_id)")
        }
        var audiences: String { rules.acceptedAudiences.map(quoted).joined(separator: ", ") }
        guard let aud else {
            throw connect(
                "'aud' claim is missing",
                hint: "aud is missing; it must be present even when the server "
                    + "accepts any audience (\(audiences))")
        }
        guard accepts(rules.acceptedAudiences, aud) else {
            throw connect(
                "invalid 'aud' claim",
                hint: "aud is \(describe(aud)); the server accepts \(audiences) "
                    + "(asap_accepted_audiences), as a single string")
        }
        if rules.requireRoomClaim, roomClaim == nil {
            throw Refusal(verdict: rules.era.missingRoomClaimVerdict(room: room))
        }
        if sub == nil, rules.era.requiresSubAtConnect {
            throw connect(
                "sub claim is missing", condition: "not-authorized",
                hint: "sub is missing; the server "
                    + "expects \(expectedSubDescription())")
        }
        if let context {
            // The session binds context.user, group, features, room and tenant.
            do {
                for field in ["user", "group", "features", "room", "tenant"] {
                    _ = try Lua.index(context, field, name: "field 'context'")
                }
            } catch {
                throw luaError(error, stage: .connect)
            }
        }
        return body
    }

    /// The first three runs of bytes other than `.` and `\\` (empty runs vanish), and how many runs there are.
    private static func segments(of bytes: [UInt8]) -> (segments: [ArraySlice<UInt8>], count: Int) {
        let (ranges, count) = bytes.withUnsafeBufferPointer(segmentRanges)
        return count == 3 ? (ranges.map { bytes[$0] }, 3) : ([], count)
    }

    /// A1: with a key server the server first reads `kid` from the header.
    private func keyServerChecks(_ bytes: [UInt8]) throws(Refusal) {
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else {
            throw connect("Invalid token", hint: "the token has no '.'")
        }
        guard let headerBytes = Base64URL.decodeLenient(bytes[..<dot]) else {
            guard rules.era.rejectsUndecodableKeyServerHeader else { throw luaError(.decodeArguments, stage: .connect) }
            throw connect("Invalid token", hint: "the header is not base64url (url-safe alphabet, no + or /)")
        }
        guard let header = CJSONDecoder.decode(headerBytes) else {
            throw connect("bad token format", hint: "the header is not base64url-encoded JSON")
        }
        let kid: JSONValue?
        let alg: JSONValue?
        do {
            kid = try Lua.index(header, "kid", name: "local 'header'")
            alg = try Lua.index(header, "alg", name: "local 'header'")
        } catch {
            throw luaError(error, stage: .connect)
        }
        guard kid != nil else {
            throw connect("'kid' claim is missing", hint: "with a key server the header must name the key in kid")
        }
        guard let alg else {
            throw connect("'alg' claim is missing", hint: "the header has no alg")
        }
        // `alg.sub(alg, 1, 2) ~= "RS"`
        switch alg {
        case .string: break
        case .array, .object:
            throw luaError(.init(message: "attempt to call a nil value (field 'sub')"), stage: .connect)
        default:
            throw luaError(
                .init(message: "attempt to index a \(Lua.typeName(alg)) value (local 'alg')"),
                stage: .connect)
        }
        guard case .string(let name) = alg, name.utf8.starts(with: "RS".utf8) else {
            throw connect(
                "'kid' claim only support with RS family",
                hint: "alg is \(describe(alg)); key servers "
                    + "serve RSA public keys, so alg must be RS256, RS384 or RS512")
        }
        guard case .rsaPublicKey? = rules.key else {
            throw connect(
                "could not obtain public key",
                hint: "the key server has no public key for kid "
                    + describe(kid))
        }
    }

    /// `luajwtjitsi`'s `verify_claim`: any `*` accepts anything, otherwise the claim must equal an entry.
    private func accepts(_ accepted: [String], _ claim: JSONValue) -> Bool {
        accepted.contains { $0 == "*" || luaEquals(claim, $0) }
    }

    private func expectedSubDescription() -> String {
        if let tenant = roomTenant() {
            return "the tenant " + quoted(tenant) + " or \"*\""
        }
        return "the XMPP domain " + quoted(rules.xmppDomain) + " or the tenant"
    }

    /// The tenant and room name of a `[tenant]name` node (`^%[([^%]]+)%](.+)$`).
    private func splitNode() -> (tenant: String, name: String)? {
        let bytes = Array(room.utf8)
        guard bytes.first == UInt8(ascii: "["), let close = bytes.dropFirst().firstIndex(of: UInt8(ascii: "]")),
            close > 1, close + 1 < bytes.count
        else { return nil }
        return (
            String(decoding: bytes[1..<close], as: UTF8.self),
            String(decoding: bytes[(close + 1)...], as: UTF8.self)
        )
    }

    private func roomTenant() -> String? { splitNode()?.tenant }

    // MARK: - Join

    /// Stage B: `verify_room`.
    private mutating func joinStage(payload: JSONValue?, hasToken: Bool) throws(Refusal) {
        // Before 2025-09 an allowed empty token passed before anything else.
        if !rules.era.joinRequiresExistingRoom, !hasToken, rules.allowEmptyToken { return }
        guard !room.isEmpty, !room.utf8.contains(UInt8(ascii: "@")), !room.utf8.contains(UInt8(ascii: "/")) else {
            if !rules.era.refusesInvalidRoomAddress { return }
            throw join(code: "invalid-room-address", reason: "Room address is invalid")
        }
        if rules.era.joinRequiresExistingRoom {
            guard rules.mucDomain != nil else {
                throw join(
                    code: "room-does-not-exist", reason: "Room does not exist",
                    hint: "muc_mapper_domain_base is "
                        + "not set, so the server cannot find the room: set it to the main domain (e.g. "
                        + quoted(rules.xmppDomain) + ")")
            }
            guard roomExists else {
                throw join(
                    code: "room-does-not-exist", reason: "Room does not exist",
                    hint: "the room has not been created yet: token users may join only rooms jicofo created, "
                        + "which it does when the web client starts the meeting")
            }
        }
        // Without a base (possible only before 2025-09) the plugins have no MUC domain of their own.
        let mucDomain = rules.mucDomain
        guard hasToken, let payload else { return }

        let claimValue: JSONValue?
        let subValue: JSONValue?
        let context: JSONValue?
        do {
            claimValue = try Lua.index(payload, "room", name: "local 'claims'")
            subValue = try Lua.index(payload, "sub", name: "local 'claims'")
            context = try Lua.index(payload, "context", name: "local 'claims'")
        } catch {
            throw luaError(error, stage: .join)
        }
        // `if auth_room and type(auth_room) == "string" then auth_room = string.lower(auth_room) end`
        var authRoom = claimValue
        if case .string(let text)? = claimValue { authRoom = .string(asciiLowercased(text)) }
        let node = splitNode()
        let name = node?.name ?? room

        guard rules.enableDomainVerification else {
            if let authRoom, Lua.isTruthy(authRoom), !luaEquals(authRoom, room), !luaEquals(authRoom, "*") {
                let suffix: String
                do {
                    suffix = "]" + (try Lua.concatenable(authRoom, name: "local 'auth_room'"))
                } catch {
                    throw luaError(error, stage: .join)
                }
                if !room.utf8.reversed().starts(with: suffix.utf8.reversed()) {
                    throw join(
                        code: "room-mismatch", reason: "Room does not match the room from token",
                        hint: "room is \(describe(claimValue)); the server expects the room node "
                            + quoted(name) + " (lowercase, percent-encoded like the web client) or \"*\"")
                }
            }
            return
        }

        let roomToCheck: String
        if luaEquals(authRoom, "*") {
            roomToCheck = name
        } else {
            var candidate = authRoom
            if try regexMode(context) {
                candidate = try matchPattern(authRoom, against: name, claimValue: claimValue)
            }
            guard let candidate, Lua.isTruthy(candidate) else {
                if !rules.requireRoomClaim { return }
                throw join(
                    code: "room-name-does-not-match",
                    reason: "Room name cannot be matched to the one from token.",
                    hint: "room is \(describe(claimValue)); it yields no room name for " + quoted(name))
            }
            do {
                roomToCheck = try Lua.concatenable(
                    candidate, name: node == nil ? "local 'node'" : "local 'room_to_check'")
            } catch {
                throw luaError(error, stage: .join)
            }
        }

        if let context, case .object = context, let contextTenant = context["tenant"] {
            let lowered = (try? Lua.lower(contextTenant)) ?? ""
            if !sameBytes(lowered, node?.tenant ?? tenant ?? "") {
                hints.append(
                    "context.tenant is \(describe(contextTenant)) but the URL tenant is "
                        + ((node?.tenant ?? tenant).map(quoted) ?? "none") + ": the session is flagged as a tenant "
                        + "mismatch, which refuses the join only in rooms that disallow unauthenticated access")
            }
        }

        let authDomain: String
        do throws(Lua.RuntimeError) {
            guard let subValue else {
                throw Lua.RuntimeError(message: "bad argument #1 to 'lower' (string expected, got nil)")
            }
            authDomain = try Lua.lower(subValue)
        } catch {
            throw luaError(error, stage: .join)
        }
        let roomJID = room + "@" + rules.joinedMUCHost
        let expected: String?
        if let node {
            guard let mucDomain, rules.mucMapperDomainBase != nil else {
                throw join(code: "server-missing-config", reason: "Misconfiguration of server")
            }
            let subdomain = authDomain == "*" ? node.tenant : authDomain
            expected = "[" + subdomain + "]" + roomToCheck + "@" + mucDomain
        } else {
            // `jid.join(room, nil)` is nil: `sub: "*"` matches nothing without a MUC domain.
            let domain = authDomain == "*" ? mucDomain : rules.mucMapperDomainPrefix + "." + authDomain
            expected = domain.map { roomToCheck + "@" + $0 }
        }
        guard let expected, sameBytes(expected, roomJID) else {
            throw join(
                code: nil, reason: nil,
                hint: mismatchHint(
                    claimValue: claimValue, subValue: subValue,
                    roomToCheck: roomToCheck, authDomain: authDomain,
                    node: node, name: name))
        }
    }

    /// Whether `context.room.regex` is `true` or `"true"` (Lua indexing rules on `context.room`).
    private func regexMode(_ context: JSONValue?) throws(Refusal) -> Bool {
        guard let context else { return false }
        do {
            guard let roomOptions = try Lua.index(context, "room", name: "field 'context'"), Lua.isTruthy(roomOptions)
            else { return false }
            let regex = try Lua.index(roomOptions, "regex", name: "field 'jitsi_meet_context_room'")
            return regex == .bool(true) || luaEquals(regex, "true")
        } catch {
            throw luaError(error, stage: .join)
        }
    }

    /// `pcall(string.match, name, auth_room)`: the first capture or whole match, `nil` for none.
    private func matchPattern(_ authRoom: JSONValue?, against name: String, claimValue: JSONValue?)
        throws(Refusal) -> JSONValue?
    {
        let pattern: String
        switch authRoom {
        case .string(let text)?: pattern = text
        case .number(let number)?: pattern = Lua.format(number)
        default:
            guard rules.era.catchesPatternErrors else {
                // `target_room:match(auth_room)`: a method call, so Lua counts auth_room as argument 1.
                throw luaError(
                    .init(message: "bad argument #1 to 'match' (string expected, got \(Lua.typeName(authRoom)))"),
                    stage: .join)
            }
            throw join(
                code: "invalid-regex", reason: "Room claim is not a valid Lua pattern",
                hint: "room is \(describe(claimValue)) with context.room.regex; a pattern must be a string")
        }
        do {
            switch try LuaPattern.match(name, pattern) {
            case nil: return nil
            case .string(let matched)?: return .string(matched)
            case .position(let position)?: return .integer(Int64(position))
            }
        } catch {
            switch error {
            case .error(let message):
                guard rules.era.catchesPatternErrors else { throw luaError(.init(message: message), stage: .join) }
                throw join(
                    code: "invalid-regex", reason: "Room claim is not a valid Lua pattern",
                    hint: "room is \(describe(claimValue)) with context.room.regex; Lua says: \(message)")
            case .tooSlow:
                throw Refusal(
                    verdict: Verdict(
                        accepted: false, stage: .join, condition: "internal-error",
                        reason: "Room claim pattern is too slow to evaluate",
                        hints: [
                            "the Lua pattern in room backtracks exponentially on this room name; the server would "
                                + "spend a very long time matching it"
                        ]))
            }
        }
    }

    private func mismatchHint(
        claimValue: JSONValue?, subValue: JSONValue?, roomToCheck: String, authDomain: String,
        node: (tenant: String, name: String)?, name: String
    ) -> String {
        let roomMatches = asciiLowercased(roomToCheck).utf8.elementsEqual(name.utf8)
        let subMatches: Bool
        if let node {
            subMatches = authDomain == "*" || authDomain.utf8.elementsEqual(node.tenant.utf8)
        } else {
            subMatches =
                authDomain == "*"
                || (rules.mucMapperDomainPrefix + "." + authDomain).utf8.elementsEqual((rules.mucDomain ?? "").utf8)
        }
        var parts: [String] = []
        if !roomMatches {
            parts.append(
                "room is \(describe(claimValue)); the server expects the room node " + quoted(name)
                    + " (lowercase, percent-encoded like the web client) or \"*\"")
        }
        if !subMatches {
            if let node {
                parts.append(
                    "sub is \(describe(subValue)); the server expects the tenant " + quoted(node.tenant)
                        + " or \"*\"")
            } else {
                parts.append(
                    "sub is \(describe(subValue)); the server expects the XMPP domain "
                        + quoted(rules.xmppDomain) + " or the tenant")
            }
        }
        if parts.isEmpty {
            parts.append("room and sub do not rebuild the room address " + quoted(room + "@" + (rules.mucDomain ?? "")))
        }
        return parts.joined(separator: "; ")
    }
}

// MARK: - Byte comparisons

/// Whether two strings have the same UTF-8 bytes (Lua string equality; unlike `==`, no Unicode equivalence).
@inline(__always)
private func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
    guard lhs.utf8.count == rhs.utf8.count else { return false }
    var lhs = lhs
    var rhs = rhs
    return lhs.withUTF8 { left in
        rhs.withUTF8 { right in left.isEmpty || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
    }
}

/// `Lua.equals`, with a byte comparison that costs a length check and a `memcmp`.
@inline(__always)
private func luaEquals(_ value: JSONValue?, _ text: String) -> Bool {
    if case .string(let string)? = value { return sameBytes(string, text) }
    return false
}

/// The ranges of the first three runs of bytes other than `.` and `\\`, and how many runs there are. Eight bytes
/// are tested per step (SWAR `haszero` on `x ^ '.'` and `x ^ '\\'`); only words holding a separator are walked.
private func segmentRanges(_ buffer: UnsafeBufferPointer<UInt8>) -> (ranges: [Range<Int>], count: Int) {
    var ranges: [Range<Int>] = []
    var count = 0
    var start = 0
    func cut(at index: Int) {
        if index > start {
            if count < 3 { ranges.append(start..<index) }
            count += 1
        }
        start = index + 1
    }
    guard let base = buffer.baseAddress else { return ([], 0) }
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    var index = 0
    while index + 8 <= buffer.count {
        let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        let dot = word ^ (ones &* 0x2E)
        let backslash = word ^ (ones &* 0x5C)
        if (((dot &- ones) & ~dot) | ((backslash &- ones) & ~backslash)) & highs != 0 {
            for offset in index..<(index + 8) where base[offset] == 0x2E || base[offset] == 0x5C { cut(at: offset) }
        }
        index += 8
    }
    while index < buffer.count {
        if base[index] == 0x2E || base[index] == 0x5C { cut(at: index) }
        index += 1
    }
    cut(at: buffer.count)
    return (ranges, count)
}

// MARK: - Signatures

private func signatureIsValid(
    _ signature: [UInt8], for input: ArraySlice<UInt8>, algorithm: SignatureAlgorithm, key: VerificationKey
) -> Bool {
    // luajwtjitsi passes the configured key string to whichever primitive the algorithm names.
    let keyBytes: [UInt8]
    switch key {
    case .hmac(let secret): keyBytes = secret.revealedBytes
    case .rsaPublicKey(let pem): keyBytes = Array(pem.utf8)
    }
    switch algorithm {
    case .hs256:
        return input.withUnsafeBytes {
            PrecomputedHMAC<SHA256>.isValidAuthenticationCode(signature, for: $0, key: keyBytes)
        }
    case .hs384:
        return input.withUnsafeBytes {
            PrecomputedHMAC<SHA384>.isValidAuthenticationCode(signature, for: $0, key: keyBytes)
        }
    case .hs512:
        return input.withUnsafeBytes {
            PrecomputedHMAC<SHA512>.isValidAuthenticationCode(signature, for: $0, key: keyBytes)
        }
    case .rs256, .rs384, .rs512:
        let input = Array(input)
        guard case .rsaPublicKey(let pem) = key,
            let publicKey = try? _RSA.Signing.PublicKey(unsafePEMRepresentation: pem)
        else { return false }
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        switch algorithm {
        case .rs384:
            return publicKey.isValidSignature(rsaSignature, for: SHA384.hash(data: input), padding: .insecurePKCS1v1_5)
        case .rs512:
            return publicKey.isValidSignature(rsaSignature, for: SHA512.hash(data: input), padding: .insecurePKCS1v1_5)
        default:
            return publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5)
        }
    }
}

// MARK: - Describing values

private func quoted(_ text: String) -> String {
    JSONValue.string(text).jsonText
}

/// A claim value for a hint: `"text"`, `the number 3600`, `an array ["a"]`, `missing`.
private func describe(_ value: JSONValue?) -> String {
    switch value {
    case nil: "missing"
    case .string?: value?.jsonText ?? ""
    case .number(let number)?: "the number \(Lua.format(number))"
    case .integer(let integer)?: "the number \(integer)"
    case .bool(let flag)?: "the boolean \(flag)"
    case .null?: "null"
    case .array?: "an array \(value?.jsonText ?? "")"
    case .object?: "an object \(value?.jsonText ?? "")"
    }
}
