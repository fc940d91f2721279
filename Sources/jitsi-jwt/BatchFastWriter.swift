import JitsiToken

/// Writes the record of a fast line: the payload from the line's bytes and the shape's, signed, then the URL.
///
/// A record is written in place: its largest possible size is reserved in the output once
/// (``recordBound(line:fields:shape:bytes:start:)``), then the pieces are copied into that space, the payload JSON is
/// base64url-encoded where it lies and signed there (``TokenSigner/finishToken(in:start:from:)``), and the URL's
/// token is a copy of the bytes just written. Every piece is a `Span` of a borrowed array: no array is retained per
/// piece, and each chunk's writer has its own copy of `options` and of the fixed texts (the chunks run on all cores,
/// and arrays shared between them would have their reference counts bounce between the cores' caches on every line).
struct BatchFastWriter: ~Copyable {
    let options: BatchFastOptions
    let signer: TokenSigner
    private let literals = Literals()

    /// A writer for one chunk, with its own copy of `options`.
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
        case .absent: if options.moderator != nil { members |= 16 }
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
    func appendRecord(
        number: Int, line: [UInt8], fields: BatchLineFields, shape: BatchShape, bytes: borrowing BatchShapeBytes,
        start: borrowing TokenStart, to output: inout [UInt8]
    ) {
        let bound = recordBound(line: line, fields: fields, bytes: bytes, start: start)
        output.append(addingCapacity: bound) { record in
            record.appendCopy(of: literals.lineStart.span)
            Self.appendDecimal(number, to: &record)
            record.appendCopy(of: literals.tokenStart.span)
            let tokenStart = signer.beginToken(in: &record, start: start)
            Self.writePayload(
                line: line, fields: fields, shape: shape, bytes: bytes, options: options, literals: literals,
                to: &record)
            signer.finishToken(in: &record, start: start, from: tokenStart)
            let token = tokenStart..<record.count
            record.appendCopy(of: bytes.url.span)
            guard bytes.hasURL else { return }
            if case .bytes(let range) = fields.room {
                Self.appendLowercased(line.span.extracting(range), to: &record)
            } else {
                record.appendCopy(of: options.roomSegment.span)
            }
            record.appendCopy(of: literals.jwtQuery.span)
            record.appendCopy(ofWritten: token)
            record.appendCopy(of: literals.recordEnd.span)
        }
    }

    /// The most bytes the record of a line can take: every byte of the line at most once (room, member values,
    /// feature keys), the shape's and the command line's texts, the member and feature keys, the token twice.
    private func recordBound(
        line: [UInt8], fields: BatchLineFields, bytes: borrowing BatchShapeBytes, start: borrowing TokenStart
    ) -> Int {
        let payloadTail =
            start.carriedPayload.count + bytes.afterRoom.count + options.valueBytes + Literals.payloadBytes
            + line.count + fields.features.count * Literals.featureBytes
        let token = signer.maximumTokenLength(start: start, payloadTailBound: payloadTail)
        return Literals.recordBytes + 2 * token + bytes.url.count + line.count + options.roomSegment.count
    }

    /// Appends the decimal digits of `value` (not negative): made last digit first into a word (division by the
    /// constant 10 only, which compiles to a multiplication), eight at a time.
    static func appendDecimal(_ value: Int, to output: inout OutputSpan<UInt8>) {
        if value >= 100_000_000 { appendDecimal(value / 100_000_000, to: &output) }
        var rest = value >= 100_000_000 ? value % 100_000_000 : value
        var digits: UInt64 = 0
        var count = 0
        repeat {
            digits = digits &<< 8 | UInt64(truncatingIfNeeded: rest % 10 &+ 0x30)
            rest /= 10
            count &+= 1
        } while rest > 0 || (value >= 100_000_000 && count < 8)
        for _ in 0..<count {
            output.append(UInt8(truncatingIfNeeded: digits))
            digits &>>= 8
        }
    }

    /// Appends `bytes` (a plain room name) with `A-Z` lowered (copied at once when there is none).
    private static func appendLowercased(_ bytes: Span<UInt8>, to output: inout OutputSpan<UInt8>) {
        var upper = false
        for index in bytes.indices where bytes[index] &- UInt8(ascii: "A") < 26 { upper = true }
        guard upper else { return output.appendCopy(of: bytes) }
        for index in bytes.indices {
            let byte = bytes[index]
            output.append(byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte)
        }
    }

