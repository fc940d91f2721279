import ArgumentParser
import JitsiDeployment
import JitsiToken

struct MintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mint",
        _superCommandName: JitsiJWT.commandName,
        abstract: "Mint a token the server accepts, with iss, aud, sub, room and times from its own settings.",
        discussion: """
            Verifies every token it signs with the server's own checks (connect stage, then the join on the MUC the \
            user joins: --muc, default conference.<muc_mapper_domain_base>) and prints only what passes; otherwise \
            exits 1 with the server's reason and a hint. Warns on stderr about the known traps. \
            Exit 2 on a usage or config error.

            --format env prints JITSI_TOKEN, JITSI_URL and JITSI_HOST as single-quoted POSIX sh assignments, for \
            eval "$(jitsi-jwt mint --format env …)". The URL is empty (null in JSON) when the token is not tied to \
            one room (room * or no room claim).

            --batch FILE (or - for stdin) reads JSON Lines, one request per line, with the fields room, tenant, \
            name, email, avatar, user_id, moderator, affiliation, ttl (seconds or "2h"), exp and nbf (Unix seconds \
            or RFC 3339), features (an object of booleans), claims (an object of extra claims) and context (an \
            object merged into context, as --context); the options given here are defaults for every line. \
            It prints one JSON line per request, in input order: {"line":N,"token":…,"url":…} or \
            {"line":N,"error":…}. Empty lines are skipped (and counted in the summary on stderr). Exit 0 when \
            every line was minted, 1 when any failed.
            """)

    @OptionGroup var server: TokenServerOptions

    @Option(help: "The room as a person types it (encoded like the web client does), or * for any room.")
    var room: String?

    @Option(help: "The tenant, for https://HOST/TENANT/ROOM (becomes sub).")
    var tenant: String?

    @Option(
        help: ArgumentHelp(
            "sub instead of the one the server's MUC accepts (its domain, or the tenant), e.g. * for any.",
            valueName: "sub"))
    var sub: String?

    @Option(help: "context.user.name") var name: String?
    @Option(help: "context.user.email") var email: String?
    @Option(help: "context.user.avatar") var avatar: String?
    @Option(name: .customLong("user-id"), help: "context.user.id") var userID: String?
    @Flag(
        inversion: .prefixedNo,
        help: "context.user.moderator = true, or false with --no-moderator (only honoured with an affiliation plugin).")
    var moderator: Bool?
    @Option(help: "context.user.affiliation (owner, moderator, teacher, member…).") var affiliation: String?

    @Option(name: .customLong("feature"), help: "context.features: NAME[=true|false] (repeatable).")
    var features: [String] = []

    @Option(name: .customLong("claim"), help: "An extra top-level claim KEY=JSON (repeatable).")
    var claims: [String] = []

    @Option(
        name: .customLong("context"),
        help: ArgumentHelp(
            "A claim under context: PATH=JSON, e.g. user.lobby_bypass=true, group='\"sales\"', room.lobby=true "
                + "(repeatable).", valueName: "path=json"))
    var contextClaims: [String] = []

    @Option(help: "Lifetime: 30s, 90m, 2h, 1d (exp = now + ttl). (default: 2h)")
    var ttl: Duration?

    @Option(
        help: ArgumentHelp(
            "exp as an absolute time: RFC 3339 (2026-03-01T18:00:00Z) or Unix seconds.", valueName: "time"))
    var exp: Timestamp.Argument?

    @Option(help: ArgumentHelp("nbf as an absolute time: RFC 3339 or Unix seconds.", valueName: "time"))
    var nbf: Timestamp.Argument?

    @Option(name: .customLong("not-before-skew"), help: "nbf = now - skew, for servers whose clock runs behind.")
    var notBeforeSkew: Duration = Duration(argument: "30s")!

    @Option(name: .customLong("public-host"), help: "The public host for the join URL (default: the VirtualHost).")
    var publicHost: String?

    @Option(help: "text (the token alone), json or env (sh assignments).")
    var format: MintFormat = .text

    @Option(
        help: ArgumentHelp("Mint one token per JSON line of FILE (- for stdin); prints JSON Lines.", valueName: "file"),
        completion: .file())
    var batch: String?

    func validate() throws {
        if batch != nil, format == .env {
            throw ValidationError("--format env prints one token; --batch always prints JSON Lines")
        }
        if batch == "-", let option = server.standardInputOptions.first {
            throw ValidationError("\(option) - and --batch - both want stdin: give one of them a file")
        }
        if ttl != nil, exp != nil { throw ValidationError("give --ttl or --exp, not both") }
        _ = try parsedFeatures()
        _ = try parsedClaims()
        _ = try parsedContextClaims()
    }

    func run() throws {
        let (rules, host, deployment, chosen, era) = try server.rules()
        let defaults = MintRequest(
            room: room, tenant: tenant, userID: userID, userName: name, userEmail: email, userAvatar: avatar,
            moderator: moderator, affiliation: affiliation, features: try parsedFeatures(),
            extraClaims: try parsedClaims(), contextClaims: try parsedContextClaims(),
            ttl: (ttl ?? Duration.defaultTTL).seconds, expiresAt: exp?.unix, notBefore: nbf?.unix,
            notBeforeSkew: notBeforeSkew.seconds, subject: sub,
            affiliationPluginLoaded: chosen.map { deployment?.loadsAffiliationPlugin(host: $0) ?? false } ?? false)
        let minter = try Minter(
            rules: rules, host: host, publicHost: publicHost, signingKey: try server.signingKey(rules),
            usesKeyFile: server.keyFile != nil, subject: sub, probesTheServer: batch != nil)
        let deploymentWarnings = (chosen.flatMap { deployment?.mintWarnings(host: $0, rules: rules) } ?? [])
            + minter.warnings

        if let batch {
            let summary = try BatchMint(minter: minter, defaults: defaults, deploymentWarnings: deploymentWarnings)
                .run(path: batch)
            if summary.failed > 0 { throw ExitCode(1) }
            return
        }

        let minted: Minter.Minted
        do {
            minted = try minter.mint(defaults, now: TokenServerOptions.now())
        } catch {
            Output.refusal(error)
            throw ExitCode(1)
        }
        let warnings = Minter.merge(deploymentWarnings, minted.warnings)
        for warning in warnings { Output.error("warning: \(warning)") }
        switch format {
        case .text:
            Output.write(minted.token + "\n")
        case .json:
            let object = JSONValue.object(JSONObject([
                ("token", .string(minted.token)), ("url", minted.url.map(JSONValue.string) ?? .null),
                ("host", .string(host)), ("muc", .string(rules.joinRules.muc)), ("claims", minted.claims.jsonValue),
                ("warnings", .array(warnings.map { JSONValue.string($0.message) })), ("era", .string(era.era.rawValue)),
                ("era_source", .string(era.sourceDescription)),
            ]))
            Output.write(object.jsonText + "\n")
        case .env:
            do {
                Output.write(bytes: try ShellFormat.assignments([
                    ("JITSI_TOKEN", minted.token), ("JITSI_URL", minted.url ?? ""), ("JITSI_HOST", host),
                ]))
            } catch {
                Output.error("error: \(error)")
                throw ExitCode(2)
            }
        }
    }

    func parsedFeatures() throws -> [String: Bool] {
        var result: [String: Bool] = [:]
        for feature in features {
            let parts = feature.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map(String.init)
            guard !parts[0].isEmpty else { throw ValidationError("--feature \(feature): the name is empty") }
            switch parts.count == 2 ? parts[1] : "true" {
            case "true": result[parts[0]] = true
            case "false": result[parts[0]] = false
            default: throw ValidationError("--feature \(feature): the value must be true or false")
            }
        }
        return result
    }

    /// Why a number such as `1e400` is refused: it overflows to `inf`, which JSON cannot hold.
    static let nonFiniteNumber =
        "the number is too large for a double (the server's cjson reads it as inf and cannot encode it again)"

    func parsedClaims() throws -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for claim in claims {
            guard let equals = claim.firstIndex(of: "="), equals != claim.startIndex else {
                throw ValidationError("--claim \(claim): expected KEY=JSON")
            }
            let key = String(claim[..<equals])
            guard let value = JSONValue(parsing: String(claim[claim.index(after: equals)...])) else {
                throw ValidationError("--claim \(claim): the value is not JSON (quote strings: key='\"text\"')")
            }
            guard !value.containsNonFiniteNumber else {
                throw ValidationError("--claim \(claim): \(Self.nonFiniteNumber)")
            }
            result[key] = value
        }
        return result
    }
}

/// `mint --format`.
enum MintFormat: String, RawValueArgument {
    case text, json, env
}
