import TestSupport
import Testing

struct HelpTests {
    static let subcommands = ["dump", "hosts", "credentials", "mint", "verify", "decode", "keygen", "audit"]

    /// The `USAGE:` line of a help text.
    func usage(_ result: CommandResult) -> String? {
        result.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE: ") }.map(String.init)
    }

    @Test(arguments: subcommands)
    func helpSubcommandAndHelpFlagShowTheSameUsageNamingTheTool(_ subcommand: String) throws {
        let flag = execute([subcommand, "--help"])
        let named = execute(["help", subcommand])
        #expect(flag.status == 0 && named.status == 0)
        let line = try #require(usage(flag), "\(flag)")
        #expect(usage(named) == line)
        #expect(line.hasPrefix("USAGE: jitsi-jwt \(subcommand) "), "\(line)")
    }
}
