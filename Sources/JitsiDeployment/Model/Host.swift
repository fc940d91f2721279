public import JitsiToken
public import ProsodyConfig

extension Deployment {
    /// One VirtualHost as Prosody activates it, with the connect-stage rules its `mod_auth_token` applies.
    public struct Host: Sendable, Equatable, SectionNamed {
        /// The section's name as text (for display; ``key`` is its identity).
        public var name: String
        /// The section key, compared by bytes and type.
        public var key: LuaValue
        /// `enabled ~= false`, with the global fallback.
        public var enabled: Bool
        /// The `authentication` provider (`"token"` for token auth), with the global fallback.
        public var authentication: String?
        public var appID: String?
        /// Whether `app_secret` is set (the value itself is never part of this summary).
        public var hasSecret: Bool
        /// The token options in effect, after falling back to `"*"`, as typed values (secrets excluded).
        public var tokenOptions: [TokenOption]
        /// What the server checks for a user of this host: the connect stage from the host's options (with the
        /// global fallback), and the join stage of its default MUC (``muc``). The key of a key-server host is
        /// `nil` here: pass the public key to ``Deployment/rules(for:muc:publicKeyPEM:)``.
        ///
        /// Derived when asked for (commands that only list hosts never need it), from the options this host
        /// reads; read it once where it is used more than once.
        public var rules: ServerRules {
            var rules = connectRules
            rules.join = source.mucComponent?.join
            return rules
        }
        /// ``rules`` without the join stage (which derives the MUC's join rules from its parent's options): what
        /// the connect stage alone checks.
        public var connectRules: ServerRules {
            var rules = Self.connectRules(name: name, reader: source.reader)
            rules.era = source.era
            return rules
        }
        /// The section key of the MUC this host's users join by default: `<muc_mapper_domain>` or
        /// `<prefix>.<muc_mapper_domain_base>`, else `conference.<base>` (the web client's default), else
        /// `conference.<host>`; never a breakout or lobby MUC. `nil` when none of these exists.
        public var muc: LuaValue? { source.mucComponent?.key }

        /// What ``rules`` and ``muc`` are derived from.
        private let source: RulesSource

        /// The host's options with the global fallback, as its plugins read them.
        var reader: OptionReader { source.reader }

        /// Token authentication: `authentication = "token"`.
        public var usesTokens: Bool { authentication == "token" }

        init(
            section: ProsodyConfiguration.Section, global: LuaTable, era: PluginEra, muc find: ([String]) -> Component?
        ) {
            let reader = OptionReader(section: section.options, global: global)
            name = section.name
            key = section.key
            enabled = reader.raw("enabled") != .boolean(false)
            authentication = reader.string("authentication")
            appID = reader.string("app_id")
            hasSecret = reader.isSet("app_secret")
            tokenOptions = Deployment.tokenOptions.compactMap { name in
                reader.raw(name).map { TokenOption(name: name, raw: $0) }
            }
            let mapping = Self.mucMapping(name: section.name, reader: reader)
            var candidates: [String] = []
            if let mapped = mapping.mucDomain { candidates.append(mapped) }
            if let base = mapping.mucMapperDomainBase { candidates.append("conference." + base) }
            candidates.append("conference." + section.name)
            source = RulesSource(reader: reader, era: era, mucComponent: find(candidates))
        }

        /// The host's options with the global fallback, the plugin era, and the MUC ``muc`` names: one object
        /// that every copy of the host shares (a copy retains it once, not each of its parts; at 100k hosts the
        /// retains of copies cost more than making them).
        private final class RulesSource: Sendable, Equatable {
            let reader: OptionReader
            let era: PluginEra
            let mucComponent: Component?

            init(reader: OptionReader, era: PluginEra, mucComponent: Component?) {
                self.reader = reader
                self.era = era
                self.mucComponent = mucComponent
            }

            static func == (lhs: RulesSource, rhs: RulesSource) -> Bool {
                lhs === rhs || (lhs.reader == rhs.reader && lhs.era == rhs.era && lhs.mucComponent == rhs.mucComponent)
            }
        }

