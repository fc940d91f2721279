import LuaSandbox
import TestSupport
import Testing

/// The sandbox's own C functions: `setmetatable` in place of Lua's (it notes whether any object can have a
/// finalizer, so that a close without one frees the state at once), and the prelude's `ascii_nameprep` and note log.
struct TrustedFunctionTests {
    /// Runs `code` under the name `lua5.4 -e` gives its chunk, so that positions in messages read alike.
    private func run(_ code: String) throws(SandboxError) -> [CopiedValue] {
        try Sandbox().values(chunk: code, chunkName: "=(command line)")
    }

    /// What Lua's `print` shows of a value.
    private static func printed(_ value: CopiedValue) -> String {
        switch value {
        case .nil: "nil"
        case .boolean(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        default: "<\(value)>"
        }
    }

    @Test(arguments: [
        "setmetatable(1, {})", "setmetatable({}, 1)", "setmetatable({})",
        "setmetatable(setmetatable({}, {__metatable = false}), {})",
        "return getmetatable(setmetatable({}, {__index = {x = 1}})).__index.x",
        "local t = setmetatable({}, {}) return setmetatable(t, nil) == t, getmetatable(t)",
        "return getmetatable(setmetatable({}, {__metatable = 'locked'}))",
    ])
    func setmetatableReturnsAndFailsAsLuasOwn(_ code: String) throws {
        let lua = try runProcess("/usr/bin/lua5.4", ["-e", "print(pcall(function() \(code) end))"])
        try #require(lua.status == 0, "\(lua)")
        let ours = try run("return pcall(function() \(code) end)")
        #expect(Array((ours.map(Self.printed).joined(separator: "\t") + "\n").utf8) == lua.standardOutput)
    }

    @Test func closeRunsTheFinalizerOfATableWhoseMetatableHadGC() throws {
        let limits = SandboxLimits(memoryBytes: 8 << 20, instructions: 1_000_000_000, wallClockMilliseconds: 200)
        let sandbox = try Sandbox(limits: limits)
        let values = try sandbox.values(
            chunk: "setmetatable({}, {__gc = function() while true do end end}) return 1", chunkName: "=test")
        #expect(values == [.integer(1)])
        #expect(throws: SandboxError.deadline(milliseconds: 200)) { try sandbox.close() }
    }

    @Test func asciiNameprepLowercasesASCIINamesAndLeavesEveryOtherToTheHost() throws {
        let values = try run(#"""
            local nameprep = (...).ascii_nameprep
            return nameprep("Meet.EXAMPLE.com"), nameprep("meet-1.example.com"), nameprep("caf\195\169.example"),
                nameprep(("Q"):rep(1023)), nameprep(("q"):rep(1024)), nameprep(42), nameprep("")
            """#)
        #expect(values == [
            .text("meet.example.com"), .text("meet-1.example.com"), .nil, .text(String(repeating: "q", count: 1023)),
            .nil, .nil, .text(""),
        ])
    }

    /// One note of the log as `notes()` hands it out: four positions in the values and the line, little-endian.
    private static func record(_ positions: [UInt32], line: Int64?) -> [UInt8] {
        let words = positions.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
        let line = UInt64(bitPattern: line ?? .min)
        return words + (0..<8).map { UInt8(truncatingIfNeeded: line >> (8 * $0)) }
    }

    @Test func noteLogKeepsEachStringOnceAndTheLineRunningInTheNamedFile() throws {
        let values = try run(#"""
            local trusted = ...
            local note = trusted.note
            note("set", "*", "a", "config.lua")
            local chunk = trusted.load("local note, t = ...\n\nnote('set', 'h', 5, 'config.lua')\n"
                .. "note('undefined', t, nil, 'other.lua')", "@config.lua")
            chunk(note, {})
            note("set", "h", "a", 7)
            return trusted.notes()
            """#)
        try #require(values.count == 2)
        // The strings once each, in order of first use; the integer 5, the table and 7 each where they came.
        #expect(values[0] == .table([
            .text("set"), .text("*"), .text("a"), .text("config.lua"), .text("h"), .integer(5), .text("undefined"),
            .table([]), .text("other.lua"), .integer(7),
        ].enumerated().map { .init(key: .integer(Int64($0.offset + 1)), value: $0.element) }))
        // Line 3 of config.lua; no line where no running function is from the file (or the file is not a string).
        #expect(values[1] == .string(
            Self.record([1, 2, 3, 4], line: nil) + Self.record([1, 5, 6, 4], line: 3)
                + Self.record([7, 8, 0, 9], line: nil) + Self.record([1, 5, 3, 10], line: nil)))
    }
}
