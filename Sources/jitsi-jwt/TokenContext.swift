import ArgumentParser
import JitsiDeployment
import JitsiToken
import ProsodyConfig

#if canImport(Glibc)
import Glibc
#endif

/// Where mint and verify get the server's rules and keys: the config, or, without one, flags and key files.
struct TokenServerOptions: ParsableArguments {
    @Option(
        help: "The Prosody config (default: $PROSODY_CONFIG, else /etc/prosody/prosody.cfg.lua).",
        completion: .file(extensions: ["lua"]))
    var config: String?

    @Option(help: "The token VirtualHost (may be left out when the config has exactly one).")
    var host: String?

    @Option(
        name: .customLong("secret-file"),
        help: "Read the HMAC secret from FILE (- for stdin) instead of app_secret (one trailing newline is dropped).",
        completion: .file())
    var secretFile: String?

    @Option(
        name: .customLong("key-file"),
        help: "An RSA private key (PEM; - for stdin) to sign RS* tokens with (asap_key_server setups).",
        completion: .file())
    var keyFile: String?

    @Option(
        name: .customLong("public-key-file"),
        help: "An RSA public key (PEM; - for stdin): the key the server's key server returns.", completion: .file())
    var publicKeyFile: String?

    @Option(help: "The kid header for RS* tokens (required with a key server: the server looks the key up by it).")
    var kid: String?

    @Option(
        help: ArgumentHelp(
            "The MUC the user joins (default: conference.<muc_mapper_domain_base>, docker muc.<base>, as the web client).",
            valueName: "name"))
    var muc: String?

    @Option(
        name: .customLong("app-id"),
        help: "Without --config: the server's app_id (the rest as a standard install: muc_mapper_domain_base = --host).")
    var appID: String?

    @Option(help: "Without --config: the server's signature_algorithm.")
    var algorithm: String?

    @Option(
        name: .customLong("jitsi-plugins"),
        help: ArgumentHelp(
            "The era of the installed Jitsi token plugins: "
                + PluginEra.valueList
                + " (default: told from token/util.lib.lua under the config's plugin_paths, else the newest).",
            valueName: "era"))
    var jitsiPlugins: PluginEra?

    @OptionGroup(title: "Config loading") var loading: ConfigOptions

    /// Whether the rules come from flags (`--secret-file` or `--key-file` without `--config`) instead of a config.
    var usesFlagsOnly: Bool { config == nil && (secretFile != nil || keyFile != nil) }

    /// The options that read stdin (`-`).
    var standardInputOptions: [String] {
        [("--secret-file", secretFile), ("--key-file", keyFile), ("--public-key-file", publicKeyFile)]
            .filter { $0.1 == "-" }.map(\.0)
    }

