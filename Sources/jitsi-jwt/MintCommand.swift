import ArgumentParser
import JitsiDeployment
import JitsiToken

struct MintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mint",
        abstract: "Mint a token the server accepts, with iss, aud, sub, room and times from its own settings.",
        discussion: "Refuses (exit 1) to mint what the server would refuse; warns on stderr about the known traps.")

    @OptionGroup var server: TokenServerOptions

    @Option(help: "The room as a person types it (encoded like the web client does), or * for any room.")
    var room: String?

    @Option(help: "The tenant, for https://HOST/TENANT/ROOM (becomes sub).")
    var tenant: String?

    @Option(help: "context.user.name") var name: String?
    @Option(help: "context.user.email") var email: String?
    @Option(help: "context.user.avatar") var avatar: String?
    @Option(name: .customLong("user-id"), help: "context.user.id") var userID: String?
    @Flag(help: "context.user.moderator = true (only honoured with an affiliation plugin).") var moderator = false
    @Option(help: "context.user.affiliation (owner, moderator, teacher, member…).") var affiliation: String?

    @Option(name: .customLong("feature"), help: "context.features: NAME[=true|false] (repeatable).")
    var features: [String] = []

    @Option(name: .customLong("claim"), help: "An extra top-level claim KEY=JSON (repeatable).")
    var claims: [String] = []

    @Option(help: "Lifetime: 30s, 90m, 2h, 1d (exp = now + ttl).")
    var ttl: Duration = Duration(argument: "2h")!

    @Option(name: .customLong("not-before-skew"), help: "nbf = now - skew, for servers whose clock runs behind.")
    var notBeforeSkew: Duration = Duration(argument: "30s")!

    @Option(name: .customLong("public-host"), help: "The public host for the join URL (default: the VirtualHost).")
    var publicHost: String?

    @Option(help: "text (the token alone) or json.")
    var format: OutputFormat = .text

    func run() throws {
        let (rules, host, deployment) = try server.rules()
        let request = MintRequest(
            room: room, tenant: tenant, userID: userID, userName: name, userEmail: email, userAvatar: avatar,
            moderator: moderator ? true : nil, affiliation: affiliation, features: try parsedFeatures(),
            extraClaims: try parsedClaims(), ttl: ttl.seconds, notBeforeSkew: notBeforeSkew.seconds,
            affiliationPluginLoaded: deployment?.loadsAffiliationPlugin(host: host) ?? false)
        let signingKey = try server.signingKey(rules)
        let minted: (claims: Claims, warnings: [String])
        do {
            minted = try makeClaims(
                for: request, rules: rules, now: TokenServerOptions.now(), signingKey: signingKey,
                signingAlgorithm: server.keyFile != nil ? rules.supportedAlgorithm : nil)
        } catch {
            Output.error("refused: \(error)")
            throw ExitCode(1)
        }
        guard let algorithm = rules.supportedAlgorithm, let signingKey else {
            Output.error("refused: no key to sign with")
            throw ExitCode(1)
        }
        let token: String
        do {
            token = try TokenSigner(algorithm: algorithm, key: signingKey).sign(minted.claims)
        } catch {
            Output.error("refused: \(error)")
            throw ExitCode(1)
        }
        let warnings = (deployment?.mintWarnings(host: host) ?? []) + minted.warnings
        for warning in warnings { Output.error("warning: \(warning)") }
        let url = joinURL(token: token, host: host, claims: minted.claims)
        switch format {
        case .text:
            Output.write(token + "\n")
        case .json:
            let object = JSONValue.object(JSONObject([
                ("token", .string(token)), ("url", .string(url)), ("host", .string(host)),
                ("claims", minted.claims.jsonValue), ("warnings", .array(warnings.map(JSONValue.string))),
            ]))
            Output.write(object.jsonText + "\n")
        }
    }

    /// `https://PUBLIC_HOST/[tenant/]room?jwt=TOKEN`.
    func joinURL(token: String, host: String, claims: Claims) -> String {
        var path = tenant.map { "\(RoomName.node(typed: $0))/" } ?? ""
        if let room = claims.room, room != "*" { path += room }
        return "https://\(publicHost ?? host)/\(path)?jwt=\(token)"
    }

    func parsedFeatures() throws -> [String: Bool] {
        var result: [String: Bool] = [:]
        for feature in features {
            let parts = feature.split(separator: "=", maxSplits: 1).map(String.init)
            switch parts.count == 2 ? parts[1] : "true" {
            case "true": result[parts[0]] = true
            case "false": result[parts[0]] = false
            default: throw ValidationError("--feature \(feature): the value must be true or false")
            }
        }
        return result
    }

    func parsedClaims() throws -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for claim in claims {
            guard let equals = claim.firstIndex(of: "=") else {
                throw ValidationError("--claim \(claim): expected KEY=JSON")
            }
            let key = String(claim[..<equals])
            guard let value = JSONValue(parsing: String(claim[claim.index(after: equals)...])) else {
                throw ValidationError("--claim \(claim): the value is not JSON (quote strings: key='\"text\"')")
            }
            result[key] = value
        }
        return result
    }
}
