import TestSupport
import Testing

/// ICU and libcrypto are opened by the first call that needs them, not at start-up, and libcrypto only for RSA (HMAC's
/// hashes are linked in): glibc's loader (`LD_DEBUG=libs`) reports every library it maps, at start-up and by
/// `dlopen`, so the built binary's stderr says which were mapped.
struct LazyLibraryTests {
    let binary: String

    init() throws { binary = try BuiltBinary.required() }

    /// `arguments` run plainly, and the libraries among ICU and libcrypto that a run under `LD_DEBUG=libs` mapped
    /// (its status and stdout the plain run's).
    func run(_ arguments: [String]) throws -> (plain: CommandResult, mapped: Set<String>) {
        let plain = try runProcess(binary, arguments)
        let traced = try runProcess(binary, arguments, environment: ["LD_DEBUG=libs"])
        #expect(traced.status == plain.status, "\(traced)")
        #expect(traced.stderr.contains("calling init:"), "LD_DEBUG did not trace")
        let mapped = Set(["libicuuc", "libcrypto"].filter { traced.stderr.contains("find library=\($0).so") })
        return (plain, mapped)
    }

    @Test func hostsOfAConfigOfASCIINamesMapsNeither() throws {
        let (plain, mapped) = try run(["hosts", Repository.debian])
        #expect(plain.status == 0, "\(plain)")
        #expect(mapped == [])
    }

    @Test func aNonASCIIHostMapsICUAndIsPreparedByIt() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("prosody.cfg.lua", "VirtualHost \"Bücher.example\"\n")
        let (plain, mapped) = try run(["hosts", config])
        #expect(plain.status == 0, "\(plain)")
        #expect(plain.stdout.contains("bücher.example"), "\(plain)")
        #expect(mapped == ["libicuuc"])
    }

    @Test func anHMACMintMapsNeitherAndSignsWithTheLinkedHashes() throws {
        let (plain, mapped) = try run(["mint", "--config", Repository.debian, "--room", "weekly"])
        #expect(plain.status == 0, "\(plain)")
        #expect(plain.stdout.split(separator: ".").count == 3, "\(plain)")
        #expect(mapped == [])
    }

    @Test func anRSAMintMapsLibcryptoAndSignsWithIt() throws {
        let (plain, mapped) = try run([
            "mint", "--config", Repository.multihost, "--host", "partners.example.com", "--room", "weekly",
            "--key-file", Repository.path("Fixtures/tokens/rfc7515-a2-private.pem"), "--kid", "partners/key-1",
        ])
        #expect(plain.status == 0, "\(plain)")
        #expect(plain.stdout.split(separator: ".").count == 3, "\(plain)")
        #expect(mapped == ["libcrypto"])
    }
}
