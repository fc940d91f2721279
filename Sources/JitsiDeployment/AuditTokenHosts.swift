import JitsiToken
import ProsodyConfig

/// The findings about token hosts and their MUCs, read from the deployment model.
extension AuditContext {
    func tokenHostFindings() -> [Finding] {
        if deployment.tokenHosts.isEmpty {
            return [Finding(.noTokenHost, message: "no enabled VirtualHost has authentication = \"token\"")]
        }
        return deployment.tokenHosts.flatMap(tokenHostFindings(for:)) + mucFindings()
    }

    private func tokenHostFindings(for host: Deployment.Host) -> [Finding] {
        let name = host.name
        let key = host.key
        let reader = OptionReader(config: config, sectionKey: key)
        let rules = connectRules[key] ?? host.connectRules
        let anchor = effectiveSet(key, "authentication") ?? firstSet(in: key)
        func finding(_ rule: AuditRule, _ message: String, at note: LoadNote?, fix: String? = nil) -> Finding {
            let note = note ?? anchor
            return Finding(rule, message: message, fix: fix, host: name, file: note?.file, line: note?.line)
        }
        var findings: [Finding] = []

        // Only a missing app_id stops the module from loading (`util.lib.lua` tests for nil); "" loads.
        if rules.appID == nil {
            findings.append(
                finding(
                    .missingAppID,
                    "token host \(name) has no app_id: token auth does not load ('app_id' must not be empty)",
                    at: effectiveSet(key, "app_id"),
                    fix: "Set app_id = \"<your app id>\" under VirtualHost \"\(name)\"."))
        }
        if !rules.usesKeyServer {
            switch rules.key {
            case .hmac(let secret)? where secret.count == 0:
                let pair = rules.appID?.isEmpty == true ? "app_id and app_secret are both empty" : "app_secret is empty"
                findings.append(
                    finding(
                        .emptySecret,
                        "\(pair) on token host \(name): the module loads, and anyone can sign a token it accepts "
                            + "with the empty key",
                        at: effectiveSet(key, "app_secret")))
            case .hmac(let secret)?:
                if let problem = Self.weakness(of: secret) {
                    findings.append(
                        finding(.weakSecret, "app_secret of \(name) \(problem)", at: effectiveSet(key, "app_secret")))
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
                    at: effectiveSet(key, "signature_algorithm")))
        }
        if rules.allowEmptyToken {
            findings.append(
                finding(
                    .allowEmptyToken, "allow_empty_token is on for \(name): clients without a token join anonymously",
                    at: effectiveSet(key, "allow_empty_token")))
        }
        let option = "enable_domain_verification"
        if case .some(let parsed) = reader.boolean(option), parsed != true {
            let message =
                parsed == false
                ? "enable_domain_verification is false for \(name): the token's `sub` is not checked, only the "
                    + "room name"
                : "enable_domain_verification of \(name) is \(Self.shown(reader.scalar(option))), which Prosody "
                    + "does not read as a boolean: it becomes nil, so domain verification is off"
            findings.append(finding(.domainVerificationOff, message, at: effectiveSet(key, option)))
        }
        if reader.isSet("asap_accepted_issuers"), rules.acceptedIssuers.contains("*") {
            findings.append(
                finding(
                    .wildcardIssuer,
                    "asap_accepted_issuers of \(name) contains \"*\": tokens with any `iss` are accepted",
                    at: effectiveSet(key, "asap_accepted_issuers")))
        }
        if reader.isSet("asap_accepted_audiences"), rules.acceptedAudiences.contains("*") {
            findings.append(
                finding(
                    .wildcardAudience,
                    "asap_accepted_audiences of \(name) contains \"*\": tokens with any `aud` are accepted",
                    at: effectiveSet(key, "asap_accepted_audiences")))
        }
        findings += joinFindings(for: host, anchor: anchor, finding: finding)
        return findings
    }

    /// What the join stage of the host's MUC means for its users: no MUC, a MUC that checks nothing, rooms that
    /// cannot be found (no `muc_mapper_domain_base` on the MUC's parent), a `sub` nobody can mint.
    private func joinFindings(
        for host: Deployment.Host, anchor: LoadNote?,
        finding: (AuditRule, String, LoadNote?, String?) -> Finding
    ) -> [Finding] {
        let name = host.name
        guard let muc = deployment.muc(for: host), let join = joins[muc.key] else {
            return [
                finding(
                    .tokenVerificationMissing,
                    "no MUC component for the users of \(name) found (\((connectRules[host.key] ?? host.connectRules).mucDomain ?? "conference.\(name)")"
                        + "): room claims are not enforced", anchor,
                    "Define Component \"conference.\(name)\" \"muc\" with \"token_verification\" in modules_enabled.")
            ]
        }
        guard let verification = join.verification else {
            // Reported once per MUC by mucFindings.
            return []
        }
        let parentKey = LuaValue.string(Array(verification.parentHost.utf8))
        if verification.mucMapperDomainBase == nil {
            let consequence =
                era < .september2025
                ? "the installed plugins (\(era)) still accept token joins, but from the 2025-09 plugins on every "
                    + "token join is refused with 'Room does not exist'"
                : "current servers refuse every token join with 'Room does not exist'"
            return [
                finding(
                    .mapperDomainBaseMissing,
                    "muc_mapper_domain_base is not set for \(verification.parentHost) (the parent host of "
                        + "\(muc.name), where the users of \(name) join): " + consequence,
                    effectiveSet(parentKey, "muc_mapper_domain_base") ?? anchor,
                    "Set muc_mapper_domain_base = \"\(verification.parentHost)\" in the global section.")
            ]
        }
        if verification.enableDomainVerification, join.subject == nil {
            return [
                finding(
                    .noValidSubject,
                    "users of \(name) join rooms on \(muc.name), whose name does not start with "
                        + "\"\(verification.mucMapperDomainPrefix).\": no `sub` other than \"*\" rebuilds their "
                        + "room address", anchor, nil)
            ]
        }
        return []
    }

