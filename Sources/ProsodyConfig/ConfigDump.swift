import StringPrep

/// The `dump` rendering of a config: `{"hosts": {SECTION: {OPTION: VALUE}}, "warnings": [...]}`, pretty-printed with
/// two spaces, keys sorted bytewise. Values follow Lua's types exactly: integers as integers, floats as Lua prints
/// them (`1000.0`), and what JSON cannot hold as `{"$lua_type": …}` objects (non-finite numbers, non-UTF-8 strings,
/// functions, cycles, tables nested deeper than 64 levels).
public enum ConfigDump {
    /// What a redacted secret prints as.
    public static let redacted = "<redacted>"

    /// Renders the config; secret-bearing options print as `"<redacted>"` unless `showSecrets`.
    ///
    /// The work is bounded by `maxBytes`, not only by the Lua limits: one long string stored in many options, or a
    /// table held in many places, is written out once per place.
    /// - Throws: ``ConfigError/outputTooLarge(maxBytes:)`` as soon as the text would pass `maxBytes`.
    public static func render(
        _ config: ProsodyConfiguration, showSecrets: Bool = false, maxBytes: Int = Int.max
    ) throws(ConfigError) -> String {
        var writer = JSONWriter(showSecrets: showSecrets, budget: OutputBudget(maxBytes))
        writer.output += "{\n  \"hosts\": "
        let sections = config.sections.map { (key: $0.name, value: $0.options) }
        if sections.isEmpty {
            writer.output += "{}"
        } else {
            writer.output += "{\n"
            let sorted = sections.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            for (index, section) in sorted.enumerated() {
                writer.output += "    "
                writer.writeString(section.key)
                writer.output += ": "
                writer.writeObject(section.value, indent: 2)
                writer.output += index == sorted.count - 1 ? "\n" : ",\n"
            }
            writer.output += "  }"
        }
        writer.output += ",\n  \"warnings\": "
        if config.warnings.isEmpty {
            writer.output += "[]"
        } else {
            writer.output += "[\n"
            for (index, warning) in config.warnings.enumerated() {
                writer.output += "    "
                writer.writeString(warning)
                writer.output += index == config.warnings.count - 1 ? "\n" : ",\n"
            }
            writer.output += "  ]"
        }
        writer.output += "\n}\n"
        guard !writer.budget.isExhausted else { throw .outputTooLarge(maxBytes: maxBytes) }
        return writer.output
    }

    /// Whether an option of this name holds a secret (`app_secret`, `component_secret`, `*password*`, …).
    public static func isSecret(optionName name: String) -> Bool {
        let utf8 = name.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: lowercasing and Character matching reduce to bytes (no ASCII character combines with another
            // into a Character the markers could split, CR LF aside, which no marker holds).
            return secretMarkers.contains { marker in containsIgnoringASCIICase(utf8, marker) }
        }
        let lowered = name.lowercased()
        return secretMarkers.contains { lowered.contains(String(decoding: $0, as: UTF8.self)) }
    }

    /// What `isSecret(optionName:)` looks for in a lowercased option name.
    private static let secretMarkers: [[UInt8]] = ["secret", "password", "passphrase", "credential", "private_key"]
        .map { Array($0.utf8) }

    private static func containsIgnoringASCIICase(_ text: String.UTF8View, _ marker: [UInt8]) -> Bool {
        let bytes = Array(text)
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
}

/// What is left of the output budget, shared by the writers of one rendering. Charged with the bytes of every
/// string and every line's indentation, which is what a rendering's size grows with.
final class OutputBudget {
    private var remaining: Int
    private(set) var isExhausted = false

    init(_ maxBytes: Int) {
        remaining = maxBytes
    }

    /// Whether `bytes` more still fit; when they do not, the budget is exhausted from now on.
    func allows(_ bytes: Int) -> Bool {
        if bytes > remaining { isExhausted = true }
        return !isExhausted
    }

    func charge(_ bytes: Int) {
        remaining -= min(bytes, remaining)
        if remaining == 0 && bytes > 0 { isExhausted = true }
    }
}

private struct JSONWriter {
    let showSecrets: Bool
    let budget: OutputBudget
    var output = ""

