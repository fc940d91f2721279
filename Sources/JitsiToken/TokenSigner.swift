/// Why a ``TokenSigner`` cannot be made.
public enum TokenSignerError: Error, Equatable, CustomStringConvertible {
    /// An HS* algorithm with an RSA key, or an RS* algorithm with an HMAC secret.
    case keyDoesNotMatchAlgorithm(SignatureAlgorithm)
    /// The PEM text is not an RSA private key OpenSSL reads (PKCS#1 or PKCS#8, unencrypted, at least 1024 bits).
    case invalidPrivateKey(String)

    public var description: String {
        switch self {
        case .keyDoesNotMatchAlgorithm(let algorithm):
            algorithm.isHMAC
                ? "\(algorithm.rawValue) signs with a shared secret (app_secret), but an RSA private key was given"
                : "\(algorithm.rawValue) signs with an RSA private key, but a shared secret was given"
        case .invalidPrivateKey(let reason):
            "the RSA private key could not be read: \(reason)"
        }
    }
}

/// Signs claims into compact JWS tokens (`header.payload.signature`, base64url without padding).
///
/// The header is exactly `{"alg":"HS256","typ":"JWT"}` (with the chosen algorithm), plus `"kid"` after `typ` for
/// RSA keys that have one. HMAC keys are the raw secret bytes; RS* is RSASSA-PKCS1-v1_5. The keyed HMAC state is
/// computed once and read in place by each MAC (``KeyedHMAC``). The payload key order is documented on ``Claims``.
public struct TokenSigner: Sendable {
    /// The algorithm in every header this signer writes.
    public let algorithm: SignatureAlgorithm
    /// The base64url header followed by `.`.
    private let headerPrefix: [UInt8]
    private let backend: Backend
    /// The most bytes of a signature: the MAC's, or the RSA modulus'.
    private let signatureLength: Int

    private enum Backend: Sendable {
        case hmac(KeyedHMAC)
        case rsa(RSAKey)
    }

    /// A signer for `algorithm` with `key`.
    /// - Throws: ``TokenSignerError`` when the key does not fit the algorithm or cannot be read.
    public init(algorithm: SignatureAlgorithm, key: SigningKey) throws(TokenSignerError) {
        self.algorithm = algorithm
        var header = JSONObject()
        header["alg"] = .string(algorithm.rawValue)
        header["typ"] = "JWT"
        switch (algorithm, key) {
        case (.hs256, .hmac(let secret)), (.hs384, .hmac(let secret)), (.hs512, .hmac(let secret)):
            backend = .hmac(KeyedHMAC(algorithm, key: secret.revealedBytes))
            signatureLength = algorithm.hashBits / 8
        case (.rs256, .rsa(let pem, let keyID)), (.rs384, .rsa(let pem, let keyID)), (.rs512, .rsa(let pem, let keyID)):
            let key: RSAKey
            do {
                key = try RSAKey(privateKeyPEM: pem.revealedBytes)
            } catch {
                throw .invalidPrivateKey(error.description)
            }
            backend = .rsa(key)
            signatureLength = (key.bits + 7) / 8
            if let keyID { header["kid"] = .string(keyID) }
        default:
            throw .keyDoesNotMatchAlgorithm(algorithm)
        }
        var writer = JSONWriter()
        writer.write(.object(header))
        var prefix: [UInt8] = []
        Base64URL.encode(writer.bytes.span, into: &prefix)
        prefix.append(UInt8(ascii: "."))
        headerPrefix = prefix
    }

