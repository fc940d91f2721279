@testable import LuaSandbox
import Testing

/// The sandbox's allocator (an arena of size classes and large blocks, see CLuaShims/arena.c), exercised through
/// Lua: contents survive churn and every kind of resize, and states abandoned by a limit leave nothing behind that
/// a later state could trip over.
struct AllocatorTests {
    private let limits = SandboxLimits(memoryBytes: 8 << 20, instructions: 1_000_000_000, wallClockMilliseconds: 30_000)

    private func run(_ code: String, limits: SandboxLimits) throws(SandboxError) -> [CopiedValue] {
        try Sandbox(limits: limits).values(chunk: code, chunkName: "=test")
    }

    private func error(of code: String, limits: SandboxLimits) -> SandboxError? {
        do {
            _ = try run(code, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    /// Strings from 0 to 900 bytes (small classes and large blocks) made and dropped in rounds; every 97th is kept
    /// and compared at the end with a copy built afresh. Returns how many were kept and how many differ.
    private let churn = """
        local function make(i, round) return string.rep(string.char(65 + i % 26), (i * 37 + round) % 900) .. i end
        local kept, where = {}, {}
        for round = 1, 20 do
            local scratch = {}
            for i = 1, 2000 do
                scratch[i] = make(i, round)
                if i % 97 == 0 then kept[#kept + 1] = scratch[i]; where[#where + 1] = {i, round} end
            end
        end
        local differ = 0
        for k, s in ipairs(kept) do if s ~= make(where[k][1], where[k][2]) then differ = differ + 1 end end
        return #kept, differ
        """

    @Test func manySmallAndLargeBlocksKeepTheirContentsThroughChurn() throws {
        #expect(try run(churn, limits: limits) == [.integer(20 * (2000 / 97)), .integer(0)])
    }

    /// A table's array part grows one slot at a time through every size class and past the largest, then shrinks
    /// to one slot when the table is rehashed; a buffer grows the same way inside `table.concat`.
    @Test func blocksGrowAndShrinkAcrossSizeClassesWithTheirContents() throws {
        let code = """
            local bad = 0
            for size = 1, 700, 9 do
                local t = {}
                for i = 1, size do t[i] = i * 3 end
                for i = 1, size do if t[i] ~= i * 3 then bad = bad + 1 end end
                for i = size, 2, -1 do t[i] = nil end
                for k = 1, 40 do t["k" .. k] = k end
                if t[1] ~= 3 then bad = bad + 1 end
                for k = 1, 40 do if t["k" .. k] ~= k then bad = bad + 1 end end
                local parts = {}
                for i = 1, size do parts[i] = string.char(97 + i % 26) end
                local joined = table.concat(parts)
                if #joined ~= size or joined:sub(size, size) ~= parts[size] then bad = bad + 1 end
            end
            return bad
            """
        #expect(try run(code, limits: limits) == [.integer(0)])
    }

    @Test func statesAbandonedAtTheDeadlineAndTheMemoryLimitLeaveANewStateWorking() throws {
        let shortDeadline = SandboxLimits(memoryBytes: 8 << 20, instructions: 1_000_000_000, wallClockMilliseconds: 200)
        for _ in 1...3 {
            let busy = "local t = {} local i = 0 while true do i = i + 1 t[i % 5000] = {i, tostring(i) .. 'x'} end"
            #expect(error(of: busy, limits: shortDeadline) == .deadline(milliseconds: 200))
            let growing = "local t = {} for i = 1, 1e9 do t[i] = tostring(i) .. string.rep('y', i % 700) end"
            #expect(error(of: growing, limits: limits) == .memoryLimit(bytes: 8 << 20))
        }
        #expect(try run(churn, limits: limits) == [.integer(20 * (2000 / 97)), .integer(0)])
    }

    /// 16 rounds that each fill 3 MiB of the 8 MiB heap with strings and then drop them all: 48 MiB in total.
    private func refill(lengths: String) -> String {
        """
        local trusted = ...
        for round = 0, 15 do
            local length = \(lengths)
            local pad, t = string.rep("x", length - 8), {}
            for i = 1, (3 << 20) // (length + 41) do t[i] = pad .. string.format("%08d", i) end
            t = nil
            trusted.collectgarbage("collect")
        end
        return "done"
        """
    }

    @Test func aHeapRefilledWithBlocksOfOneSizeReusesThem() throws {
        #expect(try run(refill(lengths: "264"), limits: limits) == [.text("done")])
    }

    /// Free small blocks are kept for their own size, so a heap refilled with other sizes each time would hold far
    /// more than the limit; the arena's chunks may hold at most twice the limit (plus one chunk).
    @Test(.enabled(if: Sandbox.poolsSmallBlocks, "without the arena (AddressSanitizer) every block is its own malloc"))
    func aHeapRefilledWithBlocksOfOtherSizesStaysWithinTwiceTheLimit() {
        #expect(error(of: refill(lengths: "40 + 28 * round"), limits: limits) == .memoryLimit(bytes: 8 << 20))
    }

    /// Lua's collector starts a cycle when the heap is twice what the last one left, which for 5 MiB kept is past
    /// an 8 MiB limit: a request over the limit makes Lua collect (its emergency collection) and ask again. 60 MiB
    /// of garbage made beside the 5 MiB kept (this stopped at the memory limit before).
    @Test func garbageBeyondTheLimitAroundALargeKeptHeapIsCollectedAndTheRunFinishes() throws {
        let code = """
            local kept = {}
            for i = 1, 5 * 1024 do kept[i] = string.rep("k", 1000) .. i end
            local made = 0
            for i = 1, 200000 do
                local garbage = { i, string.rep("g", 300) .. i }
                made = made + #garbage[2]
            end
            return #kept, made >= 60e6, kept[5 * 1024]:sub(-4)
            """
        #expect(try run(code, limits: limits) == [.integer(5 * 1024), .boolean(true), .text("5120")])
    }

    /// What a collection cannot free is still the memory limit, caught by `pcall` or not; a state whose limit was
    /// passed this way stays refused.
    @Test func whatACollectionCannotFreeIsStillTheMemoryLimit() throws {
        let keepAll = "local t = {} for i = 1, 1e9 do t[i] = string.rep('k', 500) .. i end"
        #expect(error(of: keepAll, limits: limits) == .memoryLimit(bytes: 8 << 20))
        let caught = "local t = {} local ok = pcall(function () for i = 1, 1e9 do t[i] = {i} end end) t = nil return ok"
        #expect(error(of: caught, limits: limits) == .memoryLimit(bytes: 8 << 20))
        let sandbox = try Sandbox(limits: limits)
        #expect(throws: SandboxError.memoryLimit(bytes: 8 << 20)) {
            try sandbox.values(chunk: #"local s = "x" while true do s = s .. s end"#, chunkName: "=test")
        }
        #expect(throws: SandboxError.self) { try sandbox.values(chunk: "return 1", chunkName: "=test") }
    }
}
