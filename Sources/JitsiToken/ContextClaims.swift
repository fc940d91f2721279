extension Claims.Context {
    /// Members of `context.user` that the plugins read as strings.
    static let userStringKeys: Set<String> = ["id", "name", "email", "avatar", "affiliation"]
    /// Members of `context.user` that the plugins (contrib lobby/security bypass) read as booleans.
    static let userBooleanKeys: Set<String> = ["moderator", "lobby_bypass", "security_bypass", "lobby"]

    /// Sets the claim at `path` below `context` (`user.name`, `user.lobby_bypass`, `group`, `features.recording`,
    /// `room.regex`, `room.lobby`, `callee`…), with the type the server's plugins read it as, replacing what the
    /// typed fields set. An object given for `user`, `features` or `room` sets each of its members.
    /// - Throws: ``MintRefusal/invalidContextClaim(path:expected:)`` for a value of another type (a number for a
    ///   name, a string for a feature) or an empty path segment.
    public mutating func set(_ path: String, to value: JSONValue) throws(MintRefusal) {
        let parts = path.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty else {
            throw .invalidContextClaim(path: path, expected: "a dotted path such as user.name or features.recording")
        }
        let head = parts[0]
        guard parts.count == 2 else {
            try setTopLevel(head, to: value)
            return
        }
        let member = parts[1]
        switch head {
        case "user":
            var user = self.user ?? Claims.User()
            try user.set(member, to: value, path: path)
            self.user = user
        case "features":
            features[member] = try Self.boolean(value, path)
        case "room":
            if member == "regex" { roomRegex = try Self.boolean(value, path) } else { roomOptions[member] = value }
        case "group", "tenant":
            throw .invalidContextClaim(path: head, expected: "a string")
        default:
            var object: JSONObject
            if case .object(let existing)? = extra[head] { object = existing } else { object = JSONObject() }
            object[member] = value
            extra[head] = .object(object)
        }
    }

    private mutating func setTopLevel(_ key: String, to value: JSONValue) throws(MintRefusal) {
        switch key {
        case "user", "features", "room":
            guard case .object(let object) = value else {
                throw .invalidContextClaim(path: key, expected: "an object")
            }
            for member in object.members { try set(key + "." + member.key, to: member.value) }
        case "group": group = try Self.string(value, key)
        case "tenant": tenant = try Self.string(value, key)
        default: extra[key] = value
        }
    }

    static func string(_ value: JSONValue, _ path: String) throws(MintRefusal) -> String {
        guard case .string(let text) = value else { throw .invalidContextClaim(path: path, expected: "a string") }
        return text
    }

    static func boolean(_ value: JSONValue, _ path: String) throws(MintRefusal) -> Bool {
        guard case .bool(let flag) = value else { throw .invalidContextClaim(path: path, expected: "true or false") }
        return flag
    }
}

extension Claims.User {
    /// Sets `context.user.<key>` (`path` names it in errors).
    mutating func set(_ key: String, to value: JSONValue, path: String) throws(MintRefusal) {
        if Claims.Context.userStringKeys.contains(key) {
            let text = try Claims.Context.string(value, path)
            switch key {
            case "id": id = text
            case "name": name = text
            case "email": email = text
            case "avatar": avatar = text
            default: affiliation = text
            }
        } else if Claims.Context.userBooleanKeys.contains(key) {
            let flag = try Claims.Context.boolean(value, path)
            if key == "moderator" { moderator = flag } else { extra[key] = .bool(flag) }
        } else if key.contains(".") {
            throw .invalidContextClaim(path: path, expected: "one level below context.user")
        } else {
            extra[key] = value
        }
    }
}
