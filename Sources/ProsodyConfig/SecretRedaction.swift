/// Takes secrets out of loader error texts.
///
/// Lua's own messages quote the token they stopped at: `malformed number near '3f9a…'` (an unquoted hex
/// `app_secret`), `unfinished string near '"Kx7…'` (a missing quote), `(global 'Kx7')` (`app_secret = Kx7-pQ2`
/// read as arithmetic on undefined names), `(constant '…')`. Prosody prints them as they are. Here, when the line
/// the message points at (or the line before it, for an assignment continued on the next line) names a
/// secret-bearing option (``ConfigDump/isSecret(optionName:)``), those quoted tokens become `<redacted>`; the rest of
/// the message, and every message about other lines, stays byte for byte Prosody's.
enum SecretRedaction {
    /// What a redacted token reads as.
    static let placeholder = Array(ConfigDump.redacted.utf8)

    /// `message` with the quoted tokens redacted when it points at a line of a file `read` returns that names a
    /// secret-bearing option.
    static func redact(_ message: LuaText, reading read: (String) -> [UInt8]?) -> LuaText {
        let bytes = message.bytes
        guard bytes.contains(UInt8(ascii: "'")),
            locations(in: bytes).contains(where: { location in
                guard let file = read(location.path) else { return false }
                return namesSecret(lines(of: file, around: location.line))
            })
        else { return message }
        return LuaText(bytes: redactingQuotedTokens(bytes))
    }

    /// The most `PATH:LINE:` candidates looked at, and the longest PATH: a config's error text is its own to
    /// write, so the work stays bounded whatever it holds.
    static let maxLocations = 16
    static let maxPathBytes = 4096

    /// `PATH:LINE:` in the message, with PATH starting at the beginning or after a space (at most
    /// ``maxLocations``).
    static func locations(in bytes: [UInt8]) -> [(path: String, line: Int)] {
        var found: [(path: String, line: Int)] = []
        var index = 0
        while index < bytes.count, found.count < maxLocations {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: ":") else { continue }
            var end = index + 1
            var line = 0
            while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]), line < 1 << 40 {
                line = line * 10 + Int(bytes[end] - UInt8(ascii: "0"))
                end += 1
            }
            guard end > index + 1, end < bytes.count, bytes[end] == UInt8(ascii: ":") else { continue }
            for start in max(0, index - maxPathBytes)..<index
            where (start == 0 || bytes[start - 1] == UInt8(ascii: " ")) && found.count < maxLocations {
                found.append((String(decoding: bytes[start..<index], as: UTF8.self), line))
            }
        }
        return found
    }

    /// Line `number` (1-based) of `file`, and the line before it.
    static func lines(of file: [UInt8], around number: Int) -> [ArraySlice<UInt8>] {
        let all = file.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard number >= 1, number <= all.count else { return [] }
        return number >= 2 ? [all[number - 2], all[number - 1]] : [all[number - 1]]
    }

    /// Whether any Lua name on `lines` is a secret-bearing option name.
    static func namesSecret(_ lines: [ArraySlice<UInt8>]) -> Bool {
        for line in lines {
            var name: [UInt8] = []
            for byte in line + [0x20] {
                let isNameByte = byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (!name.isEmpty && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte))
                if isNameByte {
                    name.append(byte)
                } else if !name.isEmpty {
                    if ConfigDump.isSecret(optionName: String(decoding: name, as: UTF8.self)) { return true }
                    name.removeAll()
                }
            }
        }
        return false
    }

    /// The message with `near '…'` (up to the message's last `'`) and `(global '…')`-style names redacted, unless
    /// the token is code rather than a value (``isCode(_:)``).
    static func redactingQuotedTokens(_ bytes: [UInt8]) -> [UInt8] {
        var output = bytes
        for kind in ["global", "local", "field", "upvalue", "constant", "method"] {
            output = replacingQuoted(after: Array("(\(kind) '".utf8), until: Array("')".utf8), in: output)
        }
        let near = Array(" near '".utf8)
        if let start = firstRange(of: near, in: output, from: 0)?.upperBound,
            let end = output.lastIndex(of: UInt8(ascii: "'")), end >= start, !isCode(output[start..<end])
        {
            output.replaceSubrange(start..<end, with: placeholder)
        }
        return output
    }

    /// Names a config calls or reads on purpose: Prosody's directives and readers, and Lua's globals.
    static let knownNames: Set<String> = [
        "Include", "include", "RunScript", "VirtualHost", "Host", "host", "Component", "component", "FileContents",
        "FileLine", "FileLines", "Credential", "Lua", "_G", "_VERSION", "assert", "collectgarbage", "coroutine",
        "debug", "dofile", "error", "getmetatable", "io", "ipairs", "load", "loadfile", "math", "next", "os",
        "package", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require", "select",
        "setmetatable", "string", "table", "tonumber", "tostring", "type", "unpack", "utf8", "xpcall",
    ]

    /// Lua's reserved words.
    static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local", "nil",
        "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    /// Whether a quoted token is code, not a value that may be a secret: only punctuation (`'='`), a keyword, an
    /// `ENV_` read, or a name of ``knownNames`` (`(global 'FileContents')` on Prosody 0.12).
    static func isCode(_ token: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: token, as: UTF8.self)
        let hasWordByte = token.contains { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return !hasWordByte || keywords.contains(text) || knownNames.contains(text) || text.hasPrefix("ENV_")
    }

    private static func replacingQuoted(after opening: [UInt8], until closing: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        var output = bytes
        var from = 0
        while let open = firstRange(of: opening, in: output, from: from) {
            guard let close = firstRange(of: closing, in: output, from: open.upperBound) else { break }
            if isCode(output[open.upperBound..<close.lowerBound]) {
                from = close.upperBound
                continue
            }
            output.replaceSubrange(open.upperBound..<close.lowerBound, with: placeholder)
            from = open.upperBound + placeholder.count + closing.count
        }
        return output
    }

    private static func firstRange(of needle: [UInt8], in bytes: [UInt8], from: Int) -> Range<Int>? {
        guard needle.count <= bytes.count else { return nil }
        var index = from
        while index + needle.count <= bytes.count {
            if bytes[index..<index + needle.count].elementsEqual(needle) { return index..<index + needle.count }
            index += 1
        }
        return nil
    }
}
