/// What to mint a token for.
public struct MintRequest: Sendable, Equatable {
    /// The room as the user types it in the URL (encoded here like the web client does), or `*` for any room,
    /// or `nil` for no `room` claim (refused while the server requires one).
    public var room: String?
    /// The tenant for `/tenant/room` URLs; becomes `sub` (and is not put in `context.tenant`).
    public var tenant: String?
    /// `context.user.id`.
    public var userID: String?
    /// `context.user.name` (display name).
    public var userName: String?
    /// `context.user.email`.
    public var userEmail: String?
    /// `context.user.avatar` (URL).
    public var userAvatar: String?
    /// `context.user.moderator`.
    public var moderator: Bool?
    /// `context.user.affiliation`.
    public var affiliation: String?
    /// `context.features`.
    public var features: [String: Bool]
    /// Further top-level claims. A key that names a standard claim is refused.
    public var extraClaims: [String: JSONValue]
    /// Claims inside `context`, by dotted path below it (`user.lobby_bypass`, `group`, `features.recording`,
    /// `room.regex`), applied after the typed fields above (see ``Claims/Context/set(_:to:)``).
    public var contextClaims: JSONObject
    /// Lifetime: `exp = now + ttl` (unless ``expiresAt`` is set).
    public var ttl: Int64
    /// An absolute `exp` (seconds since the epoch) instead of `now + ttl`.
    public var expiresAt: Int64?
    /// An absolute `nbf` instead of `now - notBeforeSkew`.
    public var notBefore: Int64?
    /// `nbf = now - notBeforeSkew`, for servers whose clock runs behind (the server allows no leeway).
    public var notBeforeSkew: Int64
    /// `sub` to use instead of the tenant or the XMPP domain (e.g. `*`).
    public var subject: String?
    /// Whether an affiliation plugin (such as `token_affiliation`) is loaded, which makes moderator claims count.
    public var affiliationPluginLoaded: Bool

    /// A request; only the room is required (TTL one hour, `nbf` 30 s in the past by default).
    public init(
        room: String?, tenant: String? = nil, userID: String? = nil, userName: String? = nil,
        userEmail: String? = nil, userAvatar: String? = nil, moderator: Bool? = nil, affiliation: String? = nil,
        features: [String: Bool] = [:], extraClaims: [String: JSONValue] = [:], contextClaims: JSONObject = [:],
        ttl: Int64 = 3600, expiresAt: Int64? = nil, notBefore: Int64? = nil, notBeforeSkew: Int64 = 30,
        subject: String? = nil, affiliationPluginLoaded: Bool = false
    ) {
        self.room = room
        self.tenant = tenant
        self.userID = userID
        self.userName = userName
        self.userEmail = userEmail
        self.userAvatar = userAvatar
        self.moderator = moderator
        self.affiliation = affiliation
        self.features = features
        self.extraClaims = extraClaims
        self.contextClaims = contextClaims
        self.ttl = ttl
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.notBeforeSkew = notBeforeSkew
        self.subject = subject
        self.affiliationPluginLoaded = affiliationPluginLoaded
    }
}

/// Why a token would be refused by the server, so none is minted.
public enum MintRefusal: Error, Equatable, CustomStringConvertible {
    /// No `app_id` and no non-`*` accepted issuer to put in `iss`.
    case noIssuer
    /// No room while `asap_require_room_claim` is on.
    case roomRequired
    /// `signature_algorithm` names an algorithm the server does not support.
    case unsupportedServerAlgorithm(String)
    /// The signing algorithm differs from the server's `signature_algorithm`.
    case algorithmMismatch(signing: SignatureAlgorithm, server: String)
    /// No key of the kind the algorithm needs (a secret for HS*, a private key for RS*).
    case missingKey(SignatureAlgorithm)
    /// The TTL is zero or negative, so the token would be expired when minted.
    case nonPositiveTTL(Int64)
    /// An extra claim has the name of a standard claim.
    case extraClaimOverridesStandard(String)
    /// `now + ttl` or `now - skew` does not fit in 64 bits.
    case timeOutOfRange
    /// An absolute `exp` that is not after now.
    case expiryNotInFuture(Int64)
    /// `nbf` is not before `exp`: the token would never be valid.
    case notBeforeNotBeforeExpiry(notBefore: Int64, expiry: Int64)
    /// A `context` claim of a type the server's plugins cannot use.
    case invalidContextClaim(path: String, expected: String)
    /// The HMAC secret is empty: a token signed with it proves nothing (anyone can sign one).
    case emptyKey
    /// The server would refuse the signed token: its verdict (the stage, condition, text and hints it gives).
    case refusedByServer(Verdict)

