import JitsiDeployment
import ProsodyConfig
import TestSupport

/// The audit fixtures, audited the way the tests need them.
enum AuditFixtures {
    /// `Fixtures/audit/<relativePath>`.
    static func audit(_ relativePath: String) -> String { Repository.fixture("audit/" + relativePath) }

    /// Every file mode reads as root:prosody 0640, so that checkout modes do not matter.
    static let privateModes: Auditor.FileModeReader = { _ in 0o100640 }

    /// Audits a fixture under `Fixtures/` with fixed file modes, from a short copy of its directory.
    ///
    /// Prosody's loader finds no line for a warning (a duplicate option, 13.0's "direct usage of the Lua API") in a
    /// file whose path is 60 bytes or more, because Lua shortens `short_src`, and its "%d" format then fails the whole
    /// load (Fixtures/semantics/duplicate-long-path.cfg.lua). The loader copies that; checkouts can live anywhere, so
    /// fixtures run from a short copy and findings are mapped back to the checkout's paths.
    static func report(
        _ relativePath: String, version: ProsodyVersion = .v13, fileMode: Auditor.FileModeReader = privateModes
    ) throws -> AuditReport {
        let fixture = Repository.fixture(relativePath)
        let source = String(fixture[..<(fixture.lastIndex(of: "/") ?? fixture.endIndex)])
        let temporary = try TemporaryDirectory()
        defer { withExtendedLifetime(temporary) {} }
        let directory = try temporary.copy(source, as: "c")
        let copy = directory + fixture.dropFirst(source.count)
        let report = try Auditor.audit(path: copy, options: LoadOptions(version: version), fileMode: fileMode)
        return AuditReport(
            configPath: fixture,
            findings: report.findings.map { finding in
                var finding = finding
                if let file = finding.file, file.hasPrefix(directory + "/") {
                    finding.file = source + file.dropFirst(directory.count)
                }
                return finding
            })
    }

    /// Secrets that appear in the fixtures: no rendering may contain them.
    static let secrets = [
        "9f2c7a1e5b8d4f60a3c1e7b92d4f8a6c", "0d6e3b9f1a4c7e2b5d8f0a3c6e9b1d4f", "Example_App_Secret",
        "b7f0c3e9d2a14c55a1f0", "Kx7pQ2mZ9vL4wT8nR3bY6cF1hJ5sD0gA", "9f2c7a1e9f2c7a1e",
        "k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW", "Vd9Rk2Lq7Wx4Tz1Nm8Bc5Hf3Jg6Ps0Ya2Ue7Io4Kl9Qw1Er5Ty3Ui8Op6As2Df0",
        "Zq3vN8wT1pLx", "global-fallback-secret-0123456789abcdef", "Sh4red-Brand-Secret-", "old-secret-do-not-use",
    ]
}

/// The parts of a finding the tests pin down exactly (messages are checked in the rendering tests).
struct Located: Equatable, CustomStringConvertible {
    var id: String
    var severity: Finding.Severity
    var host: String?
    /// Relative to `Fixtures/`.
    var file: String?
    var line: Int?

    init(_ id: String, _ severity: Finding.Severity, host: String? = nil, file: String? = nil, line: Int? = nil) {
        self.id = id
        self.severity = severity
        self.host = host
        self.file = file
        self.line = line
    }

    init(_ finding: Finding) {
        let prefix = Repository.fixture("")
        self.init(
            finding.id, finding.severity, host: finding.host,
            file: finding.file.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 },
            line: finding.line)
    }

    var description: String {
        "\(id) \(severity.rawValue) host=\(host ?? "-") \(file ?? "-"):\(line.map(String.init) ?? "-")"
    }
}
