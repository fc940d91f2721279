import LuaSandbox
import StringPrep
import Synchronization

/// Loads Prosody configs by executing them, as Prosody does, inside a fresh sandbox.
public enum ConfigLoader {
    /// Loads the config at `path` (taken as given: relative paths resolve against the working directory, and the
    /// path appears in chunk names and messages exactly as Prosody would show it).
    ///
    /// - Throws: `ConfigError` with Prosody's own message, or the sandbox limit that stopped the evaluation.
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws(ConfigError)
        -> ProsodyConfiguration
    {
        var roots = options.readableRoots
        roots.append(directory(of: path))
        if let credentials = options.credentialsDirectory { roots.append(credentials) }
        let files = FileAccess(roots: roots, allowedFiles: [path], maxFileBytes: options.maxFileBytes)

        let sandbox: Sandbox
        do {
            sandbox = try Sandbox(limits: SandboxLimits(
                memoryBytes: options.limits.memoryBytes, instructions: options.limits.instructions,
                wallClockMilliseconds: options.limits.wallClockMilliseconds))
        } catch {
            throw ConfigError(error, path: path)
        }
        var builder = LuaValueBuilder()
        let readPaths = ReadPaths()
        do {
            try sandbox.run(
                precompiledChunk: preludeBytecode, chunkName: "@configmanager.lua",
                hostFunctions: hostFunctions(files, readPaths),
                arguments: [
                    options.version.rawValue, path, options.credentialsDirectory ?? "",
                    String(options.maxIncludeDepth), String(options.maxIncludes), options.recordNotes ? "1" : "0",
                    options.environment.preludeArgument,
                ],
                maxDepth: 66, into: &builder)
            try sandbox.close()
        } catch {
            throw ConfigError(error, path: path) { redacted($0, files, readPaths, options) }
        }
        do throws(ConfigError) {
            return try configuration(from: builder.values)
        } catch {
            if case .parser(let message) = error { throw .parser(redacted(message, files, readPaths, options)) }
            throw error
        }
    }

    /// `message` with the token Lua quotes redacted when the line it names assigns a secret (``SecretRedaction``),
    /// reading that line again through the same roots. Lua shortens long chunk names to `...` and their last 56
    /// bytes, so such a name stands for the file the load read whose path ends that way.
    private static func redacted(
        _ message: LuaText, _ files: FileAccess, _ readPaths: ReadPaths, _ options: LoadOptions
    ) -> LuaText {
        guard options.redactsSecretsInErrors else { return message }
        return SecretRedaction.redact(message) { path in
            let full = path.hasPrefix("...") ? readPaths.first(endingWith: String(path.dropFirst(3))) : Array(path.utf8)
            guard let full, case .success(.file(let bytes, _)) = files.read(full) else { return nil }
            return bytes
        }
    }

    /// The paths the load read files from, as the config named them (which is how chunk names show them).
    final class ReadPaths: Sendable {
        private let paths = Mutex<[[UInt8]]>([])

        func append(_ path: [UInt8]) { paths.withLock { $0.append(path) } }

        func first(endingWith suffix: String) -> [UInt8]? {
            let tail = Array(suffix.utf8)
            return paths.withLock { paths in paths.first { $0.suffix(tail.count).elementsEqual(tail) } }
        }
    }

