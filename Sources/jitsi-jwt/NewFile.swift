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
        let descriptor = SystemCalls.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode: mode)
        guard descriptor >= 0 else {
            let reason = descriptor == -EEXIST
                ? "already exists (never overwritten: remove it or choose another name)"
                : SystemCalls.errorText(-descriptor)
            throw CreationError(path: path, reason: reason)
        }
        defer { close(descriptor) }
        func fail(_ reason: String) -> CreationError {
            SystemCalls.unlink(path)
            return CreationError(path: path, reason: reason)
        }
        guard fchmod(descriptor, mode) == 0 else { throw fail(SystemCalls.errorText(errno)) }
        if let code = SystemCalls.writeAll(descriptor, bytes) { throw fail(SystemCalls.errorText(code)) }
        guard fsync(descriptor) == 0 || errno == EINVAL else { throw fail(SystemCalls.errorText(errno)) }
    }
}
