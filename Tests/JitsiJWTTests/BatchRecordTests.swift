import JitsiDeployment
import JitsiToken
import Testing

@testable import jitsi_jwt

/// `verify --batch`'s byte paths give what the tree paths give: each record byte for byte as
/// `VerifyCommand.json(…).jsonText`, each common JSON line read as the full parser reads it.
struct BatchRecordTests {
    static let awkward = [
        "", "plain", "quote \" and backslash \\", "line\nfeed\rreturn\ttab", "\u{0}\u{1F}", "DEL \u{7F}",
        "C1 \u{85}\u{9B}", "bidi \u{202E}evil\u{2066}", "separators \u{2028}\u{2029}", "é ß 日本 🎉", "</script>",
    ]

    /// Verdicts of every shape: accepted, refused at each stage with and without code, hints and claims with
    /// escapes and non-ASCII text, internal errors.
    static var handmadeVerdicts: [Verdict] {
        var verdicts = [
            Verdict(accepted: true),
            Verdict(accepted: true, claims: ["room": "*", "context": ["user": ["name": "Ada"]]]),
            Verdict(accepted: false, stage: .connect, condition: "not-authorized", reason: "Invalid token"),
            Verdict(
                accepted: false, stage: .join, condition: "not-allowed", code: "room-mismatch",
                reason: "Room and token mismatched", hints: ["the token is for room \"a\"", "give --room a"],
                claims: ["room": "a", "exp": 1.5e9, "nbf": 17, "aud": ["x", nil, true, false, 0.25]]),
            Verdict(accepted: false, stage: .connect, condition: "internal-error", reason: "attempt to index nil"),
            Verdict(accepted: false, stage: .connect, condition: "module-not-loaded", hints: []),
        ]
        for text in awkward {
            verdicts.append(
                Verdict(
                    accepted: false, stage: .join, condition: text, code: text, reason: text, hints: [text, text],
                    claims: [text: .string(text), "nested": [.string(text), [text: .integer(-3)]]]))
        }
        return verdicts
    }

    /// Real verdicts: tokens signed with claims that pass, fail each check, or carry awkward text.
    static func realVerdicts() throws -> [Verdict] {
        let secret = "batch-record-secret"
        // Without muc_mapper_domain_base every join is refused; with it, the tokens that pass are accepted.
        let verifiers = [nil, "meet.example.com"].map { base in
            TokenVerifier(
                rules: ServerRules(
                    xmppDomain: "meet.example.com", appID: "app", key: .hmac(Secret(secret)), mucMapperDomainBase: base))
        }
        let signer = try TokenSigner(algorithm: .hs256, key: .hmac(Secret(secret)))
        let base: [(String, JSONValue)] = [
            ("iss", "app"), ("aud", "jitsi"), ("sub", "meet.example.com"), ("room", "standup"), ("exp", 2_000_000_000),
        ]
        var payloads: [JSONValue] = [.object(JSONObject(base))]
        for index in base.indices { payloads.append(.object(JSONObject(base.enumerated().filter { $0.offset != index }.map(\.element)))) }
        for text in awkward {
            payloads.append(.object(JSONObject(base.map { ($0.0, $0.0 == "exp" ? $0.1 : .string(text)) })))
            payloads.append(.object(JSONObject(base + [("context", ["user": ["name": .string(text)]])])))
        }
        var verdicts: [Verdict] = []
        for (verifier, payload) in verifiers.flatMap({ verifier in payloads.map { (verifier, $0) } }) {
            let token = signer.sign(payload: payload)
            let bytes = Array(token.utf8)
            var storage = VerdictStorage()
            for room in ["standup", "other", "é \u{202E}"] {
                verdicts.append(verifier.verify(token: token, room: room, tenant: nil, now: 1_800_000_000))
                // As verify --batch verifies it: found split in the line, its payload read into the storage.
                if let split = CompactTokenSplit.scan(bytes, from: 0, to: bytes.count).split {
                    verdicts.append(
                        verifier.verify(
                            split: split, in: bytes, room: room, tenant: nil, now: 1_800_000_000, storage: &storage))
                }
            }
        }
        let verifier = verifiers[0]
        verdicts.append(verifier.verify(token: nil, room: "standup", tenant: nil, now: 0))
        verdicts.append(verifier.verify(token: "not.a.token", room: "standup", tenant: "acme", now: 0))
        verdicts.append(verifier.verify(token: "\u{7F}\"\\", room: "standup", tenant: nil, now: 0))
        return verdicts
    }

