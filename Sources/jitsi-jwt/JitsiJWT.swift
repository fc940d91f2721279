import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// `jitsi-jwt`: read a Jitsi Meet server's Prosody config, and mint and verify the tokens it accepts.
@main
struct JitsiJWT: ParsableCommand {
    /// The tool's name. Every subcommand names it as its `_superCommandName`, which tells argument-parser, when
    /// ``parseCommand(_:)`` parses that subcommand as a command of its own, not to look for a completion-script
    /// request first (a parse of two more commands, a quarter of a `hosts` process); such a request, like help and
    /// version, fails that parse and is then answered by the root's.
    static let commandName = "jitsi-jwt"

    static let configuration = CommandConfiguration(
        commandName: commandName,
        abstract: "Mint and verify the JWTs a Jitsi Meet server accepts, from the server's own Prosody config.",
        discussion: """
            Exit codes: 0 success (verify: token accepted); 1 failure (mint refused, verify refused, a config that \
            fails to load in dump/hosts/credentials, not a token in decode, a file keygen cannot create, an audit \
            finding at --fail-on); 2 usage error, or a config error in mint/verify/audit; 74 the output \
            could not be written (a full disk, a closed pipe).
            """,
        version: "0.1.0",
        subcommands: [
            DumpCommand.self, HostsCommand.self, CredentialsCommand.self, MintCommand.self, VerifyCommand.self,
            DecodeCommand.self, KeygenCommand.self, AuditCommand.self,
        ])

    /// Parses and runs the process's arguments, then exits with ``runReportingErrors(_:)``'s status.
    static func main() {
        Glibc.exit(runReportingErrors())
    }

    /// Parses `arguments` (nil: the process's own) and runs the command. An error is reported the way
    /// argument-parser's `exit(withError:)` does (help and version on stdout, everything else on stderr), and the
    /// exit status returned: 2 for usage errors (argument-parser's default is 64), else the error's own code.
    static func runReportingErrors(_ arguments: [String]? = nil) -> Int32 {
        do {
            var command = try parseCommand(arguments)
            try command.run()
            return 0
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Output.writeText(message.hasSuffix("\n") ? message : message + "\n") }
                return 0
            }
            if !message.isEmpty { Output.error(lines: message) }
            return code == .validationFailure ? 2 : code.rawValue
        }
    }

    /// The command `arguments` name, parsed by swift-argument-parser.
    ///
    /// The named subcommand is parsed as a command of its own first: the root's parse reflects over every
    /// subcommand's properties (and asks the runtime about each of their types), which is most of a one-token
    /// process. Whatever that parse does not accept as it stands (help, version, completion scripts, any error) is
    /// parsed again from the root, so that every message and exit code is the root's.
    static func parseCommand(_ arguments: [String]?) throws -> any ParsableCommand {
        let given = arguments ?? Array(CommandLine.arguments.dropFirst())
        if let name = given.first,
            let type = configuration.subcommands.first(where: { $0.configuration.commandName == name }),
            let command = try? type.parseAsRoot(Array(given.dropFirst()))
        {
            return command
        }
        return try parseAsRoot(arguments)
    }
}
