import Foundation
import ProsodyConfig
import TestSupport
import Testing

/// Hostile configs end in a clear error within the limits, and nothing escapes the sandbox.
struct HostileConfigTests {
    /// Memory and instruction bombs must reach their own limit first, even on a busy machine: a long deadline.
    static let limits = LoadLimits(memoryBytes: 32 << 20, instructions: 50_000_000, wallClockMilliseconds: 30_000)
    /// For what only the deadline can stop.
    static let shortDeadline = LoadLimits(memoryBytes: 32 << 20, instructions: 1_000_000_000,
                                             wallClockMilliseconds: 1_000)

    private func load(_ name: String, limits: LoadLimits = limits) -> Result<ProsodyConfiguration, ConfigError> {
        Result { () throws(ConfigError) in
            try ConfigLoader.load(path: Repository.fixture("hostile/\(name).cfg.lua"),
                                  options: LoadOptions(version: .v0_12, limits: limits, readableRoots: []))
        }
    }

    private func message(_ name: String, limits: LoadLimits = limits) -> String? {
        if case .failure(let error) = load(name, limits: limits) { return error.description }
        return nil
    }

    private func path(_ name: String) -> String { Repository.fixture("hostile/\(name)") }

    @Test(arguments: [
        ("infinite-loop", EvaluationStop.instructionLimit(count: 50_000_000)),
        ("infinite-loop-pcall", .instructionLimit(count: 50_000_000)),
        ("memory-string-doubling", .memoryLimit(bytes: 32 << 20)),
        ("memory-table-filling", .memoryLimit(bytes: 32 << 20)),
        ("memory-table-concat", .memoryLimit(bytes: 32 << 20)),
        ("pattern-backtracking", .deadline(milliseconds: 1_000)),
        ("gc-metamethod-loop", .deadline(milliseconds: 1_000)),
    ])
    func resourceBombsStopAtTheirLimit(_ name: String, _ limit: EvaluationStop) {
        let limits = if case .deadline = limit { Self.shortDeadline } else { Self.limits }
        #expect(message(name, limits: limits) == "\(path(name)).cfg.lua: evaluation stopped: \(limit)")
    }

    /// The copy out of Lua may total twice the Lua heap limit.
    static let copyLimit = "evaluation stopped: the values left by the config are too large to copy out of Lua (more than 64 MiB in total)"

    /// Found by FuzzConfigLoader: copying out 2^24 leaves took 22 s and 6.3 GB.
    @Test
    func tablesSharedAlongEveryPathStopAtTheCopyLimit() {
        let name = "copy-fanout-shared-tables"
        #expect(message(name) == "\(path(name)).cfg.lua: \(Self.copyLimit)")
    }

    /// Found by FuzzConfigLoader: one 1 MB string in 2000 options was copied 2000 times (1.9 GB).
    @Test
    func aLongStringStoredManyTimesCountsItsBytesInEverySlot() {
        let name = "copy-fanout-shared-string"
        #expect(message(name) == "\(path(name)).cfg.lua: \(Self.copyLimit)")
    }

    @Test func aLongStringStoredInFewSlotsIsCopiedOnceAndShared() throws {
        let config = try load("copy-shared-string-within-budget").get()
        guard case .table(let many)? = config.global["many"], let values = many.arrayValues else {
            Issue.record("expected the list `many`")
            return
        }
        #expect(values == Array(repeating: .string(Array(repeating: UInt8(ascii: "x"), count: 1_000_000)), count: 20))
    }

    @Test func runawayRecursionUnderPcallStops() {
        let text = message("infinite-recursion-pcall", limits: Self.shortDeadline) ?? ""
        #expect(text.hasPrefix("\(path("infinite-recursion-pcall")).cfg.lua: evaluation stopped: "))
    }

    @Test(arguments: [
        ("escape-os-execute", "2: attempt to call a nil value (field 'execute')"),
        ("escape-io-popen", "2: attempt to index a nil value (global 'io')"),
        ("escape-io-open-passwd", "2: attempt to index a nil value (global 'io')"),
        ("escape-io-write-file", "2: attempt to index a nil value (global 'io')"),
        ("escape-require-os", "2: attempt to call a nil value (global 'require')"),
        ("escape-require-io", "2: attempt to call a nil value (global 'require')"),
        ("escape-package-loadlib", "2: attempt to index a nil value (global 'package')"),
        ("escape-load-string-dump", "2: attempt to call a nil value (field 'dump')"),
        ("escape-debug-getregistry", "2: attempt to index a nil value (global 'debug')"),
        ("escape-debug-upvalue", "2: attempt to index a nil value (global 'debug')"),
        ("escape-dofile-passwd", "2: attempt to call a nil value (global 'dofile')"),
        ("escape-loadfile", "2: attempt to call a nil value (global 'loadfile')"),
        ("escape-collectgarbage", "2: attempt to call a nil value (global 'collectgarbage')"),
        ("gc-metamethod-escape", "3: attempt to call a nil value (global 'collectgarbage')"),
        ("os-exit", "2: attempt to call a nil value (field 'exit')"),
        ("stdout-print", "3: attempt to index a nil value (global 'io')"),
    ])
    func escapesFindNothingToCall(_ name: String, _ expected: String) throws {
        let text = try #require(message(name))
        #expect(text == "\(Repository.luaChunkName("\(path(name)).cfg.lua")):\(expected)")
    }

