import Testing

@testable import TestSupport

/// The shared helpers behave as the other suites rely on.
struct TestSupportTests {
    @Test func aProcessGetsItsInputDirectoryAndEnvironmentAndReportsEverything() throws {
        let directory = try TemporaryDirectory()
        let result = try runProcess(
            "/bin/sh", ["-c", #"read line; printf '%s|%s|%s|%s' "$line" "$PWD" "$X" "$LANG"; echo oops >&2; exit 3"#],
            input: "first\nsecond\n", environment: ["X=1", "X=2", "LANG=C"], in: directory.path)
        #expect(
            result
                == CommandResult(status: 3, stdout: "first|\(realPath(directory.path))|2|C", stderr: "oops\n"))
    }

    @Test func aKilledProcessReports128PlusItsSignal() throws {
        let result = try runProcess("/bin/sh", ["-c", "kill -9 $$"])
        #expect(result.status == 128 + 9)
    }

    @Test func aMissingProgramIsAnError() {
        #expect(throws: TestFailure.self) { try runProcess("/nonexistent/program", []) }
    }

    @Test func aTemporaryDirectoryIsAsDeepAsAskedAndGoesAwayWithEverythingInIt() throws {
        var top = ""
        do {
            let directory = try TemporaryDirectory(minimumLength: 120)
            #expect(directory.path.utf8.count >= 120)
            top = String(directory.path.prefix(16))
            try directory.makeDirectory("a/b")
            try directory.write("a/b/c.txt", "text")
            try directory.copy(Repository.fixture("debian/etc/prosody/conf.d"), as: "links")
            #expect(try readFile(directory.path + "/a/b/c.txt") == "text")
            #expect(isSymbolicLink(directory.path + "/links/meet.example.com.cfg.lua"))
            #expect(fileExists(top))
        }
        #expect(!fileExists(top))
    }

    @Test func fixtureListsAreSortedAndRelativeToFixtures() {
        let fixtures = Repository.fixtures(in: "prosody13")
        #expect(fixtures == fixtures.sorted())
        #expect(fixtures.contains("prosody13/credential.cfg.lua"))
        #expect(fixtures.allSatisfy { fileExists(Repository.fixture($0)) })
    }

    @Test func luaChunkNamesAreShortenedFrom60Bytes() {
        let long = "/" + String(repeating: "x", count: 58)
        #expect(Repository.luaChunkName(long) == long)
        #expect(Repository.luaChunkName(long + "y") == "..." + String(long.dropFirst(4)) + "y")
    }
}
