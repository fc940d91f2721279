import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

/// One deployment shape (`Fixtures/shapes/`), a way to mint for it, and what the server does with the token.
struct Shape: Sendable, CustomTestStringConvertible {
    var name: String
    var fixture: String
    /// Extra mint and verify arguments (host, MUC, keys).
    var arguments: [String] = []
    /// Extra verify-only arguments (the public key of a key-server host).
    var verifyArguments: [String] = []
    /// `nil`: mint must refuse (exit 1) with this stderr; else the `sub` the minted token carries.
    var refusal: String? = nil
    var subject: String? = nil
    /// The connect host, and the MUC its users join with that MUC's parent host (written out by hand).
    var connectHost: String
    var join: OracleJoin
    var roomsOn: [String]? = nil
    /// Whether a token for another room is refused at join (false when the join stage checks nothing).
    var otherRoomRefused = true

    var path: String { Repository.path("Fixtures/shapes/\(fixture).cfg.lua") }
    var testDescription: String { name }

    static let rsaPrivate = Repository.path("Fixtures/tokens/rfc7515-a2-private.pem")
    static let rsaPublic = Repository.path("Fixtures/tokens/rfc7515-a2-public.pem")
    static let conference = OracleJoin(muc: "conference.meet.example.com", parent: "meet.example.com")

    static let minted: [Shape] = [
        Shape(
            name: "second token host: sub is the main domain", fixture: "second-token-host",
            arguments: ["--host", "video.example.org"], subject: "meet.example.com", connectHost: "video.example.org",
            join: conference),
        Shape(
            name: "guest domain (docker ENABLE_GUESTS, prefix muc)", fixture: "guest-domain", subject: "meet.jitsi",
            connectHost: "meet.jitsi", join: OracleJoin(muc: "muc.meet.jitsi", parent: "meet.jitsi")),
        Shape(
            name: "JaaS/jigasi host with a key server and a kid", fixture: "jaas-jigasi",
            arguments: ["--host", "jigasi.meet.example.com", "--key-file", rsaPrivate, "--kid", "vpaas/key-1"],
            verifyArguments: ["--public-key-file", rsaPublic], subject: "meet.example.com",
            connectHost: "jigasi.meet.example.com", join: conference),
        Shape(
            name: "hs256.<domain> host joins the main MUC", fixture: "hs256-host",
            arguments: ["--host", "hs256.meet.example.com"], subject: "meet.example.com",
            connectHost: "hs256.meet.example.com", join: conference),
        Shape(
            name: "MUC without token_verification", fixture: "muc-without-token-verification",
            subject: "meet.example.com", connectHost: "meet.example.com", join: conference, otherRoomRefused: false),
        Shape(
            name: "token_verification on breakout: the conference MUC still works", fixture: "token-verification-on-breakout",
            subject: "meet.example.com", connectHost: "meet.example.com", join: conference),
        Shape(
            name: "second token host, sub * when asked", fixture: "second-token-host",
            arguments: ["--host", "video.example.org", "--sub", "*"], subject: "*", connectHost: "video.example.org",
            join: conference),
    ]

