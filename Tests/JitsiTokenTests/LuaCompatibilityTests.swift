import Testing

@testable import JitsiToken
import TestSupport

/// The server-side building blocks checked against the real thing: Lua 5.4's `string.match` and `tostring`,
/// lua-cjson's decoder and basexx's base64url decoder, run by `lua5.4` on this machine.
struct LuaCompatibilityTests {
    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }
    }

    @Test(.requires(.lua))
    func luaPatternMatchingAgreesWithLua() throws {
        try Oracle.lua.required()
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        let pieces = [
            "a", "b", "-", ".", "%a", "%d", "%w", "%-", "%l", "%W", "[ab]", "[^a]", "[a-c]", "[%d-]", "*", "+",
            "-", "?", "(", ")", "()", "%1", "%2", "^", "$", "%b()", "%f[%w]", "%", "[", "]", "x", "%x", "%u",
        ]
        let subjects = ["weekly-sync", "ab", "a(b)c", "abc123", "", "aaa-bbb", "[acme]room", "%41", "b-a-b"]
        var cases: [(String, String)] = [
            ("abc", "(a(b)c"), ("abc", "x%"), ("abc", "a%"), ("abc", "%g+"),
            ("a.b", "%p"), ("ab", "((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))"),
        ]
        for _ in 0..<600 {
            var pattern = ""
            for _ in 0..<(1 + generator.next(6)) { pattern += generator.pick(pieces) }
            cases.append((generator.pick(subjects), pattern))
        }
        let script = """
            local function unhex(s) return (s:gsub("..", function(h) return string.char(tonumber(h, 16)) end)) end
            for line in io.stdin:lines() do
              local s, p = line:match("^(%x*) (%x*)$")
              local ok, r = pcall(string.match, unhex(s), unhex(p))
              if not ok then print("e:" .. r)
              elseif r == nil then print("nil")
              elseif math.type(r) == "integer" then print("n:" .. r)
              else print("s:" .. r) end
            end
            """
        let input = cases.map { hex($0.0) + " " + hex($0.1) }.joined(separator: "\n") + "\n"
        let output = try runProcess(Oracle.luaPath, ["-e", script], input: input)
        let expected = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
            String.init)
        #expect(expected.count == cases.count, "\(output.stderr)")
        for (index, (subject, pattern)) in cases.enumerated() where index < expected.count {
            let ours: String
            do {
                switch try LuaPattern.match(subject, pattern) {
                case nil: ours = "nil"
                case .string(let text)?: ours = "s:" + text
                case .position(let position)?: ours = "n:\(position)"
                }
            } catch {
                switch error {
                case .error(let message): ours = "e:" + message
                case .tooSlow: ours = "slow"
                }
            }
            #expect(ours == expected[index], "string.match(\(subject.debugDescription), \(pattern.debugDescription))")
        }
    }

    @Test(.requires(.jitsiLibraries))
    func jsonDecodingAgreesWithLuaCJSON() throws {
        try Oracle.jitsiLibraries.required()
        let documents = [
            #"{"a":1,"b":[true,false,null],"c":"\u00e9\ud83d\ude00","d":-0.5e2,"a":2}"#, "  -.5 ", "1.", "01", "+1",
            "0x1p3", "inf", "-Infinity", "nan", "NaN", ".5", "1e", "1e999", "-", "[1,]", "{\"a\":1,}", "\"\\x\"",
            "\"\\ud800\"", "\"\\ude00\"", "\"a\\u0000b\"", "tru", "nul", "[1 , 2 ]", "\t\r\n 5 \u{0C}", "\"\u{01}\"",
            "{1:2}", "1 2", "\"unterminated", "[[[[[]]]]]", "{\"k\":{\"k\":{}}}", "123456789012345678901234567890",
            "[-0]", "[1.5E+3, 2e-3]", "nan(abc)", "0x", "[\"\\/\\b\\f\\n\\r\\t\"]",
            String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000),
            String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001),
        ]
        // Lua renders the decoded value canonically: sorted keys, %.17g floats, strings hex-encoded.
        let script = cjsonRenderingLua + #"""
            for line in io.stdin:lines() do
              local v, err = cjson.decode(unhex(line))
              if err then print("error") else print(render(v)) end
            end
            """#
        let input = documents.map { hex($0) }.joined(separator: "\n") + "\n"
        let output = try runProcess(Oracle.luaPath, ["-e", script], input: input)
        let expected = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
            String.init)
        #expect(expected.count == documents.count, "\(output.stderr)")
        for (index, document) in documents.enumerated() where index < expected.count {
            let ours = CJSONDecoder.decode(Array(document.utf8)).map(Self.render) ?? "error"
            #expect(ours == expected[index], "cjson.decode(\(document.prefix(60).debugDescription))")
        }
    }

    static func render(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let integer): return String(integer)
        case .number(let number):
            if number.isNaN { return "nan" }
            return formatG17(number)
        case .string(let string): return "s" + hex(string)
        case .array(let elements):
            // Lua tables key arrays by 1...n; render them the way the script sorts keys (as strings).
            let keyed = elements.enumerated().map { (String($0.offset + 1), $0.element) }
            return "{" + keyed.sorted { $0.0 < $1.0 }.map { $0.0 + "=" + render($0.1) }.joined(separator: ",") + "}"
        case .object(let object):
            let keyed = object.members.map { ("s" + hex($0.key), $0.value) }
            return "{" + keyed.sorted { $0.0 < $1.0 }.map { $0.0 + "=" + render($0.1) }.joined(separator: ",") + "}"
        }
    }

    @Test(.requires(.jitsiLibraries))
    func base64URLDecodingAgreesWithBasexx() throws {
        try Oracle.jitsiLibraries.required()
        let inputs = [
            "YQ", "YR", "Y", "Y=Q=", "", "YWJj", "YWJjZA", "YW+j", "YW/j", "YW j", "YW\nj", "-_-_", "=", "YWJjZA==",
            "ä",
        ]
        let script = """
            package.path = package.path .. ";/usr/share/lua/5.2/?.lua;/usr/share/lua/5.1/?.lua"
            local basexx = require "basexx"
            local function unhex(s) return (s:gsub("..", function(h) return string.char(tonumber(h, 16)) end)) end
            local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
            for line in io.stdin:lines() do
              local v = basexx.from_url64(unhex(line))
              print(v and ("ok:" .. hex(v)) or "fail")
            end
            """
        let output = try runProcess(Oracle.luaPath, ["-e", script], input: inputs.map { hex($0) }.joined(separator: "\n") + "\n")
        let expected = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
            String.init)
        #expect(expected.count == inputs.count, "\(output.stderr)")
        for (index, input) in inputs.enumerated() where index < expected.count {
            let ours = Base64URL.decodeLenient(Array(input.utf8)).map {
                "ok:" + hex($0)
            }
            #expect((ours ?? "fail") == expected[index], "from_url64(\(input.debugDescription))")
        }
    }

    @Test(.requires(.lua))
    func floatFormattingAgreesWithLuaTostring() throws {
        try Oracle.lua.required()
        let numbers: [Double] = [
            3600, 0, -0.0, 1.5, 100, 1e15, 1e14, 123_456_789_012_345, 2e53, 0.1, 1 / 3.0, -7.25,
            .infinity, -.infinity, 1e-5, 1_760_000_000, 12345,
        ]
        let script = "for line in io.stdin:lines() do print(tostring(tonumber(line) * 1.0)) end"
        let input = numbers.map { number in
            if number.isInfinite { return number > 0 ? "1e999" : "-1e999" }
            if number == 0 { return number.sign == .minus ? "-0.0" : "0.0" }
            return formatG17(number)
        }
        let output = try runProcess(Oracle.luaPath, ["-e", script], input: input.joined(separator: "\n") + "\n")
        let expected = output.stdout.split(separator: "\n").map(String.init)
        #expect(numbers.map(Lua.format) == expected)
    }

    /// `%.14g` is computed in Swift from the double's exact value: random bit patterns (every exponent, subnormals,
    /// halfway cases among the short decimals) against Lua's own `tostring`.
    @Test(.requires(.lua))
    func randomFloatsFormatAsLuaTostringDoes() throws {
        try Oracle.lua.required()
        var generator = Generator(state: 2026)
        var numbers: [Double] = (0..<400).map { _ in
            Double(bitPattern: UInt64(generator.next(1 << 31)) << 33 | UInt64(generator.next(1 << 31)) << 2)
        }.filter(\.isFinite)
        // Near-ties: decimals with 15 to 17 significant digits ending in 5 are rounded on their exact binary value.
        numbers += (0..<200).map { _ in Double(generator.next(1 << 30)) / 1e5 + 0.000005 }
        // Exact ties: 13 integer digits and .25 or .75 are 15 significant digits ending in 5 (half to even).
        numbers += (0..<100).map { index in
            Double(1_000_000_000_000 + generator.next(1 << 30)) + (index % 2 == 0 ? 0.25 : 0.75)
        }
        numbers += [5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.5, 1e-4, 9.99999999999995e-5, 1e14,
            99_999_999_999_999.5, 0.000123456789012345]
        let script = "for line in io.stdin:lines() do print(tostring(tonumber(line) * 1.0)) end"
        let input = numbers.map(formatG17).joined(separator: "\n") + "\n"
        let output = try runProcess(Oracle.luaPath, ["-e", script], input: input)
        let expected = output.stdout.split(separator: "\n").map(String.init)
        #expect(expected.count == numbers.count, "\(output.stderr)")
        for (number, text) in zip(numbers, expected) {
            #expect(Lua.format(number) == text, "\(formatG17(number))")
        }
    }
}
