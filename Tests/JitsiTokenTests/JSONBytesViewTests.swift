import Testing

@testable import JitsiToken
import TestSupport

/// The claims view (``CJSONScanner`` / ``JSONBytesView``) the verifier reads tokens through, against lua-cjson run by
/// `lua5.4` and against ``CJSONDecoder``'s tree.
struct JSONBytesViewTests {
    /// Hostile and unusual texts: nesting at and past the depth limit, huge numbers, strtod forms, NUL bytes,
    /// repeated keys, escapes, invalid UTF-8 (raw bytes, not Swift strings).
    static let documents: [[UInt8]] = {
        var texts: [String] = [
            #"{"a":1,"b":[true,false,null],"c":"\u00e9\ud83d\ude00","d":-0.5e2,"a":2}"#,
            #"{"a":"first","a":"second"}"#, #"{"a":{"x":1},"b":2,"a":[3]}"#, #"{"\u0061":"escaped key","b":1}"#,
            #"{"a":1e999}"#, #"{"a":-1e999,"b":123456789012345678901234567890}"#, #"{"a":0x1p3,"b":+1,"c":-.5}"#,
            #"{"a":nan,"b":Infinity,"c":-inf}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":1e}"#,
            "{\"a\":1}\u{0}garbage", "{\"a\":\"x\u{0}y\"}", "{\"a\u{0}\":1}", #"{"a":"\u0000"}"#,
            #"{"a":"\ud800"}"#, #"{"a":"\ude00"}"#, #"{"a":"\ud83d\u0041"}"#, #"{"a":"\x"}"#, #"{"a":"\u12"}"#,
            #"{"a":1,}"#, #"{,"a":1}"#, #"{"a" 1}"#, #"{"a":1"b":2}"#, "{\"a\":1} x", " \t\r\n{\"a\" : [ 1 , 2 ] }\n",
            #"[1,2,"a"]"#, #""just a string""#, "42", "true", "null", "nul", "tru", "", " ", "{", "\"open",
            #"{"a":{"b":{"c":{}}}}"#, #"{"context":{"user":{"name":"x"},"room":{"regex":true},"tenant":"T"}}"#,
            #"{"a":"\/\b\f\n\r\t\"\\"}"#, "{\"a\":\"\u{7F}\"}", "{\"a\":\"\u{202E}\"}", #"{"a":-0}"#,
            #"{"a":1234567890123456}"#, #"{"a":123456789012345}"#, #"{"a":true,"b":false,"c":null}"#,
            #"{"a":0,"b":007,"k3":999999999999999}"#, #"{"a":-0,"b":00,"k3":1796149530}"#,
            String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000),
            String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001),
            "{\"a\":" + String(repeating: "{\"a\":", count: 999) + "1" + String(repeating: "}", count: 1000),
            "{\"a\":" + String(repeating: "{\"a\":", count: 1000) + "1" + String(repeating: "}", count: 1001),
            "{" + (0..<100).map { "\"k\($0 % 70)\":\($0)" }.joined(separator: ",") + "}",
            // Printable ASCII without a backslash (strings end at their next quote) and numbers of every ending.
            #"{"a":12x}"#, #"{"a":12E3}"#, #"{"a":12e+3,"b":1}"#, #"{"a":-}"#, #"{"a":-12,"b":9.}"#, #"{"a":"open}"#,
            #"{"a":1,"b":"x""#, #"{"a":123456789012345e1}"#, #"{"a":9007199254740993}"#, #"{"a":-123456789012345}"#,
            #"{"a":-1234567890123456}"#, #"{"a":5,"a":6}"#, #"{"a":"x","b":"y","c":"z"}"#, #"{"a":7}"#, "{\"a\":7",
            "{" + (0..<40).map { "\"t\($0)\":\($0)," }.joined() + "\"n\":{" + (0..<30).map { "\"u\($0)\":\"v\"" }
                .joined(separator: ",") + "},\"a\":1}",
            #"{"a":"x" ,"b" : 1 }"#, #"{"a":1.5,"b":"~"}"#, #"{"a":"q","b":"\u0041"}"#, #"{"a":"","":""}"#,
        ]
        let nines = String(repeating: "9", count: 400)
        texts.append("{\"a\":\"" + nines + "\",\"b\":" + nines + "}")
        var documents = texts.map { Array($0.utf8) }
        // Invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong form, in values and keys.
        documents.append(Array(#"{"a":""#.utf8) + [0x80] + Array(#"","b":1}"#.utf8))
        documents.append(Array(#"{"a":"x"#.utf8) + [0xE2, 0x82] + Array(#""}"#.utf8))
        documents.append(Array(#"{""#.utf8) + [0xC0, 0xAF] + Array(#"":1,"a":2}"#.utf8))
        documents.append(
            Array(#"{""#.utf8) + [0xFF] + Array(#"":1,""#.utf8) + [0xEF, 0xBF, 0xBD] + Array(#"":2}"#.utf8))
        return documents
    }()

    /// Lua's rendering of `cjson.safe.decode(text)` (sorted keys, `%.17g` numbers, strings hex-encoded), then of
    /// the value's member `a` for a table.
    static let luaScript = cjsonRenderingLua + #"""
        for line in io.stdin:lines() do
          local v, err = cjson.decode(unhex(line))
          if err then print("error")
          elseif type(v) == "table" then print(render(v) .. " a=" .. (v.a == nil and "nil" or render(v.a)))
          else print(render(v) .. " a=-") end
        end
        """#

    /// What the view says of `document`, rendered like ``luaScript``.
    static func render(_ document: [UInt8]) -> String {
        guard let view = CJSONScanner.scan(document) else { return "error" }
        let member: String
        switch view.rootKind {
        case .object: member = view.member("a").map { LuaCompatibilityTests.render(view.value(of: $0)) } ?? "nil"
        case .array: member = "nil"
        default: member = "-"
        }
        return LuaCompatibilityTests.render(view.value) + " a=" + member
    }

    @Test(.requires(.jitsiLibraries))
    func viewAcceptsRefusesAndLooksUpAsLuaCJSONDoes() throws {
        try Oracle.jitsiLibraries.required()
        let input = Self.documents.map { hex($0) }.joined(separator: "\n") + "\n"
        let output = try runProcess(Oracle.luaPath, ["-e", Self.luaScript], input: input)
        let expected = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
            String.init)
        #expect(expected.count == Self.documents.count, "\(output.stderr)")
        for (index, document) in Self.documents.enumerated() where index < expected.count {
            let ours = Self.render(document)
            // Invalid UTF-8 is repaired (U+FFFD) in decoded Strings, as by the tree decoder; cjson keeps the bytes.
            if String(validating: document, as: UTF8.self) == nil {
                #expect((ours == "error") == (expected[index] == "error"), "\(hex(document))")
            } else {
                let shown = String(decoding: document.prefix(60), as: UTF8.self).debugDescription
                #expect(ours == expected[index], "\(shown)")
            }
        }
    }

    @Test
    func viewDecodesAndWritesWhatTheTreeDecoderDoes() {
        for document in Self.documents {
            let tree = CJSONDecoder.decode(document)
            let view = CJSONScanner.scan(document)
            #expect((tree == nil) == (view == nil), "\(hex(document))")
            guard let tree, let view else { continue }
            // Rendered, since NaN equals nothing; member order is checked by the text below.
            #expect(LuaCompatibilityTests.render(view.value) == LuaCompatibilityTests.render(tree), "\(hex(document))")
            var written: [UInt8] = []
            view.appendJSONText(to: &written)
            #expect(String(decoding: written, as: UTF8.self) == tree.jsonText, "\(hex(document))")
            for key in ["a", "b", "k3", "context", "\u{FFFD}"] {
                let ours = view.member(key).map { LuaCompatibilityTests.render(view.value(of: $0)) }
                #expect(ours == tree[key].map(LuaCompatibilityTests.render), "\(key) of \(hex(document))")
            }
        }
    }

    /// Compact texts and near misses of every part of that form: whitespace, number forms and their endings,
    /// literals, repeated keys at each depth, `context` in every shape, nesting at and past the compact limit, many
    /// keys, truncations.
    static let compactDocuments: [[UInt8]] = {
        let payload = #"{"iss":"acme_meet","aud":"jitsi","sub":"meet.example.com","room":"room-0","iat":1796195509,"#
            + #""nbf":1796195499,"exp":1796199109,"context":{"user":{"id":"user-0","name":"User 0","#
            + #""email":"user0@example.com","moderator":true},"features":{"livestreaming":false,"recording":true}}}"#
        var texts: [String] = [
            payload, #"{}"#, #"{"a":{}}"#, #"{"a":[]}"#, #"{"a":[{}]}"#, #"{"a":[[],[1,[2,{"b":[]}]]]}"#,
            #"{"context":{}}"#, #"{"context":[{"a":1}]}"#, #"{"context":"x"}"#, #"{"context":null}"#,
            #"{"context":{"a":1},"b":{"context":{"c":2}}}"#, #"{"context":{"a":1},"context":{"b":2}}"#,
            #"{"a":1,"a":2}"#, #"{"a":{"b":1,"b":2}}"#, #"{"a":{"b":1},"c":{"b":2}}"#, #"{"ab":1,"ba":2,"ab":3}"#,
            #"{"":1,"":2}"#, #"{"":1}"#, #"{"a":0}"#, #"{"a":-0}"#, #"{"a":00}"#, #"{"a":0x10}"#, #"{"a":0.5}"#,
            #"{"a":0e1}"#, #"{"a":-1}"#, #"{"a":-}"#, #"{"a":--1}"#, #"{"a":+1}"#, #"{"a":123456789012345}"#,
            #"{"a":1234567890123456}"#, #"{"a":-123456789012345}"#, #"{"a":12.}"#, #"{"a":12e3}"#, #"{"a":12E3}"#,
            #"{"a":12x}"#, #"{"a":[0,-5,7]}"#, #"{"a":[0x1]}"#, #"{"a":1"#, #"{"a":1,"#, #"{"a""#, #"{"a"#, #"{"#,
            #"{"a":true,"b":false,"c":null}"#, #"{"a":tru}"#, #"{"a":truex}"#, #"{"a":nul}"#, #"{"a":nan}"#,
            #"{"a":fals}"#, #"{"a":NaN}"#, #"{"a":inf}"#, #"{"a":"x"}x"#, #"{"a":"x"} "#, #" {"a":"x"}"#,
            #"{"a" :1}"#, #"{"a": 1}"#, #"{"a":1 }"#, #"{ "a":1}"#, #"{"a":[1 ,2]}"#, #"[1,2]"#, #""a""#, "1",
            #"{"a":"x""b":1}"#, #"{"a":1}}"#, #"{"a":[1}"#, #"{"a":{"b":1]}"#, #"{"a":,}"#, #"{,}"#, #"{"a":1,}"#,
            #"{"iss":1,"aud":2,"exp":3,"nbf":4,"iat":5,"room":6,"sub":7,"context":8,"typ":9,"alg":10,"x":11}"#,
            #"{"sub":1,"subs":2,"su":3,"rooms":4,"contexts":5,"contex":6}"#,
            "{" + (0..<64).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}",
            "{" + (0..<65).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}",
            "{\"a\":{" + (0..<63).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "},\"b\":1}",
            "{\"a\":{" + (0..<64).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}}",
        ]
        for count in [31, 32, 33] {
            texts.append("{" + (0..<count).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}")
            texts.append(
                "{" + (0..<20).map { "\"t\($0)\":\($0)," }.joined() + "\"o\":{"
                    + (0..<count - 21).map { "\"u\($0)\":\($0)" }.joined(separator: ",") + "}}")
        }
        for length in [255, 256] { texts.append("{\"" + String(repeating: "k", count: length) + "\":1,\"a\":2}") }
        for depth in [31, 32, 33, 40] {
            let objects =
                String(repeating: "{\"a\":", count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
            let arrays = String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1)
            texts += [objects, "{\"a\":" + arrays + "}"]
        }
        // Each prefix of the payload, and the payload with each byte replaced by a space.
        let bytes = Array(payload.utf8)
        var documents = texts.map { Array($0.utf8) }
        documents += (0..<bytes.count).map { Array(bytes[..<$0]) }
        documents += (0..<bytes.count).map { index in
            var spaced = bytes
            spaced[index] = UInt8(ascii: " ")
            return spaced
        }
        return documents
    }()

    /// What the compact scan accepts, the general scan accepts with the same view: members, the `context` object's
    /// members and offset, the claim names' members, the root, canonical and plain strings.
    @Test
    func compactScanRecordsWhatTheGeneralScanRecords() {
        var accepted = 0
        for document in Self.documents + Self.compactDocuments {
            let stringsEndAtQuotes = isPrintableASCIIWithoutBackslash(document.span)
            var members: [JSONBytesView.Member] = []
            var contextMembers: [JSONBytesView.Member] = []
            let general = CJSONScanner.generalScan(document, stringsEndAtQuotes: stringsEndAtQuotes)
            guard stringsEndAtQuotes,
                let compact = CompactJSONScan.view(of: document, members: &members, contextMembers: &contextMembers)
            else {
                #expect(members.isEmpty && contextMembers.isEmpty)
                continue
            }
            accepted += 1
            let shown = String(decoding: document.prefix(80), as: UTF8.self)
            guard let general else {
                Issue.record("compact accepts what the general scan refuses: \(shown)")
                continue
            }
            func fields(_ members: [JSONBytesView.Member]) -> [String] {
                members.map { "\($0.key) \($0.keyIsPlain) \($0.value) \($0.kind)" }
            }
            func claims(_ view: JSONBytesView) -> [Int32]? {
                view.claimMembers.map { claims in JSONBytesView.ClaimName.allCases.map { claims[$0.rawValue] } }
            }
            #expect(compact.bytes == general.bytes && compact.root == general.root, "\(shown)")
            #expect(compact.rootKind == general.rootKind && compact.isCanonical == general.isCanonical, "\(shown)")
            #expect(fields(compact.members) == fields(general.members), "\(shown)")
            #expect(fields(compact.contextMembers) == fields(general.contextMembers), "\(shown)")
            #expect(compact.contextStart == general.contextStart, "\(shown)")
            #expect(claims(compact) == claims(general), "\(shown)")
            #expect(compact.stringsArePlain == general.stringsArePlain, "\(shown)")
        }
        #expect(accepted >= 40)
    }

    @Test
    func compactPayloadIsCopiedAsItStandsAndOtherFormsAreRewritten() {
        let canonical = #"{"iss":"jitsi","aud":"jitsi","exp":1760003600,"n":-5,"z":0,"l":[],"o":{},"#
            + #""context":{"user":{"name":"Ada","moderator":true},"group":null}}"#
        let rewritten: [(String, String)] = [
            (#"{ "a" : 1 }"#, #"{"a":1}"#),
            (#"{"a":1.0,"b":-0,"c":1e3,"d":1234567890123456}"#, #"{"a":1,"b":0,"c":1000,"d":1234567890123456}"#),
            (#"{"a":"\u0041\/","b":"\u00e9"}"#, #"{"a":"A/","b":"é"}"#),
            (#"{"a":1,"b":2,"a":3}"#, #"{"a":3,"b":2}"#),
            (#"{"o":{"k":1,"k":2}}"#, #"{"o":{"k":2}}"#),
            ("{\"a\":\"\u{7F}\u{202E}\"}", #"{"a":"\u007F\u202E"}"#),
            (#"{"a":1e999,"b":nan}"#, #"{"a":null,"b":null}"#),
        ]
        let view = CJSONScanner.scan(Array(canonical.utf8))
        var copied: [UInt8] = []
        view?.appendJSONText(to: &copied)
        #expect(view?.isCanonical == true)
        #expect(String(decoding: copied, as: UTF8.self) == canonical)
        for (text, expected) in rewritten {
            let view = CJSONScanner.scan(Array(text.utf8))
            var written: [UInt8] = []
            view?.appendJSONText(to: &written)
            #expect(view?.isCanonical == false, "\(text)")
            #expect(String(decoding: written, as: UTF8.self) == expected, "\(text)")
        }
    }

    @Test
    func membersAreFoundByTheirDecodedKeyAndTheLastRepeatWins() {
        let text = #"{"sub":"first","\u0073ub":"escaped","room":"r","sub":"last","context":{"tenant":"T"}}"#
        guard let view = CJSONScanner.scan(Array(text.utf8)) else {
            Issue.record("not accepted")
            return
        }
        #expect(view.members.count == 5)
        #expect(view.member("sub").map(view.value(of:)) == .string("last"))
        #expect(view.member("room").map { view.isString($0, equalTo: "r") } == true)
        #expect(view.member("room").map { view.isString($0, equalTo: "R") } == false)
        let context = view.member("context").map(view.view(of:))
        #expect(context.flatMap { context in context.member("tenant").map(context.value(of:)) } == .string("T"))
        #expect(view.member("missing") == nil)
    }

    /// The claim names found during the scan name the member a lookup by decoded key finds, whatever the keys.
    @Test
    func claimNamesFoundInTheScanAreTheMembersTheirKeysDecodeTo() {
        let claims = [
            #"{"iss":"a","aud":"b","exp":1,"nbf":2,"iat":3,"room":"r","sub":"s","context":{},"typ":"JWT","alg":"x"}"#,
            #"{"sub":"first","room":"r","sub":"last"}"#, #"{"\u0073ub":"escaped","sub":"plain"}"#,
            #"{"sub":"plain","\u0073ub":"escaped"}"#, #"{"subs":1,"su":2,"Sub":3,"contexts":4,"":5}"#,
            "{\"s\u{e9}\":1,\"sub\":2}", #"[{"sub":1}]"#, #"{"a":{"sub":"nested"}}"#, #"{"room":{"sub":1}}"#,
        ]
        var checked = 0
        for document in Self.documents + claims.map({ Array($0.utf8) }) {
            guard let view = CJSONScanner.scan(document) else { continue }
            for name in JSONBytesView.ClaimName.allCases {
                #expect(
                    view.member(name)?.value == view.member(name.text)?.value,
                    "\(name) in \(String(decoding: document, as: UTF8.self))")
                checked += view.member(name) == nil ? 0 : 1
            }
        }
        #expect(checked >= 16)
        for name in JSONBytesView.ClaimName.allCases {
            let text = Array(name.text.utf8)
            #expect(JSONBytesView.ClaimName.named(text.span, text.indices) == name)
            #expect(JSONBytesView.ClaimName.named((text + [0x41]).span, 0..<text.count + 1) == nil)
        }
        let plain = CJSONScanner.scan(Array(claims[0].utf8))
        #expect(plain?.claimMembers != nil)
        #expect(CJSONScanner.scan(Array(claims[2].utf8))?.claimMembers == nil)
    }

    @Test(arguments: [
        (#"{"context":{"tenant":"A"},"context":{"group":"g","tenant":"B"}}"#, "B"),
        (#"{"\u0063ontext":{"user":{"tenant":"no"},"tenant":"E"}}"#, "E"),
        (#"{"context":{"tenant":"A","tenant":"C"},"x":{"tenant":"X"}}"#, "C"),
        (#"{"context":{"tenant":"A"},"context":[{"tenant":"array"}]}"#, "none"),
    ])
    func contextMembersAreThoseOfTheLastContextObject(text: String, tenant: String) {
        guard let view = CJSONScanner.scan(Array(text.utf8)), let context = view.member("context") else {
            Issue.record("not accepted")
            return
        }
        let contextView = view.view(of: context)
        let found = contextView.member("tenant").map(contextView.value(of:))?.stringValue ?? "none"
        #expect(found == tenant)
        let decoded = CJSONDecoder.decode(Array(text.utf8))?["context"]?["tenant"]
        #expect(contextView.member("tenant").map(contextView.value(of:)) == decoded)
    }

    /// The eight-bytes-a-step string run against a byte loop: every stop byte at every offset of the first words,
    /// with a control, DEL or non-ASCII byte before or after it.
    @Test
    func stringRunsEndAndClassifyAsAByteLoopDoes() {
        func byteLoop(_ bytes: [UInt8], from start: Int) -> (Int, UInt8) {
            var seen: UInt8 = 0
            for index in start..<bytes.count {
                let byte = bytes[index]
                if byte == 0x22 || byte == 0x5C || byte == 0 { return (index, seen) }
                seen |= (byte & 0x80) | (byte < 0x20 || byte == 0x7F ? 1 : 0)
            }
            return (bytes.count, seen)
        }
        for length in 0..<20 {
            for stopAt in 0...length {
                for stop: UInt8 in [0x22, 0x5C, 0x00] {
                    for odd: UInt8 in [0x41, 0x01, 0x1F, 0x7F, 0x80, 0xC3, 0xFF] {
                        for oddAt in 0..<max(length, 1) {
                            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                            if oddAt < length { bytes[oddAt] = odd }
                            if stopAt < length { bytes[stopAt] = stop }
                            for start in [0, min(1, length)] {
                                let expected = byteLoop(bytes, from: start)
                                // Also as a line in a chunk: the bytes after the limit are not read.
                                for ours in [
                                    jsonStringRunEnd(bytes, from: start, to: bytes.count),
                                    jsonStringRunEnd(bytes + Array("\u{1}bc\"".utf8), from: start, to: bytes.count),
                                ] {
                                    #expect(ours.end == expected.0 && ours.seen == expected.1, "\(bytes) from \(start)")
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
