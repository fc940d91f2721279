import StringPrep

/// The `dump` rendering of a config: `{"hosts": {SECTION: {OPTION: VALUE}}, "warnings": [...]}`, pretty-printed with
/// two spaces, keys sorted bytewise. Values follow Lua's types exactly: integers as integers, floats as Lua prints
/// them (`1000.0`), and what JSON cannot hold as `{"$lua_type": …}` objects (non-finite numbers, non-UTF-8 strings,
/// functions, cycles, tables nested deeper than 64 levels).
public enum ConfigDump {
    /// What a redacted secret prints as.
    public static let redacted = "<redacted>"

    /// Renders the config as one string; secret-bearing options print as `"<redacted>"` unless `showSecrets`.
    ///
    /// - Throws: ``ConfigError/outputTooLarge(maxBytes:)`` when the text would pass `maxBytes` (see ``write``).
    public static func render(
        _ config: ProsodyConfiguration, showSecrets: Bool = false, maxBytes: Int = Int.max
    ) throws(ConfigError) -> String {
        var text: [UInt8] = []
        try write(config, showSecrets: showSecrets, maxBytes: maxBytes) { text += $0 }
        return String(decoding: text, as: UTF8.self)
    }

    /// Renders the config to `sink` in chunks of about 64 KiB, as UTF-8; secret-bearing options print as
    /// `"<redacted>"` unless `showSecrets`.
    ///
    /// The work is bounded by `maxBytes`, not only by the Lua limits: one long string stored in many options, or a
    /// table held in many places, is written out once per place. The size (every string and every line's
    /// indentation) is counted before anything is rendered, so nothing reaches `sink` when it is too large.
    /// - Throws: ``ConfigError/outputTooLarge(maxBytes:)`` before the first chunk, when the text would pass
    ///   `maxBytes`.
    public static func write(
        _ config: ProsodyConfiguration, showSecrets: Bool = false, maxBytes: Int = Int.max,
        to sink: ([UInt8]) -> Void
    ) throws(ConfigError) {
        var size = DumpSize(limit: maxBytes, showSecrets: showSecrets)
        guard size.fits(config) else {
            throw .outputTooLarge(maxBytes: maxBytes)
        }
        withoutActuallyEscaping(sink) { sink in render(config, showSecrets: showSecrets, to: sink) }
    }

    private static func render(
        _ config: ProsodyConfiguration, showSecrets: Bool, to sink: @escaping ([UInt8]) -> Void
    ) {
        var writer = DumpWriter(showSecrets: showSecrets, sink: sink)
        writer.append("{\n  \"hosts\": ")
        let names = config.sections.map { DumpWriter.keyBytes($0.key) }
        let order = DumpWriter.sortedPositions(names)
        if order.isEmpty {
            writer.append("{}")
        } else {
            writer.append("{\n")
            for (index, position) in order.enumerated() {
                writer.pad(2)
                writer.writeString(names[position])
                writer.append(bytes: DumpWriter.colon)
                writer.writeObject(config.sections[position].options, indent: 2)
                writer.append(bytes: index == order.count - 1 ? DumpWriter.newline : DumpWriter.comma)
                writer.flushIfFull()
            }
            writer.append("  }")
        }
        writer.append(",\n  \"warnings\": ")
        let warnings = config.warnings
        if warnings.isEmpty {
            writer.append("[]")
        } else {
            writer.append("[\n")
            for (index, warning) in warnings.enumerated() {
                writer.pad(2)
                writer.writeString(Array(warning.utf8))
                writer.append(index == warnings.count - 1 ? "\n" : ",\n")
            }
            writer.append("  ]")
        }
        writer.append("\n}\n")
        writer.flush()
    }

