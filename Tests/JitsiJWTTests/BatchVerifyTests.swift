import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

/// `verify --batch`: tokens (bare, join URLs or JSON objects) in, one verdict record per non-empty line out, in
/// input order.
struct BatchVerifyTests {
    /// The token `mint` prints for these arguments (on the Debian fixture).
    static func minted(_ arguments: [String]) throws -> String {
        let result = execute(["mint", "--config", Repository.debian] + arguments)
        guard result.status == 0 else { throw TestFailure(description: "mint failed: \(result)") }
        return String(result.stdout.dropLast())
    }

    /// The record `verify --format json` prints for one token, with `"line":N` put first: what a batch line
    /// must print.
    static func single(_ arguments: [String], line: Int) -> String {
        let result = execute(["verify", "--config", Repository.debian, "--format", "json"] + arguments)
        return "{\"line\":\(line)," + result.stdout.dropFirst()
    }

    @Test func acceptedRefusedAndBadLinesEachGetTheirRecordInOrder() throws {
        let weekly = try Self.minted(["--room", "weekly-sync", "--name", "Ada"])
        let acme = try Self.minted(["--room", "standup", "--tenant", "acme"])
        let input = """
            \(weekly)
            {"token":"\(weekly)","room":"other"}

            not json but not a token either
            {"token":"\(acme)","room":"standup","tenant":"acme"}
            {"token": 5}
            {"room":"x"}
            {"token":"\(weekly)","colour":"blue"}
            {"token":
            https://meet.example.com/acme/standup?jwt=\(acme)
            [1]
            {"token":null,"room":"weekly-sync"}
            """
        let directory = try TemporaryDirectory()
        let file = try directory.write("tokens.jsonl", input)
        let result = execute(["verify", "--config", Repository.debian, "--room", "weekly-sync", "--batch", file])
        #expect(result.status == 1, "\(result)")
        let expected = [
            Self.single(["--room", "weekly-sync", weekly], line: 1),
            Self.single(["--room", "other", weekly], line: 2),
            Self.single(["--room", "weekly-sync", "not json but not a token either"], line: 4),
            Self.single(["--room", "standup", "--tenant", "acme", acme], line: 5),
            "{\"line\":6,\"error\":\"\\\"token\\\" must be a string\"}\n",
            "{\"line\":7,\"error\":\"the line has no \\\"token\\\"\"}\n",
            "{\"line\":8,\"error\":\"unknown field \\\"colour\\\" (known: token, room, tenant)\"}\n",
            "{\"line\":9,\"error\":\"the line is not valid JSON\"}\n",
            Self.single(["https://meet.example.com/acme/standup?jwt=\(acme)"], line: 10),
            Self.single(["--room", "weekly-sync", "[1]"], line: 11),
            Self.single(["--room", "weekly-sync", ""], line: 12),
        ].joined()
        #expect(result.stdout == expected)
        #expect(result.stderr == "jitsi-jwt: 12 lines: 3 accepted, 4 refused, 4 failed, 1 empty skipped\n")
        expectNoSecrets(result)

        // What those records say, spelled out for a few lines.
        let records = try result.stdout.split(separator: "\n").map { try parseJSON(String($0)) }
        #expect(
            records.map { $0["accepted"] == .bool(true) }
                == [true, false, false, true, false, false, false, false, true, false, false])
        #expect(records.map { $0["error"] != nil } == Array(repeating: false, count: 4) + Array(repeating: true, count: 4) + Array(repeating: false, count: 3))
        #expect(records[1]["reason"] == "Room and token mismatched")
        #expect(records[2]["reason"] == "Invalid token")
        #expect(records[3]["claims"]?["sub"] == "acme")
        #expect(records[10]["reason"] == "token required")
    }

    @Test func standardInputWithTheRoomFromTheOptionAndEveryTokenAccepted() throws {
        let token = try Self.minted(["--room", "weekly-sync"])
        let result = execute(
            ["verify", "--config", Repository.debian, "--room", "weekly-sync", "--batch", "-"],
            stdin: "\u{FEFF}\(token)\r\nBearer \(token)\n")
        #expect(result.status == 0, "\(result)")
        #expect(
            result.stdout
                == Self.single(["--room", "weekly-sync", token], line: 1)
                + Self.single(["--room", "weekly-sync", token], line: 2))
        #expect(result.stderr == "jitsi-jwt: 2 lines: 2 accepted, 0 refused, 0 failed, 0 empty skipped\n")
    }

    @Test func aLineWithoutAnyRoomIsAnErrorRecord() throws {
        let token = try Self.minted(["--room", "weekly-sync"])
        let result = execute(["verify", "--config", Repository.debian, "--batch", "-"], stdin: token + "\n")
        #expect(
            result
                == CommandResult(
                    status: 1,
                    stdout: "{\"line\":1,\"error\":\"no room: give \\\"room\\\" on the line, --room, or the token "
                        + "as a join URL\"}\n",
                    stderr: "jitsi-jwt: 1 lines: 0 accepted, 0 refused, 1 failed, 0 empty skipped\n"))
    }

    @Test func emptyInputVerifiesNothingAndSucceeds() {
        let result = execute(["verify", "--config", Repository.debian, "--batch", "-"], stdin: "\n \n")
        #expect(
            result
                == CommandResult(
                    status: 0, stdout: "", stderr: "jitsi-jwt: 2 lines: 0 accepted, 0 refused, 0 failed, 2 empty skipped\n"))
    }

    @Test func usageAndInputErrorsExitTwo() throws {
        let missing = execute(["verify", "--config", Repository.debian, "--batch", "/nonexistent/tokens.jsonl"])
        #expect(
            missing
                == CommandResult(status: 2, stdout: "", stderr: "/nonexistent/tokens.jsonl: No such file or directory\n"))
        let both = execute(["verify", "--config", Repository.debian, "--batch", "-", "eyJ.e30.x"])
        #expect(both.status == 2)
        #expect(both.stdout == "")
        #expect(both.stderr.contains("--batch reads the tokens from -: give no token argument"))
        let stdinTwice = execute(
            ["verify", "--config", Repository.debian, "--secret-file", "-", "--batch", "-"])
        #expect(stdinTwice.status == 2)
        #expect(stdinTwice.stderr.contains("--secret-file - and --batch - both want stdin: give one of them a file"))
    }

    /// More lines than one chunk (4096), so several chunks and many parallel slices: every record is the one its
    /// own line gets, in order.
    @Test func manyLinesStayInOrder() throws {
        let count = 9_000
        var requests = ""
        for index in 1...count { requests += "{\"room\":\"*\",\"user_id\":\"u\(index)\"}\n" }
        let minted = execute(["mint", "--config", Repository.debian, "--batch", "-"], stdin: requests)
        #expect(minted.status == 0)
        let tokens = try minted.stdout.split(separator: "\n").map {
            try #require(try parseJSON(String($0))["token"]?.stringValue)
        }
        #expect(tokens.count == count)
        // Every fifth line is not a token (in the room of --room); the others are tokens for any room, each for a
        // user of its own.
        var input = ""
        for (offset, token) in tokens.enumerated() {
            input += offset % 5 == 4 ? "garbage\n" : "{\"token\":\"\(token)\",\"room\":\"meeting\"}\n"
        }
        let result = execute(
            ["verify", "--config", Repository.debian, "--room", "meeting", "--batch", "-"], stdin: input)
        #expect(result.status == 1)
        let refused = count / 5
        #expect(
            result.stderr
                == "jitsi-jwt: \(count) lines: \(count - refused) accepted, \(refused) refused, 0 failed, 0 empty skipped\n")
        // The records of the first accepted and the first refused line, with what differs per line as a template.
        let acceptedTemplate = Self.single(["--room", "meeting", tokens[0]], line: 1)
            .replacing("\"u1\"", with: "\"USER\"").replacing("{\"line\":1,", with: "")
        let refusedTemplate = Self.single(["--room", "meeting", "garbage"], line: 5).replacing("{\"line\":5,", with: "")
        var expected = ""
        for offset in 0..<count {
            expected += "{\"line\":\(offset + 1),"
            expected += offset % 5 == 4
                ? refusedTemplate : acceptedTemplate.replacing("\"USER\"", with: "\"u\(offset + 1)\"")
        }
        #expect(result.stdout == expected)
    }
}

