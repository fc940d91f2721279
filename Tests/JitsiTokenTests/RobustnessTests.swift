import Testing

@testable import JitsiToken

/// Malformed input never traps, never hangs, and always yields a refusal.
struct RobustnessTests {
    typealias F = Fixture

    /// The headers minters write are checked once per verifier: both key orders for the server's algorithm, none
    /// for an algorithm it does not support. (Tokens with any other header, as the mutated ones below, are checked
    /// one by one.)
    @Test func theUsualHeadersAreCheckedOncePerVerifier() {
        let headers = TokenVerifier(rules: F.rules).prepared.passingHeaders.map { String(decoding: $0, as: UTF8.self) }
        #expect(headers == ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9"])
        let unsupported = TokenVerifier(rules: F.rules { $0.signatureAlgorithm = "HS257" })
        #expect(unsupported.prepared.passingHeaders.isEmpty)
        let token = F.token(F.claims)
        let reordered = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9" + token.drop { $0 != "." }
        #expect(verify(token: reordered, rules: F.rules, room: F.room, tenant: nil, now: Double(F.now)).reason
            == "Invalid signature")
    }

    @Test func mutatedTokensAreRefusedWithoutTrapping() {
        var generator = LuaCompatibilityTests.Generator(state: 42)
        let good = Array(F.token(F.claims).utf8)
        let alphabet = Array("ABCxyz019-_.=+/\\ \n{}\"%é".utf8)
        for _ in 0..<2000 {
            var bytes = good
            for _ in 0..<(1 + generator.next(4)) {
                let index = generator.next(bytes.count)
                switch generator.next(3) {
                case 0: bytes[index] = alphabet[generator.next(alphabet.count)]
                case 1: bytes.remove(at: index)
                default: bytes.insert(alphabet[generator.next(alphabet.count)], at: index)
                }
            }
            let token = String(decoding: bytes, as: UTF8.self)
            let verdict = verify(token: token, rules: F.rules, room: F.room, tenant: nil, now: Double(F.now))
            if verdict.accepted {
                // Only changes the lenient decoders ignore may pass: padding, empty segments, '\\' for '.',
                // unused trailing bits.
                #expect(Self.decodedSegments(bytes) == Self.decodedSegments(good), "\(token)")
            }
        }
    }

    static func decodedSegments(_ token: [UInt8]) -> [[UInt8]?] {
        token.split(omittingEmptySubsequences: true) { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "\\") }
            .map { Base64URL.decodeLenient($0) }
    }

    @Test func inPlaceBase64URLMatchesTheCopyingEncoder() {
        var generator = LuaCompatibilityTests.Generator(state: 99)
        for length in 0..<200 {
            let prefix: [UInt8] = Array("eyJhbGciOiJIUzI1NiJ9.".utf8)
            let payload = (0..<length).map { _ in UInt8(generator.next(256)) }
            var buffer = prefix + payload
            Base64URL.encodeInPlace(&buffer, from: prefix.count)
            #expect(buffer == prefix + Array(Base64URL.encode(payload).utf8), "length \(length)")
            #expect(Base64URL.encode(payload) == Self.base64URLSixBitsAtATime(payload), "length \(length)")
        }
    }

    /// RFC 4648 §5 without padding, read off the bits one 6-bit group at a time: the encoders' reference.
    static func base64URLSixBitsAtATime(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let bits = bytes.flatMap { byte in (0..<8).map { (byte >> (7 - $0)) & 1 } }
        return String(
            stride(from: 0, to: bits.count, by: 6).map { start in
                let group = (start..<start + 6).map { $0 < bits.count ? Int(bits[$0]) : 0 }
                return alphabet[group.reduce(0) { $0 << 1 | $1 }]
            })
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        let verdict = verify(
            token: F.token(payloadJSON: deep), rules: F.rules, room: F.room, tenant: nil,
            now: Double(F.now))
        #expect(WireVerdict(verdict) == .connect("Invalid body"))
    }

    @Test func hugeAndOddNumbersDoNotOverflow() {
        for clock in [Double.nan, .infinity, -.infinity, 1e300, -1e300, 9.3e18] {
            _ = verify(token: F.token(F.claims), rules: F.rules, room: F.room, tenant: nil, now: clock)
        }
        let payload =
            #"{"iss":"acme_meet","aud":"jitsi","sub":"meet.example.com","room":"weekly-sync","#
            + #""exp":-1e308,"iat":1e308}"#
        let verdict = verify(
            token: F.token(payloadJSON: payload), rules: F.rules, room: F.room, tenant: nil,
            now: Double(F.now))
        #expect(
            WireVerdict(verdict)
                == .connect("Not acceptable by exp (1e+308 sec since expired, valid for:-inf sec)"))
    }

    @Test func arbitraryBytesAreRefused() {
        var generator = LuaCompatibilityTests.Generator(state: 7)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8(generator.next(256)) }
            let verdict = verify(
                token: String(decoding: bytes, as: UTF8.self), rules: F.keyServerRules, room: F.room,
                tenant: nil, now: 0)
            #expect(!verdict.accepted)
        }
    }

    @Test func aBacktrackingPatternIsCutShort() {
        let room = String(repeating: "a", count: 700)
        let claims = F.claims {
            $0["room"] = ".-.-.-.-.-b"; $0["context"] = ["room": ["regex": true]]
        }
        let verdict = verify(token: F.token(claims), rules: F.rules, room: room, tenant: nil, now: Double(F.now))
        #expect(
            WireVerdict(verdict)
                == WireVerdict(
                    accepted: false, stage: "join", condition: "internal-error",
                    reason: "Room claim pattern is too slow to evaluate"))
    }
}