    /// The directory part of a path as Prosody's `read_config` takes it (`"."` for a bare file name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    private static func configuration(from results: [LuaValue]) throws(ConfigError) -> ProsodyConfiguration {
        let printed = strings(in: results.count > 3 ? results[3] : .nil)
        guard results.first == .boolean(true), results.count >= 3, case .table(let config) = results[1] else {
            let kind = results.count > 1 ? results[1].stringValue : nil
            let message = errorText(results.count > 2 ? results[2] : .nil)
            throw kind == "file" ? .file(message) : .parser(message)
        }
        let sections = config.entries.compactMap { entry -> ProsodyConfiguration.Section? in
            guard case .table(let options) = entry.value else { return nil }
            return ProsodyConfiguration.Section(key: entry.key, options: options)
        }
        let notes = results.count > 5 ? LoadNote.notes(values: results[4], records: results[5]) : []
        return ProsodyConfiguration(
            sections: sections, warnings: LoadWarning.warnings(from: results[2]), printed: printed, notes: notes)
    }

    private static func strings(in value: LuaValue) -> [String] {
        guard case .table(let table) = value else { return [] }
        return (table.arrayValues ?? []).map { errorText($0).description }
    }

    /// An error object as text, without running metamethods: strings and numbers as Lua prints them.
    private static func errorText(_ value: LuaValue) -> LuaText {
        switch value {
        case .string(let bytes): LuaText(bytes: bytes)
        case .integer(let number): LuaText(String(number))
        case .number(let number): LuaText(LuaNumberFormat.tostring(number))
        case .nil: "nil"
        case .boolean(let flag): flag ? "true" : "false"
        default: LuaText("(error object is a \(value.typeName) value)")
        }
    }

    private static func hostFunctions(
        _ files: FileAccess, _ readPaths: ReadPaths
    ) -> [(name: String, function: HostFunction)] {
        let readFile: HostFunction = { arguments in
            guard case .string(let path)? = arguments.first else { return .failure(HostFunctionError("bad path")) }
            switch files.read(path) {
            case .success(.file(let bytes, let canonical)):
                readPaths.append(path)
                return .success([.string(bytes), .nil, .string(canonical)])
            case .success(.directory(let canonical)): return .success([.boolean(false), .nil, .string(canonical)])
            case .failure(let error): return .success([.nil, .string(error.message)])
            }
        }
        // The names NUL-separated (no name holds a NUL), or nil and the message.
        let listDirectory: HostFunction = { arguments in
            guard case .string(let path)? = arguments.first else { return .failure(HostFunctionError("bad path")) }
            switch files.list(path) {
            case .success(let names): return .success([.string(Array(names.joined(separator: [0])))])
            case .failure(let error): return .success([.nil, .string(error.message)])
            }
        }
        let nameprep: HostFunction = { arguments in
            guard case .string(let bytes) = arguments.first else { return .success([.nil]) }
            return .success([StringPrep.nameprep(bytes).map(HostValue.string) ?? .nil])
        }
        return [("read_file", readFile), ("list_dir", listDirectory), ("nameprep", nameprep)]
    }
}

extension ConfigError {
    /// The sandbox's failure in the config's terms: a Lua error is Prosody's "parser" failure (its message passed
    /// through `message`), anything else the limit that stopped the evaluation of `path`.
    init(_ error: SandboxError, path: String, message: (LuaText) -> LuaText = { $0 }) {
        switch error {
        case .lua(let text): self = .parser(message(LuaText(bytes: text)))
        case .setupFailed(let why): self = .limit(path: path, .setupFailed(why))
        case .memoryLimit(let bytes): self = .limit(path: path, .memoryLimit(bytes: bytes))
        case .instructionLimit(let count): self = .limit(path: path, .instructionLimit(count: count))
        case .deadline(let milliseconds): self = .limit(path: path, .deadline(milliseconds: milliseconds))
        case .copyLimit(let bytes): self = .limit(path: path, .copyLimit(bytes: bytes))
        }
    }
}

extension SandboxError {
    /// The sandbox's failure for a stop, for its text.
    init(_ stop: EvaluationStop) {
        switch stop {
        case .setupFailed(let why): self = .setupFailed(why)
        case .memoryLimit(let bytes): self = .memoryLimit(bytes: bytes)
        case .instructionLimit(let count): self = .instructionLimit(count: count)
        case .deadline(let milliseconds): self = .deadline(milliseconds: milliseconds)
        case .copyLimit(let bytes): self = .copyLimit(bytes: bytes)
        }
    }
}
