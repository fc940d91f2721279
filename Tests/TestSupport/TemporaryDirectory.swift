#if canImport(Glibc)
    public import Glibc  // mode_t in public signatures
#endif

/// A fresh directory under /tmp, removed with everything in it when released: bind it to a name (not `_`) that
/// lives while its files are used (`defer { withExtendedLifetime(directory) {} }` where the last use is early).
public final class TemporaryDirectory: Sendable {
    /// Its absolute path.
    public let path: String

    /// A directory `/tmp/jjwt.XXXXXX` (short, so that copies of fixtures stay under Lua's 60-byte chunk names), or,
    /// given `minimumLength`, one nested below it whose path is at least that many bytes long.
    public init(minimumLength: Int = 0) throws {
        var template = Array("/tmp/jjwt.XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestFailure(description: "mkdtemp failed")
        }
        var path = String(cString: made)
        var level = 0
        while path.utf8.count < minimumLength {
            level += 1
            path += "/deep-directory-level-\(level)"
            guard mkdir(path, 0o700) == 0 else { throw TestFailure(description: "cannot create \(path)") }
        }
        self.path = path
        top = String(cString: made)
    }

    private let top: String

    /// Writes `text` to `name` (a path relative to this directory, whose parent exists), mode 0600; returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String, mode: mode_t = 0o600) throws -> String {
        let file = path + "/" + name
        try writeFile(file, Array(text.utf8), mode: mode)
        return file
    }

    /// Makes the directory `name` (and its parents) below this one; returns its path.
    @discardableResult
    public func makeDirectory(_ name: String) throws -> String {
        var current = path
        for part in name.split(separator: "/") {
            current += "/" + part
            if !isDirectory(current) && mkdir(current, 0o700) != 0 {
                throw TestFailure(description: "cannot create \(current)")
            }
        }
        return current
    }

    /// Copies a file or directory tree into this directory as `name` (by default its own last component); returns
    /// the copy's path.
    @discardableResult
    public func copy(_ source: String, as name: String? = nil) throws -> String {
        let destination = path + "/" + (name ?? String(source.split(separator: "/").last ?? ""))
        try copyTree(source, to: destination)
        return destination
    }

    deinit { removeTree(top) }
}
