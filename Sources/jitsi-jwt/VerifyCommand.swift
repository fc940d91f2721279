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

    @Option(help: "The room as a person types it in the URL.")
    var room: String

    @Option(help: "The tenant of https://HOST/TENANT/ROOM.")
    var tenant: String?

    @Option(help: "Check as of this Unix time (default: now).")
    var at: Double?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Argument(help: "The token, or - (the default) to read it from stdin.")
    var token: String = "-"

    func run() throws {
        let (rules, _, _, era) = try server.rules()
        let text = token == "-" ? try Self.readStandardInput() : token
        // By Character, so a Windows "\r\n" (one grapheme) is white space too.
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        let node = RoomName.node(typed: room)
        let verdict = verify(
            token: trimmed.isEmpty ? nil : trimmed, rules: rules, room: node, tenant: tenant.map(RoomName.node(typed:)),
            now: at ?? Double(TokenServerOptions.now()))
        switch format {
        case .json: Output.write(Self.json(verdict, era: era).jsonText + "\n")
        case .text: Output.write(Self.text(verdict))
        }
        if !verdict.accepted { throw ExitCode(1) }
    }

    static func json(_ verdict: Verdict, era: DetectedPluginEra) -> JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return .object(JSONObject([
            ("accepted", .bool(verdict.accepted)), ("stage", optional(verdict.stage?.rawValue)),
            ("condition", optional(verdict.condition)), ("code", optional(verdict.code)),
            ("reason", optional(verdict.reason)), ("hints", .array(verdict.hints.map(JSONValue.string))),
            ("claims", verdict.claims ?? .null), ("era", .string(era.era.rawValue)),
            ("era_source", .string(era.sourceDescription)),
        ]))
    }

    static func text(_ verdict: Verdict) -> String {
        guard !verdict.accepted else { return "accepted\n" }
        var lines = ["refused at \(verdict.stage?.rawValue ?? "?"): \(verdict.condition ?? "?")"
            + (verdict.code.map { " (\($0))" } ?? "") + ": \(verdict.reason ?? "")"]
        lines += verdict.hints.map { "hint: \($0)" }
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
