import JitsiToken

/// What decides everything about a batch line's token except the bytes of its room and user fields: lines of one
/// shape get the same `iss`, `aud`, `sub`, times, warnings and the same answer from the server's checks.
///
/// The server's checks read `iss`, `aud`, `sub`, the times, `room` and `context.tenant`/`context.room` (absent
/// here); of `context.user` and `context.features` only that they are tables. A room of the scanner's plain
/// names (``BatchLineScanner``) is its own node and path segment, which the join stage compares with itself, so
/// one verified line stands for every line of its shape.
struct BatchShape: Hashable {
    enum Room: Hashable {
        /// No `room` claim (`null`, or none on the command line).
        case none
        /// `*`.
        case any
        /// A plain name from the line.
        case line
        /// The command line's `--room`.
        case options
    }

    var room: Room
    /// The tenant's bytes, from the line or the command line.
    var tenant: [UInt8]?
    /// The line's `ttl`, or `nil` for the command line's lifetime.
    var ttl: Int64?
    /// One bit per `context.user` member present: id, name, email, avatar, moderator, affiliation.
    var userMembers: UInt8
    /// Whether the line's own `features` are used (else the command line's).
    var lineFeatures: Bool
}

/// What the command line contributes to every fast line, written once as JSON bytes.
struct BatchFastOptions: Sendable {
    /// `--moderator`/`--no-moderator`.
    let moderator: Bool?
    let room: BatchShape.Room
    /// `"node"` (quoted) and its join-URL path segment, for the command line's room.
    let roomJSON: [UInt8]
    let roomSegment: [UInt8]
    /// The command line's user members as JSON strings (quoted, escaped).
    let id: [UInt8]?, name: [UInt8]?, email: [UInt8]?, avatar: [UInt8]?, affiliation: [UInt8]?
    /// `"features":{…}` sorted by key, or `nil` without `--feature`.
    let features: [UInt8]?
    /// The bytes of `--tenant`.
    let tenant: [UInt8]?
    /// The bytes of the user members and features above together (what the command line can add to a payload).
    let valueBytes: Int

    /// The options, or `nil` when every line needs the full path (extra or context claims on the command line).
    init?(defaults: MintRequest) {
        guard defaults.extraClaims.isEmpty, defaults.contextClaims.isEmpty else { return nil }
        moderator = defaults.moderator
        tenant = defaults.tenant.map { Array($0.utf8) }
        var roomJSON: [UInt8] = []
        var roomSegment: [UInt8] = []
        switch defaults.room {
        case nil, "": room = .none
        case "*": room = .any
        case let typed?:
            room = .options
            let node = RoomName.node(typed: typed)
            PayloadJSON.appendString(node, to: &roomJSON)
            roomSegment = Array(JoinURL.pathSegment(node).utf8)
        }
        self.roomJSON = roomJSON
        self.roomSegment = roomSegment
        func json(_ text: String?) -> [UInt8]? {
            text.map { text in
                var bytes: [UInt8] = []
                PayloadJSON.appendString(text, to: &bytes)
                return bytes
            }
        }
        id = json(defaults.userID)
        name = json(defaults.userName)
        email = json(defaults.userEmail)
        avatar = json(defaults.userAvatar)
        affiliation = json(defaults.affiliation)
        if defaults.features.isEmpty {
            features = nil
        } else {
            var bytes = Array("\"features\":{".utf8)
            for (index, key) in defaults.features.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
                .enumerated()
            {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                PayloadJSON.appendString(key, to: &bytes)
                bytes += (defaults.features[key] == true ? ":true" : ":false").utf8
            }
            bytes.append(UInt8(ascii: "}"))
            features = bytes
        }
        valueBytes = [id, name, email, avatar, affiliation, features].reduce(0) { $0 + ($1?.count ?? 0) }
    }

    /// A copy whose byte arrays are fresh buffers, not shared with `other`'s.
    init(copying other: BatchFastOptions) {
        let fresh = Self.fresh
        moderator = other.moderator
        room = other.room
        roomJSON = fresh(other.roomJSON)
        roomSegment = fresh(other.roomSegment)
        id = other.id.map(fresh)
        name = other.name.map(fresh)
        email = other.email.map(fresh)
        avatar = other.avatar.map(fresh)
        affiliation = other.affiliation.map(fresh)
        features = other.features.map(fresh)
        tenant = other.tenant.map(fresh)
        valueBytes = other.valueBytes
    }

