// No Foundation here on purpose: `import Foundation` brings in _FoundationICU, whose ICU headers clash with the
// system ICU that StringPrep's CICU module loads into this test module.
import ArgumentParser
import JitsiToken
import Synchronization
import Testing

@testable import jitsi_jwt

#if canImport(Glibc)
    import Glibc
#endif

/// Paths into the repository, found from this file (symlinks resolved).
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

    /// The fixture configs, by name: the main config file and the directory the loader may read.
    static let debian = path("Fixtures/debian/etc/prosody/prosody.cfg.lua")
    static let docker = path("Fixtures/docker/config/prosody.cfg.lua")
    static let multihost = path("Fixtures/multihost/prosody.cfg.lua")
    static let broken = path("Fixtures/hostile/syntax-error.cfg.lua")

    static let luaOracle = path("Tests/Oracles/jitsi-verify.lua")
    static let prosodyOracle = path("Tests/Oracles/prosody-dump.lua")
    static let lua = "/usr/bin/lua5.4"
    static let oraclesAvailable =
        access(lua, X_OK) == 0 && access(luaOracle, R_OK) == 0
        && access("/usr/lib/prosody/core/configmanager.lua", R_OK) == 0

    /// The `jitsi-jwt` binary next to the running test bundle, if that build made one.
    static let binary: String? = {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let executable = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var parts = executable.split(separator: "/", omittingEmptySubsequences: false)
        // …/debug/jitsi-jwtPackageTests.xctest, or a bundle directory below …/debug.
        while parts.count > 1 {
            parts.removeLast()
            let candidate = parts.joined(separator: "/") + "/jitsi-jwt"
            if access(candidate, X_OK) == 0 { return candidate }
            if parts.last == "debug" || parts.last == "release" { break }
        }
        return nil
    }()
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
}

/// What running a command gives: exit status and everything it printed.
struct CommandResult: Equatable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Parses and runs `arguments` in-process the way `JitsiJWT.main()` does (usage errors exit 2), with stdin and
/// stdout/stderr captured, at the fixed time `now`.
func execute(_ arguments: [String], stdin: String = "", now: Int64? = fixedTime) -> CommandResult {
    let (status, capture) = Output.capturing(standardInput: Array(stdin.utf8)) { () -> Int32 in
        TokenServerOptions.$fixedNow.withValue(now) {
            do {
                var command = try JitsiJWT.parseAsRoot(arguments)
                try command.run()
                return 0
            } catch let exit as ExitCode {
                return exit.rawValue
            } catch {
                let code = JitsiJWT.exitCode(for: error)
                let message = JitsiJWT.fullMessage(for: error)
                if code == .success {
                    Output.writeText(message + "\n")
                } else if !message.isEmpty {
                    Output.error(lines: message)
                }
                return code == .validationFailure ? 2 : code.rawValue
            }
        }
    }
    return CommandResult(status: status, stdout: capture.stdout, stderr: capture.stderr)
}

/// 2025-10-09T08:53:20Z: the time in-process commands run at.
let fixedTime: Int64 = 1_760_000_000

/// Runs a program with `input` on stdin (posix_spawn, a minimal environment); returns its status and output.
/// stdout and stderr go to temporary files, so neither pipe can fill up and block the child.
func runProcess(_ executable: String, _ arguments: [String], input: String = "", environment: [String] = [])
    throws -> CommandResult
{
    let directory = try TemporaryDirectory()
    let inputPath = try directory.write("stdin", input)
    let outputPath = directory.path + "/stdout"
    let errorPath = directory.path + "/stderr"
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] =
        (["PATH=/usr/bin:/bin", "LANG=C.UTF-8"] + environment).map { strdup($0) } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard spawned == 0 else { throw TestFailure(description: "spawning \(executable) failed: \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return CommandResult(
        status: exitStatus, stdout: try readFile(outputPath), stderr: try readFile(errorPath))
}

/// A fresh directory under /tmp, removed with its files when released.
final class TemporaryDirectory {
    let path: String
    private let files = Mutex<[String]>([])

    init() throws {
        var template = Array("/tmp/jitsi-jwt-tests.XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestFailure(description: "mkdtemp failed")
        }
        path = String(cString: made)
    }

    /// Writes `text` to `name` in this directory (mode 0600) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw TestFailure(description: "cannot create \(file)") }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw TestFailure(description: "cannot write \(file)") }
            written += count
        }
        files.withLock { $0.append(file) }
        return file
    }

    deinit {
        for file in files.withLock({ $0 }) { unlink(file) }
        for name in ["stdin", "stdout", "stderr"] { unlink(path + "/" + name) }
        rmdir(path)
    }
}

func readFile(_ path: String) throws -> String {
    guard let file = fopen(path, "rb") else { throw TestFailure(description: "cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Parses one JSON document.
func parseJSON(_ text: String) throws -> JSONValue {
    guard let value = JSONValue(parsing: text) else { throw TestFailure(description: "not JSON: \(text)") }
    return value
}

/// The payload of a compact JWS, parsed.
func payload(of token: String) throws -> JSONValue {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, let bytes = base64URLDecode(String(parts[1])) else {
        throw TestFailure(description: "not a JWS: \(token)")
    }
    return try parseJSON(String(decoding: bytes, as: UTF8.self))
}

/// base64url (no padding) decoding, written here so the tests do not lean on the code under test.
func base64URLDecode(_ text: String) -> [UInt8]? {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    var values = [UInt8](repeating: 255, count: 256)
    for (index, byte) in alphabet.enumerated() { values[Int(byte)] = UInt8(index) }
    var output: [UInt8] = []
    var accumulator: UInt32 = 0
    var bits = 0
    for byte in text.utf8 {
        let value = values[Int(byte)]
        guard value != 255 else { return nil }
        accumulator = accumulator << 6 | UInt32(value)
        bits += 6
        if bits >= 8 {
            bits -= 8
            output.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
        }
    }
    return output
}

/// The fixtures' secrets, which must never appear in any output.
let fixtureSecrets = [
    "k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW",
    "Vd9Rk2Lq7Wx4Tz1Nm8Bc5Hf3Jg6Ps0Ya2Ue7Io4Kl9Qw1Er5Ty3Ui8Op6As2Df0",
    "global-fallback-secret-0123456789abcdef",
    "Sh4red-Brand-Secret-xxxx-2026",
    "old-secret-do-not-use",
]

/// Checks that no fixture secret appears in `result`'s output.
func expectNoSecrets(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in fixtureSecrets {
        #expect(!result.stdout.contains(secret), "secret on stdout", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains(secret), "secret on stderr", sourceLocation: sourceLocation)
    }
}
