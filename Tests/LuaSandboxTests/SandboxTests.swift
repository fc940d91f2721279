import LuaSandbox
import Testing

struct SandboxTests {
    private func run(_ code: String, limits: SandboxLimits = .default) throws(SandboxError) -> [CopiedValue] {
        let sandbox = try Sandbox(limits: limits)
        return try sandbox.values(chunk: code, chunkName: "=test")
    }

    private func error(of code: String, limits: SandboxLimits = .default) -> SandboxError? {
        do {
            _ = try run(code, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    /// A long deadline, so that memory and instruction bombs reach their own limit first on a busy machine.
    private let tight = SandboxLimits(memoryBytes: 8 << 20, instructions: 20_000_000, wallClockMilliseconds: 30_000)

    @Test func returnsValuesCopiedWithRawReads() throws {
        let values = try run(#"return 1, 2.5, "x\0y", true, nil, {10, 20}, {a = {b = 1}}"#)
        #expect(values == [
            .integer(1), .number(2.5), .string([0x78, 0, 0x79]), .boolean(true), .nil,
            .table([.init(key: .integer(1), value: .integer(10)), .init(key: .integer(2), value: .integer(20))]),
            .table([.init(key: .text("a"), value: .table([.init(key: .text("b"), value: .integer(1))]))]),
        ])
    }

    @Test func manyDistinctAndRepeatedStringsAreCopiedIntact() throws {
        // 30000 distinct strings, each stored twice (as a key and as a value of another entry): more than the
        // copy's cache of recent strings has slots, so that slots are taken over by other strings.
        let values = try run("""
            local t = {}
            for i = 1, 30000 do t["k" .. i] = "k" .. (i % 30000 + 1) end
            return t
            """)
        guard case .table(let entries)? = values.first, values.count == 1 else {
            Issue.record("expected one table, got \(values)")
            return
        }
        let copied = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
        let expected = Dictionary(uniqueKeysWithValues: (1...30000).map {
            (CopiedValue.text("k\($0)"), CopiedValue.text("k\($0 % 30000 + 1)"))
        })
        #expect(copied == expected)
    }

    @Test func aTableMetTwiceOutsideItsOwnPathIsCopiedTwiceNotMarkedACycle() throws {
        let values = try run("local shared = {1}; return {a = shared, b = {shared}}")
        let list = CopiedValue.table([.init(key: .integer(1), value: .integer(1))])
        guard case .table(let entries)? = values.first else {
            Issue.record("expected a table, got \(values)")
            return
        }
        #expect(Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) }) == [
            .text("a"): list, .text("b"): .table([.init(key: .integer(1), value: list)]),
        ])
    }

    @Test func copyingRunsNoMetamethodsAndMarksCycles() throws {
        let values = try run("""
            local t = setmetatable({}, {__pairs = function() error("ran") end, __index = function() error("ran") end})
            t.self = t
            return t
            """)
        #expect(values == [.table([.init(key: .text("self"), value: .uncopied(.cycle))])])
    }

    @Test func unsafeLibrariesAreAbsent() throws {
        let values = try run("""
            return io, package, debug, require, dofile, loadfile, load, collectgarbage, print, string.dump,
                   os.execute, os.remove, os.exit, coroutine
            """)
        #expect(values == Array(repeating: .nil, count: 14))
    }