    /// A copy of `bytes` in a buffer of its own.
    static func fresh(_ bytes: [UInt8]) -> [UInt8] {
        var copy: [UInt8] = []
        copy.reserveCapacity(bytes.count)
        copy.append(contentsOf: bytes)
        return copy
    }
}

/// The bytes a shape's lines share, taken from the first line of the shape minted and verified the full way, cut
/// where the line's own bytes go in.
struct BatchShapeBytes: Sendable {
    /// `{"iss":…,"aud":…,"sub":…` and the room up to the line's room name: `,"room":"` for a room from the line,
    /// the whole member for `*` and for the command line's room.
    let payloadStart: [UInt8]
    /// After the line's room (its closing quote, if any): `,"iat":…,"nbf":…,"exp":…`, then `,"context":{` and
    /// `"user":{` when the shape has them.
    let afterRoom: [UInt8]
    /// `","url":"https://host/tenant/` (after the token, up to the room), or `","url":null}` and a newline when
    /// there is no join URL.
    let url: [UInt8]
    /// Whether `url` is a join URL's start.
    let hasURL: Bool

    /// The shared bytes of `claims` (minted for a line of `shape` with `options`), or `nil` when they are not of the
    /// form the fast path writes.
    init?(claims: Claims, shape: BatchShape, options: BatchFastOptions, minter: Minter) {
        guard let iss = claims.iss, let aud = claims.aud, let iat = claims.iat, let nbf = claims.nbf,
            let exp = claims.exp, claims.extra.isEmpty, claims.context?.extra.isEmpty ?? true,
            claims.context?.user?.extra.isEmpty ?? true
        else { return nil }
        var start = Array("{\"iss\":".utf8)
        PayloadJSON.appendString(iss, to: &start)
        start += ",\"aud\":".utf8
        PayloadJSON.appendString(aud, to: &start)
        if let sub = claims.sub {
            start += ",\"sub\":".utf8
            PayloadJSON.appendString(sub, to: &start)
        }
        var after: [UInt8] = []
        switch shape.room {
        case .none: break
        case .any: start += ",\"room\":\"*\"".utf8
        case .options: start += ",\"room\":".utf8 + options.roomJSON
        case .line:
            start += ",\"room\":\"".utf8
            after.append(UInt8(ascii: "\""))
        }
        payloadStart = start
        after += ",\"iat\":".utf8
        PayloadJSON.appendInteger(iat, to: &after)
        after += ",\"nbf\":".utf8
        PayloadJSON.appendInteger(nbf, to: &after)
        after += ",\"exp\":".utf8
        PayloadJSON.appendInteger(exp, to: &after)
        if shape.userMembers != 0 || shape.lineFeatures || options.features != nil { after += ",\"context\":{".utf8 }
        if shape.userMembers != 0 { after += "\"user\":{".utf8 }
        afterRoom = after
        if let urlHost = minter.urlHost, shape.room == .line || shape.room == .options {
            let tenantPath = shape.tenant.map { JoinURL.pathSegment(RoomName.node(typed: String(decoding: $0, as: UTF8.self))) }
                .map { $0.isEmpty ? "" : $0 + "/" } ?? ""
            var prefix = Array(JSONValue.string("https://\(urlHost)/\(tenantPath)").jsonText.utf8)
            prefix.removeLast()
            url = Array("\",\"url\":".utf8) + prefix
            hasURL = true
        } else {
            url = Array("\",\"url\":null}\n".utf8)
            hasURL = false
        }
    }

    /// A copy whose byte arrays are fresh buffers, not shared with `other`'s.
    init(copying other: BatchShapeBytes) {
        payloadStart = BatchFastOptions.fresh(other.payloadStart)
        afterRoom = BatchFastOptions.fresh(other.afterRoom)
        url = BatchFastOptions.fresh(other.url)
        hasURL = other.hasURL
    }
}