    @Test func writeAttemptLeavesNoFile() throws {
        _ = load("escape-io-write-file")
        let source = try String(contentsOfFile: path("escape-io-write-file.cfg.lua"), encoding: .utf8)
        let target = try #require(source.firstMatch(of: /io\.open\("([^"]+)"/)?.1)
        #expect(!FileManager.default.fileExists(atPath: String(target)))
    }

    @Test func readsOutsideTheRootsAreRefused() {
        let roots = Repository.fixture("hostile")
        #expect(message("include-etc-passwd")
            == "Error loading included /etc/passwd: /etc/passwd: outside the readable roots (\(roots))")
        let symlink = path("include-symlink-passwd.d/passwd.cfg.lua")
        #expect(message("include-symlink-passwd")
            == "Error loading included \(symlink): \(symlink): outside the readable roots (\(roots))")
        #expect(message("include-glob-etc")?.hasSuffix("cannot open /etc: outside the readable roots (\(roots))") == true)
        #expect(message("include-dotdot-passwd")?.hasSuffix("outside the readable roots (\(roots))") == true)
    }

    @Test func includeCyclesAreReportedNotOverflowed() {
        let main = path("include-self.cfg.lua")
        #expect(message("include-self") == "Include cycle: \(main) -> \(main)")
        #expect(message("include-cycle")?.hasPrefix("Include cycle: \(path("include-cycle.cfg.lua")) -> ") == true)
    }

    @Test func precompiledChunksAreRefusedEverywhere() {
        #expect(message("bytecode-main")
            == "\(path("bytecode-main.cfg.lua")): attempt to load a binary chunk (mode is 't'): precompiled Lua is refused")
        #expect(message("include-bytecode")
            == "\(path("include-bytecode.d/payload.luac")): attempt to load a binary chunk (mode is 't'): precompiled Lua is refused")
    }

    @Test func errorObjectsNeverRunTheirMetamethods() {
        for name in ["error-tostring-loop", "error-tostring-error", "error-tostring-non-string"] {
            #expect(message(name) == "(error object is a table value)")
        }
    }

    @Test func containedAttemptsLoadWithTheirEffectVisible() throws {
        let binary = try load("escape-load-binary-mode").get()
        #expect(binary.global["app_id"]?.stringValue == "attempt to load a binary chunk (mode is 't')")
        let poisoned = try load("string-metatable-poison").get()
        #expect(poisoned.global["app_id"]?.stringValue == "pwned")
        let globals = try load("global-poison").get()
        #expect(globals.global["app_id"]?.stringValue == "acme_meet")
    }

    @Test(.requires(.lua)) func loadKeepsLuasModesForTextAndRefusesBinaryUnderEveryMode() throws {
        let config = try load("load-modes").get()
        let lua = try runProcess(Oracle.luaPath, ["-e", #"io.write(select(2, load("return 1", "x", "b")))"#])
        let luasOwn = lua.stdout
        let refused = "attempt to load a binary chunk (mode is 't')"
        let chunk = Repository.luaChunkName(path("load-modes.cfg.lua"))
        let values = ["text_as_binary", "text_as_text", "text_default", "binary_as_binary", "binary_default",
                      "binary_from_reader", "text_from_reader", "reader_non_string"].map { config.global[$0]?.stringValue }
        #expect(luasOwn == "attempt to load a text chunk (mode is 'b')")
        #expect(values == [luasOwn, "ok", "ok", refused, refused, refused, "read",
                           "\(chunk):11: reader function must return a string"])
    }

    @Test func hugeRepeatsFailInsideLua() {
        #expect(message("memory-string-rep-1e10")?.hasSuffix(":2: resulting string too large") == true)
        #expect(message("memory-string-rep-2-31")?.hasSuffix(":2: resulting string too large") == true)
    }
}
