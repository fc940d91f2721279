import Foundation

/// Paths into the repository's `Fixtures/` and `Tests/Oracles/`, found from this file's location.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static func fixture(_ relativePath: String) -> String {
        root.appendingPathComponent("Fixtures").appendingPathComponent(relativePath).path
    }

    /// How Lua names a file chunk in messages (`short_src`): the path, or "..." and its last 56 bytes when the
    /// path is 60 bytes or longer (LUA_IDSIZE).
    static func luaChunkName(_ path: String) -> String {
        path.utf8.count < 60 ? path : "..." + String(decoding: Array(path.utf8).suffix(56), as: UTF8.self)
    }

    static let prosodyOracle = root.appendingPathComponent("Tests/Oracles/prosody-dump.lua").path

    /// Fixture files in a directory (not recursive) whose names end in `suffix`, sorted.
    static func fixtures(in directory: String, suffix: String = ".cfg.lua") -> [String] {
        let path = fixture(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { "\(directory)/\($0)" }
    }
}

/// The result of running a program to completion.
struct ProcessResult {
    var status: Int32
    var standardOutput: Data
    var standardError: Data
}

/// Runs a program with arguments in a working directory, with nothing on stdin.
func runProcess(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, standardOutput: outputData, standardError: errorData)
}
