public import JitsiToken
public import ProsodyConfig

/// What a Prosody config means for Jitsi tokens, built once per loaded config and read by every command: each
/// VirtualHost with its connect-stage rules (`mod_auth_token`), each Component, and for each MUC the join-stage
/// rules its `token_verification` applies (from the MUC's parent host).
///
/// Hosts and components are identified by their section key, compared by bytes and type, as Prosody does.
public struct Deployment: Sendable {
    public let config: ProsodyConfiguration
    /// The Jitsi plugin era every host's rules follow (detected or `--jitsi-plugins`; the current era by default).
    public let era: PluginEra
    /// Every VirtualHost, sorted by name (bytewise).
    public let hosts: [Host]
    /// Every Component, sorted by name (bytewise).
    public let components: [Component]
    /// Enabled VirtualHosts with `authentication = "token"`, sorted by name.
    public let tokenHosts: [Host]
    private let hostIndex: [LuaValue: Int]
    private let componentIndex: [LuaValue: Int]

    /// The options the token plugins read from the token VirtualHost (with the global fallback).
    public static let tokenOptions = [
        "app_id", "signature_algorithm", "asap_key_server", "cache_keys_url", "asap_accepted_issuers",
        "asap_accepted_audiences", "asap_require_room_claim", "allow_empty_token", "enable_domain_verification",
        "muc_mapper_domain_base", "muc_mapper_domain_prefix", "muc_mapper_domain",
    ]

    /// Plugins that turn `context.user.moderator` / `affiliation` into room ownership. (A list, not a set: a set of
    /// strings would have the runtime scan every conformance record of the binary for `String: Hashable` once per
    /// process, a scan that costs more than searching three names.)
    public static let affiliationPlugins = ["token_affiliation", "token_moderation", "token_owner_party"]

    public init(_ config: ProsodyConfiguration, era: PluginEra = .current) {
        self.config = config
        self.era = era
        let roles = MUCRoles(config)
        let global = config.global.options
        // Sections are sorted before the values are made from them: moving a section retains three references,
        // moving a host or component many more.
        let components = Self.sortedByName(config.components).map {
            Component(section: $0, config: config, global: global, roles: roles)
        }
        var componentIndex: [LuaValue: Int] = [:]
        componentIndex.reserveCapacity(components.count)
        // Last to first: the first component under a key is the one kept, with one hash per component.
        for position in components.indices.reversed() { componentIndex[components[position].key] = position }
        let hosts = Self.sortedByName(config.virtualHosts).map { section in
            Host(section: section, global: global, era: era) { candidates in
                for name in candidates {
                    guard let position = componentIndex[.string(Array(name.utf8))] else { continue }
                    let component = components[position]
                    if component.isMUC, component.enabled, component.role == .conference { return component }
                }
                return nil
            }
        }
        var hostIndex: [LuaValue: Int] = [:]
        hostIndex.reserveCapacity(hosts.count)
        for position in hosts.indices.reversed() { hostIndex[hosts[position].key] = position }
        self.components = components
        self.componentIndex = componentIndex
        self.hosts = hosts
        self.hostIndex = hostIndex
        tokenHosts = hosts.filter(Self.isTokenHost)
    }

    /// Whether `host` is one of ``tokenHosts``: enabled, with token authentication.
    static func isTokenHost(_ host: Host) -> Bool { host.enabled && host.usesTokens }

    /// Sorted by name (bytewise), then by the key's type; the sort moves positions, not the (large) values, and
    /// compares byte arrays made once (not the names' UTF-8 views, which cost a generic iteration per comparison).
    private static func sortedByName<Named: SectionNamed>(_ sections: [Named]) -> [Named] {
        let order = ProsodyConfiguration.bytewiseOrder(of: sections.map { Array($0.name.utf8) }) { lhs, rhs in
            sections[lhs].key.typeName < sections[rhs].key.typeName
        }
        return order.map { sections[$0] }
    }

    /// The VirtualHost under exactly this section key.
    public func host(key: LuaValue) -> Host? { hostIndex[key].map { hosts[$0] } }

    /// The Component under exactly this section key.
    public func component(key: LuaValue) -> Component? { componentIndex[key].map { components[$0] } }

    /// The position in ``components`` of the Component under exactly this section key.
    func componentPosition(key: LuaValue) -> Int? { componentIndex[key] }

    /// The VirtualHost a name given by a person means: the one section that prints like it (nameprepped, as
    /// Prosody stores host names).
    /// - Throws: ``DeploymentError/noSuchHost(_:)``, or ``DeploymentError/ambiguousName(_:_:)`` when several
    ///   sections print alike (an NFC and an NFD spelling, an integer key and its string).
    public func host(named name: String) throws(DeploymentError) -> Host {
        let sections = Self.sections(named: name, in: hosts)
        guard sections.count <= 1 else { throw .ambiguousName(name, sections.map { Self.describe($0.key) }) }
        guard let host = sections.first else { throw .noSuchHost(name) }
        return host
    }

    /// The Component a name given by a person means (see ``host(named:)``).
    public func component(named name: String) throws(DeploymentError) -> Component {
        let sections = Self.sections(named: name, in: components)
        guard sections.count <= 1 else { throw .ambiguousName(name, sections.map { Self.describe($0.key) }) }
        guard let component = sections.first else { throw .noSuchComponent(name) }
        return component
    }

    private static func sections<Named: SectionNamed>(named name: String, in list: [Named]) -> [Named] {
        let prepped = ProsodyConfiguration.nameprep(name) ?? name
        return list.filter { $0.name == prepped || $0.name == name }
    }

