import ArgumentParser

/// `jitsi-jwt`: read a Jitsi Meet server's Prosody config, and mint and verify the tokens it accepts.
@main
struct JitsiJWT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jitsi-jwt",
        abstract: "Mint and verify the JWTs a Jitsi Meet server accepts, from the server's own Prosody config.",
        version: "0.1.0",
        subcommands: [DumpCommand.self, HostsCommand.self])
}
