import ArgumentParser
import JitsiDeployment
import JitsiToken
import ProsodyConfig

struct HostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        _superCommandName: JitsiJWT.commandName,
        abstract: "List VirtualHosts (auth, app_id, token options in effect) and Components (module, parent, token_verification).",
        usage: "jitsi-jwt hosts [--format text|json|env] [--config CONFIG | CONFIG] [config loading options]",
        discussion: """
            --format env prints single-quoted POSIX sh assignments, for eval "$(jitsi-jwt hosts --format env)": \
            JITSI_HOSTS (every VirtualHost), JITSI_TOKEN_HOSTS (the enabled ones with authentication = "token"), \
            JITSI_DISABLED_HOSTS and JITSI_COMPONENTS (space-separated names, sorted); then one line per \
            VirtualHost, JITSI_HOST_<ID>='<authentication>' (empty when not set), and one per Component, \
            JITSI_COMPONENT_<ID>='<component module>'. <ID> is the name upper-cased with every character other \
            than A-Z and 0-9 turned into _ (meet.example.com: MEET_EXAMPLE_COM); a name whose <ID> was already \
            used gets _2, _3… appended, in the order of the lists.
            """)

    @OptionGroup(title: "Config loading") var config: ConfigOptions

    @Option(help: "text, json or env (sh assignments).")
    var format: HostsFormat = .text

    @OptionGroup var location: ConfigPathArguments

    func run() throws {
        let deployment = Deployment(try Output.loadOrExit(config, location.path))
        do {
            try Self.checkSize(deployment, tokenOptions: format != .env, maxBytes: config.maxOutputBytes)
            switch format {
            case .json: Output.write(Self.json(deployment).jsonText + "\n")
            case .text:
                Output.writeText(try Self.text(deployment, maxBytes: config.maxOutputBytes))
                if deployment.tokenHosts.isEmpty { ConfigGuidance.print(ConfigGuidance.enableTokenAuthHints) }
            case .env: Output.write(bytes: try Self.env(deployment))
            }
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(1)
        }
    }

    /// Refuses a listing whose names and values alone (with the token options, unless `tokenOptions` is false)
    /// pass `maxBytes`, as one long string that many hosts inherit from `"*"` does, before anything is escaped or
    /// laid out.
    static func checkSize(_ deployment: Deployment, tokenOptions: Bool, maxBytes: Int) throws(ConfigError) {
        var total = 0
        func add(_ text: String?) throws(ConfigError) {
            total += text?.utf8.count ?? 0
            if total > maxBytes { throw .outputTooLarge(maxBytes: maxBytes) }
        }
        for host in deployment.hosts {
            try add(host.name)
            try add(host.authentication)
            try add(host.appID)
            for option in host.tokenOptions where tokenOptions { try add(option.text) }
        }
        for component in deployment.components {
            try add(component.name)
            try add(component.module)
            try add(component.parentHost)
        }
    }

    static func env(_ deployment: Deployment) throws(ShellFormat.Unrepresentable) -> [UInt8] {
        let hosts = deployment.hosts
        let components = deployment.components
        var pairs: [(name: String, value: String)] = [
            ("JITSI_HOSTS", hosts.map(\.name).joined(separator: " ")),
            ("JITSI_TOKEN_HOSTS", deployment.tokenHosts.map(\.name).joined(separator: " ")),
            ("JITSI_DISABLED_HOSTS", hosts.filter { !$0.enabled }.map(\.name).joined(separator: " ")),
            ("JITSI_COMPONENTS", components.map(\.name).joined(separator: " ")),
        ]
        var used: Set<String> = []
        // The next suffix to try per base name, so that many names with one base stay linear.
        var nextSuffix: [String: Int] = [:]
        func variable(_ prefix: String, _ name: String) -> String {
            let base = prefix + ShellFormat.identifier(name)
            var candidate = base
            var suffix = nextSuffix[base] ?? 2
            while used.contains(candidate) {
                candidate = base + "_\(suffix)"
                suffix += 1
            }
            if candidate != base { nextSuffix[base] = suffix }
            used.insert(candidate)
            return candidate
        }
        pairs += hosts.map { (variable("JITSI_HOST_", $0.name), $0.authentication ?? "") }
        pairs += components.map { (variable("JITSI_COMPONENT_", $0.name), $0.module) }
        return try ShellFormat.assignments(pairs)
    }

    static func json(_ deployment: Deployment) -> JSONValue {
        let hosts = deployment.hosts.map { host -> JSONValue in
            .object(JSONObject([
                ("name", .string(host.name)), ("enabled", .bool(host.enabled)),
                ("authentication", host.authentication.map(JSONValue.string) ?? .null),
                ("app_id", host.appID.map(JSONValue.string) ?? .null), ("secret_set", .bool(host.hasSecret)),
                ("token_options", .object(JSONObject(host.tokenOptions.map { ($0.name, $0.value) }))),
                ("muc", deployment.muc(for: host).map { .string($0.name) } ?? .null),
            ]))
        }
        let components = deployment.components.map { component -> JSONValue in
            .object(JSONObject([
                ("name", .string(component.name)), ("module", .string(component.module)),
                ("enabled", .bool(component.enabled)),
                ("parent_host", component.parentHost.map(JSONValue.string) ?? .null),
                ("token_verification", .bool(component.verifiesTokens)),
            ]))
        }
        return .object(JSONObject([("virtual_hosts", .array(hosts)), ("components", .array(components))]))
    }

    static func text(_ deployment: Deployment, maxBytes: Int) throws(ConfigError) -> String {
        let hostRows = deployment.hosts.map { host in
            var options = ""
            for option in host.tokenOptions where option.name != "app_id" {
                if !options.isEmpty { options += " " }
                options += option.name
                options += "="
                options += option.text
            }
            return [host.name, host.enabled ? "yes" : "no", host.authentication ?? "-", host.appID ?? "-",
                    host.hasSecret ? "set" : "-", options]
        }
        let componentRows = deployment.components.map { component in
            [component.name, component.module, component.enabled ? "yes" : "no", component.parentHost ?? "-",
             component.verifiesTokens ? "loaded" : "-"]
        }
        return "VirtualHosts\n"
            + (try table(["NAME", "ENABLED", "AUTH", "APP_ID", "SECRET", "TOKEN OPTIONS"], hostRows, maxBytes: maxBytes))
            + "\nComponents\n"
            + (try table(
                ["NAME", "MODULE", "ENABLED", "PARENT HOST", "TOKEN_VERIFICATION"], componentRows, maxBytes: maxBytes))
    }

    /// Left-aligned columns, two spaces apart, the last column unpadded. Each cell is escaped for the terminal
    /// (``TerminalText``, line feeds too), so a name cannot start a row of its own, and widths count what is shown.
    /// - Throws: ``ConfigError/outputTooLarge(maxBytes:)`` when the padded table would pass `maxBytes` (one long
    ///   name pads every other row to its width).
    static func table(_ header: [String], _ rows: [[String]], maxBytes: Int) throws(ConfigError) -> String {
        let all = [header] + rows.map { $0.map { TerminalText.escaped($0) } }
        let shownWidths = all.map { $0.map(shownWidth) }
        let widths = header.indices.map { column in shownWidths.map { $0[column] }.max() ?? 0 }
        let paddedWidth = widths.dropLast().reduce(0) { $0 + $1 + 2 }
        let (padded, overflow) = paddedWidth.multipliedReportingOverflow(by: all.count)
        let lastColumn = all.reduce(0) { $0 + ($1.last?.utf8.count ?? 0) }
        guard !overflow, padded + lastColumn <= maxBytes else { throw .outputTooLarge(maxBytes: maxBytes) }
        // Laid out on bytes: cells, padding and separators appended to one buffer (joining Strings per row cost
        // more than the rest of `hosts` after the load).
        var text: [UInt8] = []
        text.reserveCapacity(padded + lastColumn + all.count)
        for (row, cells) in all.enumerated() {
            let start = text.count
            for (column, cell) in cells.enumerated() {
                text.append(contentsOf: cell.utf8)
                if column < cells.count - 1 {
                    text.append(contentsOf: repeatElement(UInt8(ascii: " "), count: widths[column] - shownWidths[row][column] + 2))
                }
            }
            if text[start...].allSatisfy({ $0 < 0x80 }) {
                while text.count > start, text[text.count - 1] == UInt8(ascii: " ") { text.removeLast() }
            } else {
                // A space can end a longer Character (after a prepended mark): trim Characters, as people see them.
                let line = String(decoding: text[start...], as: UTF8.self).trimmingTrailingSpaces()
                text.removeSubrange(start...)
                text.append(contentsOf: line.utf8)
            }
            text.append(UInt8(ascii: "\n"))
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// How many Characters a cell shows: its byte count when it is ASCII without a CR (where every byte is one
    /// Character), else its Character count.
    static func shownWidth(_ cell: String) -> Int {
        let bytes = cell.utf8.span
        for index in 0..<bytes.count where bytes[index] >= 0x80 || bytes[index] == 0x0D { return cell.count }
        return bytes.count
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `hosts --format`.
enum HostsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, env
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