    /// Per MUC: a MUC users of a token host join that checks nothing, and `token_verification` on a MUC whose
    /// rooms its checker looks up elsewhere (breakout, lobby), which refuses every token join there.
    private func mucFindings() -> [Finding] {
        // The token hosts whose users join each MUC, in host order.
        var joinedBy: [LuaValue: [String]] = [:]
        for host in deployment.tokenHosts { if let key = host.muc { joinedBy[key, default: []].append(host.name) } }
        let tokenHostKeys = Set(deployment.tokenHosts.map(\.key))
        var findings: [Finding] = []
        for muc in deployment.components where muc.isMUC && muc.enabled {
            guard let join = joins[muc.key] else { continue }
            let note = lastSet(muc.key, "modules_enabled") ?? firstSet(in: muc.key)
            let users = joinedBy[muc.key] ?? []
            let joined = !users.isEmpty
            switch join.checker {
            case .notLoaded where joined:
                findings.append(
                    Finding(
                        .tokenVerificationMissing,
                        message: "\(muc.name) (where the users of \(Self.list(users)) join) does not load "
                            + "token_verification: room claims are not enforced",
                        fix: "Add \"token_verification\" to modules_enabled of Component \"\(muc.name)\" \"muc\".",
                        host: muc.name, file: note?.file, line: note?.line))
            case .notStarted(let reason)
            where joined && !tokenHostKeys.contains(.string(Array((muc.parentHost ?? "").utf8))):
                // (A token host's own missing app_id or secret is reported on the host.)
                findings.append(
                    Finding(
                        .tokenVerificationMissing,
                        message: "token_verification on \(muc.name) does not start (\(reason)): room claims are "
                            + "not enforced",
                        fix: "Set app_id and app_secret on \(muc.parentHost ?? "its parent host") (or globally).",
                        host: muc.name, file: note?.file, line: note?.line))
            case .verifies(let verification):
                guard let lookedUp = verification.mucDomain, lookedUp != muc.name else { continue }
                let refusal =
                    join.mirrorsConferenceRooms
                    ? "finds its rooms on \(lookedUp) (they share their names), but their address never matches one "
                        + "there: every token join of \(muc.name) is refused ('Room and token mismatched')"
                    : "looks its rooms\(muc.role == .breakout ? " (named by a uuid)" : "") up on \(lookedUp), where "
                        + "they do not exist: every token join of \(muc.name) is refused ('Room does not exist')"
                findings.append(
                    Finding(
                        .tokenVerificationForeignMUC,
                        message: "token_verification on \(muc.name) " + refusal,
                        fix: "Remove \"token_verification\" from modules_enabled of Component \"\(muc.name)\".",
                        host: muc.name, file: note?.file, line: note?.line))
            default:
                continue
            }
        }
        return findings
    }

    /// Up to three names, then how many more.
    static func list(_ names: [String]) -> String {
        names.count <= 3 ? names.joined(separator: ", ")
            : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }
}

extension AuditContext {
    /// ``Auditor/exampleSecrets`` as bytes, made once (they are lowercase).
    private static let exampleSecretBytes = Set(Auditor.exampleSecrets.map { Array($0.utf8) })

    /// Why a secret is weak (never quoting it), or `nil`.
    static func weakness(of secret: Secret) -> String? {
        let lowered = secret.revealedBytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        if exampleSecretBytes.contains(lowered) {
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
        return Deployment.TokenOption(name: "", raw: value).text
    }

    /// One finding per token host whose HMAC secret another enabled token host also uses; each message names at
    /// most three of the others, so the report stays linear in the number of hosts.
    func sharedSecretFindings() -> [Finding] {
        var groups: [[UInt8]: [Deployment.Host]] = [:]
        var order: [[UInt8]] = []
        for host in deployment.tokenHosts {
            let rules = connectRules[host.key] ?? host.connectRules
            guard !rules.usesKeyServer, case .hmac(let secret)? = rules.key, secret.count > 0 else {
                continue
            }
            let bytes = secret.revealedBytes
            if groups[bytes] == nil { order.append(bytes) }
            groups[bytes, default: []].append(host)
        }
        var findings: [Finding] = []
        for bytes in order {
            guard let hosts = groups[bytes], hosts.count > 1 else { continue }
            for host in hosts {
                let named = hosts.prefix(4).filter { $0.key != host.key }.prefix(3).map(\.name)
                let more = hosts.count - 1 - named.count
                let others = named.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
                let note = effectiveSet(host.key, "app_secret")
                findings.append(
                    Finding(
                        .sharedSecret, message: "\(host.name) uses the same app_secret as \(others)",
                        fix: "Give \(host.name) its own app_secret.", host: host.name, file: note?.file,
                        line: note?.line))
            }
        }
        return findings
    }
}
