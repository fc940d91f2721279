/// What the room join checks (`mod_token_verification` → `verify_room`): the MUC the user joins, and whether and how
/// token verification runs there.
///
/// `mod_token_verification` builds its checker from the *parent host of the MUC* (the MUC's name without its first
/// label), not from the VirtualHost the user logged in to; so the values here can differ from the connect-stage
/// ``ServerRules`` of the user's host.
public struct JoinRules: Sendable, Equatable {
    /// Whether, and with which settings, the MUC checks tokens at join.
    public enum Checker: Sendable, Equatable {
        /// `token_verification` runs with the parent host's settings.
        case verifies(RoomVerification)
        /// The MUC does not load `token_verification`: any room, `sub` and tenant is accepted at join.
        case notLoaded
        /// `token_verification` is loaded but does not start (its log line says why), so it checks nothing.
        case notStarted(reason: String)
    }

    /// The MUC component the user joins: the domain of the room JID (`conference.meet.example.com`).
    public var muc: String
    public var checker: Checker
    /// Whether the MUC's rooms are named after rooms of the conference MUC (a lobby MUC), so that a room of the
    /// same name exists there once jicofo created the meeting.
    public var mirrorsConferenceRooms: Bool

    public init(muc: String, checker: Checker, mirrorsConferenceRooms: Bool = false) {
        self.muc = muc
        self.checker = checker
        self.mirrorsConferenceRooms = mirrorsConferenceRooms
    }

    /// The settings token verification runs with, `nil` when the join checks nothing.
    public var verification: RoomVerification? {
        if case .verifies(let verification) = checker { return verification }
        return nil
    }

    /// The `sub` that rebuilds a room address on ``muc`` without a tenant: `muc` without `<prefix>.`
    /// (`meet.example.com` for `conference.meet.example.com`), `nil` when only `*` can (the MUC's name does not
    /// start with the prefix), or when the join checks nothing.
    public var subject: String? {
        guard let verification else { return nil }
        let prefix = Array((verification.mucMapperDomainPrefix + ".").utf8)
        let name = Array(muc.utf8)
        guard name.count > prefix.count, name.starts(with: prefix) else { return nil }
        return String(decoding: name[prefix.count...], as: UTF8.self)
    }
}

/// The settings `token/util.lib.lua` reads for `verify_room`, from the MUC's parent host (with the global fallback).
public struct RoomVerification: Sendable, Equatable {
    /// The host whose options these are: the MUC's name without its first label.
    public var parentHost: String
    /// `allow_empty_token`: a user without a token is let in.
    public var allowEmptyToken: Bool
    /// `enable_domain_verification`: `sub` (and the tenant) must rebuild the room address.
    public var enableDomainVerification: Bool
    /// `asap_require_room_claim`: a token whose room claim yields no room name is refused.
    public var requireRoomClaim: Bool
    /// `muc_mapper_domain_base`; without it rooms cannot be found.
    public var mucMapperDomainBase: String?
    /// `muc_mapper_domain_prefix`.
    public var mucMapperDomainPrefix: String
    /// `muc_mapper_domain`; defaults to `<prefix>.<base>`.
    public var mucMapperDomain: String?

    public init(
        parentHost: String, allowEmptyToken: Bool = false, enableDomainVerification: Bool = true,
        requireRoomClaim: Bool = true, mucMapperDomainBase: String?, mucMapperDomainPrefix: String = "conference",
        mucMapperDomain: String? = nil
    ) {
        self.parentHost = parentHost
        self.allowEmptyToken = allowEmptyToken
        self.enableDomainVerification = enableDomainVerification
        self.requireRoomClaim = requireRoomClaim
        self.mucMapperDomainBase = mucMapperDomainBase
        self.mucMapperDomainPrefix = mucMapperDomainPrefix
        self.mucMapperDomain = mucMapperDomain
    }

    /// The same settings as a host's connect-stage rules (the single-host case: the MUC's parent is the host).
    public init(_ rules: ServerRules) {
        self.init(
            parentHost: rules.xmppDomain, allowEmptyToken: rules.allowEmptyToken,
            enableDomainVerification: rules.enableDomainVerification, requireRoomClaim: rules.requireRoomClaim,
            mucMapperDomainBase: rules.mucMapperDomainBase, mucMapperDomainPrefix: rules.mucMapperDomainPrefix,
            mucMapperDomain: rules.mucMapperDomain)
    }

    /// Where `verify_room` looks rooms up: `muc_mapper_domain`, else `<prefix>.<base>`; `nil` without a base.
    public var mucDomain: String? {
        guard let mucMapperDomainBase else { return nil }
        return mucMapperDomain ?? mucMapperDomainPrefix + "." + mucMapperDomainBase
    }
}
