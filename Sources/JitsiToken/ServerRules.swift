/// What a Jitsi server's token plugins enforce, as plain values (the options of the `authentication = "token"`
/// VirtualHost, merged over the global section). Names follow the Prosody options.
public struct ServerRules: Sendable, Equatable {
    /// The token VirtualHost's name (the XMPP domain, e.g. `meet.jitsi` on docker): the `sub` for `/room` URLs.
    public var xmppDomain: String
    /// `app_id`; the default accepted issuer.
    public var appID: String?
    /// The key the server checks signatures with (`app_secret`, or the public key a key server returns);
    /// `nil` when none is configured or obtainable.
    public var key: VerificationKey?
    /// `signature_algorithm` as written in the config; may name an algorithm the server does not support.
    public var signatureAlgorithm: String
    /// `asap_accepted_issuers` (`*` accepts any).
    public var acceptedIssuers: [String]
    /// `asap_accepted_audiences` (`*` accepts any, but `aud` must still be present).
    public var acceptedAudiences: [String]
    /// `asap_require_room_claim`.
    public var requireRoomClaim: Bool
    /// `allow_empty_token`.
    public var allowEmptyToken: Bool
    /// `enable_domain_verification`.
    public var enableDomainVerification: Bool
    /// `muc_mapper_domain_base`; current servers refuse every token join without it.
    public var mucMapperDomainBase: String?
    /// `muc_mapper_domain_prefix`.
    public var mucMapperDomainPrefix: String
    /// `muc_mapper_domain`; defaults to `<prefix>.<base>`.
    public var mucMapperDomain: String?
    /// Whether `asap_key_server` (or `cache_keys_url`) is set: the header must then carry `kid`.
    public var usesKeyServer: Bool
    /// The generation of Jitsi's token plugins installed: texts, codes and the order of checks depend on it.
    public var era: PluginEra
    /// The join stage: the MUC the user joins and what its `token_verification` checks. `nil` means the
    /// single-host shape: rooms on ``mucDomain``, checked with these same settings.
    public var join: JoinRules?

    /// Rules with the server's defaults: `signature_algorithm` is `RS256` with a key server and `HS256` otherwise,
    /// the accepted issuers are `[appID]` (empty without an app id), the accepted audiences `["*"]`.
    public init(
        xmppDomain: String,
        appID: String?,
        key: VerificationKey?,
        signatureAlgorithm: String? = nil,
        acceptedIssuers: [String]? = nil,
        acceptedAudiences: [String] = ["*"],
        requireRoomClaim: Bool = true,
        allowEmptyToken: Bool = false,
        enableDomainVerification: Bool = true,
        mucMapperDomainBase: String? = nil,
        mucMapperDomainPrefix: String = "conference",
        mucMapperDomain: String? = nil,
        usesKeyServer: Bool = false,
        era: PluginEra = .current,
        join: JoinRules? = nil
    ) {
        self.xmppDomain = xmppDomain
        self.appID = appID
        self.key = key
        self.signatureAlgorithm = signatureAlgorithm ?? (usesKeyServer ? "RS256" : "HS256")
        self.acceptedIssuers = acceptedIssuers ?? (appID.map { [$0] } ?? [])
        self.acceptedAudiences = acceptedAudiences
        self.requireRoomClaim = requireRoomClaim
        self.allowEmptyToken = allowEmptyToken
        self.enableDomainVerification = enableDomainVerification
        self.mucMapperDomainBase = mucMapperDomainBase
        self.mucMapperDomainPrefix = mucMapperDomainPrefix
        self.mucMapperDomain = mucMapperDomain
        self.usesKeyServer = usesKeyServer
        self.era = era
        self.join = join
    }

    /// The server's algorithm, if it is one it supports.
    public var supportedAlgorithm: SignatureAlgorithm? {
        SignatureAlgorithm(rawValue: signatureAlgorithm)
    }

    /// The MUC host rooms live on: `muc_mapper_domain`, else `<prefix>.<base>`; `nil` without a base, as on the
    /// server (which only computes it when `muc_mapper_domain_base` is set).
    public var mucDomain: String? {
        guard let mucMapperDomainBase else { return nil }
        return mucMapperDomain ?? mucMapperDomainPrefix + "." + mucMapperDomainBase
    }

    /// The join stage in effect: ``join``, else rooms on ``mucDomain`` (or `<prefix>.<xmppDomain>`) checked with
    /// these settings.
    public var joinRules: JoinRules {
        if let join { return join }
        return JoinRules(
            muc: joinedMUCHost, checker: .verifies(RoomVerification(self)))
    }

    /// The `sub` to mint for a room without a tenant: the one the join stage accepts (``JoinRules/subject``), else
    /// the XMPP domain (the join checks no `sub`, or only `*` passes, which is minted only when asked for).
    public var subject: String { joinRules.subject ?? xmppDomain }
}
