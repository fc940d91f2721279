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
final class BatchFastOptions: Sendable {
    let defaults: MintRequest
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

    /// The options, or `nil` when every line needs the full path (extra or context claims on the command line).
    init?(defaults: MintRequest) {
        guard defaults.extraClaims.isEmpty, defaults.contextClaims.isEmpty else { return nil }
        self.defaults = defaults
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
    }

    /// A copy whose byte arrays are fresh buffers, not shared with `other`'s.
    init(copying other: BatchFastOptions) {
        let fresh = Self.fresh
        defaults = other.defaults
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
    }

    /// A copy of `bytes` in a buffer of its own.
    static func fresh(_ bytes: [UInt8]) -> [UInt8] {
        var copy: [UInt8] = []
        copy.reserveCapacity(bytes.count)
        copy.append(contentsOf: bytes)
        return copy
    }
}

/// The bytes a shape's lines share, taken from the first line of the shape minted and verified the full way.
final class BatchShapeBytes: Sendable {
    /// `{"iss":…,"aud":…,"sub":…`.
    let head: [UInt8]
    /// `,"iat":…,"nbf":…,"exp":…`.
    let times: [UInt8]
    /// `"https://host/tenant/` (quoted, without the closing quote), or `nil` when there is no join URL.
    let urlPrefix: [UInt8]?

    /// The shared bytes of `claims` (minted for a line of `shape`), or `nil` when they are not of the form the fast
    /// path writes.
    init?(claims: Claims, shape: BatchShape, minter: Minter) {
        guard let iss = claims.iss, let aud = claims.aud, let iat = claims.iat, let nbf = claims.nbf,
            let exp = claims.exp, claims.extra.isEmpty, claims.context?.extra.isEmpty ?? true,
            claims.context?.user?.extra.isEmpty ?? true
        else { return nil }
        var head = Array("{\"iss\":".utf8)
        PayloadJSON.appendString(iss, to: &head)
        head += ",\"aud\":".utf8
        PayloadJSON.appendString(aud, to: &head)
        if let sub = claims.sub {
            head += ",\"sub\":".utf8
            PayloadJSON.appendString(sub, to: &head)
        }
        self.head = head
        var times = Array(",\"iat\":".utf8)
        PayloadJSON.appendInteger(iat, to: &times)
        times += ",\"nbf\":".utf8
        PayloadJSON.appendInteger(nbf, to: &times)
        times += ",\"exp\":".utf8
        PayloadJSON.appendInteger(exp, to: &times)
        self.times = times
        if let urlHost = minter.urlHost, shape.room == .line || shape.room == .options {
            let tenantPath = shape.tenant.map { JoinURL.pathSegment(RoomName.node(typed: String(decoding: $0, as: UTF8.self))) }
                .map { $0.isEmpty ? "" : $0 + "/" } ?? ""
            var prefix = Array(JSONValue.string("https://\(urlHost)/\(tenantPath)").jsonText.utf8)
            prefix.removeLast()
            urlPrefix = prefix
        } else {
            urlPrefix = nil
        }
    }

    /// A copy whose byte arrays are fresh buffers, not shared with `other`'s.
    init(copying other: BatchShapeBytes) {
        head = BatchFastOptions.fresh(other.head)
        times = BatchFastOptions.fresh(other.times)
        urlPrefix = other.urlPrefix.map(BatchFastOptions.fresh)
    }
}

/// Writes the record of a fast line: the payload from the line's bytes and the shape's, signed, then the URL.
struct BatchFastWriter {
    let options: BatchFastOptions
    let signer: TokenSigner
    private let literals = Literals()
    private var token: [UInt8] = []

    /// A writer for one slice, with its own copy of `options` (see ``Literals``).
    init(options: BatchFastOptions, signer: TokenSigner) {
        self.options = BatchFastOptions(copying: options)
        self.signer = signer
    }

