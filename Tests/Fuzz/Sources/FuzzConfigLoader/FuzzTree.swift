// The directory tree the config loader's fuzz target reads from (see FuzzConfigLoader.swift).
#if canImport(Glibc)
    import Glibc
#endif

enum FuzzTree {
    /// Creates the tree under `root` (once per process; inputs never write to it).
    static func build(in root: String) {
        let directories = ["conf.d", "conf.avail", "many", "d1/d2/d3/d4/d5/d6/d7/d8"]
        for directory in directories {
            var path = root
            for part in directory.split(separator: "/") {
                path += "/" + part
                mkdir(path, 0o700)
            }
        }
        file(root, "conf.avail/host.cfg.lua", #"VirtualHost "avail.example" app_id = "avail""#)
        file(root, "conf.avail/component.cfg.lua", #"Component "muc.avail.example" "muc""#)
        file(root, "conf.d/plain.cfg.lua", #"VirtualHost "plain.example" app_secret = "s""#)
        file(root, "conf.d/include-next.cfg.lua", #"Include "../conf.avail/component.cfg.lua""#)
        file(root, "d1/d2/d3/d4/d5/d6/d7/d8/deep.cfg.lua", #"deep = FileLine and FileLine("../../../../../../../../secret.txt")"#)
        file(root, "secret.txt", "line one\nline two\n")
        file(bytes: Array("\(root)/conf.d/".utf8) + [0xFF, 0xFE, 0xC3, 0x28] + Array(".cfg.lua".utf8),
             Array(#"VirtualHost "latin.example""#.utf8))
        file(root, "conf.d/" + String(repeating: "n", count: 246) + ".cfg.lua", #"long = true"#)
        for index in 0..<300 {
            file(root, "many/\(index).cfg.lua", "many_\(index) = \(index)")
        }
        link("../conf.avail/host.cfg.lua", at: root + "/conf.d/relative-in.cfg.lua")
        link(root + "/conf.avail/component.cfg.lua", at: root + "/conf.d/absolute-in.cfg.lua")
        link("/etc/passwd", at: root + "/conf.d/out-passwd.cfg.lua")
        link("/etc", at: root + "/outdir")
        link("conf.avail", at: root + "/linkdir")
        link("loop.cfg.lua", at: root + "/conf.d/loop.cfg.lua")
        link("nothing.cfg.lua", at: root + "/conf.d/dangling.cfg.lua")
        link("d1/d2/../../outdir", at: root + "/updown")
        mkfifo(root + "/conf.d/fifo.cfg.lua", 0o600)
    }

    private static func file(_ root: String, _ relative: String, _ text: String) {
        file(bytes: Array("\(root)/\(relative)".utf8), Array(text.utf8))
    }

    private static func file(bytes path: [UInt8], _ contents: [UInt8]) {
        let descriptor = (path + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o600) }
        }
        guard descriptor >= 0 else { fatalError("cannot create a file of the fuzz tree") }
        _ = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    private static func link(_ target: String, at path: String) {
        guard symlink(target, path) == 0 else { fatalError("cannot create \(path)") }
    }
}
