import JitsiToken
import LuaSandbox
import ProsodyConfig

/// The config, its deployment view and the notes, with the lookups every check needs.
struct AuditContext {
    let config: ProsodyConfiguration
    let deployment: Deployment
    /// The installed token plugins' era (some findings depend on it).
    let era: PluginEra

    init(config: ProsodyConfiguration, era: PluginEra = .current) {
        self.config = config
        self.deployment = Deployment(config)
        self.era = era
    }

    // MARK: Locations

    /// The last `set` of `option` in `section` (the one whose value is in effect).
    func lastSet(_ section: String, _ option: String) -> LoadNote? {
        config.notes.last { $0.kind == .set && $0.section == section && $0.name == option }
    }

    /// Where the value `host` reads for `option` was set: the host's own section, else the global one.
    func effectiveSet(_ host: String, _ option: String) -> LoadNote? {
        if config[section: host]?[option] != nil { return lastSet(host, option) }
        if config.global[option] != nil { return lastSet("*", option) }
        return nil
    }

    /// The first option set in `section`, for findings about the section as a whole.
    func firstSet(in section: String) -> LoadNote? {
        config.notes.first { $0.kind == .set && $0.section == section }
    }

    // MARK: Token hosts

    func tokenHostFindings() -> [Finding] {
        if deployment.tokenHosts.isEmpty {
            return [Finding(.noTokenHost, message: "no enabled VirtualHost has authentication = \"token\"")]
        }
        return deployment.tokenHosts.flatMap(tokenHostFindings(for:))
    }

    private func tokenHostFindings(for host: Deployment.Host) -> [Finding] {
        let name = host.name
        let reader = OptionReader(config: config, host: name)
        let rules = deployment.rules(for: name)
        let anchor = effectiveSet(name, "authentication") ?? firstSet(in: name)
        func finding(_ rule: AuditRule, _ message: String, at note: LoadNote?, fix: String? = nil) -> Finding {
            let note = note ?? anchor
            return Finding(rule, message: message, fix: fix, host: name, file: note?.file, line: note?.line)
        }
        var findings: [Finding] = []

        if (reader.string("app_id") ?? "").isEmpty {
            findings.append(
                finding(
                    .missingAppID,
                    "token host \(name) has no app_id: token auth does not load ('app_id' must not be empty)",
                    at: effectiveSet(name, "app_id"),
                    fix: "Set app_id = \"<your app id>\" under VirtualHost \"\(name)\"."))
        }
        if !rules.usesKeyServer {
            switch rules.key {
            case .hmac(let secret)?:
                if let problem = Self.weakness(of: secret) {
                    findings.append(
                        finding(
                            .weakSecret, "app_secret of \(name) \(problem)",
                            at: effectiveSet(name, "app_secret")))
                }
            default:
                findings.append(
                    finding(
                        .missingAppSecret,
                        "token host \(name) has no app_secret (nor asap_key_server or cache_keys_url): token auth "
                            + "does not load",
                        at: anchor,
                        fix: "Set app_secret = \"<at least 32 random bytes>\" under VirtualHost \"\(name)\"."))
            }
        }
        if let algorithm = reader.string("signature_algorithm"), SignatureAlgorithm(rawValue: algorithm) == nil {
            findings.append(
                finding(
                    .unsupportedAlgorithm,
                    "signature_algorithm \"\(algorithm)\" of \(name) is not supported: every token is refused with "
                        + "'Algorithm not supported'",
                    at: effectiveSet(name, "signature_algorithm")))
        }
        if rules.allowEmptyToken {
            findings.append(
                finding(
                    .allowEmptyToken, "allow_empty_token is on for \(name): clients without a token join anonymously",
                    at: effectiveSet(name, "allow_empty_token")))
        }
        let option = "enable_domain_verification"
        if case .some(let parsed) = reader.boolean(option), parsed != true {
            let message =
                parsed == false
                ? "enable_domain_verification is false for \(name): the token's `sub` is not checked, only the "
                    + "room name"
                : "enable_domain_verification of \(name) is \(Self.shown(reader.scalar(option))), which Prosody "
                    + "does not read as a boolean: it becomes nil, so domain verification is off"
            findings.append(
                finding(.domainVerificationOff, message, at: effectiveSet(name, "enable_domain_verification")))
        }
        if reader.isSet("asap_accepted_issuers"), reader.array("asap_accepted_issuers")?.contains("*") == true {
            findings.append(
                finding(
                    .wildcardIssuer,
                    "asap_accepted_issuers of \(name) contains \"*\": tokens with any `iss` are accepted",
                    at: effectiveSet(name, "asap_accepted_issuers")))
        }
        if reader.isSet("asap_accepted_audiences"), reader.array("asap_accepted_audiences")?.contains("*") == true {
            findings.append(
                finding(
                    .wildcardAudience,
                    "asap_accepted_audiences of \(name) contains \"*\": tokens with any `aud` are accepted",
                    at: effectiveSet(name, "asap_accepted_audiences")))
        }
        if rules.mucMapperDomainBase == nil {
            let consequence =
                era < .september2025
                ? "the installed plugins (\(era)) still accept token joins, but from the 2025-09 plugins on every "
                    + "token join is refused with 'Room does not exist'"
                : "current servers refuse every token join with 'Room does not exist'"
            findings.append(
                finding(
                    .mapperDomainBaseMissing,
                    "muc_mapper_domain_base is not set for \(name): " + consequence,
                    at: anchor,
                    fix: "Set muc_mapper_domain_base = \"\(name)\" in the global section."))
        }
        findings += tokenVerificationFindings(for: name, anchor: anchor)
        return findings
    }

