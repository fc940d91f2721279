import CSystemShims

#if canImport(Glibc)
import Glibc
#endif

/// Opens a path without ever letting the kernel follow a symlink: a walk from `/`, one component at a time, each
/// opened with `openat(…, O_NOFOLLOW)` relative to the descriptor of its parent. A symlink met on the way is read
/// (`readlinkat` on the same parent descriptor) and its target spliced into the rest of the walk, as the kernel
/// would; `..` returns to the parent descriptor already held, never to whatever `..` names on disk now. The
/// canonical path is built from the names actually opened, so it names exactly the file behind the descriptor
/// (`realpath` and then `open` would check one file and read another if a directory is swapped in between).
///
/// Why not `openat2(RESOLVE_BENEATH)`: it refuses every absolute symlink (`EXDEV`), and Jitsi's packages link
/// `conf.d/<host>.cfg.lua` to `/etc/prosody/conf.avail/<host>.cfg.lua` by absolute path; `RESOLVE_IN_ROOT` would
/// resolve that link under the root (`/etc/prosody/etc/prosody/…`). The walk keeps those links and needs no
/// kernel newer than 2.6.39.
enum ConfinedPath {
    /// A descriptor opened by the walk and the canonical absolute path it was opened as.
    struct Opened {
        var descriptor: Int32
        var canonical: [UInt8]
    }

    /// Symlinks one walk may follow, as Linux's own limit (`ELOOP` past it).
    static let maxSymlinks = 40

    private static let slash = UInt8(ascii: "/")
    /// Linux's `O_PATH` (a descriptor that only names a place; Glibc's Swift module hides it behind _GNU_SOURCE).
    private static let O_PATH: Int32 = 0o10_000_000
    private static let dotDot: [UInt8] = [UInt8(ascii: "."), UInt8(ascii: ".")]
    private static let dot: [UInt8] = [UInt8(ascii: ".")]

    /// Opens `path` (relative paths against the working directory) with `flags` (plus `O_NOFOLLOW | O_CLOEXEC`)
    /// for its last component; every directory on the way is opened `O_PATH`.
    static func open(_ path: [UInt8], flags: Int32) -> Result<Opened, Errno> {
        guard !path.isEmpty else { return .failure(Errno(code: ENOENT)) }
        var pending: [[UInt8]] = []
        if path.first != slash {
            switch workingDirectory() {
            case .success(let directory): pending = components(of: directory)
            case .failure(let error): return .failure(error)
            }
        }
        pending += components(of: path)
        pending.reverse()  // popped from the end
        let finalFlags = (path.last == slash ? flags | O_DIRECTORY : flags) | O_NOFOLLOW | O_CLOEXEC
        let root = csystem_open([slash].span, O_PATH | O_DIRECTORY | O_CLOEXEC, 0)
        guard root >= 0 else { return .failure(Errno(code: -root)) }
        // The directories walked so far below `/`, each with its descriptor.
        var stack: [(name: [UInt8], descriptor: Int32)] = []
        defer {
            for entry in stack { close(entry.descriptor) }
            close(root)
        }
        var walked: [UInt8] { stack.flatMap { [slash] + $0.name } }
        var symlinks = 0
        while let name = pending.popLast() {
            if name == dotDot {
                if let last = stack.popLast() { close(last.descriptor) }
                continue
            }
            let parent = stack.last?.descriptor ?? root
            let isLast = pending.isEmpty
            // A name holding a NUL is refused (EINVAL), never cut short at it.
            let descriptor = csystem_openat(
                parent, name.span, isLast ? finalFlags : O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            // With O_PATH | O_NOFOLLOW the kernel opens a final symlink itself instead of failing with ELOOP.
            if descriptor >= 0, !(isLast && isSymlink(descriptor)) {
                if isLast { return .success(Opened(descriptor: descriptor, canonical: walked + [slash] + name)) }
                stack.append((name, descriptor))
                continue
            }
            let code = descriptor >= 0 ? ELOOP : -descriptor
            if descriptor >= 0 { close(descriptor) }
            guard code == ELOOP || code == ENOTDIR, let target = readLink(parent, name) else {
                return .failure(Errno(code: code))
            }
            symlinks += 1
            guard symlinks <= maxSymlinks else { return .failure(Errno(code: ELOOP)) }
            if target.first == slash {
                for entry in stack { close(entry.descriptor) }
                stack.removeAll()
            }
            pending += components(of: target).reversed()
        }
        // The path ends in `..` or in a link to a directory already walked: open the directory the stack names.
        let descriptor = csystem_openat(stack.last?.descriptor ?? root, dot.span, finalFlags)
        guard descriptor >= 0 else { return .failure(Errno(code: -descriptor)) }
        return .success(Opened(descriptor: descriptor, canonical: stack.isEmpty ? [slash] : walked))
    }

    private static func isSymlink(_ descriptor: Int32) -> Bool {
        let status = csystem_fstat(descriptor)
        return status.error == 0 && status.mode & S_IFMT == S_IFLNK
    }

    /// The canonical absolute path of an existing file or directory (symlinks resolved by the same walk).
    static func canonical(_ path: [UInt8]) -> Result<[UInt8], Errno> {
        open(path, flags: O_PATH).map { opened in
            close(opened.descriptor)
            return opened.canonical
        }
    }

    /// The components of a path, without empty ones and `.`.
    private static func components(of path: [UInt8]) -> [[UInt8]] {
        path.split(separator: slash, omittingEmptySubsequences: true).map(Array.init)
            .filter { $0 != dot }
    }

    /// The target of the symlink `name` in the directory `parent`, or nil when `name` is not a symlink (any more).
    private static func readLink(_ parent: Int32, _ name: [UInt8]) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        var target = buffer.mutableSpan
        let count = csystem_readlinkat(parent, name.span, &target)
        guard count > 0, count < buffer.count else { return nil }
        return Array(buffer[0..<count])
    }

    /// The working directory, however long.
    private static func workingDirectory() -> Result<[UInt8], Errno> {
        var capacity = Int(PATH_MAX)
        while true {
            var buffer = [UInt8](repeating: 0, count: capacity)
            var path = buffer.mutableSpan
            let length = csystem_working_directory(&path)
            if length < 0 { return .failure(Errno(code: Int32(-length))) }
            if length <= capacity { return .success(Array(buffer[0..<length])) }
            capacity = length
        }
    }
}
