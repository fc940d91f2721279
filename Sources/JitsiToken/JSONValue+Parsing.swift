extension JSONValue {
    /// Parses JSON text with the server's decoder (lua-cjson's rules), then turns integral numbers that fit in 64
    /// bits into integers, so that values given for minting (`--claim n=5`) are written back as `5`.
    public init?(parsing text: String) {
        guard let value = CJSONDecoder.decode(Array(text.utf8)) else { return nil }
        self = value.withIntegralNumbersAsIntegers
    }

    private var withIntegralNumbersAsIntegers: JSONValue {
        switch self {
        case .number(let number) where number == number.rounded() && abs(number) < 9.0e15:
            .integer(Int64(number))
        case .array(let items): .array(items.map(\.withIntegralNumbersAsIntegers))
        case .object(let object):
            .object(JSONObject(object.members.map { ($0.key, $0.value.withIntegralNumbersAsIntegers) }))
        default: self
        }
    }
}

extension JSONValue {
    /// Whether a number anywhere in the value is infinite or NaN: `1e400` parses as `inf`, as the server's cjson
    /// reads it too, and cjson then refuses to encode it again ("Cannot serialise number: must not be NaN or
    /// Inf"), while JSON itself has no way to write it. Such a value is refused for minting.
    public var containsNonFiniteNumber: Bool {
        switch self {
        case .number(let number): !number.isFinite
        case .array(let items): items.contains(where: \.containsNonFiniteNumber)
        case .object(let object): object.members.contains(where: \.value.containsNonFiniteNumber)
        default: false
        }
    }
}
