import ArgumentParser
import JitsiToken
import TestSupport
import Testing

@testable import jitsi_jwt

/// `--format env`: single-quoted POSIX sh assignments, checked as text and by evaluating them in /bin/sh.
struct EnvFormatTests {
    @Test(arguments: [
        ("", "''"),
        ("plain", "'plain'"),
        ("it's", #"'it'\''s'"#),
        ("'", #"''\'''"#),
        ("''", #"''\'''\'''"#),
        (#"$HOME `id` "x" \n *"#, #"'$HOME `id` "x" \n *'"#),
        ("two\nlines", "'two\nlines'"),
    ])
    func quoting(_ value: String, _ quoted: String) throws {
        #expect(ShellFormat.quote(value) == quoted)
        let evaluated = try runProcess("/bin/sh", ["-c", "eval \"v=$1\"; printf '%s' \"$v\"", "sh", quoted])
        #expect(evaluated == CommandResult(status: 0, stdout: value, stderr: ""))
    }

    @Test func identifiers() {
        #expect(ShellFormat.identifier("meet.example.com") == "MEET_EXAMPLE_COM")
        #expect(ShellFormat.identifier("video.brand-a.example") == "VIDEO_BRAND_A_EXAMPLE")
        #expect(ShellFormat.identifier("bücher.example") == "B__CHER_EXAMPLE")  // ü is two bytes
    }

    @Test func mintPrintsTokenURLAndHostQuoted() throws {
        let result = execute([
            "mint", "--config", Repository.debian, "--room", "Bob's Room", "--name", "O'Brien \"Ob\"", "--format",
            "env",
        ])
        #expect(result.status == 0, "\(result)")
        let firstLine = try #require(result.stdout.split(separator: "\n").first)
        let token = firstLine.dropFirst("JITSI_TOKEN='".count).dropLast()
        #expect(
            result.stdout
                == "JITSI_TOKEN='\(token)'\n"
                + "JITSI_URL='https://meet.example.com/bob'\\''s%20room?jwt=\(token)'\n"
                + "JITSI_HOST='meet.example.com'\n")
        #expect(try payload(of: String(token))["context"]?["user"]?["name"] == "O'Brien \"Ob\"")
        expectNoSecrets(result)

        let shell = try runProcess(
            "/bin/sh",
            [
                "-c", #"eval "$1"; printf '%s\n%s\n%s\n' "$JITSI_TOKEN" "$JITSI_URL" "$JITSI_HOST""#, "sh",
                result.stdout,
            ])
        #expect(
            shell
                == CommandResult(
                    status: 0,
                    stdout: "\(token)\nhttps://meet.example.com/bob's%20room?jwt=\(token)\nmeet.example.com\n",
                    stderr: ""))
    }

    @Test func mintForAnyRoomHasAnEmptyURL() throws {
        let result = execute(["mint", "--config", Repository.debian, "--room", "*", "--format", "env"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1] == "JITSI_URL=''")
        #expect(lines[2] == "JITSI_HOST='meet.example.com'")
    }

    static let multihostEnv = """
        JITSI_HOSTS='auth.meet.example.com events.example.com guest.meet.example.com legacy.example.com \
        meet.example.com partners.example.com video.brand-a.example video.brand-b.example'
        JITSI_TOKEN_HOSTS='events.example.com meet.example.com partners.example.com video.brand-a.example \
        video.brand-b.example'
        JITSI_DISABLED_HOSTS='legacy.example.com'
        JITSI_COMPONENTS='conference.meet.example.com conference.video.brand-a.example \
        conference.video.brand-b.example focus.meet.example.com lobby.meet.example.com'
        JITSI_HOST_AUTH_MEET_EXAMPLE_COM='internal_hashed'
        JITSI_HOST_EVENTS_EXAMPLE_COM='token'
        JITSI_HOST_GUEST_MEET_EXAMPLE_COM='jitsi-anonymous'
        JITSI_HOST_LEGACY_EXAMPLE_COM='token'
        JITSI_HOST_MEET_EXAMPLE_COM='token'
        JITSI_HOST_PARTNERS_EXAMPLE_COM='token'
        JITSI_HOST_VIDEO_BRAND_A_EXAMPLE='token'
        JITSI_HOST_VIDEO_BRAND_B_EXAMPLE='token'
        JITSI_COMPONENT_CONFERENCE_MEET_EXAMPLE_COM='muc'
        JITSI_COMPONENT_CONFERENCE_VIDEO_BRAND_A_EXAMPLE='muc'
        JITSI_COMPONENT_CONFERENCE_VIDEO_BRAND_B_EXAMPLE='muc'
        JITSI_COMPONENT_FOCUS_MEET_EXAMPLE_COM='client_proxy'
        JITSI_COMPONENT_LOBBY_MEET_EXAMPLE_COM='muc'

        """

    @Test func hostsListsEveryHostAndComponent() throws {
        let result = execute(["hosts", "--format", "env", Repository.multihost])
        #expect(result == CommandResult(status: 0, stdout: Self.multihostEnv, stderr: ""))
        let shell = try runProcess(
            "/bin/sh", ["-c", "eval \"$1\"; for h in $JITSI_TOKEN_HOSTS; do echo \"$h\"; done", "sh", result.stdout])
        #expect(
            shell.stdout
                == "events.example.com\nmeet.example.com\npartners.example.com\nvideo.brand-a.example\n"
                + "video.brand-b.example\n")
    }

    @Test func hostsNamesThatMapToTheSameVariableGetASuffix() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "prosody.cfg.lua",
            """
            VirtualHost "a-b.example"
                authentication = "token"
                app_id = "x"
                app_secret = "y"
            VirtualHost "a.b.example"
                authentication = "it's"
            Component "a.b.example.muc" "muc"
            """)
        let result = execute(["hosts", "--format", "env", config])
        #expect(
            result
                == CommandResult(
                    status: 0,
                    stdout: """
                        JITSI_HOSTS='a-b.example a.b.example'
                        JITSI_TOKEN_HOSTS='a-b.example'
                        JITSI_DISABLED_HOSTS=''
                        JITSI_COMPONENTS='a.b.example.muc'
                        JITSI_HOST_A_B_EXAMPLE='token'
                        JITSI_HOST_A_B_EXAMPLE_2='it'\\''s'
                        JITSI_COMPONENT_A_B_EXAMPLE_MUC='muc'

                        """,
                    stderr: ""))
        expectNoSecrets(result)
    }
}
