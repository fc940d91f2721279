// No Foundation here on purpose: `import Foundation` brings in _FoundationICU, whose ICU headers clash with the
// system ICU that StringPrep's CICU module loads into this test module.
import Synchronization

@testable import JitsiToken

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Paths into the repository, found from this file (symlinks resolved, so a dev package of links works).
enum Repository {
    static let root: String = {
        let file =
            realpath(#filePath, nil).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? #filePath
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    static func fixtureText(_ name: String) throws -> String {
        try readFile(path("Fixtures/tokens/" + name))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
}

func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

func readFile(_ path: String) throws -> String {
    guard let file = fopen(path, "rb") else { throw TestFailure(description: "cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Runs a program with `input` on stdin (posix_spawn, a minimal environment); returns stdout, stderr and the exit
/// status. Inputs and outputs here are small, so writing all of stdin before reading cannot block.
func run(_ executable: String, _ arguments: [String], input: String) throws -> (
    stdout: String, stderr: String, status: Int32
) {
    var stdinPipe: [Int32] = [0, 0]
    var stdoutPipe: [Int32] = [0, 0]
    var stderrPipe: [Int32] = [0, 0]
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    let environment = ["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "PYTHONIOENCODING=utf-8"]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid = pid_t()
    // Pipes are created close-on-exec and spawned under one lock, so that children spawned at the same time by
    // parallel tests never inherit each other's pipe ends (a stray write end keeps a child's stdin open forever).
    // dup2 onto 0, 1 and 2 clears the flag for the child's own ends.
    let spawned: Int32 = spawnLock.withLock { _ in
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else { return -1 }
        for descriptor in stdinPipe + stdoutPipe + stderrPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        return posix_spawn(&pid, executable, &actions, nil, argv, envp)
    }
    close(stdinPipe[0])
    close(stdoutPipe[1])
    close(stderrPipe[1])
    guard spawned == 0 else {
        close(stdinPipe[1])
        close(stdoutPipe[0])
        close(stderrPipe[0])
        throw TestFailure(description: "spawning \(executable) failed: \(spawned)")
    }
    let bytes = Array(input.utf8)
    var written = 0
    while written < bytes.count {
        let result = bytes[written...].withUnsafeBytes { write(stdinPipe[1], $0.baseAddress, $0.count) }
        if result <= 0 { break }
        written += result
    }
    close(stdinPipe[1])
    func drain(_ descriptor: Int32) -> String {
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        close(descriptor)
        return String(decoding: output, as: UTF8.self)
    }
    let stdout = drain(stdoutPipe[0])
    let stderr = drain(stderrPipe[0])
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (stdout, stderr, exitStatus)
}

private let spawnLock = Mutex(())

/// base64url without padding, for crafting tokens by hand.
func base64URL(_ text: String) -> String {
    Base64URL.encode(Array(text.utf8))
}

func decodeBase64URL(_ text: String) -> [UInt8]? {
    Base64URL.decodeLenient(Array(text.utf8))
}

/// Lower-case hex of the UTF-8 bytes.
func hex(_ text: String) -> String { hex(Array(text.utf8)) }

func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
}

/// C `%.17g`.
func formatG17(_ number: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([number]) { arguments in
        buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 64, "%.17g", arguments) }
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Parses one JSON document (as the server would) for reading tool output.
func parseJSON(_ text: String) -> JSONValue? {
    CJSONDecoder.decode(Array(text.utf8))
}

/// The parts of a verdict the server puts on the wire (what the Lua oracle reports).
struct WireVerdict: Equatable, Sendable, CustomStringConvertible {
    var accepted: Bool
    var stage: String?
    var condition: String?
    var code: String?
    var reason: String?

    init(accepted: Bool, stage: String? = nil, condition: String? = nil, code: String? = nil, reason: String? = nil) {
        self.accepted = accepted
        self.stage = stage
        self.condition = condition
        self.code = code
        self.reason = reason
    }

    init(_ verdict: Verdict) {
        self.init(
            accepted: verdict.accepted, stage: verdict.stage?.rawValue, condition: verdict.condition,
            code: verdict.code, reason: verdict.reason)
    }

    static let accepted = WireVerdict(accepted: true)

    static func connect(_ reason: String, _ condition: String = "not-allowed") -> WireVerdict {
        WireVerdict(accepted: false, stage: "connect", condition: condition, reason: reason)
    }

    static func join(_ code: String?, _ reason: String) -> WireVerdict {
        WireVerdict(accepted: false, stage: "join", condition: "not-allowed", code: code, reason: reason)
    }

    static func luaError(_ stage: String, _ message: String) -> WireVerdict {
        WireVerdict(accepted: false, stage: stage, condition: "internal-error", reason: message)
    }

    var description: String {
        "accepted=\(accepted) stage=\(stage ?? "nil") condition=\(condition ?? "nil") code=\(code ?? "nil") "
            + "reason=\(reason ?? "nil")"
    }
}