    private func tokenVerificationFindings(for host: String, anchor: LoadNote?) -> [Finding] {
        guard let muc = deployment.muc(for: host) else {
            return [
                Finding(
                    .tokenVerificationMissing,
                    message: "no MUC component of \(host) loads token_verification: room claims are not enforced",
                    fix: "Load \"token_verification\" in modules_enabled of Component \"conference.\(host)\" \"muc\".",
                    host: host, file: anchor?.file, line: anchor?.line)
            ]
        }
        guard !muc.verifiesTokens else { return [] }
        let note = lastSet(muc.name, "modules_enabled") ?? firstSet(in: muc.name) ?? anchor
        return [
            Finding(
                .tokenVerificationMissing,
                message:
                    "\(muc.name) (the MUC of \(host)) does not load token_verification: room claims are not enforced",
                fix: "Add \"token_verification\" to modules_enabled of Component \"\(muc.name)\" \"muc\".",
                host: muc.name, file: note?.file, line: note?.line)
        ]
    }

    /// Why a secret is weak (never quoting it), or `nil`.
    static func weakness(of secret: Secret) -> String? {
        let lowered = secret.revealedBytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        if Auditor.exampleSecrets.contains(where: { Array($0.utf8) == lowered }) {
            return "is a well-known example value: anyone can mint tokens this server accepts"
        }
        if secret.count < Auditor.minimumSecretBytes {
            return "is shorter than \(Auditor.minimumSecretBytes) bytes: it can be brute-forced from one captured token"
        }
        return nil
    }

    /// A non-secret option value as the message shows it: strings quoted.
    static func shown(_ value: LuaValue?) -> String {
        guard let value else { return "nil" }
        if case .string = value { return "\"" + OptionReader.tostring(value) + "\"" }
        return Deployment.display(value)
    }

    /// One finding per token host whose HMAC secret another enabled token host also uses.
    func sharedSecretFindings() -> [Finding] {
        var groups: [[UInt8]: [String]] = [:]
        var order: [[UInt8]] = []
        for host in deployment.tokenHosts {
            let rules = deployment.rules(for: host.name)
            guard !rules.usesKeyServer, case .hmac(let secret)? = rules.key else { continue }
            let bytes = secret.revealedBytes
            if groups[bytes] == nil { order.append(bytes) }
            groups[bytes, default: []].append(host.name)
        }
        var findings: [Finding] = []
        for bytes in order {
            guard let hosts = groups[bytes], hosts.count > 1 else { continue }
            for host in hosts {
                let others = hosts.filter { $0 != host }.joined(separator: ", ")
                let note = effectiveSet(host, "app_secret")
                findings.append(
                    Finding(
                        .sharedSecret, message: "\(host) uses the same app_secret as \(others)",
                        fix: "Give \(host) its own app_secret.", host: host, file: note?.file, line: note?.line))
            }
        }
        return findings
    }

    // MARK: Components

