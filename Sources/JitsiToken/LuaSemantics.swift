/// How the server's Lua code sees a decoded JSON value (lua-cjson: objects and arrays are tables, `null` is a light
/// userdata, numbers are floats), for faithful comparisons, truth tests, and messages.
enum Lua {
    /// A Lua runtime error the server would raise (it logs a traceback and the client gets no answer).
    struct RuntimeError: Error, Equatable {
        var message: String

        /// `cjson.safe.decode(basexx.from_url64(bad))`: basexx returns two values and cjson refuses the second.
        static let decodeArguments = RuntimeError(message: "bad argument #1 to 'decode' (expected 1 argument)")
    }

    /// `a .. b` where one side is `value` (named `name` in Lua's message): strings as they are, numbers through
    /// `tostring`, anything else raises.
    static func concatenable(_ value: JSONValue, name: String) throws(RuntimeError) -> String {
        switch value {
        case .string(let string): return string
        case .number(let number): return format(number)
        case .integer(let integer): return String(integer)
        default: throw RuntimeError(message: "attempt to concatenate a \(typeName(value)) value (\(name))")
        }
    }

    /// `type(v)` for a value that may be absent (`nil`).
    static func typeName(_ value: JSONValue?) -> String {
        switch value {
        case nil: "nil"
        case .null?: "userdata"
        case .bool?: "boolean"
        case .integer?, .number?: "number"
        case .string?: "string"
        case .array?, .object?: "table"
        }
    }

    /// Lua truth: everything but `nil` and `false`.
    static func isTruthy(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .bool(false)?: false
        default: true
        }
    }

    /// `value == text` in Lua: only a string with the same bytes.
    static func equals(_ value: JSONValue?, _ text: String) -> Bool {
        if case .string(let string)? = value { return sameBytes(string, text) }
        return false
    }

    /// `value.key` in Lua. Tables give their member (arrays have no string keys); strings index the string
    /// library, which has none of the claim names; numbers, booleans and `null` raise.
    static func index(_ value: JSONValue, _ key: String, name: String) throws(RuntimeError) -> JSONValue? {
        switch value {
        case .object(let object): return object[key]
        case .array, .string: return nil
        case .null, .bool, .integer, .number:
            throw RuntimeError(message: "attempt to index a \(typeName(value)) value (\(name))")
        }
    }

    /// `tostring(n)` for a float on Lua 5.4: C `%.14g`, plus `.0` when that looks like an integer.
    static func format(_ number: Double) -> String {
        var text = formatG14(number)
        if text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 >= 0x30 && $0 <= 0x39) }) {
            text += ".0"
        }
        return text
    }

    /// `string.lower(v)`: strings are lowered byte by byte (ASCII only), numbers go through `tostring` first,
    /// anything else raises.
    static func lower(_ value: JSONValue, argumentOf function: String = "lower") throws(RuntimeError) -> String {
        switch value {
        case .string(let string): return asciiLowercased(string)
        case .number(let number): return asciiLowercased(format(number))
        case .integer(let integer): return String(integer)
        case .null:
            throw RuntimeError(message: "bad argument #1 to '\(function)' (string expected, got light userdata)")
        default:
            throw RuntimeError(message: "bad argument #1 to '\(function)' (string expected, got \(typeName(value)))")
        }
    }

    /// The string Lua's arithmetic would coerce `text` to (`"10"`, `" 1e3 "`, `"0x10"`), or `nil`.
    static func coerceToNumber(_ text: String) -> Double? {
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D]
        var bytes = Array(text.utf8)
        while let first = bytes.first, whitespace.contains(first) { bytes.removeFirst() }
        while let last = bytes.last, whitespace.contains(last) { bytes.removeLast() }
        guard !bytes.isEmpty, !bytes.contains(UInt8(ascii: "n")), !bytes.contains(UInt8(ascii: "N")) else {
            return nil
        }
        var sign = 1.0
        var digits = bytes[...]
        if digits.first == UInt8(ascii: "-") {
            sign = -1
            digits = digits.dropFirst()
        } else if digits.first == UInt8(ascii: "+") {
            digits = digits.dropFirst()
        }
        if digits.count > 2, digits.first == UInt8(ascii: "0"),
            digits.dropFirst().first.map({ $0 | 0x20 }) == UInt8(ascii: "x")
        {
            var value: UInt64 = 0
            for byte in digits.dropFirst(2) {
                guard let digit = hexDigit(byte) else { return nil }
                value = value &* 16 &+ UInt64(digit)  // Lua integers wrap around
            }
            return sign * Double(Int64(bitPattern: value))
        }
        guard let value = CJSONDecoder.decodeNumberText(Array(bytes)) else { return nil }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }
}

/// ASCII-only lowercasing, as Lua's `string.lower` in the C locale.
func asciiLowercased(_ text: String) -> String {
    let bytes = text.utf8.span
    var upper: UInt8 = 0
    for index in bytes.indices { upper |= bytes[index] &- 0x41 < 26 ? 1 : 0 }
    guard upper != 0 else { return text }
    return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
}
