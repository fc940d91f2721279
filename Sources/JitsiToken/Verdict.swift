/// What the server does with a token: accept it, or refuse it at connect (SASL) or at the room join, with the
/// exact condition and text it sends.
public struct Verdict: Sendable, Equatable {
    /// Where a refusal happens.
    public enum Stage: String, Sendable, Equatable {
        /// SASL authentication when the client connects (`mod_auth_token`): `<failure><COND/><text>REASON`.
        case connect
        /// The MUC join or create (`mod_token_verification`): presence error `cancel/not-allowed`.
        case join
    }

    /// Whether the user gets into the room.
    public var accepted: Bool
    /// The refusing stage, `nil` when accepted.
    public var stage: Stage?
    /// The XMPP condition (`not-allowed`, `not-authorized`), `nil` when accepted. Two pseudo-conditions have no
    /// wire form: `internal-error` (the server raises a Lua error, logs a traceback and never answers) and
    /// `module-not-loaded` (token authentication is not active at all).
    public var condition: String?
    /// The jitmeet error code sent at the join (`room-mismatch`, …), when the server sends one.
    public var code: String?
    /// The text the server sends (and logs), `nil` when accepted; for `internal-error`, Lua's error message.
    public var reason: String?
    /// Plain-language explanations naming the claim and the value the server expects.
    public var hints: [String] {
        get {
            guard let assumedRoom else { return listedHints }
            return listedHints + [assumedRoom.text]
        }
        set {
            listedHints = newValue
            assumedRoom = nil
        }
    }
    /// The hints before the room assumption, if any.
    private var listedHints: [String]
    /// The last hint, that the join assumes jicofo created the room, kept in parts (most accepted verdicts have it).
    var assumedRoom: RoomAssumption?
    /// The decoded payload, when it could be decoded (numbers are floats, as the server sees them); built from
    /// the payload's bytes when first asked.
    public var claims: JSONValue? {
        get { claimsView?.value ?? givenClaims }
        set {
            givenClaims = newValue
            claimsView = nil
        }
    }

    private var givenClaims: JSONValue?
    /// The payload as the verifier read it, when it decoded.
    var claimsView: JSONBytesView?

    /// A verdict with these values.
    public init(
        accepted: Bool, stage: Stage? = nil, condition: String? = nil, code: String? = nil, reason: String? = nil,
        hints: [String] = [], claims: JSONValue? = nil
    ) {
        self.accepted = accepted
        self.stage = stage
        self.condition = condition
        self.code = code
        self.reason = reason
        listedHints = hints
        givenClaims = claims
    }

    /// An accepted verdict without hints yet (``complete(with:payload:)`` adds them). Made by an initializer of its own: the
    /// public one's assignments of its defaulted arguments had the optimizer build the verdict twice and copy it.
    static var accepted: Verdict { Verdict(acceptedWithoutHints: ()) }

    private init(acceptedWithoutHints: Void) {
        accepted = true
        listedHints = []
    }

    /// Moves what `verification` found into the verdict (its hints first, its room assumption) and the payload it
    /// read, leaving them without: moved, not copied, so that no reference is counted for them.
    mutating func complete(with verification: inout Verification, payload: inout JSONBytesView?) {
        if !verification.hints.isEmpty || assumedRoom != nil {
            var found: [String] = []
            swap(&found, &verification.hints)
            if listedHints.isEmpty, assumedRoom == nil {
                listedHints = found
            } else {
                hints = found + hints
            }
        }
        assumedRoom = verification.assumedRoom.take()
        givenClaims = nil
        claimsView = payload.take()
    }

    /// Gives the storage of the payload the verifier read back to `storage`, for the next token a verifier reads with
    /// it (``TokenVerifier/verify(split:in:room:tenant:now:roomExists:storage:)``); ``claims`` is `nil` afterwards.
    public mutating func recycleClaims(into storage: inout VerdictStorage) {
        guard let view = claimsView.take() else { return }
        storage.keep(view)
    }

