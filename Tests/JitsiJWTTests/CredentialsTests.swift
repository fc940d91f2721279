import JitsiToken
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `credentials`: what each token host uses after the fallback to `"*"`, with where it was set.
struct CredentialsTests {
    static let debianHostFile = Repository.path("Fixtures/debian/etc/prosody/conf.d/meet.example.com.cfg.lua")
    static let multihost = Repository.multihost
    /// `printf %s k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW | sha256sum | cut -c1-16`
    static let debianFingerprint = "sha256:eef2a0b186ac27cc"

    @Test func textShowsValuesInEffectWithTheirFileAndLineAndHidesTheSecret() {
        let result = execute(["credentials", "--config", Repository.debian])
        #expect(
            result == CommandResult(
                status: 0,
                stdout: """
                    meet.example.com
                      app_id              acme_meet                            \(Self.debianHostFile):35
                      algorithm           HS256                                default
                      app_secret          <redacted>  \(Self.debianFingerprint)  \(Self.debianHostFile):36
                      accepted issuers    acme_meet                            default (app_id)
                      accepted audiences  *                                    default

                    """,
                stderr: ""))
        expectNoSecrets(result)
    }

    @Test func jsonFollowsTheGlobalFallbackAndNamesTheKeyURLForAKid() throws {
        let result = execute([
            "credentials", Self.multihost, "--host", "partners.example.com", "--kid", "acme/key-1", "--format", "json",
        ])
        let file = Self.multihost
        #expect(
            result == CommandResult(
                status: 0,
                stdout: #"{"hosts":[{"host":"partners.example.com","app_id":"partners","algorithm":"RS256","#
                    + #""secret":null,"secret_sha256":null,"asap_key_server":"https://keys.example.com/asap","#
                    + #""cache_keys_url":null,"key_url":"https://keys.example.com/asap/"#
                    + #"16f16e39ea520597905c8e031048948ada78d093883c30eaa1d93052abc70006.pem","#
                    + #""accepted_issuers":["partner-idp-1","partner-idp-2"],"accepted_audiences":["*"],"sources":{"#
                    + #""app_id":{"section":"partners.example.com","file":""# + file + #"","line":66},"#
                    + #""signature_algorithm":{"section":"partners.example.com","file":""# + file + #"","line":69},"#
                    + #""app_secret":{"section":"*","file":""# + file + #"","line":10},"#
                    + #""asap_key_server":{"section":"partners.example.com","file":""# + file + #"","line":68},"#
                    + #""asap_accepted_issuers":{"section":"partners.example.com","file":""# + file + #"","line":70},"#
                    + #""asap_accepted_audiences":{"section":"*","file":""# + file + #"","line":12}}}]}"# + "\n",
                stderr: ""))
        expectNoSecrets(result)
    }

    @Test func envForOneHostAndTheSecretOnlyWhenAsked() {
        let hidden = execute(["credentials", Repository.debian, "--format", "env"])
        #expect(
            hidden == CommandResult(
                status: 0,
                stdout: """
                    JITSI_HOST='meet.example.com'
                    JITSI_APP_ID='acme_meet'
                    JITSI_ALGORITHM='HS256'
                    JITSI_SECRET_SHA256='\(Self.debianFingerprint)'
                    JITSI_ASAP_KEY_SERVER=''
                    JITSI_CACHE_KEYS_URL=''
                    JITSI_KEY_URL=''
                    JITSI_ACCEPTED_ISSUERS='acme_meet'
                    JITSI_ACCEPTED_AUDIENCES='*'

                    """,
                stderr: ""))
        let shown = execute(["credentials", Repository.debian, "--format", "env", "--show-secrets"])
        #expect(shown.stdout.contains("\nJITSI_SECRET='k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW'\n"), "\(shown)")
        let several = execute(["credentials", Self.multihost, "--format", "env"])
        #expect(several.status == 2)
        #expect(several.stderr.hasPrefix("error: several token VirtualHosts ("), "\(several)")
    }

    @Test func secretOutWritesANew0600FileAndNeverStdout() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/secret"
        defer { unlink(path) }
        let result = execute(["credentials", Repository.debian, "--secret-out", path])
        #expect(result.status == 0)
        #expect(result.stderr == "wrote the app_secret of meet.example.com to \(path) (mode 0600)\n")
        expectNoSecrets(result)
        #expect(try readFile(path) == "k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW")
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o600)

        let again = execute(["credentials", Repository.debian, "--secret-out", path])
        #expect(
            again == CommandResult(
                status: 2, stdout: "",
                stderr: "error: \(path): already exists (never overwritten: remove it or choose another name)\n"))
        let toStdout = execute(["credentials", Repository.debian, "--secret-out", "-"])
        #expect(toStdout.status == 2)
        #expect(toStdout.stderr.hasPrefix("Error: --secret-out writes a file, never stdout: give a path\n"))
        let keyServer = execute([
            "credentials", Self.multihost, "--host", "partners.example.com", "--secret-out", directory.path + "/x",
        ])
        #expect(
            keyServer == CommandResult(
                status: 2, stdout: "",
                stderr: "error: partners.example.com verifies with a key server: there is no app_secret to write\n"))
    }

    @Test func theSecretMintVerifiesWithIsTheOneCredentialsShows() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/secret"
        defer { unlink(path) }
        _ = execute(["credentials", Self.multihost, "--host", "events.example.com", "--secret-out", path])
        let minted = execute(["mint", "--config", Self.multihost, "--host", "events.example.com", "--room", "r"])
        // The config's own rules (events.example.com's users join conference.meet.example.com), with the key from
        // the written file instead of the config's.
        let verified = execute([
            "verify", "--config", Self.multihost, "--secret-file", path, "--host", "events.example.com", "--room", "r",
            String(minted.stdout.dropLast()),
        ])
        #expect(verified == CommandResult(status: 0, stdout: "accepted\n", stderr: ""), "\(minted)")
    }

    @Test func controlCharactersInConfigValuesAreShownEscaped() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "prosody.cfg.lua",
            "VirtualHost \"meet.example.com\"\n    authentication = \"token\"\n    app_id = \"a\\27[2Jb\\226\\128\\174\"\n"
                + "    app_secret = \"\\255\\254\"\n")
        let text = execute(["credentials", config, "--show-secrets"])
        #expect(
            text == CommandResult(
                status: 0,
                stdout: """
                    meet.example.com
                      app_id              a\\u{1B}[2Jb\\u{202E}                 \(config):3
                      algorithm           HS256                               default
                      app_secret          (not UTF-8: use --secret-out FILE)  \(config):4
                      accepted issuers    a\\u{1B}[2Jb\\u{202E}                 default (app_id)
                      accepted audiences  *                                   default

                    """,
                stderr: "warning: a secret is not UTF-8 and is not printed: use --secret-out FILE for its bytes\n"))
        let json = execute(["credentials", config, "--format", "json"])
        #expect(json.stdout.hasPrefix(#"{"hosts":[{"host":"meet.example.com","app_id":"a\u001B[2Jb\u202E","#), "\(json)")
    }

    @Test func aHostWithoutTokenAuthIsRefused() {
        let result = execute(["credentials", Repository.debian, "--host", "auth.meet.example.com"])
        #expect(
            result == CommandResult(
                status: 2, stdout: "",
                stderr: "error: VirtualHost \"auth.meet.example.com\" does not use token authentication "
                    + "(authentication = \"internal_hashed\")\n"))
    }
}
