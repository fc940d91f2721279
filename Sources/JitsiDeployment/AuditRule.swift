/// One kind of audit finding: its stable id, severity, a one-line summary and the usual fix (SARIF's
/// `reportingDescriptor`). The ids are a public interface: scripts and dashboards key on them.
public struct AuditRule: Sendable, Equatable, Hashable {
    /// The stable, dotted id.
    public let id: String
    /// The severity every finding of this rule has.
    public let severity: Finding.Severity
    /// What the rule detects, in one line.
    public let summary: String
    /// The usual fix.
    public let fix: String

    public init(id: String, severity: Finding.Severity, summary: String, fix: String) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.fix = fix
    }

    public static let missingAppID = AuditRule(
        id: "token.missing-app-id", severity: .error,
        summary:
            "A token VirtualHost has no app_id: mod_auth_token logs \"'app_id' must not be empty\" and does not load.",
        fix: "Set app_id = \"<your app id>\" in the VirtualHost section (or the global section).")
    public static let missingAppSecret = AuditRule(
        id: "token.missing-app-secret", severity: .error,
        summary:
            "A token VirtualHost has no app_secret (and no asap_key_server or cache_keys_url): token auth does not "
            + "load.",
        fix:
            "Set app_secret = \"<at least 32 random bytes>\" in the VirtualHost section, e.g. from "
            + "`openssl rand -hex 32`."
    )
    public static let weakSecret = AuditRule(
        id: "token.weak-secret", severity: .error,
        summary: "app_secret is shorter than 32 bytes or a well-known example value: tokens can be forged.",
        fix: "Replace app_secret with at least 32 random bytes (`openssl rand -hex 32`) and re-issue tokens.")
    public static let emptySecret = AuditRule(
        id: "token.empty-secret", severity: .error,
        summary:
            "app_secret is empty (often with an empty app_id): mod_auth_token loads, and anyone can sign a token it "
            + "accepts with the empty key.",
        fix: "Set app_secret to at least 32 random bytes (`openssl rand -hex 32`) and app_id to your app id.")
    public static let noValidSubject = AuditRule(
        id: "token.no-valid-sub", severity: .warning,
        summary:
            "The users of a token host join a MUC whose name does not start with muc_mapper_domain_prefix: no `sub` "
            + "but \"*\" rebuilds their room address.",
        fix: "Name the MUC <muc_mapper_domain_prefix>.<domain>, or set muc_mapper_domain_prefix to match it.")
    public static let tokenVerificationForeignMUC = AuditRule(
        id: "muc.token-verification-on-breakout", severity: .error,
        summary:
            "token_verification is loaded on a MUC whose rooms its checker looks up on another MUC (the breakout or "
            + "lobby MUC): every token join there is refused.",
        fix: "Load token_verification only on the conference MUC.")
    public static let sharedSecret = AuditRule(
        id: "token.shared-secret", severity: .warning,
        summary:
            "Several token VirtualHosts use the same app_secret: a token for one is signed validly for the others.",
        fix: "Give each token VirtualHost its own app_secret.")
    public static let allowEmptyToken = AuditRule(
        id: "token.allow-empty-token", severity: .warning,
        summary: "allow_empty_token is on: connections without a token are let in anonymously.",
        fix: "Set allow_empty_token = false unless guests without tokens are intended.")
    public static let domainVerificationOff = AuditRule(
        id: "token.domain-verification-off", severity: .warning,
        summary:
            "enable_domain_verification is off (false, or a value Prosody cannot read as a boolean): `sub` is not "
            + "checked.",
        fix: "Set enable_domain_verification = true and mint `sub` as the tenant or the XMPP domain.")
    public static let wildcardIssuer = AuditRule(
        id: "token.wildcard-issuer", severity: .warning,
        summary: "asap_accepted_issuers contains \"*\": any `iss` is accepted.",
        fix: "List the issuers you mint with, e.g. asap_accepted_issuers = { \"<app_id>\" }.")
    public static let wildcardAudience = AuditRule(
        id: "token.wildcard-audience", severity: .note,
        summary: "asap_accepted_audiences contains \"*\": any `aud` is accepted (the server's default).",
        fix: "List the audiences you mint with, e.g. asap_accepted_audiences = { \"jitsi\" }.")
    public static let unsupportedAlgorithm = AuditRule(
        id: "token.unsupported-algorithm", severity: .error,
        summary:
            "signature_algorithm is not one of HS256/384/512, RS256/384/512: every token is refused "
            + "(\"Algorithm not supported\").",
        fix: "Set signature_algorithm to exactly HS256, HS384, HS512, RS256, RS384 or RS512 (upper case).")
    public static let tokenVerificationMissing = AuditRule(
        id: "muc.token-verification-missing", severity: .warning,
        summary: "The token host's MUC does not load token_verification: room claims are not enforced.",
        fix: "Add \"token_verification\" to modules_enabled of the Component \"conference.<host>\" \"muc\".")
    public static let mapperDomainBaseMissing = AuditRule(
        id: "muc.mapper-domain-base-missing", severity: .error,
        summary:
            "muc_mapper_domain_base is not set for a token host: current servers refuse every token join "
            + "(\"Room does not exist\").",
        fix: "Set muc_mapper_domain_base = \"<host>\" in the global section, as the Debian and docker configs do.")
    public static let componentTokenOption = AuditRule(
        id: "component.token-option-ignored", severity: .warning,
        summary:
            "A token option is set under a Component, where the token plugins never read it (they read the "
            + "VirtualHost).",
        fix: "Move the option to the VirtualHost section (or the global section).")
    public static let worldReadable = AuditRule(
        id: "file.world-readable", severity: .warning,
        summary: "A config file is readable by every local user, who can then read the secrets in it.",
        fix: "chmod o-r the file (Debian installs /etc/prosody/*.cfg.lua as root:prosody 0640).")
    public static let undefinedName = AuditRule(
        id: "config.undefined-name", severity: .warning,
        summary:
            "An option is set from an unquoted name that is not defined, so its value is nil (e.g. authentication "
            + "= token).",
        fix: "Quote the value: authentication = \"token\".")
    public static let duplicateOption = AuditRule(
        id: "config.duplicate-option", severity: .warning,
        summary: "An option is set twice in one section of one file (Prosody's warning); the last value wins.",
        fix: "Remove the earlier assignment so the file says what is in effect.")
    public static let includeNoMatch = AuditRule(
        id: "config.include-no-match", severity: .warning,
        summary: "An Include glob matched no file; Prosody ignores it silently, so nothing from it is loaded.",
        fix: "Fix the Include path (relative paths resolve against the including file's directory) or remove it.")
    public static let loaderWarning = AuditRule(
        id: "config.loader-warning", severity: .note,
        summary: "Another warning printed by Prosody's config loader (e.g. 13.0's Lua API deprecation).",
        fix: "Follow the warning's advice.")
    public static let noTokenHost = AuditRule(
        id: "config.no-token-host", severity: .note,
        summary: "No enabled VirtualHost has authentication = \"token\": there are no token settings to audit.",
        fix: "Set authentication = \"token\" on the Jitsi VirtualHost if it should use tokens.")

    /// Every rule, in the order Sources/jitsi-jwt/Documentation.docc/audit.md and SARIF list them.
    public static let all: [AuditRule] = [
        missingAppID, missingAppSecret, emptySecret, weakSecret, sharedSecret, allowEmptyToken, domainVerificationOff,
        wildcardIssuer, wildcardAudience, unsupportedAlgorithm, tokenVerificationMissing, mapperDomainBaseMissing,
        tokenVerificationForeignMUC, noValidSubject,
        componentTokenOption, worldReadable, undefinedName, duplicateOption, includeNoMatch, loaderWarning,
        noTokenHost,
    ]

    /// The rule with this id.
    public static func named(_ id: String) -> AuditRule? { all.first { $0.id == id } }
}
