/// The connect stage: `mod_auth_token` → `process_and_verify_token` → `luajwtjitsi` `verify`.
extension Verification {
    /// Stage A on the token's bytes (`nil`: none). Leaves the payload in `payload` once it decodes (`nil` when an
    /// empty token was allowed), whether the stage accepts the token or not; it is decoded and scanned into the
    /// arrays of `storage`.
    mutating func connectStage(
        _ token: ArraySlice<UInt8>?, segments known: InlineArray<3, Range<Int>>?, payload: inout JSONBytesView?,
        storage: inout VerdictStorage
    ) throws(Refusal) {
        // Without these the token module does not load at all (util.lib.lua's constructor returns nil).
        guard rules.appID != nil else {
            throw Refusal(
                verdict: Verdict(
                    accepted: false, stage: .connect, condition: "module-not-loaded",
                    reason: "'app_id' must not be empty",
                    hints: ["token authentication does not load without app_id; clients see no usable SASL mechanism"]))
        }
        guard rules.key != nil || rules.usesKeyServer else {
            throw Refusal(
                verdict: Verdict(
                    accepted: false, stage: .connect, condition: "module-not-loaded",
                    reason: rules.era.missingKeyConfigurationText,
                    hints: ["token authentication does not load without app_secret or a key server"]))
        }
        guard let bytes = token else {
            if rules.allowEmptyToken {
                hints.append("no token: allow_empty_token lets the user in anonymously")
                return
            }
            throw Self.connect(
                "token required",
                hint: "no token reached the server: pass it as #jwt=… or ?jwt=… in "
                    + "the meeting URL (a proxy may drop the query)")
        }

        if rules.usesKeyServer { try keyServerChecks(bytes) }

        guard rules.key != nil else {
            throw Self.connect(
                "signature verification key is missing",
                hint: rules.usesKeyServer
                    ? "the server could not obtain a public key" : "the server has no app_secret")
        }
        guard let algorithm = verifier.prepared.algorithm else {
            throw Self.connect(
                "Algorithm not supported",
                hint: "the server's signature_algorithm is "
                    + quoted(rules.signatureAlgorithm) + "; it must be one of HS256, HS384, HS512, RS256, RS384, RS512")
        }

        // Runs of bytes other than '.' and '\'; empty runs vanish.
        let (segments, segmentCount) = known.map { ($0, 3) } ?? tokenSegmentRanges(bytes)
        guard segmentCount == 3 else {
            throw Self.connect(
                "Invalid token",
                hint: "a JWT is three non-empty base64url parts joined by dots; this has "
                    + "\(segmentCount) (an unsigned alg \"none\" token has two)")
        }
        // The usual headers passed every header check when the verifier was made; any other is read and checked
        // here, its checks made after the payload's and the signature's decoding, in the server's order.
        // The segments read as spans of the token (counted from 0, where `segments` count the slice's indices): no
        // reference counted for a slice of each.
        let tokenBytes = bytes.span
        let origin = bytes.startIndex
        let headerRange = segments[0].lowerBound - origin..<segments[0].upperBound - origin
        let payloadRange = segments[1].lowerBound - origin..<segments[1].upperBound - origin
        // Any other header is read here for its errors and again for its checks, so that no view of it is kept
        // (an optional view costs a destroy through its type's metadata on every path out).
        let headerIsKnown = verifier.prepared.passesHeaderChecks(tokenBytes.extracting(headerRange))
        if !headerIsKnown { _ = try Self.readHeader(bytes[segments[0]]) }
        var bodyBytes = storage.takePayload()
        guard Base64URL.decodeLenient(tokenBytes.extracting(payloadRange), appendingTo: &bodyBytes) else {
            throw Self.luaError(.decodeArguments, stage: .connect)
        }
        guard let body = CJSONScanner.scan(bodyBytes, reusing: &storage) else {
            throw Self.connect("Invalid body", hint: "the second part is not base64url-encoded JSON")
        }
        // Stored when the stage ends, after its last read: moved, where storing it now would copy it.
        defer { payload = body }
        let signatureRange = segments[2].lowerBound - origin..<segments[2].upperBound - origin
        guard let signature = DecodedBytes(decoding: tokenBytes.extracting(signatureRange)) else {
            throw Self.connect(
                "Invalid signature", hint: "the third part is not base64url (url-safe alphabet, no + or /)")
        }

        if !headerIsKnown { try Self.checkHeader(try Self.readHeader(bytes[segments[0]]), algorithm: algorithm) }

        // The signing input is `header.payload` as the server rebuilds it; in a well-formed token that is the text
        // before the second dot as it stands.
        let isValid: Bool
        if payloadRange.lowerBound == headerRange.upperBound + 1,
            tokenBytes[headerRange.upperBound] == UInt8(ascii: ".")
        {
            let signingInput = tokenBytes.extracting(headerRange.lowerBound..<payloadRange.upperBound)
            isValid = verifier.prepared.isValidSignature(
                signature, for: signingInput, algorithm: algorithm, start: &storage.hmacStart)
        } else {
            var joined = Array(bytes[segments[0]])
            joined.append(UInt8(ascii: "."))
            joined.append(contentsOf: bytes[segments[1]])
            isValid = verifier.prepared.isValidSignature(
                signature, for: joined.span, algorithm: algorithm, start: &storage.hmacStart)
        }
        guard isValid else {
            throw Self.connect(
                "Invalid signature",
                hint: algorithm.isHMAC
                    ? "the token was not signed with the server's app_secret (HMAC over the raw secret bytes)"
                    : "the token was not signed with the private key matching the server's public key")
        }

        // Members, not decoded values: a number is read as such, `iat` only for an expired token (indexing the body
        // again cannot fail where reading `exp` did not).
        let exp: JSONBytesView.Member?
        let nbf: JSONBytesView.Member?
        do {
            exp = try Lua.member(body, .exp, name: "local 'body'")
            nbf = try Lua.member(body, .nbf, name: "local 'body'")
        } catch {
            throw Self.luaError(error, stage: .connect)
        }
        // Not `flatMap(body.number(of:))`: that closure copies the view.
        let expiry: Double? = if let exp { body.number(of: exp) } else { nil }
        let notBefore: Double? = if let nbf { body.number(of: nbf) } else { nil }
        if let exp, expiry == nil, Lua.isTruthy(body.value(of: exp)) {
            throw Self.connect(
                "exp must be number",
                hint: "exp is \(describe(body.value(of: exp))); the server expects a JSON number "
                    + "of seconds since the epoch")
        }
        if let nbf, notBefore == nil, Lua.isTruthy(body.value(of: nbf)) {
            throw Self.connect(
                "nbf must be number",
                hint: "nbf is \(describe(body.value(of: nbf))); the server expects a JSON number "
                    + "of seconds since the epoch")
        }
        if let expiry, Double(now) >= expiry {
            let iat: JSONValue?
            do {
                iat = try Lua.index(body, .iat, name: "local 'body'")
            } catch {
                throw Self.luaError(error, stage: .connect)
            }
            var validity = ""
            if Lua.isTruthy(iat) {
                let issued: Double
                switch iat {
                case .number(let value)?: issued = value
                case .string(let text)?:
                    guard let value = Lua.coerceToNumber(text) else {
                        // The string library's arithmetic metamethod words it this way.
                        throw Self.luaError(
                            .init(message: "attempt to sub a 'number' with a 'string'"), stage: .connect)
                    }
                    issued = value
                default:
                    throw Self.luaError(
                        .init(
                            message: "attempt to perform arithmetic on a \(Lua.typeName(iat)) value "
                                + "(field 'iat')"), stage: .connect)
                }
                validity = ", valid for:" + Lua.format(expiry - issued) + " sec"
            }
            throw Self.connect(
                "Not acceptable by exp (" + Lua.format(Double(now) - expiry) + " sec since expired"
                    + validity + ")",
                hint: "exp is \(describe(.number(expiry))), the server clock is \(now): the token expired; "
                    + "mint a new one (the server allows no leeway)")
        }
        if let notBefore, Double(now) < notBefore {
            throw Self.connect(
                "Not acceptable by nbf",
                hint: "nbf is \(describe(.number(notBefore))), the server clock is \(now): the "
                    + "token is not valid yet; back-date nbf by the clock skew (the server allows no leeway)")
        }

        let iss: JSONBytesView.Member?
        let aud: JSONBytesView.Member?
        let roomClaim: JSONBytesView.Member?
        let sub: JSONBytesView.Member?
        let context: JSONBytesView.Member?
        do {
            iss = try Lua.member(body, .iss, name: "local 'body'")
            aud = try Lua.member(body, .aud, name: "local 'body'")
            roomClaim = try Lua.member(body, .room, name: "local 'claims'")
            sub = try Lua.member(body, .sub, name: "local 'claims'")
            context = try Lua.member(body, .context, name: "local 'claims'")
        } catch {
            throw Self.luaError(error, stage: .connect)
        }
        var issuers: String { rules.acceptedIssuers.map(quoted).joined(separator: ", ") }
        guard let iss else {
            throw Self.connect("'iss' claim is missing", hint: "iss is missing; the server accepts \(issuers)")
        }
        guard verifier.prepared.acceptsIssuer(iss, of: body) else {
            throw Self.connect(
                "invalid 'iss' claim",
                hint: "iss is \(describe(body.value(of: iss))); the server accepts \(issuers) "
                    + "(asap_accepted_issuers, by default app_id)")
        }
        var audiences: String { rules.acceptedAudiences.map(quoted).joined(separator: ", ") }
        guard let aud else {
            throw Self.connect(
                "'aud' claim is missing",
                hint: "aud is missing; it must be present even when the server "
                    + "accepts any audience (\(audiences))")
        }
        guard verifier.prepared.acceptsAudience(aud, of: body) else {
            throw Self.connect(
                "invalid 'aud' claim",
                hint: "aud is \(describe(body.value(of: aud))); the server accepts \(audiences) "
                    + "(asap_accepted_audiences), as a single string")
        }
        if rules.requireRoomClaim, roomClaim == nil {
            throw Refusal(verdict: rules.era.missingRoomClaimVerdict(room: room))
        }
        if sub == nil, rules.era.requiresSubAtConnect {
            throw Self.connect(
                "sub claim is missing", condition: "not-authorized",
                hint: "sub is missing; the server "
                    + "expects \(expectedSubDescription())")
        }
        // The session binds context.user, group, features, room and tenant: indexing raises unless context is a
        // table or a string.
        if let context, context.kind != .object, context.kind != .array, context.kind != .string {
            throw Self.luaError(
                .init(message: "attempt to index a \(Lua.typeName(context.kind)) value (field 'context')"),
                stage: .connect)
        }
    }

