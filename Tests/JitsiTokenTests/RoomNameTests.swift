@testable import JitsiToken
import Testing

struct RoomNameTests {
    @Test(arguments: [
        ("My Room", "my%20room"),
        ("my%20room", "my%20room"),
        ("weekly-sync", "weekly-sync"),
        ("ВСТРЕЧА", "%d0%b2%d1%81%d1%82%d1%80%d0%b5%d1%87%d0%b0"),
        ("Встреча", "%d0%b2%d1%81%d1%82%d1%80%d0%b5%d1%87%d0%b0"),
        ("%D0%92%D1%81%D1%82%D1%80%D0%B5%D1%87%D0%B0", "%d0%b2%d1%81%d1%82%d1%80%d0%b5%d1%87%d0%b0"),
        ("ＭｙＲｏｏｍ", "myroom"),
        ("Ｒｏｏｍ１", "room1"),
        ("what?", "what%3f"),
        ("a/b#c&d=e", "a%2fb%23c%26d%3de"),
        ("Tom's (room)!~*._-", "tom's%20(room)!~*._-"),
        ("100% sure", "100%25%20sure"),
        ("a%zz", "a%25zz"),
        ("%C3", "%25c3"),
        ("%E9t%C3%A9", "%25e9t%25c3%25a9"),
        ("Été", "%c3%a9t%c3%a9"),
        ("E\u{301}te\u{301}", "%c3%a9t%c3%a9"),
        ("ﬁle", "file"),
        ("İstanbul", "i%cc%87stanbul"),
        ("*", "*"),
        ("", ""),
    ])
    func buildsTheNodeLikeTheWebClient(typed: String, node: String) {
        #expect(RoomName.node(typed: typed) == node)
    }
}

extension RoomNameTests {
    /// Names of the characters `encodeURIComponent` keeps take a shortcut; every step (ICU's NFKC included, which
    /// the ASCII check skips only for ASCII) gives the same node for them and for ASCII names around them.
    @Test
    func namesOfKeptCharactersGiveTheNodeOfEveryStep() {
        let alphabet = Array("AZaz09-_.!~*'() %?/#é".unicodeScalars)
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var names = ["Weekly-Sync", "ROOM.1", "(a)!~*'", "", "*", "a b", "%41"]
        for _ in 0..<2000 {
            var name = ""
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            for shift in stride(from: 0, to: Int(state % 12) * 5, by: 5) {
                name.unicodeScalars.append(alphabet[Int(state >> UInt64(shift + 4)) % alphabet.count])
            }
            names.append(name)
        }
        for name in names {
            #expect(RoomName.node(typed: name) == RoomName.nodeByEveryStep(typed: name), "\(name.debugDescription)")
        }
    }
}
