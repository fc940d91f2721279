import Testing

@testable import JitsiToken

/// The join stage's byte comparison (``Verification/plainJoinAccepts(_:domainVerification:)``) against the String path it
/// stands in for (``Verification/claimsJoinStage(payload:checks:)``), over room claims, subs and contexts that differ
/// in case, escapes, non-ASCII bytes, wildcards, types and repeated keys, on MUCs that `sub` can and cannot name.
@Suite struct PlainJoinTests {
    /// Values whose JSON is a printable ASCII string without escapes: the bytes decide these.
    static let plainRooms = [
        "weekly-sync", "Weekly-Sync", "WEEKLY-SYNC", "*", "other", "weekly-sync@x", "", "weekly-syn", "weekly-sync ",
        "acme", "[acme]weekly-sync", "week.*",
    ]
    static let plainSubs = [
        "meet.example.com", "MEET.Example.COM", "*", "conference.meet.example.com", "acme", "", "meet.example.co",
        "lobby.meet.example.com", "example.com",
    ]
    static let plainContexts = [nil, #"{"user":{"name":"A"}}"#, #"{"features":{"recording":true},"user":{}}"#]
    /// Values the bytes leave to the String path.
    static let otherRooms = [
        #""weekly\u002dsync""#, #""\u0057eekly-sync""#, "\"w\u{e9}ekly\"", "5", "5.0", "null", "true", #"["weekly-sync"]"#,
        #"{"a":1}"#,
    ]
    static let otherSubs = [#""meet.example\u002ecom""#, "\"m\u{e9}et.example.com\"", "null", "5", #"["x"]"#]
    static let otherContexts = [
        #"{"room":{"regex":true}}"#, #"{"room":{"regex":"true"}}"#, #"{"tenant":"acme"}"#, #"{"tenant":5}"#,
        #""text""#, "[]", "7", "null", #"{"room":5}"#,
    ]

    static func json(_ text: String) -> String {
        var writer = JSONWriter(escapingTerminalControls: false)
        writer.writeString(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Payload texts: every room × sub × context.
    static func payloads(rooms: [String], subs: [String], contexts: [String?]) -> [String] {
        var texts: [String] = []
        for room in rooms {
            for sub in subs {
                for context in contexts {
                    texts.append(
                        #"{"iss":"acme_meet","room":"# + room + #","sub":"# + sub
                            + (context.map { #","context":"# + $0 } ?? "") + "}")
                }
            }
        }
        return texts
    }

    /// Repeated keys (cjson keeps the last) of plain values, which the bytes decide too.
    static let repeatedKeys = [
        #"{"room":"weekly-sync","sub":"meet.example.com","room":"other"}"#,
        #"{"room":"other","sub":"meet.example.com","room":"weekly-sync"}"#,
        #"{"room":"weekly-sync","sub":"x","sub":"meet.example.com"}"#,
        #"{"room":"weekly-sync","sub":"meet.example.com","sub":"x"}"#,
        #"{ "room" : "Weekly-Sync" , "sub" : "*" }"#,
    ]
    /// Other shapes: a context repeated, an escaped key, a missing claim, a payload that is no object.
    static let oddShapes = [
        #"{"room":"weekly-sync","sub":"*","context":{"room":{"regex":true}},"context":{}}"#,
        #"{"room":"weekly-sync","sub":"*","context":{},"context":{"tenant":"x"}}"#,
        #"{"ro\u006fm":"weekly-sync","sub":"*"}"#, #"{"sub":"*"}"#, #"{"room":"weekly-sync"}"#, "[1]", #""x""#,
    ]

    /// Rules, and whether some plain claims join there (a MUC whose rooms `sub` or `*` can address).
    static let rulesVariants: [(name: String, rules: ServerRules, joinable: Bool)] = [
        ("conference", Fixture.rules, true),
        (
            "lobby",
            Fixture.rules {
                $0.join = JoinRules(
                    muc: "lobby.meet.example.com", checker: .verifies(.init($0)), mirrorsConferenceRooms: true)
            }, false
        ),
        (
            "breakout",
            Fixture.rules { $0.join = JoinRules(muc: "breakout.meet.example.com", checker: .verifies(.init($0))) },
            false
        ),
        ("other prefix", Fixture.rules { $0.mucMapperDomainPrefix = "muc" }, true),
        ("mapper domain", Fixture.rules { $0.mucMapperDomain = "conference.example.com" }, true),
        ("no domain verification", Fixture.rules { $0.enableDomainVerification = false }, false),
        ("no room claim required", Fixture.rules { $0.requireRoomClaim = false }, true),
        ("2025-08", Fixture.rules { $0.era = .august2025 }, true),
    ]

    /// Whether the String path lets `payload` join `room` (with `tenant`) and adds no hint.
    static func stringPathAccepts(_ verification: Verification, _ payload: JSONBytesView, _ checks: RoomVerification)
        -> Bool
    {
        var copy = verification
        do {
            try copy.claimsJoinStage(payload: payload, checks: checks)
        } catch {
            return false
        }
        return copy.hints.isEmpty
    }

    @Test(arguments: rulesVariants.indices)
    func theBytesAcceptExactlyThePlainClaimsTheStringPathAccepts(variant: Int) throws {
        let (name, rules, joinable) = Self.rulesVariants[variant]
        let verifier = TokenVerifier(rules: rules)
        guard case .verifies(let checks) = rules.joinRules.checker else {
            Issue.record("\(name): the join stage checks nothing")
            return
        }
        let plain = Set(
            Self.payloads(
                rooms: Self.plainRooms.map(Self.json), subs: Self.plainSubs.map(Self.json),
                contexts: Self.plainContexts) + Self.repeatedKeys)
        let all =
            plain.sorted() + Self.oddShapes
            + Self.payloads(
                rooms: Self.plainRooms.map(Self.json) + Self.otherRooms,
                subs: Self.plainSubs.map(Self.json) + Self.otherSubs,
                contexts: Self.plainContexts + Self.otherContexts
            ).filter { !plain.contains($0) }
        var accepted = 0
        for room in ["weekly-sync", "other", "week", "[acme]weekly-sync", "[acme"] {
            for tenant in [nil, "acme"] as [String?] {
                let verification = Verification(
                    verifier: verifier, room: room, tenant: tenant, now: 0, roomExists: true)
                for text in all {
                    let payload = try #require(CJSONScanner.scan(Array(text.utf8)), "\(text)")
                    let bytes = verification.plainJoinAccepts(payload, domainVerification: checks.enableDomainVerification)
                    let strings = Self.stringPathAccepts(verification, payload, checks)
                    if bytes { accepted += 1 }
                    // The bytes never accept what the String path refuses; on plain claims, with no tenant in the
                    // room node, they decide every acceptance.
                    let decides = plain.contains(text) && tenant == nil && !room.hasPrefix("[")
                        && checks.enableDomainVerification
                    #expect(
                        bytes == (decides ? strings : bytes && strings),
                        "\(name): \(text) joining \(room) (tenant \(tenant ?? "none")): bytes \(bytes), strings \(strings)")
                }
            }
        }
        #expect((accepted > 0) == joinable, "\(name): \(accepted) joins decided by the bytes")
    }

    /// ``Verification/lowered(_:_:equals:)`` of whole texts.
    static func lowered(_ text: String, equals expected: String) -> Bool {
        let bytes = Array(text.utf8), wanted = Array(expected.utf8)
        return Verification.lowered(bytes.span, 0..<bytes.count, equals: wanted.span)
    }

    @Test func loweringComparesOnlyASCIILettersCaseInsensitively() {
        #expect(Self.lowered("Room-\u{C4}[@`{", equals: "room-\u{C4}[@`{"))
        #expect(!Self.lowered("Room-\u{C4}", equals: "room-\u{E4}"))
        #expect(!Self.lowered("Room", equals: "Room"))
        #expect(Self.lowered("@[`{", equals: "@[`{"))
        #expect(!Self.lowered("a", equals: "A"))
        #expect(!Self.lowered("room", equals: "room-"))
    }

    @Test func aMemberOfTheContextIsFoundAsInItsView() throws {
        let texts = [
            #"{"context":{"room":1,"tenant":"a"}}"#, #"{"context":{"user":{"room":1}}}"#,
            #"{"context":{"room":1},"context":{"user":{}}}"#, #"{"context":{},"context":{"tenant":"x"}}"#,
            #"{"context":{"ro\u006fm":1},"other":{"tenant":1}}"#, #"{"context":"room","other":{"room":1}}"#,
            #"{"context":[{"room":1}]}"#, #"{"context":{"te\u006eant":1,"rooms":2,"tenan":3}}"#,
            #"{"context":{"Room":1,"TENANT":2,"roo":3}}"#,
        ]
        for text in texts {
            let payload = try #require(CJSONScanner.scan(Array(text.utf8)))
            for member in payload.members {
                for key in ["room", "tenant", "user", ""] {
                    // The model: the object scanned on its own.
                    let inView =
                        member.kind == .object
                        && CJSONScanner.view(of: payload.bytes, value: member.value).member(key) != nil
                    #expect(payload.objectHasMember(member, key) == inView, "\(text): \(key)")
                }
                for name in [JSONBytesView.ClaimName.room, .tenant, .context] {
                    #expect(
                        payload.objectHasMember(member, name) == payload.objectHasMember(member, name.text),
                        "\(text): \(name)")
                }
            }
        }
    }
}
