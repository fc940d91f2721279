import Foundation
import JitsiDeployment
import TestSupport
import ProsodyConfig
import Testing

/// One fixture and every finding it must produce (nothing more).
struct AuditCase: CustomTestStringConvertible, Sendable {
    var fixture: String
    var expected: [Located]
    var version: ProsodyVersion = .v13

    var testDescription: String { fixture }
}

private let meet = "meet.example.com"
private let conference = "conference.meet.example.com"

private func bad(_ id: String, _ name: String = "bad", _ findings: [Located]) -> AuditCase {
    AuditCase(fixture: "audit/\(id)/\(name).cfg.lua", expected: findings)
}

private func good(_ id: String) -> AuditCase {
    AuditCase(fixture: "audit/\(id)/good.cfg.lua", expected: [])
}

private func at(_ id: String, _ name: String = "bad") -> String { "audit/\(id)/\(name).cfg.lua" }

let auditCases: [AuditCase] = [
    AuditCase(fixture: "audit/clean.cfg.lua", expected: []),
    bad(
        "token.empty-secret", "bad",
        [Located("token.empty-secret", .error, host: meet, file: at("token.empty-secret"), line: 6)]),
    good("token.empty-secret"),
    bad(
        "muc.token-verification-on-breakout", "bad",
        [
            Located(
                "muc.token-verification-on-breakout", .error, host: "breakout.meet.example.com",
                file: at("muc.token-verification-on-breakout"), line: 12)
        ]),
    good("muc.token-verification-on-breakout"),
    bad(
        "token.no-valid-sub", "bad",
        [Located("token.no-valid-sub", .warning, host: meet, file: at("token.no-valid-sub"), line: 5)]),
    good("token.no-valid-sub"),
    bad(
        "token.missing-app-id", "bad",
        [
            Located("token.missing-app-id", .error, host: meet, file: at("token.missing-app-id"), line: 4)
        ]),
    good("token.missing-app-id"),
    bad(
        "token.missing-app-secret", "bad",
        [
            Located("token.missing-app-secret", .error, host: meet, file: at("token.missing-app-secret"), line: 4)
        ]),
    good("token.missing-app-secret"),
    bad(
        "token.weak-secret", "bad",
        [
            Located("token.weak-secret", .error, host: meet, file: at("token.weak-secret"), line: 6)
        ]),
    bad(
        "token.weak-secret", "bad-short",
        [
            Located("token.weak-secret", .error, host: meet, file: at("token.weak-secret", "bad-short"), line: 3)
        ]),
    good("token.weak-secret"),
    bad(
        "token.shared-secret", "bad",
        [
            Located("token.shared-secret", .warning, host: meet, file: at("token.shared-secret"), line: 6),
            Located(
                "token.shared-secret", .warning, host: "video.example.com", file: at("token.shared-secret"), line: 10),
        ]),
    good("token.shared-secret"),
    bad(
        "token.allow-empty-token", "bad",
        [
            Located("token.allow-empty-token", .warning, host: meet, file: at("token.allow-empty-token"), line: 7)
        ]),
    good("token.allow-empty-token"),
    bad(
        "token.domain-verification-off", "bad",
        [
            Located(
                "token.domain-verification-off", .warning, host: meet, file: at("token.domain-verification-off"),
                line: 7)
        ]),
    bad(
        "token.domain-verification-off", "bad-false",
        [
            Located(
                "token.domain-verification-off", .warning, host: meet,
                file: at("token.domain-verification-off", "bad-false"), line: 7)
        ]),
    good("token.domain-verification-off"),
    bad(
        "token.wildcard-issuer", "bad",
        [
            Located("token.wildcard-issuer", .warning, host: meet, file: at("token.wildcard-issuer"), line: 3)
        ]),
    good("token.wildcard-issuer"),
    bad(
        "token.wildcard-audience", "bad",
        [
            Located("token.wildcard-audience", .note, host: meet, file: at("token.wildcard-audience"), line: 7)
        ]),
    good("token.wildcard-audience"),
    bad(
        "token.unsupported-algorithm", "bad",
        [
            Located("token.unsupported-algorithm", .error, host: meet, file: at("token.unsupported-algorithm"), line: 7)
        ]),
    good("token.unsupported-algorithm"),
    bad(
        "muc.token-verification-missing", "bad",
        [
            Located(
                "muc.token-verification-missing", .warning, host: conference,
                file: at("muc.token-verification-missing"), line: 9)
        ]),
    good("muc.token-verification-missing"),
    bad(
        "muc.mapper-domain-base-missing", "bad",
        [
            Located(
                "muc.mapper-domain-base-missing", .error, host: meet, file: at("muc.mapper-domain-base-missing"),
                line: 3)
        ]),
    good("muc.mapper-domain-base-missing"),
    bad(
        "component.token-option-ignored", "bad",
        [
            Located(
                "component.token-option-ignored", .warning, host: conference,
                file: at("component.token-option-ignored"), line: 9),
            Located(
                "component.token-option-ignored", .warning, host: conference,
                file: at("component.token-option-ignored"), line: 10),
        ]),
    good("component.token-option-ignored"),
    bad(
        "config.undefined-name", "bad",
        [
            Located("config.no-token-host", .note),
            Located("config.undefined-name", .warning, host: meet, file: at("config.undefined-name"), line: 4),
            // Lua reports a list item's read where the expression ends: here the closing brace.
            Located("config.undefined-name", .warning, host: conference, file: at("config.undefined-name"), line: 11),
        ]),
    bad(
        "config.undefined-name", "bad-secret",
        [
            Located(
                "token.missing-app-secret", .error, host: meet, file: at("config.undefined-name", "bad-secret"), line: 4
            ),
            Located(
                "config.undefined-name", .warning, host: meet, file: at("config.undefined-name", "bad-secret"), line: 6),
        ]),
    good("config.undefined-name"),
    bad(
        "config.duplicate-option", "bad",
        [
            Located("config.duplicate-option", .warning, file: at("config.duplicate-option"), line: 7)
        ]),
    good("config.duplicate-option"),
    bad(
        "config.include-no-match", "bad",
        [
            Located("config.no-token-host", .note),
            Located("config.include-no-match", .warning, file: at("config.include-no-match"), line: 2),
        ]),
    good("config.include-no-match"),
    bad(
        "config.loader-warning", "bad",
        [
            Located("config.loader-warning", .note, file: at("config.loader-warning"), line: 6)
        ]),
    good("config.loader-warning"),
    AuditCase(fixture: "audit/config.loader-warning/bad.cfg.lua", expected: [], version: .v0_12),
    bad("config.no-token-host", "bad", [Located("config.no-token-host", .note)]),
]

