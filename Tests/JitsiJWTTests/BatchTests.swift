import ArgumentParser
import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

#if canImport(Glibc)
    import Glibc
#endif

/// `mint --batch`: JSON Lines in, one record per non-empty line out, in input order.
struct BatchTests {
    static let input = """
        {"room":"weekly-sync","name":"Ada","moderator":true}

        not json
        {"room":"Board Room","ttl":"90m","features":{"recording":true},"claims":{"group":"eng"}}
        {"tenant":"acme"}
        {"room":"x","colour":"blue"}
        [1]
           \r
        {"room":"*","ttl":0}
        {"room":"*","user_id":"u-9"}
        {"room":"standup","tenant":"acme","ttl":60}
        """

    /// The record lines with each token replaced by `TOKEN`, and the tokens by line number.
    static func split(_ stdout: String) throws -> (template: String, tokens: [Int: String]) {
        var tokens: [Int: String] = [:]
        var template = ""
        for line in stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let record = try parseJSON(String(line))
            if let token = record["token"]?.stringValue, case .integer(let number)? = record["line"] {
                tokens[Int(number)] = token
                template += line.replacing(token, with: "TOKEN") + "\n"
            } else {
                template += line + "\n"
            }
        }
        return (template, tokens)
    }

    @Test func goodBadAndEmptyLines() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("requests.jsonl", Self.input)
        let result = execute(["mint", "--config", Repository.debian, "--batch", file])
        #expect(result.status == 1, "\(result)")
        let (template, tokens) = try Self.split(result.stdout)
        #expect(
            template == """
                {"line":1,"token":"TOKEN","url":"https://meet.example.com/weekly-sync?jwt=TOKEN"}
                {"line":3,"error":"the line is not valid JSON"}
                {"line":4,"token":"TOKEN","url":"https://meet.example.com/board%20room?jwt=TOKEN"}
                {"line":5,"error":"the server requires a room claim (asap_require_room_claim); give a room or \\"*\\""}
                {"line":6,"error":"unknown field \\"colour\\" (known: room, tenant, name, email, avatar, user_id, moderator, affiliation, ttl, exp, nbf, features, claims, context)"}
                {"line":7,"error":"the line is not a JSON object"}
                {"line":9,"error":"the lifetime must be positive (got 0 s); the server allows no leeway"}
                {"line":10,"token":"TOKEN","url":null}
                {"line":11,"token":"TOKEN","url":"https://meet.example.com/acme/standup?jwt=TOKEN"}

                """)
        #expect(
            result.stderr == """
                warning: moderator/affiliation claims are ignored unless an affiliation plugin such as \
                token_affiliation is loaded; without one the first participant (or everyone, with \
                muc_allowners/wait_for_host) becomes moderator (first on line 1)
                warning: room "*" grants every room: the token opens any meeting on this host (first on line 10)
                jitsi-jwt: 11 lines: 4 minted, 5 failed, 2 empty skipped

                """)
        expectNoSecrets(result)

        let one = try payload(of: try #require(tokens[1]))
        #expect(one["context"] == ["user": ["name": "Ada", "moderator": true]])
        #expect(one["exp"] == .integer(fixedTime + 7200))
        let four = try payload(of: try #require(tokens[4]))
        #expect(four["exp"] == .integer(fixedTime + 5400))
        #expect(four["room"] == "board%20room")
        #expect(four["group"] == "eng")
        #expect(four["context"] == ["features": ["recording": true]])
        #expect(try payload(of: try #require(tokens[11]))["sub"] == "acme")

        let opened: [(line: Int, room: String, tenant: String?)] = [
            (1, "weekly-sync", nil), (4, "Board Room", nil), (10, "anything", nil), (11, "standup", "acme"),
        ]
        for (line, room, tenant) in opened {
            let token = try #require(tokens[line])
            let verified = execute(
                ["verify", "--config", Repository.debian, "--room", room] + (tenant.map { ["--tenant", $0] } ?? [])
                    + [token])
            #expect(verified == CommandResult(status: 0, stdout: "accepted\n", stderr: ""), "line \(line)")
        }
    }

    @Test func standardInputAndDefaultsFromOptions() throws {
        let result = execute(
            [
                "mint", "--config", Repository.docker, "--batch", "-", "--ttl", "10m", "--feature", "recording",
                "--public-host", "meet.example.org",
            ],
            stdin: "{\"room\":\"a\"}\n{\"room\":\"b\",\"ttl\":30,\"features\":{\"recording\":false}}\n")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "jitsi-jwt: 2 lines: 2 minted, 0 failed, 0 empty skipped\n")
        let (template, tokens) = try Self.split(result.stdout)
        #expect(
            template == """
                {"line":1,"token":"TOKEN","url":"https://meet.example.org/a?jwt=TOKEN"}
                {"line":2,"token":"TOKEN","url":"https://meet.example.org/b?jwt=TOKEN"}

                """)
        let first = try payload(of: try #require(tokens[1]))
        #expect(first["exp"] == .integer(fixedTime + 600))
        #expect(first["context"] == ["features": ["recording": true]])
        let second = try payload(of: try #require(tokens[2]))
        #expect(second["exp"] == .integer(fixedTime + 30))
        #expect(second["context"] == ["features": ["recording": false]])
    }

    @Test func emptyInputMintsNothingAndSucceeds() {
        let result = execute(["mint", "--config", Repository.debian, "--batch", "-"], stdin: "\n\n")
        #expect(
            result
                == CommandResult(
                    status: 0, stdout: "", stderr: "jitsi-jwt: 2 lines: 0 minted, 0 failed, 2 empty skipped\n"))
    }

    @Test func aByteOrderMarkBeforeTheFirstLineIsIgnored() throws {
        let result = execute(
            ["mint", "--config", Repository.debian, "--batch", "-"], stdin: "\u{FEFF}{\"room\":\"a\"}\r\n\u{FEFF}\r\n")
        #expect(result.status == 1)
        let (template, _) = try Self.split(result.stdout)
        #expect(
            template == """
                {"line":1,"token":"TOKEN","url":"https://meet.example.com/a?jwt=TOKEN"}
                {"line":2,"error":"the line is not valid JSON"}

                """)
    }

    @Test func anUnreadableBatchFileIsAUsageError() {
        let result = execute(["mint", "--config", Repository.debian, "--batch", "/nonexistent/requests.jsonl"])
        #expect(
            result
                == CommandResult(
                    status: 2, stdout: "", stderr: "/nonexistent/requests.jsonl: No such file or directory\n"))
    }

    @Test func serverLevelRefusalsStopBeforeTheFirstLine() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "prosody.cfg.lua",
            """
            VirtualHost "meet.example.com"
                authentication = "token"
                app_id = "x"
                app_secret = "y"
                signature_algorithm = "ES256"
            """)
        let result = execute(["mint", "--config", config, "--batch", "-"], stdin: "{\"room\":\"a\"}\n")
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("refused: the server's signature_algorithm \"ES256\" is not supported"))
    }

    /// More lines than one chunk (4096), so several chunks and many parallel slices: every record is in order and
    /// every token opens its own room.
    @Test func manyLinesStayInOrderAndAllVerify() throws {
        let count = 10_000
        var input = ""
        for index in 1...count { input += "{\"room\":\"room-\(index)\",\"user_id\":\"u\(index)\"}\n" }
        let result = execute(["mint", "--config", Repository.multihost, "--host", "video.brand-a.example",
                              "--batch", "-"], stdin: input)
        #expect(result.status == 0)
        #expect(result.stderr == "jitsi-jwt: \(count) lines: \(count) minted, 0 failed, 0 empty skipped\n")
        let rules = try TokenServerOptions.parse(
            ["--config", Repository.multihost, "--host", "video.brand-a.example"]).rules().rules
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == count)
        var failures = 0
        for (offset, line) in lines.enumerated() {
            let record = try parseJSON(String(line))
            guard record["line"] == .integer(Int64(offset + 1)), let token = record["token"]?.stringValue else {
                failures += 1
                continue
            }
            let verdict = verify(
                token: token, rules: rules, room: "room-\(offset + 1)", tenant: nil, now: Double(fixedTime))
            if !verdict.accepted || record["url"]?.stringValue?.hasSuffix(token) != true { failures += 1 }
        }
        #expect(failures == 0)
    }
}

