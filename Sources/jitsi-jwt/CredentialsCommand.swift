import ArgumentParser
import JitsiDeployment
import JitsiToken
import ProsodyConfig

/// `jitsi-jwt credentials`: the credentials in effect on each token host, for provisioning scripts and admins.
struct CredentialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        _superCommandName: JitsiJWT.commandName,
        abstract: "Show the credentials the server uses per token host: app_id, algorithm, secret or key server.",
        usage: """
            jitsi-jwt credentials [--config CONFIG | CONFIG] [--host HOST] [--format text|json|env] [--show-secrets]
                                  [--secret-out FILE] [--kid KID] [config loading options]
            """,
        discussion: """
            Values are those in effect after Prosody's fallback to the global section, each with the file:line that \
            set it. The secret prints as <redacted> and a SHA-256 fingerprint unless --show-secrets; --secret-out \
            FILE writes it (its exact bytes) to a new file of mode 0600, never to stdout. With asap_key_server the \
            server fetches <asap_key_server>/<sha256 hex of kid>.pem; --kid gives that exact URL. \
            --format env prints JITSI_HOST, JITSI_APP_ID, JITSI_ALGORITHM, JITSI_SECRET_SHA256, JITSI_SECRET (only \
            with --show-secrets), JITSI_ASAP_KEY_SERVER, JITSI_CACHE_KEYS_URL, JITSI_KEY_URL, JITSI_ACCEPTED_ISSUERS \
            and JITSI_ACCEPTED_AUDIENCES (space-separated), for one host. \
            Exit 0 printed, 1 the config does not load, 2 usage error (unknown or non-token --host, no token host, \
            several hosts for env or --secret-out, a --secret-out file that exists).
            """)

    @OptionGroup var location: ConfigPathArguments

    @Option(help: "Only this VirtualHost (required for --format env and --secret-out when there are several).")
    var host: String?

    @Option(help: "text, json or env (sh assignments, one host).")
    var format: HostsFormat = .text

    @Flag(name: .customLong("show-secrets"), help: "Print the secret itself instead of <redacted>.")
    var showSecrets = false

    @Option(
        name: .customLong("secret-out"),
        help: ArgumentHelp("Write the secret to FILE, which must not exist (mode 0600).", valueName: "file"),
        completion: .file())
    var secretOut: String?

    @Option(help: "A key id: show the exact URL the server fetches its public key from (key-server hosts).")
    var kid: String?

    @OptionGroup(title: "Config loading") var loading: ConfigOptions

    func validate() throws {
        if secretOut == "-" { throw ValidationError("--secret-out writes a file, never stdout: give a path") }
    }

    func run() throws {
        var options = loading.loadOptions
        options.recordNotes = true
        let config: ProsodyConfiguration
        let path = ConfigOptions.resolvePath(location.path)
        do {
            config = try ConfigLoader.load(path: path, options: options)
        } catch {
            Output.error(bytes: error.messageBytes)
            ConfigGuidance.print(ConfigGuidance.loadHints(path: path))
            throw ExitCode(1)
        }
        for line in config.printed { Output.error("config printed: \(line)") }
        let deployment = Deployment(config)
        let credentials = try selectHosts(deployment).map {
            HostCredentials(deployment: deployment, host: $0, keyID: kid)
        }
        if let secretOut { try writeSecret(credentials, to: secretOut) }
        if showSecrets, credentials.contains(where: { $0.secret != nil && $0.revealedSecretText == nil }) {
            Output.error("warning: a secret is not UTF-8 and is not printed: use --secret-out FILE for its bytes")
        }
        switch format {
        case .text: Output.writeText(CredentialsRendering.text(credentials, showSecrets: showSecrets))
        case .json:
            Output.write(SafeJSON.compact(CredentialsRendering.json(credentials, showSecrets: showSecrets)) + "\n")
        case .env:
            do {
                Output.write(bytes: try CredentialsRendering.env(credentials[0], showSecrets: showSecrets))
            } catch {
                Output.error("error: \(error)")
                throw ExitCode(1)
            }
        }
    }

    /// The hosts to show: `--host` (which must use token auth), else every enabled token host.
    func selectHosts(_ deployment: Deployment) throws -> [Deployment.Host] {
        let single = format == .env || secretOut != nil
        do {
            if host != nil || single {
                let chosen = try deployment.tokenHost(named: host)
                guard chosen.enabled, chosen.usesTokens else {
                    Output.error("error: VirtualHost \"\(chosen.name)\" "
                        + (chosen.enabled
                            ? "does not use token authentication (authentication = \"\(chosen.authentication ?? "")\")"
                            : "is disabled (enabled = false)"))
                    throw ExitCode(2)
                }
                return [chosen]
            }
            guard !deployment.tokenHosts.isEmpty else { throw DeploymentError.noTokenHost }
            return deployment.tokenHosts
        } catch let error as DeploymentError {
            Output.error("error: \(error.description)")
            if error == .noTokenHost { ConfigGuidance.print(ConfigGuidance.enableTokenAuthHints) }
            throw ExitCode(2)
        }
    }

    func writeSecret(_ credentials: [HostCredentials], to path: String) throws {
        guard let only = credentials.first, let secret = only.secret else {
            let verifier = credentials.first?.usesKeyServer == true ? "a key server" : "no secret"
            Output.error("error: \(credentials.first?.host ?? "the host") verifies with \(verifier): "
                + "there is no app_secret to write")
            throw ExitCode(2)
        }
        do {
            try NewFile.create(path, bytes: secret.revealedBytes, mode: 0o600)
        } catch {
            Output.error("error: \(Output.printable(error.description))")
            throw ExitCode(2)
        }
        Output.error("wrote the app_secret of \(only.host) to \(Output.printable(path)) (mode 0600)")
    }
}
