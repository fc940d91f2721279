/// Something the loader saw while running a config, with the file and line where known (recorded for audits).
public struct LoadNote: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// An option was set (by assignment or by the `VirtualHost "x" { … }` form).
        case set
        /// A name was read that is neither an option nor a Lua global: usually an unquoted value such as
        /// `authentication = token`, which silently stores nil.
        case undefined
        /// A glob Include matched no file (Prosody ignores it silently).
        case emptyGlob = "empty_glob"
    }

    public var kind: Kind
    /// The section that was current, as text (two keys may print alike).
    public var section: String
    /// The section's key, as the config table holds it (its identity: bytes and type).
    public var sectionKey: LuaValue
    /// The option or name (for `emptyGlob`, the Include argument).
    public var name: String
    /// The config file, as Prosody names it.
    public var file: String
    /// The line in `file`, when Lua could tell.
    public var line: Int?

    public init(kind: Kind, section: String, name: String, file: String, line: Int?, sectionKey: LuaValue? = nil) {
        self.kind = kind
        self.section = section
        self.sectionKey = sectionKey ?? .string(Array(section.utf8))
        self.name = name
        self.file = file
        self.line = line
    }

    /// The notes the sandbox's note log recorded: its `values` (a sequence) and its `records`, 24 bytes a note,
    /// little-endian: the positions in `values` (from 1; 0 for nil) of the kind, section key, name and file, as four
    /// 32-bit words, then the line as a signed 64-bit one (`Int64.min` for none). Each distinct value's text is made
    /// once, so that the notes of a big config share the strings of its few names and files.
    static func notes(values: LuaValue, records: LuaValue) -> [LoadNote] {
        guard case .table(let list) = values, let values = list.arrayValues, case .string(let bytes) = records,
            bytes.count % 24 == 0
        else { return [] }
        var texts = [String?](repeating: nil, count: values.count + 1)
        var keyTexts = [String?](repeating: nil, count: values.count + 1)
        func value(_ position: Int) -> LuaValue { position == 0 ? .nil : values[position - 1] }
        func text(_ position: Int) -> String? {
            if let known = texts[position] { return known }
            let made = value(position).stringValue
            texts[position] = made
            return made
        }
        func keyText(_ position: Int) -> String {
            if let known = keyTexts[position] { return known }
            let made = ProsodyConfiguration.keyText(value(position))
            keyTexts[position] = made
            return made
        }
        let span = bytes.span
        // Notes of one kind come in runs.
        var lastKind: (position: Int, kind: Kind?) = (-1, nil)
        var notes: [LoadNote] = []
        notes.reserveCapacity(bytes.count / 24)
        for start in stride(from: 0, to: bytes.count, by: 24) {
            let kind = Int(littleEndian(span, start, 4)), section = Int(littleEndian(span, start + 4, 4))
            let name = Int(littleEndian(span, start + 8, 4)), file = Int(littleEndian(span, start + 12, 4))
            guard max(kind, section, name, file) <= values.count else { continue }
            if kind != lastKind.position { lastKind = (kind, text(kind).flatMap(Kind.init)) }
            guard let kind = lastKind.kind, let file = text(file) else { continue }
            let line = Int64(bitPattern: littleEndian(span, start + 16, 8))
            notes.append(LoadNote(kind: kind, section: keyText(section), name: keyText(name), file: file,
                                  line: line == .min ? nil : Int(line), sectionKey: value(section)))
        }
        return notes
    }

    /// The `count` bytes of `span` from `offset` as a little-endian number.
    @inline(__always)
    private static func littleEndian(_ span: Span<UInt8>, _ offset: Int, _ count: Int) -> UInt64 {
        var word: UInt64 = 0
        for index in (offset..<offset + count).reversed() { word = word << 8 | UInt64(span[index]) }
        return word
    }
}