    /// Appends each of ``hints`` as ``JSONValue/jsonText`` writes it, separated by commas, without making the room
    /// assumption's text.
    public func appendHintsJSONText(to bytes: inout [UInt8]) {
        for (index, hint) in listedHints.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.string(hint).appendJSONText(to: &bytes)
        }
        guard let assumedRoom else { return }
        if !listedHints.isEmpty { bytes.append(UInt8(ascii: ",")) }
        assumedRoom.appendJSONText(to: &bytes)
    }

    /// The length of ``appendHintsJSONText(to:)``'s text and ``appendClaimsJSONText(to:)``'s together, when both are
    /// copies of bytes at hand (``writePlainHintsAndClaims(separatedBy:to:)``): the only hint is the room assumption,
    /// of a room written as it is, and the claims are the payload's own text. `nil` for any other verdict.
    public var plainHintsAndClaimsBytes: Int? {
        guard listedHints.isEmpty, claimsView?.isCanonical == true, let claimsBytes = claimsView?.root.count,
            let hintBytes = assumedRoom?.plainJSONTextBytes
        else { return nil }
        return hintBytes + claimsBytes
    }

    /// Writes ``appendHintsJSONText(to:)``'s text, `separator`, and ``appendClaimsJSONText(to:)``'s, for a verdict
    /// with ``plainHintsAndClaimsBytes``; stops the program for any other, or when the texts do not fit.
    public func writePlainHintsAndClaims(separatedBy separator: Span<UInt8>, to output: inout OutputSpan<UInt8>) {
        precondition(listedHints.isEmpty && claimsView?.isCanonical == true, "a verdict to write in full")
        assumedRoom?.writePlainJSONText(to: &output)
        output.appendCopy(of: separator)
        claimsView?.writeCanonicalText(to: &output)
    }

    /// Appends ``claims`` as ``JSONValue/jsonText`` (`null` for none), copying the payload's bytes where they are
    /// already that text.
    public func appendClaimsJSONText(to bytes: inout [UInt8]) {
        if let claimsView {
            claimsView.appendJSONText(to: &bytes)
        } else {
            (givenClaims ?? .null).appendJSONText(to: &bytes)
        }
    }

    /// Verdicts are equal when every field is, ``claims`` compared as decoded values.
    public static func == (lhs: Verdict, rhs: Verdict) -> Bool {
        lhs.accepted == rhs.accepted && lhs.stage == rhs.stage && lhs.condition == rhs.condition
            && lhs.code == rhs.code && lhs.reason == rhs.reason && lhs.hints == rhs.hints && lhs.claims == rhs.claims
    }
}

/// The arrays a verdict's payload is read into (its decoded bytes and the offsets of its members), kept from one
/// token to the next by a caller verifying many (``Verdict/recycleClaims(into:)``), so that a token costs no
/// allocation for them.
public struct VerdictStorage: Sendable {
    var payload: [UInt8] = []
    var members: [JSONBytesView.Member] = []
    var contextMembers: [JSONBytesView.Member] = []
    /// The last compact payload scanned, which the next is compared with.
    var template = CompactJSONTemplate()
    /// The start that the last tokens' signing inputs shared, absorbed into the HMAC key once.
    var hmacStart = SharedHMACStart()

    /// Empty storage.
    public init() {}

    /// Keeps `view`'s arrays (emptied when next used, once the view is gone and they are not shared).
    mutating func keep(_ view: consuming JSONBytesView) {
        (payload, members, contextMembers) = view.storageArrays()
    }

    /// The payload buffer, emptied, leaving none here.
    mutating func takePayload() -> [UInt8] {
        var bytes: [UInt8] = []
        swap(&bytes, &payload)
        bytes.removeAll(keepingCapacity: true)
        return bytes
    }

    /// The member arrays, emptied, leaving none here.
    mutating func takeMembers() -> (members: [JSONBytesView.Member], contextMembers: [JSONBytesView.Member]) {
        var taken: ([JSONBytesView.Member], [JSONBytesView.Member]) = ([], [])
        swap(&taken.0, &members)
        swap(&taken.1, &contextMembers)
        taken.0.removeAll(keepingCapacity: true)
        taken.1.removeAll(keepingCapacity: true)
        return taken
    }
}
