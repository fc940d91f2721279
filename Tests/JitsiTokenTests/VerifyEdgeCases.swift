import JitsiToken

extension VerifyCase {
    /// Odd but possible tokens: JSON types the server does not expect, lua-cjson's lenient numbers, Lua pattern
    /// corners, and the key-server header checks.
    static var edges: [VerifyCase] {
        typealias F = Fixture
        let now = F.now
        let good = F.token(F.claims)
        func regex(_ pattern: String) -> JSONObject {
            F.claims {
                $0["room"] = .string(pattern); $0["context"] = ["room": ["regex": true]]
            }
        }
        let payloadText = JSONValue.object(F.claims).jsonText
        let unmatched = WireVerdict.join(
            "room-name-does-not-match", "Room name cannot be matched to the one from token.")
        let invalidPattern = WireVerdict.join("invalid-regex", "Room claim is not a valid Lua pattern")
        let off = F.rules { $0.enableDomainVerification = false }
        return [
            VerifyCase(
                "an array room claim cannot be concatenated", token: F.token(F.claims { $0["room"] = ["weekly-sync"] }),
                .luaError("join", "attempt to concatenate a table value (local 'node')")),
            VerifyCase(
                "an array room claim without domain verification", rules: off,
                token: F.token(F.claims { $0["room"] = ["weekly-sync"] }),
                .luaError("join", "attempt to concatenate a table value (local 'auth_room')")),
            VerifyCase(
                "a tenant node with an array room claim",
                token: F.token(
                    F.claims {
                        $0["room"] = ["x"]; $0["sub"] = "acme"
                    }),
                tenant: "acme", .luaError("join", "attempt to concatenate a table value (local 'room_to_check')")),
            VerifyCase(
                "a false room claim matches no room", token: F.token(F.claims { $0["room"] = false }), unmatched),
            VerifyCase(
                "a false room claim without domain verification", rules: off,
                token: F.token(F.claims { $0["room"] = false }), .accepted),
            VerifyCase(
                "a numeric context.room", token: F.token(F.claims { $0["context"] = ["room": 5] }),
                .luaError("join", "attempt to index a number value (field 'jitsi_meet_context_room')")),
            VerifyCase("a string context", token: F.token(F.claims { $0["context"] = "text" }), .accepted),
            VerifyCase("an array context", token: F.token(F.claims { $0["context"] = [] }), .accepted),
            VerifyCase(
                "a body that is a JSON string", token: F.token(payloadJSON: "\"hello\""),
                .connect("'iss' claim is missing")),
            VerifyCase(
                "a body that is a JSON number", token: F.token(payloadJSON: "42"),
                .luaError("connect", "attempt to index a number value (local 'body')")),
            VerifyCase(
                "a header that is a JSON string", token: F.token(payloadJSON: payloadText, header: "\"JWT\""),
                .connect("Invalid typ")),
            VerifyCase(
                "a header that is a JSON number", token: F.token(payloadJSON: payloadText, header: "7"),
                .luaError("connect", "attempt to index a number value (local 'header')")),
            VerifyCase(
                "a header that is JSON null", token: F.token(payloadJSON: payloadText, header: "null"),
                .luaError("connect", "attempt to index a userdata value (local 'header')")),
            VerifyCase(
                "lua-cjson reads a plus sign, hex and nan",
                token: F.token(
                    payloadJSON: #"{"iss":"acme_meet","aud":"jitsi","sub":"meet.example.com","#
                        + #""room":"weekly-sync","exp":+0x7FFFFFFF,"nbf":nan,"iat":1760000000}"#),
                .accepted),
            VerifyCase(
                "an exp of minus infinity prints inf",
                token: F.token(
                    payloadJSON: #"{"iss":"acme_meet","aud":"jitsi","sub":"meet.example.com","#
                        + #""room":"weekly-sync","exp":-Infinity,"iat":0}"#),
                .connect("Not acceptable by exp (inf sec since expired, valid for:-inf sec)")),
            VerifyCase(
                "an expired token with a boolean iat",
                token: F.token(
                    F.claims {
                        $0["exp"] = .integer(now - 1); $0["iat"] = true
                    }),
                .luaError("connect", "attempt to perform arithmetic on a boolean value (field 'iat')")),
            VerifyCase(
                "an expired token with a null iat",
                token: F.token(
                    F.claims {
                        $0["exp"] = .integer(now - 1); $0["iat"] = .null
                    }),
                .luaError("connect", "attempt to perform arithmetic on a userdata value (field 'iat')")),
            VerifyCase(
                "a repeated key keeps its last value",
                token: F.token(
                    payloadJSON: #"{"room":"other","iss":"acme_meet","aud":"jitsi","#
                        + #""sub":"meet.example.com","room":"weekly-sync"}"#),
                .accepted),
            VerifyCase(
                "a NUL byte ends the payload text",
                token: F.token(payloadJSON: payloadText + "\u{0}garbage"), .accepted),
            VerifyCase("a numeric sub prints as a float", token: F.token(F.claims { $0["sub"] = 5 }), mismatch),
            VerifyCase(
                "an array sub cannot be lowercased", token: F.token(F.claims { $0["sub"] = ["meet.example.com"] }),
                .luaError("join", "bad argument #1 to 'lower' (string expected, got table)")),
            VerifyCase("a huge exp is fine", token: F.token(F.claims { $0["exp"] = 1e308 }), .accepted),
            VerifyCase(
                "a pattern room on a tenant node",
                token: F.token(regex("^weekly").merging(["sub": "acme"])), tenant: "acme", mismatch),
            VerifyCase(
                "a pattern room with the whole name",
                token: F.token(regex("^weekly%-sync$").merging(["sub": "acme"])), tenant: "acme", .accepted),
            VerifyCase("a position capture yields a number", token: F.token(regex("()")), mismatch),
            VerifyCase("an unfinished capture is an invalid pattern", token: F.token(regex("(week")), invalidPattern),
            VerifyCase(
                "a trailing % is only an error when the matcher reaches it", token: F.token(regex("x%")),
                unmatched),
            VerifyCase("a trailing % reached by the matcher", token: F.token(regex("weekly%")), invalidPattern),
            VerifyCase("%b without its two characters", token: F.token(regex("%b")), invalidPattern),
            VerifyCase("a back reference that cannot match", token: F.token(regex("(w)e%1")), unmatched),
            VerifyCase("a frontier pattern", token: F.token(regex("%f[%w]%w+%-sync")), .accepted),
            VerifyCase("an invalid back reference", token: F.token(regex("%2")), invalidPattern),
            VerifyCase("a set with a class and a range", token: F.token(regex("^[%l-]+$")), .accepted),
            VerifyCase("a lazy quantifier takes the shortest match", token: F.token(regex("w.-y")), mismatch),
            VerifyCase("a wildcard room wins over the regex flag", token: F.token(regex("*")), .accepted),
            VerifyCase("an empty token string has no segments", token: "", .connect("Invalid token")),
            VerifyCase("a trailing newline is outside the alphabet", token: good + "\n", .connect("Invalid signature")),
            VerifyCase("padding in the signature is skipped", token: good + "==", .accepted),
            VerifyCase(
                "muc_mapper_domain moves the rooms", rules: F.rules { $0.mucMapperDomain = "conference.internal" },
                token: good, mismatch),
            VerifyCase(
                "muc_mapper_domain with a wildcard sub", rules: F.rules { $0.mucMapperDomain = "conference.internal" },
                token: F.token(F.claims { $0["sub"] = "*" }), .accepted),
            VerifyCase("a key server needs a dot", rules: F.keyServerRules, token: "abc", .connect("Invalid token")),
            VerifyCase(
                "a key server header outside the alphabet is an invalid token (since 2026-03)",
                rules: F.keyServerRules, token: "a+b.c.d", .connect("Invalid token")),
            VerifyCase(
                "a key server header that is not JSON", rules: F.keyServerRules,
                token: base64URL("nope") + ".c.d", .connect("bad token format")),
            VerifyCase(
                "a key server header without alg", rules: F.keyServerRules,
                token: base64URL(#"{"kid":"k"}"#) + ".c.d", .connect("'alg' claim is missing")),
            VerifyCase(
                "a key server header with a numeric alg", rules: F.keyServerRules,
                token: base64URL(#"{"kid":"k","alg":256}"#) + ".c.d",
                .luaError("connect", "attempt to index a number value (local 'alg')")),
        ]
    }

    static let mismatchEdge = WireVerdict.join(nil, "Room and token mismatched")
}

extension JSONObject {
    func merging(_ other: JSONObject) -> JSONObject {
        var copy = self
        for member in other.members { copy[member.key] = member.value }
        return copy
    }
}
