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
        if trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " {
            trimmed = trim(String(trimmed.dropFirst(7)))
        }
        guard looksLikeURL(trimmed) else { return TokenInput(token: trimmed) }
        return try url(trimmed)
    }

    /// A URL has a scheme, or a `?`/`#` part (a bare token has neither).
    private static func looksLikeURL(_ text: String) -> Bool {
        text.contains("://") || text.contains("?") || text.contains("#")
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
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
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
