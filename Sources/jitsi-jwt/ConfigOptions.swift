import ArgumentParser
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

    @Option(name: .customLong("max-memory"), help: "Lua heap limit in MiB (1 to \(Self.maxMemoryMiBLimit)).")
    var maxMemoryMiB = WholeNumberArgument(64)

    @Option(
        name: .customLong("max-instructions"),
        help: "Lua instruction limit, in millions (1 to \(Self.maxInstructionsMillionsLimit)).")
    var maxInstructionsMillions = WholeNumberArgument(200)

    @Option(
        name: .customLong("timeout"),
        help: "Wall-clock limit of the evaluation, in seconds (0.001 to \(Int(Self.maxTimeoutSeconds))).")
    var timeoutSeconds = DecimalArgument(5)

    @Option(
        name: .customLong("max-file-size"),
        help: "Largest file the config may read, in KiB (1 to \(Self.maxFileKiBLimit)).")
    var maxFileKiB = WholeNumberArgument(4096)

    @Option(
        name: .customLong("max-output"),
        help: "Largest output dump, hosts or audit may print, in MiB (1 to \(Self.maxOutputMiBLimit)).")
    var maxOutputMiB = WholeNumberArgument(64)

    @Flag(
        name: .customLong("no-env"),
        help: "Let the config read no environment variable (ENV_NAME and os.getenv give nil).")
    var noEnvironment = false

    @Option(
        name: .customLong("allow-env"),
        help: ArgumentHelp("Let the config read only these environment variables (repeatable).", valueName: "name"))
    var allowedEnvironment: [String] = []

    static let maxMemoryMiBLimit = 1 << 20
    static let maxInstructionsMillionsLimit = 1_000_000
    static let maxTimeoutSeconds = 86_400.0
    static let maxFileKiBLimit = 1 << 20
    static let maxOutputMiBLimit = 1 << 12

    /// Every limit within its range, so that none overflows when converted to bytes, instructions or milliseconds.
    func validate() throws {
        func check(_ flag: String, _ value: Int, _ limit: Int, _ unit: String) throws {
            guard (1...limit).contains(value) else {
                throw ValidationError("--\(flag) \(value): expected a whole number of \(unit) from 1 to \(limit)")
            }
        }
        try check("max-memory", maxMemoryMiB.value, Self.maxMemoryMiBLimit, "MiB")
        try check("max-instructions", maxInstructionsMillions.value, Self.maxInstructionsMillionsLimit, "millions")
        try check("max-file-size", maxFileKiB.value, Self.maxFileKiBLimit, "KiB")
        try check("max-output", maxOutputMiB.value, Self.maxOutputMiBLimit, "MiB")
        let timeout = timeoutSeconds.value
        guard timeout.isFinite, timeout >= 0.001, timeout <= Self.maxTimeoutSeconds else {
            throw ValidationError(
                "--timeout \(timeout): expected a number of seconds from 0.001 to \(Int(Self.maxTimeoutSeconds))")
        }
        if noEnvironment, !allowedEnvironment.isEmpty {
            throw ValidationError("give --no-env or --allow-env, not both")
        }
        for name in allowedEnvironment where !ShellFormat.isIdentifier(name) {
            throw ValidationError("--allow-env \(name): not a variable name (letters, digits and _)")
        }
    }

    /// The output budget in bytes (``maxOutputMiB``).
    var maxOutputBytes: Int { maxOutputMiB.value << 20 }

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
        let descriptor = SystemCalls.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    static func environment(_ name: String) -> String? {
        SystemCalls.environment(name)
    }

    var loadOptions: LoadOptions {
        LoadOptions(
            version: prosodyVersion ?? ProsodyVersion.installed(),
            limits: LoadLimits(
                memoryBytes: maxMemoryMiB.value << 20, instructions: maxInstructionsMillions.value * 1_000_000,
                wallClockMilliseconds: Int(timeoutSeconds.value * 1000)),
            readableRoots: ["/etc/prosody"] + allowRead,
            credentialsDirectory: Self.environment("CREDENTIALS_DIRECTORY"),
            maxFileBytes: maxFileKiB.value << 10,
            environment: noEnvironment || !allowedEnvironment.isEmpty ? .only(allowedEnvironment) : .all)
    }

    func load(_ argument: String?) throws(ConfigError) -> ProsodyConfiguration {
        try ConfigLoader.load(path: Self.resolvePath(argument), options: loadOptions)
    }
}
