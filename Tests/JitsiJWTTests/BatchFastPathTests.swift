import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

/// `mint --batch` writes lines of the common shapes from their bytes (``BatchFastWriter``); its output must be the
/// full path's, byte for byte, whatever the line and the options.
struct BatchFastPathTests {
    /// Lines the scanner reads (`true`) or leaves to the full parser (`false`).
    static let lines: [(text: String, fast: Bool)] = [
        (#"{"room":"weekly-sync","name":"Ada","moderator":true}"#, true),
        (
            #"{"room":"Board-Room","name":"José Ünïcødé 日本 🎉","email":"a@b.example","avatar":"https://x.example/y.png","user_id":"u1","affiliation":"owner"}"#,
            true
        ),
        (#"{"room":"*","user_id":"u-9"}"#, true),
        (#"{"room":null,"name":"no room"}"#, true),
        (#"{"tenant":"Acme","room":"standup","ttl":60}"#, true),
        (#"{"tenant":null,"room":"UPPER.case_~x-1"}"#, true),
        (#"{"room":"a","features":{"recording":true,"livestreaming":false,"a":true,"Z":false}}"#, true),
        (#"{"room":"a","features":{}}"#, true),
        (#"{"room":"a","ttl":0}"#, true),
        (#"{"room":"a","name":""}"#, true),
        (#"{"room":"a","moderator":null,"name":null,"email":null}"#, true),
        (" \t{ \"room\" : \"spaced\" , \"email\" : \"x\" , \"moderator\" : false } ", true),
        (#"{}"#, true),
        (#"{"name":"only a name"}"#, true),
        (#"{"tenant":"*","room":"x"}"#, true),
        (#"{"room":"a","ttl":3600.0}"#, false),
        (#"{"room":"a","ttl":1e3}"#, false),
        (#"{"room":"a","ttl":-5}"#, false),
        (#"{"room":"a","ttl":"90m"}"#, false),
        (#"{"room":"a","ttl":99999999999999999999999}"#, false),
        (#"{"room":"a","name":"with \"quotes\" \\ and \n"}"#, false),
        (#"{"room":"a","name":"\u00e9\u2028"}"#, false),
        (#"{"room":"My Room"}"#, false),
        (#"{"room":"caf%C3%A9"}"#, false),
        (#"{"room":"Ünï"}"#, false),
        (#"{"room":""}"#, false),
        (#"{"room":"a","room":"b"}"#, false),
        (#"{"room":"a"} trailing"#, false),
        (#"{"room":"a",}"#, false),
        (#"{"room":"a","exp":1760003600}"#, false),
        (#"{"room":"a","claims":{"group":"eng"}}"#, false),
        (#"{"room":"a","context":{"user.lobby_bypass":true}}"#, false),
        (#"{"room":"a","features":{"recording":"yes"}}"#, false),
        (#"{"room":"a","features":{"x":true,"x":false}}"#, false),
        (#"{"room":"a","moderator":"yes"}"#, false),
        (#"{"room":7}"#, false),
        (#"{"room":"a","colour":"blue"}"#, false),
        (#"[1]"#, false),
        (#"not json"#, false),
    ]

    /// Each line three times, so that every shape is minted on the fast path after its first line.
    static let input = lines.flatMap { [$0.text, $0.text, $0.text] }.joined(separator: "\n") + "\n"

    static let optionSets: [[String]] = [
        ["--config", Repository.debian],
        [
            "--config", Repository.debian, "--room", "Default Room", "--tenant", "Dept", "--name", "Dëfault \"N\"",
            "--email", "d@example.org", "--feature", "recording", "--feature", "transcription", "--ttl", "10m",
        ],
        ["--config", Repository.docker, "--public-host", "meet.example.org", "--room", "*", "--user-id", "x"],
        ["--config", Repository.debian, "--claim", #"group="eng""#],
        ["--config", Repository.multihost, "--host", "video.brand-a.example"],
        [
            "--config", Repository.multihost, "--host", "partners.example.com", "--key-file",
            Repository.path("Fixtures/tokens/rfc7515-a2-private.pem"), "--kid", "partners/key-1",
        ],
    ]

    @Test func theScannerReadsTheCommonShapesAndLeavesTheRestToTheFullParser() {
        for line in Self.lines {
            var fields = BatchLineFields()
            #expect(BatchLineScanner(Array(line.text.utf8)).scan(into: &fields) == line.fast, "\(line.text)")
        }
    }

    /// The scanner reads strings eight bytes a step: a byte that sends the line to the full parser (an escape, a
    /// control character, DEL) or makes it non-ASCII is found at every offset of a word, and a plain run's end is
    /// its closing quote, whatever its length.
    @Test func theScannerFindsEveryStopByteAtEveryOffset() {
        let stops: [(bytes: [UInt8], fast: Bool)] = [
            ([], true), (Array("é".utf8), true), (Array(#"""#.utf8), false), ([0x09], false), ([0x00], false),
            ([0x1F], false), ([0x7F], false),
        ]
        for stop in stops {
            for before in 0...20 {
                let name = Array(repeating: UInt8(ascii: "a"), count: before) + stop.bytes + Array("bc".utf8)
                let line = Array(#"{"room":"r","name":""#.utf8) + name + Array(#"","email":"x"}"#.utf8)
                var fields = BatchLineFields()
                let fast = BatchLineScanner(line).scan(into: &fields)
                #expect(fast == stop.fast, "\(stop.bytes) after \(before) bytes")
                if fast, case .bytes(let range) = fields.name {
                    #expect(Array(line[range]) == name, "\(stop.bytes) after \(before) bytes")
                } else if fast {
                    Issue.record("no name read: \(stop.bytes) after \(before) bytes")
                }
            }
        }
    }

    /// Line numbers are written digit by digit without Strings; past eight digits the low eight keep their zeros.
    @Test func lineNumbersAreWrittenInDecimal() {
        for value in [0, 7, 10, 99, 4096, 99_999_999, 100_000_000, 100_000_007, 1_234_567_890_123, Int.max] {
            var bytes: [UInt8] = []
            bytes.append(addingCapacity: 20) { BatchFastWriter.appendDecimal(value, to: &$0) }
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
    }

    @Test(arguments: optionSets)
    func theFastPathWritesTheFullPathsRecordsWarningsAndSummary(options: [String]) {
        let arguments = ["mint"] + options + ["--batch", "-"]
        let fast = execute(arguments, stdin: Self.input)
        let full = BatchMint.$usesFastPath.withValue(false) { execute(arguments, stdin: Self.input) }
        #expect(fast.stdout.utf8.count > 1000, "\(fast)")
        #expect(fast.stdout == full.stdout)
        #expect(fast.stderr == full.stderr)
        #expect(fast.status == full.status)
    }

    @Test func manyLinesOfOneShapeAcrossSlicesAndChunksMatchTheFullPath() {
        let input = (0..<9000).map { #"{"room":"room-\#($0)","name":"User \#($0)","moderator":true}"# }
            .joined(separator: "\n")
        let arguments = ["mint", "--config", Repository.debian, "--batch", "-"]
        let fast = execute(arguments, stdin: input)
        let full = BatchMint.$usesFastPath.withValue(false) { execute(arguments, stdin: input) }
        #expect(fast.status == 0)
        #expect(fast.stdout == full.stdout)
        #expect(fast.stderr == full.stderr)
    }
}
