#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only file access for the loader (and the plugin-era detection), confined to readable roots after every
/// symlink is resolved.
package struct FileAccess {
    /// The canonical roots (symlinks resolved); roots that do not exist are dropped.
    let roots: [String]
    /// Files that may be read wherever they are (the main config itself).
    let allowedFiles: Set<String>
    let maxFileBytes: Int

    package init(roots: [String], allowedFiles: [String], maxFileBytes: Int) {
        self.roots = roots.compactMap { try? Self.canonicalPath($0).get() }
        self.allowedFiles = Set(allowedFiles.compactMap { try? Self.canonicalPath($0).get() })
        self.maxFileBytes = maxFileBytes
    }

    package enum Content: Equatable {
        case file([UInt8], canonical: String)
        case directory(canonical: String)
    }

    /// Reads a regular file (or notes a directory, which opens but reads nothing, as with `io.open`). Errors read
    /// like `io.open`'s: `<path>: <reason>`.
    package func read(_ path: String) -> Result<Content, FileAccessError> {
        let canonical: String
        switch Self.canonicalPath(path) {
        case .success(let resolved): canonical = resolved
        case .failure(let code): return .failure(FileAccessError("\(path): \(Self.describe(code))"))
        }
        guard isReadable(canonical) else {
            return .failure(FileAccessError("\(path): outside the readable roots (\(roots.joined(separator: ", ")))"))
        }
        let descriptor = open(canonical, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
        guard descriptor >= 0 else { return .failure(FileAccessError("\(path): \(Self.describe(errno))")) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            return .failure(FileAccessError("\(path): \(Self.describe(errno))"))
        }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return .success(.directory(canonical: canonical))
        case S_IFREG: break
        default: return .failure(FileAccessError("\(path): not a regular file"))
        }
        guard Int(status.st_size) <= maxFileBytes else {
            return .failure(FileAccessError("\(path): larger than the file size limit of \(maxFileBytes) bytes"))
        }
        switch Self.readAll(descriptor, limit: maxFileBytes) {
        case .success(let bytes): return .success(.file(bytes, canonical: canonical))
        case .failure(let code): return .failure(FileAccessError("\(path): \(Self.describe(code))"))
        }
    }

    /// The names in a directory in `readdir` order (with `.` and `..`), as LuaFileSystem's `lfs.dir` yields them.
    func list(_ path: String) -> Result<[String], FileAccessError> {
        let failure = { (reason: String) in FileAccessError("cannot open \(path): \(reason)") }
        let canonical: String
        switch Self.canonicalPath(path) {
        case .success(let resolved): canonical = resolved
        case .failure(let code): return .failure(failure(Self.describe(code)))
        }
        guard isReadable(canonical) else {
            return .failure(failure("outside the readable roots (\(roots.joined(separator: ", ")))"))
        }
        guard let directory = opendir(canonical) else { return .failure(failure(Self.describe(errno))) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            names.append(name)
        }
        return .success(names)
    }

    private func isReadable(_ canonical: String) -> Bool {
        allowedFiles.contains(canonical)
            || roots.contains { root in root == "/" || canonical == root || canonical.hasPrefix(root + "/") }
    }

    static func canonicalPath(_ path: String) -> Result<String, Errno> {
        guard let resolved = realpath(path, nil) else { return .failure(Errno(code: errno)) }
        defer { free(resolved) }
        return .success(String(cString: resolved))
    }

    static func describe(_ error: Errno) -> String { describe(error.code) }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Reads a whole small file outside any root check (for the installed Prosody's version file).
    static func readWholeFile(_ path: String, limit: Int) throws(FileAccessError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileAccessError("\(path): \(describe(errno))") }
        defer { close(descriptor) }
        switch readAll(descriptor, limit: limit) {
        case .success(let bytes): return bytes
        case .failure(let code): throw FileAccessError("\(path): \(describe(code))")
        }
    }

    private static func readAll(_ descriptor: Int32, limit: Int) -> Result<[UInt8], Errno> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Errno(code: errno))
            }
            if count == 0 { return .success(bytes) }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { return .failure(Errno(code: EFBIG)) }
        }
    }
}

/// An errno value, as a `Result` failure.
struct Errno: Error, Equatable {
    let code: Int32
}

package struct FileAccessError: Error, Equatable {
    package let message: String

    init(_ message: String) {
        self.message = message
    }
}
