public import ProsodyConfig

/// Reads one host's options the way a Prosody module does (`core/moduleapi.lua`): `get_option` looks at the host,
/// then at `"*"`; the typed readers then convert the raw value exactly as Prosody 0.12/13 do.
public struct OptionReader: Sendable, Equatable {
    /// The host's own options (empty for a host the config does not define, which reads the global section).
    public let section: LuaTable
    /// The global section's options.
    public let global: LuaTable

    /// The reader of the section whose key is exactly the string `host` (bytes compared).
    public init(config: ProsodyConfiguration, host: String) {
        self.init(config: config, sectionKey: .string(Array(host.utf8)))
    }

    /// The reader of the section under exactly this key.
    public init(config: ProsodyConfiguration, sectionKey: LuaValue) {
        self.init(config: config, sectionKey: sectionKey, global: config.global.options)
    }

    /// The reader of the section under exactly this key, with the global section's options already looked up.
    init(config: ProsodyConfiguration, sectionKey: LuaValue, global: LuaTable) {
        self.init(section: config[sectionKey: sectionKey]?.options ?? LuaTable(), global: global)
    }

    /// The reader of a section's options, with the global section's.
    init(section: LuaTable, global: LuaTable) {
        self.section = section
        self.global = global
    }

    /// `module:get_option(name)`: the host's raw value, else the global one.
    public func raw(_ name: String) -> LuaValue? { section[name] ?? global[name] }

    /// `get_option_scalar`: the first item of a list, else the value.
    public func scalar(_ name: String) -> LuaValue? {
        guard let value = raw(name) else { return nil }
        if case .table(let table) = value { return table.entries.first { $0.key == .integer(1) }?.value }
        return value
    }

    /// `get_option_string`: `tostring` of the scalar (`12345` → `"12345"`, `2^10` → `"1024.0"`).
    public func string(_ name: String) -> String? {
        guard let value = scalar(name) else { return nil }
        return Self.tostring(value)
    }

    /// `get_option_boolean`: `true`, `"true"`, `1` → true; `false`, `"false"`, `0` → false; anything else (`"no"`,
    /// `"yes"`) → `nil`, which callers then treat as false or as their default only when the option is absent.
    public func boolean(_ name: String) -> Bool?? {
        guard let value = scalar(name) else { return .none }
        switch value {
        case .boolean(let flag): return .some(flag)
        case .string(let bytes) where bytes == Array("true".utf8): return .some(true)
        case .string(let bytes) where bytes == Array("false".utf8): return .some(false)
        case .integer(1): return .some(true)
        case .integer(0): return .some(false)
        case .number(let number) where number == 1: return .some(true)
        case .number(let number) where number == 0: return .some(false)
        default: return .some(nil)
        }
    }

    /// `get_option_array`: a list's items `[1]…[n]`, or a single value as a one-item list.
    public func array(_ name: String) -> [String]? {
        guard let value = raw(name) else { return nil }
        guard case .table(let table) = value else { return [Self.tostring(value)] }
        if let values = table.arrayValues { return values.map(Self.tostring) }
        // Not a plain list: the items 1…n up to the first gap, found through an index of the integer keys.
        var byIndex: [Int64: LuaValue] = [:]
        for entry in table.entries {
            if case .integer(let index) = entry.key, index >= 1 { byIndex[index] = entry.value }
        }
        var items: [String] = []
        var index: Int64 = 1
        while let item = byIndex[index] {
            items.append(Self.tostring(item))
            index += 1
        }
        return items
    }

    /// Whether the option is set at all (on the host or globally).
    public func isSet(_ name: String) -> Bool { raw(name) != nil }

    /// Lua's `tostring` of a value as a Prosody module would see it.
    public static func tostring(_ value: LuaValue) -> String {
        switch value {
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        case .integer(let number): String(number)
        case .number: ProsodyConfiguration.keyText(value)
        case .boolean(let flag): flag ? "true" : "false"
        case .nil: "nil"
        default: value.typeName
        }
    }
}
