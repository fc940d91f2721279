// No Foundation here on purpose: test targets that import this one may not import Foundation (its _FoundationICU
// clashes with the system ICU that StringPrep's CICU module brings in).
#if canImport(Glibc)
    import Glibc
#endif

/// Paths into the checkout, found from this file (symlinks resolved, so a package made of links works too).
public enum Repository {
    /// The checkout's root directory.
    public static let root: String = {
        var parts = realPath(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// `root/relative`.
    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// `Fixtures/relative`.
    public static func fixture(_ relative: String) -> String { path("Fixtures/" + relative) }

    /// The text of `Fixtures/tokens/name`.
    public static func tokenFixture(_ name: String) throws -> String { try readFile(fixture("tokens/" + name)) }

    /// Fixture files directly in `Fixtures/directory` whose names end in `suffix`, sorted, relative to `Fixtures/`.
    public static func fixtures(in directory: String, suffix: String = ".cfg.lua") -> [String] {
        directoryEntries(fixture(directory)).filter { $0.hasSuffix(suffix) }.sorted().map { "\(directory)/\($0)" }
    }

    /// The main configs of the three deployments in `Fixtures/`, and one that does not parse.
    public static let debian = fixture("debian/etc/prosody/prosody.cfg.lua")
    public static let docker = fixture("docker/config/prosody.cfg.lua")
    public static let multihost = fixture("multihost/prosody.cfg.lua")
    public static let broken = fixture("hostile/syntax-error.cfg.lua")

    /// The independent oracles in `Tests/Oracles/`.
    public static let prosodyDump = path("Tests/Oracles/prosody-dump.lua")
    public static let jitsiVerify = path("Tests/Oracles/jitsi-verify.lua")

    /// How Lua names a file chunk in messages (`short_src`): the path, or "..." and its last 56 bytes when the
    /// path is 60 bytes or longer (LUA_IDSIZE).
    public static func luaChunkName(_ path: String) -> String {
        path.utf8.count < 60 ? path : "..." + String(decoding: Array(path.utf8).suffix(56), as: UTF8.self)
    }
}

/// The `jitsi-jwt` binary that `swift build` puts next to the test bundle.
public enum BuiltBinary {
    /// Its path, or nil when this build made none.
    public static let path: String? = {
        var parts = realPath("/proc/self/exe").split(separator: "/", omittingEmptySubsequences: false)
        // …/debug/jitsi-jwtPackageTests.xctest, or a bundle directory below …/debug.
        while parts.count > 1 {
            parts.removeLast()
            let candidate = parts.joined(separator: "/") + "/jitsi-jwt"
            if isExecutable(candidate) { return candidate }
            if parts.last == "debug" || parts.last == "release" { break }
        }
        return nil
    }()

    /// Its path; throws (so the test fails rather than skips) when it is missing.
    public static func required() throws -> String {
        guard let path else {
            throw TestFailure(
                description: "no jitsi-jwt binary next to the test bundle: build with `swift build --build-tests`")
        }
        return path
    }
}

/// A failure of the test's own set-up, with what went wrong.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}
