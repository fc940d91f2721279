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
        defer { KeptUntilExit.keep(deployment) }
        do {
            try Self.checkSize(deployment, tokenOptions: format != .env, maxBytes: config.maxOutputBytes)
            switch format {
            case .json: Output.write(Self.json(deployment).jsonText + "\n")
            case .text:
                // Every cell is escaped for the terminal already (``TextTable``).
                Output.write(bytes: try Self.text(deployment, maxBytes: config.maxOutputBytes))
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

    static func text(_ deployment: Deployment, maxBytes: Int) throws(ConfigError) -> [UInt8] {
        var hosts = TextTable(["NAME", "ENABLED", "AUTH", "APP_ID", "SECRET", "TOKEN OPTIONS"])
        hosts.reserveRows(deployment.hosts.count)
        var options: [UInt8] = []
        for host in deployment.hosts {
            options.removeAll(keepingCapacity: true)
            for option in host.tokenOptions where option.name != "app_id" {
                if !options.isEmpty { options.append(UInt8(ascii: " ")) }
                options.append(contentsOf: option.name.utf8)
                options.append(UInt8(ascii: "="))
                options.append(contentsOf: option.text.utf8)
            }
            hosts.add(host.name)
            hosts.add(host.enabled ? "yes" : "no")
            hosts.add(host.authentication ?? "-")
            hosts.add(host.appID ?? "-")
            hosts.add(host.hasSecret ? "set" : "-")
            hosts.add(bytes: options)
        }
        var components = TextTable(["NAME", "MODULE", "ENABLED", "PARENT HOST", "TOKEN_VERIFICATION"])
        components.reserveRows(deployment.components.count)
        for component in deployment.components {
            components.add(component.name)
            components.add(component.module)
            components.add(component.enabled ? "yes" : "no")
            components.add(component.parentHost ?? "-")
            components.add(component.verifiesTokens ? "loaded" : "-")
        }
        var text = Array("VirtualHosts\n".utf8)
        try hosts.layOut(into: &text, maxBytes: maxBytes)
        text.append(contentsOf: "\nComponents\n".utf8)
        try components.layOut(into: &text, maxBytes: maxBytes)
        return text
    }
}

enum OutputFormat: String, RawValueArgument {
    case text, json
}

/// `hosts --format`.
enum HostsFormat: String, RawValueArgument {
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
