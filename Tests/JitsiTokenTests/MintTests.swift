import JitsiToken
import Testing
import TestSupport

struct MintTests {
    typealias F = Fixture

    @Test func mintsFromTheServerRules() throws {
        let request = MintRequest(room: "Weekly Sync", userID: "u-42", userName: "Ada", features: ["recording": true])
        let (claims, warnings) = try makeClaims(for: request, rules: F.rules, now: F.now)
        #expect(
            claims
                == Claims(
                    iss: "acme_meet", aud: "jitsi", sub: "meet.example.com", room: "weekly%20sync",
                    exp: F.now + 3600, nbf: F.now - 30, iat: F.now,
                    context: Claims.Context(user: Claims.User(id: "u-42", name: "Ada"), features: ["recording": true])))
        #expect(warnings == [])
    }

    @Test func usesTheTenantAsSubAndTheFirstRealIssuerAndAudience() throws {
        let rules = F.rules {
            $0.appID = nil
            $0.acceptedIssuers = ["*", "mobile"]
            $0.acceptedAudiences = ["*", "meet-aud"]
        }
        let (claims, _) = try makeClaims(for: MintRequest(room: "*", tenant: "acme", ttl: 60), rules: rules, now: 100)
        #expect(claims == Claims(iss: "mobile", aud: "meet-aud", sub: "acme", room: "*", exp: 160, nbf: 70, iat: 100))
    }

    @Test func usesAppIDOnlyWhenTheServerAcceptsIt() throws {
        func issuer(appID: String?, accepted: [String]) throws -> String? {
            let rules = F.rules {
                $0.appID = appID
                $0.acceptedIssuers = accepted
            }
            return try makeClaims(for: MintRequest(room: "r"), rules: rules, now: 100).claims.iss
        }
        #expect(try issuer(appID: "acme", accepted: ["acme"]) == "acme")
        #expect(try issuer(appID: "acme", accepted: ["idp-1", "acme"]) == "acme")
        #expect(try issuer(appID: "acme", accepted: ["*"]) == "acme")
        #expect(try issuer(appID: "partners", accepted: ["partner-idp-1", "partner-idp-2"]) == "partner-idp-1")
        #expect(throws: MintRefusal.noIssuer) { try issuer(appID: nil, accepted: ["*"]) }
    }

    @Test func warnsAboutWhatTheServerWillNotDo() throws {
        let rules = F.rules {
            $0.allowEmptyToken = true
            $0.mucMapperDomainBase = nil
        }
        let (_, warnings) = try makeClaims(for: MintRequest(room: "r", moderator: true), rules: rules, now: F.now)
        let expected: [MintWarning] = [
            MintWarning(
                .allowEmptyToken, host: F.domain,
                message: "allow_empty_token is on: anyone can join without a token, so room and sub claims "
                    + "restrict nobody"),
            MintWarning(
                .affiliationIgnored, host: F.domain,
                message: "moderator/affiliation claims are ignored unless an affiliation plugin such as "
                    + "token_affiliation is loaded; without one the first participant (or everyone, with "
                    + "muc_allowners/wait_for_host) becomes moderator"),
        ]
        #expect(warnings == expected)
        let (_, quiet) = try makeClaims(
            for: MintRequest(room: "r", affiliation: "owner", affiliationPluginLoaded: true), rules: F.rules, now: 1)
        #expect(quiet == [])
    }

    @Test(arguments: [
        (MintRequest(room: nil), F.rules, MintRefusal.roomRequired),
        (
            MintRequest(room: "r"),
            F.rules {
                $0.appID = nil; $0.acceptedIssuers = ["*"]
            }, .noIssuer
        ),
        (MintRequest(room: "r"), F.rules { $0.signatureAlgorithm = "ES256" }, .unsupportedServerAlgorithm("ES256")),
        (MintRequest(room: "r"), F.rules { $0.key = nil }, .missingKey(.hs256)),
        (MintRequest(room: "r"), F.rules { $0.signatureAlgorithm = "RS256" }, .missingKey(.rs256)),
        (MintRequest(room: "r", extraClaims: ["sub": "x"]), F.rules, .extraClaimOverridesStandard("sub")),
        (MintRequest(room: "r", ttl: 0), F.rules, .nonPositiveTTL(0)),
        (MintRequest(room: "r", ttl: .max), F.rules, .timeOutOfRange),
    ])
    func refusesWhatTheServerWouldRefuse(request: MintRequest, rules: ServerRules, refusal: MintRefusal) {
        #expect(throws: refusal) { try makeClaims(for: request, rules: rules, now: F.now) }
    }

    @Test func refusesASigningAlgorithmOtherThanTheServers() {
        #expect(throws: MintRefusal.algorithmMismatch(signing: .hs512, server: "HS256")) {
            try makeClaims(for: MintRequest(room: "r"), rules: F.rules, now: F.now, signingAlgorithm: .hs512)
        }
        #expect(
            MintRefusal.algorithmMismatch(signing: .hs512, server: "HS256").description
                == "signing with HS512 but the server's signature_algorithm is \"HS256\": it would refuse the token "
                + "with \"Invalid or incorrect alg\"")
        #expect(
            MintRefusal.roomRequired.description
                == "the server requires a room claim (asap_require_room_claim); give a room or \"*\"")
    }

    @Test func allowsNoRoomWhenTheServerDoesNotRequireOne() throws {
        let (claims, _) = try makeClaims(
            for: MintRequest(room: nil), rules: F.rules { $0.requireRoomClaim = false }, now: F.now)
        #expect(claims.room == nil)
    }

    /// Mint for a server, sign, and let the same server verify: accepted, for each kind of deployment.
    @Test(arguments: [
        ("single host", F.rules, "Weekly Sync", nil as String?, "weekly%20sync"),
        ("docker", F.docker, "Daily", nil, "daily"),
        ("tenant", F.rules, "Board Room", "acme", "board%20room"),
        ("HS384", F.rules { $0.signatureAlgorithm = "HS384" }, "r", nil, "r"),
        (
            "HS512 with listed audiences",
            F.rules {
                $0.signatureAlgorithm = "HS512"; $0.acceptedAudiences = ["aud1"]
            },
            "r", nil, "r"
        ),
        ("issuers list with a wildcard", F.rules { $0.acceptedIssuers = ["*", "mobile"] }, "r", nil, "r"),
        (
            "domain verification off", F.rules { $0.enableDomainVerification = false }, "Ünïcödé", "t",
            "%c3%bcn%c3%afc%c3%b6d%c3%a9"
        ),
    ])
    func mintedTokensAreAcceptedByTheSameServer(
        name: String, rules: ServerRules, typed: String, tenant: String?, node: String
    ) throws {
        let algorithm = try #require(rules.supportedAlgorithm)
        let (claims, _) = try makeClaims(
            for: MintRequest(room: typed, tenant: tenant, userName: "Ada"), rules: rules,
            now: F.now)
        guard case .hmac(let secret)? = rules.key else { throw CancellationError() }
        let token = try TokenSigner(algorithm: algorithm, key: .hmac(secret)).sign(claims)
        let verdict = verify(token: token, rules: rules, room: node, tenant: tenant, now: Double(F.now))
        #expect(WireVerdict(verdict) == .accepted)
        #expect(verdict.claims?["room"] == .string(node))
        #expect(verdict.claims?["exp"] == .number(Double(F.now + 3600)))
        let later = verify(token: token, rules: rules, room: node, tenant: tenant, now: Double(F.now + 3600))
        #expect(WireVerdict(later) == .connect("Not acceptable by exp (0.0 sec since expired, valid for:3600.0 sec)"))
    }

    @Test func mintedRS256TokensAreAcceptedByAKeyServerDeployment() throws {
        let pem = try Repository.tokenFixture("rfc7515-a2-private.pem")
        let key = SigningKey.rsa(privateKeyPEM: Secret(pem), keyID: "jitsi/key-1")
        let (claims, _) = try makeClaims(
            for: MintRequest(room: "weekly-sync"), rules: F.keyServerRules, now: F.now,
            signingKey: key)
        let token = try TokenSigner(algorithm: .rs256, key: key).sign(claims)
        let verdict = verify(
            token: token, rules: F.keyServerRules, room: "weekly-sync", tenant: nil, now: Double(F.now))
        #expect(WireVerdict(verdict) == .accepted)
    }
}
