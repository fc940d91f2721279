import TestSupport
import Testing

/// Fixtures that are symbolic links in the repository (Debian's `conf.d` links, a link that leaves the readable
/// roots). A checkout or copy that dereferenced them would make other tests fail for reasons far from the cause.
struct FixtureLinkTests {
    @Test(arguments: [
        "debian/etc/prosody/conf.d/meet.example.com.cfg.lua", "debian-stock/conf.d/localhost.cfg.lua",
        "hostile/include-symlink-passwd.d/passwd.cfg.lua", "semantics/include-via-symlink.d/conf.d/site.cfg.lua",
    ])
    func fixtureIsStillASymbolicLink(_ fixture: String) {
        #expect(
            isSymbolicLink(Repository.fixture(fixture)),
            Comment(
                rawValue: "Fixtures/\(fixture) is no longer a symbolic link: check out with links kept "
                    + "(git config core.symlinks true)"))
    }
}
