#if canImport(Glibc)
import Glibc
#endif

/// Creating files that must not exist yet (keys, secrets): `O_CREAT | O_EXCL`, so nothing is ever overwritten and a
/// symlink planted at the path is not followed.
enum NewFile {
    /// Why a file could not be created or written.
    struct CreationError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): \(reason)" }
    }

    /// Creates `path` with exactly `mode` (the umask cannot widen or narrow it) and writes `bytes`. On a write error
    /// the partial file is removed.
    static func create(_ path: String, bytes: [UInt8], mode: mode_t) throws(CreationError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST
                ? "already exists (never overwritten: remove it or choose another name)"
                : String(cString: strerror(errno))
            throw CreationError(path: path, reason: reason)
        }
        defer { close(descriptor) }
        func fail(_ reason: String) -> CreationError {
            unlink(path)
            return CreationError(path: path, reason: reason)
        }
        guard fchmod(descriptor, mode) == 0 else { throw fail(String(cString: strerror(errno))) }
        var remaining = bytes[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw fail(String(cString: strerror(errno)))
            }
            remaining = remaining.dropFirst(written)
        }
        guard fsync(descriptor) == 0 || errno == EINVAL else { throw fail(String(cString: strerror(errno))) }
    }
}
