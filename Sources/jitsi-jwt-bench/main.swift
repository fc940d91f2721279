// jitsi-jwt-bench: in-process measurements for Tests/Benchmarks/run.sh (which adds the whole-process and
// baseline figures and prints the table). Single-threaded throughout, so "tokens/s" is per core.
//
//   jitsi-jwt-bench mint   [--count N] [--rounds R] [--config PATH]   batch minting (Jitsi claims with context.user)
//   jitsi-jwt-bench verify [--count N] [--rounds R] [--config PATH]   batch verifying (one TokenVerifier, accepted tokens,
//                                                                     read as verify --batch reads a line's)
//   jitsi-jwt-bench load   PATH [--rounds R] [--max-memory MiB]        in-process config load
//   jitsi-jwt-bench gen-config N                                       a config with N VirtualHosts (+ a Component each)
//   jitsi-jwt-bench tokens N [--config PATH]                           N tokens, one a line (seeds, cross-checks)
//   jitsi-jwt-bench claims-json                                        claims of token 0 as JSON (for Go's jwt)
//
// The claims are built anew for every token, exactly as Tests/Benchmarks/pyjwt_bench.py builds its dicts:
// iss, aud "jitsi", sub, room "room-(i%1000)", iat, nbf, exp, context.user {id, name, email, avatar, moderator},
// context.features {livestreaming, recording}.

import JitsiDeployment
import JitsiToken
import CSystemShims
import ProsodyConfig

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - Helpers

func monotonicSeconds() -> Double { csystem_monotonic_seconds() }

func peakRSSKiB() -> Int { csystem_peak_resident_kib() }

func fail(_ message: String) -> Never {
    _ = csystem_write_all(2, Array(("jitsi-jwt-bench: " + message + "\n").utf8).span)
    exit(2)
}

func emit(_ text: String) {
    _ = csystem_write_all(1, Array(text.utf8).span)
}

struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]

    init(_ raw: ArraySlice<String>) {
        var iterator = raw.makeIterator()
        while let argument = iterator.next() {
            if argument.hasPrefix("--") {
                options[String(argument.dropFirst(2))] = iterator.next() ?? ""
            } else {
                positional.append(argument)
            }
        }
    }

    func int(_ name: String, _ fallback: Int) -> Int {
        guard let text = options[name] else { return fallback }
        guard let value = Int(text) else { fail("--\(name) \(text): not a number") }
        return value
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

let defaultConfig = "Fixtures/debian/etc/prosody/prosody.cfg.lua"

/// `path` made absolute, as the CLI does (Prosody resolves Include against the config's directory).
func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var buffer = [UInt8](repeating: 0, count: 4097)
    var span = buffer.mutableSpan
    let length = csystem_working_directory(&span)
    guard length >= 0, length <= buffer.count else { return path }
    return String(decoding: buffer[0..<length], as: UTF8.self) + "/" + path
}

/// The Jitsi fixture's token host, its rules and secret.
func fixtureRules(_ relativePath: String) -> (rules: ServerRules, secret: Secret) {
    let path = absolute(relativePath)
    let configuration: ProsodyConfiguration
    do {
        configuration = try ConfigLoader.load(path: path)
    } catch {
        fail("\(path): \(error)")
    }
    let deployment = Deployment(configuration)
    guard let host = try? deployment.tokenHost(named: nil) else { fail("\(path): no single token host") }
    let rules = host.rules
    guard case .hmac(let secret)? = rules.key else { fail("\(path): no app_secret") }
    return (rules, secret)
}

/// The feature flags every sample token carries. A constant shared by value (Swift dictionaries are copy-on-write),
/// the way a batch of tokens with the same features would be minted; `--fresh-features 1` builds it per token, as
/// Python evaluates its dict literal per token.
let sampleFeatures = ["livestreaming": false, "recording": true]

