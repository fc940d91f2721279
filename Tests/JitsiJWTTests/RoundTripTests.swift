import ArgumentParser
import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

/// One way to mint for a fixture config and the room it must then open.
struct RoundTrip: Sendable, CustomTestStringConvertible {
    var name: String
    var config: String
    var host: String?
    /// Extra mint arguments.
    var mint: [String] = []
    /// The room and tenant as typed, and the node the MUC sees (for the Lua oracle, written out by hand).
    var room: String
    var tenant: String?
    var node: String
    /// The algorithm the header must name.
    var algorithm: String
    var expectedSubject: String
    var expectedIssuer: String
    var expectedAudience: String
    /// Extra verify arguments (a public key for key-server hosts).
    var verify: [String] = []
    /// The token VirtualHost, when `sub` is not it (tenant tokens, a second token host).
    var xmppHost: String? = nil
    /// The MUC the users join and its parent host, when it is not the host's own (for the oracle, by hand).
    var join: OracleJoin? = nil

    var oracleHost: String { xmppHost ?? expectedSubject }

    var testDescription: String { name }

    static let rsaPrivate = Repository.path("Fixtures/tokens/rfc7515-a2-private.pem")
    static let rsaPublic = Repository.path("Fixtures/tokens/rfc7515-a2-public.pem")

    static let all: [RoundTrip] = [
        RoundTrip(
            name: "debian", config: Repository.debian, room: "Weekly Sync", node: "weekly%20sync", algorithm: "HS256",
            expectedSubject: "meet.example.com", expectedIssuer: "acme_meet", expectedAudience: "jitsi"),
        RoundTrip(
            name: "debian tenant", config: Repository.debian, room: "standup", tenant: "acme", node: "standup",
            algorithm: "HS256", expectedSubject: "acme", expectedIssuer: "acme_meet", expectedAudience: "jitsi",
            xmppHost: "meet.example.com"),
        RoundTrip(
            name: "docker", config: Repository.docker, mint: ["--public-host", "meet.example.org"], room: "town-hall",
            node: "town-hall", algorithm: "HS512", expectedSubject: "meet.jitsi", expectedIssuer: "jitsi",
            expectedAudience: "jitsi"),
        RoundTrip(
            name: "multihost meet.example.com", config: Repository.multihost, host: "meet.example.com",
            room: "board", node: "board", algorithm: "HS256", expectedSubject: "meet.example.com",
            expectedIssuer: "acme_meet", expectedAudience: "jitsi"),
        RoundTrip(
            name: "multihost video.brand-a.example (nameprep of --host)", config: Repository.multihost,
            host: "Video.Brand-A.Example", room: "launch", node: "launch", algorithm: "HS512",
            expectedSubject: "video.brand-a.example", expectedIssuer: "brand_a", expectedAudience: "jitsi"),
        RoundTrip(
            name: "multihost video.brand-b.example", config: Repository.multihost, host: "video.brand-b.example",
            room: "Café", node: "caf%c3%a9", algorithm: "HS256", expectedSubject: "video.brand-b.example",
            expectedIssuer: "brand_b", expectedAudience: "jitsi"),
        RoundTrip(
            name: "multihost events.example.com", config: Repository.multihost, host: "events.example.com",
            room: "keynote", node: "keynote", algorithm: "HS256", expectedSubject: "meet.example.com",
            expectedIssuer: "acme_global", expectedAudience: "jitsi", xmppHost: "events.example.com",
            join: OracleJoin(muc: "conference.meet.example.com", parent: "meet.example.com")),
        RoundTrip(
            name: "multihost partners.example.com (RS256, key server)", config: Repository.multihost,
            host: "partners.example.com", mint: ["--key-file", rsaPrivate, "--kid", "partners/key-1"],
            room: "deal", node: "deal", algorithm: "RS256", expectedSubject: "partners.example.com",
            expectedIssuer: "partner-idp-1", expectedAudience: "jitsi", verify: ["--public-key-file", rsaPublic]),
    ]

    var hostArguments: [String] { host.map { ["--host", $0] } ?? [] }
    var roomArguments: [String] { ["--room", room] + (tenant.map { ["--tenant", $0] } ?? []) }
}

/// mint → verify for every config shape in Fixtures, and the minted tokens through the independent Lua oracle.
struct RoundTripTests {
    @Test(arguments: RoundTrip.all)
    func mintedTokensVerify(_ trip: RoundTrip) throws {
        let minted = execute(
            ["mint", "--config", trip.config] + trip.hostArguments + trip.roomArguments + trip.mint
                + ["--format", "json"])
        #expect(minted.status == 0, "\(minted)")
        expectNoSecrets(minted)
        let output = try parseJSON(minted.stdout)
        let token = try #require(output["token"]?.stringValue)
        try check(trip, output: output, token: token)
    }

