#if canImport(Glibc)
    public import Glibc  // mode_t in public signatures
#endif

/// Whether `path` exists.
public func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

/// Whether `path` is executable by this process.
public func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

/// The bytes of a file.
public func readBytes(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else { throw TestFailure(description: "cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return bytes
}

/// The text of a file (invalid UTF-8 repaired).
public func readFile(_ path: String) throws -> String { String(decoding: try readBytes(path), as: UTF8.self) }

/// Writes `bytes` to `path` (created with `mode`, or truncated).
public func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw TestFailure(description: "cannot create \(path)") }
    defer { close(descriptor) }
    var written = 0
    while written < bytes.count {
        let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { throw TestFailure(description: "cannot write \(path)") }
        written += count
    }
}

/// Names in a directory, without "." and "..", unsorted; empty when it cannot be read.
public func directoryEntries(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}

/// Whether `path` is a symbolic link.
public func isSymbolicLink(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
}

/// Whether `path` is a directory (symlinks not followed).
func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

/// Removes a file, or a directory and everything below it (symlinks removed, not followed).
public func removeTree(_ path: String) {
    if isDirectory(path) {
        for name in directoryEntries(path) { removeTree(path + "/" + name) }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// Copies a file or a directory tree to `destination` (file modes kept; symlinks copied as links).
public func copyTree(_ source: String, to destination: String) throws {
    var info = stat()
    guard lstat(source, &info) == 0 else { throw TestFailure(description: "cannot read \(source)") }
    switch info.st_mode & S_IFMT {
    case S_IFDIR:
        guard mkdir(destination, info.st_mode & 0o7777) == 0 else {
            throw TestFailure(description: "cannot create \(destination)")
        }
        for name in directoryEntries(source) { try copyTree(source + "/" + name, to: destination + "/" + name) }
    case S_IFLNK:
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(source, &buffer, buffer.count - 1)
        guard count >= 0, symlink(buffer, destination) == 0 else {
            throw TestFailure(description: "cannot copy the link \(source)")
        }
    default:
        try writeFile(destination, try readBytes(source), mode: info.st_mode & 0o7777)
        chmod(destination, info.st_mode & 0o7777)
    }
}

/// The canonical absolute path, or `path` itself when it cannot be resolved.
public func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
}
