import JitsiDeployment
import JitsiToken
import ProsodyConfig

/// What the server's token plugins use on one token host, after Prosody's fallback to `"*"`, and where each value
/// was set. A thin view over ``Deployment/rules(for:publicKeyPEM:)`` and the loader's notes.
struct HostCredentials {
    /// Where an option's value in effect was set; `nil` fields mean the plugins' default.
    struct Source: Equatable {
        /// The section the value came from: the host, or `*` (the global section).
        var section: String
        var file: String
        var line: Int?

        var text: String { file + (line.map { ":\($0)" } ?? "") + (section == "*" ? " (global)" : "") }
    }

    /// The options shown, in order, with the name each has in the output.
    static let options = [
        "app_id", "signature_algorithm", "app_secret", "asap_key_server", "cache_keys_url", "asap_accepted_issuers",
        "asap_accepted_audiences",
    ]

    var host: String
    var rules: ServerRules
    /// `app_secret`, when the host verifies with it (not with a key server).
    var secret: Secret?
    var keyServer: String?
    var cacheKeysURL: String?
    /// `--kid`.
    var keyID: String?
    /// The URL the server fetches for ``keyID``, with a key server.
    var keyURL: String?
    /// Where each of ``options`` was set, for those that are set.
    var sources: [String: Source]

    /// The credentials of `chosen`, looked up by its section key (bytes and type), never by its printed name.
    init(deployment: Deployment, host chosen: Deployment.Host, keyID: String?) {
        host = chosen.name
        rules = chosen.rules
        if case .hmac(let secret)? = rules.key { self.secret = secret }
        let reader = OptionReader(config: deployment.config, sectionKey: chosen.key)
        keyServer = reader.string("asap_key_server")
        cacheKeysURL = reader.string("cache_keys_url")
        self.keyID = keyID
        if let keyServer, let keyID { keyURL = KeyServer.fetchURL(server: keyServer, keyID: keyID) }
        var sources: [String: Source] = [:]
        for option in Self.options {
            if let source = Self.source(of: option, host: chosen, in: deployment.config) { sources[option] = source }
        }
        self.sources = sources
    }

    /// Where the value `host` reads for `option` was set: its own section, else the global one (as `get_option`).
    static func source(of option: String, host: Deployment.Host, in config: ProsodyConfiguration) -> Source? {
        let own = config[sectionKey: host.key]?[option] != nil
        guard own || config.global[option] != nil else { return nil }
        let key = own ? host.key : ProsodyConfiguration.globalKey
        let section = own ? host.name : "*"
        let note = config.notes.last { $0.kind == .set && $0.sectionKey == key && $0.name == option }
        return note.map { Source(section: section, file: $0.file, line: $0.line) }
            ?? Source(section: section, file: "?", line: nil)
    }

    /// Whether the server verifies with a key it fetches rather than with `app_secret`.
    var usesKeyServer: Bool { rules.usesKeyServer }

    /// The secret as text for `--show-secrets`, or `nil` when it is not UTF-8 (then only `--secret-out` gives it).
    var revealedSecretText: String? {
        secret.flatMap { String(validating: $0.revealedBytes, as: UTF8.self) }
    }
}
