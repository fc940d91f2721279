/// A warning Prosody's config loader prints, as a value: what it is about, the option or name, and where.
public struct LoadWarning: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, Hashable {
        /// `Duplicate option 'NAME'`: an option set twice in one section of one file.
        case duplicateOption = "duplicate_option"
        /// 13.0: `direct usage of the Lua API is deprecated - replace `NAME` with `Lua.NAME``.
        case deprecatedGlobal = "deprecated_global"
    }

    public var kind: Kind
    /// The option (duplicate) or global (deprecated) the warning names.
    public var name: String
    /// The config file, as Prosody names it.
    public var file: String
    /// The line in `file`, when Lua could tell.
    public var line: Int?
    /// The warning as Prosody prints it (`FILE:LINE: text`).
    public var text: String

    public init(kind: Kind, name: String, file: String, line: Int?, text: String) {
        self.kind = kind
        self.name = name
        self.file = file
        self.line = line
        self.text = text
    }

    public var description: String { text }

    /// The warnings of a loader result: a list of `{kind, name, file, line, text}` records.
    static func warnings(from value: LuaValue) -> [LoadWarning] {
        guard case .table(let list) = value else { return [] }
        return (list.arrayValues ?? []).compactMap { item in
            guard case .table(let record) = item, let kind = record["kind"]?.stringValue.flatMap(Kind.init),
                let name = record["name"], let file = record["file"]?.stringValue,
                case .string(let text)? = record["text"]
            else { return nil }
            var line: Int?
            if case .integer(let number)? = record["line"] { line = Int(number) }
            return LoadWarning(
                kind: kind, name: ProsodyConfiguration.keyText(name), file: file, line: line,
                text: String(decoding: text, as: UTF8.self))
        }
    }
}
