import CSystemShims

#if canImport(Glibc)
import Glibc
#endif

/// The CLI's system calls, through CSystemShims: paths and bytes passed as spans, failures as errno values (a shim
/// returns `-errno`; none of these read the global `errno`).
enum SystemCalls {
    /// `strerror`'s text for `code`.
    static func errorText(_ code: Int32) -> String {
        var text = [UInt8](repeating: 0, count: 256)
        var span = text.mutableSpan
        let length = csystem_error_text(code, &span)
        return String(decoding: text[0..<min(length, text.count)], as: UTF8.self)
    }

    /// `open(2)`: a descriptor, or `-errno` (`-EINVAL` for a path holding a NUL).
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) -> Int32 {
        csystem_open(Array(path.utf8).span, flags, mode)
    }

    /// `access(2)`: 0, or `-errno`.
    static func access(_ path: String, _ mode: Int32) -> Int32 {
        csystem_access(Array(path.utf8).span, mode)
    }

    /// `unlink(2)`: 0, or `-errno`.
    @discardableResult
    static func unlink(_ path: String) -> Int32 {
        csystem_unlink(Array(path.utf8).span)
    }

    /// `stat(2)`'s mode and group, following symlinks; `nil` when it fails.
    static func stat(_ path: String) -> (mode: mode_t, group: gid_t)? {
        let status = csystem_stat(Array(path.utf8).span)
        return status.error == 0 ? (status.mode, status.group) : nil
    }

    /// Reads into `buffer` (at most its count): the bytes read (0 at the end), or `-errno` (`EINTR` is retried).
    static func read(_ descriptor: Int32, into buffer: inout [UInt8]) -> Int {
        read(descriptor, into: &buffer, at: buffer.indices)
    }

    /// Reads into `buffer[range]` (at most `range.count` bytes, from its start): the bytes read (0 at the end), or
    /// `-errno` (`EINTR` is retried).
    static func read(_ descriptor: Int32, into buffer: inout [UInt8], at range: Range<Int>) -> Int {
        var span = buffer.mutableSpan
        var room = span.extracting(range)
        return csystem_read(descriptor, &room)
    }

    /// The index of the first `byte` in `bytes[range]` (`memchr`), or `nil`.
    static func firstIndex(of byte: UInt8, in bytes: [UInt8], within range: Range<Int>) -> Int? {
        let part = bytes.span.extracting(range)
        let offset = csystem_find_byte(part, byte)
        return offset == part.count ? nil : range.lowerBound + offset
    }

    /// The processors the process may run on (its affinity mask's; `csystem_usable_processors`).
    static var usableProcessors: Int { csystem_usable_processors() }

    /// Keeps up to `bytes` of freed memory in the heap for the allocations that follow, instead of returning it to the
    /// kernel (`csystem_keep_freed_memory`).
    static func keepFreedMemory(upTo bytes: Int) {
        csystem_keep_freed_memory(bytes)
    }

    /// Writes all of `bytes`: `nil`, or the errno of the first failed `write(2)` (`EINTR` is retried).
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
        let status = csystem_write_all(descriptor, bytes.span)
        return status == 0 ? nil : -status
    }

    /// The working directory, however long; `nil` when it cannot be read.
    static func workingDirectory() -> String? {
        var capacity = Int(PATH_MAX)
        while true {
            var buffer = [UInt8](repeating: 0, count: capacity)
            var span = buffer.mutableSpan
            let length = csystem_working_directory(&span)
            if length < 0 { return nil }
            if length <= capacity { return String(decoding: buffer[0..<length], as: UTF8.self) }
            capacity = length
        }
    }

    /// The environment variable `name`, or `nil` when it is not set.
    static func environment(_ name: String) -> String? {
        var capacity = 4096
        while true {
            var buffer = [UInt8](repeating: 0, count: capacity)
            var span = buffer.mutableSpan
            let length = csystem_environment(Array(name.utf8).span, &span)
            if length < 0 { return nil }
            if length <= capacity { return String(decoding: buffer[0..<length], as: UTF8.self) }
            capacity = length
        }
    }

    /// The names in `directory` in `readdir` order (`.` and `..` included); `nil` when it cannot be listed.
    static func directoryNames(_ directory: String) -> [[UInt8]]? {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var capacity = 16_384
        while true {
            var buffer = [UInt8](repeating: 0, count: capacity)
            var span = buffer.mutableSpan
            let total = csystem_list_directory(descriptor, &span)
            if total < 0 { return nil }
            if total <= capacity { return buffer[0..<total].split(separator: 0).map(Array.init) }
            capacity = total + total / 8  // room for entries added meanwhile
        }
    }

    /// The name of group `id`, or `nil` for an unknown group.
    static func groupName(_ id: gid_t) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            var span = buffer.mutableSpan
            let length = csystem_group_name(id, &span)
            if length < 0 { return nil }
            if length <= buffer.count { return String(decoding: buffer[0..<length], as: UTF8.self) }
            buffer = [UInt8](repeating: 0, count: length)
        }
    }

    /// Whether `inet_pton(family, …)` reads `address` (never one holding a NUL: it is checked on the bytes given).
    static func parsesAddress(_ address: ArraySlice<UInt8>, family: Int32) -> Bool {
        csystem_parses_address(family, Array(address).span) == 1
    }
}
