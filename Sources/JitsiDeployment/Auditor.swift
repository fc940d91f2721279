public import JitsiToken
public import ProsodyConfig

import CSystemShims

/// `audit`: loads a config with notes and returns what is wrong with it for token auth, as ``Finding`` values.
///
/// Throwing is kept for "cannot continue" (the config could not be read); everything else is a finding.
public enum Auditor {
    /// Returns a file's `st_mode` (following symlinks, as Prosody's own read does), or `nil` when it cannot be read.
    public typealias FileModeReader = @Sendable (String) -> UInt32?

    /// `stat(2)`'s `st_mode`.
    public static let statFileMode: FileModeReader = { path in
        let status = csystem_stat(Array(path.utf8).span)
        return status.error == 0 ? status.mode : nil
    }

    /// Loads the config at `path` (with `recordNotes` forced on) and audits it.
    ///
    /// - Parameters:
    ///   - path: The main config, as the loader should name it.
    ///   - options: How to load it; `recordNotes` is turned on.
    ///   - fileMode: How to read file modes (tests pass a fixed one).
    ///   - era: The installed plugins' era; `nil` tells it from the config's `plugin_paths`.
    ///   - keep: Given the loaded config and everything derived from it, before they are freed: a process that
    ///     exits next can keep them, which returns their memory at once (freeing 10k hosts value by value costs
    ///     about 3 % of an audit).
    /// - Returns: The findings, in report order.
    /// - Throws: `ConfigError` when the config could not be read (the command exits 2).
    public static func audit(
        path: String, options: LoadOptions = LoadOptions(), fileMode: FileModeReader = statFileMode,
        era: PluginEra? = nil, keep: (any Sendable) -> Void = { _ in }
    ) throws(ConfigError) -> AuditReport {
        var options = options
        options.recordNotes = true
        let config = try ConfigLoader.load(path: path, options: options)
        let context = AuditContext(config: config, era: era ?? PluginEraDetection.detect(config).era)
        defer { keep(context) }
        return AuditReport(configPath: path, findings: findings(in: context, configPath: path, fileMode: fileMode))
    }

    /// Audits a loaded config. Locations come from `config.notes`, so load it with `LoadOptions(recordNotes: true)`;
    /// without notes the findings carry no file or line.
    ///
    /// - Parameters:
    ///   - config: The loaded config.
    ///   - configPath: The main config file (its mode is checked along with every file the notes name).
    ///   - fileMode: How to read file modes.
    ///   - era: The installed plugins' era; `nil` tells it from the config's `plugin_paths`.
    /// - Returns: The findings, without duplicates, in report order.
    public static func findings(
        in config: ProsodyConfiguration, configPath: String, fileMode: FileModeReader = statFileMode,
        era: PluginEra? = nil
    ) -> [Finding] {
        findings(
            in: AuditContext(config: config, era: era ?? PluginEraDetection.detect(config).era),
            configPath: configPath, fileMode: fileMode)
    }

    private static func findings(
        in context: AuditContext, configPath: String, fileMode: FileModeReader
    ) -> [Finding] {
        var findings: [Finding] = []
        findings += context.tokenHostFindings()
        findings += context.sharedSecretFindings()
        findings += context.componentFindings()
        findings += context.undefinedNameFindings()
        findings += context.loaderWarningFindings()
        findings += context.emptyGlobFindings()
        findings += context.fileModeFindings(configPath: configPath, fileMode: fileMode)
        var seen = Set<Finding>()
        return findings.filter { seen.insert($0).inserted }.sorted(by: Finding.reportOrder)
    }

    /// Values documentation and tutorials use for `app_secret` (compared ignoring ASCII case).
    public static let exampleSecrets = [
        "example_app_secret", "my_jitsi_app_secret", "jitsi_app_secret", "app_secret", "changeme", "change_me",
        "change-me", "secret", "mysecret", "my_secret", "myappsecret", "my_app_secret", "yoursecret", "your_secret",
        "your_app_secret", "jitsi", "jitsi_secret", "jwt_secret", "password", "test", "example", "s3cr3t",
        "supersecret", "topsecret", "123456",
    ]

    /// Token options the token plugins read from the VirtualHost, never from a Component. (`muc_mapper_*` are left
    /// out: `muc_domain_mapper` on the MUC does read them there.)
    static let hostOnlyTokenOptions = [
        "app_id", "app_secret", "signature_algorithm", "asap_key_server", "cache_keys_url", "asap_accepted_issuers",
        "asap_accepted_audiences", "asap_require_room_claim", "allow_empty_token", "enable_domain_verification",
    ]

    /// The smallest `app_secret` not reported as weak (RFC 7518 §3.2: at least the hash size of HS256).
    public static let minimumSecretBytes = 32
}
