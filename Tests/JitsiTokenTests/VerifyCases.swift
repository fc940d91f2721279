import JitsiToken
import Testing
import TestSupport

/// Crafted tokens and what the server answers to each: the matrix for ``VerifyTests`` and ``OracleTests``.
struct VerifyCase: CustomTestStringConvertible, Sendable {
    var name: String
    var rules: ServerRules
    var token: String?
    var room: String
    var tenant: String?
    var now: Double
    var expected: WireVerdict

    var testDescription: String { name }
}

enum Fixture {
    static let secret = "b7f0c3e9d2a14c55a1f0"
    static let appID = "acme_meet"
    static let domain = "meet.example.com"
    static let now: Int64 = 1_760_000_000
    static let room = "weekly-sync"

    static let rules = ServerRules(
        xmppDomain: domain, appID: appID, key: .hmac(Secret(secret)), mucMapperDomainBase: domain)

    static let docker = ServerRules(
        xmppDomain: "meet.jitsi", appID: appID, key: .hmac(Secret(secret)), mucMapperDomainBase: "meet.jitsi",
        mucMapperDomainPrefix: "muc")

    static func rules(_ change: (inout ServerRules) -> Void) -> ServerRules {
        var copy = rules
        change(&copy)
        return copy
    }

    /// The claims of a good token for `weekly-sync` on meet.example.com.
    static let claims: JSONObject = [
        "iss": .string(appID), "aud": "jitsi", "sub": .string(domain), "room": .string(room),
        "iat": .integer(now - 10), "nbf": .integer(now - 40), "exp": .integer(now + 3600),
    ]

    static func claims(_ change: (inout JSONObject) -> Void) -> JSONObject {
        var copy = claims
        change(&copy)
        return copy
    }

    static let hs256Header = #"{"alg":"HS256","typ":"JWT"}"#

    /// A token with this header and payload text, HMAC-signed with `secret` (whatever the header says).
    static func token(
        _ payload: JSONObject, header: String = hs256Header, secret: String = secret,
        algorithm: SignatureAlgorithm = .hs256
    ) -> String {
        token(payloadJSON: JSONValue.object(payload).jsonText, header: header, secret: secret, algorithm: algorithm)
    }

    static func token(
        payloadJSON: String, header: String = hs256Header, secret: String = secret,
        algorithm: SignatureAlgorithm = .hs256
    ) -> String {
        // swiftlint:disable:next force_try
        let signer = try! TokenSigner(algorithm: algorithm, key: .hmac(Secret(secret)))
        return signer.sign(headerJSON: header, payloadJSON: payloadJSON)
    }

    static func rsaToken(_ payload: JSONObject, header: String, keyFile: String = "rfc7515-a2-private.pem") -> String {
        // swiftlint:disable:next force_try
        let pem = try! Repository.tokenFixture(keyFile)
        // swiftlint:disable:next force_try
        let signer = try! TokenSigner(algorithm: .rs256, key: .rsa(privateKeyPEM: Secret(pem), keyID: nil))
        return signer.sign(headerJSON: header, payloadJSON: JSONValue.object(payload).jsonText)
    }

    static var keyServerRules: ServerRules {
        // swiftlint:disable:next force_try
        let pem = try! Repository.tokenFixture("rfc7515-a2-public.pem")
        return ServerRules(
            xmppDomain: domain, appID: appID, key: .rsaPublicKey(pem: pem), mucMapperDomainBase: domain,
            usesKeyServer: true)
    }

    /// Replaces the segment at `index` of `token`.
    static func replacingSegment(_ index: Int, of token: String, with text: String) -> String {
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        parts[index] = text
        return parts.joined(separator: ".")
    }
}

extension VerifyCase {
    init(
        _ name: String, rules: ServerRules = Fixture.rules, token: String?, room: String = Fixture.room,
        tenant: String? = nil, now: Int64 = Fixture.now, _ expected: WireVerdict
    ) {
        self.init(
            name: name, rules: rules, token: token, room: room, tenant: tenant, now: Double(now),
            expected: expected)
    }

