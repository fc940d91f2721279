import Testing

@testable import JitsiToken

/// The room assumption kept in parts: its text and JSON are those of the whole hint.
struct RoomAssumptionTests {
    @Test(arguments: [
        "room-0", "[acme]weekly-sync", "", "ro\"om\\x", "tab\there\nnew", "\u{7F}\u{85}\u{202E}\u{2028}é😀",
        String(repeating: "long-room-", count: 40),
    ])
    func assumptionIsWrittenAsTheWholeHintIs(room: String) {
        for domain in ["conference.meet.example.com", "", "m\"uc\u{202E}.example"] {
            let assumption = RoomAssumption(room: room, ending: RoomAssumption.Ending(mucDomain: domain))
            let whole =
                "this assumes the room " + room + "@" + domain + " exists: jicofo creates it when the meeting starts, "
                + "and until then the server answers \"Room does not exist\""
            #expect(assumption.text == whole)
            var written: [UInt8] = []
            assumption.appendJSONText(to: &written)
            #expect(String(decoding: written, as: UTF8.self) == JSONValue.string(whole).jsonText)

            var verdict = Verdict(accepted: true, hints: ["first", "sec\"ond"])
            verdict.assumedRoom = assumption
            #expect(verdict.hints == ["first", "sec\"ond", whole])
            var hints: [UInt8] = []
            verdict.appendHintsJSONText(to: &hints)
            #expect(String(decoding: hints, as: UTF8.self) == verdict.hints.map { JSONValue.string($0).jsonText }.joined(separator: ","))
            verdict.hints = ["replaced"]
            #expect(verdict.hints == ["replaced"])
        }
    }
}
