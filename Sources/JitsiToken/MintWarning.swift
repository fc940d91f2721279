/// Something about minting for a server that the caller may not expect, as a value: what it is about (`kind`), for
/// which host, and where in the config it comes from when known. Two warnings of the same kind for the same host
/// are the same warning, whatever their wording.
public struct MintWarning: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, Hashable {
        /// `allow_empty_token` is on: room and `sub` claims restrict nobody.
        case allowEmptyToken = "allow-empty-token"
        /// Moderator/affiliation claims without a plugin that honours them.
        case affiliationIgnored = "affiliation-ignored"
        /// `room: "*"`: the token opens every room.
        case anyRoom = "any-room"
        /// The MUC the users join does not check tokens (not loaded, or not started).
        case joinUnchecked = "join-unchecked"
        /// No MUC component for the host's users was found.
        case noMUC = "no-muc"
        /// The host of join URLs is not a DNS name or an IP address, so no URL is made.
        case noJoinURL = "no-join-url"
    }

    public var kind: Kind
    /// The VirtualHost or Component the warning is about.
    public var host: String?
    /// The config file and line it comes from, when known.
    public var file: String?
    public var line: Int?
    /// The warning in words.
    public var message: String

    public init(_ kind: Kind, host: String? = nil, file: String? = nil, line: Int? = nil, message: String) {
        self.kind = kind
        self.host = host
        self.file = file
        self.line = line
        self.message = message
    }

    /// What makes two warnings the same: kind and host.
    public var identity: String { kind.rawValue + "\u{0}" + (host ?? "") }

    /// `file:line: message` when the location is known, else the message.
    public var description: String {
        guard let file else { return message }
        return file + (line.map { ":\($0)" } ?? "") + ": " + message
    }
}