/// The claims of token `i`, as pyjwt_bench.py builds them.
@inline(never)
func sampleClaims(_ i: Int, issuer: String, subject: String, now: Int64, freshFeatures: Bool = false) -> Claims {
    Claims(
        iss: issuer, aud: "jitsi", sub: subject, room: "room-\(i % 1000)",
        exp: now + 3600, nbf: now - 10, iat: now,
        context: Claims.Context(
            user: Claims.User(
                id: "user-\(i)", name: "User \(i)", email: "user\(i)@example.com",
                avatar: "https://example.com/avatars/\(i).png", moderator: i % 2 == 0),
            features: freshFeatures ? ["livestreaming": false, "recording": true] : sampleFeatures))
}

// Result lines are `key=value` pairs, one measurement a line, so run.sh can pick them up.

// MARK: - Commands

func mintCommand(_ arguments: Arguments) {
    let count = arguments.int("count", 200_000)
    let rounds = arguments.int("rounds", 5)
    let (rules, secret) = fixtureRules(arguments.options["config"] ?? defaultConfig)
    let signer: TokenSigner
    do { signer = try TokenSigner(algorithm: .hs256, key: .hmac(secret)) } catch { fail("\(error)") }
    let issuer = rules.appID ?? "", subject = rules.xmppDomain
    let now = Int64(time(nil))
    var buffer: [UInt8] = []
    var checksum = 0
    var rates: [Double] = []
    var tokenBytes = 0
    let fresh = arguments.int("fresh-features", 0) != 0
    for _ in 0..<rounds {
        let start = monotonicSeconds()
        for i in 0..<count {
            signer.sign(sampleClaims(i, issuer: issuer, subject: subject, now: now, freshFeatures: fresh), into: &buffer)
            checksum &+= Int(buffer[buffer.count - 1])
        }
        let elapsed = monotonicSeconds() - start
        tokenBytes = buffer.count
        rates.append(Double(count) / elapsed)
    }
    // The String-returning API as well (what a caller printing tokens uses).
    let stringStart = monotonicSeconds()
    for i in 0..<(arguments.int("string-api", 1) != 0 ? count : 0) {
        checksum &+= signer.sign(sampleClaims(i, issuer: issuer, subject: subject, now: now)).utf8.count
    }
    let stringRate = Double(count) / (monotonicSeconds() - stringStart)
    emit(
        "mint count=\(count) rounds=\(rounds) fresh_features=\(fresh) token_bytes=\(tokenBytes) median_per_s=\(Int(median(rates))) "
            + "best_per_s=\(Int(rates.max() ?? 0)) string_api_per_s=\(Int(stringRate)) checksum=\(checksum & 0xFF)\n")
}

func verifyCommand(_ arguments: Arguments) {
    let count = arguments.int("count", 100_000)
    let rounds = arguments.int("rounds", 5)
    let (rules, secret) = fixtureRules(arguments.options["config"] ?? defaultConfig)
    let signer: TokenSigner
    do { signer = try TokenSigner(algorithm: .hs256, key: .hmac(secret)) } catch { fail("\(error)") }
    let now = Int64(time(nil))
    let distinct = 1_000
    let tokens = (0..<distinct).map {
        signer.sign(sampleClaims($0, issuer: rules.appID ?? "", subject: rules.xmppDomain, now: now))
    }
    let tokenBytes = tokens.map { Array($0.utf8) }
    let rooms = (0..<distinct).map { "room-\($0 % 1000)" }
    // Prepared once, as `verify --batch` does: the keyed HMAC and the join stage; each token found split where it
    // lies and its payload read into storage kept from token to token, as a batch worker reads a line's.
    let verifier = TokenVerifier(rules: rules)
    var storage = VerdictStorage()
    var rates: [Double] = []
    var accepted = 0
    for _ in 0..<rounds {
        accepted = 0
        let start = monotonicSeconds()
        for i in 0..<count {
            let bytes = tokenBytes[i % distinct]
            guard let split = CompactTokenSplit.scan(bytes, from: 0, to: bytes.count).split else {
                fail("verify: a token is not compact")
            }
            var verdict = verifier.verify(
                split: split, in: bytes, room: rooms[i % distinct], tenant: nil, now: Double(now), storage: &storage)
            if verdict.accepted { accepted += 1 }
            verdict.recycleClaims(into: &storage)
        }
        rates.append(Double(count) / (monotonicSeconds() - start))
    }
    guard accepted == count else { fail("verify: only \(accepted) of \(count) tokens accepted") }
    emit(
        "verify count=\(count) rounds=\(rounds) median_per_s=\(Int(median(rates))) best_per_s=\(Int(rates.max() ?? 0)) "
            + "accepted=\(accepted)\n")
}