    static let mismatch = WireVerdict.join(nil, "Room and token mismatched")

    static var all: [VerifyCase] {
        typealias F = Fixture
        let now = F.now
        let good = F.token(F.claims)
        let rs256Header = #"{"alg":"RS256","typ":"JWT","kid":"jitsi/key-1"}"#
        return [
            // Connect stage
            VerifyCase("a good token is accepted", token: good, .accepted),
            VerifyCase("no token is refused", token: nil, .connect("token required")),
            VerifyCase(
                "no token passes with allow_empty_token", rules: F.rules { $0.allowEmptyToken = true },
                token: nil, .accepted),
            VerifyCase(
                "token auth does not load without app_id", rules: F.rules { $0.appID = nil }, token: good,
                WireVerdict(
                    accepted: false, stage: "connect", condition: "module-not-loaded",
                    reason: "'app_id' must not be empty")),
            VerifyCase(
                "an unsupported signature_algorithm refuses everything",
                rules: F.rules { $0.signatureAlgorithm = "HS257" }, token: good,
                .connect("Algorithm not supported")),
            VerifyCase(
                "an expired token names the seconds since expiry and the lifetime",
                token: F.token(
                    F.claims {
                        $0["exp"] = .integer(now - 100); $0["iat"] = .integer(now - 3700)
                    }),
                .connect("Not acceptable by exp (100.0 sec since expired, valid for:3600.0 sec)")),
            VerifyCase(
                "an expired token without iat has no lifetime in the text",
                token: F.token(
                    F.claims {
                        $0["exp"] = .integer(now - 100); $0["iat"] = nil
                    }),
                .connect("Not acceptable by exp (100.0 sec since expired)")),
            VerifyCase(
                "a token expires at its exp second, with no leeway",
                token: F.token(F.claims { $0["exp"] = .integer(now) }),
                .connect("Not acceptable by exp (0.0 sec since expired, valid for:10.0 sec)")),
            VerifyCase(
                "an expired token with a numeric string iat still reports the lifetime",
                token: F.token(
                    F.claims {
                        $0["exp"] = .integer(now - 100); $0["iat"] = .string("1759996300")
                    }),
                .connect("Not acceptable by exp (100.0 sec since expired, valid for:3600.0 sec)")),
            VerifyCase(
                "an expired token with a word as iat crashes the server's message",
                token: F.token(
                    F.claims {
                        $0["exp"] = .integer(now - 100); $0["iat"] = "yesterday"
                    }),
                .luaError("connect", "attempt to sub a 'number' with a 'string'")),
            VerifyCase(
                "a token before its nbf is refused",
                token: F.token(F.claims { $0["nbf"] = .integer(now + 60) }), .connect("Not acceptable by nbf")),
            VerifyCase(
                "a wrong secret fails the signature",
                token: F.token(F.claims, secret: "not-the-secret"), .connect("Invalid signature")),
            VerifyCase(
                "a wrong iss is refused", token: F.token(F.claims { $0["iss"] = "someone" }),
                .connect("invalid 'iss' claim")),
            VerifyCase(
                "a missing iss is refused", token: F.token(F.claims { $0["iss"] = nil }),
                .connect("'iss' claim is missing")),
            VerifyCase(
                "any iss passes a wildcard issuer list",
                rules: F.rules { $0.acceptedIssuers = ["other", "*"] },
                token: F.token(F.claims { $0["iss"] = "anyone" }), .accepted),
            VerifyCase(
                "a missing aud is refused even under the default wildcard",
                token: F.token(F.claims { $0["aud"] = nil }), .connect("'aud' claim is missing")),
            VerifyCase(
                "an array aud passes the default wildcard",
                token: F.token(F.claims { $0["aud"] = ["jitsi"] }), .accepted),
            VerifyCase(
                "an array aud never matches a listed audience",
                rules: F.rules { $0.acceptedAudiences = ["jitsi"] },
                token: F.token(F.claims { $0["aud"] = ["jitsi"] }), .connect("invalid 'aud' claim")),
            VerifyCase(
                "a wrong aud is refused by a listed audience",
                rules: F.rules { $0.acceptedAudiences = ["jitsi"] },
                token: F.token(F.claims { $0["aud"] = "other" }), .connect("invalid 'aud' claim")),
            VerifyCase(
                "a missing room is refused as not-authorized", token: F.token(F.claims { $0["room"] = nil }),
                .connect("room claim is missing", "not-authorized")),
            VerifyCase(
                "a missing room passes when the claim is not required",
                rules: F.rules { $0.requireRoomClaim = false }, token: F.token(F.claims { $0["room"] = nil }),
                .accepted),
            VerifyCase(
                "a missing sub is refused as not-authorized", token: F.token(F.claims { $0["sub"] = nil }),
                .connect("sub claim is missing", "not-authorized")),
            VerifyCase(
                "an unsigned alg none token has two segments",
                token: base64URL(#"{"alg":"none","typ":"JWT"}"#) + "."
                    + base64URL(JSONValue.object(F.claims).jsonText) + ".",
                .connect("Invalid token")),
            VerifyCase(
                "alg none with a signature is the wrong alg",
                token: F.token(F.claims, header: #"{"alg":"none","typ":"JWT"}"#),
                .connect("Invalid or incorrect alg")),
            VerifyCase(
                "HS512 on an HS256 server is the wrong alg",
                token: F.token(F.claims, header: #"{"alg":"HS512","typ":"JWT"}"#, algorithm: .hs512),
                .connect("Invalid or incorrect alg")),
            VerifyCase(
                "RS256 on an HS256 server is the wrong alg",
                token: F.token(F.claims, header: #"{"alg":"RS256","typ":"JWT"}"#),
                .connect("Invalid or incorrect alg")),
            VerifyCase(
                "a header without typ is refused", token: F.token(F.claims, header: #"{"alg":"HS256"}"#),
                .connect("Invalid typ")),
            VerifyCase(
                "typ is case-sensitive", token: F.token(F.claims, header: #"{"alg":"HS256","typ":"jwt"}"#),
                .connect("Invalid typ")),
            VerifyCase(
                "a quoted exp is refused", token: F.token(F.claims { $0["exp"] = "1760003600" }),
                .connect("exp must be number")),
            VerifyCase(
                "a quoted nbf is refused", token: F.token(F.claims { $0["nbf"] = "1759999960" }),
                .connect("nbf must be number")),
            VerifyCase(
                "exp false is skipped like a missing exp", token: F.token(F.claims { $0["exp"] = false }),
                .accepted),
            VerifyCase(
                "an infinite exp never expires",
                token: F.token(
                    payloadJSON: #"{"iss":"acme_meet","aud":"jitsi","sub":"meet.example.com","#
                        + #""room":"weekly-sync","exp":1e999}"#),
                .accepted),
            VerifyCase(
                "two segments are an invalid token", token: good.split(separator: ".").prefix(2).joined(separator: "."),
                .connect("Invalid token")),
            VerifyCase("four segments are an invalid token", token: good + ".abc", .connect("Invalid token")),
            VerifyCase(
                "a backslash splits segments too", token: good.replacing(".", with: "\\"),
                .accepted),
            VerifyCase(
                "a header that is not JSON",
                token: F.token(
                    payloadJSON: JSONValue.object(F.claims).jsonText,
                    header: "not json"),
                .connect("Invalid header")),
            VerifyCase("a body that is not JSON", token: F.token(payloadJSON: "{\"iss\":"), .connect("Invalid body")),
            VerifyCase(
                "a signature outside the url-safe alphabet",
                token: F.replacingSegment(2, of: good, with: "abc+def"), .connect("Invalid signature")),
            VerifyCase(
                "a '+' in the header makes cjson raise",
                token: F.replacingSegment(0, of: good, with: "eyJ+"),
                .luaError("connect", "bad argument #1 to 'decode' (expected 1 argument)")),
            VerifyCase(
                "a context that is a number makes the server raise",
                token: F.token(F.claims { $0["context"] = 5 }),
                .luaError("connect", "attempt to index a number value (field 'context')")),
            VerifyCase(
                "HS384 server, HS384 token",
                rules: F.rules { $0.signatureAlgorithm = "HS384" },
                token: F.token(F.claims, header: #"{"alg":"HS384","typ":"JWT"}"#, algorithm: .hs384), .accepted),
            VerifyCase(
                "HS512 server, HS512 token",
                rules: F.rules { $0.signatureAlgorithm = "HS512" },
                token: F.token(F.claims, header: #"{"alg":"HS512","typ":"JWT"}"#, algorithm: .hs512), .accepted),

            // Key server (RS256)
            VerifyCase(
                "RS256 with kid from a key server", rules: F.keyServerRules,
                token: F.rsaToken(F.claims, header: rs256Header), .accepted),
            VerifyCase(
                "a key server needs kid", rules: F.keyServerRules,
                token: F.rsaToken(F.claims, header: #"{"alg":"RS256","typ":"JWT"}"#),
                .connect("'kid' claim is missing")),
            VerifyCase(
                "a key server only serves RS keys", rules: F.keyServerRules,
                token: F.token(F.claims, header: #"{"alg":"HS256","typ":"JWT","kid":"k"}"#),
                .connect("'kid' claim only support with RS family")),
            VerifyCase(
                "RS256 signed by another key", rules: F.keyServerRules,
                token: F.rsaToken(F.claims, header: rs256Header, keyFile: "other-private.pem"),
                .connect("Invalid signature")),
            VerifyCase(
                "RS512 on an RS256 key server is the wrong alg", rules: F.keyServerRules,
                token: F.rsaToken(F.claims, header: #"{"alg":"RS512","typ":"JWT","kid":"k"}"#),
                .connect("Invalid or incorrect alg")),

            // Join stage
            VerifyCase("another room is a mismatch", token: F.token(F.claims { $0["room"] = "other-room" }), mismatch),
            VerifyCase(
                "the room claim is lowercased", token: F.token(F.claims { $0["room"] = "Weekly-Sync" }),
                .accepted),
            VerifyCase(
                "a typed room name is not the encoded node", room: "my%20room",
                tokenRoom: "My Room", mismatch),
            VerifyCase("the encoded node matches", room: "my%20room", tokenRoom: "my%20room", .accepted),
            VerifyCase(
                "upper-case Cyrillic percent-encoded upper-case does not match the node",
                room: "%d0%b2%d1%81%d1%82%d1%80%d0%b5%d1%87%d0%b0",
                tokenRoom: "%D0%92%D0%A1%D0%A2%D0%A0%D0%95%D0%A7%D0%90", mismatch),
            VerifyCase("a wildcard room", token: F.token(F.claims { $0["room"] = "*" }), .accepted),
            VerifyCase("a wildcard sub", token: F.token(F.claims { $0["sub"] = "*" }), .accepted),
            VerifyCase(
                "a sub of another domain", token: F.token(F.claims { $0["sub"] = "meet.example.org" }), mismatch),
            VerifyCase(
                "a sub equal to the app id", token: F.token(F.claims { $0["sub"] = .string(F.appID) }),
                mismatch),
            VerifyCase(
                "the sub is compared lowercased", token: F.token(F.claims { $0["sub"] = "MEET.Example.COM" }),
                .accepted),
            VerifyCase("the public host as sub on docker", rules: F.docker, token: good, mismatch),
            VerifyCase(
                "the XMPP domain as sub on docker", rules: F.docker,
                token: F.token(F.claims { $0["sub"] = "meet.jitsi" }), .accepted),
            VerifyCase("a tenant token", token: F.token(F.claims { $0["sub"] = "acme" }), tenant: "acme", .accepted),
            VerifyCase("a tenant URL with the domain as sub", token: good, tenant: "acme", mismatch),
            VerifyCase(
                "a tenant URL with a wildcard sub", token: F.token(F.claims { $0["sub"] = "*" }), tenant: "acme",
                .accepted),
            VerifyCase(
                "a tenant token on a URL without tenant", token: F.token(F.claims { $0["sub"] = "acme" }),
                mismatch),
            VerifyCase(
                "a context.tenant that differs only flags the session",
                token: F.token(F.claims { $0["context"] = ["tenant": "other"] }), .accepted),
            VerifyCase(
                "a Lua pattern room",
                token: F.token(
                    F.claims {
                        $0["room"] = "weekly%-.*"; $0["context"] = ["room": ["regex": true]]
                    }),
                .accepted),
            VerifyCase(
                "a Lua pattern room flagged with the string true",
                token: F.token(
                    F.claims {
                        $0["room"] = "^week"; $0["context"] = ["room": ["regex": "true"]]
                    }),
                mismatch),
            VerifyCase(
                "a Lua pattern whose capture is part of the name",
                token: F.token(
                    F.claims {
                        $0["room"] = "(week)ly"; $0["context"] = ["room": ["regex": true]]
                    }),
                mismatch),
            VerifyCase(
                "a Lua pattern that matches nothing",
                token: F.token(
                    F.claims {
                        $0["room"] = "^daily"; $0["context"] = ["room": ["regex": true]]
                    }),
                .join("room-name-does-not-match", "Room name cannot be matched to the one from token.")),
            VerifyCase(
                "a broken Lua pattern",
                token: F.token(
                    F.claims {
                        $0["room"] = "[abc"; $0["context"] = ["room": ["regex": true]]
                    }),
                .join("invalid-regex", "Room claim is not a valid Lua pattern")),
            VerifyCase(
                "a pattern without the regex flag is literal",
                token: F.token(F.claims { $0["room"] = "weekly%-.*" }), mismatch),
            VerifyCase(
                "domain verification off ignores sub",
                rules: F.rules { $0.enableDomainVerification = false },
                token: F.token(F.claims { $0["sub"] = "whatever" }), .accepted),
            VerifyCase(
                "domain verification off still checks the room",
                rules: F.rules { $0.enableDomainVerification = false },
                token: F.token(F.claims { $0["room"] = "other-room" }),
                .join("room-mismatch", "Room does not match the room from token")),
            VerifyCase(
                "domain verification off accepts the room inside a tenant node",
                rules: F.rules { $0.enableDomainVerification = false }, token: good, tenant: "acme", .accepted),
            VerifyCase(
                "without muc_mapper_domain_base no room exists",
                rules: F.rules { $0.mucMapperDomainBase = nil }, token: good,
                .join("room-does-not-exist", "Room does not exist")),
            VerifyCase(
                "a null sub crashes the join check", token: F.token(F.claims { $0["sub"] = .null }),
                .luaError("join", "bad argument #1 to 'lower' (string expected, got light userdata)")),
            VerifyCase(
                "a numeric room claim prints as a float and never matches",
                token: F.token(F.claims { $0["room"] = 12345 }), room: "12345", mismatch),
            VerifyCase(
                "an empty-token user passes the join",
                rules: F.rules { $0.allowEmptyToken = true }, token: nil, room: "any-room",
                .accepted),
        ]
    }

    init(_ name: String, room: String, tokenRoom: String, _ expected: WireVerdict) {
        self.init(name, token: Fixture.token(Fixture.claims { $0["room"] = .string(tokenRoom) }), room: room, expected)
    }
}
