import JitsiToken
import ProsodyConfig

/// The findings about token hosts and their MUCs, read from the deployment model.
extension AuditContext {
    func tokenHostFindings() -> [Finding] {
        if deployment.tokenHosts.isEmpty {
            return [Finding(.noTokenHost, message: "no enabled VirtualHost has authentication = \"token\"")]
        }
        return deployment.tokenHosts.indices.flatMap(tokenHostFindings(for:)) + mucFindings()
    }

    /// The findings about the token host at `position` in `deployment.tokenHosts`.
    private func tokenHostFindings(for position: Int) -> [Finding] {
        let host = deployment.tokenHosts[position]
        let name = host.name
        let key = host.key
        let reader = host.reader
        let rules = connectRules[position]
        /// Where the host's findings point when their own option was not set: made only for a finding.
        func anchor() -> LoadNote? {
            effectiveSet(key, "authentication", options: reader.section) ?? firstSet(in: key)
        }
        func finding(_ rule: AuditRule, _ message: String, at note: LoadNote?, fix: String? = nil) -> Finding {
            let note = note ?? anchor()
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
                        at: nil,
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
        findings += joinFindings(for: position, finding: finding)
        return findings
    }

    /// What the join stage of the MUC of the token host at `position` means for its users: no MUC, a MUC that
    /// checks nothing, rooms that cannot be found (no `muc_mapper_domain_base` on the MUC's parent), a `sub` nobody
    /// can mint. `finding` points at the host's anchor when given no note.
    private func joinFindings(
        for position: Int, finding: (AuditRule, String, LoadNote?, String?) -> Finding
    ) -> [Finding] {
        let name = deployment.tokenHosts[position].name
        guard let mucPosition = mucPositions[position], let join = joins[mucPosition] else {
            return [
                finding(
                    .tokenVerificationMissing,
                    "no MUC component for the users of \(name) found (\(connectRules[position].mucDomain ?? "conference.\(name)")"
                        + "): room claims are not enforced", nil,
                    "Define Component \"conference.\(name)\" \"muc\" with \"token_verification\" in modules_enabled.")
            ]
        }
        let muc = deployment.components[mucPosition]
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
                    effectiveSet(parentKey, "muc_mapper_domain_base"),
                    "Set muc_mapper_domain_base = \"\(verification.parentHost)\" in the global section.")
            ]
        }
        if verification.enableDomainVerification, join.subject == nil {
            return [
                finding(
                    .noValidSubject,
                    "users of \(name) join rooms on \(muc.name), whose name does not start with "
                        + "\"\(verification.mucMapperDomainPrefix).\": no `sub` other than \"*\" rebuilds their "
                        + "room address", nil, nil)
            ]
        }
        return []
    }

    /// Per MUC: a MUC users of a token host join that checks nothing, and `token_verification` on a MUC whose
    /// rooms its checker looks up elsewhere (breakout, lobby), which refuses every token join there.
    private func mucFindings() -> [Finding] {
        // The token hosts whose users join each MUC, in host order, by the MUC's position.
        var joinedBy = [[String]](repeating: [], count: deployment.components.count)
        for (position, host) in deployment.tokenHosts.enumerated() {
            if let muc = mucPositions[position] { joinedBy[muc].append(host.name) }
        }
        var findings: [Finding] = []
        for (position, muc) in deployment.components.enumerated() where muc.isMUC && muc.enabled {
            guard let join = joins[position] else { continue }
            // A finding about this MUC, at its modules_enabled (or its first option): looked up only for a finding.
            func finding(_ rule: AuditRule, message: String, fix: String) -> Finding {
                let note = lastSet(muc.key, "modules_enabled") ?? firstSet(in: muc.key)
                return Finding(rule, message: message, fix: fix, host: muc.name, file: note?.file, line: note?.line)
            }
            let users = joinedBy[position]
            let joined = !users.isEmpty
            switch join.checker {
            case .notLoaded where joined:
                findings.append(
                    finding(
                        .tokenVerificationMissing,
                        message: "\(muc.name) (where the users of \(Self.list(users)) join) does not load "
                            + "token_verification: room claims are not enforced",
                        fix: "Add \"token_verification\" to modules_enabled of Component \"\(muc.name)\" \"muc\"."))
            case .notStarted(let reason)
            where joined && !isTokenHost(.string(Array((muc.parentHost ?? "").utf8))):
                // (A token host's own missing app_id or secret is reported on the host.)
                findings.append(
                    finding(
                        .tokenVerificationMissing,
                        message: "token_verification on \(muc.name) does not start (\(reason)): room claims are "
                            + "not enforced",
                        fix: "Set app_id and app_secret on \(muc.parentHost ?? "its parent host") (or globally)."))
            case .verifies(let verification):
                guard let lookedUp = verification.mucDomain, lookedUp != muc.name else { continue }
                let refusal =
                    join.mirrorsConferenceRooms
                    ? "finds its rooms on \(lookedUp) (they share their names), but their address never matches one "
                        + "there: every token join of \(muc.name) is refused ('Room and token mismatched')"
                    : "looks its rooms\(muc.role == .breakout ? " (named by a uuid)" : "") up on \(lookedUp), where "
                        + "they do not exist: every token join of \(muc.name) is refused ('Room does not exist')"
                findings.append(
                    finding(
                        .tokenVerificationForeignMUC,
                        message: "token_verification on \(muc.name) " + refusal,
                        fix: "Remove \"token_verification\" from modules_enabled of Component \"\(muc.name)\"."))
            default:
                continue
            }
        }
        return findings
    }

    /// Whether the VirtualHost under this key is one of `deployment.tokenHosts`.
    private func isTokenHost(_ key: LuaValue) -> Bool { deployment.host(key: key).map(Deployment.isTokenHost) ?? false }

    /// Up to three names, then how many more.
    static func list(_ names: [String]) -> String {
        names.count <= 3 ? names.joined(separator: ", ")
            : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }
}

