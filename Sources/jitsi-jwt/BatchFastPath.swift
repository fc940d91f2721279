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

/// Writes the record of a fast line: the payload from the line's bytes and the shape's, signed, then the URL.
///
/// Every piece is appended as a `Span` of a borrowed array: no array is retained per piece, and each slice's writer
/// has its own copy of `options` and of the fixed texts (the slices run on all cores, and arrays shared between
/// them would have their reference counts bounce between the cores' caches on every line).
struct BatchFastWriter {
    let options: BatchFastOptions
    let signer: TokenSigner
    private let literals = Literals()

    /// A writer for one slice, with its own copy of `options`.
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

    /// Appends `{"line":N,"token":…,"url":…}` and a newline for a line of `shape`; `payload` and `token` are
    /// scratch buffers kept from line to line.
    func appendRecord(
        number: Int, line: [UInt8], fields: BatchLineFields, shape: BatchShape, bytes: borrowing BatchShapeBytes,
        start: borrowing TokenStart, payload: inout [UInt8], token: inout [UInt8], to output: inout [UInt8]
    ) {
        payload.removeAll(keepingCapacity: true)
        PayloadJSON.append(start.carriedPayload.span, to: &payload)
        Self.writePayload(
            line: line, fields: fields, shape: shape, bytes: bytes, options: options, literals: literals, to: &payload)
        token.removeAll(keepingCapacity: true)
        signer.appendToken(to: &token, start: start, payloadTail: payload.span)
        Self.put(literals.lineStart, &output)
        PayloadJSON.appendInteger(Int64(number), to: &output)
        Self.put(literals.tokenStart, &output)
        PayloadJSON.append(token.span, to: &output)
        PayloadJSON.append(bytes.url.span, to: &output)
        guard bytes.hasURL else { return }
        if case .bytes(let range) = fields.room {
            Self.appendLowercased(line.span.extracting(range), to: &output)
        } else {
            PayloadJSON.append(options.roomSegment.span, to: &output)
        }
        Self.put(literals.jwtQuery, &output)
        PayloadJSON.append(token.span, to: &output)
        Self.put(literals.recordEnd, &output)
    }

    /// Appends a fixed text.
    @inline(__always)
    private static func put(_ text: borrowing [UInt8], _ output: inout [UInt8]) {
        PayloadJSON.append(text.span, to: &output)
    }

    /// Appends `bytes` (a plain room name) with `A-Z` lowered (copied at once when there is none).
    private static func appendLowercased(_ bytes: Span<UInt8>, to output: inout [UInt8]) {
        var upper = false
        for index in bytes.indices where bytes[index] &- UInt8(ascii: "A") < 26 { upper = true }
        guard upper else { return PayloadJSON.append(bytes, to: &output) }
        for index in bytes.indices {
            let byte = bytes[index]
            output.append(byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte)
        }
    }