    static let refused: [Shape] = [
        Shape(
            name: "token_verification on the breakout MUC", fixture: "token-verification-on-breakout",
            arguments: ["--muc", "breakout.meet.example.com"],
            refusal: "refused: the server would refuse this token at join: not-allowed (room-does-not-exist): Room "
                + "does not exist\nhint: token_verification on breakout.meet.example.com looks the room up on "
                + "conference.meet.example.com (muc_mapper_domain of \"meet.example.com\"), where rooms of "
                + "breakout.meet.example.com do not exist: every token join there is refused (remove "
                + "token_verification from breakout.meet.example.com)\n",
            connectHost: "meet.example.com",
            join: OracleJoin(muc: "breakout.meet.example.com", parent: "meet.example.com")),
        Shape(
            name: "token_verification on the lobby MUC", fixture: "token-verification-on-breakout",
            arguments: ["--muc", "lobby.meet.example.com"],
            refusal: "refused: the server would refuse this token at join: not-allowed: Room and token mismatched\n"
                + "hint: sub is \"meet.example.com\"; the server expects a room address on "
                + "conference.meet.example.com, not lobby.meet.example.com: no sub lets a token join "
                + "lobby.meet.example.com\n"
                + "hint: this assumes the room board%20room@conference.meet.example.com exists: jicofo creates it "
                + "when the meeting starts, and until then the server answers \"Room does not exist\"\n",
            connectHost: "meet.example.com", join: OracleJoin(muc: "lobby.meet.example.com", parent: "meet.example.com"),
            roomsOn: ["conference.meet.example.com", "lobby.meet.example.com"]),
        Shape(
            name: "no muc_mapper_domain_base", fixture: "no-mapper-base",
            refusal: "refused: the server would refuse this token at join: not-allowed (room-does-not-exist): Room "
                + "does not exist\nhint: muc_mapper_domain_base is not set for \"meet.example.com\" (the parent host "
                + "of conference.meet.example.com), so the server cannot find the room: set it to the main domain "
                + "(e.g. \"meet.example.com\")\n",
            connectHost: "meet.example.com", join: conference),
        Shape(
            name: "key server and no --kid", fixture: "jaas-jigasi",
            arguments: ["--host", "jigasi.meet.example.com", "--key-file", rsaPrivate],
            refusal: "refused: the server would refuse this token at connect: not-allowed: 'kid' claim is missing\n"
                + "hint: with a key server the header must name the key in kid\n",
            connectHost: "jigasi.meet.example.com", join: conference),
        Shape(
            name: "empty app_id and app_secret", fixture: "empty-app-id-secret",
            refusal: "refused: the secret is empty: anyone can sign a token this server accepts; set app_secret (or "
                + "--secret-file) to at least 32 random bytes\n",
            connectHost: "meet.example.com", join: conference),
    ]
}

/// Every shape minted and verified through the CLI, and the same token through the independent Lua oracle with the
/// join stage of the MUC the user joins (its parent host's options, as Prosody's own loader reads them).
struct ShapeTests {
    func mint(_ shape: Shape, room: String = "Board Room") -> CommandResult {
        execute(["mint", "--config", shape.path, "--room", room] + shape.arguments)
    }

    func verify(_ shape: Shape, room: String, token: String) -> CommandResult {
        let arguments = shape.arguments.filter { !$0.hasPrefix("--kid") && $0 != "vpaas/key-1" }
        let withoutSub = stripping("--sub", from: arguments)
        return execute(["verify", "--config", shape.path, "--room", room] + withoutSub + shape.verifyArguments + [token])
    }

    func stripping(_ option: String, from arguments: [String]) -> [String] {
        guard let index = arguments.firstIndex(of: option) else { return arguments }
        var copy = arguments
        copy.removeSubrange(index...(index + 1))
        return copy
    }

