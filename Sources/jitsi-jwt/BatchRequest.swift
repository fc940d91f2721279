import JitsiToken

/// Why one batch line gives no token.
struct BatchLineError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The request fields of one `mint --batch` line.
enum BatchRequest {
    static let fields = [
        "room", "tenant", "name", "email", "avatar", "user_id", "moderator", "affiliation", "ttl", "exp", "nbf",
        "features", "claims", "context",
    ]

    /// The request of `line` (a JSON object), starting from `defaults`; a field set to `null` clears the default.
    static func parse(_ line: [UInt8], defaults: MintRequest) throws(BatchLineError) -> MintRequest {
        guard let value = JSONValue(parsing: String(decoding: line, as: UTF8.self)) else {
            throw BatchLineError("the line is not valid JSON")
        }
        guard !value.containsNonFiniteNumber else {
            throw BatchLineError("the line holds a number too large for a double (the server's cjson reads it as inf)")
        }
        guard case .object(let object) = value else { throw BatchLineError("the line is not a JSON object") }
        var request = defaults
        for member in object.members {
            let value = member.value
            switch member.key {
            case "room": request.room = try string(value, member.key)
            case "tenant": request.tenant = try string(value, member.key)
            case "name": request.userName = try string(value, member.key)
            case "email": request.userEmail = try string(value, member.key)
            case "avatar": request.userAvatar = try string(value, member.key)
            case "user_id": request.userID = try string(value, member.key)
            case "affiliation": request.affiliation = try string(value, member.key)
            case "moderator":
                switch value {
                case .bool(let flag): request.moderator = flag
                case .null: request.moderator = nil
                default: throw BatchLineError("\"moderator\" must be true or false")
                }
            case "ttl":
                request.ttl = try ttl(value)
                request.expiresAt = nil
            case "exp": request.expiresAt = try time(value, member.key)
            case "nbf": request.notBefore = try time(value, member.key)
            case "context":
                guard case .object(let context) = value else { throw BatchLineError("\"context\" must be an object") }
                var probe = Claims.Context()
                for entry in context.members {
                    do {
                        try probe.set(entry.key, to: entry.value)
                    } catch {
                        throw BatchLineError("\"context\": \(error)")
                    }
                    request.contextClaims[entry.key] = entry.value
                }
            case "features":
                guard case .object(let features) = value else {
                    throw BatchLineError("\"features\" must be an object of true/false values")
                }
                for feature in features.members {
                    guard case .bool(let flag) = feature.value else {
                        throw BatchLineError("\"features\".\"\(feature.key)\" must be true or false")
                    }
                    request.features[feature.key] = flag
                }
            case "claims":
                guard case .object(let claims) = value else { throw BatchLineError("\"claims\" must be an object") }
                for claim in claims.members { request.extraClaims[claim.key] = claim.value }
            default:
                throw BatchLineError(
                    "unknown field \"\(member.key)\" (known: \(fields.joined(separator: ", ")))")
            }
        }
        return request
    }

    private static func string(_ value: JSONValue, _ key: String) throws(BatchLineError) -> String? {
        switch value {
        case .string(let text): return text
        case .null: return nil
        default: throw BatchLineError("\"\(key)\" must be a string")
        }
    }

    /// An absolute time: Unix seconds, or an RFC 3339 string; `null` clears it.
    private static func time(_ value: JSONValue, _ key: String) throws(BatchLineError) -> Int64? {
        switch value {
        case .integer(let seconds): return seconds
        case .string(let text): if let unix = Timestamp.parse(text) { return unix }
        case .null: return nil
        default: break
        }
        throw BatchLineError("\"\(key)\" must be Unix seconds or an RFC 3339 time such as \"2026-03-01T18:00:00Z\"")
    }

    private static func ttl(_ value: JSONValue) throws(BatchLineError) -> Int64 {
        switch value {
        case .integer(let seconds): return seconds
        case .string(let text):
            if let duration = Duration(argument: text) { return duration.seconds }
        default: break
        }
        throw BatchLineError("\"ttl\" must be whole seconds or a duration such as \"90m\", \"2h\", \"1d\"")
    }
}