/// ``TokenInput/parse(_:)``: white space, `Bearer ` and join URLs, for ASCII text (read on its bytes) and other
/// text (read by Characters) alike.
struct TokenInputTests {
    @Test func whiteSpaceAndBearerPrefixesAreDroppedWhateverTheText() throws {
        #expect(try TokenInput.parse(" \t Bearer  abc.def.ghi \r\n") == TokenInput(token: "abc.def.ghi"))
        #expect(try TokenInput.parse("BEARER x") == TokenInput(token: "x"))
        #expect(try TokenInput.parse("\u{0B}\u{0C}x\u{0D}") == TokenInput(token: "x"))
        #expect(try TokenInput.parse("\u{00A0}bearer abc\u{2003}") == TokenInput(token: "abc"))
        #expect(try TokenInput.parse("\u{3000}Bearer \u{00A0}é.x\n") == TokenInput(token: "é.x"))
        // Not a prefix: nothing after it, a tab instead of the space, or a control character that is not space.
        #expect(try TokenInput.parse("Bearer ") == TokenInput(token: "Bearer"))
        #expect(try TokenInput.parse("bearer\tx") == TokenInput(token: "bearer\tx"))
        #expect(try TokenInput.parse("\u{1F}x") == TokenInput(token: "\u{1F}x"))
        #expect(try TokenInput.parse("   ") == TokenInput(token: ""))
    }

    /// What `verify --batch` takes without parsing is what the parser gives back unchanged, with no URL parts.
    @Test func bareTokensAreExactlyTheTextsTheParserLeavesAsTheyAre() throws {
        let texts = [
            "abc.def.ghi", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "a-b_c~!$%&'()*+,;=@[]^`{|}", "x", "",
            " a", "a ", "a\tb", "Bearer a", "bearer\u{0B}a", "a?b", "a#b", "a:b", "a://b", "é", "a\u{7F}", "\u{1F}",
            "https://h/r?jwt=a", "BEARER\u{00A0}x",
        ]
        var bare = 0
        for text in texts {
            let bytes = Array(text.utf8)[...]
            guard TokenInput.isBareToken(bytes) else { continue }
            bare += 1
            #expect(try TokenInput.parse(text) == TokenInput(token: text), "\(text)")
        }
        #expect(bare == 5)
        for text in [" a", "a ", "Bearer a", "a?b", "a#b", "a:b", "é", "a\u{7F}", "\u{1F}"] {
            #expect(!TokenInput.isBareToken(Array(text.utf8)[...]), "\(text)")
        }
    }

    @Test func aURLIsRecognisedByItsSchemeQueryOrFragment() throws {
        #expect(
            try TokenInput.parse("https://meet.example.com/acme/r?jwt=abc")
                == TokenInput(token: "abc", host: "meet.example.com", tenant: "acme", room: "r"))
        #expect(try TokenInput.parse("/r#jwt=a%2Eb") == TokenInput(token: "a.b", room: "r"))
        #expect(try TokenInput.parse("a:/b") == TokenInput(token: "a:/b"))
        #expect(throws: TokenInput.Failure.self) { try TokenInput.parse("x://host/room") }
    }
}