    func componentFindings() -> [Finding] {
        config.components.flatMap { section -> [Finding] in
            Auditor.hostOnlyTokenOptions.compactMap { option -> Finding? in
                guard section[option] != nil else { return nil }
                let note = lastSet(section.name, option)
                let parent =
                    Deployment.parentHost(of: section.name).map { "VirtualHost \"\($0)\"" } ?? "the VirtualHost"
                return Finding(
                    .componentTokenOption,
                    message: "\(option) is set under Component \"\(section.name)\", where the token plugins never read "
                        + "it (they read \(parent), then the global section)",
                    fix: "Move \(option) to \(parent) (or the global section).",
                    host: section.name, file: note?.file, line: note?.line)
            }
        }
    }

    // MARK: Loader notes and warnings

    /// Reads of undefined names that are the value of an assignment: the next note after the read (other reads
    /// aside) sets an option in the same file and section, on the read's line or a later one (a multi-line table).
    func undefinedNameFindings() -> [Finding] {
        let notes = config.notes
        var findings: [Finding] = []
        for (index, read) in notes.enumerated() where read.kind == .undefined {
            guard let set = notes[(index + 1)...].first(where: { $0.kind != .undefined }), set.kind == .set,
                set.file == read.file, set.section == read.section,
                let readLine = read.line, let setLine = set.line, setLine >= readLine
            else { continue }
            let host = read.section == "*" ? nil : read.section
            let message: String
            let fix: String
            if ConfigDump.isSecret(optionName: set.name) {
                message =
                    "\(set.name) is given an unquoted name that is not defined: Lua reads it as nil "
                    + "(the name is not shown: it may be the secret)"
                fix = "Quote the value: \(set.name) = \"…\"."
            } else {
                message =
                    "\(set.name) is given the unquoted name \(read.name), which is not defined: Lua reads it "
                    + "as nil, not as the string \"\(read.name)\""
                fix = "Quote it: \"\(read.name)\"."
            }
            findings.append(
                Finding(
                    .undefinedName, message: message, fix: fix, host: host, file: read.file, line: read.line))
        }
        return findings
    }

    /// Prosody's load warnings: duplicate options, and the rest as loader warnings, at the `file:line:` they start
    /// with.
    func loaderWarningFindings() -> [Finding] {
        config.warnings.map { warning in
            let (file, line, text) = Self.splitLocation(warning)
            if text.hasPrefix("Duplicate option '") {
                return Finding(
                    .duplicateOption,
                    message: text + ": it is set twice in this section of this file; the last value wins",
                    file: file, line: line)
            }
            return Finding(.loaderWarning, message: text, file: file, line: line)
        }
    }

    /// Splits `"<file>:<line>: <text>"` at the first `:<digits>: `; a text without one has no location.
    static func splitLocation(_ warning: String) -> (file: String?, line: Int?, text: String) {
        let characters = Array(warning)
        var index = 0
        while index < characters.count {
            if characters[index] == ":" {
                var end = index + 1
                while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
                if end > index + 1, end + 1 < characters.count, characters[end] == ":", characters[end + 1] == " ",
                    let line = Int(String(characters[(index + 1)..<end]))
                {
                    return (String(characters[..<index]), line, String(characters[(end + 2)...]))
                }
            }
            index += 1
        }
        return (nil, nil, warning)
    }

    func emptyGlobFindings() -> [Finding] {
        config.notes.filter { $0.kind == .emptyGlob }.map { note in
            Finding(
                .includeNoMatch, message: "Include \"\(note.name)\" matched no file: nothing from it is loaded",
                host: note.section == "*" ? nil : note.section, file: note.file, line: note.line)
        }
    }

    // MARK: Files

    /// The main config and every file a note names, when other users can read them (`mode & 0o004`).
    func fileModeFindings(configPath: String, fileMode: Auditor.FileModeReader) -> [Finding] {
        var files = [configPath]
        for note in config.notes where !files.contains(note.file) { files.append(note.file) }
        return files.compactMap { file -> Finding? in
            guard let mode = fileMode(file), mode & 0o004 != 0 else { return nil }
            let secrets = config.notes.filter {
                $0.file == file && $0.kind == .set && ConfigDump.isSecret(optionName: $0.name)
            }
            var names: [String] = []
            for note in secrets where !names.contains(note.name) { names.append(note.name) }
            let digits = String(mode & 0o7777, radix: 8)
            let octal = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            let holds = names.isEmpty ? "" : " and sets " + names.joined(separator: ", ")
            return Finding(
                .worldReadable,
                message: "\(file) is readable by every local user (mode \(octal))\(holds)",
                fix: "chmod o-r \(file) (keep it readable by the prosody group: root:prosody 0640).",
                file: file)
        }
    }
}
