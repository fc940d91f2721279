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