struct AuditFindingTests {
    @Test(arguments: auditCases)
    func fixtureProducesExactlyTheExpectedFindings(_ auditCase: AuditCase) throws {
        let report = try AuditFixtures.report(auditCase.fixture, version: auditCase.version)
        #expect(report.findings.map(Located.init) == auditCase.expected)
    }

    @Test func everyRuleHasABadAndAGoodFixture() throws {
        let covered = Set(auditCases.flatMap { $0.expected.map(\.id) })
        let tested = AuditRule.all.map(\.id).filter { $0 != AuditRule.worldReadable.id }
        #expect(tested.filter { !covered.contains($0) } == [])
        for rule in tested where rule != AuditRule.noTokenHost.id {
            #expect(
                auditCases.contains { $0.fixture == "audit/\(rule)/good.cfg.lua" && $0.expected.isEmpty }, "\(rule)")
        }
    }

    @Test func debianFixtureHasNoFindings() throws {
        let report = try AuditFixtures.report("debian/etc/prosody/prosody.cfg.lua")
        #expect(report.findings.map(Located.init) == [])
        let old = try AuditFixtures.report("debian/etc/prosody/prosody.cfg.lua", version: .v0_12)
        #expect(old.findings.map(Located.init) == [])
    }

    @Test func dockerFixtureOnlyHasDomainVerificationOff() throws {
        let report = try AuditFixtures.report("docker/config/prosody.cfg.lua")
        #expect(
            report.findings.map(Located.init) == [
                Located(
                    "token.domain-verification-off", .warning, host: "meet.jitsi",
                    file: "docker/config/conf.d/jitsi-meet.cfg.lua", line: 33)
            ])
    }

    @Test func multihostFixture() throws {
        let report = try AuditFixtures.report("multihost/prosody.cfg.lua", version: .v0_12)
        let file = "multihost/prosody.cfg.lua"
        #expect(
            report.findings.map(Located.init) == [
                Located("token.wildcard-audience", .note, host: "events.example.com", file: file, line: 12),
                Located("token.wildcard-audience", .note, host: "partners.example.com", file: file, line: 12),
                Located("token.wildcard-audience", .note, host: "video.brand-a.example", file: file, line: 12),
                Located("token.wildcard-audience", .note, host: "video.brand-b.example", file: file, line: 12),
                Located("token.shared-secret", .warning, host: "video.brand-a.example", file: file, line: 35),
                Located("token.weak-secret", .error, host: "video.brand-a.example", file: file, line: 35),
                Located("token.shared-secret", .warning, host: "video.brand-b.example", file: file, line: 45),
                Located("token.weak-secret", .error, host: "video.brand-b.example", file: file, line: 45),
                // events.example.com's users join conference.meet.example.com, which loads token_verification.
                Located("token.allow-empty-token", .warning, host: "events.example.com", file: file, line: 52),
                Located("token.domain-verification-off", .warning, host: "events.example.com", file: file, line: 53),
                Located("muc.token-verification-missing", .warning, host: "partners.example.com", file: file, line: 65),
            ])
    }

    @Test func unparseableDomainVerificationSaysWhy() throws {
        let report = try AuditFixtures.report("audit/token.domain-verification-off/bad.cfg.lua")
        #expect(
            report.findings.map(\.message) == [
                "enable_domain_verification of meet.example.com is \"no\", which Prosody does not read as a boolean: it "
                    + "becomes nil, so domain verification is off"
            ])
    }

    @Test func weakSecretMessagesNeverQuoteTheSecret() throws {
        let example = try AuditFixtures.report("audit/token.weak-secret/bad.cfg.lua")
        #expect(
            example.findings.map(\.message) == [
                "app_secret of meet.example.com is a well-known example value: anyone can mint tokens this server accepts"
            ])
        let short = try AuditFixtures.report("audit/token.weak-secret/bad-short.cfg.lua")
        #expect(
            short.findings.map(\.message) == [
                "app_secret of meet.example.com is shorter than 32 bytes: it can be brute-forced from one captured token"
            ])
    }

    @Test func unquotedNamesAreNamedUnlessTheyMayBeTheSecret() throws {
        let report = try AuditFixtures.report("audit/config.undefined-name/bad.cfg.lua")
        #expect(
            report.findings.filter { $0.id == "config.undefined-name" }.map(\.message) == [
                "authentication is given the unquoted name token, which is not defined: Lua reads it as nil, not as the "
                    + "string \"token\"",
                "modules_enabled is given the unquoted name token_verification, which is not defined: Lua reads it as "
                    + "nil, not as the string \"token_verification\"",
            ])
        let secret = try AuditFixtures.report("audit/config.undefined-name/bad-secret.cfg.lua")
        #expect(
            secret.findings.filter { $0.id == "config.undefined-name" }.map(\.message) == [
                "app_secret is given an unquoted name that is not defined: Lua reads it as nil (the name is not shown: it "
                    + "may be the secret)"
            ])
    }

    @Test func noRenderingContainsASecret() throws {
        let fixtures =
            auditCases.map { ($0.fixture, $0.version) } + [
                ("debian/etc/prosody/prosody.cfg.lua", .v13), ("docker/config/prosody.cfg.lua", .v13),
                ("multihost/prosody.cfg.lua", .v0_12),
            ]
        let everyFileWorldReadable: Auditor.FileModeReader = { _ in 0o100644 }
        for (fixture, version) in fixtures {
            let report = try AuditFixtures.report(fixture, version: version, fileMode: everyFileWorldReadable)
            let rendered = report.text + report.jsonText + report.sarifText(baseDirectory: Repository.root)
            for secret in AuditFixtures.secrets {
                #expect(!rendered.contains(secret), "\(fixture)")
            }
        }
    }

    @Test func unreadableConfigsThrow() throws {
        #expect(throws: ConfigError.self) {
            try AuditFixtures.report("audit/does-not-exist.cfg.lua")
        }
        let error = #expect(throws: ConfigError.self) {
            try AuditFixtures.report("semantics/error-nil.cfg.lua")
        }
        #expect(error.map { if case .parser = $0 { true } else { false } } == true)
    }

    /// Warnings are values from the loader: a file name that itself looks like `file:1: text` keeps its name.
    @Test func warningLocationsComeFromTheLoaderNotFromTheText() throws {
        let directory = "/tmp/jjwt-" + String(UInt32.random(in: 0...UInt32.max), radix: 16) + "/a:1: b"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: String(directory.dropLast(7))) }
        let path = directory + "/p.cfg.lua"
        try Data("x = 1\nx = 2\n".utf8).write(to: URL(fileURLWithPath: path))
        let findings = try Auditor.audit(path: path, fileMode: { _ in nil }).findings
            .filter { $0.id == "config.duplicate-option" }
        #expect(
            findings.map { [$0.file ?? "-", $0.line.map(String.init) ?? "-", $0.message] } == [
                [path, "2", "Duplicate option 'x': it is set twice in this section of this file; the last value wins"]
            ])
    }
}