struct HintTests {
    typealias F = Fixture

    @Test func aPublicHostAsSubOnDockerNamesTheXMPPDomain() {
        let verdict = verify(token: F.token(F.claims), rules: F.docker, room: F.room, tenant: nil, now: Double(F.now))
        #expect(
            verdict.hints == [
                "sub is \"meet.example.com\"; the server expects the XMPP domain \"meet.jitsi\" or the tenant",
                "this assumes the room weekly-sync@muc.meet.jitsi exists: jicofo creates it when the meeting starts, "
                    + "and until then the server answers \"Room does not exist\"",
            ])
    }

    @Test func aTypedRoomNameNamesTheNode() {
        let verdict = verify(
            token: F.token(F.claims { $0["room"] = "My Room" }), rules: F.rules, room: "my%20room",
            tenant: nil, now: Double(F.now))
        #expect(
            verdict.hints == [
                "room is \"My Room\"; the server expects the room node \"my%20room\" (lowercase, percent-encoded like "
                    + "the web client) or \"*\"",
                "this assumes the room my%20room@conference.meet.example.com exists: jicofo creates it when the "
                    + "meeting starts, and until then the server answers \"Room does not exist\"",
            ])
    }

    @Test func anExpiredTokenNamesTheClock() {
        let verdict = verify(
            token: F.token(F.claims { $0["exp"] = .integer(F.now - 5) }), rules: F.rules,
            room: F.room, tenant: nil, now: Double(F.now))
        #expect(
            verdict.hints == [
                "exp is the number 1759999995.0, the server clock is 1760000000: the token expired; mint a new one "
                    + "(the server allows no leeway)"
            ])
        #expect(verdict.claims?["iss"] == .string("acme_meet"))
    }

    @Test func aWrongIssuerNamesTheAcceptedOnes() {
        let verdict = verify(
            token: F.token(F.claims { $0["iss"] = ["acme_meet"] }), rules: F.rules, room: F.room,
            tenant: nil, now: Double(F.now))
        #expect(
            verdict.hints == [
                "iss is an array [\"acme_meet\"]; the server accepts \"acme_meet\" (asap_accepted_issuers, by default "
                    + "app_id)"
            ])
    }
}