    func check(_ trip: RoundTrip, output: JSONValue, token: String) throws {
        let claims = try payload(of: token)
        #expect(claims["sub"] == .string(trip.expectedSubject))
        #expect(claims["iss"] == .string(trip.expectedIssuer))
        #expect(claims["aud"] == .string(trip.expectedAudience))
        #expect(claims["room"] == .string(trip.node))
        #expect(output["claims"] == claims)
        let header = try #require(base64URLDecode(String(token.prefix { $0 != "." })))
        #expect(String(decoding: header, as: UTF8.self).hasPrefix("{\"alg\":\"\(trip.algorithm)\",\"typ\":\"JWT\""))

        let verified = execute(
            ["verify", "--config", trip.config] + trip.hostArguments + trip.roomArguments + trip.verify + [token])
        #expect(verified == CommandResult(status: 0, stdout: "accepted\n", stderr: ""))
        // Not some other room.
        let elsewhere = execute(
            ["verify", "--config", trip.config] + trip.hostArguments + ["--room", "elsewhere"] + trip.verify + [token])
        #expect(elsewhere.status == 1)
    }

    @Test(.requires(.prosody012), .requires(.jitsiLibraries), arguments: RoundTrip.all)
    func mintedTokensPassTheLuaOracle(_ trip: RoundTrip) throws {
        try Oracle.prosody012.required()
        try Oracle.jitsiLibraries.required()
        let minted = execute(["mint", "--config", trip.config] + trip.hostArguments + trip.roomArguments + trip.mint)
        #expect(minted.status == 0, "\(minted)")
        let token = String(minted.stdout.dropLast())
        try checkWithOracle(trip, token: token)
    }

    func checkWithOracle(_ trip: RoundTrip, token: String) throws {
        let rules = try OracleRules.fromProsody(
            config: trip.config, host: trip.oracleHost,
            publicKeyFile: trip.verify.isEmpty ? nil : RoundTrip.rsaPublic)
        let join = try trip.join.map { try OracleRules.join(config: trip.config, $0) }
        func oracle(room: String, at now: Int64) throws -> String {
            try OracleRules.run(rules: rules, token: token, room: room, tenant: trip.tenant, now: now, join: join)
        }
        #expect(
            try oracle(room: trip.node, at: fixedTime + 60)
                == #"{"accepted":true,"stage":null,"condition":null,"code":null,"reason":null}"#)
        let wrongRoom = try oracle(room: "elsewhere", at: fixedTime + 60)
        #expect(wrongRoom.hasPrefix(#"{"accepted":false,"stage":"join""#), "\(wrongRoom)")
        // mint's default lifetime is 2 h, and the server allows no leeway.
        #expect(
            try oracle(room: trip.node, at: fixedTime + 7200)
                == #"{"accepted":false,"stage":"connect","condition":"not-allowed","code":null,"#
                + #""reason":"Not acceptable by exp (0.0 sec since expired, valid for:7200.0 sec)"}"#)
    }

    @Test func severalTokenHostsNeedHost() {
        let result = execute(["mint", "--config", Repository.multihost, "--room", "r"])
        #expect(result.status == 2)
        #expect(result.stderr.hasSuffix("choose one with --host\n"))
    }

    /// Mints and verifies with flags only; returns the token.
    func mintWithFlagsOnly(secret: String) throws -> String {
        let directory = try TemporaryDirectory()
        let secretFile = try directory.write("secret", secret + "\n")
        let common = ["--secret-file", secretFile, "--host", "Meet.Example.COM", "--app-id", "acme"]
        let minted = execute(["mint"] + common + ["--room", "r", "--format", "json"])
        #expect(minted.status == 0, "\(minted)")
        #expect(!minted.stdout.contains(secret) && !minted.stderr.contains(secret))
        let output = try parseJSON(minted.stdout)
        #expect(output["host"] == "meet.example.com")
        #expect(output["claims"]?["sub"] == "meet.example.com")
        let token = try #require(output["token"]?.stringValue)
        let verified = execute(["verify"] + common + ["--room", "r", token])
        #expect(verified == CommandResult(status: 0, stdout: "accepted\n", stderr: ""))
        return token
    }

    @Test func flagsOnlyModeWithASecretFileRoundTrips() throws {
        _ = try mintWithFlagsOnly(secret: "flag-mode-secret-0123456789")
    }

