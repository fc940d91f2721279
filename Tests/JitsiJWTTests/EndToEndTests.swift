import ArgumentParser
import JitsiToken
import TestSupport
import Testing

/// A few runs of the built `jitsi-jwt` binary (the one next to the test bundle): real descriptors, real stdin, and
/// `main()`'s own exit codes. A missing binary fails every test here.
struct EndToEndTests {
    let binary: String

    init() throws { binary = try BuiltBinary.required() }

    @Test func mintThenVerifyThroughStdin() throws {
        let minted = try runProcess(binary, ["mint", "--config", Repository.debian, "--room", "Weekly Sync"])
        #expect(minted.status == 0, "\(minted)")
        #expect(minted.stderr == "")
        expectNoSecrets(minted)
        let verified = try runProcess(
            binary, ["verify", "--config", Repository.debian, "--room", "weekly sync"], input: minted.stdout)
        #expect(verified == CommandResult(status: 0, stdout: "accepted\n", stderr: ""))
        let refused = try runProcess(
            binary, ["verify", "--config", Repository.debian, "--room", "other"], input: minted.stdout)
        #expect(refused.status == 1)
    }

    @Test func usageErrorsExitTwoAndHelpExitsZero() throws {
        let usage = try runProcess(binary, ["mint", "--no-such-flag"])
        #expect(usage.status == 2)
        #expect(usage.stdout == "")
        #expect(usage.stderr.hasPrefix("Error: Unknown option '--no-such-flag'"), "\(usage)")
        let help = try runProcess(binary, ["mint", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("OVERVIEW: Mint a token the server accepts"))
        let missingConfig = try runProcess(binary, ["verify", "--room", "r", "x"], environment: [
            "PROSODY_CONFIG=/nonexistent/prosody.cfg.lua"
        ])
        #expect(missingConfig.status == 2, "\(missingConfig)")
    }

    @Test func batchFromStdin() throws {
        let result = try runProcess(
            binary, ["mint", "--config", Repository.debian, "--batch", "-"],
            input: "{\"room\":\"a\"}\n\n{\"room\":5}\n")
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("{\"line\":1,\"token\":\""))
        #expect(lines[1] == "{\"line\":3,\"error\":\"\\\"room\\\" must be a string\"}")
        #expect(result.stderr == "jitsi-jwt: 3 lines: 1 minted, 1 failed, 1 empty skipped\n")
    }

    @Test func dumpHidesSecrets() throws {
        for config in [Repository.debian, Repository.docker, Repository.multihost] {
            let result = try runProcess(binary, ["dump", config])
            #expect(result.status == 0)
            expectNoSecrets(result)
            let hosts = try runProcess(binary, ["hosts", "--format", "json", config])
            #expect(hosts.status == 0)
            expectNoSecrets(hosts)
        }
    }
}
