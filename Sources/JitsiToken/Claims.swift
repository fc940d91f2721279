/// The claims of a Jitsi token, as the server reads them (jitsi-meet `doc/tokens.md`, prosody `token/util.lib.lua`).
///
/// Serialized (by ``TokenSigner``) in this fixed order, members whose value is `nil` left out:
/// `iss, aud, sub, room, iat, nbf, exp, context`, then ``extra`` sorted by key (bytewise).
/// Inside `context`: `user, group, tenant, features, room`, then ``Context/extra`` sorted; inside `user`:
/// `id, name, email, avatar, moderator, affiliation`, then ``User/extra`` sorted; `features` sorted by key.
///
/// **Standard names win.** An entry of ``extra`` (or of ``Context/extra`` / ``User/extra``) whose key is one of the
/// standard names at that level is never written: the typed field decides. ``overriddenExtraKeys`` lists such
/// entries so callers can refuse or warn; ``makeClaims(for:rules:now:)`` refuses them.
public struct Claims: Sendable, Equatable {
    /// Keys written from typed fields at the top level.
    public static let standardKeys: Set<String> = ["iss", "aud", "sub", "room", "iat", "nbf", "exp", "context"]

    /// "Issuer": must be one of `asap_accepted_issuers` (by default the server's `app_id`).
    public var iss: String?
    /// "Audience": must be present; must be one of `asap_accepted_audiences` unless that list holds `*`.
    public var aud: String?
    /// "Subject": the XMPP domain (VirtualHost) for `/room` URLs, the tenant for `/tenant/room`, or `*`.
    public var sub: String?
    /// The room node as the web client builds it (see ``RoomName``), or `*`.
    public var room: String?
    /// "Expiration time", seconds since the epoch. The server refuses the token from this second on.
    public var exp: Int64?
    /// "Not before", seconds since the epoch.
    public var nbf: Int64?
    /// "Issued at", seconds since the epoch; only used in the server's expiry message.
    public var iat: Int64?
    /// `context`: user details, group, features, room options and tenant.
    public var context: Context?
    /// Any other top-level claims.
    public var extra: [String: JSONValue]

    /// Claims with these values; `nil` members are left out of the token.
    public init(
        iss: String? = nil, aud: String? = nil, sub: String? = nil, room: String? = nil,
        exp: Int64? = nil, nbf: Int64? = nil, iat: Int64? = nil, context: Context? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.iss = iss
        self.aud = aud
        self.sub = sub
        self.room = room
        self.exp = exp
        self.nbf = nbf
        self.iat = iat
        self.context = context
        self.extra = extra
    }

    /// `context` in a token.
    public struct Context: Sendable, Equatable {
        /// Keys written from typed fields inside `context`.
        public static let standardKeys: Set<String> = ["user", "group", "tenant", "features", "room"]

        /// `context.user`.
        public var user: User?
        /// `context.group`.
        public var group: String?
        /// `context.tenant`: compared (lowercased) with the tenant of the meeting URL.
        public var tenant: String?
        /// `context.features`: `"recording": true` and so on. Left out when empty.
        public var features: [String: Bool]
        /// `context.room.regex`: when true, the server treats `room` as a Lua pattern.
        public var roomRegex: Bool?
        /// The other members of `context.room` (`lobby`, `lobby_autostart`, `password`: contrib plugins), written
        /// after `regex`, sorted.
        public var roomOptions: [String: JSONValue]
        /// Any other members of `context`.
        public var extra: [String: JSONValue]

        /// A `context` with these values; `nil` members and empty `features` are left out.
        public init(
            user: User? = nil, group: String? = nil, tenant: String? = nil, features: [String: Bool] = [:],
            roomRegex: Bool? = nil, roomOptions: [String: JSONValue] = [:], extra: [String: JSONValue] = [:]
        ) {
            self.user = user
            self.group = group
            self.tenant = tenant
            self.features = features
            self.roomRegex = roomRegex
            self.roomOptions = roomOptions
            self.extra = extra
        }
    }

