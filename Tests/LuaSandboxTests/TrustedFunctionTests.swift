import LuaSandbox
import TestSupport
import Testing

/// The sandbox's own C functions: `setmetatable` in place of Lua's (it notes whether any object can have a
/// finalizer, so that a close without one frees the state at once) and the prelude's `ascii_nameprep`.
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
}
