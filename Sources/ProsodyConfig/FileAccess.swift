import CSystemShims

#if canImport(Glibc)
import Glibc
#endif

/// Read-only file access for the loader (and the plugin-era detection), confined to readable roots. Paths and names are bytes throughout, as
/// Prosody passes them.
///
/// Every path is opened by `ConfinedPath`'s walk: one component at a time from `/`, each `openat`ed with
/// `O_NOFOLLOW` beneath the directory descriptor of the one before, symlinks read and resolved by the walk itself.
/// So the canonical path that is checked against the roots is the path of the very descriptor that is read, and a
/// process that swaps a directory for a symlink meanwhile cannot redirect the read. Symlinks whose targets stay in a
/// root keep working (Debian's and Jitsi's `conf.d` → `conf.avail` links, relative or absolute).
package struct FileAccess {
    /// The canonical roots (symlinks resolved); roots that do not exist are dropped.
    let roots: [[UInt8]]
    /// Files that may be read wherever they are (the main config itself), canonical.
    let allowedFiles: Set<[UInt8]>
    let maxFileBytes: Int

    package init(roots: [String], allowedFiles: [String], maxFileBytes: Int) {
        self.roots = roots.compactMap { try? ConfinedPath.canonical(Array($0.utf8)).get() }
        self.allowedFiles = Set(allowedFiles.compactMap { try? ConfinedPath.canonical(Array($0.utf8)).get() })
        self.maxFileBytes = maxFileBytes
    }

    package enum Content: Equatable {
        case file([UInt8], canonical: [UInt8])
        case directory(canonical: [UInt8])
    }

    /// Reads a regular file (or notes a directory, which opens but reads nothing, as with `io.open`). Errors read
    /// like `io.open`'s: `<path>: <reason>`.
    package func read(_ path: String) -> Result<Content, FileAccessError> { read(Array(path.utf8)) }

    /// Reads a file named by bytes, up to a NUL as `io.open` does (see `read(_:)`).
    package func read(_ path: [UInt8]) -> Result<Content, FileAccessError> {
        let path = Self.cString(path)
        let failure = { (reason: String) in FileAccessError(path + Array(": \(reason)".utf8)) }
        let opened: ConfinedPath.Opened
        switch ConfinedPath.open(path, flags: O_RDONLY | O_NONBLOCK) {
        case .success(let result): opened = result
        case .failure(let error): return .failure(failure(Self.describe(error)))
        }
        defer { close(opened.descriptor) }
        guard isReadable(opened.canonical) else { return .failure(failure(outsideRoots)) }
        let status = csystem_fstat(opened.descriptor)
        guard status.error == 0 else { return .failure(failure(Self.describe(status.error))) }
        switch status.mode & S_IFMT {
        case S_IFDIR: return .success(.directory(canonical: opened.canonical))
        case S_IFREG: break
        default: return .failure(failure("not a regular file"))
        }
        guard Int(status.size) <= maxFileBytes else {
            return .failure(failure("larger than the file size limit of \(maxFileBytes) bytes"))
        }
        switch Self.readAll(opened.descriptor, limit: maxFileBytes, expected: Int(status.size)) {
        case .success(let bytes): return .success(.file(bytes, canonical: opened.canonical))
        case .failure(let error): return .failure(failure(Self.describe(error)))
        }
    }

    /// The names in a directory in `readdir` order (with `.` and `..`), as LuaFileSystem's `lfs.dir` yields them:
    /// exact bytes, whatever their encoding.
    func list(_ path: [UInt8]) -> Result<[[UInt8]], FileAccessError> {
        let path = Self.cString(path)
        let failure = { (reason: String) in FileAccessError(Array("cannot open ".utf8) + path + Array(": \(reason)".utf8)) }
        let opened: ConfinedPath.Opened
        switch ConfinedPath.open(path, flags: O_RDONLY | O_DIRECTORY) {
        case .success(let result): opened = result
        case .failure(let error): return .failure(failure(Self.describe(error)))
        }
        defer { close(opened.descriptor) }
        guard isReadable(opened.canonical) else { return .failure(failure(outsideRoots)) }
        return Self.names(in: opened.descriptor).mapError { failure(Self.describe($0)) }
    }

    /// The names in the directory open as `descriptor`, listed into a buffer that grows until they fit (names never
    /// hold a NUL, so the NULs that end them split them).
    private static func names(in descriptor: Int32) -> Result<[[UInt8]], Errno> {
        var capacity = 16_384
        while true {
            var buffer = [UInt8](repeating: 0, count: capacity)
            var names = buffer.mutableSpan
            let total = csystem_list_directory(descriptor, &names)
            if total < 0 { return .failure(Errno(code: Int32(-total))) }
            if total <= capacity { return .success(buffer[0..<total].split(separator: 0).map(Array.init)) }
            capacity = total + total / 8  // room for entries added meanwhile
        }
    }

    /// The name up to its first NUL: what C's `fopen` and `opendir` open, and Lua's messages name, for the strings
    /// Prosody passes them (the shims refuse a NUL rather than cut at it).
    private static func cString(_ path: [UInt8]) -> [UInt8] {
        path.firstIndex(of: 0).map { Array(path[..<$0]) } ?? path
    }

    private var outsideRoots: String {
        "outside the readable roots (\(roots.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ", ")))"
    }

    private func isReadable(_ canonical: [UInt8]) -> Bool {
        allowedFiles.contains(canonical) || roots.contains { root in
            root == [UInt8(ascii: "/")] || canonical == root
                || (canonical.count > root.count && canonical.starts(with: root)
                    && canonical[root.count] == UInt8(ascii: "/"))
        }
    }

    static func describe(_ error: Errno) -> String { describe(error.code) }

    /// `strerror`'s text for `code`.
    static func describe(_ code: Int32) -> String {
        var text = [UInt8](repeating: 0, count: 256)
        var span = text.mutableSpan
        let length = csystem_error_text(code, &span)
        return String(decoding: text[0..<min(length, text.count)], as: UTF8.self)
    }

    /// Reads a whole small file outside any root check (for the installed Prosody's version file).
    static func readWholeFile(_ path: String, limit: Int) throws(FileAccessError) -> [UInt8] {
        let descriptor = csystem_open(Array(path.utf8).span, O_RDONLY | O_CLOEXEC, 0)
        guard descriptor >= 0 else { throw FileAccessError("\(path): \(describe(-descriptor))") }
        defer { close(descriptor) }
        switch readAll(descriptor, limit: limit) {
        case .success(let bytes): return bytes
        case .failure(let code): throw FileAccessError("\(path): \(describe(code))")
        }
    }

    /// The file's bytes up to `limit`; `expected` (the size `fstat` gave) is reserved at once, so that a big
    /// config is not copied again at every doubling of the array (a file may still grow or shrink meanwhile). The
    /// read buffer is no larger than a file of that size needs (one byte over it, for the end of file), up to 64 KiB:
    /// a config of a few KiB costs a few KiB of buffer to clear and fault in, not 64.
    private static func readAll(_ descriptor: Int32, limit: Int, expected: Int = 0) -> Result<[UInt8], Errno> {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(max(expected, 0), limit))
        var chunk = [UInt8](repeating: 0, count: min(max(expected, 4_095), 65_535) + 1)
        while true {
            var span = chunk.mutableSpan
            let count = csystem_read(descriptor, &span)  // EINTR retried
            if count < 0 { return .failure(Errno(code: Int32(-count))) }
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

/// A file access failure, with `io.open`'s text (which names the path byte for byte).
package struct FileAccessError: Error, Equatable {
    package let message: [UInt8]

    init(_ message: [UInt8]) {
        self.message = message
    }

    init(_ message: String) {
        self.message = Array(message.utf8)
    }
}
