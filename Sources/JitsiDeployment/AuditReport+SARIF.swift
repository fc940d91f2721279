public import JitsiToken

extension AuditReport {
    /// The `$schema` of the SARIF log.
    public static let sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"
    /// The `uriBaseId` of relative artifact locations.
    public static let sourceRootBaseID = "SRCROOT"

    /// A SARIF 2.1.0 log for code-scanning dashboards: one run, every ``AuditRule`` as a rule, one result per finding.
    ///
    /// - Parameters:
    ///   - baseDirectory: The absolute working directory. Files under it, and relative file names (which are
    ///     relative to it), get URIs relative to it with `uriBaseId` ``sourceRootBaseID`` (what GitHub code scanning
    ///     maps to the repository); others get absolute `file://` URIs. `nil`: no base; relative names stay
    ///     relative URIs.
    ///   - toolVersion: `tool.driver.version`, if known.
    /// - Returns: The log. A finding without a file is located at the main config, without a region.
    public func sarif(baseDirectory: String? = nil, toolVersion: String? = nil) -> JSONValue {
        let rules = AuditRule.all.map { rule -> JSONValue in
            .object(
                JSONObject([
                    ("id", .string(rule.id)),
                    ("shortDescription", .object(JSONObject([("text", .string(rule.summary))]))),
                    ("help", .object(JSONObject([("text", .string(rule.fix))]))),
                    ("defaultConfiguration", .object(JSONObject([("level", .string(rule.severity.rawValue))]))),
                ]))
        }
        var driver = JSONObject([("name", .string("jitsi-jwt"))])
        if let toolVersion { driver["version"] = .string(toolVersion) }
        driver["rules"] = .array(rules)

        let base = baseDirectory.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        var usesBase = false
        let results = findings.map { finding -> JSONValue in
            var artifact = JSONObject()
            let file = finding.file ?? configPath
            if let base, file.hasPrefix(base + "/") || !file.hasPrefix("/") {
                let relative = file.hasPrefix("/") ? String(file.dropFirst(base.count + 1)) : Self.withoutDotSlash(file)
                artifact["uri"] = .string(Self.percentEncoded(relative))
                artifact["uriBaseId"] = .string(Self.sourceRootBaseID)
                usesBase = true
            } else {
                artifact["uri"] = .string(Self.fileURI(file))
            }
            var physical = JSONObject([("artifactLocation", .object(artifact))])
            if finding.file != nil, let line = finding.line, line >= 1 {
                physical["region"] = .object(JSONObject([("startLine", .integer(Int64(line)))]))
            }
            var result = JSONObject([
                ("ruleId", .string(finding.id)),
                ("level", .string(finding.severity.rawValue)),
                ("message", .object(JSONObject([("text", .string(finding.message))]))),
                ("locations", .array([.object(JSONObject([("physicalLocation", .object(physical))]))])),
            ])
            if let index = AuditRule.all.firstIndex(where: { $0.id == finding.id }) {
                result["ruleIndex"] = .integer(Int64(index))
            }
            var properties = JSONObject([("fix", .string(finding.fix))])
            if let host = finding.host { properties["host"] = .string(host) }
            result["properties"] = .object(properties)
            return .object(result)
        }

        var run = JSONObject([("tool", .object(JSONObject([("driver", .object(driver))])))])
        if usesBase, let base {
            run["originalUriBaseIds"] = .object(
                JSONObject([
                    (Self.sourceRootBaseID, .object(JSONObject([("uri", .string(Self.fileURI(base + "/")))])))
                ]))
        }
        run["results"] = .array(results)
        return .object(
            JSONObject([
                ("$schema", .string(Self.sarifSchema)), ("version", .string("2.1.0")), ("runs", .array([.object(run)])),
            ]))
    }

    /// ``sarif(baseDirectory:toolVersion:)`` as compact text with a final newline.
    public func sarifText(baseDirectory: String? = nil, toolVersion: String? = nil) -> String {
        sarif(baseDirectory: baseDirectory, toolVersion: toolVersion).jsonText + "\n"
    }

    /// A relative path without its leading `./` parts (`.//a/./b` → `a/./b`).
    static func withoutDotSlash(_ path: String) -> String {
        var rest = Substring(path)
        while rest.hasPrefix("./") {
            rest = rest.dropFirst(2).drop { $0 == "/" }
        }
        return String(rest)
    }

    /// A `file://` URI for an absolute path (a relative one is taken as given, encoded).
    static func fileURI(_ path: String) -> String {
        path.hasPrefix("/") ? "file://" + percentEncoded(path) : percentEncoded(path)
    }

    /// RFC 3986 percent-encoding of a path: unreserved characters and `/` stay, every other byte is `%XX`.
    static func percentEncoded(_ path: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