    /// `context.user`.
    public struct User: Sendable, Equatable {
        /// Keys written from typed fields inside `context.user`.
        public static let standardKeys: Set<String> = ["id", "name", "email", "avatar", "moderator", "affiliation"]

        /// `context.user.id`.
        public var id: String?
        /// Display name.
        public var name: String?
        /// `context.user.email`.
        public var email: String?
        /// Avatar URL.
        public var avatar: String?
        /// `moderator`: honoured only by affiliation plugins such as `token_affiliation`.
        public var moderator: Bool?
        /// `affiliation` (`owner`, `moderator`, `teacher` → owner; anything else → member), for affiliation
        /// plugins.
        public var affiliation: String?
        /// Any other members of `context.user` (`lobby_bypass`, …).
        public var extra: [String: JSONValue]

        /// A `context.user` with these values; `nil` members are left out.
        public init(
            id: String? = nil, name: String? = nil, email: String? = nil, avatar: String? = nil,
            moderator: Bool? = nil, affiliation: String? = nil, extra: [String: JSONValue] = [:]
        ) {
            self.id = id
            self.name = name
            self.email = email
            self.avatar = avatar
            self.moderator = moderator
            self.affiliation = affiliation
            self.extra = extra
        }
    }

    /// Extra entries that a standard field shadows, as dotted paths (`"sub"`, `"context.user.name"`), sorted.
    public var overriddenExtraKeys: [String] {
        var keys = extra.keys.filter(Self.standardKeys.contains)
        if let context {
            keys += context.extra.keys.filter(Context.standardKeys.contains).map { "context." + $0 }
            if let user = context.user {
                keys += user.extra.keys.filter(User.standardKeys.contains).map { "context.user." + $0 }
            }
        }
        return keys.sorted(by: bytewiseLess)
    }

    /// The claims as the JSON object that ``TokenSigner`` writes.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        if let iss { object["iss"] = .string(iss) }
        if let aud { object["aud"] = .string(aud) }
        if let sub { object["sub"] = .string(sub) }
        if let room { object["room"] = .string(room) }
        if let iat { object["iat"] = .integer(iat) }
        if let nbf { object["nbf"] = .integer(nbf) }
        if let exp { object["exp"] = .integer(exp) }
        if let context { object["context"] = context.jsonValue }
        for name in extra.keys.sorted(by: bytewiseLess) where !Self.standardKeys.contains(name) {
            object[name] = extra[name]
        }
        return .object(object)
    }

    /// Writes the compact JSON payload (the hot path of ``TokenSigner``; ``jsonValue`` must stay in step).
    func write(to writer: inout JSONWriter) {
        var first = true
        writer.bytes.append(UInt8(ascii: "{"))
        if let iss { writer.key("\"iss\":", first: &first); writer.writeString(iss) }
        if let aud { writer.key("\"aud\":", first: &first); writer.writeString(aud) }
        if let sub { writer.key("\"sub\":", first: &first); writer.writeString(sub) }
        if let room { writer.key("\"room\":", first: &first); writer.writeString(room) }
        if let iat { writer.key("\"iat\":", first: &first); writer.writeInteger(iat) }
        if let nbf { writer.key("\"nbf\":", first: &first); writer.writeInteger(nbf) }
        if let exp { writer.key("\"exp\":", first: &first); writer.writeInteger(exp) }
        if let context { writer.key("\"context\":", first: &first); context.write(to: &writer) }
        writer.writeExtra(extra, skipping: Self.standardKeys, first: &first)
        writer.bytes.append(UInt8(ascii: "}"))
    }
}

