import JitsiToken
import ProsodyConfig

/// The config, its deployment model and the notes indexed by section and option, with the lookups every check
/// needs. Each lookup costs a hash, so the audit is linear in the number of hosts and notes.
struct AuditContext {
    let config: ProsodyConfiguration
    let deployment: Deployment
    /// The installed token plugins' era (some findings depend on it).
    let era: PluginEra
    /// Each token host's connect-stage rules and each MUC's join rules, by section key: derived once for all the
    /// findings that read them (the model derives them anew on every read).
    let connectRules: [LuaValue: ServerRules]
    let joins: [LuaValue: JoinRules]
    /// The position in `config.notes` of the last `set` of each option, by section number and option.
    private let lastSets: [NoteKey: Int]
    /// Each section key that has a `set` note, numbered, with the position of its first `set`.
    private let sections: [LuaValue: (number: Int, firstSet: Int)]

    private struct NoteKey: Hashable {
        var section: Int
        var option: String
    }

    init(config: ProsodyConfiguration, era: PluginEra = .current) {
        self.config = config
        let deployment = Deployment(config, era: era)
        self.deployment = deployment
        self.era = era
        var connectRules: [LuaValue: ServerRules] = [:]
        for host in deployment.tokenHosts where connectRules[host.key] == nil {
            connectRules[host.key] = host.connectRules
        }
        self.connectRules = connectRules
        var joins: [LuaValue: JoinRules] = [:]
        for muc in deployment.components where joins[muc.key] == nil {
            if let join = muc.join { joins[muc.key] = join }
        }
        self.joins = joins
        var lastSets: [NoteKey: Int] = [:]
        var sections: [LuaValue: (number: Int, firstSet: Int)] = [:]
        lastSets.reserveCapacity(config.notes.count)
        // Notes of one section come in runs: the key is hashed once a run, not once a note.
        var current: (key: LuaValue, number: Int)?
        for (position, note) in config.notes.enumerated() where note.kind == .set {
            let number: Int
            if let current, current.key == note.sectionKey {
                number = current.number
            } else if let known = sections[note.sectionKey] {
                number = known.number
            } else {
                number = sections.count
                sections[note.sectionKey] = (number, position)
            }
            current = (note.sectionKey, number)
            lastSets[NoteKey(section: number, option: note.name)] = position
        }
        self.lastSets = lastSets
        self.sections = sections
    }

    // MARK: Locations

    /// The last `set` of `option` in the section under `key` (the one whose value is in effect).
    func lastSet(_ key: LuaValue, _ option: String) -> LoadNote? {
        guard let section = sections[key]?.number, let position = lastSets[NoteKey(section: section, option: option)]
        else { return nil }
        return config.notes[position]
    }

    /// Where the value the section under `key` reads for `option` was set: its own section, else the global one.
    func effectiveSet(_ key: LuaValue, _ option: String) -> LoadNote? {
        if config[sectionKey: key]?[option] != nil { return lastSet(key, option) }
        if config.global[option] != nil { return lastSet(ProsodyConfiguration.globalKey, option) }
        return nil
    }

    /// The first option set in the section under `key`, for findings about the section as a whole.
    func firstSet(in key: LuaValue) -> LoadNote? { sections[key].map { config.notes[$0.firstSet] } }

    // MARK: Components

    func componentFindings() -> [Finding] {
        config.components.flatMap { section -> [Finding] in
            Auditor.hostOnlyTokenOptions.compactMap { option -> Finding? in
                guard section[option] != nil else { return nil }
                let note = lastSet(section.key, option)
                let parent =
                    Deployment.parentHost(of: section.name).map { "VirtualHost \"\($0)\"" } ?? "the VirtualHost"
                return Finding(
                    .componentTokenOption,
                    message: "\(option) is set under Component \"\(section.name)\", where the token plugins never read "
                        + "it (they read \(parent), then the global section)",
                    fix: "Move \(option) to \(parent) (or the global section).",
                    host: section.name, file: note?.file, line: note?.line)
            }
        }
    }

    // MARK: Loader notes and warnings