    static let eras = PluginEra.allCases.flatMap { era in
        [DetectedPluginEra(era: era, source: .file("/etc/prosody/\"é\u{202E}\".lua")), .overridden(era),
         DetectedPluginEra(era: era, source: .defaulted)]
    }

    @Test func everyVerdictRecordIsByteForByteTheTreeRecord() throws {
        let verdicts = try Self.handmadeVerdicts + Self.realVerdicts()
        var compared = 0
        // Records of accepted verdicts whose hint and claims are copies of their bytes, written in one piece.
        var writtenPlain = 0
        for era in Self.eras {
            for muc in ["conference.meet.example.com", "muc \"\u{85}\""] {
                let writer = VerdictRecordWriter(muc: muc, era: era)
                for (index, verdict) in verdicts.enumerated() {
                    let line = [1, 9, 10, 4096, Int(Int32.max) + 7][index % 5]
                    var bytes: [UInt8] = [0x41]
                    var written = verdict
                    writer.append(&written, line: line, to: &bytes)
                    if written.plainHintsAndClaimsBytes != nil { writtenPlain += 1 }
                    let expected = VerifyCommand.json(verdict, muc: muc, era: era, line: line).jsonText
                    #expect(String(decoding: bytes.dropFirst(), as: UTF8.self) == expected)
                    compared += 1
                }
            }
        }
        #expect(compared == verdicts.count * Self.eras.count * 2)
        #expect(writtenPlain > 0)
    }

    @Test func errorRecordsAreByteForByteTheTreeRecord() {
        for message in Self.awkward + ["unknown field \"x\" (known: token, room, tenant)"] {
            for line in [1, 12, 1_000_000] {
                var bytes: [UInt8] = []
                VerdictRecordWriter.appendError(message, line: line, to: &bytes)
                let tree = JSONValue.object(JSONObject([("line", .integer(Int64(line))), ("error", .string(message))]))
                #expect(String(decoding: bytes, as: UTF8.self) == tree.jsonText)
            }
        }
    }

