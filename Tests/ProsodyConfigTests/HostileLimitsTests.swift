import Foundation
import ProsodyConfig
import TestSupport
import Testing

/// Config code called back from inside a library function (metamethods, comparators, replacements, finalizers,
/// message handlers, readers), looping forever under nested `pcall`s, still ends at the deadline: no config code
/// runs where the limits cannot stop it.
struct HostileLimitsTests {
    /// Enough instructions that only the deadline can stop the loops (also those in finalizers, which run with
    /// hooks off).
    static let limits = LoadLimits(memoryBytes: 32 << 20, instructions: 1_000_000_000, wallClockMilliseconds: 1_000)

    static let fixtures = Repository.fixtures(in: "hostile").filter { $0.hasPrefix("hostile/limits-") }

    @Test func everyCallbackShapeHasAFixture() {
        #expect(Self.fixtures.count == 22)
    }

    @Test(.timeLimit(.minutes(1)), arguments: fixtures)
    func callbacksFromLibraryFunctionsStopAtTheDeadline(_ fixture: String) {
        let path = Repository.fixture(fixture)
        let message: String
        do {
            _ = try ConfigLoader.load(path: path, options: LoadOptions(version: .v0_12, limits: Self.limits))
            message = "loaded"
        } catch {
            message = "\(error)"
        }
        #expect(message == "\(path): evaluation stopped: time limit exceeded (the sandbox allows 1.0 s)")
    }

    @Test(.requires(.lua)) func osTimeRunsTheTablesMetamethodsAsLuasOwnDoes() throws {
        let path = Repository.fixture("hostile/os-time-metamethods.cfg.lua")
        let config = try ConfigLoader.load(path: path, options: LoadOptions(version: .v0_12))
        let source = try readFile(path)
        let lua = try runProcess(Oracle.luaPath, ["-e", "\n" + source + "\nio.write(result)"])
        #expect(lua.status == 0)
        #expect(config.global["result"]?.stringValue == lua.stdout)
    }
}