    /// The compact JWS of `claims`.
    public func sign(_ claims: Claims) -> String {
        var output: [UInt8] = []
        sign(claims, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Replaces the contents of `output` with the compact JWS of `claims` (ASCII bytes), reusing its storage.
    ///
    /// The payload JSON is written into `output` itself and base64url-encoded in place, so a warm buffer means no
    /// allocation for the token text.
    public func sign(_ claims: Claims, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: headerPrefix)
        let jsonStart = output.count
        var writer = JSONWriter()
        swap(&writer.bytes, &output)
        claims.write(to: &writer)
        swap(&writer.bytes, &output)
        Base64URL.encodeInPlace(&output, from: jsonStart)
        appendSignature(to: &output)
    }

    /// The start of tokens whose payload JSON begins with `payloadPrefix`: the header, `.` and the base64url of the
    /// prefix's whole groups of three bytes, and for HMAC the key having absorbed them, so that each token
    /// encodes and hashes only the rest (``appendToken(to:start:payloadTail:)``).
    public func tokenStart(payloadPrefix: [UInt8]) -> TokenStart {
        let encoded = payloadPrefix.count / 3 * 3
        var text: [UInt8] = []
        appendContents(of: headerPrefix.span, to: &text)
        Base64URL.encode(payloadPrefix.span.extracting(0..<encoded), into: &text)
        let absorbed: KeyedHMAC?
        if case .hmac(let keyed) = backend { absorbed = keyed.absorbing(text.span) } else { absorbed = nil }
        return TokenStart(text: text, carriedPayload: Array(payloadPrefix[encoded...]), absorbedKey: absorbed)
    }

    /// Appends the compact JWS whose payload JSON is `start`'s payload prefix up to its carried bytes, then
    /// `payloadTail` (which begins with ``TokenStart/carriedPayload``): the path of `mint --batch`, which writes
    /// payloads from bytes with no ``Claims`` value and no Strings. The payload is base64url-encoded straight into
    /// `output` and the signature covers the token's own bytes only.
    public func appendToken(to output: inout [UInt8], start: borrowing TokenStart, payloadTail: Span<UInt8>) {
        let tokenStart = output.count
        appendContents(of: start.text.span, to: &output)
        Base64URL.encode(payloadTail, into: &output)
        if let absorbed = start.absorbedKey {
            let code = absorbed.authenticationCode(for: output.span.extracting((tokenStart + start.text.count)...))
            appendMAC(code, to: &output)
        } else {
            appendSignature(to: &output, from: tokenStart)
        }
    }

    /// The most bytes a token written in place (``beginToken(in:start:)``, ``finishToken(in:start:from:)``) takes
    /// when its payload tail (``TokenStart/carriedPayload`` included) is at most `payloadTailBound` bytes of JSON.
    public func maximumTokenLength(start: borrowing TokenStart, payloadTailBound: Int) -> Int {
        start.text.count + Base64URL.encodedLength(of: payloadTailBound) + 1
            + Base64URL.encodedLength(of: signatureLength)
    }

    /// Starts a token in `output`, whose capacity ``maximumTokenLength(start:payloadTailBound:)`` reserved: writes
    /// `start`'s text and its carried payload bytes, after which the caller writes the rest of the payload JSON;
    /// returns where the token starts, for ``finishToken(in:start:from:)``.
    public func beginToken(in output: inout OutputSpan<UInt8>, start: borrowing TokenStart) -> Int {
        let tokenStart = output.count
        output.appendCopy(of: start.text.span)
        output.appendCopy(of: start.carriedPayload.span)
        return tokenStart
    }

    /// Finishes the token begun at `tokenStart` (``beginToken(in:start:)``): the payload JSON written after
    /// `start`'s text is base64url-encoded where it lies, then `.` and the signature of the token's bytes are
    /// appended, as ``appendToken(to:start:payloadTail:)`` writes them.
    public func finishToken(in output: inout OutputSpan<UInt8>, start: borrowing TokenStart, from tokenStart: Int) {
        let payloadStart = tokenStart + start.text.count
        output.encodeBase64URLInPlace(from: payloadStart)
        if let absorbed = start.absorbedKey {
            let code = absorbed.authenticationCode(for: output.span.extracting(payloadStart...))
            output.append(UInt8(ascii: "."))
            code.withBytes { output.appendBase64URL(of: $0) }
        } else if case .rsa(let key) = backend {
            let signature = key.signature(of: output.span.extracting(tokenStart...), algorithm: algorithm)
            output.append(UInt8(ascii: "."))
            output.appendBase64URL(of: signature.span)
        } else if case .hmac(let keyed) = backend {
            let code = keyed.authenticationCode(for: output.span.extracting(tokenStart...))
            output.append(UInt8(ascii: "."))
            code.withBytes { output.appendBase64URL(of: $0) }
        }
    }

    /// Signs `payload` (any JSON value) under this signer's header. For tests and diagnostics.
    public func sign(payload: JSONValue) -> String {
        var writer = JSONWriter()
        writer.write(payload)
        var output = headerPrefix
        Base64URL.encode(writer.bytes.span, into: &output)
        appendSignature(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Signs exactly these header and payload texts (their UTF-8 bytes, base64url-encoded) with this signer's key,
    /// whatever the header says. For crafting test tokens and reproducing broken ones.
    public func sign(headerJSON: String, payloadJSON: String) -> String {
        var output: [UInt8] = []
        Base64URL.encode(Array(headerJSON.utf8).span, into: &output)
        output.append(UInt8(ascii: "."))
        Base64URL.encode(Array(payloadJSON.utf8).span, into: &output)
        appendSignature(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `.` and the base64url signature of `output[start...]` (the signing input).
    private func appendSignature(to output: inout [UInt8], from start: Int = 0) {
        switch backend {
        case .hmac(let keyed):
            appendMAC(keyed.authenticationCode(for: output.span.extracting(start...)), to: &output)
        case .rsa(let key):
            // OpenSSL does not fail to sign with a private key it has read; an empty signature would fail
            // verification.
            let signature = key.signature(of: output.span.extracting(start...), algorithm: algorithm)
            output.append(UInt8(ascii: "."))
            Base64URL.encode(signature.span, into: &output)
        }
    }

    /// Appends `.` and the base64url of `code` (a fixed-size value on the stack, encoded straight into the output).
    private func appendMAC(_ code: AuthenticationCode, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "."))
        code.withBytes { Base64URL.encode($0, into: &output) }
    }
}

/// The shared start of tokens whose payloads begin alike (``TokenSigner/tokenStart(payloadPrefix:)``).
public struct TokenStart: Sendable {
    /// The header, `.` and the base64url of the payload prefix's whole groups of three bytes.
    fileprivate let text: [UInt8]
    /// The prefix's last 0 to 2 bytes, which the payload's tail begins with.
    public let carriedPayload: [UInt8]
    /// The HMAC key having absorbed `text` (`nil` for RSA, which signs the whole token).
    fileprivate let absorbedKey: KeyedHMAC?
}

extension SigningKey {
    /// The key a server checks this key's signatures with: the secret itself, or the public half of the RSA key.
    /// - Throws: ``TokenSignerError/invalidPrivateKey(_:)`` when the PEM is not an RSA private key.
    public func verificationKey() throws(TokenSignerError) -> VerificationKey {
        switch self {
        case .hmac(let secret):
            return .hmac(secret)
        case .rsa(let pem, _):
            do {
                return .rsaPublicKey(pem: try RSAKey(privateKeyPEM: pem.revealedBytes).publicKeyPEM)
            } catch {
                throw .invalidPrivateKey(error.description)
            }
        }
    }
}