    /// The header segment decoded and read as `cjson.safe.decode` reads it.
    static func readHeader(_ segment: ArraySlice<UInt8>) throws(Refusal) -> JSONBytesView {
        // basexx returns (nil, bad character) on a byte outside the url-safe alphabet, and cjson.safe.decode
        // raises on the extra argument instead of returning an error.
        guard let headerBytes = Base64URL.decodeLenient(segment) else {
            throw Self.luaError(.decodeArguments, stage: .connect)
        }
        guard let header = CJSONScanner.scan(headerBytes) else {
            throw Self.connect("Invalid header", hint: "the first part is not base64url-encoded JSON")
        }
        return header
    }

    /// The header's checks, in the server's order: `typ` must be `"JWT"`, `alg` the server's algorithm.
    static func checkHeader(_ header: JSONBytesView, algorithm: SignatureAlgorithm) throws(Refusal) {
        let typ: JSONBytesView.Member?
        let alg: JSONBytesView.Member?
        do {
            typ = try Lua.member(header, .typ, name: "local 'header'")
            alg = try Lua.member(header, .alg, name: "local 'header'")
        } catch {
            throw Self.luaError(error, stage: .connect)
        }
        guard let typ, header.isString(typ, equalTo: "JWT") else {
            let typ = typ.map(header.value(of:))
            throw Self.connect(
                "Invalid typ",
                hint: "the header's typ is \(describe(typ)); the server expects \"JWT\" "
                    + "exactly (case-sensitive)")
        }
        guard let alg, header.isString(alg, equalTo: algorithm.rawValue) else {
            let alg = alg.map(header.value(of:))
            throw Self.connect(
                "Invalid or incorrect alg",
                hint: "the header's alg is \(describe(alg)); the server expects "
                    + quoted(algorithm.rawValue) + " (signature_algorithm)")
        }
    }