    @Test func readOnlyOsFunctionsRemain() throws {
        let values = try run(#"return type(os.getenv), type(os.time()), type(os.date("%Y")), type(os.clock())"#)
        #expect(values == ["function", "number", "string", "number"].map(CopiedValue.text))
    }

    @Test func endlessLoopStopsAtTheInstructionLimit() {
        #expect(error(of: "while true do end", limits: tight) == .instructionLimit(count: 20_000_000))
    }

    @Test func endlessLoopInsidePcallCannotCatchTheLimit() {
        let code = "while true do pcall(function() while true do end end) end"
        #expect(error(of: code, limits: tight) == .instructionLimit(count: 20_000_000))
    }

    @Test func memoryBombsStopAtTheMemoryLimit() {
        #expect(error(of: #"local s = "x" while true do s = s .. s end"#, limits: tight) == .memoryLimit(bytes: 8 << 20))
        #expect(error(of: "local t = {} for i = 1, 1e9 do t[i] = i end", limits: tight) == .memoryLimit(bytes: 8 << 20))
        #expect(error(of: #"return string.rep("x", 1e9)"#, limits: tight) == .memoryLimit(bytes: 8 << 20))
        #expect(error(of: #"pcall(string.rep, "x", 1e9) return 1"#, limits: tight) == .memoryLimit(bytes: 8 << 20))
    }

    @Test func deadlineHoldsInsideALongPatternMatch() {
        let limits = SandboxLimits(memoryBytes: 8 << 20, instructions: 1_000_000_000, wallClockMilliseconds: 300)
        #expect(error(of: #"return ("a"):rep(5000):find(".-.-.-.-b")"#, limits: limits) == .deadline(milliseconds: 300))
    }

    /// Most of this search's time is spent in libc's `memchr`/`memcmp`, where the timer signal must not jump (a libc
    /// function may hold a lock); the deadline is taken at a later tick that lands in liblua's own loop.
    @Test func deadlineHoldsInsideALongSearchThatRunsMostlyInLibc() {
        let limits = SandboxLimits(memoryBytes: 32 << 20, instructions: 1_000_000_000, wallClockMilliseconds: 300)
        let code = #"local s = ("x"):rep(8e6) return s:find(("x"):rep(1e4) .. "y", 1, true)"#
        #expect(error(of: code, limits: limits) == .deadline(milliseconds: 300))
    }

    /// The collector is stopped inside `os.date`; what it allocated there is still charged to the collector after.
    @Test func osDateInALoopDoesNotOutgrowTheHeap() throws {
        let code = #"local f = ("%c %Y "):rep(3000) for i = 1, 500 do os.date(f) end return "done""#
        #expect(try run(code, limits: tight) == [.text("done")])
    }

    @Test func deadlineHoldsInsideFinalizers() {
        let limits = SandboxLimits(memoryBytes: 8 << 20, instructions: 1_000_000_000, wallClockMilliseconds: 300)
        let code = """
            for i = 1, 100 do setmetatable({}, {__gc = function() while true do end end}) end
            local t = {} for i = 1, 1e6 do t[i % 1000] = {} end
            """
        #expect(error(of: code, limits: limits) == .deadline(milliseconds: 300))
    }

    @Test func finalizerLoopAtCloseEndsWithinTheCloseDeadline() throws {
        let limits = SandboxLimits(memoryBytes: 8 << 20, instructions: 1_000_000_000, wallClockMilliseconds: 300)
        let values = try run("setmetatable({}, {__gc = function() while true do end end}) return 1", limits: limits)
        #expect(values == [.integer(1)])
    }

    @Test func binaryChunksAreRefused() throws {
        let sandbox = try Sandbox()
        #expect(throws: SandboxError.lua(Array("attempt to load a binary chunk (mode is 't')".utf8))) {
            _ = try sandbox.values(chunk: "\u{1B}Lua", chunkName: "=test")
        }
        let values = try run(#"local trusted = ... return trusted.load("\27Lua\84\0", "x", "t")"#)
        #expect(values == [.nil, .text("attempt to load a binary chunk (mode is 't')")])
    }

    @Test func runtimeErrorsKeepLuasMessageAndPosition() {
        #expect(error(of: "local x = nil\nreturn x.y") == .lua(Array("test:2: attempt to index a nil value (local 'x')".utf8)))
        #expect(error(of: "return +") == .lua(Array("test:1: unexpected symbol near '+'".utf8)))
    }

    @Test func errorObjectsAreNeverTurnedIntoStringsByMetamethods() {
        let code = "error(setmetatable({}, {__tostring = function() while true do end end}))"
        #expect(error(of: code) == .lua(Array("(error object is a table value)".utf8)))
    }

    @Test func hostFunctionsReceiveArgumentsAndRaiseErrorsInLua() throws {
        let sandbox = try Sandbox()
        let echo: HostFunction = { arguments in .success(arguments + [.string(Array("done".utf8))]) }
        let fail: HostFunction = { _ in .failure(HostFunctionError("no such file")) }
        let values = try sandbox.values(
            chunk: """
                local trusted = ...
                local a, b, c = trusted.echo("x", 2, true)
                local ok, err = pcall(function() trusted.fail() end)
                return a, b, c, ok, err
                """,
            chunkName: "=prelude", hostFunctions: [("echo", echo), ("fail", fail)])
        #expect(values == [.text("x"), .integer(2), .boolean(true), .boolean(false), .text("prelude:3: no such file")])
    }

    @Test func aSandboxThatHitALimitRefusesFurtherRuns() throws {
        let sandbox = try Sandbox(limits: tight)
        #expect(throws: SandboxError.instructionLimit(count: 20_000_000)) {
            _ = try sandbox.values(chunk: "while true do end", chunkName: "=test")
        }
        #expect(throws: SandboxError.self) { _ = try sandbox.values(chunk: "return 1", chunkName: "=test") }
    }
}
