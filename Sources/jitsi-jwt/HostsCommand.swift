import ArgumentParser
import JitsiDeployment
import JitsiToken
import ProsodyConfig

struct HostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "List VirtualHosts (auth, app_id, token options in effect) and Components (module, parent, token_verification).")

    @OptionGroup var config: ConfigOptions

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Argument(help: "The Prosody config (default: $PROSODY_CONFIG, else /etc/prosody/prosody.cfg.lua).")
    var configPath: String?

    func run() throws {
        let deployment = Deployment(try Output.loadOrExit(config, configPath))
        switch format {
        case .json: Output.write(Self.json(deployment).jsonText + "\n")
        case .text: Output.write(Self.text(deployment))
        }
    }

    static func json(_ deployment: Deployment) -> JSONValue {
        let hosts = deployment.hosts.map { host -> JSONValue in
            .object(JSONObject([
                ("name", .string(host.name)), ("enabled", .bool(host.enabled)),
                ("authentication", host.authentication.map(JSONValue.string) ?? .null),
                ("app_id", host.appID.map(JSONValue.string) ?? .null), ("secret_set", .bool(host.hasSecret)),
                ("token_options", .object(JSONObject(host.tokenOptions.map { ($0.name, .string($0.value)) }))),
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

    static func text(_ deployment: Deployment) -> String {
        let hostRows = deployment.hosts.map { host in
            [host.name, host.enabled ? "yes" : "no", host.authentication ?? "-", host.appID ?? "-",
             host.hasSecret ? "set" : "-",
             host.tokenOptions.filter { $0.name != "app_id" }.map { "\($0.name)=\($0.value)" }
                 .joined(separator: " ")]
        }
        let componentRows = deployment.components.map { component in
            [component.name, component.module, component.enabled ? "yes" : "no", component.parentHost ?? "-",
             component.verifiesTokens ? "loaded" : "-"]
        }
        return "VirtualHosts\n"
            + table(["NAME", "ENABLED", "AUTH", "APP_ID", "SECRET", "TOKEN OPTIONS"], hostRows)
            + "\nComponents\n"
            + table(["NAME", "MODULE", "ENABLED", "PARENT HOST", "TOKEN_VERIFICATION"], componentRows)
    }

    /// Left-aligned columns, two spaces apart, the last column unpadded.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(to: widths[column])
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }.joined()
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
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
