#if canImport(Glibc)
    import Glibc
#endif

/// What running a command gives: its exit status (128 + the signal when killed) and every byte it printed.
public struct CommandResult: Equatable, Sendable, CustomStringConvertible {
    public var status: Int32
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]

    public init(status: Int32, standardOutput: [UInt8], standardError: [UInt8]) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    public init(status: Int32, stdout: String, stderr: String) {
        self.init(status: status, standardOutput: Array(stdout.utf8), standardError: Array(stderr.utf8))
    }

    /// stdout as text (invalid UTF-8 repaired).
    public var stdout: String { String(decoding: standardOutput, as: UTF8.self) }
    /// stderr as text (invalid UTF-8 repaired).
    public var stderr: String { String(decoding: standardError, as: UTF8.self) }

    public var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs `executable` to completion with `input` on stdin, in `directory` (default: this process's), with an
/// environment of only `environment` (`NAME=value` entries; the last one for a name wins) and, unless it sets them,
/// `PATH=/usr/bin:/bin`, `LANG=C.UTF-8` and `PYTHONIOENCODING=utf-8`.
/// stdin, stdout and stderr are files, so no pipe can fill up and block the child, and children spawned at the same
/// time by parallel tests share no descriptors.
public func runProcess(
    _ executable: String, _ arguments: [String], input: String = "", environment: [String] = [],
    in directory: String? = nil
) throws -> CommandResult {
    let files = try TemporaryDirectory()
    defer { withExtendedLifetime(files) {} }
    let inputPath = try files.write("stdin", input)
    let outputPath = files.path + "/stdout"
    let errorPath = files.path + "/stderr"
    // A working directory through coreutils' `env -C` (Swift's Glibc module lacks posix_spawn's addchdir).
    let command = directory.map { ["/usr/bin/env", "-C", $0, "--", executable] } ?? [executable]
    let argv: [UnsafeMutablePointer<CChar>?] = (command + arguments).map { strdup($0) } + [nil]
    // The last entry for a name wins, as `env NAME=value` would have it.
    // No leak check in children: a jitsi-jwt built with --sanitize=address exits holding its values (indirect enum
    // boxes whose tagged pointers LeakSanitizer does not follow), and its report would change the child's status and
    // stderr. The test process itself keeps the leak check.
    let defaults = ["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "PYTHONIOENCODING=utf-8", "ASAN_OPTIONS=detect_leaks=0"]
    var seen = Set<Substring>()
    let entries = (defaults + environment).reversed().filter { seen.insert($0.prefix { $0 != "=" }).inserted }
    let envp: [UnsafeMutablePointer<CChar>?] = entries.reversed().map { strdup($0) } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var pid = pid_t()
    let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
    guard spawned == 0 else {
        throw TestFailure(description: "spawning \(executable) failed: \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return CommandResult(
        status: exitStatus, standardOutput: try readBytes(outputPath), standardError: try readBytes(errorPath))
}

/// This process's environment as `NAME=value` entries, less `excluding` names.
public func inheritedEnvironment(excluding excluded: Set<String> = []) -> [String] {
    var entries: [String] = []
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if !excluded.contains(String(text.prefix { $0 != "=" })) { entries.append(text) }
        pointer += 1
    }
    return entries
}
