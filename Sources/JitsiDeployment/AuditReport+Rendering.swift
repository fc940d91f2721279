public import JitsiToken

extension AuditReport {
    /// For people: `path:line: severity: message [id]`, an indented `fix:` line, then a summary line. A finding
    /// without a file is shown at the main config; one without a line as `path: `. Paths, messages and fixes quote
    /// the config (host names, values): they are escaped for the terminal (``TerminalText``), line feeds too.
    public var text: String {
        var output = ""
        for finding in findings {
            output += TerminalText.escaped(location(of: finding)) + ": \(finding.severity.rawValue): "
                + TerminalText.escaped(finding.message, .line) + " [\(finding.id)]\n"
            output += "    fix: " + TerminalText.escaped(finding.fix, .line) + "\n"
        }
        output += summaryLine + "\n"
        return output
    }

    /// `1 error, 2 warnings, 0 notes`.
    public var summaryLine: String {
        func counted(_ severity: Finding.Severity) -> String {
            let count = count(severity)
            return "\(count) \(severity.rawValue)\(count == 1 ? "" : "s")"
        }
        return [counted(.error), counted(.warning), counted(.note)].joined(separator: ", ")
    }

    private func location(of finding: Finding) -> String {
        let file = finding.file ?? configPath
        return finding.line.map { "\(file):\($0)" } ?? file
    }

    /// For scripts: `{"findings": [{"id", "severity", "message", "fix", "host", "file", "line"}], "summary":
    /// {"error": n, "warning": n, "note": n}}`, unknown fields `null`, findings in report order.
    public var json: JSONValue {
        let items = findings.map { finding -> JSONValue in
            .object(
                JSONObject([
                    ("id", .string(finding.id)), ("severity", .string(finding.severity.rawValue)),
                    ("message", .string(finding.message)), ("fix", .string(finding.fix)),
                    ("host", finding.host.map(JSONValue.string) ?? .null),
                    ("file", finding.file.map(JSONValue.string) ?? .null),
                    ("line", finding.line.map { .integer(Int64($0)) } ?? .null),
                ]))
        }
        let summary = JSONObject([
            ("error", .integer(Int64(count(.error)))), ("warning", .integer(Int64(count(.warning)))),
            ("note", .integer(Int64(count(.note)))),
        ])
        return .object(JSONObject([("findings", .array(items)), ("summary", .object(summary))]))
    }

    /// ``json`` as compact text with a final newline.
    public var jsonText: String { json.jsonText + "\n" }
}