        /// The MUC mapper options of the connect-stage rules (``connectRules(name:reader:)`` takes them from here),
        /// without the rest: what the choice of ``muc`` needs.
        static func mucMapping(name: String, reader: OptionReader) -> ServerRules {
            ServerRules(
                xmppDomain: name, appID: nil, key: nil,
                mucMapperDomainBase: reader.string("muc_mapper_domain_base"),
                mucMapperDomainPrefix: reader.string("muc_mapper_domain_prefix") ?? "conference",
                mucMapperDomain: reader.string("muc_mapper_domain"))
        }

        /// The connect-stage rules `token/util.lib.lua` reads from the host (key-server key left out).
        static func connectRules(name: String, reader: OptionReader) -> ServerRules {
            let mapping = mucMapping(name: name, reader: reader)
            let appID = reader.string("app_id")
            let usesKeyServer = reader.string("asap_key_server") != nil || reader.string("cache_keys_url") != nil
            var key: VerificationKey?
            if !usesKeyServer {
                if case .string(let bytes)? = reader.scalar("app_secret") {
                    key = .hmac(Secret(bytes))
                } else if let secret = reader.string("app_secret") {
                    key = .hmac(Secret(secret))
                }
            }
            return ServerRules(
                xmppDomain: name, appID: appID, key: key, signatureAlgorithm: reader.string("signature_algorithm"),
                acceptedIssuers: reader.array("asap_accepted_issuers") ?? appID.map { [$0] } ?? [],
                acceptedAudiences: reader.array("asap_accepted_audiences") ?? ["*"],
                requireRoomClaim: Deployment.boolean(reader.boolean("asap_require_room_claim"), default: true),
                allowEmptyToken: Deployment.boolean(reader.boolean("allow_empty_token"), default: false),
                enableDomainVerification: Deployment.boolean(
                    reader.boolean("enable_domain_verification"), default: true),
                mucMapperDomainBase: mapping.mucMapperDomainBase, mucMapperDomainPrefix: mapping.mucMapperDomainPrefix,
                mucMapperDomain: mapping.mucMapperDomain, usesKeyServer: usesKeyServer)
        }
    }

    /// One token option in effect on a host, with its value typed as JSON can hold it.
    public struct TokenOption: Sendable, Equatable {
        public var name: String
        /// The option's raw value, as the config holds it.
        public var raw: LuaValue
        /// Strings, numbers and booleans as they are; a list as an array, another table as an object (keys as
        /// text); a value JSON cannot hold as its Lua type name. Made when asked for (only JSON shows it).
        public var value: JSONValue { Self.value(of: raw) }

        static func value(of value: LuaValue) -> JSONValue {
            switch value {
            case .string(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
            case .integer(let number): return .integer(number)
            case .number(let number): return number.isFinite ? .number(number) : .string(OptionReader.tostring(value))
            case .boolean(let flag): return .bool(flag)
            case .table(let table):
                if let items = table.arrayValues { return .array(items.map(Self.value(of:))) }
                if table.entries.isEmpty { return .array([]) }
                return .object(
                    JSONObject(table.entries.map { (ProsodyConfiguration.keyText($0.key), Self.value(of: $0.value)) }))
            default: return .string(value.typeName)
            }
        }

        /// The value as `hosts` prints it in text: scalars as Lua's `tostring`, lists as `{ "a", "b" }`.
        public var text: String

        public init(name: String, raw: LuaValue) {
            self.name = name
            self.raw = raw
            self.text = Self.text(of: raw)
        }

        static func text(of value: LuaValue) -> String {
            if case .table(let table) = value {
                var text = "{ "
                for (index, item) in (table.arrayValues ?? table.entries.map(\.value)).enumerated() {
                    if index > 0 { text += ", " }
                    text += "\""
                    text += OptionReader.tostring(item)
                    text += "\""
                }
                return text + " }"
            }
            return OptionReader.tostring(value)
        }
    }
}