/// ``LineReader`` over a real descriptor, with blocks smaller than some lines.
struct LineReaderTests {
    func lines(_ text: String, maximumLength: Int) throws -> [String] {
        let directory = try TemporaryDirectory()
        let path = try directory.write("input", text)
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        var reader = LineReader(descriptor: descriptor, maximumLength: maximumLength)
        var result: [String] = []
        // Every line read into one buffer, as a batch chunk keeps them; each line's range must follow the one before.
        var buffer = LineReader.Buffer()
        var end = 0
        while let line = try reader.next(in: &buffer) {
            switch line {
            case .text(let range):
                #expect(range.lowerBound >= end)
                end = range.upperBound
                result.append(String(decoding: buffer.bytes[range], as: UTF8.self))
            case .tooLong: result.append("<too long>")
            }
        }
        return result
    }

    @Test func splitsOnNewlinesAndDropsCarriageReturns() throws {
        #expect(try lines("a\r\nb\n\nc", maximumLength: 100) == ["a", "b", "", "c"])
        #expect(try lines("a\n", maximumLength: 100) == ["a"])
        #expect(try lines("", maximumLength: 100) == [])
    }

    @Test func skipsOverLongLinesWhole() throws {
        let long = String(repeating: "x", count: 200_000)
        #expect(try lines("a\n\(long)\nb\n\(long)", maximumLength: 1000) == ["a", "<too long>", "b", "<too long>"])
        #expect(try lines("\(long)\n\(long)\nc", maximumLength: 150_000) == ["<too long>", "<too long>", "c"])
        let fits = String(repeating: "y", count: 150_000)
        #expect(try lines("\(fits)\nd", maximumLength: 150_000) == [fits, "d"])
    }
}
