import ArgumentParser
import JitsiDeployment
import JitsiToken
import ProsodyConfig

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        _superCommandName: JitsiJWT.commandName,
        abstract:
            "Audit a config for what breaks or weakens token auth: findings with severity, id, file:line and a fix.",
        usage: """
            jitsi-jwt audit [--config CONFIG | CONFIG] [--format text|json|sarif] [--fail-on error|warning|note]
                            [--jitsi-plugins ERA] [config loading options]
            """,
        discussion: """
            Exit codes: 0 when no finding reaches --fail-on, 1 when one does, 2 when the config could not be read \
            (the loader's message is printed to stderr).
            """)

    @OptionGroup(title: "Config loading") var config: ConfigOptions

    @Option(help: "text, json or sarif (SARIF 2.1.0).")
    var format: AuditFormat = .text

    @Option(
        name: .customLong("fail-on"), help: "Exit 1 when a finding is at least this severe: error, warning or note.")
    var failOn: Finding.Severity = .error

    @Option(
        name: .customLong("jitsi-plugins"),
        help: ArgumentHelp(
            "The era of the installed Jitsi token plugins (default: told from the config's plugin_paths).",
            valueName: "era"))
    var jitsiPlugins: PluginEra?

    @OptionGroup var location: ConfigPathArguments

    func run() throws {
        let path = ConfigOptions.resolvePath(location.path)
        let report: AuditReport
        do {
            report = try Auditor.audit(
                path: path, options: config.loadOptions, era: jitsiPlugins, keep: { KeptUntilExit.keep($0) })
        } catch {
            Output.error(bytes: error.messageBytes)
            ConfigGuidance.print(ConfigGuidance.loadHints(path: path))
            throw ExitCode(AuditReport.unreadableConfigStatus)
        }
        let rendered = switch format {
        case .text: report.text
        case .json: report.jsonText
        case .sarif: report.sarifText(baseDirectory: Self.workingDirectory, toolVersion: JitsiJWT.configuration.version)
        }
        guard rendered.utf8.count <= config.maxOutputBytes else {
            Output.error("error: \(ConfigError.outputTooLarge(maxBytes: config.maxOutputBytes))")
            throw ExitCode(AuditReport.unreadableConfigStatus)
        }
        if format == .text { Output.writeText(rendered) } else { Output.write(rendered) }
        let status = report.exitStatus(failOn: failOn)
        if status != 0 { throw ExitCode(status) }
    }

    /// The working directory, for SARIF's relative artifact URIs.
    static var workingDirectory: String? { SystemCalls.workingDirectory() }
}

enum AuditFormat: String, RawValueArgument {
    case text, json, sarif
}