    /// The refusal and, for the server's own refusal, its hints, each a line of its own.
    public var description: String { ([summary] + hints.map { "hint: " + $0 }).joined(separator: "\n") }

    /// The hints of the server's verdict (empty for the other refusals).
    public var hints: [String] {
        if case .refusedByServer(let verdict) = self { return verdict.hints }
        return []
    }

    /// The refusal in one line, without the hints.
    public var summary: String {
        switch self {
        case .noIssuer:
            "no issuer: the server has no app_id and asap_accepted_issuers lists no issuer other than \"*\""
        case .roomRequired:
            "the server requires a room claim (asap_require_room_claim); give a room or \"*\""
        case .unsupportedServerAlgorithm(let name):
            "the server's signature_algorithm \"\(name)\" is not supported (HS256/384/512, RS256/384/512): "
                + "it refuses every token with \"Algorithm not supported\""
        case .algorithmMismatch(let signing, let server):
            "signing with \(signing.rawValue) but the server's signature_algorithm is \"\(server)\": "
                + "it would refuse the token with \"Invalid or incorrect alg\""
        case .missingKey(let algorithm):
            algorithm.isHMAC
                ? "\(algorithm.rawValue) needs the shared secret (app_secret)"
                : "\(algorithm.rawValue) needs an RSA private key"
        case .nonPositiveTTL(let ttl):
            "the lifetime must be positive (got \(ttl) s); the server allows no leeway"
        case .extraClaimOverridesStandard(let key):
            "extra claim \"\(key)\" would override a standard claim; set it through its own option"
        case .timeOutOfRange:
            "the times do not fit in 64-bit seconds"
        case .expiryNotInFuture(let expiry):
            "exp \(expiry) is not in the future: the server would refuse the token as expired"
        case .notBeforeNotBeforeExpiry(let notBefore, let expiry):
            "nbf \(notBefore) is not before exp \(expiry): the token would never be valid"
        case .invalidContextClaim(let path, let expected):
            "context.\(path) must be \(expected)"
        case .emptyKey:
            "the secret is empty: anyone can sign a token this server accepts; set app_secret (or --secret-file) "
                + "to at least 32 random bytes"
        case .refusedByServer(let verdict):
            "the server would refuse this token at \(verdict.stage?.rawValue ?? "?"): \(verdict.condition ?? "?")"
                + (verdict.code.map { " (\($0))" } ?? "") + ": \(verdict.reason ?? "")"
        }
    }
}

