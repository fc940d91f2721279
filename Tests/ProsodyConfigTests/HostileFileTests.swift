import Foundation
import ProsodyConfig
import TestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Files are opened beneath the roots without following a symlink out of them, even while another thread swaps a
/// directory for a symlink; names are bytes, as Prosody passes them; a big conf.d is listed safely.
@Suite(.serialized)
struct HostileFileTests {
    @Test func symlinksThatStayInsideTheRootsStillWork() throws {
        let root = try TemporaryTree()
        try root.write("conf.avail/relative.cfg.lua", #"VirtualHost "relative.example""#)
        try root.write("conf.avail/absolute.cfg.lua", #"VirtualHost "absolute.example""#)
        try root.write("conf.avail/nested.d/x.cfg.lua", #"VirtualHost "through-dir-link.example""#)
        try root.symlink("conf.d/relative.cfg.lua", to: "../conf.avail/relative.cfg.lua")
        try root.symlink("conf.d/absolute.cfg.lua", to: root.path("conf.avail/absolute.cfg.lua"))
        try root.symlink("linked-dir", to: "conf.avail/nested.d")
        try root.write("prosody.cfg.lua", #"Include "conf.d/*.cfg.lua"; Include "linked-dir/x.cfg.lua""#)
        let config = try ConfigLoader.load(path: root.path("prosody.cfg.lua"), options: LoadOptions(version: .v0_12))
        #expect(Set(config.sections.map(\.name))
            == ["*", "relative.example", "absolute.example", "through-dir-link.example"])
    }

    @Test func aMainConfigAndARootGivenAsSymlinksAreFollowed() throws {
        let real = try TemporaryTree(), extra = try TemporaryTree(), links = try TemporaryTree()
        try extra.write("extra.txt", "extra")
        try real.write("prosody.cfg.lua", #"extra = FileContents("e/extra.txt")"#)
        try links.symlink("main.cfg.lua", to: real.path("prosody.cfg.lua"))
        try links.symlink("e", to: extra.path(""))
        let config = try ConfigLoader.load(path: links.path("main.cfg.lua"),
                                           options: LoadOptions(readableRoots: [links.path("e")]))
        #expect(config.global["extra"]?.stringValue == "extra")
    }

    @Test func symlinksLeavingTheRootsAreRefusedAtAnyDepth() throws {
        let outside = try TemporaryTree()
        try outside.write("secret.txt", "OUTSIDE")
        let root = try TemporaryTree()
        try root.symlink("out", to: outside.path(""))
        try root.symlink("chain1", to: "chain2")
        try root.symlink("chain2", to: outside.path("secret.txt"))
        try root.write("prosody.cfg.lua", """
            local results = {}
            for _, name in ipairs({ "out/secret.txt", "chain1", "out/../out/secret.txt" }) do
                local ok, err = pcall(FileContents, name)
                results[#results + 1] = tostring(ok) .. " " .. tostring(err)
            end
            results_text = table.concat(results, "\\n")
            """)
        let config = try ConfigLoader.load(path: root.path("prosody.cfg.lua"), options: LoadOptions(readableRoots: []))
        let base = root.path("")
        #expect(config.global["results_text"]?.stringValue == """
            false \(base)/out/secret.txt: outside the readable roots (\(base))
            false \(base)/chain1: outside the readable roots (\(base))
            false \(base)/out/../out/secret.txt: No such file or directory
            """)
    }

    /// A thread swaps `swap` between a directory inside the root and a symlink to a directory outside it, as fast
    /// as it can, while the config reads `swap/secret.txt` two thousand times; no read may return the outside file.
    @Test(.timeLimit(.minutes(2))) func aRacingSwapOfDirectoryAndSymlinkNeverReadsOutsideTheRoot() throws {
        let outside = try TemporaryTree()
        try outside.write("secret.txt", "OUTSIDE")
        let root = try TemporaryTree()
        try root.write("real/secret.txt", "inside")
        try root.write("prosody.cfg.lua", """
            local seen = {}
            for i = 1, 2000 do
                local ok, content = pcall(FileContents, "swap/secret.txt")
                local key = ok and content or "refused"
                seen[key] = (seen[key] or 0) + 1
            end
            outside_reads = seen.OUTSIDE or 0
            inside_reads = seen.inside or 0
            """)
        let stop = StopFlag()
        let swapper = Swapper(root: root.path(""), outside: outside.path(""))
        try withThread({ swapper.run(until: stop) }) {
            defer { stop.value.store(true, ordering: .relaxed) }
            var insideReads: Int64 = 0
            for _ in 0..<5 {
                let config = try ConfigLoader.load(path: root.path("prosody.cfg.lua"),
                                                   options: LoadOptions(readableRoots: []))
                #expect(config.global["outside_reads"] == .integer(0))
                if case .integer(let count)? = config.global["inside_reads"] { insideReads += count }
            }
            #expect(insideReads > 0, "the reads never met the directory: the race was not exercised")
        }
    }

    /// 3000 files in conf.d, with 200-byte names and names that are not UTF-8, included by one glob: Prosody's own
    /// loader and ours find the same files in the same order and dump the same config.
    @Test(.requires(.prosody012)) func aBigConfDWithLongAndNonUTF8NamesLoadsLikeProsody() throws {
        let root = try TemporaryTree()
        for index in 0..<3000 {
            let stem: [UInt8] = switch index % 3 {
            case 0: Array("host-\(index)".utf8)
            case 1: Array(repeating: UInt8(ascii: "n"), count: 200) + Array("-\(index)".utf8)
            default: [0xFF, 0xFE, 0xC3, 0x28] + Array("-\(index)".utf8)
            }
            try root.write(bytes: Array("conf.d/".utf8) + stem + Array(".cfg.lua".utf8),
                           Array(#"VirtualHost "h\#(index).example" app_id = "app\#(index)""#.utf8))
        }
        try root.write("prosody.cfg.lua", #"Include "conf.d/*.cfg.lua""#)
        let main = root.path("prosody.cfg.lua")
        let config = try ConfigLoader.load(path: main, options: LoadOptions(version: .v0_12, maxIncludes: 5_000))
        #expect(config.sections.count == 3001)
        #expect(config[section: "h2999.example"]?["app_id"]?.stringValue == "app2999")
        let oracle = try ProsodyInstallation.v0_12.dump(main, in: root.path(""))
        #expect(oracle.status == 0)
        #expect(try ConfigDump.render(config, showSecrets: true) == oracle.stdout)
    }

    @Test func aNonUTF8IncludePathIsOpenedByItsBytes() throws {
        let root = try TemporaryTree()
        try root.write(bytes: [0xFF] + Array(".cfg.lua".utf8), Array(#"VirtualHost "latin.example""#.utf8))
        try root.write(bytes: Array("prosody.cfg.lua".utf8), Array(#"Include "\255.cfg.lua""#.utf8))
        let config = try ConfigLoader.load(path: root.path("prosody.cfg.lua"), options: LoadOptions(version: .v0_12))
        #expect(config.sections.map(\.name).contains("latin.example"))
    }
}

/// Swaps `<root>/swap` between the directory `<root>/real` and a symlink to `outside`, until told to stop.
private struct Swapper: Sendable {
    let root: String
    let outside: String

    func run(until stop: StopFlag) {
        let swap = root + "/swap", real = root + "/real"
        while !stop.value.load(ordering: .relaxed) {
            rename(real, swap)
            rename(swap, real)
            symlink(outside, swap)
            unlink(swap)
        }
    }
}

private final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
}

/// Runs `body` while `background` runs on its own thread, and waits for the thread to end afterwards.
private func withThread(_ background: @escaping @Sendable () -> Void, _ body: () throws -> Void) rethrows {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        background()
        done.signal()
    }
    thread.start()
    defer { done.wait() }
    try body()
}

/// A fresh directory under the system temporary directory (canonical path), removed when the value is released.
private final class TemporaryTree {
    let base: String

    init() throws {
        let template = FileManager.default.temporaryDirectory.resolvingSymlinksInPath().path + "/jitsi-jwt-files.XXXXXX"
        var bytes = Array(template.utf8CString)
        guard mkdtemp(&bytes) != nil else { throw CocoaError(.fileWriteUnknown) }
        base = String(cString: bytes)
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    func path(_ relative: String) -> String { relative.isEmpty ? base : base + "/" + relative }

    func write(_ relative: String, _ text: String) throws {
        try write(bytes: Array(relative.utf8), Array(text.utf8))
    }

    /// Writes a file whose name is given as bytes (which need not be UTF-8), creating directories on the way.
    func write(bytes relative: [UInt8], _ contents: [UInt8]) throws {
        let full = Array(base.utf8) + [UInt8(ascii: "/")] + relative
        if let slash = full.lastIndex(of: UInt8(ascii: "/")), slash > base.utf8.count {
            let directory = String(decoding: full[..<slash], as: UTF8.self)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let descriptor = (full + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        let written = contents.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == contents.count else { throw CocoaError(.fileWriteUnknown) }
    }

    func symlink(_ relative: String, to target: String) throws {
        let link = path(relative)
        try FileManager.default.createDirectory(atPath: (link as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        guard Glibc.symlink(target, link) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
