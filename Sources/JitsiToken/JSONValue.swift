/// A JSON value as it appears in a token, keeping the order of object members.
///
/// Integers and other numbers are separate cases so that minted `exp`/`iat`/`nbf` serialize as `1760003600`.
/// Tokens parsed by ``verify(token:rules:room:tenant:now:)`` only ever contain ``number(_:)``, because the server's
/// JSON decoder (lua-cjson) turns every number into a float.
public enum JSONValue: Sendable, Equatable {
    /// `null` (a light userdata, `cjson.null`, on the server: truthy, and not `nil`).
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A whole number written without a fraction (what ``TokenSigner`` writes for times).
    case integer(Int64)
    /// Any other number; the only number case in decoded tokens.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in order.
    case object(JSONObject)

    /// The member `key` if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The string if this is a string.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }
}

/// A JSON object: members in order, each key at most once.
public struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// One `"key": value` pair.
    public struct Member: Sendable, Equatable {
        /// The member name.
        public var key: String
        /// The member value.
        public var value: JSONValue

        /// A member.
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members in order.
    public private(set) var members: [Member]

    /// Positions by key bytes, kept once an object has more than `indexThreshold` members, so that decoding and
    /// reading a hostile token with thousands of keys stays linear.
    private var positions: [[UInt8]: Int]?

    private static let indexThreshold = 8

    /// An empty object.
    public init() {
        members = []
    }

    /// An object with these members in this order; a repeated key keeps its first position and its last value.
    public init(_ pairs: [(String, JSONValue)]) {
        members = []
        for (key, value) in pairs { self[key] = value }
    }

    /// An object with these members in this order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// Whether there are no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The value for `key` (compared byte for byte); setting `nil` removes the member, setting an existing key
    /// replaces its value in place.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            switch (position(of: key), newValue) {
            case (let index?, let value?):
                members[index].value = value
            case (let index?, nil):
                members.remove(at: index)
                positions = nil
                reindex()
            case (nil, let value?):
                members.append(Member(key: key, value: value))
                if positions != nil {
                    positions?[Array(key.utf8)] = members.count - 1
                } else {
                    reindex()
                }
            case (nil, nil):
                break
            }
        }
    }

    /// Objects are equal when their members are, in order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.members == rhs.members }

    private func position(of key: String) -> Int? {
        if let positions { return positions[Array(key.utf8)] }
        return members.firstIndex { sameBytes($0.key, key) }
    }

    private mutating func reindex() {
        guard positions == nil, members.count > Self.indexThreshold else { return }
        var index: [[UInt8]: Int] = [:]
        index.reserveCapacity(members.count)
        for (position, member) in members.enumerated() { index[Array(member.key.utf8)] = position }
        positions = index
    }
}

/// Literals: `"text"`, `true`, `3600` (an integer), `2.5`, `[…]`, `["key": …]` (ordered), `nil` (JSON null).
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// Compact JSON text (no spaces), object members in their stored order, with what a terminal would act on
    /// escaped as well (DEL, C1 and bidi controls, U+2028/U+2029 as `\uXXXX`), since this text is printed.
    public var jsonText: String {
        var writer = JSONWriter(escapingTerminalControls: true)
        writer.write(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