    /// Whether a header segment passes ``readHeader(_:)`` and ``checkHeader(_:algorithm:)``.
    static func headerPasses(_ segment: ArraySlice<UInt8>, algorithm: SignatureAlgorithm) -> Bool {
        do {
            try checkHeader(try readHeader(segment), algorithm: algorithm)
            return true
        } catch {
            return false
        }
    }

    /// A1: with a key server the server first reads `kid` from the header.
    func keyServerChecks(_ bytes: ArraySlice<UInt8>) throws(Refusal) {
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else {
            throw Self.connect("Invalid token", hint: "the token has no '.'")
        }
        guard let headerBytes = Base64URL.decodeLenient(bytes[..<dot]) else {
            guard rules.era.rejectsUndecodableKeyServerHeader else {
                throw Self.luaError(.decodeArguments, stage: .connect)
            }
            throw Self.connect("Invalid token", hint: "the header is not base64url (url-safe alphabet, no + or /)")
        }
        guard let header = CJSONDecoder.decode(headerBytes) else {
            throw Self.connect("bad token format", hint: "the header is not base64url-encoded JSON")
        }
        let kid: JSONValue?
        let alg: JSONValue?
        do {
            kid = try Lua.index(header, "kid", name: "local 'header'")
            alg = try Lua.index(header, "alg", name: "local 'header'")
        } catch {
            throw Self.luaError(error, stage: .connect)
        }
        guard kid != nil else {
            throw Self.connect("'kid' claim is missing", hint: "with a key server the header must name the key in kid")
        }
        guard let alg else {
            throw Self.connect("'alg' claim is missing", hint: "the header has no alg")
        }
        // `alg.sub(alg, 1, 2) ~= "RS"`
        switch alg {
        case .string: break
        case .array, .object:
            throw Self.luaError(.init(message: "attempt to call a nil value (field 'sub')"), stage: .connect)
        default:
            throw Self.luaError(
                .init(message: "attempt to index a \(Lua.typeName(alg)) value (local 'alg')"),
                stage: .connect)
        }
        guard case .string(let name) = alg, name.utf8.starts(with: "RS".utf8) else {
            throw Self.connect(
                "'kid' claim only support with RS family",
                hint: "alg is \(describe(alg)); key servers "
                    + "serve RSA public keys, so alg must be RS256, RS384 or RS512")
        }
        guard case .rsaPublicKey? = rules.key else {
            throw Self.connect(
                "could not obtain public key",
                hint: "the key server has no public key for kid "
                    + describe(kid))
        }
    }

}
