import JitsiToken

/// A token as people paste it: bare, with a `Bearer ` prefix (an `Authorization` header), or inside a whole join URL
/// (`https://host/tenant/room?jwt=…` or `#jwt=…`), which also names the tenant and the room.
struct TokenInput: Equatable {
    /// The compact token.
    var token: String
    /// The URL's host, when the input was a URL.
    var host: String?
    /// The URL's tenant path (between the first and the last `/`), as written (percent-encoded).
    var tenant: String?
    /// The URL's room segment (after the last `/`), as written (percent-encoded).
    var room: String?

    /// Why the input holds no token.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The token in `text`, white space around it ignored.
    static func parse(_ text: String) throws(Failure) -> TokenInput {
        var trimmed = trim(text)
        if hasBearerPrefix(trimmed) {
            trimmed = trim(String(trimmed.dropFirst(7)))
        }
        guard looksLikeURL(trimmed) else { return TokenInput(token: trimmed) }
        return try url(trimmed)
    }

    /// Whether ``parse(_:)`` takes the text of `bytes` as it is, with no host, tenant or room: it is ASCII graphic
    /// characters (nothing to trim, no `Bearer ` prefix) without `?`, `#` or `:` (not a URL), as every compact
    /// token is.
    static func isBareToken(_ bytes: ArraySlice<UInt8>) -> Bool {
        let span = bytes.span
        // One pass without an early exit (it vectorises).
        var other: UInt8 = 0
        for index in span.indices {
            let byte = span[index]
            other |= (byte &- 0x21 >= 0x5E ? 1 : 0) | (byte == UInt8(ascii: "?") ? 1 : 0)
                | (byte == UInt8(ascii: "#") ? 1 : 0) | (byte == UInt8(ascii: ":") ? 1 : 0)
        }
        return other == 0
    }

    /// Whether `text` (trimmed) starts with `Bearer ` in any case and has more after it.
    private static func hasBearerPrefix(_ text: String) -> Bool {
        // ASCII text, the usual token, is checked on its bytes: its Characters are its bytes (a "\r\n" pair aside,
        // which neither "bearer " nor the end of trimmed text holds), and Character-wise work costs a grapheme
        // break per byte.
        if isASCII(text) {
            let bytes = text.utf8
            return bytes.count > 7
                && bytes.prefix(7).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }.elementsEqual("bearer ".utf8)
        }
        return text.count > 7 && text.prefix(7).lowercased() == "bearer "
    }

    /// A URL has a scheme, or a `?`/`#` part (a bare token has neither).
    private static func looksLikeURL(_ text: String) -> Bool {
        if isASCII(text) {
            let bytes = text.utf8.span
            // A token has none of `?`, `#` and `:`: one pass without an early exit (it vectorises) tells.
            var marks: UInt8 = 0
            for index in bytes.indices {
                let byte = bytes[index]
                marks |= (byte == UInt8(ascii: "?") ? 1 : 0) | (byte == UInt8(ascii: "#") ? 1 : 0)
                    | (byte == UInt8(ascii: ":") ? 1 : 0)
            }
            guard marks != 0 else { return false }
            for index in bytes.indices {
                switch bytes[index] {
                case UInt8(ascii: "?"), UInt8(ascii: "#"): return true
                case UInt8(ascii: ":") where index + 2 < bytes.count:
                    if bytes[index + 1] == UInt8(ascii: "/"), bytes[index + 2] == UInt8(ascii: "/") { return true }
                default: break
                }
            }
            return false
        }
        return text.contains("://") || text.contains("?") || text.contains("#")
    }

    private static func isASCII(_ text: String) -> Bool {
        let bytes = text.utf8.span
        var high: UInt8 = 0
        for index in bytes.indices { high |= bytes[index] }
        return high < 0x80
    }

    /// The token of a join URL, as the web client takes it: `jwt` of the fragment (percent-decoded) first, else
    /// `jwt` of the query; the room is the last path segment, the tenant what lies between it and the host.
    private static func url(_ text: String) throws(Failure) -> TokenInput {
        var rest = Substring(text)
        var fragment: Substring?
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        var query: Substring?
        if let question = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: question)...]
            rest = rest[..<question]
        }
        var host: String?
        if let colon = rest.indices.first(where: { rest[$0...].hasPrefix("://") }) {
            let authority = rest[rest.index(colon, offsetBy: 3)...].prefix { $0 != "/" }
            host = String(authority)
            rest = rest[authority.endIndex...]
        }
        let fromFragment = fragment.flatMap { parameter("jwt", in: $0) }.map { PercentDecoding.decode($0) ?? $0 }
        guard let token = fromFragment ?? query.flatMap({ parameter("jwt", in: $0) }), !token.isEmpty else {
            throw Failure(description: "the URL has no token: expected #jwt=… or ?jwt=… in it")
        }
        var input = TokenInput(token: trim(token), host: host)
        let path = String(rest)
        if let slash = path.lastIndex(of: "/") {
            let room = path[path.index(after: slash)...]
            input.room = room.isEmpty ? nil : String(room)
            let tenant = path[..<slash].drop { $0 == "/" }
            input.tenant = tenant.isEmpty ? nil : String(tenant)
        }
        return input
    }

    /// The value of `name` among `key=value&…` pairs (the first one), as written.
    private static func parameter(_ name: String, in parameters: Substring) -> String? {
        for pair in parameters.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == name { return parts.count == 2 ? String(parts[1]) : "" }
        }
        return nil
    }

    /// `text` without white space (or a Windows `\r\n`) around it.
    private static func trim(_ text: String) -> String {
        if isASCII(text) {
            // ASCII white space is what `Character.isWhitespace` says of ASCII: tab, LF, VT, FF, CR and space.
            let bytes = text.utf8.span
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
            var first = 0
            var end = bytes.count
            while first < end, isSpace(bytes[first]) { first += 1 }
            while end > first, isSpace(bytes[end - 1]) { end -= 1 }
            if first == 0, end == bytes.count { return text }
            return String(decoding: Array(text.utf8)[first..<end], as: UTF8.self)
        }
        return String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

/// Percent-decoding as JavaScript's `decodeURIComponent` does it.
enum PercentDecoding {
    /// `text` with `%XX` runs decoded, or `nil` when they do not form UTF-8 (a URIError in JavaScript).
    static func decode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard iterator.count >= 2, let high = hexValue(iterator.removeFirst()),
                let low = hexValue(iterator.removeFirst())
            else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
