import ProsodyConfig
import TestSupport
import Testing

/// Configs nobody wrote by hand: random programs from a small grammar of what Prosody configs do (sections, the
/// table-call form, assignments of every value type, locals, loops, unquoted names, ENV_ reads, includes,
/// `__currenthost`, 13.0's read-back, `:append`, call-appends and `Lua`), each loaded by Prosody 0.12.3's and
/// 13.0.1's own loaders and by `ConfigLoader` in the same mode, which must agree byte for byte.
struct GeneratedConfigTests {
    /// The seeded generator with the choices the configs are made of.
    struct Generator {
        private var random: SplitMix64

        init(state: UInt64) { random = SplitMix64(seed: state) }

        mutating func next() -> UInt64 { random.next() }

        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
        mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
    }

    static let names = ["app_id", "app_secret", "authentication", "modules_enabled", "enabled", "x", "Modules_Enabled",
                        "muc_mapper_domain_base", "allow_empty_token", "admins"]
    static let hosts = ["meet.example.com", "MEET.Example.COM", "ｍｅｅｔ.example.com", "conference.meet.example.com",
                        "auth.meet.example.com", "a\u{200B}b.example", "123", "*"]
    static let componentHosts = hosts + ["muc.meet.jitsi", "lobby.meet.example.com", "focus.meet.example.com",
                                         "breakout.meet.example.com", "speakerstats.meet.example.com"]
    static let scalars = [
        #""acme""#, #""é ü \"quoted\"""#, #""\65\66\n""#, "42", "-7", "1.5", "2^10", "1e3", "0.1", "true", "false",
        "nil", "token", "ENV_HOME", "ENV_JITSI_JWT_UNSET", #""a" .. "b""#, #"#"abc""#, "math.huge", "-math.huge",
        "0/0", #""\255""#, "type", "9007199254740993", "3 // 2", "7 % 3",
    ]

    static func value(_ random: inout Generator, depth: Int = 0) -> String {
        if depth < 2, random.chance(25) {
            let count = Int(random.next() % 4)
            let items = (0..<count).map { index -> String in
                switch random.next() % 3 {
                case 0: return value(&random, depth: depth + 1)
                case 1: return "k\(index) = " + value(&random, depth: depth + 1)
                default: return "[\(random.pick(["1", "2", "1.5", "true", "\"1\""]))] = " + value(&random, depth: depth + 1)
                }
            }
            return "{ " + items.joined(separator: random.pick([", ", "; "])) + " }"
        }
        return random.pick(scalars)
    }

    static func statement(_ random: inout Generator, includes: Int) -> String {
        switch random.next() % 16 {
        case 0: return "VirtualHost \"\(random.pick(hosts))\""
        case 1: return "Component \"\(random.pick(componentHosts))\"" + (random.chance(60) ? " \"muc\"" : "")
        case 2: return "VirtualHost \"\(random.pick(hosts))\" { \(random.pick(names)) = \(value(&random)) }"
        case 3: return "Component \"\(random.pick(componentHosts))\" \"muc\" { \(random.pick(names)) = \(value(&random)) }"
        case 4: return "local l = \(value(&random))\n\(random.pick(names)) = l"
        case 5: return "for i = 1, 2 do \(random.pick(names)) = i end"
        case 6 where includes > 0: return "Include \"inc\(random.next() % UInt64(includes)).cfg.lua\""
        case 7: return "__currenthost = \"\(random.pick(hosts))\""
        case 8: return "function \(random.pick(names))() end"
        // 13.0's read-back, proxies and `Lua` (errors or globals on 0.12).
        case 9: return "\(random.pick(names)) = \(random.pick(names))"
        case 10: return "\(random.pick(names)):append { \(value(&random)) }"
        case 11: return "\(random.pick(names)) { \(value(&random)) }"
        case 12: return "\(random.pick(names)) = Lua.type(\(random.pick(names)))"
        default: return "\(random.pick(names)) = \(value(&random))"
        }
    }

    static func program(_ random: inout Generator, includes: Int) -> String {
        (0..<(3 + Int(random.next() % 12))).map { _ in statement(&random, includes: includes) }.joined(separator: "\n")
            + "\n"
    }

    /// Writes the generated main config and its two includes for `seed` into `directory`; returns the main path
    /// and its source.
    static func writeProgram(seed: Int, into directory: TemporaryDirectory) throws -> (path: String, source: String) {
        var random = Generator(state: UInt64(seed) &* 7919)
        for index in 0..<2 {
            try directory.write("inc\(index).cfg.lua", program(&random, includes: 0))
        }
        let source = program(&random, includes: 2)
        return (try directory.write("prosody.cfg.lua", source), source)
    }

    @Test(.requires(.prosody012), arguments: 0..<200)
    func generatedConfigLoadsLikeProsody012(seed: Int) throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let (main, source) = try Self.writeProgram(seed: seed, into: directory)
        try DifferentialTests.expectSameLoad(
            main, release: .v0_12, version: .v0_12, in: directory.path, context: "\nseed \(seed):\n\(source)")
    }

    @Test(.requires(.prosody13), arguments: 0..<200)
    func generatedConfigLoadsLikeProsody13(seed: Int) throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let (main, source) = try Self.writeProgram(seed: seed, into: directory)
        try DifferentialTests.expectSameLoad(
            main, release: .v13, version: .v13, in: directory.path, context: "\nseed \(seed):\n\(source)")
    }
}
