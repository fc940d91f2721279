/// `--format env`: POSIX sh variable assignments that `eval "$(jitsi-jwt …)"` can load.
///
/// Everything is done on UTF-8 bytes, never on `Character`s: a `'` followed by a combining mark is one `Character`
/// but still a `'` byte to the shell.
enum ShellFormat {
    /// Why a value cannot be written as a shell assignment.
    struct Unrepresentable: Error, CustomStringConvertible {
        var name: String
        var description: String {
            "\(name) holds a NUL byte, which a shell variable cannot hold; use --format json"
        }
    }

    /// `value` single-quoted for POSIX sh: `'…'`, with each `'` byte written as `'\''`. Every other byte is literal
    /// inside single quotes, so nothing is expanded.
    static func quote(_ value: String) -> String {
        String(decoding: quotedBytes(value), as: UTF8.self)
    }

    /// ``quote(_:)`` as bytes.
    static func quotedBytes(_ value: String) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "'")]
        output.reserveCapacity(value.utf8.count + 2)
        for byte in value.utf8 {
            if byte == UInt8(ascii: "'") {
                output += Array(#"'\''"#.utf8)
            } else {
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "'"))
        return output
    }

    /// `NAME='value'` lines, in order. Names must be identifiers (``identifier(_:)`` makes them so).
    /// - Throws: ``Unrepresentable`` when a value holds a NUL byte (a shell would cut it off there).
    static func assignments(_ pairs: [(name: String, value: String)]) throws(Unrepresentable) -> [UInt8] {
        var output: [UInt8] = []
        for (name, value) in pairs {
            precondition(isIdentifier(name), "not a shell variable name: \(name)")
            guard !value.utf8.contains(0) else { throw Unrepresentable(name: name) }
            output += Array(name.utf8)
            output.append(UInt8(ascii: "="))
            output += quotedBytes(value)
            output.append(0x0A)
        }
        return output
    }

    /// A variable-name fragment for `name`, byte by byte: ASCII letters (upper-cased) and digits kept, every other
    /// byte `_`. `meet.example.com` → `MEET_EXAMPLE_COM`, `é` (2 bytes) → `__`.
    static func identifier(_ name: String) -> String {
        String(decoding: name.utf8.map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - 0x20
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): byte
            default: UInt8(ascii: "_")
            }
        }, as: UTF8.self)
    }

    /// Whether `name` is a POSIX sh variable name: `[A-Za-z_][A-Za-z0-9_]*`, checked on bytes.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }
}
