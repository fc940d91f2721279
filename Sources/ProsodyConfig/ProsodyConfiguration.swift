import CSystemShims

import StringPrep

/// A loaded Prosody config: every section with its raw options, as Prosody's config table holds them.
public struct ProsodyConfiguration: Sendable, Equatable {
    /// One section: `"*"` (global), a VirtualHost or a Component.
    public struct Section: Sendable, Equatable {
        /// The section's key as the config table holds it: its identity, compared by bytes and type (Prosody keeps
        /// an NFC and an NFD spelling, or the integer 1 and the string "1", apart).
        public var key: LuaValue
        /// The section's key as text (see `ProsodyConfiguration.keyText`), for display: two keys may print alike.
        public var name: String
        /// The raw options, with no inheritance from `"*"`; bookkeeping keys (`defined`, `component_module`,
        /// `load_global_modules`) included.
        public var options: LuaTable

        public init(name: String, options: LuaTable) {
            self.key = .string(Array(name.utf8))
            self.name = name
            self.options = options
        }

        /// A section under this table key.
        public init(key: LuaValue, options: LuaTable) {
            self.key = key
            self.name = ProsodyConfiguration.keyText(key)
            self.options = options
        }

        /// The raw value of an option in this section.
        public subscript(option: String) -> LuaValue? { options[option] }

        /// The module of a Component (`"muc"`, `"component"` for external ones…), `nil` for a VirtualHost.
        public var componentModule: String? { options["component_module"]?.stringValue }
    }

    /// Sections in the config table's order (which, as in Prosody, is not declaration order).
    public var sections: [Section] {
        didSet { sectionIndex = Self.index(sections) }
    }
    /// The position of each section key in `sections`.
    private var sectionIndex: [LuaValue: Int]
    /// Prosody's load warnings (duplicate options; 13.0's deprecation warnings), in order, as values.
    public var loadWarnings: [LoadWarning]
    /// The load warnings as Prosody prints them.
    public var warnings: [String] { loadWarnings.map(\.text) }
    /// What the config passed to `print`, which the sandbox keeps off stdout.
    public var printed: [String]
    /// What the loader saw while running the config, when `LoadOptions.recordNotes` is set.
    public var notes: [LoadNote]

    public init(
        sections: [Section], warnings: [LoadWarning] = [], printed: [String] = [], notes: [LoadNote] = []
    ) {
        self.sections = sections
        self.sectionIndex = Self.index(sections)
        self.loadWarnings = warnings
        self.printed = printed
        self.notes = notes
    }

    /// The section whose key is the string with exactly these UTF-8 bytes, if the config has one.
    public subscript(section name: String) -> Section? { self[sectionKey: .string(Array(name.utf8))] }

    /// The section under exactly this key (bytes and type), if the config has one.
    public subscript(sectionKey key: LuaValue) -> Section? { sectionIndex[key].map { sections[$0] } }

    /// Every section whose name prints like `name` (Swift string equality: canonically equivalent spellings, and an
    /// integer key and its decimal string, print alike). More than one means the name is ambiguous.
    public func sections(printingLike name: String) -> [Section] {
        sections.filter { $0.name == name }
    }

    private static func index(_ sections: [Section]) -> [LuaValue: Int] {
        var index: [LuaValue: Int] = [:]
        index.reserveCapacity(sections.count)
        // Last to first, so that the first section under a key is the one kept, with one hash per section.
        for position in sections.indices.reversed() { index[sections[position].key] = position }
        return index
    }

    /// The key of the global section, `"*"`.
    public static let globalKey = LuaValue.string([UInt8(ascii: "*")])

    /// The global section's options.
    public var global: Section { self[sectionKey: Self.globalKey] ?? Section(name: "*", options: LuaTable()) }

    /// An option as Prosody's `configmanager.get(host, key)` returns it: the host's raw value, else the global
    /// value (one level, no merging). An unknown host reads the global section.
    public func get(_ host: String, _ option: String) -> LuaValue? {
        if let value = self[section: host]?[option] { return value }
        return global[option]
    }

    /// `get` for the section under exactly this key.
    public func get(sectionKey key: LuaValue, _ option: String) -> LuaValue? {
        if let value = self[sectionKey: key]?[option] { return value }
        return global[option]
    }

    /// Every section but `"*"` that is not a Component (Prosody's VirtualHosts).
    public var virtualHosts: [Section] {
        sections.filter { $0.key != Self.globalKey && $0.options["component_module"] == nil }
    }