    init(showSecrets: Bool, budget: OutputBudget) {
        self.showSecrets = showSecrets
        self.budget = budget
    }

    mutating func writeValue(_ value: LuaValue, indent: Int) {
        guard !budget.isExhausted else { return }
        switch value {
        case .nil: output += "null"
        case .boolean(let flag): output += flag ? "true" : "false"
        case .integer(let number): output += String(number)
        case .number(let number):
            if number.isFinite {
                output += LuaNumberFormat.tostring(number)
            } else {
                writeLuaType("number", extra: ("value", number.isNaN ? "nan" : number < 0 ? "-inf" : "inf"), indent)
            }
        case .string(let bytes):
            // Checked before the bytes are even decoded: one long string stored in many places is refused at once.
            guard budget.allows(bytes.count) else { return }
            if let text = String(validatingUTF8Bytes: bytes) {
                writeString(text)
            } else {
                writeLuaType("string", extra: ("hex", ProsodyConfiguration.hex(bytes)), indent)
            }
        case .table(let table):
            if let values = table.arrayValues {
                writeArray(values, indent: indent)
            } else if table.entries.isEmpty {
                output += "[]"
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
        let pad = String(repeating: "  ", count: indent + 1)
        output += "{\n\(pad)\"$lua_type\": \"\(type)\""
        if let (key, value) = extra {
            output += ",\n\(pad)\"\(key)\": \"\(value)\""
        }
        output += "\n" + String(repeating: "  ", count: indent) + "}"
    }

    private mutating func writeArray(_ values: [LuaValue], indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        output += "[\n"
        for (index, value) in values.enumerated() where !budget.isExhausted {
            budget.charge(pad.utf8.count + 2)
            output += pad
            writeValue(value, indent: indent + 1)
            output += index == values.count - 1 ? "\n" : ",\n"
        }
        output += String(repeating: "  ", count: indent) + "]"
    }

    /// An object with text keys sorted bytewise; of keys with the same text, the one whose printed value sorts
    /// first is kept. Always an object, even when empty (`{}`) or when the keys are 1...n.
    mutating func writeObject(_ table: LuaTable, indent: Int) {
        if table.entries.isEmpty {
            output += "{}"
            return
        }
        var members: [(key: [UInt8], value: String)] = []
        var positions: [[UInt8]: Int] = [:]
        for entry in table.entries {
            let key = ProsodyConfiguration.keyText(entry.key)
            guard !budget.isExhausted else { return }
            budget.charge(2 * (indent + 1) + 4)
            var valueWriter = JSONWriter(showSecrets: showSecrets, budget: budget)
            if !showSecrets, case .string = entry.key, ConfigDump.isSecret(optionName: key) {
                valueWriter.writeString(ConfigDump.redacted)
            } else {
                valueWriter.writeValue(entry.value, indent: indent + 1)
            }
            let keyBytes = Array(key.utf8)
            if let position = positions[keyBytes] {
                if Array(valueWriter.output.utf8).lexicographicallyPrecedes(Array(members[position].value.utf8)) {
                    members[position].value = valueWriter.output
                }
            } else {
                positions[keyBytes] = members.count
                members.append((keyBytes, valueWriter.output))
            }
        }
        members.sort { $0.key.lexicographicallyPrecedes($1.key) }
        let pad = String(repeating: "  ", count: indent + 1)
        output += "{\n"
        for (index, member) in members.enumerated() {
            output += pad
            writeString(String(decoding: member.key, as: UTF8.self))
            output += ": " + member.value
            output += index == members.count - 1 ? "\n" : ",\n"
        }
        output += String(repeating: "  ", count: indent) + "}"
    }

    mutating func writeString(_ text: String) {
        budget.charge(text.utf8.count + 2)
        guard !budget.isExhausted else { return }
        // Most strings need no escape at all: one append instead of one per scalar.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 >= 0x7F }) {
            output += "\"" + text + "\""
            return
        }
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || StringPrep.isInvisibleControl(scalar.value):
                // Control characters, and what a terminal would act on (C1, bidi controls, U+2028/U+2029).
                let hex = Array("0123456789abcdef")
                output += "\\u" + [12, 8, 4, 0].map { String(hex[Int(scalar.value >> UInt32($0) & 0xF)]) }.joined()
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
