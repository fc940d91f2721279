import ArgumentParser
import LuaSandbox
import ProsodyConfig

#if canImport(Glibc)
import Glibc
#endif

/// How to find and load the Prosody config: shared by every command that reads one.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("prosody-version"), help: "Config semantics to follow: 0.12 or 13 (default: the installed Prosody's, else 13).")
    var prosodyVersion: ProsodyVersion?

    @Option(
        name: .customLong("allow-read"), help: "Also allow the config to read files under DIR (repeatable).",
        completion: .directory)
    var allowRead: [String] = []

    @Option(name: .customLong("max-memory"), help: "Lua heap limit in MiB.")
    var maxMemoryMiB: Int = 64

    @Option(name: .customLong("max-instructions"), help: "Lua instruction limit, in millions.")
    var maxInstructionsMillions: Int = 200

    @Option(name: .customLong("timeout"), help: "Wall-clock limit of the evaluation, in seconds.")
    var timeoutSeconds: Double = 5

    @Option(name: .customLong("max-file-size"), help: "Largest file the config may read, in KiB.")
    var maxFileKiB: Int = 4096

    func validate() throws {
        guard maxMemoryMiB > 0, maxInstructionsMillions > 0, timeoutSeconds > 0, maxFileKiB > 0 else {
            throw ValidationError("limits must be positive")
        }
    }

    /// The config path as given, so that messages name files as Prosody run on the same argument does: the
    /// argument, else `$PROSODY_CONFIG`, else `/etc/prosody/prosody.cfg.lua`. An argument that does not open is
    /// looked for under `configDirectory` (Prosody's `CFG_CONFIGDIR`) too, as Prosody's `read_config` does.
    static func resolvePath(_ argument: String?, configDirectory: String = "/etc/prosody") -> String {
        guard let argument else { return environment("PROSODY_CONFIG") ?? "/etc/prosody/prosody.cfg.lua" }
        let underConfigDirectory = configDirectory + "/" + argument
        if !opens(argument) && opens(underConfigDirectory) { return underConfigDirectory }
        return argument
    }

    /// Whether `open(2)` for reading succeeds (what Lua's `io.open` asks; directories open too).
    private static func opens(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    var loadOptions: LoadOptions {
        LoadOptions(
            version: prosodyVersion ?? ProsodyVersion.installed(),
            limits: SandboxLimits(
                memoryBytes: maxMemoryMiB << 20, instructions: maxInstructionsMillions * 1_000_000,
                wallClockMilliseconds: Int(timeoutSeconds * 1000)),
            readableRoots: ["/etc/prosody"] + allowRead,
            credentialsDirectory: Self.environment("CREDENTIALS_DIRECTORY"),
            maxFileBytes: maxFileKiB << 10)
    }

    func load(_ argument: String?) throws(ConfigError) -> ProsodyConfiguration {
        try ConfigLoader.load(path: Self.resolvePath(argument), options: loadOptions)
    }
}

extension ProsodyVersion: ExpressibleByArgument {}
