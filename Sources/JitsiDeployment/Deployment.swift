public import JitsiToken
import LuaSandbox
public import ProsodyConfig

/// What a Prosody config means for Jitsi tokens: its VirtualHosts and Components, which host verifies tokens, the
/// rules the server's token plugins apply there, and the MUC that enforces room claims.
public struct Deployment: Sendable {
    public let config: ProsodyConfiguration

    public init(_ config: ProsodyConfiguration) {
        self.config = config
    }

    /// The options the token plugins read from the token VirtualHost (with the global fallback).
    public static let tokenOptions = [
        "app_id", "signature_algorithm", "asap_key_server", "cache_keys_url", "asap_accepted_issuers",
        "asap_accepted_audiences", "asap_require_room_claim", "allow_empty_token", "enable_domain_verification",
        "muc_mapper_domain_base", "muc_mapper_domain_prefix", "muc_mapper_domain",
    ]

    /// Plugins that turn `context.user.moderator` / `affiliation` into room ownership.
    public static let affiliationPlugins: Set<String> = ["token_affiliation", "token_moderation", "token_owner_party"]

    /// One VirtualHost as Prosody activates it.
    public struct Host: Sendable, Equatable {
        public var name: String
        /// `enabled ~= false`, with the global fallback.
        public var enabled: Bool
        /// The `authentication` provider (`"token"` for token auth), with the global fallback.
        public var authentication: String?
        public var appID: String?
        /// Whether `app_secret` is set (the value itself is never part of this summary).
        public var hasSecret: Bool
        /// The token options in effect, after falling back to `"*"`, as text (secrets excluded).
        public var tokenOptions: [(name: String, value: String)]

        public static func == (lhs: Host, rhs: Host) -> Bool {
            lhs.name == rhs.name && lhs.enabled == rhs.enabled && lhs.authentication == rhs.authentication
                && lhs.appID == rhs.appID && lhs.hasSecret == rhs.hasSecret
                && lhs.tokenOptions.map(\.name) == rhs.tokenOptions.map(\.name)
                && lhs.tokenOptions.map(\.value) == rhs.tokenOptions.map(\.value)
        }

        /// Token authentication: `authentication = "token"`.
        public var usesTokens: Bool { authentication == "token" }
    }

    /// One Component.
    public struct Component: Sendable, Equatable {
        public var name: String
        /// `component_module`: `"muc"`, `"component"` (external), `"client_proxy"`, …
        public var module: String
        public var enabled: Bool
        /// The host the token plugins take as this component's parent: the name without its first label, as
        /// `mod_token_verification` derives it (`"%w+.(%w.+)"`).
        public var parentHost: String?
        /// The modules the component loads itself (its own `modules_enabled`).
        public var modules: [String]

        /// Whether `token_verification` is loaded here (room claims enforced).
        public var verifiesTokens: Bool { modules.contains("token_verification") }
    }

    /// Every VirtualHost, sorted by name.
    public var hosts: [Host] {
        config.virtualHosts.map { section in
            let reader = OptionReader(config: config, host: section.name)
            let options = Self.tokenOptions.compactMap { name -> (name: String, value: String)? in
                guard let value = reader.raw(name) else { return nil }
                return (name, Self.display(value))
            }
            return Host(
                name: section.name, enabled: config.isEnabled(section.name),
                authentication: reader.string("authentication"), appID: reader.string("app_id"),
                hasSecret: reader.isSet("app_secret"), tokenOptions: options)
        }.sorted { $0.name < $1.name }
    }

    /// Every Component, sorted by name.
    public var components: [Component] {
        config.components.map { section in
            Component(
                name: section.name, module: section.componentModule ?? "component",
                enabled: config.isEnabled(section.name), parentHost: Self.parentHost(of: section.name),
                modules: Self.strings(section["modules_enabled"]))
        }.sorted { $0.name < $1.name }
    }

    /// Enabled VirtualHosts with `authentication = "token"`.
    public var tokenHosts: [Host] { hosts.filter { $0.enabled && $0.usesTokens } }

    /// The MUC component whose parent is `host` and that loads `token_verification`; else any MUC component whose
    /// parent is `host`.
    public func muc(for host: String) -> Component? {
        let mucs = components.filter { $0.module == "muc" && $0.parentHost == host }
        return mucs.first(where: \.verifiesTokens) ?? mucs.first { $0.name.hasPrefix("conference.") } ?? mucs.first
    }

    /// Picks the token host: `name` when given (it must exist), else the only enabled token VirtualHost.
    public func tokenHost(named name: String?) throws(DeploymentError) -> Host {
        if let name {
            let prepped = ProsodyConfiguration.nameprep(name) ?? name
            guard let host = hosts.first(where: { $0.name == prepped }) else { throw .noSuchHost(name) }
            return host
        }
        let candidates = tokenHosts
        guard candidates.count == 1, let only = candidates.first else {
            throw candidates.isEmpty ? .noTokenHost : .severalTokenHosts(candidates.map(\.name))
        }
        return only
    }

