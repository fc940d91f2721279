import JitsiToken
import Testing
import TestSupport

/// Every crafted token through the independent Lua oracle of the server (`Tests/Oracles/jitsi-verify.lua`, run on
/// lua5.4 with the server's own lua-cjson, basexx and luaossl) and through ``verify(token:rules:room:tenant:now:)``.
struct OracleTests {
    @Test(.requires(.jitsiLibraries), arguments: VerifyCase.all + VerifyCase.edges)
    func verifyAgreesWithTheLuaOracle(_ testCase: VerifyCase) throws {
        try Oracle.jitsiLibraries.required()
        let output = try runProcess(Oracle.luaPath, [Repository.jitsiVerify], input: Self.request(for: testCase))
        #expect(output.status == 0, "\(output.stderr)")
        let oracle = try Self.parse(output.stdout)
        let verdict = verify(
            token: testCase.token, rules: testCase.rules, room: testCase.room, tenant: testCase.tenant,
            now: testCase.now)
        #expect(WireVerdict(verdict) == oracle)
    }

    /// The oracle's request: rules as Prosody options (absent = not set), the room name, the URL tenant, and
    /// whether jicofo created the room.
    static func request(for testCase: VerifyCase, roomExists: Bool = true) -> String {
        let rules = testCase.rules
        var options: JSONObject = [
            "xmpp_domain": .string(rules.xmppDomain),
            "signature_algorithm": .string(rules.signatureAlgorithm),
            "asap_accepted_audiences": .array(rules.acceptedAudiences.map(JSONValue.string)),
            "asap_require_room_claim": .bool(rules.requireRoomClaim),
            "allow_empty_token": .bool(rules.allowEmptyToken),
            "enable_domain_verification": .bool(rules.enableDomainVerification),
            "muc_mapper_domain_prefix": .string(rules.mucMapperDomainPrefix),
        ]
        if let appID = rules.appID {
            options["app_id"] = .string(appID)
            options["asap_accepted_issuers"] = .array(rules.acceptedIssuers.map(JSONValue.string))
        }
        switch (rules.usesKeyServer, rules.key) {
        case (false, .hmac(let secret)?):
            options["app_secret"] = .string(String(decoding: secret.revealedBytes, as: UTF8.self))
        case (true, .rsaPublicKey(let pem)?):
            options["public_key_pem"] = .string(pem)
        default:
            break
        }
        options["muc_mapper_domain_base"] = rules.mucMapperDomainBase.map(JSONValue.string)
        options["muc_mapper_domain"] = rules.mucMapperDomain.map(JSONValue.string)
        let request: JSONValue = [
            "rules": .object(options), "room": .string(testCase.room), "now": .number(testCase.now),
            "token": testCase.token.map(JSONValue.string) ?? .null,
            "tenant": testCase.tenant.map(JSONValue.string) ?? .null, "room_exists": .bool(roomExists),
        ]
        return request.jsonText
    }

    static func parse(_ line: String) throws -> WireVerdict {
        guard let object = parseJSON(line) else { throw TestFailure(description: "oracle printed \(line)") }
        return WireVerdict(
            accepted: object["accepted"] == .bool(true), stage: object["stage"]?.stringValue,
            condition: object["condition"]?.stringValue, code: object["code"]?.stringValue,
            reason: object["reason"]?.stringValue)
    }
}