    /// Lines the byte reader takes: the same request as the full parser's.
    @Test func commonJSONLinesReadOnBytesAsTheParserReadsThem() throws {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiKiJ9.c2lnbmF0dXJl"
        var lines: [String] = []
        let fields = [("token", token), ("room", "room-7"), ("tenant", "acme"), ("token", ""), ("room", " a b/c~ ")]
        for first in fields.indices {
            for second in fields.indices where second != first {
                for third in fields.indices where third != first && third != second {
                    for (open, colon, comma) in [("", ":", ","), ("  ", " : ", " ,\t"), ("\t", ":  ", ", ")] {
                        let chosen = [fields[first], fields[second], fields[third]]
                        lines.append(
                            open + "{" + open
                                + chosen.map { "\"\($0.0)\"\(colon)\"\($0.1)\"" }.joined(separator: comma)
                                + open + "}" + open)
                        lines.append("{\"\(chosen[0].0)\"\(colon)\"\(chosen[0].1)\"}")
                    }
                }
            }
        }
        var taken = 0
        for line in lines {
            let bytes = Array(line.utf8)
            let parsed: BatchVerify.Request? = try? BatchVerify.parsedRequest(bytes[...])
            let plain = BatchVerify.plainRequest(bytes, line: bytes.indices)
            // The line in a chunk, between lines whose bytes would change its request if they were read.
            let before = Array("{\"token\":\"a.b.c\"}\n".utf8)
            let chunk = before + bytes + Array("\"x.y\",\"room\":\"r\"}\n".utf8)
            var inChunk = BatchVerify.plainRequest(chunk, line: before.count..<before.count + bytes.count)
            let shifted = plain?.split.map { split in
                split.token.lowerBound + before.count..<split.token.upperBound + before.count
            }
            #expect(inChunk?.split?.token == shifted, "\(line)")
            if let split = inChunk?.split {
                #expect(inChunk?.token == nil, "\(line)")
                inChunk?.token = chunk[split.token]
            }
            inChunk?.split = nil
            if var plain {
                taken += 1
                // The split, found on the line's bytes only, is the token's own.
                if let split = plain.split {
                    #expect(plain.token == nil, "\(line)")
                    let alone = Array(bytes[split.token])
                    #expect(CompactTokenSplit.scan(alone, from: 0, to: alone.count).split != nil, "\(line)")
                    // The token as the full parser reads it.
                    plain.token = bytes[split.token]
                }
                #expect(plain.split != nil || plain.token?.isEmpty == true, "\(line)")
                plain.split = nil
                #expect(plain == parsed, "\(line)")
                #expect(inChunk == plain, "\(line)")
            } else {
                #expect(inChunk == nil, "\(line)")
                // Duplicate fields or no token: only the full parser reads these.
                let names = line.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 4 == 1 }.map(\.element)
                #expect(Set(names).count < names.count || !names.contains("token"), "\(line)")
            }
        }
        #expect(taken > lines.count / 3)
    }

    /// Lines of exactly `{"token":"…","room":"…"}`, read by words, and every line one byte away from one: where the
    /// word reader takes a line, it reads the request the field-by-field reader reads; it reads nothing past the
    /// line's end in its chunk.
    @Test func compactLinesReadOnWordsAsTheFieldReaderReadsThem() {
        let compact = [
            #"{"token":"eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiKiJ9.c2lnbmF0dXJl","room":"room-7"}"#,
            #"{"token":"a.b.c","room":""}"#, #"{"token":"..","room":"r"}  "#, "{\"token\":\"a.b.c\",\"room\":\"x y\"}\t",
        ]
        var lines = compact
        let replacements = Array("\"\\ },.x:{\u{7F}\t".utf8) + [0xC3, 0x00]
        for line in compact {
            let bytes = Array(line.utf8)
            for offset in bytes.indices {
                for byte in replacements {
                    var changed = bytes
                    changed[offset] = byte
                    lines.append(String(decoding: changed, as: UTF8.self))
                }
                var removed = bytes
                removed.remove(at: offset)
                lines.append(String(decoding: removed, as: UTF8.self))
                var doubled = bytes
                doubled.insert(bytes[offset], at: offset)
                lines.append(String(decoding: doubled, as: UTF8.self))
            }
        }
        var taken = 0
        for line in lines {
            let bytes = Array(line.utf8)
            let words = BatchVerify.compactRequest(bytes, line: bytes.indices)
            // In a chunk whose next bytes would complete a line cut short.
            let chunk = bytes + Array("\",\"room\":\"r\"}\n".utf8)
            let inChunk = BatchVerify.compactRequest(chunk, line: bytes.indices)
            #expect(inChunk == words, "\(line)")
            guard let words else { continue }
            taken += 1
            #expect(words == BatchVerify.plainRequest(bytes, line: bytes.indices), "\(line)")
        }
        #expect(taken >= compact.count)
        #expect(taken < lines.count / 4)
        // The words it compares are the texts'.
        func word(_ text: String) -> UInt64 { text.utf8.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        #expect(BatchVerify.tokenKeyWord == word(#"{"token""#))
        #expect(BatchVerify.roomKeyWord == word(#"","room""#))
    }

    /// Lines of any other shape fall back to the full parser: the same request or the same error as before.
    @Test func unusualJSONLinesFallBackToTheFullParser() {
        let lines = [
            #"{}"#, #"{"token":null}"#, #"{"token":5}"#, #"{"token":"a\"b"}"#, #"{"token":"a\u0041"}"#,
            #"{"token":"é"}"#, "{\"token\":\"a\u{7F}\"}", #"{"token":"a","colour":"blue"}"#,
            #"{"token":"a","token":"b"}"#, #"{"room":"x"}"#, #"{"token":"a"} x"#, #"{"token":"a",}"#,
            #"{"token":"a""#, #"{"token" "a"}"#, "{\"token\":\"a\"}\r", "{\n\"token\":\"a\"}", #"{"token":"a","room":null}"#,
            #"{"tenant":"t","token":"a","room":"r","room":"s"}"#, #"{"token":["a"]}"#, #"{"#,
        ]
        for line in lines {
            let bytes = Array(line.utf8)
            #expect(BatchVerify.plainRequest(bytes, line: bytes.indices) == nil, "\(line)")
            let before = Result { () throws(BatchLineError) in try BatchVerify.parsedRequest(bytes[...]) }
            let now = Result { () throws(BatchLineError) in try BatchVerify.request(bytes.indices, in: bytes) }
            switch (before, now) {
            case (.success(let a), .success(let b)): #expect(a == b, "\(line)")
            case (.failure(let a), .failure(let b)): #expect(a.message == b.message, "\(line)")
            default: Issue.record("\(line): \(before) vs \(now)")
            }
        }
    }
}