    @Test(.requires(.jitsiLibraries))
    func flagsOnlyModeTokensPassTheLuaOracle() throws {
        try Oracle.jitsiLibraries.required()
        let secret = "flag-mode-secret-0123456789"
        let token = try mintWithFlagsOnly(secret: secret)
        let rules: JSONValue = [
            "xmpp_domain": "meet.example.com", "app_id": "acme", "app_secret": .string(secret),
            "muc_mapper_domain_base": "meet.example.com",
        ]
        let verdict = try OracleRules.run(rules: rules, token: token, room: "r", tenant: nil, now: fixedTime)
        #expect(verdict == #"{"accepted":true,"stage":null,"condition":null,"code":null,"reason":null}"#)
    }
}

/// The MUC a user joins and its parent host (the name without its first label), written out by hand for the oracle.
struct OracleJoin: Sendable {
    var muc: String
    var parent: String
}

/// The Lua oracle's rules, built from what Prosody's own config loader (`Tests/Oracles/prosody-dump.lua`, the
/// unmodified configmanager) reads from the fixture: the host's section over the global one, with no Swift code of
/// ours in between.
enum OracleRules {
    static let options = [
        "app_id", "app_secret", "signature_algorithm", "asap_accepted_issuers", "asap_accepted_audiences",
        "asap_require_room_claim", "allow_empty_token", "enable_domain_verification", "muc_mapper_domain_base",
        "muc_mapper_domain_prefix", "muc_mapper_domain",
    ]

    static func sections(config: String) throws -> JSONValue? {
        let dump = try runProcess(Oracle.luaPath, [Repository.prosodyDump, config])
        guard dump.status == 0 else { throw TestFailure(description: "prosody-dump: \(dump)") }
        return try parseJSON(dump.stdout)["hosts"]
    }

    /// The oracle's `join`: the MUC, whether Prosody's loader gives it `token_verification` in its own
    /// `modules_enabled`, and the parent host's options.
    static func join(config: String, _ join: OracleJoin, publicKeyFile: String? = nil) throws -> JSONValue {
        let sections = try sections(config: config)
        let parent = sections?[join.parent]
        let global = sections?["*"]
        let keyServer = ["asap_key_server", "cache_keys_url"].contains { parent?[$0] ?? global?[$0] != nil }
        let publicKeyFile = publicKeyFile ?? (keyServer ? Repository.path("Fixtures/tokens/rfc7515-a2-public.pem") : nil)
        var loads = false
        if case .array(let modules)? = sections?[join.muc]?["modules_enabled"] {
            loads = modules.contains("token_verification")
        }
        return [
            "muc": .string(join.muc), "token_verification": .bool(loads),
            "parent_rules": try fromProsody(config: config, host: join.parent, publicKeyFile: publicKeyFile),
        ]
    }

    static func fromProsody(config: String, host: String, publicKeyFile: String?) throws -> JSONValue {
        let sections = try sections(config: config)
        let global = sections?["*"]
        let section = sections?[host]
        var rules = JSONObject()
        rules["xmpp_domain"] = .string(host)
        for option in options {
            if let value = section?[option] ?? global?[option] { rules[option] = value }
        }
        if let publicKeyFile {
            rules["public_key_pem"] = .string(try readFile(publicKeyFile))
        }
        return .object(rules)
    }

    /// The oracle's one-line verdict.
    static func run(
        rules: JSONValue, token: String?, room: String, tenant: String?, now: Int64, join: JSONValue? = nil
    ) throws -> String {
        let request: JSONValue = [
            "rules": rules, "token": token.map(JSONValue.string) ?? .null, "room": .string(room),
            "tenant": tenant.map(JSONValue.string) ?? .null, "now": .integer(now), "join": join ?? .null,
        ]
        let result = try runProcess(Oracle.luaPath, [Repository.jitsiVerify], input: request.jsonText)
        guard result.status == 0 else { throw TestFailure(description: "jitsi-verify.lua: \(result)") }
        return String(result.stdout.prefix { $0 != "\n" })
    }
}

/// `verify` with only the signing key: its public half is what the key server would return.
struct KeyFileVerifyTests {
    @Test func verifyDerivesThePublicKeyFromTheKeyFile() throws {
        let host = ["--config", Repository.multihost, "--host", "partners.example.com", "--room", "deal"]
        let minted = execute(["mint"] + host + ["--key-file", RoundTrip.rsaPrivate, "--kid", "partners/key-1"])
        #expect(minted.status == 0, "\(minted)")
        let token = String(minted.stdout.dropLast())
        #expect(execute(["verify"] + host + ["--key-file", RoundTrip.rsaPrivate, token])
            == CommandResult(status: 0, stdout: "accepted\n", stderr: ""))
        let other = Repository.path("Fixtures/tokens/other-private.pem")
        let refused = execute(["verify"] + host + ["--key-file", other, token])
        #expect(refused.status == 1)
        #expect(refused.stdout.hasPrefix("refused at connect: not-allowed: Invalid signature\n"))
    }
}
