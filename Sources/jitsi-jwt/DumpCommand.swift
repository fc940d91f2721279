import ArgumentParser
import ProsodyConfig

struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        _superCommandName: JitsiJWT.commandName,
        abstract: "Print every section's raw options as JSON, as Prosody's loader holds them.",
        usage: "jitsi-jwt dump [--show-secrets] [--config CONFIG | CONFIG] [config loading options]")

    @OptionGroup(title: "Config loading") var config: ConfigOptions

    @Flag(name: .customLong("show-secrets"), help: "Print secrets (app_secret, passwords…) instead of <redacted>.")
    var showSecrets = false

    @OptionGroup var location: ConfigPathArguments

    func run() throws {
        let loaded = try Output.loadOrExit(config, location.path)
        defer { KeptUntilExit.keep(loaded) }
        do {
            try ConfigDump.write(loaded, showSecrets: showSecrets, maxBytes: config.maxOutputBytes) { Output.write(bytes: $0) }
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(1)
        }
    }
}
