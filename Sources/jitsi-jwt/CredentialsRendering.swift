import JitsiToken

/// The text, JSON and env shapes of `credentials` (the JSON and env shapes are a public interface: Sources/jitsi-jwt/Documentation.docc/commands.md).
enum CredentialsRendering {
    static func secretShown(_ credentials: HostCredentials, showSecrets: Bool) -> String? {
        guard credentials.secret != nil else { return nil }
        return showSecrets ? credentials.revealedSecretText : "<redacted>"
    }

    static func json(_ hosts: [HostCredentials], showSecrets: Bool) -> JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        let items = hosts.map { credentials -> JSONValue in
            let rules = credentials.rules
            let sources = HostCredentials.options.compactMap { option -> (String, JSONValue)? in
                guard let source = credentials.sources[option] else { return nil }
                return (option, .object(JSONObject([
                    ("section", .string(source.section)), ("file", .string(source.file)),
                    ("line", source.line.map { .integer(Int64($0)) } ?? .null),
                ])))
            }
            return .object(JSONObject([
                ("host", .string(credentials.host)), ("app_id", optional(rules.appID)),
                ("algorithm", .string(rules.signatureAlgorithm)),
                ("secret", optional(secretShown(credentials, showSecrets: showSecrets))),
                ("secret_sha256", optional(credentials.secret?.fingerprint)),
                ("asap_key_server", optional(credentials.keyServer)),
                ("cache_keys_url", optional(credentials.cacheKeysURL)), ("key_url", optional(credentials.keyURL)),
                ("accepted_issuers", .array(rules.acceptedIssuers.map(JSONValue.string))),
                ("accepted_audiences", .array(rules.acceptedAudiences.map(JSONValue.string))),
                ("sources", .object(JSONObject(sources))),
            ]))
        }
        return .object(JSONObject([("hosts", .array(items))]))
    }

    static func env(
        _ credentials: HostCredentials, showSecrets: Bool
    ) throws(ShellFormat.Unrepresentable) -> [UInt8] {
        let rules = credentials.rules
        var pairs: [(name: String, value: String)] = [
            ("JITSI_HOST", credentials.host), ("JITSI_APP_ID", rules.appID ?? ""),
            ("JITSI_ALGORITHM", rules.signatureAlgorithm),
            ("JITSI_SECRET_SHA256", credentials.secret?.fingerprint ?? ""),
        ]
        if showSecrets, let secret = credentials.revealedSecretText { pairs.append(("JITSI_SECRET", secret)) }
        pairs += [
            ("JITSI_ASAP_KEY_SERVER", credentials.keyServer ?? ""),
            ("JITSI_CACHE_KEYS_URL", credentials.cacheKeysURL ?? ""), ("JITSI_KEY_URL", credentials.keyURL ?? ""),
            ("JITSI_ACCEPTED_ISSUERS", rules.acceptedIssuers.joined(separator: " ")),
            ("JITSI_ACCEPTED_AUDIENCES", rules.acceptedAudiences.joined(separator: " ")),
        ]
        return try ShellFormat.assignments(pairs)
    }

    static func text(_ hosts: [HostCredentials], showSecrets: Bool) -> String {
        hosts.map { text($0, showSecrets: showSecrets) }.joined(separator: "\n")
    }

    static func text(_ credentials: HostCredentials, showSecrets: Bool) -> String {
        let rules = credentials.rules
        var rows: [(name: String, value: String, source: String)] = []
        func row(_ name: String, _ value: String, _ option: String, default defaultText: String = "default") {
            rows.append((name, value, credentials.sources[option]?.text ?? defaultText))
        }
        row("app_id", rules.appID ?? "(not set: token auth does not load)", "app_id", default: "-")
        row("algorithm", rules.signatureAlgorithm, "signature_algorithm")
        if credentials.usesKeyServer {
            if let keyServer = credentials.keyServer {
                row("asap_key_server", keyServer, "asap_key_server")
                rows.append(
                    credentials.keyURL.map { ("key URL", $0, "for kid " + (credentials.keyID ?? "")) }
                        ?? ("key URL", keyServer + "/<sha256 hex of kid>.pem", "--kid KID gives the exact URL"))
            }
            if let cacheKeysURL = credentials.cacheKeysURL { row("cache_keys_url", cacheKeysURL, "cache_keys_url") }
        } else if let shown = secretShown(credentials, showSecrets: showSecrets) ?? credentials.secret.map({ _ in
            "(not UTF-8: use --secret-out FILE)"
        }) {
            row("app_secret", shown + (showSecrets ? "" : "  " + (credentials.secret?.fingerprint ?? "")), "app_secret")
        } else {
            row("app_secret", "(not set: token auth does not load)", "app_secret", default: "-")
        }
        row("accepted issuers", rules.acceptedIssuers.joined(separator: ", "), "asap_accepted_issuers",
            default: "default (app_id)")
        row("accepted audiences", rules.acceptedAudiences.joined(separator: ", "), "asap_accepted_audiences")
        let nameWidth = rows.map(\.name.count).max() ?? 0
        let valueWidth = rows.map { Output.printable($0.value).count }.max() ?? 0
        let lines = rows.map { row in
            ("  " + row.name.padding(to: nameWidth) + "  " + Output.printable(row.value).padding(to: valueWidth)
                + "  " + Output.printable(row.source)).trimmingTrailingSpaces()
        }
        return Output.printable(credentials.host) + "\n" + lines.joined(separator: "\n") + "\n"
    }
}