    /// The payload in ``Claims``' order, after ``BatchShapeBytes/payloadStart`` (which the token start holds):
    /// `room, iat, nbf, exp, context{user{id, name, email, avatar, moderator, affiliation}, features}`.
    private static func writePayload(
        line: [UInt8], fields: BatchLineFields, shape: BatchShape, bytes: borrowing BatchShapeBytes,
        options: borrowing BatchFastOptions, literals: borrowing Literals, to payload: inout [UInt8]
    ) {
        let text = line.span
        if shape.room == .line, case .bytes(let range) = fields.room {
            appendLowercased(text.extracting(range), to: &payload)
        }
        PayloadJSON.append(bytes.afterRoom.span, to: &payload)
        let features = shape.lineFeatures || options.features != nil
        if shape.userMembers != 0 {
            var first = true
            member(literals.id, fields.userID, options.id, text, &first, &payload)
            member(literals.name, fields.name, options.name, text, &first, &payload)
            member(literals.email, fields.email, options.email, text, &first, &payload)
            member(literals.avatar, fields.avatar, options.avatar, text, &first, &payload)
            let moderator: Bool?
            switch fields.moderator {
            case .absent: moderator = options.defaults.moderator
            case .null: moderator = nil
            case .value(let flag): moderator = flag
            }
            if let moderator {
                put(moderator ? literals.moderatorTrue : literals.moderatorFalse, droppingComma: first, &payload)
                first = false
            }
            member(literals.affiliation, fields.affiliation, options.affiliation, text, &first, &payload)
            put(features ? literals.userEndBeforeFeatures : literals.userAndContextEnd, &payload)
        }
        guard features else {
            if shape.userMembers == 0 { payload.append(UInt8(ascii: "}")) }
            return
        }
        if let optionFeatures = options.features, fields.features.isEmpty {
            PayloadJSON.append(optionFeatures.span, to: &payload)
        } else {
            put(literals.featuresOpen, &payload)
            var first = true
            for feature in fields.features {
                put(literals.featureStart, droppingComma: first, &payload)
                first = false
                PayloadJSON.append(text.extracting(feature.key), to: &payload)
                put(feature.value ? literals.featureTrue : literals.featureFalse, &payload)
            }
            payload.append(UInt8(ascii: "}"))
        }
        put(literals.contextEnd, &payload)
    }

    /// Appends `text` (which starts with a comma), without the comma when `droppingComma`.
    @inline(__always)
    private static func put(_ text: borrowing [UInt8], droppingComma: Bool, _ output: inout [UInt8]) {
        let bytes = text.span
        PayloadJSON.append(bytes.extracting((droppingComma ? 1 : 0)...), to: &output)
    }

    /// A user member: `quotedKey` is `,"key":"` (without its comma when first, without its quote before the command
    /// line's JSON string), then the line's bytes and a quote, or the command line's value.
    @inline(__always)
    private static func member(
        _ quotedKey: borrowing [UInt8], _ value: BatchLineFields.Text, _ option: [UInt8]?, _ line: Span<UInt8>,
        _ first: inout Bool, _ payload: inout [UInt8]
    ) {
        let key = quotedKey.span
        let start = first ? 1 : 0
        switch value {
        case .null: return
        case .absent:
            guard let option else { return }
            PayloadJSON.append(key.extracting(start..<(key.count - 1)), to: &payload)
            PayloadJSON.append(option.span, to: &payload)
        case .bytes(let range):
            PayloadJSON.append(key.extracting(start...), to: &payload)
            PayloadJSON.append(line.extracting(range), to: &payload)
            payload.append(UInt8(ascii: "\""))
        }
        first = false
    }

    /// The fixed texts of records and payloads, as bytes (a String literal's span is a runtime call each time).
    /// Those starting with a comma are written without it before an object's first member.
    private struct Literals {
        let lineStart = Array("{\"line\":".utf8)
        let tokenStart = Array(",\"token\":\"".utf8)
        let jwtQuery = Array("?jwt=".utf8)
        let recordEnd = Array("\"}\n".utf8)
        let id = Array(",\"id\":\"".utf8)
        let name = Array(",\"name\":\"".utf8)
        let email = Array(",\"email\":\"".utf8)
        let avatar = Array(",\"avatar\":\"".utf8)
        let affiliation = Array(",\"affiliation\":\"".utf8)
        let moderatorTrue = Array(",\"moderator\":true".utf8)
        let moderatorFalse = Array(",\"moderator\":false".utf8)
        /// The end of `user` before `features`, and the end of `user`, `context` and the payload.
        let userEndBeforeFeatures = Array("},".utf8)
        let userAndContextEnd = Array("}}}".utf8)
        let featuresOpen = Array("\"features\":{".utf8)
        let featureStart = Array(",\"".utf8)
        let featureTrue = Array("\":true".utf8)
        let featureFalse = Array("\":false".utf8)
        /// The end of `context` and of the payload, after `features`.
        let contextEnd = Array("}}".utf8)
    }
}