    /// Every section with a `component_module`.
    public var components: [Section] { sections.filter { $0.options["component_module"] != nil } }

    /// Whether Prosody would activate the host: `enabled ~= false`, looked up with the global fallback.
    public func isEnabled(_ host: String) -> Bool { get(host, "enabled") != .boolean(false) }

    /// The text of a table key, as the dump prints it: strings as they are (`$hex:` + hex when not UTF-8),
    /// integers in decimal, floats as Lua's `tostring`, booleans, and `<type>` for other key types.
    public static func keyText(_ key: LuaValue) -> String {
        switch key {
        case .string(let bytes):
            if let text = String(validatingUTF8Bytes: bytes) { return text }
            return "$hex:" + hex(bytes)
        case .integer(let value): return String(value)
        case .number(let value): return LuaNumberFormat.tostring(value)
        case .boolean(let flag): return flag ? "true" : "false"
        case .nil: return "nil"
        default: return "<\(key.typeName)>"
        }
    }

    /// A host name as Prosody stores it (RFC 3491 nameprep, as `VirtualHost` and `Component` apply it), or `nil`
    /// for a name Prosody refuses.
    public static func nameprep(_ name: String) -> String? {
        StringPrep.nameprep(Array(name.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Bytewise three-way comparison (negative, zero, positive) of two names' bytes, as the sorted listings
    /// order them: one byte at a time on spans (the generic `lexicographicallyPrecedes` and `==` on arrays cost
    /// several times more in the sorts of big configs).
    public static func compareBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        let a = lhs.span, b = rhs.span
        let common = min(a.count, b.count)
        var index = 0
        while index < common {
            let left = a[index], right = b[index]
            if left != right { return left < right ? -1 : 1 }
            index += 1
        }
        return a.count - b.count
    }

    /// The positions of `names` in bytewise order (``compareBytes(_:_:)``); of names with the same bytes, the one
    /// `tie` puts first, else the earlier position. The sort compares the first 24 bytes of each name as three
    /// integers made once (in big configs the names' arrays, scattered in memory, cost more to reach than to
    /// compare) and reads the names only when those are equal.
    public static func bytewiseOrder(of names: [[UInt8]], tie: (Int, Int) -> Bool = { _, _ in false }) -> [Int] {
        func precedes(_ lhs: Int, _ rhs: Int) -> Bool {
            let order = compareBytes(names[lhs], names[rhs])
            if order != 0 { return order < 0 }
            if tie(lhs, rhs) { return true }
            return !tie(rhs, lhs) && lhs < rhs
        }
        // A few names (the options of one section) compare faster than their prefixes are made.
        guard names.count > 64 else { return names.indices.sorted(by: precedes) }
        let prefixes = names.map { (word($0, 0), word($0, 8), word($0, 16)) }
        return names.indices.sorted { lhs, rhs in
            let left = prefixes[lhs], right = prefixes[rhs]
            return left != right ? left < right : precedes(lhs, rhs)
        }
    }

    /// Eight bytes of `bytes` from `start` as a big-endian word, zero-padded past the end: the words' order is the
    /// bytes' order wherever they differ (a zero pad sorts a shorter name first, as a prefix does).
    private static func word(_ bytes: [UInt8], _ start: Int) -> UInt64 {
        let span = bytes.span
        var word: UInt64 = 0
        for index in start..<start + 8 { word = word << 8 | (index < span.count ? UInt64(span[index]) : 0) }
        return word
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension String {
    /// The bytes as a string when they are strictly valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        // One validating copy; decoding scalar by scalar cost a second per few hundred MB of option text.
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        self = text
    }
}

/// Lua 5.4's number-to-text conversion.
enum LuaNumberFormat {
    /// `tostring` of a float: `%.14g`, with `.0` added when the result looks like an integer; `inf`, `-inf`,
    /// `nan` or `-nan` for the rest.
    static func tostring(_ value: Double) -> String {
        if value.isNaN { return value.sign == .minus ? "-nan" : "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        var text = formatG14(value)
        if text.allSatisfy({ $0 == "-" || $0.isASCII && $0.isNumber }) { text += ".0" }
        return text
    }

    /// `%.14g` (LUAI_NUMFFORMAT) of a finite double.
    static func formatG14(_ value: Double) -> String {
        var buffer = [UInt8](repeating: 0, count: 64)
        var text = buffer.mutableSpan
        let count = Int(csystem_format_g14(value, &text))
        return String(decoding: buffer[0..<max(0, min(count, buffer.count - 1))], as: UTF8.self)
    }
}