func loadCommand(_ arguments: Arguments) {
    guard let path = arguments.positional.first.map(absolute) else { fail("load: give a config path") }
    let rounds = arguments.int("rounds", 5)
    var options = LoadOptions()
    options.limits.memoryBytes = arguments.int("max-memory", 64) << 20
    options.limits.wallClockMilliseconds = arguments.int("timeout-ms", 600_000)
    options.limits.instructions = arguments.int("max-instructions-millions", 20_000) * 1_000_000
    options.maxFileBytes = 1 << 30
    var times: [Double] = []
    var configuration = ProsodyConfiguration(sections: [])
    for _ in 0..<rounds {
        let start = monotonicSeconds()
        do {
            configuration = try ConfigLoader.load(path: path, options: options)
        } catch {
            fail("\(path): \(error)")
        }
        times.append(monotonicSeconds() - start)
    }
    let loadRSS = peakRSSKiB()
    // The deployment model (what `hosts` prints), timed once: optional, since it grows with hosts × sections.
    var model = ""
    if arguments.int("model", 1) != 0 {
        let start = monotonicSeconds()
        let deployment = Deployment(configuration)
        let hosts = deployment.hosts.count, components = deployment.components.count
        model = " hosts=\(hosts) components=\(components) model_ms=\(format3((monotonicSeconds() - start) * 1000))"
    }
    emit(
        "load path=\(path) rounds=\(rounds) sections=\(configuration.sections.count) "
            + "median_ms=\(format3(median(times) * 1000)) best_ms=\(format3((times.min() ?? 0) * 1000)) "
            + "load_peak_rss_kib=\(loadRSS)\(model)\n")
}

func format3(_ value: Double) -> String {
    let scaled = (value * 1000).rounded()
    let whole = Int(scaled) / 1000, fraction = abs(Int(scaled) % 1000)
    let digits = String(fraction)
    return "\(whole)." + String(repeating: "0", count: 3 - digits.count) + digits
}

/// A Debian/Jitsi-style config with `count` token VirtualHosts, each with its conference Component.
func generateConfig(_ arguments: Arguments) {
    guard let text = arguments.positional.first, let count = Int(text), count >= 0 else {
        fail("gen-config: give a host count")
    }
    var out = """
        -- Generated by jitsi-jwt-bench gen-config \(count): \(count) token VirtualHosts, each with a MUC Component.
        admins = { }
        plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }
        modules_enabled = { "disco"; "roster"; "saslauth"; "tls"; "ping"; "posix"; }
        s2s_secure_auth = false
        authentication = "internal_hashed"
        log = { info = "/var/log/prosody/prosody.log"; error = "/var/log/prosody/prosody.err"; }
        asap_accepted_audiences = { "jitsi" }

        """
    out.reserveCapacity(count * 700)
    for i in 0..<count {
        let host = "meet\(i).example.com"
        out += """
            VirtualHost "\(host)"
                authentication = "token"
                app_id = "app\(i)"
                app_secret = "secret-\(i)-k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0"
                allow_empty_token = false
                asap_accepted_issuers = { "app\(i)", "shared" }
                muc_mapper_domain_base = "\(host)"
                modules_enabled = { "bosh"; "websocket"; "smacks"; "ping"; "conference_duration"; }
                c2s_require_encryption = false
                main_muc = "conference.\(host)"
            Component "conference.\(host)" "muc"
                restrict_room_creation = true
                storage = "memory"
                modules_enabled = { "muc_meeting_id"; "muc_domain_mapper"; "token_verification"; "polls"; }
                admins = { "focus@auth.\(host)" }
                muc_room_locking = false

            """
        if out.utf8.count > 1 << 20 {
            emit(out)
            out = ""
        }
    }
    emit(out)
}