    func validate() throws {
        if standardInputOptions.count > 1 {
            throw ValidationError("stdin can feed one option: " + standardInputOptions.joined(separator: " and "))
        }
        if secretFile != nil, keyFile != nil {
            throw ValidationError("give --secret-file (HS*) or --key-file (RS*), not both")
        }
        if !usesFlagsOnly, appID != nil || algorithm != nil {
            throw ValidationError(
                "--app-id and --algorithm describe a server without a config: use them with --secret-file or "
                    + "--key-file and no --config")
        }
        if let algorithm, SignatureAlgorithm(rawValue: algorithm) == nil {
            throw ValidationError(
                "--algorithm \(algorithm): expected one of "
                    + SignatureAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    /// The public half of `--key-file`, so that `verify` needs no `--public-key-file` for its own tokens.
    private func derivedPublicKey() throws -> String? {
        guard let keyFile else { return nil }
        let key = SigningKey.rsa(privateKeyPEM: Secret(try Self.read(keyFile)), keyID: nil)
        guard case .rsaPublicKey(let pem)? = try? key.verificationKey() else { return nil }
        return pem
    }

    /// The rules of the chosen host (with the join stage of the MUC its user joins and the plugin era), the host, the
    /// deployment they came from and the chosen host in it (nil without a config), and the plugin era the rules
    /// follow (`--jitsi-plugins`, else detected from the config's plugin directory).
    func rules() throws -> (
        rules: ServerRules, host: String, deployment: Deployment?, chosen: Deployment.Host?, era: DetectedPluginEra
    ) {
        let publicKey = try publicKeyFile.map { try String(decoding: Self.read($0), as: UTF8.self) }
            ?? derivedPublicKey()
        if usesFlagsOnly {
            guard let host, let appID else {
                throw ValidationError("without --config, give --host (the XMPP domain) and --app-id")
            }
            // The name as Prosody holds it (nameprep: lower case, NFKC), since it becomes `sub`.
            guard let host = ProsodyConfiguration.nameprep(host), !host.isEmpty else {
                throw ValidationError("--host \(self.host ?? ""): not a valid domain name")
            }
            let key: VerificationKey? = try secretFile.map { .hmac(Secret(try Self.readSecret($0))) }
                ?? publicKey.map { .rsaPublicKey(pem: $0) }
            // A standard install otherwise: Debian and docker set muc_mapper_domain_base to the main domain, and
            // without it current servers refuse every join.
            let era = jitsiPlugins.map(DetectedPluginEra.overridden)
                ?? DetectedPluginEra(era: .current, source: .defaulted)
            var rules = ServerRules(
                xmppDomain: host, appID: appID, key: key,
                signatureAlgorithm: algorithm ?? (keyFile != nil ? "RS256" : "HS256"), mucMapperDomainBase: host,
                usesKeyServer: keyFile != nil, era: era.era)
            if let muc {
                guard let prepped = ProsodyConfiguration.nameprep(muc), !prepped.isEmpty else {
                    throw ValidationError("--muc \(muc): not a valid domain name")
                }
                rules.join = JoinRules(muc: prepped, checker: .verifies(RoomVerification(rules)))
            }
            return (rules, host, nil, nil, era)
        }
        let loaded: ProsodyConfiguration
        do {
            loaded = try loading.load(config)
        } catch {
            Output.error(bytes: error.messageBytes)
            ConfigGuidance.print(ConfigGuidance.loadHints(path: ConfigOptions.resolvePath(config)))
            throw ExitCode(2)
        }
        for line in loaded.printed { Output.error("config printed: \(line)") }
        let era = jitsiPlugins.map(DetectedPluginEra.overridden) ?? PluginEraDetection.detect(loaded)
        let deployment = Deployment(loaded, era: era.era)
        let chosen: Deployment.Host
        do {
            chosen = try deployment.tokenHost(named: host)
        } catch {
            Output.error("error: \(error.description)")
            if error == .noTokenHost { ConfigGuidance.print(ConfigGuidance.enableTokenAuthHints) }
            throw ExitCode(2)
        }
        guard chosen.enabled, chosen.usesTokens else {
            Output.error(
                "error: VirtualHost \"\(chosen.name)\" "
                    + (chosen.enabled
                        ? "does not use token authentication (authentication = \"\(chosen.authentication ?? "")\")"
                        : "is disabled (enabled = false)")
                    + "; token hosts: " + (deployment.tokenHosts.map(\.name).joined(separator: ", ").nonEmpty ?? "none"))
            if deployment.tokenHosts.isEmpty { ConfigGuidance.print(ConfigGuidance.enableTokenAuthHints) }
            throw ExitCode(2)
        }
        var rules: ServerRules
        do {
            rules = try deployment.rules(for: chosen, muc: muc, publicKeyPEM: publicKey)
        } catch {
            Output.error("error: \(error.description)")
            throw ExitCode(2)
        }
        if let secretFile { rules.key = .hmac(Secret(try Self.readSecret(secretFile))) }
        return (rules, chosen.name, deployment, chosen, era)
    }

    /// The key to sign with: the key file, the secret file, or the config's app_secret.
    func signingKey(_ rules: ServerRules) throws -> SigningKey? {
        if let keyFile { return .rsa(privateKeyPEM: Secret(try Self.read(keyFile)), keyID: kid) }
        if case .hmac(let secret)? = rules.key { return .hmac(secret) }
        return nil
    }

    static func readSecret(_ path: String) throws -> [UInt8] {
        var bytes = try read(path)
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        return bytes
    }

    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return try readStandardInput() }
        let descriptor = SystemCalls.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            Output.error("\(path): \(SystemCalls.errorText(-descriptor))")
            throw ExitCode(2)
        }
        defer { close(descriptor) }
        return try readAll(descriptor, name: path, tooLarge: "larger than 1 MiB")
    }

    /// All of stdin (the captured stdin in tests), at most 1 MiB.
    static func readStandardInput() throws -> [UInt8] {
        if let capture = Output.capture { return capture.standardInput }
        return try readAll(0, name: "stdin", tooLarge: "larger than 1 MiB")
    }

    /// Everything `descriptor` holds, at most 1 MiB. A read error or more than that is reported as
    /// `NAME: reason` on stderr and exits 2.
    static func readAll(_ descriptor: Int32, name: String, tooLarge: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = SystemCalls.read(descriptor, into: &chunk)  // EINTR retried
            if count < 0 {
                Output.error("\(name): \(SystemCalls.errorText(Int32(-count)))")
                throw ExitCode(2)
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            if bytes.count > 1 << 20 {
                Output.error("\(name): \(tooLarge)")
                throw ExitCode(2)
            }
        }
    }

    /// A fixed clock for tests (mint and verify run in-process at a known time); `nil` means the system clock.
    @TaskLocal static var fixedNow: Int64?

    /// Seconds since the epoch, now.
    static func now() -> Int64 { fixedNow ?? Int64(time(nil)) }
}

extension String {
    /// `nil` for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}

/// A duration such as `2h`, `90m`, `30s`, `1d` or plain seconds.
struct Duration: ExpressibleByArgument {
    var seconds: Int64

    init?(argument: String) {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        var text = argument
        var unit: Int64 = 1
        if let last = text.last, let factor = units[last] {
            unit = factor
            text.removeLast()
        }
        guard let value = Int64(text), value >= 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        seconds = product
    }
}
