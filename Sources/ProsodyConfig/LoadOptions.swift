/// How a config is loaded: which Prosody to follow, and what the sandbox allows.
public struct LoadOptions: Sendable, Equatable {
    public var version: ProsodyVersion
    /// Memory, instruction and wall-clock limits of the evaluation.
    public var limits: LoadLimits
    /// Directories whose files (after symlinks are resolved) may be read by Include, RunScript, `File*`. The
    /// main config's own directory is always added.
    public var readableRoots: [String]
    /// `$CREDENTIALS_DIRECTORY` as Prosody 13 reads it for `Credential()` (also readable), or `nil`.
    public var credentialsDirectory: String?
    /// The largest file any read may return.
    public var maxFileBytes: Int
    /// The deepest chain of nested Includes.
    public var maxIncludeDepth: Int
    /// The most files one load may include.
    public var maxIncludes: Int
    /// Whether to record `LoadNote`s (where options are set, reads of undefined names, empty globs) for audits.
    public var recordNotes: Bool
    /// Which environment variables the config may read (`ENV_NAME`, `os.getenv`).
    public var environment: EnvironmentAccess
    /// Whether a loader error that quotes a token from a line assigning a secret-bearing option has that token
    /// replaced by `<redacted>` (``SecretRedaction``). Off only to compare the loader's raw texts with Prosody's.
    public var redactsSecretsInErrors: Bool

    /// Which environment variables a config may read.
    public enum EnvironmentAccess: Sendable, Equatable {
        /// Every variable, as Prosody allows.
        case all
        /// Only these names (none when empty); every other read gives `nil`, as for an unset variable.
        case only([String])

        /// The prelude's `env_allowed` argument.
        var preludeArgument: String {
            switch self {
            case .all: "*"
            case .only(let names): names.filter { !$0.contains("\n") && !$0.isEmpty }.joined(separator: "\n")
            }
        }
    }

    public init(
        version: ProsodyVersion = .v13, limits: LoadLimits = .default, readableRoots: [String] = ["/etc/prosody"],
        credentialsDirectory: String? = nil, maxFileBytes: Int = 4 << 20, maxIncludeDepth: Int = 32,
        maxIncludes: Int = 1_000, recordNotes: Bool = false, environment: EnvironmentAccess = .all,
        redactsSecretsInErrors: Bool = true
    ) {
        self.version = version
        self.limits = limits
        self.readableRoots = readableRoots
        self.credentialsDirectory = credentialsDirectory
        self.maxFileBytes = maxFileBytes
        self.maxIncludeDepth = maxIncludeDepth
        self.maxIncludes = maxIncludes
        self.recordNotes = recordNotes
        self.environment = environment
        self.redactsSecretsInErrors = redactsSecretsInErrors
    }
}
