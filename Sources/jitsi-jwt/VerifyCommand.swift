import ArgumentParser
import JitsiDeployment
import JitsiToken

#if canImport(Glibc)
import Glibc
#endif

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a token the way the server's token plugins do, and explain a refusal.",
        discussion: """
            Runs the connect-stage checks (mod_auth_token), then the room-join checks (mod_token_verification), \
            in the server's order, and prints the condition and text the server would send. \
            Exit 0 accepted, 1 refused, 2 usage or config error.
            """)

    @OptionGroup var server: TokenServerOptions

    @Option(help: "The room as a person types it in the URL (default: the room of a join URL given as the token).")
    var room: String?

    @Option(help: "The tenant of https://HOST/TENANT/ROOM.")
    var tenant: String?

    @Option(help: "Check as of this Unix time (default: now).")
    var at: Double?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Argument(help: "The token (a \"Bearer \" prefix or a whole join URL is fine), or - (the default) for stdin.")
    var token: String = "-"

    func validate() throws {
        if token == "-", let option = server.standardInputOptions.first {
            throw ValidationError("\(option) - and the token both want stdin: give the token as an argument")
        }
        if let at, !at.isFinite || abs(at) > 9.0e15 {
            throw ValidationError("--at \(at): expected a Unix time in seconds")
        }
    }

    func run() throws {
        let (rules, _, _, _, era) = try server.rules()
        let input: TokenInput
        do {
            input = try TokenInput.parse(token == "-" ? try Self.readStandardInput() : token)
        } catch let failure as TokenInput.Failure {
            Output.error("error: \(failure)")
            throw ExitCode(2)
        }
        guard let room = room ?? input.room else {
            Output.error("Error: give --room, or the token as a join URL (https://HOST/ROOM?jwt=…)")
            throw ExitCode(2)
        }
        let node = RoomName.node(typed: room)
        let verdict = verify(
            token: input.token.isEmpty ? nil : input.token, rules: rules, room: node,
            tenant: (tenant ?? input.tenant).map(RoomName.node(typed:)), now: at ?? Double(TokenServerOptions.now()))
        switch format {
        case .json: Output.write(Self.json(verdict, muc: rules.joinRules.muc, era: era).jsonText + "\n")
        case .text: Output.writeText(Self.text(verdict, join: rules.joinRules))
        }
        if !verdict.accepted { throw ExitCode(1) }
    }

    static func json(_ verdict: Verdict, muc: String, era: DetectedPluginEra) -> JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return .object(JSONObject([
            ("accepted", .bool(verdict.accepted)), ("stage", optional(verdict.stage?.rawValue)),
            ("condition", optional(verdict.condition)), ("code", optional(verdict.code)),
            ("reason", optional(verdict.reason)), ("hints", .array(verdict.hints.map(JSONValue.string))),
            ("claims", verdict.claims ?? .null), ("muc", .string(muc)), ("era", .string(era.era.rawValue)),
            ("era_source", .string(era.sourceDescription)),
        ]))
    }

    static func text(_ verdict: Verdict, join: JoinRules) -> String {
        guard !verdict.accepted else {
            let muc = TerminalText.escaped(join.muc)
            switch join.checker {
            case .verifies: return "accepted\n"
            case .notLoaded:
                return "accepted (the join stage checks nothing: \(muc) does not load token_verification)\n"
            case .notStarted(let reason):
                return "accepted (the join stage checks nothing: token_verification on \(muc) does not start: "
                    + TerminalText.escaped(reason) + ")\n"
            }
        }
        // The reason and hints quote the token's claims: escaped, line feeds too, so each stays one line.
        var lines = ["refused at \(verdict.stage?.rawValue ?? "?"): \(verdict.condition ?? "?")"
            + (verdict.code.map { " (\($0))" } ?? "") + ": \(TerminalText.escaped(verdict.reason ?? "", .line))"]
        lines += verdict.hints.map { "hint: \(TerminalText.escaped($0, .line))" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The token on stdin (at most 1 MiB; more is a usage error, exit 2).
    static func readStandardInput() throws -> String {
        if let capture = Output.capture {
            return String(decoding: capture.standardInput, as: UTF8.self)
        }
        if Output.standardInputIsTerminal {
            Output.error("reading the token from stdin (paste it, then Ctrl-D; or give it as an argument)")
        }
        let bytes = try TokenServerOptions.readAll(
            0, name: "stdin", tooLarge: "more than 1 MiB; a token is a few hundred bytes")
        return String(decoding: bytes, as: UTF8.self)
    }
}
