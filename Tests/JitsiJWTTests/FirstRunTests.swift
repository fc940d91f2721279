import TestSupport
import Testing

@testable import jitsi_jwt

#if canImport(Glibc)
    import Glibc
#endif

/// A first run on a real host: a config only root and the prosody group may read, Prosody in docker, no token auth.
struct FirstRunTests {
    static let setpriv = "/usr/bin/setpriv"
    static let prosodyGroup: gid_t? = getgrnam("prosody").map { $0.pointee.gr_gid }
    /// Running as another user needs root, setpriv and a prosody group (the tests run as root in CI).
    static let canSwitchUser = getuid() == 0 && access(setpriv, X_OK) == 0 && prosodyGroup != nil

    /// A token-host config in a world-searchable directory, mode 0640, group prosody (as Debian installs it).
    static func protectedConfig(_ directory: TemporaryDirectory) throws -> String {
        chmod(directory.path, 0o755)
        let path = try directory.write(
            "prosody.cfg.lua",
            "VirtualHost \"meet.example.com\"\n    authentication = \"token\"\n    app_id = \"acme\"\n"
                + "    app_secret = \"k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW\"\n")
        chown(path, 0, prosodyGroup!)
        chmod(path, 0o640)
        return path
    }

    @Test(.enabled(if: canSwitchUser, "needs root, /usr/bin/setpriv and a prosody group to run as nobody"))
    func permissionDeniedNamesTheWaysToReadTheConfig() throws {
        let directory = try TemporaryDirectory()
        let config = try Self.protectedConfig(directory)
        let asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", try BuiltBinary.required()]
        let denied = try runProcess(Self.setpriv, asNobody + ["hosts", "--config", config])
        #expect(
            denied == CommandResult(
                status: 1, stdout: "",
                stderr: """
                    \(config): Permission denied
                    hint: permission denied reading \(config) (mode 0640, group prosody): the config holds the token \
                    secret, so only root and the Prosody server may read it
                    hint: run as root: sudo jitsi-jwt …
                    hint: or join the prosody group: sudo usermod -aG prosody "$USER" (then log in again)
                    hint: or run as the server's user: sudo -u prosody jitsi-jwt …

                    """))
        let asMember = ["--reuid=65534", "--regid=65534", "--groups=\(Self.prosodyGroup!)", try BuiltBinary.required()]
        let member = try runProcess(Self.setpriv, asMember + ["hosts", "--config", config, "--format", "env"])
        #expect(member.status == 0, "\(member)")
        #expect(member.stdout.hasPrefix("JITSI_HOSTS='meet.example.com'\n"))
        expectNoSecrets(member)
    }

    @Test func aMissingConfigWithoutEtcProsodyPointsAtDockerJitsiMeet() throws {
        let home = try TemporaryDirectory()
        let missing = home.path + "/nowhere/prosody.cfg.lua"
        #expect(
            ConfigGuidance.loadHints(path: missing, etcProsody: home.path + "/no-etc-prosody", environment: { _ in nil })
                == [
                    "\(missing) does not exist: give the config with --config PATH, or set PROSODY_CONFIG=PATH",
                    "no \(home.path)/no-etc-prosody here: if Prosody runs in docker-jitsi-meet, its rendered config is "
                        + "on the host under ~/.jitsi-meet-cfg/prosody/config/ (inside the container: /config/)",
                ])
        let rendered = home.path + "/.jitsi-meet-cfg/prosody/config"
        for part in [".jitsi-meet-cfg", ".jitsi-meet-cfg/prosody", ".jitsi-meet-cfg/prosody/config"] {
            mkdir(home.path + "/" + part, 0o700)
        }
        defer {
            unlink(rendered + "/prosody.cfg.lua")
            for part in [".jitsi-meet-cfg/prosody/config", ".jitsi-meet-cfg/prosody", ".jitsi-meet-cfg"] {
                rmdir(home.path + "/" + part)
            }
        }
        let file = fopen(rendered + "/prosody.cfg.lua", "w")
        fclose(file)
        let hints = ConfigGuidance.loadHints(
            path: missing, etcProsody: home.path + "/no-etc-prosody",
            environment: { $0 == "HOME" ? home.path : nil })
        #expect(hints.last == "found one: jitsi-jwt … --config '\(rendered)/prosody.cfg.lua'")
    }

    @Test func prosodyConfigInTheEnvironmentIsTheDefault() throws {
        let result = try runProcess(
            BuiltBinary.required(), ["hosts", "--format", "env"], environment: ["PROSODY_CONFIG=\(Repository.debian)"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("JITSI_TOKEN_HOSTS='meet.example.com'\n"))
    }

    @Test func aConfigWithoutATokenHostSaysHowToEnableTokenAuth() {
        let result = execute([
            "mint", "--config", Repository.path("Fixtures/audit/config.no-token-host/bad.cfg.lua"), "--room", "r",
        ])
        #expect(
            result == CommandResult(
                status: 2, stdout: "",
                stderr: """
                    error: no enabled VirtualHost with authentication = "token" in the config
                    hint: no VirtualHost uses token authentication yet. To enable it:
                    hint: Debian/Ubuntu: apt install jitsi-meet-tokens (it asks for app_id and app_secret and edits \
                    the host's config)
                    hint: docker-jitsi-meet: in .env set ENABLE_AUTH=1, AUTH_TYPE=jwt, JWT_APP_ID=… and \
                    JWT_APP_SECRET=…, then recreate the containers
                    hint: by hand, in the VirtualHost: authentication = "token", app_id = "…", app_secret = "…"; and \
                    load "token_verification" in the conference MUC's modules_enabled

                    """))
    }

    @Test func hostsSaysHowToEnableTokenAuthWhenNoHostUsesIt() {
        let result = execute(["hosts", Repository.path("Fixtures/audit/config.no-token-host/bad.cfg.lua")])
        #expect(result.status == 0)
        #expect(
            result.stderr.split(separator: "\n").map { $0.prefix(40) }
                == ["hint: no VirtualHost uses token authenti", "hint: Debian/Ubuntu: apt install jitsi-m",
                    "hint: docker-jitsi-meet: in .env set ENA", "hint: by hand, in the VirtualHost: authe"])
    }

    @Test func dumpHostsAndAuditTakeConfigAsAnOptionToo() {
        for command in ["dump", "hosts", "audit"] {
            let positional = execute([command, Repository.debian])
            let option = execute([command, "--config", Repository.debian])
            #expect(option == positional, "\(command)")
            #expect(option.status == 0, "\(command): \(option)")
        }
        let both = execute(["hosts", "--config", Repository.debian, Repository.docker])
        #expect(both.status == 2)
        #expect(both.stderr.hasPrefix("Error: give the config once: --config \(Repository.debian) or \(Repository.docker)\n"))
    }

    @Test func dashMeansStdinForTheSecretFile() throws {
        let minted = execute(
            ["mint", "--secret-file", "-", "--host", "meet.example.com", "--app-id", "acme", "--room", "r"],
            stdin: "s3cret\n")
        #expect(minted.status == 0, "\(minted)")
        let token = String(minted.stdout.dropLast())
        let verified = execute([
            "verify", "--secret-file", "-", "--host", "meet.example.com", "--app-id", "acme", "--room", "r", token,
        ], stdin: "s3cret\n")
        #expect(verified == CommandResult(status: 0, stdout: "accepted\n", stderr: ""))
        let clash = execute(["verify", "--secret-file", "-", "--host", "h", "--app-id", "a", "--room", "r"])
        #expect(clash.status == 2)
        #expect(clash.stderr.hasPrefix(
            "Error: --secret-file - and the token both want stdin: give the token as an argument\n"), "\(clash)")
    }
}
