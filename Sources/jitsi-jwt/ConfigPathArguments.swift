import ArgumentParser

/// The config of `dump`, `hosts` and `audit`: `--config C`, as `mint` and `verify` take it, or the positional.
struct ConfigPathArguments: ParsableArguments {
    @Option(
        help: ArgumentHelp("The Prosody config (default: $PROSODY_CONFIG, else /etc/prosody/prosody.cfg.lua).",
                           valueName: "config"),
        completion: .file(extensions: ["lua"]))
    var config: String?

    @Argument(help: ArgumentHelp("The same as --config.", valueName: "config"), completion: .file(extensions: ["lua"]))
    var configPath: String?

    func validate() throws {
        if let config, let configPath, config != configPath {
            throw ValidationError("give the config once: --config \(config) or \(configPath)")
        }
    }

    /// The config given, if any.
    var path: String? { config ?? configPath }
}
