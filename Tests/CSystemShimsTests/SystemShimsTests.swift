import CSystemShims
import Glibc
import TestSupport
import Testing

/// The shims called as the Swift targets call them: through the spans the importer makes of their bounded pointers.
struct SystemShimsTests {
    private func open(_ path: [UInt8], _ flags: Int32 = O_RDONLY | O_CLOEXEC) -> Int32 {
        csystem_open(path.span, flags, 0)
    }

    @Test func pathHoldingANulIsRefusedInsteadOfCutShort() throws {
        let directory = try TemporaryDirectory()
        try directory.write("a", "the file the cut-short name would open\n")
        let named = Array((directory.path + "/a").utf8)
        let descriptor = open(named)
        #expect(descriptor >= 0)
        close(descriptor)
        #expect(open(named + [0] + Array("b".utf8)) == -EINVAL)
        #expect(csystem_stat((named + [0]).span).error == EINVAL)
        #expect(csystem_access((named + [0, 0x62]).span, F_OK) == -EINVAL)
    }

    @Test func pathOfPathMaxBytesIsRefusedAsTheKernelDoes() {
        // `/` and then `./` repeated: a name for `/` of any length.
        let longest = [UInt8(ascii: "/")] + Array(repeating: Array("./".utf8), count: (Int(PATH_MAX) - 2) / 2).joined()
        #expect(longest.count == Int(PATH_MAX) - 1)
        let descriptor = open(longest, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        #expect(descriptor >= 0)
        close(descriptor)
        #expect(open(longest + [UInt8(ascii: ".")]) == -ENAMETOOLONG)
        #expect(csystem_stat((longest + [UInt8(ascii: ".")]).span).error == ENAMETOOLONG)
    }

    @Test func readsALargeFileWholeInChunks() throws {
        let directory = try TemporaryDirectory()
        let bytes = (0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        let path = directory.path + "/large"
        try writeFile(path, bytes)
        let descriptor = open(Array(path.utf8))
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        var read: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var reads = 0
        while true {
            var span = chunk.mutableSpan
            let count = csystem_read(descriptor, &span)
            #expect(count >= 0)
            if count <= 0 { break }
            read += chunk[..<count]
            reads += 1
        }
        #expect(read == bytes)
        #expect(reads >= 48)
    }

    @Test func writesEveryByteAndReportsABadDescriptor() throws {
        let directory = try TemporaryDirectory()
        let path = Array((directory.path + "/written").utf8)
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)
        #expect(descriptor >= 0)
        #expect(csystem_write_all(descriptor, bytes.span) == 0)
        close(descriptor)
        #expect(try readBytes(directory.path + "/written") == bytes)
        #expect(csystem_write_all(descriptor, bytes.span) == -EBADF)
    }

    @Test func listsADirectoryByteExactWhateverTheBufferSize() throws {
        let directory = try TemporaryDirectory()
        try directory.write("b.cfg.lua", "")
        try directory.makeDirectory("conf.d")
        let latin1: [UInt8] = [0x63, 0xE9, 0x2E, 0x6C, 0x75, 0x61]  // "cé.lua" in Latin-1: not UTF-8
        let created = csystem_open((Array((directory.path + "/").utf8) + latin1).span, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        #expect(created >= 0)
        close(created)
        let descriptor = open(Array(directory.path.utf8), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        #expect(descriptor >= 0)
        defer { close(descriptor) }

        func list(capacity: Int) -> (total: Int, names: [[UInt8]]) {
            var buffer = [UInt8](repeating: 0xFF, count: capacity)
            var span = buffer.mutableSpan
            let total = csystem_list_directory(descriptor, &span)
            guard total >= 0, total <= capacity else { return (total, []) }
            #expect(buffer[total...].allSatisfy { $0 == 0xFF })
            return (total, buffer[..<total].split(separator: 0).map(Array.init))
        }
        let listed = list(capacity: 4096)
        let expected: Set<[UInt8]> = [Array(".".utf8), Array("..".utf8), Array("b.cfg.lua".utf8), Array("conf.d".utf8), latin1]
        #expect(Set(listed.names) == expected)
        #expect(listed.names.count == 5)
        #expect(listed.total == expected.map { $0.count + 1 }.reduce(0, +))
        // Too small a buffer: the length it takes, nothing written; the same descriptor lists again from the start.
        let short = list(capacity: 3)
        #expect(short.total == listed.total && short.names.isEmpty)
        #expect(list(capacity: listed.total).names == listed.names)

        let file = open(Array((directory.path + "/b.cfg.lua").utf8))
        defer { close(file) }
        var buffer = [UInt8](repeating: 0, count: 64)
        var span = buffer.mutableSpan
        #expect(csystem_list_directory(file, &span) == -ENOTDIR)
    }

    @Test func statReportsTheFileAndErrnoAsValues() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("mode", "12345", mode: 0o640)
        let status = csystem_stat(Array(path.utf8).span)
        #expect(status.error == 0 && status.mode == UInt32(S_IFREG) | 0o640 && status.size == 5)
        #expect(status.group == getegid())
        #expect(csystem_stat(Array((path + "-missing").utf8).span).error == ENOENT)
        let descriptor = open(Array(path.utf8))
        defer { close(descriptor) }
        #expect(csystem_fstat(descriptor).mode == status.mode)
        #expect(csystem_fstat(-1).error == EBADF)
    }

    @Test func errorTextIsStrerrorsCutToTheBuffer() {
        var buffer = [UInt8](repeating: 0, count: 64)
        var span = buffer.mutableSpan
        let length = csystem_error_text(ENOENT, &span)
        #expect(String(decoding: buffer[..<length], as: UTF8.self) == "No such file or directory")
        var small = [UInt8](repeating: 0, count: 5)
        var smallSpan = small.mutableSpan
        #expect(csystem_error_text(EACCES, &smallSpan) == "Permission denied".utf8.count)
        #expect(small == Array("Permi".utf8))
    }

    @Test func environmentValueOrUnset() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var span = buffer.mutableSpan
        #expect(csystem_environment(Array("JITSI_JWT_SURELY_UNSET_VARIABLE".utf8).span, &span) == -1)
        #expect(csystem_environment(Array("PATH\0X".utf8).span, &span) == -1)
        setenv("JITSI_JWT_SHIM_TEST", "value=with=equals", 1)
        let length = csystem_environment(Array("JITSI_JWT_SHIM_TEST".utf8).span, &span)
        #expect(length == 17 && String(decoding: buffer[..<length], as: UTF8.self) == "value=with=equals")
    }

    @Test func addressesParseAsInetPtonReadsThem() {
        #expect(csystem_parses_address(AF_INET, Array("192.0.2.1".utf8).span) == 1)
        #expect(csystem_parses_address(AF_INET, Array("192.0.2.256".utf8).span) == 0)
        #expect(csystem_parses_address(AF_INET6, Array("2001:db8::1".utf8).span) == 1)
        #expect(csystem_parses_address(AF_INET, Array("192.0.2.1\0junk".utf8).span) == 0)
        #expect(csystem_parses_address(AF_INET6, Array(repeating: UInt8(ascii: "0"), count: 200).span) == 0)
    }

    @Test func findsTheFirstOfAByteOrSaysThereIsNone() {
        for length in 0..<80 {
            for at in 0...length {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                if at < length { bytes[at] = 0x0A }
                if at + 1 < length { bytes[length - 1] = 0x0A }
                let expected = bytes.firstIndex(of: 0x0A) ?? length
                #expect(csystem_find_byte(bytes.span, 0x0A) == expected, "\(length) \(at)")
            }
        }
        #expect(csystem_find_byte(Array("\0\n".utf8).span, 0x0A) == 1)
    }

    @Test(.requires(.lua)) func formatsDoublesAsLuasFormatDoes() throws {
        try Oracle.lua.required()
        func g14(_ value: Double) -> String {
            var buffer = [UInt8](repeating: 0, count: 64)
            var span = buffer.mutableSpan
            let count = Int(csystem_format_g14(value, &span))
            return String(decoding: buffer[..<count], as: UTF8.self)
        }
        let values = [0.1, 1e100, -2.5, 1 / 3.0, 123_456_789_012_345.0, .leastNonzeroMagnitude, Double.pi]
        let lua = try runProcess(Oracle.luaPath, ["-e", "for _, v in ipairs({0.1, 1e100, -2.5, 1/3, 123456789012345.0, "
            + "2^-1074, math.pi}) do print(string.format('%.14g', v)) end"])
        #expect(values.map(g14).joined(separator: "\n") + "\n" == lua.stdout)
    }
}