    @Test(arguments: Shape.minted)
    func mintedTokensAreAcceptedForTheirRoom(_ shape: Shape) throws {
        let minted = mint(shape)
        #expect(minted.status == 0, "\(minted)")
        let token = String(minted.stdout.dropLast())
        #expect(try payload(of: token)["sub"] == shape.subject.map(JSONValue.string))
        #expect(verify(shape, room: "Board Room", token: token).status == 0)
        let other = verify(shape, room: "other", token: token)
        #expect(other.status == (shape.otherRoomRefused ? 1 : 0), "\(other)")
        if !shape.otherRoomRefused {
            #expect(
                other.stdout
                    == "accepted (the join stage checks nothing: conference.meet.example.com does not load "
                    + "token_verification)\n")
        }
    }

    @Test(arguments: Shape.refused)
    func mintRefusesWithTheServersReason(_ shape: Shape) {
        #expect(mint(shape) == CommandResult(status: 1, stdout: "", stderr: shape.refusal ?? ""))
    }

    @Test(.requires(.prosody012), .requires(.jitsiLibraries), arguments: Shape.minted)
    func mintedTokensPassTheLuaOracle(_ shape: Shape) throws {
        try Oracle.prosody012.required()
        try Oracle.jitsiLibraries.required()
        let minted = mint(shape)
        #expect(minted.status == 0, "\(minted)")
        let token = String(minted.stdout.dropLast())
        let verdict = try oracle(shape, token: token, room: "board%20room")
        #expect(verdict == #"{"accepted":true,"stage":null,"condition":null,"code":null,"reason":null}"#)
        let other = try oracle(shape, token: token, room: "other")
        #expect(other.hasPrefix(shape.otherRoomRefused ? #"{"accepted":false,"stage":"join""# : #"{"accepted":true"#))
    }

    /// What mint refuses, the oracle refuses the same way: the token mint would have signed, made by mint for a
    /// server that differs only where the shape is broken, is refused by the oracle at the same stage.
    @Test(.requires(.prosody012), .requires(.jitsiLibraries))
    func theOracleRefusesWhatMintRefusesAtJoin() throws {
        try Oracle.prosody012.required()
        try Oracle.jitsiLibraries.required()
        // Signed for the conference MUC of the breakout shape, then joined on its breakout and lobby MUCs.
        let shape = Shape.minted[5]
        let token = String(mint(shape, room: "*").stdout.dropLast())
        for refused in Shape.refused.prefix(2) {
            let verdict = try oracle(refused, token: token, room: "any-room")
            let expected =
                refused.roomsOn == nil
                ? #"{"accepted":false,"stage":"join","condition":"not-allowed","code":"room-does-not-exist","#
                    + #""reason":"Room does not exist"}"#
                : #"{"accepted":false,"stage":"join","condition":"not-allowed","code":null,"#
                    + #""reason":"Room and token mismatched"}"#
            #expect(verdict == expected, "\(refused.name)")
            let cli = execute(
                ["verify", "--config", refused.path, "--room", "any-room", "--format", "json"] + refused.arguments
                    + [token])
            #expect(cli.status == 1)
            let json = try parseJSON(cli.stdout)
            #expect(json["reason"] == (refused.roomsOn == nil ? "Room does not exist" : "Room and token mismatched"))
        }
        // No muc_mapper_domain_base: the oracle refuses the token the standard shape would mint.
        let noBase = Shape.refused[2]
        let verdict = try oracle(noBase, token: token, room: "any-room", secretFrom: shape)
        #expect(verdict.hasPrefix(#"{"accepted":false,"stage":"join""#) || verdict.contains("Invalid signature"))
    }

    func oracle(_ shape: Shape, token: String, room: String, secretFrom: Shape? = nil) throws -> String {
        let publicKey = shape.verifyArguments.isEmpty ? nil : Shape.rsaPublic
        let rules = try OracleRules.fromProsody(config: shape.path, host: shape.connectHost, publicKeyFile: publicKey)
        var join = try OracleRules.join(config: shape.path, shape.join, publicKeyFile: publicKey)
        if let roomsOn = shape.roomsOn, case .object(var object) = join {
            object["rooms_on"] = .array(roomsOn.map(JSONValue.string))
            join = .object(object)
        }
        return try OracleRules.run(rules: rules, token: token, room: room, tenant: nil, now: fixedTime + 60, join: join)
    }
}

/// `hosts --format json` gives option values their JSON types: lists as arrays, booleans as booleans.
struct HostsJSONTests {
    @Test func tokenOptionsAreTypedAndEachHostNamesItsMUC() throws {
        let result = execute(["hosts", "--format", "json", Repository.path("Fixtures/shapes/guest-domain.cfg.lua")])
        #expect(result.status == 0)
        let hosts = try parseJSON(result.stdout)["virtual_hosts"]
        guard case .array(let list)? = hosts else { throw TestFailure(description: "no virtual_hosts") }
        let meet = try #require(list.first { $0["name"] == "meet.jitsi" })
        #expect(
            meet["token_options"]
                == [
                    "app_id": "jitsi", "asap_accepted_issuers": ["jitsi"], "asap_accepted_audiences": ["jitsi"],
                    "allow_empty_token": false, "enable_domain_verification": true,
                    "muc_mapper_domain_base": "meet.jitsi", "muc_mapper_domain_prefix": "muc",
                ])
        #expect(meet["muc"] == "muc.meet.jitsi")
    }
}
