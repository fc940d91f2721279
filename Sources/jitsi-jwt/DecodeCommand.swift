import ArgumentParser
import JitsiToken

/// `jitsi-jwt decode`: what a token says, offline, without any key.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        _superCommandName: JitsiJWT.commandName,
        abstract: "Show a token's header and claims offline, without a key (the signature is NOT checked).",
        discussion: """
            Reads a token, a token with a "Bearer " prefix, or a whole join URL (https://HOST/TENANT/ROOM?jwt=… or \
            #jwt=…), and prints the header, the claims, and iat/nbf/exp as ISO 8601 UTC and relative to now. Nothing \
            is verified: use verify to learn whether the server accepts the token. Control and bidi characters in \
            claims are shown as \\uXXXX escapes. \
            --format json prints {"signature_checked":false,"header":{…},"claims":{…},"times":{NAME:{"unix",\
            "iso8601","relative"}},"url":{"host","tenant","room"}|null}. \
            Exit 0 decoded, 1 not a readable token, 2 usage error.
            """)

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Option(help: "Show times relative to this Unix time (default: now).")
    var at: Int64?

    @Argument(help: "The token, a join URL, or - (the default) to read it from stdin.")
    var token: String = "-"

    func run() throws {
        let text = token == "-" ? try VerifyCommand.readStandardInput() : token
        let input: TokenInput
        let decoded: UnverifiedToken
        do {
            input = try TokenInput.parse(text)
            decoded = try UnverifiedToken(compact: input.token)
        } catch let failure as TokenInput.Failure {
            Output.error("error: \(failure)")
            throw ExitCode(1)
        } catch {
            Output.error("error: not a token: \(error)")
            throw ExitCode(1)
        }
        let now = at ?? TokenServerOptions.now()
        switch format {
        case .json: Output.write(SafeJSON.compact(Self.json(decoded, input: input, now: now)) + "\n")
        case .text: Output.writeText(Self.text(decoded, input: input, now: now))
        }
    }

    /// The time claims the server reads, in the order they matter.
    static let timeClaims = ["iat", "nbf", "exp"]

    /// A time claim as seconds, when it is a number.
    static func seconds(_ value: JSONValue?) -> Int64? {
        switch value {
        case .integer(let seconds)?: seconds
        case .number(let number)? where number.isFinite && abs(number) < 9.0e15: Int64(number.rounded(.down))
        default: nil
        }
    }

    /// `in 1h 59m` / `3m ago`, with `expired` or `not yet valid` where that is the point.
    static func relative(_ name: String, _ unix: Int64, now: Int64) -> String {
        let text = Timestamp.relative(unix, now: now)
        switch name {
        case "exp": return unix <= now ? "expired \(text)" : "expires \(text)"
        case "nbf": return unix > now ? "not valid before: \(text)" : "valid since \(text)"
        default: return "issued \(text)"
        }
    }

    static func json(_ token: UnverifiedToken, input: TokenInput, now: Int64) -> JSONValue {
        var times = JSONObject()
        for name in timeClaims {
            guard let unix = seconds(token.claims[name]) else { continue }
            times[name] = .object(JSONObject([
                ("unix", .integer(unix)), ("iso8601", Timestamp.iso8601(unix).map(JSONValue.string) ?? .null),
                ("relative", .string(relative(name, unix, now: now))),
            ]))
        }
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        let url: JSONValue = input.host == nil && input.room == nil
            ? .null
            : .object(JSONObject([
                ("host", optional(input.host)), ("tenant", optional(input.tenant)), ("room", optional(input.room)),
            ]))
        return .object(JSONObject([
            ("signature_checked", false), ("header", token.header), ("claims", token.claims),
            ("times", .object(times)), ("url", url),
        ]))
    }

    static func text(_ token: UnverifiedToken, input: TokenInput, now: Int64) -> String {
        var lines = ["SIGNATURE NOT CHECKED: anyone can write these claims; verify checks them against the server."]
        if input.host != nil || input.room != nil {
            let parts = [("host", input.host), ("tenant", input.tenant), ("room", input.room)]
                .compactMap { name, value in value.map { "\(name) \(SafeJSON.compact(.string($0)))" } }
            lines.append("from the URL: " + parts.joined(separator: ", "))
        }
        lines.append("header: " + SafeJSON.pretty(token.header))
        lines.append("claims: " + SafeJSON.pretty(token.claims))
        let times = timeClaims.compactMap { name -> String? in
            guard let value = token.claims[name] else { return nil }
            guard let unix = seconds(value) else { return "  \(name)  \(SafeJSON.compact(value))  (not a number)" }
            return "  \(name)  \(Timestamp.iso8601(unix) ?? String(unix))  \(relative(name, unix, now: now))"
        }
        if !times.isEmpty {
            lines.append("times (now \(Timestamp.iso8601(now) ?? String(now))):")
            lines += times
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