    /// The payload in ``Claims``' order, after ``BatchShapeBytes/payloadStart`` (which the token start holds):
    /// `room, iat, nbf, exp, context{user{id, name, email, avatar, moderator, affiliation}, features}`.
    private static func writePayload(
        line: [UInt8], fields: BatchLineFields, shape: BatchShape, bytes: borrowing BatchShapeBytes,
        options: borrowing BatchFastOptions, literals: borrowing Literals, to payload: inout OutputSpan<UInt8>
    ) {
        let text = line.span
        if shape.room == .line, case .bytes(let range) = fields.room {
            appendLowercased(text.extracting(range), to: &payload)
        }
        payload.appendCopy(of: bytes.afterRoom.span)
        let features = shape.lineFeatures || options.features != nil
        if shape.userMembers != 0 {
            var first = true
            member(literals.id, fields.userID, options.id, text, &first, &payload)
            member(literals.name, fields.name, options.name, text, &first, &payload)
            member(literals.email, fields.email, options.email, text, &first, &payload)
            member(literals.avatar, fields.avatar, options.avatar, text, &first, &payload)
            let moderator: Bool?
            switch fields.moderator {
            case .absent: moderator = options.moderator
            case .null: moderator = nil
            case .value(let flag): moderator = flag
            }
            if let moderator {
                put(moderator ? literals.moderatorTrue : literals.moderatorFalse, droppingComma: first, &payload)
                first = false
            }
            member(literals.affiliation, fields.affiliation, options.affiliation, text, &first, &payload)
            payload.appendCopy(of: (features ? literals.userEndBeforeFeatures : literals.userAndContextEnd).span)
        }
        guard features else {
            if shape.userMembers == 0 { payload.append(UInt8(ascii: "}")) }
            return
        }
        if let optionFeatures = options.features, fields.features.isEmpty {
            payload.appendCopy(of: optionFeatures.span)
        } else {
            payload.appendCopy(of: literals.featuresOpen.span)
            var first = true
            for feature in fields.features {
                put(literals.featureStart, droppingComma: first, &payload)
                first = false
                payload.appendCopy(of: text.extracting(feature.key))
                payload.appendCopy(of: (feature.value ? literals.featureTrue : literals.featureFalse).span)
            }
            payload.append(UInt8(ascii: "}"))
        }
        payload.appendCopy(of: literals.contextEnd.span)
    }

    /// Appends `text` (which starts with a comma), without the comma when `droppingComma`.
    @inline(__always)
    private static func put(_ text: borrowing [UInt8], droppingComma: Bool, _ output: inout OutputSpan<UInt8>) {
        let bytes = text.span
        output.appendCopy(of: bytes.extracting((droppingComma ? 1 : 0)...))
    }

    /// A user member: `quotedKey` is `,"key":"` (without its comma when first, without its quote before the command
    /// line's JSON string), then the line's bytes and a quote, or the command line's value.
    @inline(__always)
    private static func member(
        _ quotedKey: borrowing [UInt8], _ value: BatchLineFields.Text, _ option: [UInt8]?, _ line: Span<UInt8>,
        _ first: inout Bool, _ payload: inout OutputSpan<UInt8>
    ) {
        let key = quotedKey.span
        let start = first ? 1 : 0
        switch value {
        case .null: return
        case .absent:
            guard let option else { return }
            payload.appendCopy(of: key.extracting(start..<(key.count - 1)))
            payload.appendCopy(of: option.span)
        case .bytes(let range):
            payload.appendCopy(of: key.extracting(start...))
            payload.appendCopy(of: line.extracting(range))
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

        /// At least the fixed bytes of a payload tail besides the shape's and the command line's texts: the six
        /// member keys with their closing quotes, the ends of `user` and `context`, `"features":{` and its end.
        static let payloadBytes = 128
        /// At least the fixed bytes of one of the line's features: `,"` and `":false`.
        static let featureBytes = 9
        /// At least the fixed bytes of a record besides the token, the URL and the room: `{"line":`, up to 20
        /// digits, `,"token":"`, `?jwt=` and `"}` with a newline.
        static let recordBytes = 48
    }
}
