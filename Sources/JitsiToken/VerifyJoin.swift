/// The join stage: `mod_token_verification` → `verify_room`, on the MUC the user joins.
extension Verification {
    // MARK: - Join

    /// Stage B: `verify_room`, as `mod_token_verification` on the joined MUC runs it with its parent host's settings.
    mutating func joinStage(payload: JSONBytesView?, hasToken: Bool) throws(Refusal) {
        // The settings are lent to the checks, not copied out of the verifier (nor out of its join rules' checker).
        let prepared = verifier.prepared
        if let hint = prepared.uncheckedJoinHint {
            hints.append(hint)
            return
        }
        try joinStage(payload: payload, hasToken: hasToken, prepared: prepared)
    }

    /// ``joinStage(payload:hasToken:)`` where `token_verification` runs with `prepared`'s
    /// ``TokenVerifier/Prepared/roomVerification``, read in place (copied only for the String path).
    private mutating func joinStage(payload: JSONBytesView?, hasToken: Bool, prepared: TokenVerifier.Prepared)
        throws(Refusal)
    {
        var checks: RoomVerification { _read { yield prepared.roomVerification } }
        // Before 2025-09 an allowed empty token passed before anything else.
        if !rules.era.joinRequiresExistingRoom, !hasToken, checks.allowEmptyToken { return }
        guard !room.isEmpty, !containsAtOrSlash(room) else {
            if !rules.era.refusesInvalidRoomAddress { return }
            throw join(code: "invalid-room-address", reason: "Room address is invalid")
        }
        // Without a base (possible only before 2025-09) the plugins have no MUC domain of their own.
        let mucDomain = verifier.prepared.roomMUCDomain
        if rules.era.joinRequiresExistingRoom {
            guard let mucDomain else {
                throw join(
                    code: "room-does-not-exist", reason: "Room does not exist",
                    hint: "muc_mapper_domain_base is not set for " + quoted(checks.parentHost)
                        + " (the parent host of " + joinRules.muc + "), so the server cannot find the room: set it "
                        + "to the main domain (e.g. " + quoted(checks.parentHost) + ")")
            }
            guard prepared.roomMUCDomainIsJoinedMUC || joinRules.mirrorsConferenceRooms else {
                throw join(
                    code: "room-does-not-exist", reason: "Room does not exist",
                    hint: "token_verification on " + joinRules.muc + " looks the room up on " + mucDomain
                        + " (muc_mapper_domain of " + quoted(checks.parentHost) + "), where rooms of "
                        + joinRules.muc + " do not exist: every token join there is refused (remove "
                        + "token_verification from " + joinRules.muc + ")")
            }
            guard roomExists else {
                throw join(
                    code: "room-does-not-exist", reason: "Room does not exist",
                    hint: "the room has not been created yet: token users may join only rooms jicofo created, "
                        + "which it does when the web client starts the meeting")
            }
            assumedRoom = RoomAssumption(room: room, ending: verifier.prepared.roomAssumptionEnding)
        }
        if !hasToken || payload == nil {
            if checks.allowEmptyToken { return }
            // No claims: only a missing room claim can decide.
            if !checks.enableDomainVerification || !checks.requireRoomClaim { return }
            throw join(
                code: "room-name-does-not-match", reason: "Room name cannot be matched to the one from token.",
                hint: "no token: allow_empty_token of " + quoted(checks.parentHost) + " is off, so the room join "
                    + "needs a room claim")
        }
        guard let payload else { return }
        if plainJoinAccepts(payload, domainVerification: checks.enableDomainVerification) { return }
        try claimsJoinStage(payload: payload, checks: prepared.roomVerification)
    }

