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

    /// The notes the prelude recorded, five slots a note: kind, section key, name, file, line (or `false`).
    static func notes(from value: LuaValue) -> [LoadNote] {
        guard case .table(let list) = value, let slots = list.arrayValues, slots.count % 5 == 0 else { return [] }
        var notes: [LoadNote] = []
        notes.reserveCapacity(slots.count / 5)
        for start in stride(from: 0, to: slots.count, by: 5) {
            guard let kind = slots[start].stringValue.flatMap(Kind.init), let file = slots[start + 3].stringValue
            else { continue }
            let section = slots[start + 1]
            var line: Int?
            if case .integer(let number) = slots[start + 4] { line = Int(number) }
            notes.append(LoadNote(kind: kind, section: ProsodyConfiguration.keyText(section),
                                  name: ProsodyConfiguration.keyText(slots[start + 2]), file: file, line: line,
                                  sectionKey: section))
        }
        return notes
    }
}