extension AuditContext {
    /// ``Auditor/exampleSecrets`` as bytes, made once (they are lowercase).
    private static let exampleSecretBytes = Set(Auditor.exampleSecrets.map { Array($0.utf8) })
    /// The longest of them, in bytes: a longer secret is none of them.
    private static let longestExampleSecret = exampleSecretBytes.map(\.count).max() ?? 0

    /// Why a secret is weak (never quoting it), or `nil`.
    static func weakness(of secret: Secret) -> String? {
        if secret.count <= longestExampleSecret,
            exampleSecretBytes.contains(secret.revealedBytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 })
        {
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
        let hosts = deployment.tokenHosts
        // Each HMAC secret's group, numbered in order of first use, and its size; the secret's bytes are the key as
        // a LuaValue string, which hashes eight bytes a step.
        var groupNumbers: [LuaValue: Int] = [:]
        var sizes: [Int] = []
        var groups = [Int?](repeating: nil, count: hosts.count)
        for position in hosts.indices {
            let rules = connectRules[position]
            guard !rules.usesKeyServer, case .hmac(let secret)? = rules.key, secret.count > 0 else {
                continue
            }
            let key = LuaValue.string(secret.revealedBytes)
            let number: Int
            if let known = groupNumbers[key] {
                number = known
            } else {
                number = sizes.count
                groupNumbers[key] = number
                sizes.append(0)
            }
            sizes[number] += 1
            groups[position] = number
        }
        // The hosts of each group that more than one host shares, in host order.
        var members: [Int: [Int]] = [:]
        for position in hosts.indices {
            if let number = groups[position], sizes[number] > 1 { members[number, default: []].append(position) }
        }
        var findings: [Finding] = []
        for number in members.keys.sorted() {
            let group = members[number] ?? []
            for position in group {
                let host = hosts[position]
                let named = group.prefix(4).filter { hosts[$0].key != host.key }.prefix(3).map { hosts[$0].name }
                let more = group.count - 1 - named.count
                let others = named.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
                let note = effectiveSet(host.key, "app_secret", options: host.reader.section)
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
