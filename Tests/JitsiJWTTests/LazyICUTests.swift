import TestSupport
import Testing

/// ICU is opened only when a name is not ASCII: glibc's loader (`LD_DEBUG=libs`) reports every library it maps, at
/// start-up and by `dlopen`, so the built binary's stderr says whether libicuuc was mapped.
struct LazyICUTests {
    let binary: String

    init() throws { binary = try BuiltBinary.required() }

    /// `hosts` of `config`: the plain run, and whether a run under `LD_DEBUG=libs` mapped ICU (its stdout the same).
    func hosts(_ config: String) throws -> (plain: CommandResult, mappedICU: Bool) {
        let plain = try runProcess(binary, ["hosts", config])
        let traced = try runProcess(binary, ["hosts", config], environment: ["LD_DEBUG=libs"])
        #expect(traced.status == plain.status && traced.stdout == plain.stdout, "\(traced)")
        #expect(traced.stderr.contains("calling init:"), "LD_DEBUG did not trace")
        return (plain, traced.stderr.contains("find library=libicuuc.so"))
    }

    @Test func aConfigOfASCIINamesNeverMapsICU() throws {
        let (plain, mappedICU) = try hosts(Repository.debian)
        #expect(plain.status == 0, "\(plain)")
        #expect(!mappedICU)
    }

    @Test func aNonASCIIHostMapsICUAndIsPreparedByIt() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("prosody.cfg.lua", "VirtualHost \"Bücher.example\"\n")
        let (plain, mappedICU) = try hosts(config)
        #expect(plain.status == 0, "\(plain)")
        #expect(plain.stdout.contains("bücher.example"), "\(plain)")
        #expect(mappedICU)
    }
}
