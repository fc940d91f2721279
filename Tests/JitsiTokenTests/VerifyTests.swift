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

    /// One ``TokenVerifier`` per rules, reused for every case with those rules, each case twice with others in
    /// between: the key prepared once carries nothing from one token to the next.
    @Test func aVerifierReusedAcrossTokensAnswersEachAsTheServerDoes() {
        let cases = VerifyCase.all + VerifyCase.edges
        var verifiers: [TokenVerifier] = []
        for testCase in cases + cases {
            let verifier: TokenVerifier
            if let made = verifiers.first(where: { $0.rules == testCase.rules }) {
                verifier = made
            } else {
                verifier = TokenVerifier(rules: testCase.rules)
                verifiers.append(verifier)
            }
            let verdict = verifier.verify(
                token: testCase.token, room: testCase.room, tenant: testCase.tenant, now: testCase.now)
            #expect(WireVerdict(verdict) == testCase.expected, "\(testCase.name)")
        }
        #expect(verifiers.count < cases.count)
    }
}