    /// Reads of undefined names that are the value of an assignment: the next note after the read (other reads
    /// aside) sets an option in the same file and section, on the read's line or a later one (a multi-line table).
    func undefinedNameFindings() -> [Finding] {
        let notes = config.notes
        // For each position, the index of the first note at or after it that is not a read of an undefined name.
        var nextOther = [Int?](repeating: nil, count: notes.count + 1)
        for index in notes.indices.reversed() {
            nextOther[index] = notes[index].kind != .undefined ? index : nextOther[index + 1]
        }
        var findings: [Finding] = []
        for (index, read) in notes.enumerated() where read.kind == .undefined {
            guard let next = nextOther[index + 1], case let set = notes[next], set.kind == .set,
                set.file == read.file, set.sectionKey == read.sectionKey,
                let readLine = read.line, let setLine = set.line, setLine >= readLine
            else { continue }
            let host = read.section == "*" ? nil : read.section
            let message: String
            let fix: String
            if ConfigDump.isSecret(optionName: set.name) {
                message =
                    "\(set.name) is given an unquoted name that is not defined: Lua reads it as nil "
                    + "(the name is not shown: it may be the secret)"
                fix = "Quote the value: \(set.name) = \"…\"."
            } else {
                message =
                    "\(set.name) is given the unquoted name \(read.name), which is not defined: Lua reads it "
                    + "as nil, not as the string \"\(read.name)\""
                fix = "Quote it: \"\(read.name)\"."
            }
            findings.append(
                Finding(
                    .undefinedName, message: message, fix: fix, host: host, file: read.file, line: read.line))
        }
        return findings
    }

    /// Prosody's load warnings, from their values (kind, name, file, line).
    func loaderWarningFindings() -> [Finding] {
        config.loadWarnings.map { warning in
            switch warning.kind {
            case .duplicateOption:
                return Finding(
                    .duplicateOption,
                    message: "Duplicate option '\(warning.name)': it is set twice in this section of this file; the "
                        + "last value wins",
                    file: warning.file, line: warning.line)
            case .deprecatedGlobal:
                return Finding(
                    .loaderWarning,
                    message: "direct usage of the Lua API is deprecated - replace `\(warning.name)` with "
                        + "`Lua.\(warning.name)`",
                    file: warning.file, line: warning.line)
            }
        }
    }

    func emptyGlobFindings() -> [Finding] {
        config.notes.filter { $0.kind == .emptyGlob }.map { note in
            Finding(
                .includeNoMatch, message: "Include \"\(note.name)\" matched no file: nothing from it is loaded",
                host: note.section == "*" ? nil : note.section, file: note.file, line: note.line)
        }
    }

    // MARK: Files

    /// The main config and every file a note names, when other users can read them (`mode & 0o004`).
    func fileModeFindings(configPath: String, fileMode: Auditor.FileModeReader) -> [Finding] {
        var files = [configPath]
        var seen: Set<String> = [configPath]
        // The secret-bearing options each file sets, in order, each once.
        var secretsByFile: [String: [String]] = [:]
        var seenSecrets: Set<[String]> = []
        // Names repeat from note to note (a big config sets the same options in every host), and notes come in
        // runs of one file: each name is judged once, each run's file looked up once.
        var isSecret: [String: Bool] = [:]
        var runFile: String?
        for note in config.notes {
            if note.file != runFile {
                runFile = note.file
                if seen.insert(note.file).inserted { files.append(note.file) }
            }
            guard note.kind == .set else { continue }
            let secret: Bool
            if let known = isSecret[note.name] {
                secret = known
            } else {
                secret = ConfigDump.isSecret(optionName: note.name)
                isSecret[note.name] = secret
            }
            if secret, seenSecrets.insert([note.file, note.name]).inserted {
                secretsByFile[note.file, default: []].append(note.name)
            }
        }
        return files.compactMap { file -> Finding? in
            guard let mode = fileMode(file), mode & 0o004 != 0 else { return nil }
            let names = secretsByFile[file] ?? []
            let digits = String(mode & 0o7777, radix: 8)
            let octal = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            let holds = names.isEmpty ? "" : " and sets " + names.joined(separator: ", ")
            return Finding(
                .worldReadable,
                message: "\(file) is readable by every local user (mode \(octal))\(holds)",
                fix: "chmod o-r \(file) (keep it readable by the prosody group: root:prosody 0640).",
                file: file)
        }
    }
}
