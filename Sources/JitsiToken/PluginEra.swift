/// Which generation of Jitsi's token plugins (`token/util.lib.lua`, `mod_token_verification.lua`,
/// `mod_auth_token.lua` in jitsi-meet's `resources/prosody-plugins`) the server runs. Each era is named by the month
/// of the jitsi-meet commit that began it; the name is what `--jitsi-plugins` takes and what JSON output reports.
/// Only changes that alter what the server answers to a token start a new era.
public enum PluginEra: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// `2025-08`: the plugins up to 2025-09-25. The join never looks the room up: without
    /// `muc_mapper_domain_base` tokens are accepted, every join refusal is `Room and token mismatched` (no error
    /// codes), and a room that jicofo has not created yet is refused by Prosody's `restrict_room_creation`. A missing
    /// room claim becomes a SASL condition Prosody cannot build (internal error); a missing `sub` passes the
    /// connect stage and raises in `string.lower` at the join.
    case august2025 = "2025-08"
    /// `2025-09` (jitsi-meet e6fbeb945, 36ce5a166, 2025-09-26/29): the join first requires the room to exist
    /// (`room-does-not-exist`), and refusals carry error codes (`room-mismatch`, `invalid-room-address`, …).
    case september2025 = "2025-09"
    /// `2025-11` (412aa8326, 2025-11-17): `cache_keys_url` alone loads the module; the text when no key is
    /// configured names it.
    case november2025 = "2025-11"
    /// `2026-03` (2245e4e74, 2026-03-26): with a key server, a header that is not base64url is `Invalid token`
    /// instead of a Lua error.
    case march2026 = "2026-03"
    /// `2026-05` (9657d939c, 2026-05-06): `sub` is required at connect (`sub claim is missing`), and a missing room
    /// claim is `not-authorized` / `room claim is missing`.
    case may2026 = "2026-05"
    /// `2026-06` (223e6f094, 2026-06-03): a room claim that is not a valid Lua pattern (with `context.room.regex`)
    /// is refused with `invalid-regex` instead of raising a Lua error at the join.
    case june2026 = "2026-06"

    /// The plugins of current jitsi-meet, assumed when nothing says otherwise.
    public static let current = PluginEra.june2026

    /// The era's name, e.g. `2025-08`.
    public var description: String { rawValue }

    public static func < (lhs: PluginEra, rhs: PluginEra) -> Bool {
        lhs.order < rhs.order
    }

    /// The era's place in ``allCases`` (the verifier compares eras for every token; a search of the cases for each
    /// comparison cost more than the check it decided).
    private var order: Int {
        switch self {
        case .august2025: 0
        case .september2025: 1
        case .november2025: 2
        case .march2026: 3
        case .may2026: 4
        case .june2026: 5
        }
    }
}

// MARK: - What differs by era (the verifier asks at the few points where outcomes change)

extension PluginEra {
    /// `verify_room` looks the room up first and refuses a missing one with `room-does-not-exist` (2025-09 on).
    /// Before, the join checks never needed the room (nor `muc_mapper_domain_base`), and an allowed empty token was
    /// let through before anything else.
    var joinRequiresExistingRoom: Bool { self >= .september2025 }

    /// Join refusals carry a jitmeet error code and their own text (2025-09 on); before, every refusal of
    /// `verify_room` was answered with `Room and token mismatched`.
    var sendsJoinErrorCodes: Bool { self >= .september2025 }

    /// An unparsable room address is refused (`invalid-room-address`, 2025-09 on); before, `verify_room` let it
    /// through.
    var refusesInvalidRoomAddress: Bool { self >= .september2025 }

    /// `sub` must be present at connect (2026-05 on); before, a missing `sub` reached `string.lower(nil)` at the join.
    var requiresSubAtConnect: Bool { self >= .may2026 }

    /// A broken Lua pattern in the room claim is caught (`invalid-regex`, 2026-06 on); before, `string.match` raised.
    var catchesPatternErrors: Bool { self >= .june2026 }

    /// With a key server, a header outside the base64url alphabet is `Invalid token` (2026-03 on); before, the
    /// decoder's `nil` went on into `cjson.safe.decode`, which raised.
    var rejectsUndecodableKeyServerHeader: Bool { self >= .march2026 }

    /// The log line when neither `app_secret` nor a key server is configured (the module does not load).
    var missingKeyConfigurationText: String {
        self >= .november2025
            ? "'app_secret', 'asap_key_server or 'cacheKeysUrl' must be specified"
            : "'app_secret' or 'asap_key_server' must be specified"
    }

    /// The connect-stage answer to a token without the room claim the server requires.
    func missingRoomClaimVerdict(room: String) -> Verdict {
        let fix = "use the room node " + JSONValue.string(room).jsonText + " or \"*\""
        if self >= .may2026 {
            return Verdict(
                accepted: false, stage: .connect, condition: "not-authorized", reason: "room claim is missing",
                hints: ["room is missing; the server requires it (asap_require_room_claim): " + fix])
        }
        // util.lib.lua returned the text "'room' claim is missing" as the SASL condition; mod_saslauth turns it
        // into an element name, which util.stanza refuses (a space and quotes).
        return Verdict(
            accepted: false, stage: .connect, condition: "internal-error",
            reason: "invalid tag name: contains invalid characters",
            hints: [
                "room is missing; these plugins (before 2026-05) send \"'room' claim is missing\" as the SASL "
                    + "condition, which Prosody cannot put on the wire: it logs a traceback and the client gets no "
                    + "answer; " + fix
            ])
    }

    /// The join answer when `verify_room` would accept but the room has not been created yet (before 2025-09; later
    /// eras refuse earlier with `room-does-not-exist`). The refusal is Prosody's, from the Debian and docker
    /// configs' `restrict_room_creation = true` on the conference MUC.
    var roomCreationRestrictedVerdict: Verdict {
        Verdict(
            accepted: false, stage: .join, condition: "not-allowed", reason: "Room creation is restricted",
            hints: [
                "the room does not exist yet and restrict_room_creation lets only jicofo create it: join after the "
                    + "meeting was started (the web client asks jicofo first)"
            ])
    }

    /// Advice for a token that these plugins accept but later ones would refuse, if any.
    func acceptedHints(rules: ServerRules) -> [String] {
        guard !joinRequiresExistingRoom, rules.mucMapperDomainBase == nil else { return [] }
        return [
            "muc_mapper_domain_base is not set: these plugins (\(rawValue)) accept the join, but plugins from "
                + "2025-09 on refuse every token join with \"Room does not exist\""
        ]
    }
}

extension ServerRules {
    /// The MUC host the room JID is on as the client joins it: the mapper's MUC domain when the base is set, else
    /// `muc_mapper_domain`, else `<prefix>.<xmppDomain>` (what a standard install's MUC is called).
    var joinedMUCHost: String {
        mucDomain ?? mucMapperDomain ?? mucMapperDomainPrefix + "." + xmppDomain
    }
}