extension Claims.Context {
    func write(to writer: inout JSONWriter) {
        var first = true
        writer.bytes.append(UInt8(ascii: "{"))
        if let user { writer.key("\"user\":", first: &first); user.write(to: &writer) }
        if let group { writer.key("\"group\":", first: &first); writer.writeString(group) }
        if let tenant { writer.key("\"tenant\":", first: &first); writer.writeString(tenant) }
        if !features.isEmpty {
            writer.key("\"features\":", first: &first)
            writer.bytes.append(UInt8(ascii: "{"))
            // Sorted by key (bytewise); one or two features (the usual case) need no sorted copy.
            var pairs = features.makeIterator()
            switch features.count {
            case 1:
                if let only = pairs.next() { writeFeature(only, first: true, to: &writer) }
            case 2:
                if let one = pairs.next(), let two = pairs.next() {
                    let swapped = bytewiseLess(two.key, one.key)
                    writeFeature(swapped ? two : one, first: true, to: &writer)
                    writeFeature(swapped ? one : two, first: false, to: &writer)
                }
            default:
                for (index, feature) in features.sorted(by: { bytewiseLess($0.key, $1.key) }).enumerated() {
                    writeFeature(feature, first: index == 0, to: &writer)
                }
            }
            writer.bytes.append(UInt8(ascii: "}"))
        }
        if roomRegex != nil || !roomOptions.isEmpty {
            writer.key("\"room\":", first: &first)
            writer.write(roomJSONValue)
        }
        writer.writeExtra(extra, skipping: Self.standardKeys, first: &first)
        writer.bytes.append(UInt8(ascii: "}"))
    }

    private func writeFeature(_ feature: (key: String, value: Bool), first: Bool, to writer: inout JSONWriter) {
        if !first { writer.bytes.append(UInt8(ascii: ",")) }
        writer.writeString(feature.key)
        writer.writeASCII(feature.value ? ":true" : ":false")
    }

    /// `context.room`: `regex`, then the other options sorted by key.
    var roomJSONValue: JSONValue {
        var object = JSONObject()
        if let roomRegex { object["regex"] = .bool(roomRegex) }
        for key in roomOptions.keys.sorted(by: bytewiseLess) where key != "regex" { object[key] = roomOptions[key] }
        return .object(object)
    }

    /// `context` as the JSON object that ``TokenSigner`` writes.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        if let user { object["user"] = user.jsonValue }
        if let group { object["group"] = .string(group) }
        if let tenant { object["tenant"] = .string(tenant) }
        if !features.isEmpty {
            object["features"] = .object(
                JSONObject(features.keys.sorted(by: bytewiseLess).map { ($0, .bool(features[$0] ?? false)) }))
        }
        if roomRegex != nil || !roomOptions.isEmpty { object["room"] = roomJSONValue }
        for name in extra.keys.sorted(by: bytewiseLess) where !Self.standardKeys.contains(name) {
            object[name] = extra[name]
        }
        return .object(object)
    }
}

extension Claims.User {
    func write(to writer: inout JSONWriter) {
        var first = true
        writer.bytes.append(UInt8(ascii: "{"))
        if let id { writer.key("\"id\":", first: &first); writer.writeString(id) }
        if let name { writer.key("\"name\":", first: &first); writer.writeString(name) }
        if let email { writer.key("\"email\":", first: &first); writer.writeString(email) }
        if let avatar { writer.key("\"avatar\":", first: &first); writer.writeString(avatar) }
        if let moderator { writer.key("\"moderator\":", first: &first); writer.writeASCII(moderator ? "true" : "false") }
        if let affiliation { writer.key("\"affiliation\":", first: &first); writer.writeString(affiliation) }
        writer.writeExtra(extra, skipping: Self.standardKeys, first: &first)
        writer.bytes.append(UInt8(ascii: "}"))
    }

    /// `context.user` as the JSON object that ``TokenSigner`` writes.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        if let id { object["id"] = .string(id) }
        if let name { object["name"] = .string(name) }
        if let email { object["email"] = .string(email) }
        if let avatar { object["avatar"] = .string(avatar) }
        if let moderator { object["moderator"] = .bool(moderator) }
        if let affiliation { object["affiliation"] = .string(affiliation) }
        for key in extra.keys.sorted(by: bytewiseLess) where !Self.standardKeys.contains(key) {
            object[key] = extra[key]
        }
        return .object(object)
    }
}

/// Orders strings by their UTF-8 bytes (Lua and C order), not by Swift's Unicode ordering.
func bytewiseLess(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}
