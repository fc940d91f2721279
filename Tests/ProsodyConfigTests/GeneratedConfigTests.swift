import Foundation
import ProsodyConfig
import Testing

/// Configs nobody wrote by hand: random programs from a small grammar of what Prosody configs do (sections, the
/// table-call form, assignments of every value type, locals, loops, unquoted names, ENV_ reads, includes,
/// `__currenthost`), each loaded by Prosody 0.12.3's own loader and by `ConfigLoader`, which must agree byte for byte.
struct GeneratedConfigTests {
    /// SplitMix64: a small deterministic generator, so that a failing seed can be replayed.
    struct Generator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

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
        switch random.next() % 12 {
        case 0: return "VirtualHost \"\(random.pick(hosts))\""
        case 1: return "Component \"\(random.pick(componentHosts))\"" + (random.chance(60) ? " \"muc\"" : "")
        case 2: return "VirtualHost \"\(random.pick(hosts))\" { \(random.pick(names)) = \(value(&random)) }"
        case 3: return "Component \"\(random.pick(componentHosts))\" \"muc\" { \(random.pick(names)) = \(value(&random)) }"
        case 4: return "local l = \(value(&random))\n\(random.pick(names)) = l"
        case 5: return "for i = 1, 2 do \(random.pick(names)) = i end"
        case 6 where includes > 0: return "Include \"inc\(random.next() % UInt64(includes)).cfg.lua\""
        case 7: return "__currenthost = \"\(random.pick(hosts))\""
        case 8: return "function \(random.pick(names))() end"
        default: return "\(random.pick(names)) = \(value(&random))"
        }
    }

    static func program(_ random: inout Generator, includes: Int) -> String {
        (0..<(3 + Int(random.next() % 12))).map { _ in statement(&random, includes: includes) }.joined(separator: "\n")
            + "\n"
    }

    @Test(arguments: 0..<200)
    func generatedConfigLoadsLikeProsody012(seed: Int) throws {
        var random = Generator(state: UInt64(seed) &* 7919)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gen\(seed)-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for index in 0..<2 {
            let source = Self.program(&random, includes: 0)
            try source.write(to: directory.appendingPathComponent("inc\(index).cfg.lua"), atomically: true, encoding: .utf8)
        }
        let main = directory.appendingPathComponent("prosody.cfg.lua").path
        let source = Self.program(&random, includes: 2)
        try source.write(toFile: main, atomically: true, encoding: .utf8)

        let oracle = try runProcess("/usr/bin/lua5.4", [Repository.prosodyOracle, main], in: directory.path)
        do {
            let config = try ConfigLoader.load(path: main, options: LoadOptions(version: .v0_12))
            #expect(oracle.status == 0, "seed \(seed):\n\(source)")
            #expect(try ConfigDump.render(config, showSecrets: true) == String(decoding: oracle.standardOutput, as: UTF8.self),
                    "seed \(seed):\n\(source)")
        } catch {
            #expect(oracle.status == 1, "seed \(seed): \(error)\n\(source)")
            #expect(DifferentialTests.normalized(String(decoding: error.messageBytes, as: UTF8.self)) + "\n"
                == DifferentialTests.normalized(String(decoding: oracle.standardError, as: UTF8.self)),
                "seed \(seed):\n\(source)")
        }
    }
}
