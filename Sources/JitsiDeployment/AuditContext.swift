import JitsiToken
import ProsodyConfig

/// The config, its deployment model and the notes indexed by section, with the lookups every check needs. Each
/// lookup costs a hash or a scan of a few notes, so the audit is linear in the number of hosts and notes. A class:
/// the checks' local functions capture it, which retains it instead of copying every field.
final class AuditContext: Sendable {
    let config: ProsodyConfiguration
    let deployment: Deployment
    /// The installed token plugins' era (some findings depend on it).
    let era: PluginEra
    /// Each token host's connect-stage rules, in `deployment.tokenHosts` order: derived once for all the findings
    /// that read them (the model derives them anew on every read).
    let connectRules: [ServerRules]
    /// The position in `deployment.components` of each token host's MUC (``Deployment/Host/muc``), in the same
    /// order.
    let mucPositions: [Int?]
    /// Each component's join rules (`nil` for other components), in `deployment.components` order; a token host's
    /// MUC whose parent is that host takes the host's rules instead of deriving them again.
    let joins: [JoinRules?]
    /// Each section key that has a `set` note, numbered.
    private let sectionNumbers: [LuaValue: Int]
    /// The positions in `config.notes` of every `set` note, section by section (each section's in order): those
    /// of section `n` are `setPositions[setStarts[n]..<setStarts[n + 1]]`.
    private let setPositions: [Int]
    private let setStarts: [Int]
    /// For each section with more than `scannedSets` sets, the position of the last set of each option; the
    /// others are scanned from their last set back (a host sets a few options, and comparing a few names costs
    /// less than hashing every note's name).
    private let lastSetsOfBigSections: [Int: [String: Int]]
    private static let scannedSets = 32

    init(config: ProsodyConfiguration, era: PluginEra = .current) {
        self.config = config
        let deployment = Deployment(config, era: era)
        self.deployment = deployment
        self.era = era
        let tokenHosts = deployment.tokenHosts
        let components = deployment.components
        let connectRules = tokenHosts.map(\.connectRules)
        let mucPositions = tokenHosts.map { host in host.muc.flatMap { deployment.componentPosition(key: $0) } }
        var parentRules = [ServerRules?](repeating: nil, count: components.count)
        for (position, host) in tokenHosts.enumerated() {
            guard let muc = mucPositions[position], let parent = components[muc].parentHost,
                host.key == .string(Array(parent.utf8))
            else { continue }
            parentRules[muc] = connectRules[position]
        }
        self.connectRules = connectRules
        self.mucPositions = mucPositions
        joins = components.indices.map { components[$0].join(parentRules: parentRules[$0]) }

        // The set notes' section numbers, then their positions grouped by section (a counting sort). Notes of one
        // section come in runs: the key is hashed once a run, not once a note.
        var sectionNumbers: [LuaValue: Int] = [:]
        var sets: [(position: Int, section: Int)] = []
        var counts: [Int] = []
        var current: (key: LuaValue, number: Int)?
        for position in config.notes.indices where config.notes[position].kind == .set {
            let key = config.notes[position].sectionKey
            let number: Int
            if let current, current.key == key {
                number = current.number
            } else if let known = sectionNumbers[key] {
                number = known
            } else {
                number = counts.count
                sectionNumbers[key] = number
                counts.append(0)
            }
            current = (key, number)
            sets.append((position, number))
            counts[number] += 1
        }
        var setStarts = [0]
        setStarts.reserveCapacity(counts.count + 1)
        for count in counts { setStarts.append(setStarts[setStarts.count - 1] + count) }
        var next = setStarts
        var setPositions = [Int](repeating: 0, count: sets.count)
        for set in sets {
            setPositions[next[set.section]] = set.position
            next[set.section] += 1
        }
        var lastSetsOfBigSections: [Int: [String: Int]] = [:]
        for (number, count) in counts.enumerated() where count > Self.scannedSets {
            var lastSets: [String: Int] = [:]
            for position in setPositions[setStarts[number]..<setStarts[number + 1]] {
                lastSets[config.notes[position].name] = position
            }
            lastSetsOfBigSections[number] = lastSets
        }
        self.sectionNumbers = sectionNumbers
        self.setPositions = setPositions
        self.setStarts = setStarts
        self.lastSetsOfBigSections = lastSetsOfBigSections
    }

    // MARK: Locations

    /// The last `set` of `option` in the section under `key` (the one whose value is in effect).
    func lastSet(_ key: LuaValue, _ option: String) -> LoadNote? {
        guard let number = sectionNumbers[key] else { return nil }
        if let lastSets = lastSetsOfBigSections[number] { return lastSets[option].map { config.notes[$0] } }
        for position in setPositions[setStarts[number]..<setStarts[number + 1]].reversed()
        where config.notes[position].name == option {
            return config.notes[position]
        }
        return nil
    }

    /// Where the value the section under `key` reads for `option` was set: its own section, else the global one.
    func effectiveSet(_ key: LuaValue, _ option: String) -> LoadNote? {
        effectiveSet(key, option, options: config[sectionKey: key]?.options)
    }

    /// ``effectiveSet(_:_:)`` for the section under `key` whose options are `options`, already looked up.
    func effectiveSet(_ key: LuaValue, _ option: String, options: LuaTable?) -> LoadNote? {
        if options?[option] != nil { return lastSet(key, option) }
        if config.global[option] != nil { return lastSet(ProsodyConfiguration.globalKey, option) }
        return nil
    }

    /// The first option set in the section under `key`, for findings about the section as a whole.
    func firstSet(in key: LuaValue) -> LoadNote? {
        sectionNumbers[key].map { config.notes[setPositions[setStarts[$0]]] }
    }

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
        var findings: [Finding] = []
        // The reads since the last note that is not one, in order: that note is the next one of each.
        var reads: [Int] = []
        for index in notes.indices {
            if notes[index].kind == .undefined {
                reads.append(index)
                continue
            }
            guard !reads.isEmpty else { continue }
            let set = notes[index]
            for position in reads {
                let read = notes[position]
                guard set.kind == .set, set.file == read.file, set.sectionKey == read.sectionKey,
                    let readLine = read.line, let setLine = set.line, setLine >= readLine
                else { continue }
                findings.append(Self.undefinedNameFinding(read: read, set: set))
            }
            reads.removeAll(keepingCapacity: true)
        }
        return findings
    }

    /// The finding for the read of an undefined name whose value `set` stores.
    private static func undefinedNameFinding(read: LoadNote, set: LoadNote) -> Finding {
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
        return Finding(.undefinedName, message: message, fix: fix, host: host, file: read.file, line: read.line)
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
        // By position: a note is copied only when it is one.
        config.notes.indices.filter { config.notes[$0].kind == .emptyGlob }.map { index in
            let note = config.notes[index]
            return Finding(
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
        let notes = config.notes
        for index in notes.indices {
            let file = notes[index].file
            if file != runFile {
                runFile = file
                if seen.insert(file).inserted { files.append(file) }
            }
            guard notes[index].kind == .set else { continue }
            let name = notes[index].name
            let secret: Bool
            if let known = isSecret[name] {
                secret = known
            } else {
                secret = ConfigDump.isSecret(optionName: name)
                isSecret[name] = secret
            }
            if secret, seenSecrets.insert([file, name]).inserted {
                secretsByFile[file, default: []].append(name)
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
