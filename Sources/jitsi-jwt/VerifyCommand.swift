import ArgumentParser
import JitsiDeployment
import JitsiToken

#if canImport(Glibc)
import Glibc
#endif

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        _superCommandName: JitsiJWT.commandName,
        abstract: "Check a token the way the server's token plugins do, and explain a refusal.",
        discussion: """
            Runs the connect-stage checks (mod_auth_token), then the room-join checks (mod_token_verification), \
            in the server's order, and prints the condition and text the server would send. \
            Exit 0 accepted, 1 refused, 2 usage or config error.

            --batch FILE (or - for stdin) verifies one token per line: a bare token or join URL, or a JSON object \
            {"token": …, "room": …, "tenant": …}. Each line gets the JSON record --format json prints, with "line" \
            first, or {"line": N, "error": …}; exit 0 when every token is accepted, 1 when any is refused or fails.
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

    @Option(help: "Verify one token per line of FILE (- for stdin): JSON Lines records out, in input order.")
    var batch: String?

    @Argument(help: "The token (a \"Bearer \" prefix or a whole join URL is fine), or - (the default) for stdin.")
    var token: String = "-"

    func validate() throws {
        if let batch {
            if token != "-" { throw ValidationError("--batch reads the tokens from \(batch): give no token argument") }
            if batch == "-", let option = server.standardInputOptions.first {
                throw ValidationError("\(option) - and --batch - both want stdin: give one of them a file")
            }
        } else if token == "-", let option = server.standardInputOptions.first {
            throw ValidationError("\(option) - and the token both want stdin: give the token as an argument")
        }
        if let at, !at.isFinite || abs(at) > 9.0e15 {
            throw ValidationError("--at \(at): expected a Unix time in seconds")
        }
    }

    func run() throws {
        let (rules, _, _, _, era) = try server.rules()
        if let batch {
            let summary = try BatchVerify(
                verifier: TokenVerifier(rules: rules), era: era, room: room, tenant: tenant, at: at
            ).run(path: batch)
            if summary.refused + summary.failed > 0 { throw ExitCode(1) }
            return
        }
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

    /// The JSON record of a verdict; `line` (a batch's line number) comes first when given.
    static func json(_ verdict: Verdict, muc: String, era: DetectedPluginEra, line: Int? = nil) -> JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return .object(JSONObject((line.map { [("line", JSONValue.integer(Int64($0)))] } ?? []) + [
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