    /// The shape of a scanned line.
    func shape(of fields: BatchLineFields, line: [UInt8]) -> BatchShape {
        let room: BatchShape.Room
        switch fields.room {
        case .absent: room = options.room
        case .null: room = .none
        case .bytes(let range): room = range.count == 1 && line[range.lowerBound] == UInt8(ascii: "*") ? .any : .line
        }
        var tenant: [UInt8]?
        switch fields.tenant {
        case .absent: tenant = options.tenant
        case .null: tenant = nil
        case .bytes(let range): tenant = Array(line[range])
        }
        var members: UInt8 = 0
        if isPresent(fields.userID, options.id) { members |= 1 }
        if isPresent(fields.name, options.name) { members |= 2 }
        if isPresent(fields.email, options.email) { members |= 4 }
        if isPresent(fields.avatar, options.avatar) { members |= 8 }
        switch fields.moderator {
        case .absent: if options.defaults.moderator != nil { members |= 16 }
        case .null: break
        case .value: members |= 16
        }
        if isPresent(fields.affiliation, options.affiliation) { members |= 32 }
        return BatchShape(
            room: room, tenant: tenant, ttl: fields.ttl, userMembers: members, lineFeatures: !fields.features.isEmpty)
    }

    private func isPresent(_ text: BatchLineFields.Text, _ option: [UInt8]?) -> Bool {
        switch text {
        case .absent: option != nil
        case .null: false
        case .bytes: true
        }
    }

    /// Whether a line's fields can be written here at all (its features and the command line's are not merged).
    func canWrite(_ fields: BatchLineFields) -> Bool {
        fields.features.isEmpty || options.features == nil
    }