func tokensCommand(_ arguments: Arguments) {
    guard let text = arguments.positional.first, let count = Int(text) else { fail("tokens: give a count") }
    let (rules, secret) = fixtureRules(arguments.options["config"] ?? defaultConfig)
    let signer: TokenSigner
    do { signer = try TokenSigner(algorithm: .hs256, key: .hmac(secret)) } catch { fail("\(error)") }
    let now = Int64(time(nil))
    var out = ""
    for i in 0..<count {
        out += signer.sign(sampleClaims(i, issuer: rules.appID ?? "", subject: rules.xmppDomain, now: now)) + "\n"
    }
    emit(out)
}

func claimsJSONCommand(_ arguments: Arguments) {
    let (rules, _) = fixtureRules(arguments.options["config"] ?? defaultConfig)
    let now = Int64(time(nil))
    emit(sampleClaims(0, issuer: rules.appID ?? "", subject: rules.xmppDomain, now: now).jsonValue.jsonText + "\n")
}

/// Differential check of the fast paths (SWAR escape scan, table base64) against naive versions, on random strings
/// rich in the bytes that matter (`"`, `\\`, controls, 0x7F, UTF-8): `jitsi-jwt-bench selfcheck [N]`.
func selfcheckCommand(_ arguments: Arguments) {
    let count = Int(arguments.positional.first ?? "") ?? 200_000
    var generator = SystemRandomNumberGenerator()
    let alphabet: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "\u{00}", "\u{01}", "\u{08}", "\u{09}",
        "\u{0A}", "\u{0C}", "\u{0D}", "\u{1F}", "\u{20}", "\u{7F}", "é", "€", "😀", "\u{2028}"]
    func naive(_ text: String) -> String {
        var out = "\""
        for byte in text.utf8 {
            switch byte {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20:
                let hex = Array("0123456789ABCDEF")
                out += "\\u00" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            default: out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out + "\""
    }
    var failures = 0
    for _ in 0..<count {
        var text = ""
        for _ in 0..<Int.random(in: 0...40, using: &generator) {
            text.unicodeScalars.append(alphabet.randomElement(using: &generator)!)
        }
        // naive() appends bytes as scalars; compare as UTF-8 bytes via a Latin-1 view of the expected text.
        let expected = Array(naive(text).unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        let actual = Array(JSONValue.string(text).jsonText.utf8)
        if expected != actual {
            failures += 1
            if failures <= 3 { emit("selfcheck: escape mismatch for \(Array(text.utf8))\n") }
        }
    }
    emit("selfcheck strings=\(count) failures=\(failures)\n")
    if failures > 0 { exit(1) }
}

// MARK: - Main

let all = CommandLine.arguments
guard all.count >= 2 else {
    fail("usage: jitsi-jwt-bench mint|verify|load|gen-config|tokens|claims-json [options] (see main.swift)")
}
let arguments = Arguments(all.dropFirst(2))
switch all[1] {
case "mint": mintCommand(arguments)
case "verify": verifyCommand(arguments)
case "load": loadCommand(arguments)
case "gen-config": generateConfig(arguments)
case "tokens": tokensCommand(arguments)
case "claims-json": claimsJSONCommand(arguments)
case "selfcheck": selfcheckCommand(arguments)
default: fail("unknown command \(all[1])")
}