    /// A section key for an error message: its bytes and type, so that keys that print alike can be told apart.
    static func describe(_ key: LuaValue) -> String {
        switch key {
        case .string(let bytes):
            let text = String(decoding: bytes, as: UTF8.self)
            let ascii = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            return ascii ? "\"\(text)\"" : "the string with bytes " + bytes.map { hex($0) }.joined(separator: " ")
        case .integer(let number): return "the integer \(number)"
        default: return "a \(key.typeName) key (\(ProsodyConfiguration.keyText(key)))"
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// Picks the token host: `name` when given (it must exist), else the only enabled token VirtualHost.
    public func tokenHost(named name: String?) throws(DeploymentError) -> Host {
        if let name { return try host(named: name) }
        guard tokenHosts.count == 1, let only = tokenHosts.first else {
            throw tokenHosts.isEmpty ? .noTokenHost : .severalTokenHosts(tokenHosts.map(\.name))
        }
        return only
    }

    /// The rules for a user of `host`: its connect-stage rules and the join stage of the MUC they join (`muc`, else
    /// the host's default MUC). `publicKeyPEM` stands in for the key a key server would return.
    /// - Throws: ``DeploymentError`` when `muc` names no MUC component (or several that print alike).
    public func rules(for host: Host, muc: String? = nil, publicKeyPEM: String? = nil) throws(DeploymentError)
        -> ServerRules
    {
        var rules = host.rules
        if rules.usesKeyServer { rules.key = publicKeyPEM.map { .rsaPublicKey(pem: $0) } }
        if let muc {
            let component = try component(named: muc)
            guard let join = component.join else { throw .notAMUC(component.name, module: component.module) }
            rules.join = join
        }
        return rules
    }

    /// The MUC the users of `host` join by default (see ``Host/muc``).
    public func muc(for host: Host) -> Component? { host.muc.flatMap { component(key: $0) } }

    /// Whether a plugin that honours moderator/affiliation claims is loaded on the host or its MUC.
    public func loadsAffiliationPlugin(host: Host) -> Bool {
        let hostModules = Self.strings(config.get(sectionKey: host.key, "modules_enabled"))
        let mucModules = muc(for: host)?.modules ?? []
        return (hostModules + mucModules).contains(where: Self.affiliationPlugins.contains)
    }

    /// What a user of `host` joining `rules.joinRules.muc` should know before minting, as values.
    public func mintWarnings(host: Host, rules: ServerRules) -> [MintWarning] {
        guard rules.join != nil else {
            return [
                MintWarning(
                    .noMUC, host: host.name,
                    message: "no MUC component of \(host.name) found: the token is checked as if rooms lived on "
                        + rules.joinRules.muc)
            ]
        }
        let join = rules.joinRules
        switch join.checker {
        case .verifies: return []
        case .notLoaded:
            return [
                MintWarning(
                    .joinUnchecked, host: join.muc,
                    message: "token_verification is not loaded on \(join.muc): room claims are not enforced")
            ]
        case .notStarted(let reason):
            return [
                MintWarning(
                    .joinUnchecked, host: join.muc,
                    message: "token_verification on \(join.muc) does not start (\(reason)): room claims are not "
                        + "enforced")
            ]
        }
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

    /// `string.gmatch(name, "%w+.(%w.+)")()`: the name without its first label (`%w` is ASCII alphanumeric, `.`
    /// any byte), on the name's bytes.
    public static func parentHost(of name: String) -> String? {
        let bytes = Array(name.utf8)
        func isAlphanumeric(_ index: Int) -> Bool {
            guard index < bytes.count else { return false }
            let byte = bytes[index]
            return (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        // The first run of %w, then any byte, then %w, then at least one byte; the run backtracks from its end.
        var start = 0
        while start < bytes.count {
            guard isAlphanumeric(start) else {
                start += 1
                continue
            }
            var end = start
            while isAlphanumeric(end) { end += 1 }
            // `%w+` takes start..<separator, `.` takes separator, the capture starts at separator + 1.
            var separator = end
            while separator > start {
                if separator < bytes.count, isAlphanumeric(separator + 1), separator + 2 < bytes.count {
                    return String(decoding: bytes[(separator + 1)...], as: UTF8.self)
                }
                separator -= 1
            }
            // No match from any start inside this run: gmatch moves on one byte at a time, but every later start
            // in the run has a shorter run and fails the same way.
            start = end
        }
        return nil
    }
}

/// A host or component: something with a section key and a name.
protocol SectionNamed {
    var name: String { get }
    var key: LuaValue { get }
}

extension ProsodyConfiguration.Section: SectionNamed {}

/// Why a host or MUC could not be chosen.
public enum DeploymentError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchHost(String)
    case noSuchComponent(String)
    case notAMUC(String, module: String)
    case noTokenHost
    case severalTokenHosts([String])
    /// Several sections print like the name: the keys, described by bytes and type.
    case ambiguousName(String, [String])

    public var description: String {
        switch self {
        case .noSuchHost(let name): "no VirtualHost \"\(name)\" in the config"
        case .noSuchComponent(let name): "no Component \"\(name)\" in the config"
        case .notAMUC(let name, let module): "Component \"\(name)\" is not a MUC (component_module = \"\(module)\")"
        case .noTokenHost: "no enabled VirtualHost with authentication = \"token\" in the config"
        case .severalTokenHosts(let names):
            "several token VirtualHosts (\(names.joined(separator: ", "))): choose one with --host"
        case .ambiguousName(let name, let keys):
            "\"\(name)\" is ambiguous: the config has \(keys.count) sections that print alike ("
                + keys.joined(separator: "; ") + "), which Prosody keeps apart; refusing to guess"
        }
    }
}
