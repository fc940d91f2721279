import ArgumentParser
import ProsodyConfig

struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print every section's raw options as JSON, as Prosody's loader holds them.")

    @OptionGroup var config: ConfigOptions

    @Flag(name: .customLong("show-secrets"), help: "Print secrets (app_secret, passwords…) instead of <redacted>.")
    var showSecrets = false

    @Argument(help: "The Prosody config (default: $PROSODY_CONFIG, else /etc/prosody/prosody.cfg.lua).")
    var configPath: String?

    func run() throws {
        let loaded = try Output.loadOrExit(config, configPath)
        Output.write(ConfigDump.render(loaded, showSecrets: showSecrets))
    }
}
