import ArgumentParser
import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

/// Every command's exit codes, run in-process: dump/hosts 0 and 1 (a config that does not load); mint 0, 1 refused,
/// 2 usage or config error; verify 0 accepted, 1 refused, 2 usage or config error.
struct ExitCodeTests {
    static let brokenConfig = "VirtualHost \"meet.example.com\"\n    authentication = \"token\n"

    @Test func dumpAndHostsExitZeroOnAGoodConfig() {
        #expect(execute(["dump", Repository.debian]).status == 0)
        #expect(execute(["hosts", Repository.debian]).status == 0)
        #expect(execute(["hosts", "--format", "json", Repository.docker]).status == 0)
        #expect(execute(["hosts", "--format", "env", Repository.multihost]).status == 0)
    }

    @Test func dumpAndHostsExitOneOnABrokenConfig() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prosody.cfg.lua", Self.brokenConfig)
        let dump = execute(["dump", path])
        #expect(dump.status == 1)
        #expect(dump.stdout == "")
        #expect(dump.stderr.hasPrefix(path + ":"))
        #expect(execute(["hosts", path]).status == 1)
        #expect(execute(["hosts", directory.path + "/missing.cfg.lua"]).status == 1)
    }

    @Test func mintExitsZeroWithAToken() throws {
        let result = execute(["mint", "--config", Repository.debian, "--room", "weekly-sync"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        #expect(result.stdout.split(separator: ".").count == 3)
        expectNoSecrets(result)
    }

    @Test func mintExitsOneWhenTheServerWouldRefuse() {
        let zeroTTL = execute(["mint", "--config", Repository.debian, "--room", "r", "--ttl", "0"])
        #expect(
            zeroTTL
                == CommandResult(
                    status: 1, stdout: "",
                    stderr: "refused: the lifetime must be positive (got 0 s); the server allows no leeway\n"))
        let noRoom = execute(["mint", "--config", Repository.debian])
        #expect(
            noRoom
                == CommandResult(
                    status: 1, stdout: "",
                    stderr: "refused: the server requires a room claim (asap_require_room_claim); "
                        + "give a room or \"*\"\n"))
        let standardClaim = execute(["mint", "--config", Repository.debian, "--room", "r", "--claim", "sub=\"x\""])
        #expect(standardClaim.status == 1)
        #expect(
            standardClaim.stderr
                == "refused: extra claim \"sub\" would override a standard claim; set it through its own option\n")
    }

    @Test(arguments: [
        ["mint", "--config", Repository.debian, "--room", "r", "--feature", "recording=maybe"],
        ["mint", "--config", Repository.debian, "--room", "r", "--claim", "novalue"],
        ["mint", "--config", Repository.debian, "--room", "r", "--claim", "x=not json"],
        ["mint", "--config", Repository.debian, "--room", "r", "--ttl", "soon"],
        ["mint", "--config", Repository.debian, "--no-such-option"],
        ["mint", "--config", Repository.debian, "--batch", "-", "--format", "env"],
        ["mint", "--config", Repository.debian, "--room", "r", "--app-id", "x"],
        ["mint", "--secret-file", "/dev/null", "--key-file", "/dev/null", "--host", "h", "--app-id", "a"],
        ["mint", "--secret-file", "/dev/null", "--app-id", "a"],
        ["mint", "--secret-file", "/dev/null", "--host", "h", "--app-id", "a", "--algorithm", "none"],
        ["verify", "--config", Repository.debian],
        ["verify", "--config", Repository.debian, "--room", "r", "--format", "env"],
    ])
    func usageErrorsExitTwo(_ arguments: [String]) {
        let result = execute(arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("Error: "), "\(result)")
    }

    @Test func configErrorsExitTwoForMintAndVerify() throws {
        let directory = try TemporaryDirectory()
        let broken = try directory.write("prosody.cfg.lua", Self.brokenConfig)
        for command in ["mint", "verify"] {
            let loadFailure = execute([command, "--config", broken, "--room", "r"], stdin: "x.y.z")
            #expect(loadFailure.status == 2, "\(loadFailure)")
            #expect(loadFailure.stdout == "")
            #expect(loadFailure.stderr.hasPrefix(broken + ":"))

            let missing = execute([command, "--config", directory.path + "/nope.cfg.lua", "--room", "r"])
            #expect(missing.status == 2)

            let several = execute([command, "--config", Repository.multihost, "--room", "r"], stdin: "x.y.z")
            #expect(
                several
                    == CommandResult(
                        status: 2, stdout: "",
                        stderr: "error: several token VirtualHosts (events.example.com, meet.example.com, "
                            + "partners.example.com, video.brand-a.example, video.brand-b.example): "
                            + "choose one with --host\n"))

            let unknownHost = execute(
                [command, "--config", Repository.multihost, "--host", "nowhere.example", "--room", "r"],
                stdin: "x.y.z")
            #expect(
                unknownHost
                    == CommandResult(
                        status: 2, stdout: "", stderr: "error: no VirtualHost \"nowhere.example\" in the config\n"))

            let notToken = execute(
                [command, "--config", Repository.multihost, "--host", "auth.meet.example.com", "--room", "r"],
                stdin: "x.y.z")
            #expect(
                notToken
                    == CommandResult(
                        status: 2, stdout: "",
                        stderr: "error: VirtualHost \"auth.meet.example.com\" does not use token authentication "
                            + "(authentication = \"internal_hashed\"); token hosts: events.example.com, "
                            + "meet.example.com, partners.example.com, video.brand-a.example, "
                            + "video.brand-b.example\n"))

            let disabled = execute(
                [command, "--config", Repository.multihost, "--host", "legacy.example.com", "--room", "r"],
                stdin: "x.y.z")
            #expect(disabled.status == 2)
            #expect(disabled.stderr.hasPrefix("error: VirtualHost \"legacy.example.com\" is disabled"))

            let missingSecretFile = execute(
                [command, "--config", Repository.debian, "--secret-file", directory.path + "/none", "--room", "r"],
                stdin: "x.y.z")
            #expect(
                missingSecretFile
                    == CommandResult(
                        status: 2, stdout: "", stderr: directory.path + "/none: No such file or directory\n"))
        }
    }

    @Test func verifyExitsZeroWhenAcceptedAndOneWhenRefused() {
        let token = execute(["mint", "--config", Repository.debian, "--room", "weekly-sync"]).stdout
        let accepted = execute(["verify", "--config", Repository.debian, "--room", "weekly-sync"], stdin: token)
        #expect(accepted == CommandResult(status: 0, stdout: "accepted\n", stderr: ""))
        let refused = execute(["verify", "--config", Repository.debian, "--room", "other-room"], stdin: token)
        #expect(
            refused
                == CommandResult(
                    status: 1,
                    stdout: "refused at join: not-allowed: Room and token mismatched\n"
                        + "hint: room is \"weekly-sync\"; the server expects the room node \"other-room\" "
                        + "(lowercase, percent-encoded like the web client) or \"*\"\n"
                        + "hint: this assumes the room other-room@conference.meet.example.com exists: jicofo creates "
                        + "it when the meeting starts, and until then the server answers \"Room does not exist\"\n",
                    stderr: ""))
        let garbage = execute(["verify", "--config", Repository.debian, "--room", "r", "not-a-token"])
        #expect(
            garbage
                == CommandResult(
                    status: 1,
                    stdout: "refused at connect: not-allowed: Invalid token\n"
                        + "hint: a JWT is three non-empty base64url parts joined by dots; this has 1 (an unsigned "
                        + "alg \"none\" token has two)\n",
                    stderr: ""))
    }

    @Test func verifyReadsTheTokenFromStdinByDefaultAndTrimsIt() {
        let token = execute(["mint", "--config", Repository.debian, "--room", "r"]).stdout
        #expect(token.hasSuffix("\n"))
        let fromStdin = execute(["verify", "--config", Repository.debian, "--room", "r"], stdin: "  " + token + "\r\n")
        #expect(fromStdin == CommandResult(status: 0, stdout: "accepted\n", stderr: ""))
        let dash = execute(["verify", "--config", Repository.debian, "--room", "r", "-"], stdin: token)
        #expect(dash == fromStdin)
        let argument = execute(["verify", "--config", Repository.debian, "--room", "r", String(token.dropLast())])
        #expect(argument == fromStdin)
    }

    @Test func verifyRefusesAnEmptyStdinAsNoToken() {
        let result = execute(["verify", "--config", Repository.debian, "--room", "r"], stdin: "")
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("refused at connect: not-allowed: token required\n"), "\(result)")
    }
}
