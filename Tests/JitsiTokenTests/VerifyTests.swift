import JitsiToken
import Testing

struct VerifyTests {
    @Test(arguments: VerifyCase.all + VerifyCase.edges)
    func theServerAnswersEachCraftedToken(_ testCase: VerifyCase) {
        let verdict = verify(
            token: testCase.token, rules: testCase.rules, room: testCase.room,
            tenant: testCase.tenant, now: testCase.now)
        #expect(WireVerdict(verdict) == testCase.expected)
    }
}