    /// Whether an option of this name holds a secret (`app_secret`, `component_secret`, `*password*`, …).
    public static func isSecret(optionName name: String) -> Bool {
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return isSecretASCII(Array(name.utf8)) }
        let lowered = name.lowercased()
        return secretMarkers.contains { lowered.contains(String(decoding: $0, as: UTF8.self)) }
    }

    /// ``isSecret(optionName:)`` of an ASCII name: lowercasing and Character matching reduce to bytes (no ASCII
    /// character combines with another into a Character the markers could split, CR LF aside, which no marker holds).
    private static func isSecretASCII(_ name: [UInt8]) -> Bool {
        secretMarkers.contains { marker in containsIgnoringASCIICase(name, marker) }
    }

    /// What `isSecret(optionName:)` looks for in a lowercased option name.
    private static let secretMarkers: [[UInt8]] = ["secret", "password", "passphrase", "credential", "private_key"]
        .map { Array($0.utf8) }

    private static func containsIgnoringASCIICase(_ bytes: [UInt8], _ marker: [UInt8]) -> Bool {
        guard bytes.count >= marker.count else { return false }
        for start in 0...(bytes.count - marker.count) {
            var matched = true
            for offset in marker.indices {
                var byte = bytes[start + offset]
                if byte >= 0x41, byte <= 0x5A { byte |= 0x20 }
                if byte != marker[offset] { matched = false; break }
            }
            if matched { return true }
        }
        return false
    }

    /// `isSecret` on a name's UTF-8 bytes, without making a String when the name is ASCII (the usual case).
    static func isSecret(optionBytes name: [UInt8]) -> Bool {
        guard name.allSatisfy({ $0 < 0x80 }) else { return isSecret(optionName: String(decoding: name, as: UTF8.self)) }
        return isSecretASCII(name)
    }
}

/// Counts what a rendering charges against its budget (the bytes of every string, two per quote pair, and every
/// line's indentation and punctuation) and stops as soon as it passes the limit.
private struct DumpSize {
    let limit: Int
    let showSecrets: Bool
    var total = 0

    init(limit: Int, showSecrets: Bool) {
        self.limit = limit
        self.showSecrets = showSecrets
    }

    mutating func fits(_ config: ProsodyConfiguration) -> Bool {
        for section in config.sections {
            guard add(section.name.utf8.count + 6), object(section.options, indent: 2) else { return false }
        }
        return config.warnings.allSatisfy { add($0.utf8.count + 6) }
    }

    private mutating func add(_ bytes: Int) -> Bool {
        total += bytes
        return total <= limit
    }

    private mutating func object(_ table: LuaTable, indent: Int) -> Bool {
        for entry in table.entries {
            guard add(2 * (indent + 1) + 4 + DumpWriter.keyBytes(entry.key).count + 2) else { return false }
            if !showSecrets, case .string(let name) = entry.key, ConfigDump.isSecret(optionBytes: name) {
                guard add(ConfigDump.redacted.utf8.count + 2) else { return false }
            } else {
                guard value(entry.value, indent: indent + 1) else { return false }
            }
        }
        return true
    }

    private mutating func value(_ value: LuaValue, indent: Int) -> Bool {
        switch value {
        case .string(let bytes): return add(bytes.count + 2)
        case .table(let table):
            if table.isListInOrder {
                return table.entries.allSatisfy { add(2 * (indent + 1) + 2) && self.value($0.value, indent: indent + 1) }
            }
            guard let values = table.arrayValues else { return object(table, indent: indent) }
            return values.allSatisfy { add(2 * (indent + 1) + 2) && self.value($0, indent: indent + 1) }
        default: return true
        }
    }
}

/// Writes the JSON text on bytes into a buffer that goes to the sink in chunks.
private struct DumpWriter {
    let showSecrets: Bool
    let sink: ([UInt8]) -> Void
    var buffer: [UInt8] = []
    /// Whether the buffer is handed to the sink when full (false while a value is rendered to be compared).
    var streams = true

    static let chunkBytes = 1 << 16

