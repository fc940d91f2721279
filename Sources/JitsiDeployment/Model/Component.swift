public import JitsiToken
public import ProsodyConfig

extension Deployment {
    /// One Component; for a MUC, the join-stage rules its `token_verification` applies.
    public struct Component: Sendable, Equatable, SectionNamed {
        /// What a MUC is for.
        public enum Role: String, Sendable, Equatable {
            /// Where meetings take place (`conference.<domain>`, docker's `muc.<domain>`).
            case conference
            /// Breakout rooms (`breakout_rooms_muc`, `breakout.<domain>`), named by a uuid.
            case breakout
            /// Lobby rooms (`lobby_muc`, `lobby.<domain>`).
            case lobby
            /// Not a MUC.
            case none
        }

        /// The section's name as text (for display; ``key`` is its identity).
        public var name: String
        /// The section key, compared by bytes and type.
        public var key: LuaValue
        /// `component_module`: `"muc"`, `"component"` (external), `"client_proxy"`, …
        public var module: String
        public var enabled: Bool
        /// The host the token plugins take as this component's parent: the name without its first label, as
        /// `mod_token_verification` derives it (`"%w+.(%w.+)"`).
        public var parentHost: String?
        /// The modules the component loads itself (its own `modules_enabled`).
        public var modules: [String]
        public var role: Role
        /// For a MUC, what a join there checks; `nil` for other components. Derived when asked for, from the
        /// parent host's options.
        public var join: JoinRules? { join(parentRules: nil) }

        /// ``join``, given the connect-stage rules of the parent host's section when they are already derived
        /// (a token host's ``Host/connectRules`` whose key is the string ``parentHost``), instead of deriving them
        /// again.
        func join(parentRules: ServerRules?) -> JoinRules? {
            guard isMUC else { return nil }
            return Self.joinRules(
                name: name, loads: verifiesTokens, parent: parentHost, reader: parentReader, lobby: role == .lobby,
                parentRules: parentRules)
        }
        /// The parent host's options with the global fallback, for a MUC that loads `token_verification`.
        private let parentReader: OptionReader?

        /// Whether `token_verification` is loaded here.
        public var verifiesTokens: Bool { modules.contains("token_verification") }

        /// `component_module = "muc"`.
        public var isMUC: Bool { module == "muc" }

        init(section: ProsodyConfiguration.Section, config: ProsodyConfiguration, global: LuaTable, roles: MUCRoles) {
            name = section.name
            key = section.key
            module = section.componentModule ?? "component"
            enabled = (section["enabled"] ?? global["enabled"]) != .boolean(false)
            parentHost = Deployment.parentHost(of: section.name)
            modules = Deployment.strings(section["modules_enabled"])
            role = module == "muc" ? roles.role(of: section.name) : .none
            // `module:context(parent)` reads the parent's section, else the global one, whether or not the
            // parent is a VirtualHost.
            parentReader = module == "muc" && modules.contains("token_verification")
                ? parentHost.map { OptionReader(config: config, sectionKey: .string(Array($0.utf8)), global: global) } : nil
        }

        /// What `mod_token_verification` does on the MUC `name`: nothing when not loaded; nothing when it cannot
        /// start (no parent host name, or the parent host has no token settings: `token/util`'s constructor
        /// returns nil); else `verify_room` with the parent host's options (`reader`).
        static func joinRules(
            name: String, loads: Bool, parent: String?, reader: OptionReader?, lobby: Bool,
            parentRules: ServerRules?
        ) -> JoinRules {
            guard loads else { return JoinRules(muc: name, checker: .notLoaded) }
            guard let parent, let reader else {
                return JoinRules(muc: name, checker: .notStarted(reason: "unable to get parent hostname"))
            }
            let rules = parentRules ?? Host.connectRules(name: parent, reader: reader)
            guard rules.appID != nil else {
                return JoinRules(
                    muc: name, checker: .notStarted(reason: "'app_id' must not be empty on \(parent)"))
            }
            guard rules.key != nil || rules.usesKeyServer else {
                return JoinRules(
                    muc: name,
                    checker: .notStarted(
                        reason: "'app_secret', 'asap_key_server or 'cacheKeysUrl' must be specified on \(parent)"))
            }
            return JoinRules(
                muc: name, checker: .verifies(RoomVerification(rules)), mirrorsConferenceRooms: lobby)
        }
    }
}

/// Which MUCs are breakout and lobby MUCs: those named by `breakout_rooms_muc` / `lobby_muc` in any section, and
/// those whose name starts with `breakout.` / `lobby.`.
struct MUCRoles {
    /// The names as the config's own values (`.string`): the runtime checks a hashed element type's conformance
    /// once per process, and the config's index has already checked `LuaValue`'s (a set of `[UInt8]` would cost
    /// three more scans of every conformance record of the binary, 3% of a one-token `mint --config`).
    private var breakout: Set<LuaValue> = []
    private var lobby: Set<LuaValue> = []

    init(_ config: ProsodyConfiguration) {
        for section in config.sections {
            if case let name? = section["breakout_rooms_muc"], case .string = name { breakout.insert(name) }
            if case let name? = section["lobby_muc"], case .string = name { lobby.insert(name) }
        }
    }

    func role(of name: String) -> Deployment.Component.Role {
        let bytes = Array(name.utf8)
        let value = LuaValue.string(bytes)
        if breakout.contains(value) || bytes.starts(with: Array("breakout.".utf8)) { return .breakout }
        if lobby.contains(value) || bytes.starts(with: Array("lobby.".utf8)) { return .lobby }
        return .conference
    }
}
