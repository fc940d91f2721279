/// Something `audit` found in a config: a value, not an error (the config loaded; this is what it means).
///
/// A finding never holds a secret value: messages name options, hosts, files and lines, not what a secret is.
public struct Finding: Sendable, Equatable, Hashable {
    /// How bad a finding is, in SARIF's terms.
    public enum Severity: String, Sendable, Equatable, Hashable, CaseIterable, Comparable {
        /// Informational: nothing breaks, but the setting is worth knowing about.
        case note
        /// Token auth works but is weaker than it looks, or a setting does not do what it seems to.
        case warning
        /// Token auth does not load, refuses every token, or can be bypassed.
        case error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// The stable, dotted rule id (`token.missing-app-id`); see ``AuditRule``.
    public var id: String
    public var severity: Severity
    /// What is wrong, in one sentence.
    public var message: String
    /// What to change.
    public var fix: String
    /// The VirtualHost or Component the finding is about, if any.
    public var host: String?
    /// The config file the finding points at, as the loader names it; `nil` when no file applies.
    public var file: String?
    /// The line in `file`, when known.
    public var line: Int?

    public init(
        id: String, severity: Severity, message: String, fix: String, host: String? = nil, file: String? = nil,
        line: Int? = nil
    ) {
        self.id = id
        self.severity = severity
        self.message = message
        self.fix = fix
        self.host = host
        self.file = file
        self.line = line
    }

    /// A finding of `rule`, with the rule's severity.
    public init(
        _ rule: AuditRule, message: String, fix: String? = nil, host: String? = nil, file: String? = nil,
        line: Int? = nil
    ) {
        self.init(
            id: rule.id, severity: rule.severity, message: message, fix: fix ?? rule.fix, host: host, file: file,
            line: line)
    }

    /// The report order: by file (findings without one first), line (unknown first), id, then host and message.
    public static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        let left = (lhs.file ?? "", lhs.line ?? 0, lhs.id, lhs.host ?? "", lhs.message)
        let right = (rhs.file ?? "", rhs.line ?? 0, rhs.id, rhs.host ?? "", rhs.message)
        if left.0 != right.0 { return left.0.utf8.lexicographicallyPrecedes(right.0.utf8) }
        if left.1 != right.1 { return left.1 < right.1 }
        if left.2 != right.2 { return left.2 < right.2 }
        if left.3 != right.3 { return left.3 < right.3 }
        return left.4 < right.4
    }
}