    /// Appends `{"line":N,"token":…,"url":…}` and a newline for a line of `shape`.
    mutating func appendRecord(
        number: Int, line: [UInt8], fields: BatchLineFields, shape: BatchShape, bytes: BatchShapeBytes,
        to output: inout [UInt8]
    ) {
        token.removeAll(keepingCapacity: true)
        let options = options
        let literals = literals
        signer.appendToken(to: &token) { payload in
            Self.writePayload(
                line: line, fields: fields, shape: shape, bytes: bytes, options: options, literals: literals,
                to: &payload)
        }
        output += literals.lineStart
        PayloadJSON.appendInteger(Int64(number), to: &output)
        output += literals.token
        output += token
        output += literals.url
        if let prefix = bytes.urlPrefix {
            output += prefix
            if case .bytes(let range) = fields.room {
                for byte in line[range] { output.append(Self.lowercased(byte)) }
            } else {
                output += options.roomSegment
            }
            output += literals.jwtQuery
            output += token
            output += literals.recordEnd
        } else {
            output += literals.nullURLRecordEnd
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// The payload in ``Claims``' order: `iss, aud, sub, room, iat, nbf, exp, context{user{id, name, email,
    /// avatar, moderator, affiliation}, features}`.
    private static func writePayload(
        line: [UInt8], fields: BatchLineFields, shape: BatchShape, bytes: BatchShapeBytes,
        options: BatchFastOptions, literals: Literals, to payload: inout [UInt8]
    ) {
        payload += bytes.head
        switch shape.room {
        case .none: break
        case .any: payload += literals.anyRoom
        case .options:
            payload += literals.roomKey
            payload += options.roomJSON
        case .line:
            payload += literals.roomOpen
            if case .bytes(let range) = fields.room {
                for byte in line[range] { payload.append(lowercased(byte)) }
            }
            payload.append(UInt8(ascii: "\""))
        }
        payload += bytes.times
        let features = !fields.features.isEmpty || options.features != nil
        if shape.userMembers != 0 || features {
            payload += literals.contextOpen
            if shape.userMembers != 0 {
                payload += literals.userOpen
                var first = true
                member(literals.idKey, fields.userID, options.id, line: line, first: &first, to: &payload)
                member(literals.nameKey, fields.name, options.name, line: line, first: &first, to: &payload)
                member(literals.emailKey, fields.email, options.email, line: line, first: &first, to: &payload)
                member(literals.avatarKey, fields.avatar, options.avatar, line: line, first: &first, to: &payload)
                let moderator: Bool?
                switch fields.moderator {
                case .absent: moderator = options.defaults.moderator
                case .null: moderator = nil
                case .value(let flag): moderator = flag
                }
                if let moderator {
                    if !first { payload.append(UInt8(ascii: ",")) }
                    first = false
                    payload += moderator ? literals.moderatorTrue : literals.moderatorFalse
                }
                member(literals.affiliationKey, fields.affiliation, options.affiliation, line: line, first: &first, to: &payload)
                payload.append(UInt8(ascii: "}"))
                if features { payload.append(UInt8(ascii: ",")) }
            }
            if let optionFeatures = options.features, fields.features.isEmpty {
                payload += optionFeatures
            } else if features {
                writeFeatures(fields.features, line: line, literals: literals, to: &payload)
            }
            payload.append(UInt8(ascii: "}"))
        }
        payload.append(UInt8(ascii: "}"))
    }

    private static func member(
        _ key: [UInt8], _ text: BatchLineFields.Text, _ option: [UInt8]?, line: [UInt8], first: inout Bool,
        to payload: inout [UInt8]
    ) {
        switch text {
        case .null: return
        case .absent:
            guard let option else { return }
            if !first { payload.append(UInt8(ascii: ",")) }
            payload += key
            payload += option
        case .bytes(let range):
            if !first { payload.append(UInt8(ascii: ",")) }
            payload += key
            payload.append(UInt8(ascii: "\""))
            payload += line[range]
            payload.append(UInt8(ascii: "\""))
        }
        first = false
    }

    /// `"features":{…}` (the scanner sorted them by key bytes).
    private static func writeFeatures(
        _ features: [(key: Range<Int>, value: Bool)], line: [UInt8], literals: Literals, to payload: inout [UInt8]
    ) {
        payload += literals.featuresOpen
        var first = true
        for feature in features {
            if !first { payload.append(UInt8(ascii: ",")) }
            first = false
            payload.append(UInt8(ascii: "\""))
            payload += line[feature.key]
            payload += feature.value ? literals.quotedTrue : literals.quotedFalse
        }
        payload.append(UInt8(ascii: "}"))
    }

    /// The fixed JSON texts of records and payloads, as bytes once.
    /// The fixed bytes of a record and a payload. Each writer has its own (fresh arrays): the slices run on all
    /// cores, and arrays shared between them would have their reference counts bounce between the cores' caches
    /// on every append (a quarter of a line's time on two cores).
    private struct Literals {
        let lineStart = Array("{\"line\":".utf8)
        let token = Array(",\"token\":\"".utf8)
        let url = Array("\",\"url\":".utf8)
        let jwtQuery = Array("?jwt=".utf8)
        let recordEnd = Array("\"}\n".utf8)
        let nullURLRecordEnd = Array("null}\n".utf8)
        let anyRoom = Array(",\"room\":\"*\"".utf8)
        let roomKey = Array(",\"room\":".utf8)
        let roomOpen = Array(",\"room\":\"".utf8)
        let contextOpen = Array(",\"context\":{".utf8)
        let userOpen = Array("\"user\":{".utf8)
        let moderatorTrue = Array("\"moderator\":true".utf8)
        let moderatorFalse = Array("\"moderator\":false".utf8)
        let featuresOpen = Array("\"features\":{".utf8)
        let quotedTrue = Array("\":true".utf8)
        let quotedFalse = Array("\":false".utf8)
        let idKey = Array("\"id\":".utf8)
        let nameKey = Array("\"name\":".utf8)
        let emailKey = Array("\"email\":".utf8)
        let avatarKey = Array("\"avatar\":".utf8)
        let affiliationKey = Array("\"affiliation\":".utf8)
    }
}