/// Claims the server described by `rules` accepts, for `request`, at `now` (seconds since the epoch).
///
/// `iss` is `app_id` when the server accepts it (it is listed in `asap_accepted_issuers`, or that list holds `*`), else
/// the first non-`*` accepted issuer; `aud` the first non-`*` accepted audience or else
/// `jitsi` (always a string); `sub` the request's subject, else the tenant, else ``ServerRules/subject`` (the one
/// the join stage accepts); `room` the
/// web client's node of the typed room (or `*`); `iat = now`, `nbf = now - skew`, `exp = now + ttl`.
/// - Parameters:
///   - signingKey: the key that will sign. `nil` means the server's own secret (`rules.key`), which only HS* can use.
///   - signingAlgorithm: the algorithm that will sign; `nil` means the server's `signature_algorithm`.
/// - Returns: the claims and plain-language warnings about things the server will not do as the caller may expect.
/// - Throws: ``MintRefusal`` for tokens the server would refuse.
public func makeClaims(
    for request: MintRequest, rules: ServerRules, now: Int64, signingKey: SigningKey? = nil,
    signingAlgorithm: SignatureAlgorithm? = nil
) throws(MintRefusal) -> (claims: Claims, warnings: [MintWarning]) {
    guard let serverAlgorithm = rules.supportedAlgorithm else {
        throw .unsupportedServerAlgorithm(rules.signatureAlgorithm)
    }
    if let signingAlgorithm, signingAlgorithm != serverAlgorithm {
        throw .algorithmMismatch(signing: signingAlgorithm, server: rules.signatureAlgorithm)
    }
    switch (serverAlgorithm.isHMAC, signingKey, rules.key) {
    case (true, .hmac(let secret)?, _), (true, nil, .hmac(let secret)?):
        guard secret.count > 0 else { throw .emptyKey }
    case (false, .rsa?, _): break
    default: throw .missingKey(serverAlgorithm)
    }
    for key in request.extraClaims.keys.sorted(by: bytewiseLess) where Claims.standardKeys.contains(key) {
        throw .extraClaimOverridesStandard(key)
    }
    guard let issuer = issuer(for: rules) else { throw .noIssuer }
    let expiry: Int64
    if let expiresAt = request.expiresAt {
        guard expiresAt > now else { throw .expiryNotInFuture(expiresAt) }
        expiry = expiresAt
    } else {
        guard request.ttl > 0 else { throw .nonPositiveTTL(request.ttl) }
        let (sum, overflow) = now.addingReportingOverflow(request.ttl)
        guard !overflow else { throw .timeOutOfRange }
        expiry = sum
    }
    let notBefore: Int64
    if let absolute = request.notBefore {
        notBefore = absolute
    } else {
        let (difference, overflow) = now.subtractingReportingOverflow(max(0, request.notBeforeSkew))
        guard !overflow else { throw .timeOutOfRange }
        notBefore = difference
    }
    guard notBefore < expiry else { throw .notBeforeNotBeforeExpiry(notBefore: notBefore, expiry: expiry) }

    let room: String?
    switch request.room {
    case nil, "": room = nil
    case "*": room = "*"
    case let typed?: room = RoomName.node(typed: typed)
    }
    if room == nil, rules.requireRoomClaim { throw .roomRequired }

    var warnings: [MintWarning] = []
    if rules.allowEmptyToken || rules.joinRules.verification?.allowEmptyToken == true {
        warnings.append(
            MintWarning(
                .allowEmptyToken, host: rules.xmppDomain,
                message: "allow_empty_token is on: anyone can join without a token, so room and sub claims "
                    + "restrict nobody"))
    }

    var user: Claims.User?
    if request.userID != nil || request.userName != nil || request.userEmail != nil || request.userAvatar != nil
        || request.moderator != nil || request.affiliation != nil
    {
        user = Claims.User(
            id: request.userID, name: request.userName, email: request.userEmail, avatar: request.userAvatar,
            moderator: request.moderator, affiliation: request.affiliation)
    }
    var context: Claims.Context?
    if user != nil || !request.features.isEmpty || !request.contextClaims.isEmpty {
        var built = Claims.Context(user: user, features: request.features)
        for member in request.contextClaims.members { try built.set(member.key, to: member.value) }
        context = built
    }
    let moderatorClaimed = context?.user?.moderator != nil || context?.user?.affiliation != nil
    if moderatorClaimed && !request.affiliationPluginLoaded {
        warnings.append(
            MintWarning(
                .affiliationIgnored, host: rules.xmppDomain,
                message: "moderator/affiliation claims are ignored unless an affiliation plugin such as "
                    + "token_affiliation is loaded; without one the first participant (or everyone, with "
                    + "muc_allowners/wait_for_host) becomes moderator"))
    }
    if room == "*" {
        warnings.append(
            MintWarning(
                .anyRoom, host: rules.xmppDomain,
                message: "room \"*\" grants every room: the token opens any meeting on this host"
                    + (rules.enableDomainVerification ? "" : " and every tenant (enable_domain_verification is off)")))
    }
    let claims = Claims(
        iss: issuer,
        aud: rules.acceptedAudiences.first(where: { $0 != "*" }) ?? "jitsi",
        sub: request.subject ?? request.tenant ?? rules.subject,
        room: room,
        exp: expiry, nbf: notBefore, iat: now,
        context: context,
        extra: request.extraClaims)
    return (claims, warnings)
}

/// The `iss` the server accepts: `app_id` when `asap_accepted_issuers` lists it (its default) or holds `*`, else the
/// first listed issuer other than `*`.
func issuer(for rules: ServerRules) -> String? {
    if let appID = rules.appID, rules.acceptedIssuers.contains(appID) || rules.acceptedIssuers.contains("*") {
        return appID
    }
    return rules.acceptedIssuers.first { $0 != "*" }
}

/// Checks a freshly signed `token` with ``verify(token:rules:room:tenant:now:)`` for the room and tenant of
/// `request`, as the server would at `now`. A token for any room (`*`) or without a room claim is checked for a
/// sample room.
/// - Throws: ``MintRefusal/refusedByServer(_:)`` with the server's verdict when it would refuse the token.
public func verifyMinted(_ token: String, claims: Claims, request: MintRequest, rules: ServerRules, now: Int64)
    throws(MintRefusal)
{
    let room = claims.room.flatMap { $0 == "*" || $0.isEmpty ? nil : $0 } ?? "any-room"
    let tenant = request.tenant.map { RoomName.node(typed: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    let verdict = verify(token: token, rules: rules, room: room, tenant: tenant, now: Double(now))
    guard verdict.accepted else { throw .refusedByServer(verdict) }
}
