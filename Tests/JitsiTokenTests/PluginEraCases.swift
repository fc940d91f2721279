import JitsiToken
import Testing

/// A token whose outcome depends on the installed plugins, with what each era answers.
struct PluginEraCase: CustomTestStringConvertible, Sendable {
    var name: String
    var rules: ServerRules
    var token: String?
    var room: String
    var tenant: String?
    var roomExists: Bool
    /// What the server answers, for every era.
    var expected: [PluginEra: WireVerdict]

    var testDescription: String { name }

    /// `(era, verdict)` pairs: each verdict holds from its era until the next pair's.
    init(
        _ name: String, rules: ServerRules = Fixture.rules, token: String?, room: String = Fixture.room,
        tenant: String? = nil, roomExists: Bool = true, _ changes: (PluginEra, WireVerdict)...
    ) {
        self.name = name
        self.rules = rules
        self.token = token
        self.room = room
        self.tenant = tenant
        self.roomExists = roomExists
        var expected: [PluginEra: WireVerdict] = [:]
        var current: WireVerdict?
        for era in PluginEra.allCases {
            if let change = changes.first(where: { $0.0 == era }) { current = change.1 }
            expected[era] = current
        }
        self.expected = expected
    }

    /// The case for one era, as a ``VerifyCase`` (for the oracle's request).
    func verifyCase(_ era: PluginEra) -> VerifyCase {
        var rules = rules
        rules.era = era
        return VerifyCase(
            name: name, rules: rules, token: token, room: room, tenant: tenant, now: Double(Fixture.now),
            expected: expected[era] ?? .accepted)
    }

    /// Every case paired with every era.
    static var matrix: [(PluginEraCase, PluginEra)] {
        all.flatMap { testCase in PluginEra.allCases.map { (testCase, $0) } }
    }

    static var all: [PluginEraCase] {
        typealias F = Fixture
        let good = F.token(F.claims)
        let noBase = F.rules { $0.mucMapperDomainBase = nil }
        let lowerOfNil = WireVerdict.luaError("join", "bad argument #1 to 'lower' (string expected, got nil)")
        let mismatch = VerifyCase.mismatch
        let missingRoom = WireVerdict.join("room-does-not-exist", "Room does not exist")
        let creationRestricted = WireVerdict.join(nil, "Room creation is restricted")
        func regex(_ room: JSONValue) -> String {
            F.token(F.claims { $0["room"] = room; $0["context"] = ["room": ["regex": true]] })
        }
        return [
            PluginEraCase("a good token is accepted in every era", token: good, (.august2025, .accepted)),
            PluginEraCase(
                "a token without sub raises at the join, then is refused at connect",
                token: F.token(F.claims { $0["sub"] = nil }),
                (.august2025, lowerOfNil), (.may2026, .connect("sub claim is missing", "not-authorized"))),
            PluginEraCase(
                "without domain verification a token without sub was accepted",
                rules: F.rules { $0.enableDomainVerification = false }, token: F.token(F.claims { $0["sub"] = nil }),
                (.august2025, .accepted), (.may2026, .connect("sub claim is missing", "not-authorized"))),
            PluginEraCase(
                "a token without room used the text as the SASL condition, which Prosody cannot send",
                token: F.token(F.claims { $0["room"] = nil }),
                (.august2025, .luaError("connect", "invalid tag name: contains invalid characters")),
                (.may2026, .connect("room claim is missing", "not-authorized"))),
            PluginEraCase(
                "without muc_mapper_domain_base a good token was accepted", rules: noBase, token: good,
                (.august2025, .accepted), (.september2025, missingRoom)),
            PluginEraCase(
                "without muc_mapper_domain_base sub * matches no MUC", rules: noBase,
                token: F.token(F.claims { $0["sub"] = "*" }), (.august2025, mismatch), (.september2025, missingRoom)),
            PluginEraCase(
                "without muc_mapper_domain_base a tenant room is refused", rules: noBase,
                token: F.token(F.claims { $0["sub"] = "acme" }), tenant: "acme",
                (.august2025, mismatch), (.september2025, missingRoom)),
            PluginEraCase(
                "a wrong room is a mismatch with domain verification",
                token: F.token(F.claims { $0["room"] = "other-room" }), (.august2025, mismatch)),
            PluginEraCase(
                "a wrong room without domain verification gained the room-mismatch code",
                rules: F.rules { $0.enableDomainVerification = false },
                token: F.token(F.claims { $0["room"] = "other-room" }),
                (.august2025, mismatch),
                (.september2025, .join("room-mismatch", "Room does not match the room from token"))),
            PluginEraCase(
                "a room jicofo has not created yet is Prosody's restriction, then does not exist",
                token: good, roomExists: false, (.august2025, creationRestricted), (.september2025, missingRoom)),
            PluginEraCase(
                "a wrong room not created yet is refused by the token check first",
                token: F.token(F.claims { $0["room"] = "other-room" }), roomExists: false,
                (.august2025, mismatch), (.september2025, missingRoom)),
            PluginEraCase(
                "an allowed empty token cannot create a room",
                rules: F.rules { $0.allowEmptyToken = true }, token: nil, roomExists: false,
                (.august2025, creationRestricted), (.september2025, missingRoom)),
            PluginEraCase(
                "an allowed empty token passed without muc_mapper_domain_base",
                rules: F.rules { $0.allowEmptyToken = true; $0.mucMapperDomainBase = nil }, token: nil,
                (.august2025, .accepted), (.september2025, missingRoom)),
            PluginEraCase(
                "an unparsable room address was let through", token: F.token(F.claims { $0["room"] = "*" }),
                room: "a@b", (.august2025, .accepted),
                (.september2025, .join("invalid-room-address", "Room address is invalid"))),
            PluginEraCase(
                "a room pattern that matches nothing gained the room-name-does-not-match code",
                token: regex("^other"), (.august2025, mismatch),
                (
                    .september2025,
                    .join("room-name-does-not-match", "Room name cannot be matched to the one from token.")
                )),
            PluginEraCase(
                "a malformed room pattern raised until 2026-06", token: regex("weekly%"),
                (.august2025, .luaError("join", "malformed pattern (ends with '%')")),
                (.june2026, .join("invalid-regex", "Room claim is not a valid Lua pattern"))),
            PluginEraCase(
                "a room pattern that is not a string raised until 2026-06", token: regex(["a": 1]),
                (.august2025, .luaError("join", "bad argument #1 to 'match' (string expected, got table)")),
                (.june2026, .join("invalid-regex", "Room claim is not a valid Lua pattern"))),
            PluginEraCase(
                "a key-server header outside base64url raised until 2026-03", rules: F.keyServerRules,
                token: F.replacingSegment(0, of: good, with: "eyJ+"),
                (.august2025, .luaError("connect", "bad argument #1 to 'decode' (expected 1 argument)")),
                (.march2026, .connect("Invalid token"))),
            PluginEraCase(
                "the log line without a key names cache_keys_url from 2025-11", rules: F.rules { $0.key = nil },
                token: good,
                (
                    .august2025,
                    WireVerdict(
                        accepted: false, stage: "connect", condition: "module-not-loaded",
                        reason: "'app_secret' or 'asap_key_server' must be specified")
                ),
                (
                    .november2025,
                    WireVerdict(
                        accepted: false, stage: "connect", condition: "module-not-loaded",
                        reason: "'app_secret', 'asap_key_server or 'cacheKeysUrl' must be specified")
                )),
        ]
    }
}
