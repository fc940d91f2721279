/// The result of auditing one config: its findings in report order, and what they mean for the exit status.
public struct AuditReport: Sendable, Equatable {
    /// The main config file as it was loaded.
    public var configPath: String
    /// The findings, sorted by file, line and id (``Finding/reportOrder(_:_:)``).
    public var findings: [Finding]

    public init(configPath: String, findings: [Finding]) {
        self.configPath = configPath
        self.findings = findings.sorted(by: Finding.reportOrder)
    }

    /// How many findings there are of `severity`.
    public func count(_ severity: Finding.Severity) -> Int { findings.count { $0.severity == severity } }

    /// Whether any finding is at least as severe as `threshold` (`--fail-on`).
    public func reaches(_ threshold: Finding.Severity) -> Bool { findings.contains { $0.severity >= threshold } }

    /// The exit status for `--fail-on threshold`: 1 when a finding reaches it, else 0. (A config that could not be
    /// read exits 2; that case never produces a report.)
    public func exitStatus(failOn threshold: Finding.Severity) -> Int32 { reaches(threshold) ? 1 : 0 }

    /// The exit status when the config could not be read.
    public static let unreadableConfigStatus: Int32 = 2
}
