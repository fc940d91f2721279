import JitsiToken
import TestSupport
import Testing

/// The outcomes that depend on the installed plugins' era, through ``verify(token:rules:room:tenant:now:roomExists:)``
/// and through the Lua oracle run with `--era`.
struct PluginEraTests {
    @Test(arguments: PluginEraCase.matrix)
    func eachEraAnswersAsItsPluginsDo(_ testCase: PluginEraCase, _ era: PluginEra) {
        #expect(WireVerdict(Self.verdict(testCase, era)) == testCase.expected[era])
    }

    @Test(.requires(.jitsiLibraries), arguments: PluginEraCase.matrix)
    func eachEraAgreesWithTheLuaOracle(_ testCase: PluginEraCase, _ era: PluginEra) throws {
        try Oracle.jitsiLibraries.required()
        let request = OracleTests.request(for: testCase.verifyCase(era), roomExists: testCase.roomExists)
        let output = try runProcess(Oracle.luaPath, [Repository.jitsiVerify, "--era", era.rawValue], input: request)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(WireVerdict(Self.verdict(testCase, era)) == (try OracleTests.parse(output.stdout)))
    }

    @Test func eraNamesAreStableAndInOrder() {
        #expect(
            PluginEra.allCases.map(\.rawValue) == ["2025-08", "2025-09", "2025-11", "2026-03", "2026-05", "2026-06"])
        #expect(PluginEra.allCases == PluginEra.allCases.sorted())
        #expect(PluginEra.current == PluginEra.allCases.last)
        #expect(ServerRules(xmppDomain: "meet.example.com", appID: "a", key: nil).era == .current)
    }

    @Test func aTokenAcceptedOnlyBecauseOfOldPluginsSaysSo() {
        var rules = Fixture.rules { $0.mucMapperDomainBase = nil }
        rules.era = .august2025
        let verdict = verify(
            token: Fixture.token(Fixture.claims), rules: rules, room: Fixture.room, tenant: nil,
            now: Double(Fixture.now))
        #expect(verdict.accepted)
        #expect(
            verdict.hints == [
                "muc_mapper_domain_base is not set: these plugins (2025-08) accept the join, but plugins from "
                    + "2025-09 on refuse every token join with \"Room does not exist\""
            ])
    }

    static func verdict(_ testCase: PluginEraCase, _ era: PluginEra) -> Verdict {
        var rules = testCase.rules
        rules.era = era
        return verify(
            token: testCase.token, rules: rules, room: testCase.room, tenant: testCase.tenant,
            now: Double(Fixture.now), roomExists: testCase.roomExists)
    }
}
