public import Testing  // the `requires` trait extends Trait

#if canImport(Glibc)
    import Glibc
#endif

/// A program on this machine that a test compares against (the real Prosody loader, Jitsi's libraries, PyJWT…).
///
/// A test that needs one says `.requires(.prosody13)`: where it is missing the test is skipped with a message saying
/// how to install it, except under CI (`CI=true`), where `.ci/run` installs every oracle, so the test runs and fails
/// on ``required()``.
public struct Oracle: Sendable, CustomStringConvertible {
    /// What it is, for messages.
    public let name: String
    /// How to get it onto this machine.
    public let installation: String
    /// Whether it is here and works.
    public let isAvailable: Bool

    public var description: String { name }

    /// Why a test needing it does not run here.
    public var skipMessage: String { "needs \(name); install it with: \(installation)" }

    /// Throws (failing the test) when the oracle is missing.
    public func required() throws {
        if !isAvailable { throw TestFailure(description: "\(name) is missing; install it with: \(installation)") }
    }

    /// Whether a test needing it runs: when it is here, and always under CI.
    public var shouldRun: Bool { isAvailable || Oracle.isCI }

    static let isCI = getenv("CI").map { String(cString: $0) == "true" } ?? false

    /// `/usr/bin/lua5.4`, the interpreter every Lua oracle runs on.
    public static let luaPath = "/usr/bin/lua5.4"
    /// `/usr/bin/python3`.
    public static let pythonPath = "/usr/bin/python3"

    /// Lua 5.4 itself.
    public static let lua = Oracle(
        name: "lua5.4", installation: "apt-get install lua5.4", isAvailable: isExecutable(luaPath))

    /// Prosody 0.12.3's loader, from Debian 12's prosody package.
    public static let prosody012 = Oracle(
        name: "Prosody 0.12.3 (/usr/lib/prosody) and lua5.4",
        installation: "apt-get install prosody lua5.4",
        isAvailable: isExecutable(luaPath) && fileExists(ProsodyInstallation.v0_12.configManager))

    /// Prosody 13.0.1's loader, unpacked (not installed) from Debian's bookworm-backports package.
    public static let prosody13 = Oracle(
        name: "Prosody 13.0.1 (\(ProsodyInstallation.v13.libraryDirectory)) and lua5.4",
        installation: "bash .ci/install-prosody13 (and apt-get install prosody lua5.4 for its libraries)",
        isAvailable: isExecutable(luaPath) && fileExists(ProsodyInstallation.v13.configManager))

    /// lua5.4 with the libraries Jitsi's token plugin uses: lua-cjson, luaossl, basexx.
    public static let jitsiLibraries = Oracle(
        name: "lua5.4 with lua-cjson, luaossl and basexx",
        installation: "apt-get install lua5.4 lua-cjson lua-luaossl lua-basexx",
        isAvailable: luaLoads(["cjson.safe", "openssl.hmac", "openssl.pkey", "basexx"]))

    /// PyJWT and its cryptography backend.
    public static let pyJWT = Oracle(
        name: "python3 with PyJWT", installation: "apt-get install python3-jwt",
        isAvailable: pythonImports("jwt, cryptography"))

    /// Python's jsonschema.
    public static let jsonSchema = Oracle(
        name: "python3 with jsonschema", installation: "apt-get install python3-jsonschema",
        isAvailable: pythonImports("jsonschema"))

    private static func luaLoads(_ modules: [String]) -> Bool {
        guard isExecutable(luaPath) else { return false }
        // Debian's lua-basexx only installs into the 5.1/5.2 trees, as Tests/Oracles/jitsi-verify.lua knows.
        let script = #"package.path = package.path .. ";/usr/share/lua/5.2/?.lua;/usr/share/lua/5.1/?.lua"; "#
            + modules.map { "require '\($0)'" }.joined(separator: "; ")
        return (try? runProcess(luaPath, ["-e", script]).status) == 0
    }

    private static func pythonImports(_ modules: String) -> Bool {
        guard isExecutable(pythonPath) else { return false }
        return (try? runProcess(pythonPath, ["-c", "import " + modules]).status) == 0
    }
}

/// Where a Prosody release's Lua sources are on this machine.
public struct ProsodyInstallation: Sendable {
    /// The directory holding `core/` and `util/`.
    public let libraryDirectory: String

    /// Its `core/configmanager.lua`.
    public var configManager: String { libraryDirectory + "/core/configmanager.lua" }

    /// The oracle that says whether it is here.
    public var oracle: Oracle { libraryDirectory == Self.v0_12.libraryDirectory ? .prosody012 : .prosody13 }

    /// Runs `Tests/Oracles/prosody-dump.lua` on `config` with this release's loader, in `directory`, with this
    /// process's environment (what the in-process loader's `ENV_` reads see) less `CREDENTIALS_DIRECTORY`, plus
    /// `environment`.
    public func dump(_ config: String, in directory: String? = nil, environment: [String] = []) throws
        -> CommandResult
    {
        try oracle.required()
        return try runProcess(
            Oracle.luaPath, [Repository.prosodyDump, "--prosody", libraryDirectory, config],
            environment: inheritedEnvironment(excluding: ["CREDENTIALS_DIRECTORY"]) + environment, in: directory)
    }

    /// Debian 12's prosody package (0.12.3).
    public static let v0_12 = ProsodyInstallation(libraryDirectory: "/usr/lib/prosody")
    /// Debian bookworm-backports' prosody 13.0.1, unpacked by `.ci/install-prosody13` into `$PROSODY13_ROOT`
    /// (default /opt/prosody13).
    public static let v13 = ProsodyInstallation(
        libraryDirectory: (getenv("PROSODY13_ROOT").map { String(cString: $0) } ?? "/opt/prosody13")
            + "/usr/lib/prosody")
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only where `oracle` is available (always under CI), else skips it saying how to install it.
    public static func requires(_ oracle: Oracle) -> Self {
        .enabled(if: oracle.shouldRun, Comment(rawValue: oracle.skipMessage))
    }
}