    /// The join stage's checks of the claims (`room`, `sub`, `context`), on their decoded values.
    mutating func claimsJoinStage(payload: JSONBytesView, checks: RoomVerification) throws(Refusal) {
        let mucDomain = verifier.prepared.roomMUCDomain
        let claimValue: JSONValue?
        let subValue: JSONValue?
        let contextMember: JSONBytesView.Member?
        do {
            claimValue = try Lua.index(payload, .room, name: "local 'claims'")
            subValue = try Lua.index(payload, .sub, name: "local 'claims'")
            contextMember = try Lua.member(payload, .context, name: "local 'claims'")
        } catch {
            throw Self.luaError(error, stage: .join)
        }
        let context = contextMember.map(payload.view(of:))
        // `if auth_room and type(auth_room) == "string" then auth_room = string.lower(auth_room) end`
        var authRoom = claimValue
        if case .string(let text)? = claimValue { authRoom = .string(asciiLowercased(text)) }
        let node = splitNode()
        let name = node?.name ?? room

        guard checks.enableDomainVerification else {
            if let authRoom, Lua.isTruthy(authRoom), !luaEquals(authRoom, room), !luaEquals(authRoom, "*") {
                let suffix: String
                do {
                    suffix = "]" + (try Lua.concatenable(authRoom, name: "local 'auth_room'"))
                } catch {
                    throw Self.luaError(error, stage: .join)
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
                if !checks.requireRoomClaim { return }
                throw join(
                    code: "room-name-does-not-match",
                    reason: "Room name cannot be matched to the one from token.",
                    hint: "room is \(describe(claimValue)); it yields no room name for " + quoted(name))
            }
            do {
                roomToCheck = try Lua.concatenable(
                    candidate, name: node == nil ? "local 'node'" : "local 'room_to_check'")
            } catch {
                throw Self.luaError(error, stage: .join)
            }
        }

        if let context, context.rootKind == .object,
            let contextTenant = context.member("tenant").map(context.value(of:))
        {
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
            throw Self.luaError(error, stage: .join)
        }
        let matches: Bool
        if let node {
            guard let mucDomain, checks.mucMapperDomainBase != nil else {
                throw join(code: "server-missing-config", reason: "Misconfiguration of server")
            }
            let subdomain = authDomain == "*" ? node.tenant : authDomain
            matches = sameBytes("[" + subdomain + "]" + roomToCheck + "@" + mucDomain, room + "@" + joinRules.muc)
        } else if authDomain == "*" {
            // `jid.join(room, nil)` is nil: `sub: "*"` matches nothing without a MUC domain.
            matches = mucDomain.map { isJoinedRoomAddress(roomToCheck, domainPrefix: nil, domain: $0) } ?? false
        } else {
            matches = isJoinedRoomAddress(roomToCheck, domainPrefix: checks.mucMapperDomainPrefix, domain: authDomain)
        }
        guard matches else {
            throw join(
                code: nil, reason: nil,
                hint: mismatchHint(
                    claimValue: claimValue, subValue: subValue,
                    roomToCheck: roomToCheck, authDomain: authDomain,
                    node: node, name: name, checks: checks))
        }
    }

    /// Whether `name@prefix.domain` (`name@domain` without a prefix) is the joined room's address `room@muc`,
    /// compared without making either: `room` has no `@`, so when `name` has none either both split at their first.
    func isJoinedRoomAddress(_ name: String, domainPrefix: String?, domain: String) -> Bool {
        guard !contains(UInt8(ascii: "@"), in: name) else {
            let address = name + "@" + (domainPrefix.map { $0 + "." } ?? "") + domain
            return sameBytes(address, room + "@" + joinRules.muc)
        }
        guard sameBytes(name, room) else { return false }
        guard let domainPrefix else { return sameBytes(domain, joinRules.muc) }
        // `muc` is `prefix.domain`, compared in place.
        let muc = joinRules.muc.utf8.span
        let prefix = domainPrefix.utf8.span
        let rest = domain.utf8.span
        guard muc.count == prefix.count + 1 + rest.count, muc[prefix.count] == UInt8(ascii: ".") else { return false }
        var difference: UInt8 = 0
        for index in prefix.indices { difference |= muc[index] ^ prefix[index] }
        for index in rest.indices { difference |= muc[prefix.count + 1 + index] ^ rest[index] }
        return difference == 0
    }

    /// Whether `text` has the byte `byte`.
    private func contains(_ byte: UInt8, in text: String) -> Bool {
        let bytes = text.utf8.span
        var found: UInt8 = 0
        for index in bytes.indices { found |= bytes[index] == byte ? 1 : 0 }
        return found != 0
    }

    /// Whether `text` has an `@` or a `/` (which no room node may have).
    private func containsAtOrSlash(_ text: String) -> Bool {
        let bytes = text.utf8.span
        var found: UInt8 = 0
        for index in bytes.indices {
            found |= (bytes[index] == UInt8(ascii: "@") ? 1 : 0) | (bytes[index] == UInt8(ascii: "/") ? 1 : 0)
        }
        return found != 0
    }

    /// Whether `context.room.regex` is `true` or `"true"` (Lua indexing rules on `context.room`).
    func regexMode(_ context: JSONBytesView?) throws(Refusal) -> Bool {
        guard let context else { return false }
        do {
            guard let roomOptions = try Lua.index(context, "room", name: "field 'context'"), Lua.isTruthy(roomOptions)
            else { return false }
            let regex = try Lua.index(roomOptions, "regex", name: "field 'jitsi_meet_context_room'")
            return regex == .bool(true) || luaEquals(regex, "true")
        } catch {
            throw Self.luaError(error, stage: .join)
        }
    }

    /// `pcall(string.match, name, auth_room)`: the first capture or whole match, `nil` for none.
    func matchPattern(_ authRoom: JSONValue?, against name: String, claimValue: JSONValue?)
        throws(Refusal) -> JSONValue?
    {
        let pattern: String
        switch authRoom {
        case .string(let text)?: pattern = text
        case .number(let number)?: pattern = Lua.format(number)
        default:
            guard rules.era.catchesPatternErrors else {
                // `target_room:match(auth_room)`: a method call, so Lua counts auth_room as argument 1.
                throw Self.luaError(
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
                guard rules.era.catchesPatternErrors else { throw Self.luaError(.init(message: message), stage: .join) }
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

    func mismatchHint(
        claimValue: JSONValue?, subValue: JSONValue?, roomToCheck: String, authDomain: String,
        node: (tenant: String, name: String)?, name: String, checks: RoomVerification
    ) -> String {
        let muc = joinRules.muc
        let roomMatches = asciiLowercased(roomToCheck).utf8.elementsEqual(name.utf8)
        let subMatches: Bool
        if let node {
            subMatches = authDomain == "*" || authDomain.utf8.elementsEqual(node.tenant.utf8)
        } else {
            subMatches =
                authDomain == "*"
                || (checks.mucMapperDomainPrefix + "." + authDomain).utf8.elementsEqual(muc.utf8)
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
                parts.append("sub is \(describe(subValue)); the server expects " + expectedSubDescription())
            }
        }
        if parts.isEmpty {
            parts.append("room and sub do not rebuild the room address " + quoted(room + "@" + muc))
        }
        return parts.joined(separator: "; ")
    }
}
