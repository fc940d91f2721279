import TestSupport
import Testing

@testable import jitsi_jwt

/// `jitsi-jwt dump` on the same argument, from the same working directory, as Prosody's own loader: here from a
/// directory 120 bytes deep (past Lua's 60-byte chunk names), with relative arguments, against 0.12.3 and 13.0.1.
struct PathsAsGivenTests {
    /// A release's oracle and the `--prosody-version` that follows it.
    struct Release: Sendable, CustomStringConvertible {
        var installation: ProsodyInstallation
        var version: String

        static let v0_12 = Release(installation: .v0_12, version: "0.12")
        static let v13 = Release(installation: .v13, version: "13")

        var description: String { version }
    }

    /// `…/leaf`, at least 120 bytes long, holding copies of the Debian deployment (glob Includes of `conf.d`), a
    /// duplicate option and a glob Include inside an included file of a subdirectory.
    static func deepCopy() throws -> (directory: TemporaryDirectory, leaf: String) {
        let directory = try TemporaryDirectory(minimumLength: 115)
        let leaf = try directory.makeDirectory("leaf")
        for name in directoryEntries(Repository.fixture("debian/etc/prosody")) {
            try directory.copy(Repository.fixture("debian/etc/prosody/" + name), as: "leaf/" + name)
        }
        for name in [
            "duplicate-option-warning.cfg.lua", "include-glob-nested-subdir.cfg.lua", "include-glob-nested-subdir.d",
        ] {
            try directory.copy(Repository.fixture("semantics/" + name), as: "leaf/" + name)
        }
        #expect(leaf.utf8.count >= 120)
        return (directory, leaf)
    }

    /// What `jitsi-jwt dump --show-secrets` prints for `config` from `directory`.
    static func dump(_ config: String, release: Release, in directory: String) throws -> CommandResult {
        try runProcess(
            BuiltBinary.required(), ["dump", "--show-secrets", "--prosody-version", release.version, config],
            environment: inheritedEnvironment(excluding: ["CREDENTIALS_DIRECTORY"]), in: directory)
    }

    /// Prosody's positions in its own sources, and ours in the prelude, as one placeholder.
    static func normalized(_ result: CommandResult) -> CommandResult {
        var result = result
        result.standardError = Array(
            result.stderr.replacing(
                /((\/opt\/prosody13)?\/usr\/lib\/prosody\/(core|util)\/)?(configmanager|envload)\.lua:\d+:/,
                with: "<prosody>:"
            ).utf8)
        return result
    }

    func expectSameAsProsody(_ config: String, release: Release, in directory: String) throws {
        let prosody = try release.installation.dump(config, in: directory)
        let ours = try Self.dump(config, release: release, in: directory)
        #expect(Self.normalized(ours) == Self.normalized(prosody), "\(release) \(config) in \(directory)")
    }

    @Test(.requires(.prosody012), .requires(.prosody13), arguments: [Release.v0_12, .v13])
    func relativeArgumentsNameFilesAsProsodyDoes(_ release: Release) throws {
        let (directory, leaf) = try Self.deepCopy()
        defer { withExtendedLifetime(directory) {} }
        // Warnings name "./duplicate-option-warning.cfg.lua:N:", short enough for Prosody to find the line.
        for config in ["./prosody.cfg.lua", "./duplicate-option-warning.cfg.lua", "duplicate-option-warning.cfg.lua"] {
            try expectSameAsProsody(config, release: release, in: leaf)
        }
        let duplicate = try Self.dump("./duplicate-option-warning.cfg.lua", release: release, in: leaf)
        #expect(duplicate.stdout.contains(#""./duplicate-option-warning.cfg.lua:"#))
        // Non-glob Includes of a relative main path resolve as Prosody resolves them: named "leaf/…".
        try directory.write("leaf/includes-missing.cfg.lua", "Include \"conf.avail/missing.cfg.lua\"\n")
        try expectSameAsProsody("leaf/includes-missing.cfg.lua", release: release, in: directory.path)
    }

    @Test(.requires(.prosody012), .requires(.prosody13), arguments: [Release.v0_12, .v13])
    func aLongAbsolutePathFailsWhereProsodyFails(_ release: Release) throws {
        let (directory, leaf) = try Self.deepCopy()
        defer { withExtendedLifetime(directory) {} }
        let config = leaf + "/duplicate-option-warning.cfg.lua"
        try expectSameAsProsody(config, release: release, in: leaf)
        let ours = try Self.dump(config, release: release, in: leaf)
        #expect(ours.status == 1)
        #expect(ours.stderr.hasSuffix(": bad argument #2 to 'format' (number expected, got nil)\n"))
    }

    /// Where Prosody's loader resolves a glob's files a second time against a relative directory, or a bare file
    /// name's Includes from "/", it fails; the files meant are the ones it includes for the absolute path.
    @Test(.requires(.prosody012), .requires(.prosody13), arguments: [Release.v0_12, .v13])
    func includesResolveAsForTheAbsolutePath(_ release: Release) throws {
        let (directory, leaf) = try Self.deepCopy()
        defer { withExtendedLifetime(directory) {} }
        for (config, workingDirectory) in [
            ("leaf/prosody.cfg.lua", directory.path), ("./include-glob-nested-subdir.cfg.lua", leaf),
            ("prosody.cfg.lua", leaf),
        ] {
            let prosody = try release.installation.dump(config, in: workingDirectory)
            #expect(prosody.status == 1, "Prosody loads \(config) now: \(prosody)")
            let absolute = try release.installation.dump(leaf + "/" + config.split(separator: "/").last!, in: leaf)
            #expect(absolute.status == 0, "\(absolute)")
            let ours = try Self.dump(config, release: release, in: workingDirectory)
            #expect(ours == absolute, "\(release) \(config)")
        }
    }
}

/// Which file a config argument names, as Prosody's `read_config` picks it.
struct ConfigArgumentTests {
    @Test func anArgumentThatOpensIsTakenAsGiven() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("prosody.cfg.lua", "")
        #expect(ConfigOptions.resolvePath(config, configDirectory: directory.path) == config)
    }

    @Test func anArgumentThatDoesNotOpenIsLookedForInTheConfigDirectory() throws {
        let directory = try TemporaryDirectory()
        try directory.write("only-here.cfg.lua", "")
        #expect(
            ConfigOptions.resolvePath("only-here.cfg.lua", configDirectory: directory.path)
                == directory.path + "/only-here.cfg.lua")
        #expect(ConfigOptions.resolvePath("nowhere.cfg.lua", configDirectory: directory.path) == "nowhere.cfg.lua")
    }
}
