import JitsiDeployment
import Testing

/// `audit` on the deployment shapes of `Fixtures/shapes/`: what it reports is what the server does there (jitsi-token
/// §12), and a second token host, a guest domain or a JaaS/jigasi host that joins the main MUC is not a finding.
struct ShapeAuditTests {
    static let cases: [(String, [Located])] = [
        ("second-token-host", []),
        ("guest-domain", []),
        ("jaas-jigasi", []),
        ("hs256-host", []),
        (
            "muc-without-token-verification",
            [Located("muc.token-verification-missing", .warning, host: "conference.meet.example.com", line: 11)]
        ),
        (
            "token-verification-on-breakout",
            [
                Located("muc.token-verification-on-breakout", .error, host: "breakout.meet.example.com", line: 16),
                Located("muc.token-verification-on-breakout", .error, host: "lobby.meet.example.com", line: 19),
            ]
        ),
        ("no-mapper-base", [Located("muc.mapper-domain-base-missing", .error, host: "meet.example.com", line: 3)]),
        ("empty-app-id-secret", [Located("token.empty-secret", .error, host: "meet.example.com", line: 8)]),
    ]

    @Test(arguments: cases)
    func findingsMatchWhatTheServerDoes(_ shape: String, _ expected: [Located]) throws {
        let relative = "shapes/\(shape).cfg.lua"
        let report = try AuditFixtures.report(relative)
        let withFile = expected.map { located -> Located in
            var located = located
            located.file = relative
            return located
        }
        #expect(report.findings.map(Located.init) == withFile)
    }
}