    init(showSecrets: Bool, sink: @escaping ([UInt8]) -> Void) {
        self.showSecrets = showSecrets
        self.sink = sink
        buffer.reserveCapacity(Self.chunkBytes + 4096)
    }

    mutating func flushIfFull() {
        if streams && buffer.count >= Self.chunkBytes { flush() }
    }

    mutating func flush() {
        if !buffer.isEmpty { sink(buffer) }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    /// Appends bytes made once (a literal's `utf8` goes through a generic append on every call).
    mutating func append(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    static let comma = Array(",\n".utf8), newline = Array("\n".utf8), colon = Array(": ".utf8)
    static let openObject = Array("{\n".utf8), openArray = Array("[\n".utf8)
    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 256)

    mutating func pad(_ indent: Int) {
        var count = 2 * indent
        while count > 0 {
            let run = min(count, Self.spaces.count)
            buffer.append(contentsOf: Self.spaces[0..<run])
            count -= run
        }
    }

    /// The positions of `names` ordered by name bytes, then by position (so that equal names keep their order):
    /// the sort moves integers, not the names.
    static func sortedPositions(_ names: [[UInt8]]) -> [Int] { ProsodyConfiguration.bytewiseOrder(of: names) }

    static func compareBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int { ProsodyConfiguration.compareBytes(lhs, rhs) }

    /// A key's text as the dump prints it (``ProsodyConfiguration/keyText(_:)``), sharing a UTF-8 string's bytes.
    static func keyBytes(_ key: LuaValue) -> [UInt8] {
        if case .string(let bytes) = key, isUTF8(bytes) { return bytes }
        return Array(ProsodyConfiguration.keyText(key).utf8)
    }

    static func isUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 < 0x80 } || String(validating: bytes, as: UTF8.self) != nil
    }

    mutating func writeValue(_ value: LuaValue, indent: Int) {
        switch value {
        case .nil: append("null")
        case .boolean(let flag): flag ? append("true") : append("false")
        case .integer(let number): buffer.append(contentsOf: String(number).utf8)
        case .number(let number):
            if number.isFinite {
                buffer.append(contentsOf: LuaNumberFormat.tostring(number).utf8)
            } else {
                writeLuaType("number", extra: ("value", number.isNaN ? "nan" : number < 0 ? "-inf" : "inf"), indent)
            }
        case .string(let bytes):
            if Self.isUTF8(bytes) {
                writeString(bytes)
            } else {
                writeLuaType("string", extra: ("hex", ProsodyConfiguration.hex(bytes)), indent)
            }
        case .table(let table):
            if table.isListInOrder {
                writeArray(table.entries.lazy.map(\.value), indent: indent)
            } else if let values = table.arrayValues {
                writeArray(values, indent: indent)
            } else if table.entries.isEmpty {
                append("[]")
            } else {
                writeObject(table, indent: indent)
            }
        case .function: writeLuaType("function", indent)
        case .userdata: writeLuaType("userdata", indent)
        case .thread: writeLuaType("thread", indent)
        case .cycle: writeLuaType("cycle", indent)
        case .deep: writeLuaType("deep", indent)
        }
    }

    /// `{"$lua_type": TYPE}` or `{"$lua_type": TYPE, KEY: VALUE}` (`$` sorts before the letters of the other key).
    private mutating func writeLuaType(_ type: String, extra: (String, String)? = nil, _ indent: Int) {
        append("{\n")
        pad(indent + 1)
        buffer.append(contentsOf: "\"$lua_type\": \"\(type)\"".utf8)
        if let (key, value) = extra {
            append(",\n")
            pad(indent + 1)
            buffer.append(contentsOf: "\"\(key)\": \"\(value)\"".utf8)
        }
        append("\n")
        pad(indent)
        append("}")
    }

    private mutating func writeArray(_ values: some Collection<LuaValue>, indent: Int) {
        append(bytes: Self.openArray)
        var left = values.count
        for value in values {
            pad(indent + 1)
            writeValue(value, indent: indent + 1)
            left -= 1
            append(bytes: left == 0 ? Self.newline : Self.comma)
            flushIfFull()
        }
        pad(indent)
        buffer.append(UInt8(ascii: "]"))
    }

    /// An option's value, or the redaction placeholder for a secret-bearing string key.
    private mutating func writeMember(_ entry: LuaTable.Entry, indent: Int) {
        if !showSecrets, case .string(let name) = entry.key, ConfigDump.isSecret(optionBytes: name) {
            writeString(Array(ConfigDump.redacted.utf8))
        } else {
            writeValue(entry.value, indent: indent)
        }
    }

    /// An object with text keys sorted bytewise; of keys with the same text, the one whose printed value sorts
    /// first is kept. Always an object, even when empty (`{}`) or when the keys are 1...n.
    mutating func writeObject(_ table: LuaTable, indent: Int) {
        if table.entries.isEmpty { return append("{}") }
        let names = table.entries.map { Self.keyBytes($0.key) }
        let order = Self.sortedPositions(names)
        append(bytes: Self.openObject)
        var start = 0
        while start < order.count {
            let name = names[order[start]]
            var end = start + 1
            while end < order.count && Self.compareBytes(names[order[end]], name) == 0 { end += 1 }
            pad(indent + 1)
            writeString(name)
            append(bytes: Self.colon)
            if end - start == 1 {
                writeMember(table.entries[order[start]], indent: indent + 1)
            } else {
                buffer += smallestRendering(of: order[start..<end].map { table.entries[$0] }, indent + 1)
            }
            append(bytes: end == order.count ? Self.newline : Self.comma)
            flushIfFull()
            start = end
        }
        pad(indent)
        buffer.append(UInt8(ascii: "}"))
    }

    /// Of the entries whose keys print alike, the rendering of the value that sorts first.
    private func smallestRendering(of entries: [LuaTable.Entry], _ indent: Int) -> [UInt8] {
        var smallest: [UInt8]?
        for entry in entries {
            var writer = DumpWriter(showSecrets: showSecrets, sink: sink)
            writer.streams = false
            writer.writeMember(entry, indent: indent)
            if smallest.map({ writer.buffer.lexicographicallyPrecedes($0) }) ?? true { smallest = writer.buffer }
        }
        return smallest ?? []
    }

    /// A JSON string of valid UTF-8 bytes: quotes, backslashes and control characters escaped, and what a
    /// terminal would act on (C1, bidi controls, U+2028/U+2029) as `\uXXXX`.
    mutating func writeString(_ bytes: [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        // Most strings need no escape at all: one append of the whole.
        if Self.needsNoEscape(bytes) {
            buffer += bytes
        } else {
            writeEscaped(bytes)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Whether every byte stands for itself inside a JSON string (printable ASCII but `"` and `\`), on a span.
    private static func needsNoEscape(_ bytes: [UInt8]) -> Bool {
        let span = bytes.span
        for index in 0..<span.count {
            let byte = span[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte >= 0x7F { return false }
        }
        return true
    }

    private mutating func writeEscaped(_ bytes: [UInt8]) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x22: append("\\\"")
            case 0x5C: append("\\\\")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0..<0x20, 0x7F: writeUnicodeEscape(UInt32(byte))
            case 0..<0x80: buffer.append(byte)
            default:
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let end = min(index + length, bytes.count)
                var scalar = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for next in bytes[index + 1..<end] { scalar = scalar << 6 | UInt32(next & 0x3F) }
                if StringPrep.isInvisibleControl(scalar) {
                    writeUnicodeEscape(scalar)
                } else {
                    buffer += bytes[index..<end]
                }
                index = end
                continue
            }
            index += 1
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func writeUnicodeEscape(_ scalar: UInt32) {
        append("\\u")
        for shift: UInt32 in [12, 8, 4, 0] { buffer.append(Self.hexDigits[Int(scalar >> shift & 0xF)]) }
    }
}