    /// The rules the server's token plugins enforce for `host`, read as they read them. `publicKeyPEM` stands in
    /// for the key a key server (`asap_key_server`, `cache_keys_url`) would return.
    public func rules(for host: String, publicKeyPEM: String? = nil) -> ServerRules {
        let reader = OptionReader(config: config, host: host)
        let appID = reader.string("app_id")
        let usesKeyServer = reader.string("asap_key_server") != nil || reader.string("cache_keys_url") != nil
        let key: VerificationKey?
        if usesKeyServer {
            key = publicKeyPEM.map { .rsaPublicKey(pem: $0) }
        } else if case .string(let bytes)? = reader.scalar("app_secret") {
            key = .hmac(Secret(bytes))
        } else if let secret = reader.string("app_secret") {
            key = .hmac(Secret(secret))
        } else {
            key = nil
        }
        let base = reader.string("muc_mapper_domain_base")
        return ServerRules(
            xmppDomain: host, appID: appID, key: key, signatureAlgorithm: reader.string("signature_algorithm"),
            acceptedIssuers: reader.array("asap_accepted_issuers") ?? appID.map { [$0] } ?? [],
            acceptedAudiences: reader.array("asap_accepted_audiences") ?? ["*"],
            requireRoomClaim: Self.boolean(reader.boolean("asap_require_room_claim"), default: true),
            allowEmptyToken: Self.boolean(reader.boolean("allow_empty_token"), default: false),
            enableDomainVerification: Self.boolean(reader.boolean("enable_domain_verification"), default: true),
            mucMapperDomainBase: base,
            mucMapperDomainPrefix: reader.string("muc_mapper_domain_prefix") ?? "conference",
            mucMapperDomain: reader.string("muc_mapper_domain"),
            usesKeyServer: usesKeyServer)
    }

    /// Whether a plugin that honours moderator/affiliation claims is loaded on the host or its MUC.
    public func loadsAffiliationPlugin(host: String) -> Bool {
        let hostModules = Self.strings(config.get(host, "modules_enabled"))
        let mucModules = muc(for: host)?.modules ?? []
        return !Self.affiliationPlugins.isDisjoint(with: hostModules + mucModules)
    }

    /// Plain-language warnings about the traps of minting for `host` (jitsi-token.md §11).
    public func mintWarnings(host: String) -> [String] {
        let rules = rules(for: host)
        var warnings: [String] = []
        if rules.mucMapperDomainBase == nil {
            warnings.append("muc_mapper_domain_base is not set: current Jitsi servers refuse every token join "
                + "with 'Room does not exist'")
        }
        if let muc = muc(for: host) {
            if !muc.verifiesTokens {
                warnings.append("token_verification is not loaded on \(muc.name): room claims are not enforced")
            }
            if let mapped = rules.mucDomain, mapped != muc.name, rules.enableDomainVerification {
                warnings.append("rooms of \(host) live on \(muc.name), but the token plugins look rooms up on "
                    + "\(mapped) (muc_mapper_domain_base/muc_mapper_domain): set muc_mapper_domain_base = \"\(host)\" "
                    + "on this VirtualHost")
            }
        } else {
            warnings.append("no MUC component of \(host) found: room claims may not be enforced")
        }
        return warnings
    }

    /// `get_option_boolean` with a default: an unparseable value (`"no"`) reads as nil, i.e. false.
    static func boolean(_ value: Bool??, default defaultValue: Bool) -> Bool {
        switch value {
        case .none: defaultValue
        case .some(let parsed): parsed ?? false
        }
    }

    static func strings(_ value: LuaValue?) -> [String] {
        guard let value else { return [] }
        guard case .table(let table) = value else { return [OptionReader.tostring(value)] }
        return (table.arrayValues ?? table.entries.map(\.value)).map(OptionReader.tostring)
    }

    static func display(_ value: LuaValue) -> String {
        if case .table(let table) = value {
            let items = (table.arrayValues ?? table.entries.map(\.value)).map(OptionReader.tostring)
            return "{ " + items.map { "\"\($0)\"" }.joined(separator: ", ") + " }"
        }
        return OptionReader.tostring(value)
    }

    /// `string.gmatch(host, "%w+.(%w.+)")()`: the name without its first label.
    public static func parentHost(of name: String) -> String? {
        let characters = Array(name.unicodeScalars)
        func isAlphanumeric(_ index: Int) -> Bool {
            index < characters.count && characters[index].isASCII
                && (characters[index].properties.isAlphabetic || ("0"..."9").contains(characters[index]))
        }
        for start in characters.indices where isAlphanumeric(start) {
            var end = start
            while isAlphanumeric(end) { end += 1 }
            var separator = end
            while separator > start {
                if separator < characters.count, isAlphanumeric(separator + 1), separator + 2 < characters.count {
                    return String(String.UnicodeScalarView(characters[(separator + 1)...]))
                }
                separator -= 1
            }
        }
        return nil
    }
}

/// Why a token host could not be chosen.
public enum DeploymentError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchHost(String)
    case noTokenHost
    case severalTokenHosts([String])

    public var description: String {
        switch self {
        case .noSuchHost(let name): "no VirtualHost \"\(name)\" in the config"
        case .noTokenHost: "no enabled VirtualHost with authentication = \"token\" in the config"
        case .severalTokenHosts(let names):
            "several token VirtualHosts (\(names.joined(separator: ", "))): choose one with --host"
        }
    }
}
